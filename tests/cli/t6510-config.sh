#!/bin/sh
# The config file: kmvault config set/get/list (INI, 0600), its defaults
# used by commands (vault path, kdf, backup dir and keep rules, deadline
# hours, match window, language), command line and environment winning,
# bad files named with their line.
set -eu
. "$KMV_TESTS/cli/lib.sh"
KMV_NO_VAULT=1 kmv_setup
C="$XDG_CONFIG_HOME/kmvault/config"

expect_exit 7 kmv config get vault.path
[ ! -s "$T/out" ] || fail "an unset key printed something"
expect_exit 0 kmv config list
[ ! -s "$T/out" ] || fail "an empty config lists keys"
expect_exit 0 kmv config set vault.path "$T/fromconfig.kmv"
expect_in "$T/err" "vault.path = $T/fromconfig.kmv"
[ "$(stat -c %a "$C")" = 600 ] || fail "config file mode is not 0600"
expect_exit 0 kmv config get vault.path
[ "$(cat "$T/out")" = "$T/fromconfig.kmv" ] || fail "config get"
expect_exit 0 kmv config set vault.kdf interactive
expect_exit 0 kmv config set backup.dir "$T/backups"
expect_exit 0 kmv config set backup.keep_daily 2
expect_exit 0 kmv config set anomalies.deadline_hours 5
expect_exit 0 kmv config set match.window_hours 48
expect_exit 0 kmv config set letter.name 张三
expect_exit 0 kmv config list
expect_in "$T/out" "vault.kdf = interactive"
expect_in "$T/out" "letter.name = 张三"
expect_exit 0 kmv --json config list
expect_in "$T/out" '"backup.keep_daily":"2"'
grep -q '^\[vault\]$' "$C" && grep -q '^kdf = interactive$' "$C" || { cat "$C" >&2; fail "not INI"; }

# set keeps the file's comments, blank lines, order and unknown keys:
# only the key's line changes (a new key goes to its section)
cp "$C" "$T/c.keep"
cat > "$C" <<'EOF'
# 我的 kmvault 设置
[vault]
; 保险库放在加密盘上
path = /old/place.kmv
kdf = interactive

[backup]
dir = /mnt/usb ; 移动硬盘
keep_daily = 2
future_key = kept

[anomalies]
deadline_hours = 5
EOF
expect_exit 0 kmv config set vault.path "$T/fromconfig.kmv"
expect_exit 0 kmv config set backup.dir "$T/backups"
expect_exit 0 kmv config set backup.keep_weekly 4
expect_exit 0 kmv config set letter.name 张三
cat > "$T/c.want" <<EOF
# 我的 kmvault 设置
[vault]
; 保险库放在加密盘上
path = $T/fromconfig.kmv
kdf = interactive

[backup]
dir = $T/backups ; 移动硬盘
keep_daily = 2
future_key = kept
keep_weekly = 4

[anomalies]
deadline_hours = 5

[letter]
name = 张三
EOF
cmp -s "$C" "$T/c.want" || { diff "$T/c.want" "$C" >&2 || true; fail "config set lost lines of the file"; }
[ "$(stat -c %a "$C")" = 600 ] || fail "config file mode is not 0600 after set"
expect_exit 0 kmv config get backup.dir
[ "$(cat "$T/out")" = "$T/backups" ] || fail "config get after an in-place set"
cp "$T/c.keep" "$C"

# bad keys and values: exit 2, file unchanged
cp "$C" "$T/c.before"
expect_exit 2 kmv config set vault.nosuch x
expect_exit 2 kmv config set vault.kdf fast
expect_exit 2 kmv config set backup.keep_daily many
cmp -s "$C" "$T/c.before" || fail "a refused set changed the file"

# the vault path: config, then $KMVAULT_VAULT, then --vault win
unset KMVAULT_VAULT
expect_exit 0 kmv init --recovery-key-out "$T/rk"
[ -f "$T/fromconfig.kmv" ] || fail "init did not use vault.path"
expect_exit 0 kmv check
expect_in "$T/err" "$T/fromconfig.kmv"
expect_exit 0 env KMVAULT_VAULT="$T/env.kmv" "$KMVAULT_BIN" init --recovery-key-out "$T/rk2"
[ -f "$T/env.kmv" ] || fail "KMVAULT_VAULT did not win over the config"
expect_exit 0 kmv --vault "$T/opt.kmv" init --recovery-key-out "$T/rk3"
[ -f "$T/opt.kmv" ] || fail "--vault did not win over the config"
# ~/ in vault.path is the home directory
expect_exit 0 kmv config set vault.path "~/home.kmv"
expect_exit 0 kmv init --recovery-key-out "$T/rk4"
[ -f "$HOME/home.kmv" ] || fail "~/ not expanded"
expect_exit 0 kmv config set vault.path "$T/fromconfig.kmv"

# backup dir and keep rules from the config; --to and a rule on the
# command line win
export KMVAULT_NOW=2026-01-21T02:00:00Z
mkdir -m 700 "$T/backups"
for d in 10 11 12 13; do cp "$T/fromconfig.kmv" "$T/backups/kmvault-202601${d}T020000Z-g9$d.kmv"; done
expect_exit 0 kmv backup create --dry-run
[ "$(grep -c '^would prune' "$T/out")" = 3 ] || { cat "$T/out" >&2; fail "keep_daily 2 from the config not used"; }
expect_exit 0 kmv backup create --dry-run --keep-daily 4
[ "$(grep -c '^would prune' "$T/out")" = 1 ] || { cat "$T/out" >&2; fail "--keep-daily did not win"; }
mkdir -m 700 "$T/other"
expect_exit 0 kmv backup create --to "$T/other"
[ "$(ls "$T/other" | wc -l)" = 1 ] || fail "--to did not win over backup.dir"
expect_exit 0 kmv backup list
expect_in "$T/out" "kmvault-20260113T020000Z-g913.kmv"

# the language: a config default only when no locale variable says
if locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
	expect_exit 0 kmv config set ui.language zh_CN
	expect_exit 2 env -u LANG -u LC_ALL -u LC_MESSAGES -u LANGUAGE "$KMVAULT_BIN" nosuchcommand
	expect_in "$T/err" '未知命令'
	expect_exit 2 env LANG=C "$KMVAULT_BIN" nosuchcommand
	expect_in "$T/err" "unknown command"
	expect_exit 0 kmv config set ui.language en
fi

# a broken file: exit 2 naming the file and line; unknown keys warn
printf '[vault]\npath = %s\nthis line is wrong\n' "$T/fromconfig.kmv" > "$C"
expect_exit 2 kmv check
expect_in "$T/err" "$C:3"
printf '[vault]\npath = %s\ncolour = blue\n' "$T/fromconfig.kmv" > "$C"
expect_exit 0 kmv check
expect_in "$T/err" "unknown key 'vault.colour'"
printf '[match]\nwindow_hours = soon\n' > "$C"
expect_exit 2 kmv config list
expect_in "$T/err" "match.window_hours wants a number"
echo "ok"
