#!/bin/sh
# backup verify: intact (0), flipped byte / truncated / bad header (4),
# wrong passphrase (3), missing file (7), no passphrase source (2).
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
B="$T/backups"
kmv member add --platform P --expiry 2026-12-31 >/dev/null 2>&1
expect_exit 0 kmv backup create --to "$B"
f=$(ls "$B"/kmvault-*.kmv)

expect_exit 0 kmv backup verify "$f"
expect_in "$T/err" "is intact: generation 2, 2 audit events verified"
expect_exit 0 kmv --json backup verify "$f"
expect_in "$T/out" '"ok":true,"generation":2,"events":2'
# The recovery key works too.
expect_exit 0 env -u KMVAULT_PASSPHRASE_FILE "$KMVAULT_BIN" \
	--recovery-key-file "$T/recovery" backup verify "$f"

size=$(stat -c %s "$f")
cp "$f" "$T/flip.kmv"
flip_byte "$T/flip.kmv" $((size - 200))
cmp -s "$f" "$T/flip.kmv" && fail "fixture not changed"
expect_exit 4 kmv backup verify "$T/flip.kmv"
expect_in "$T/err" "corrupt"
head -c $((size - 1000)) "$f" > "$T/short.kmv"
expect_exit 4 kmv backup verify "$T/short.kmv"
cp "$f" "$T/head.kmv"
flip_byte "$T/head.kmv" 20
expect_exit 4 env -u KMVAULT_PASSPHRASE_FILE "$KMVAULT_BIN" backup verify "$T/head.kmv"

printf 'wrong\n' > "$T/wrong"
expect_exit 3 kmv --passphrase-file "$T/wrong" backup verify "$f"
expect_exit 7 kmv backup verify "$T/nothing.kmv"
expect_exit 2 env -u KMVAULT_PASSPHRASE_FILE setsid -w "$KMVAULT_BIN" backup verify "$f"
expect_exit 2 kmv backup verify
echo ok
