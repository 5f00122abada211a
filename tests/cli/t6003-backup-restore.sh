#!/bin/sh
# backup restore: refuses without --force (exit 1, vault unchanged),
# verifies first (a corrupt backup changes nothing), keeps the replaced
# vault aside, records a "restore" audit event; restore into an empty
# place needs no --force.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
B="$T/backups"
kmv member add --platform OLD --expiry 2026-12-31 >/dev/null 2>&1
expect_exit 0 kmv backup create --to "$B"
f=$(ls "$B"/kmvault-*.kmv)
kmv member add --platform NEW --expiry 2026-12-31 >/dev/null 2>&1

vault_snapshot
expect_exit 1 kmv backup restore "$f"
expect_in "$T/err" "use 'backup restore --force'"
vault_unchanged
expect_exit 7 kmv backup restore --force "$T/none.kmv"
vault_unchanged
size=$(stat -c %s "$f")
cp "$f" "$T/bad.kmv"
flip_byte "$T/bad.kmv" $((size - 200))
expect_exit 4 kmv backup restore --force "$T/bad.kmv"
vault_unchanged
[ -z "$(ls "$T" | grep before-restore || true)" ] || fail "aside left by a failed restore"

# Another writer holds the lock: exit 5, nothing changed; backups need no lock.
hold_lock
expect_exit 5 kmv backup restore --force "$f"
expect_exit 0 env -u KMVAULT_PASSPHRASE_FILE "$KMVAULT_BIN" backup create --to "$T/b2"
release_lock
vault_unchanged

export KMVAULT_NOW=2026-02-01T12:00:00+08:00
expect_exit 0 kmv backup restore --force "$f"
expect_in "$T/err" "restored '$KMVAULT_VAULT'"
aside="$KMVAULT_VAULT.before-restore-20260201T040000Z"
expect_in "$T/err" "kept as '$aside'"
cmp -s "$aside" "$T/snapshot.kmv" || fail "the aside copy is not the old vault"
expect_exit 0 kmv --json member list
expect_in "$T/out" '"platform":"OLD"'
expect_not_in "$T/out" '"platform":"NEW"'
expect_exit 0 kmv log
expect_in "$T/out" "restore"
expect_exit 0 kmv check
# The old vault can still be opened from the aside copy.
expect_exit 0 kmv --vault "$aside" --json member list
expect_in "$T/out" '"platform":"NEW"'

# Into an empty place (a lost vault): no --force needed.
expect_exit 0 kmv --vault "$T/fresh/vault.kmv" --json backup restore "$f"
expect_in "$T/out" '"aside":null'
expect_exit 0 kmv --vault "$T/fresh/vault.kmv" check
echo ok
