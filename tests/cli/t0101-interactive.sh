#!/bin/sh
# The interactive steps on a terminal: init and passwd refuse a weak
# passphrase and ask again (zxcvbn; --weak-passphrase insists), a mistyped
# repeat asks again (3 tries), the recovery key is confirmed by typing its
# last group (not with --recovery-key-out), show --reveal asks y/N first.
# Weak passphrases from files are refused with exit 2.
set -eu
. "$KMV_TESTS/cli/lib.sh"
KMV_NO_VAULT=1 kmv_setup
unset KMVAULT_PASSPHRASE_FILE
drive() { python3 "$KMV_TESTS/cli/pty_drive.py" "$T/tty" -- "$KMVAULT_BIN" "$@"; }
strong='correct horse battery staple'

# weak, then a mismatch, then right; the key confirmed on the second try
printf 'New vault passphrase: \ta\nNew vault passphrase: \t%s\nRepeat passphrase: \tcorrect horse battery stapel\nNew vault passphrase: \t%s\nRepeat passphrase: \t%s\nto confirm you have kept it: \tXXXX\nto confirm you have kept it: \t@LAST@\n' \
	"$strong" "$strong" "$strong" > "$T/steps"
set +e
drive init --kdf interactive < "$T/steps"
got=$?
set -e
[ "$got" = 0 ] || { cat "$T/tty" >&2; fail "interactive init exited $got"; }
expect_in "$T/tty" "too easy to guess"
expect_in "$T/tty" "the passphrases do not match"
expect_in "$T/tty" "not the last group of the key above"
expect_in "$T/tty" "created vault"
[ -f "$KMVAULT_VAULT" ] || fail "no vault after init"
printf '%s\n' "$strong" > "$T/pass"
expect_exit 0 kmv --passphrase-file "$T/pass" check

# three bad confirmations: no vault is left behind
rm -f "$KMVAULT_VAULT"*
printf 'New vault passphrase: \t%s\nRepeat passphrase: \t%s\nto confirm you have kept it: \tAAAA\nto confirm you have kept it: \tBBBB\nto confirm you have kept it: \tCCCC\n' \
	"$strong" "$strong" | { set +e; drive init --kdf interactive; echo $? > "$T/rc"; }
[ "$(cat "$T/rc")" = 1 ] || { cat "$T/tty" >&2; fail "unconfirmed init exited $(cat "$T/rc")"; }
expect_in "$T/tty" "no vault was created"
[ ! -e "$KMVAULT_VAULT" ] || fail "an unconfirmed vault was left behind"

# three mismatches: exit 2, no vault
printf 'New vault passphrase: \t%s\nRepeat passphrase: \tx1\nNew vault passphrase: \t%s\nRepeat passphrase: \tx2\nNew vault passphrase: \t%s\nRepeat passphrase: \tx3\n' \
	"$strong" "$strong" "$strong" | { set +e; drive init --kdf interactive; echo $? > "$T/rc"; }
[ "$(cat "$T/rc")" = 2 ] || { cat "$T/tty" >&2; fail "three mismatches exited $(cat "$T/rc")"; }
expect_in "$T/tty" "after 3 tries"
[ ! -e "$KMVAULT_VAULT" ] || fail "a vault after three mismatches"

# --recovery-key-out: no confirmation asked; --weak-passphrase keeps 'a'
printf 'New vault passphrase: \ta\nRepeat passphrase: \ta\n' |
	{ set +e; drive init --kdf interactive --weak-passphrase --recovery-key-out "$T/rk"; echo $? > "$T/rc"; }
[ "$(cat "$T/rc")" = 0 ] || { cat "$T/tty" >&2; fail "init --weak-passphrase exited $(cat "$T/rc")"; }
expect_not_in "$T/tty" "to confirm you have kept it"
expect_not_in "$T/tty" "too easy to guess"
printf 'a\n' > "$T/weak"
expect_exit 0 kmv --passphrase-file "$T/weak" check

# passwd: weak asks again, then a strong one
printf 'Vault passphrase: \ta\nNew passphrase: \tpassword\nNew passphrase: \t%s\nRepeat new passphrase: \t%s\n' \
	"$strong" "$strong" | { set +e; drive passwd; echo $? > "$T/rc"; }
[ "$(cat "$T/rc")" = 0 ] || { cat "$T/tty" >&2; fail "interactive passwd exited $(cat "$T/rc")"; }
expect_in "$T/tty" "too easy to guess"
expect_exit 0 kmv --passphrase-file "$T/pass" check

# weak from a file: refused (exit 2), vault untouched; --weak-passphrase keeps it
vault_snapshot
expect_exit 2 kmv --passphrase-file "$T/pass" passwd --new-passphrase-file "$T/weak"
expect_in "$T/err" "too easy to guess"
vault_unchanged
rm -f "$T/v2.kmv"
expect_exit 2 kmv --vault "$T/v2.kmv" --passphrase-file "$T/weak" init --kdf interactive
[ ! -e "$T/v2.kmv" ] || fail "init made a vault with a weak passphrase"
expect_exit 0 kmv --vault "$T/v2.kmv" --passphrase-file "$T/weak" init --kdf interactive \
	--weak-passphrase --recovery-key-out "$T/rk2"

# show --reveal on a terminal asks first; N keeps the secret masked
export KMVAULT_PASSPHRASE_FILE="$T/pass"
kmv import --platform 示例卡盟 "$SAMPLES/dujiaoka_orders.csv" >/dev/null 2>&1 || fail "import failed"
id=$(kmv query --kind order --format csv | awk -F, 'NR==2 {print $1}' | tr -d '"')
printf 'written to the audit log)? [y/N] \tn\n' | { set +e; drive show "$id" --reveal; echo $? > "$T/rc"; }
[ "$(cat "$T/rc")" = 0 ] || { cat "$T/tty" >&2; fail "declined reveal exited $(cat "$T/rc")"; }
expect_in "$T/tty" "card secrets stay masked"
kmv log > "$T/log"
expect_not_in "$T/log" "reveal"
printf 'written to the audit log)? [y/N] \ty\n' | { set +e; drive show "$id" --reveal; echo $? > "$T/rc"; }
[ "$(cat "$T/rc")" = 0 ] || { cat "$T/tty" >&2; fail "reveal exited $(cat "$T/rc")"; }
expect_not_in "$T/tty" "card secrets stay masked"
kmv log > "$T/log"
expect_in "$T/log" "reveal"
# not a terminal: no question (scripts keep working)
expect_exit 0 kmv show "$id" --reveal
expect_not_in "$T/err" "[y/N]"
echo "ok"
