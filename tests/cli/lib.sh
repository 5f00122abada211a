# Shared helpers for scenario tests (sourced, POSIX sh).
# Environment from CTest: KMVAULT_BIN, KMV_SRC, KMV_TESTS, KMV_BUILD.

: "${KMVAULT_BIN:?KMVAULT_BIN must point at the kmvault binary}"
: "${KMV_SRC:?KMV_SRC must point at the source tree}"
SAMPLES="$KMV_SRC/samples"
# English messages unless a test asks for another language
# (kmv_zh, or LANG=zh_CN.UTF-8 "$KMVAULT_BIN" ...); the catalogs come from
# the build tree.
unset LC_ALL LC_MESSAGES LANGUAGE
export LANG=C.UTF-8
: "${KMVAULT_LOCALEDIR:=${KMV_BUILD:-.}/locale}"
export KMVAULT_LOCALEDIR

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# Make a private temp dir ($T), a passphrase file ($T/pass) and an empty
# vault ($KMVAULT_VAULT) unless KMV_NO_VAULT=1.  Cleans up on exit.
kmv_setup() {
	T=$(mktemp -d "${TMPDIR:-/tmp}/kmv-cli-XXXXXX")
	trap 'rm -rf "$T"' EXIT
	export HOME="$T/home" XDG_DATA_HOME="$T/home/.local/share"
	export XDG_CONFIG_HOME="$T/home/.config" XDG_STATE_HOME="$T/home/.local/state"
	mkdir -p "$HOME"
	unset KMVAULT_PASSPHRASE KMVAULT_PASSPHRASE_COMMAND KMVAULT_NEW_PASSPHRASE_FILE \
		KMVAULT_HOLIDAYS
	printf 'correct horse battery staple\n' > "$T/pass"
	chmod 600 "$T/pass"
	export KMVAULT_PASSPHRASE_FILE="$T/pass"
	if [ "${KMV_NO_VAULT:-0}" != 1 ]; then
		kmv_new_vault "$T/vault.kmv" "$T/recovery"
	else
		export KMVAULT_VAULT="$T/vault.kmv"
	fi
}

# kmv_new_vault VAULT RECOVERY: a new empty vault (the fast KDF, the
# passphrase of $T/pass, its recovery key in RECOVERY), the current
# $KMVAULT_VAULT from now on.
kmv_new_vault() {
	export KMVAULT_VAULT="$1"
	"$KMVAULT_BIN" init --kdf interactive --recovery-key-out "$2" \
		>/dev/null 2>&1 </dev/null || fail "cannot create the test vault $1"
}

# kmv_scenario [imported|matched]: the planted match scenario's files in
# $T/fx (tests/gen_match_fixtures.py says which row is which); imported:
# its Alipay and WeChat Pay statements and the shop's orders (platform
# 示例卡盟) in $KMVAULT_VAULT; matched: then matched as well.
kmv_scenario() {
	python3 "$KMV_TESTS/gen_match_fixtures.py" "$T/fx"
	[ $# -gt 0 ] || return 0
	kmv import "$T/fx/alipay_scn.csv" "$T/fx/wechat_scn.csv" >/dev/null 2>&1 ||
		fail "cannot import the scenario's statements"
	kmv import --platform 示例卡盟 "$T/fx/orders_scn.csv" >/dev/null 2>&1 ||
		fail "cannot import the scenario's orders"
	[ "$1" = matched ] || return 0
	kmv match >/dev/null || fail "cannot match the scenario"
}

# bag_unpack BUNDLE DIR: an evidence bundle's data/ folder in DIR/data.
bag_unpack() {
	rm -rf "$2"
	mkdir -p "$2"
	(cd "$2" && unzip -q "$1" && mv ./*/data data) || fail "cannot unpack $1"
}

# A test that puts an older copy of the vault back on purpose forgets the
# rollback marks, which would rightly warn about it (t0720).
forget_rollback() {
	rm -rf "$XDG_STATE_HOME/kmvault"
}

# flip_byte FILE OFFSET: invert every bit of one byte, so the file surely
# changes (writing a fixed byte is a no-op when the byte already has it).
flip_byte() {
	old=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	[ -n "$old" ] || fail "flip_byte: $1 has no byte at $2"
	printf "\\$(printf %o $((old ^ 255)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# hold_lock: a background process takes the vault's writer lock the way
# another writer would (flock on VAULT.lock) and keeps it until
# release_lock.  Returns only once the lock is held, however slow the
# machine; $holder is the flock process.
hold_lock() {
	[ -p "$HOME/lockfifo" ] || mkfifo "$HOME/lockfifo"
	flock -o "$KMVAULT_VAULT.lock" sh -c 'read x < "$0"' "$HOME/lockfifo" \
		>/dev/null 2>&1 &
	holder=$!
	n=0
	while flock -n "$KMVAULT_VAULT.lock" true 2>/dev/null; do
		n=$((n + 1))
		[ $n -lt 600 ] || fail "the lock holder never took the lock"
		sleep 0.05
	done
}

# Let the holder's command end (it waits on a fifo), then reap the holder.
release_lock() {
	printf 'go\n' > "$HOME/lockfifo"
	wait "$holder" 2>/dev/null || true
}

# Run kmvault (stdin closed, so no prompt can hang a test).
kmv() {
	"$KMVAULT_BIN" "$@" </dev/null
}

# The same in Chinese (messages from the build's zh_CN catalog).
kmv_zh() {
	LANG=zh_CN.UTF-8 "$KMVAULT_BIN" "$@" </dev/null
}

# expect_exit CODE cmd...: run, compare the exit code, keep stdout/stderr
# in $T/out and $T/err.
expect_exit() {
	want=$1
	shift
	set +e
	"$@" >"$T/out" 2>"$T/err" </dev/null
	got=$?
	set -e
	if [ "$got" != "$want" ]; then
		echo "--- stdout" >&2; cat "$T/out" >&2
		echo "--- stderr" >&2; cat "$T/err" >&2
		fail "'$*' exited $got, expected $want"
	fi
}

# The file must contain the fixed string.
expect_in() {
	grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "'$2' not found in $1"; }
}

expect_not_in() {
	if grep -qF -- "$2" "$1"; then cat "$1" >&2; fail "'$2' unexpectedly in $1"; fi
}

# Byte-identical copy check for "the vault is unchanged".
vault_snapshot() { cp "$KMVAULT_VAULT" "$T/snapshot.kmv"; }
vault_unchanged() {
	cmp -s "$KMVAULT_VAULT" "$T/snapshot.kmv" || fail "the vault file changed"
}

# The first synopsis of a help text in FILE as one line, without
# "usage: ": the terminal's wrapped continuation lines joined back.
first_synopsis() {
	sed -n '1,/^$/p' "$1" | sed 's/^usage: //; s/^ *//' |
		awk 'NR > 1 && /^kmvault / { exit } /./ { s = s (s == "" ? "" : " ") $0 }
		     END { print s }'
}
