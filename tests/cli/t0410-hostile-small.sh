#!/bin/sh
# Issue 19.12: control characters from input never reach the terminal raw;
# a FIFO or device given to import is refused at once (exit 6); passphrase
# files readable by others are warned about; KMVAULT_PASSPHRASE has the
# same length limit as the other sources and never reaches the passphrase
# command's children; a refused writer never names a finished writer.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
esc=$(printf '\033')

# A file name and a header line with terminal escapes, in error messages.
bad="$T/x$(printf '\033]0;pwned\007')y.csv"
printf 'foo%s[31m,bar\n1,2\n' "$esc" > "$bad"
expect_exit 6 kmv import "$bad"
if grep -q "$esc" "$T/err"; then fail "an escape sequence reached stderr raw"; fi
if grep -q "$(printf '\007')" "$T/err"; then fail "a BEL reached stderr raw"; fi
expect_in "$T/err" "x?]0;pwned?y.csv"

# FIFOs and devices: refused without reading (timeout: the old code blocked).
mkfifo "$T/fifo.csv"
vault_snapshot
expect_exit 6 timeout 20 "$KMVAULT_BIN" import "$T/fifo.csv"
expect_in "$T/err" "not a regular file"
expect_exit 6 timeout 20 "$KMVAULT_BIN" import /dev/zero
vault_unchanged

# Passphrase file modes.
expect_exit 0 kmv check
expect_not_in "$T/err" "other users"
chmod 644 "$T/pass"
expect_exit 0 kmv check
expect_in "$T/err" "can be read by other users"
chmod 600 "$T/pass"

# KMVAULT_PASSPHRASE: capped like files; hidden from the command's children.
long=$(python3 -c 'print("x" * 5000)')
expect_exit 2 env -u KMVAULT_PASSPHRASE_FILE KMVAULT_PASSPHRASE="$long" "$KMVAULT_BIN" check
expect_in "$T/err" "KMVAULT_PASSPHRASE is longer than"
expect_exit 0 env -u KMVAULT_PASSPHRASE_FILE KMVAULT_PASSPHRASE=decoy \
	KMVAULT_PASSPHRASE_COMMAND="env > '$T/child-env'; cat '$T/pass'" "$KMVAULT_BIN" check
expect_not_in "$T/child-env" "KMVAULT_PASSPHRASE="
expect_not_in "$T/child-env" "decoy"

# A finished writer is never named as the holder of a lock someone else has.
expect_exit 0 kmv member add --platform P --expiry 2026-12-31
hold_lock
expect_exit 5 kmv member add --platform Q --expiry 2026-12-31
expect_in "$T/err" "locked by another writer"
expect_not_in "$T/err" "member"
release_lock
echo "ok"
