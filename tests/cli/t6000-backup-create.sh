#!/bin/sh
# backup create with no passphrase source at all, identical-generation
# skip, a new backup after a save, list (table and JSON), bad usage.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
B="$T/backups"
nopass() { env -u KMVAULT_PASSPHRASE_FILE -u KMVAULT_PASSPHRASE \
	-u KMVAULT_PASSPHRASE_COMMAND "$KMVAULT_BIN" "$@"; }

# No passphrase source at all: create needs none (stdin is closed too).
export KMVAULT_NOW=2026-01-21T02:00:00Z
expect_exit 0 nopass backup create --to "$B"
expect_in "$T/err" "created $B/kmvault-20260121T020000Z-g1.kmv"
f="$B/kmvault-20260121T020000Z-g1.kmv"
[ -f "$f" ] || fail "no backup file"
cmp -s "$f" "$KMVAULT_VAULT" || fail "backup differs from the vault"
[ "$(stat -c %a "$f")" = 600 ] || fail "backup mode is not 0600"
[ "$(stat -c %a "$B")" = 700 ] || fail "backup dir mode is not 0700"

# Same generation an hour later: nothing copied.
export KMVAULT_NOW=2026-01-21T03:00:00Z
expect_exit 0 nopass backup create --to "$B"
expect_in "$T/err" "unchanged: $f already holds generation 1"
[ "$(ls "$B" | wc -l)" = 1 ] || fail "a second copy was made"
expect_exit 0 nopass --json backup create --to "$B"
expect_in "$T/out" '"skipped":true'
expect_exit 0 nopass --quiet backup create --to "$B"
[ ! -s "$T/out" ] && [ ! -s "$T/err" ] || fail "--quiet create printed something"

# A save makes generation 2: a new backup.
kmv member add --platform P --expiry 2026-12-31 >/dev/null 2>&1
export KMVAULT_NOW=2026-01-22T02:00:00Z
expect_exit 0 nopass --json backup create --to "$B"
expect_in "$T/out" '"file":"kmvault-20260122T020000Z-g2.kmv","skipped":false,"generation":2'

# list: table and JSON (cli.md keys), oldest first.
expect_exit 0 nopass backup list --to "$B"
expect_in "$T/out" "kmvault-20260121T020000Z-g1.kmv  2026-01-21T10:00:00+08:00"
expect_exit 0 nopass --json backup list --to "$B"
size=$(stat -c %s "$f")
expect_in "$T/out" "[{\"file\":\"kmvault-20260121T020000Z-g1.kmv\",\"created\":\"2026-01-21T10:00:00+08:00\",\"size\":$size,\"generation\":1},{\"file\":\"kmvault-20260122T020000Z-g2.kmv\""
# Foreign files are neither listed nor pruned.
echo keep > "$B/notes.txt"
expect_exit 0 nopass --json backup list --to "$B"
expect_not_in "$T/out" notes.txt

# Errors: no --to (2), no vault (7), missing backup dir for list (7).
expect_exit 2 nopass backup create
expect_exit 2 nopass backup frob
expect_exit 7 nopass --vault "$T/none.kmv" backup create --to "$B"
expect_in "$T/err" "no vault at '$T/none.kmv'"
expect_exit 7 nopass backup list --to "$T/nowhere"
# A damaged vault header is not backed up (4), nothing new in DIR.
cp "$KMVAULT_VAULT" "$T/bad.kmv"
printf 'XXXX' | dd of="$T/bad.kmv" bs=1 seek=0 conv=notrunc 2>/dev/null
expect_exit 4 nopass --vault "$T/bad.kmv" backup create --to "$B"
[ "$(ls "$B" | wc -l)" = 3 ] || fail "a damaged vault was backed up"
# Injected disk-full: exit 1, no partial file left.
export KMVAULT_NOW=2026-01-23T02:00:00Z
kmv member add --platform Q --expiry 2026-12-31 >/dev/null 2>&1
expect_exit 1 env KMVAULT_FAULT=write:ENOSPC:after=4096 "$KMVAULT_BIN" backup create --to "$B"
[ "$(ls -A "$B" | wc -l)" = 3 ] || fail "a partial backup was left behind"
echo ok
