#!/bin/sh
# Writer lock (exit 5, --wait), injected write failures (exit 1, vault
# byte-identical), no temporary or journal files left behind.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
printf 'not a statement at all\n' > "$T/junk.txt"

# Hold the lock like another writer would (flock on the lock file).
hold_lock
vault_snapshot
expect_exit 5 kmv passwd --new-passphrase-file "$T/pass"
expect_in "$T/err" "locked by another writer"
vault_unchanged
# Readers need no lock.
expect_exit 0 kmv check
# --wait outlasts the holder.
(sleep 1; printf 'go\n' > "$HOME/lockfifo") &
expect_exit 0 kmv --wait 20 passwd --new-passphrase-file "$T/pass"
wait

# A killed writer leaves no stale lock: flock dies with the process.
hold_lock
kill -9 $holder
wait $holder 2>/dev/null || true
# The orphaned command ends too, if flock had started it before the kill:
# killed between taking the lock and forking, flock leaves no reader, and
# an open of the fifo would wait for one for ever (a clean run hung here).
timeout 10 sh -c 'printf "go\n" > "$0"' "$HOME/lockfifo" || true
expect_exit 0 kmv passwd --new-passphrase-file "$T/pass"

# Injected disk-full / I/O errors during save: exit 1, old vault intact.
for fault in write:ENOSPC:after=0 write:ENOSPC:after=4096 short-write:after=1000 fsync:EIO rename:EIO; do
	vault_snapshot
	expect_exit 1 env KMVAULT_FAULT=$fault "$KMVAULT_BIN" passwd --new-passphrase-file "$T/pass"
	expect_in "$T/err" "left unchanged"
	vault_unchanged
	expect_exit 0 kmv check
done

# Rejected input: exit 6, nothing written.
vault_snapshot
expect_exit 6 kmv import "$T/junk.txt"
expect_in "$T/err" "junk.txt"
vault_unchanged

# Only the vault, its previous generation and the lock file remain.
extra=$(ls -A "$T" | grep -Ev '^(vault\.kmv|vault\.kmv\.prev|vault\.kmv\.lock|pass|recovery|junk\.txt|out|err|snapshot\.kmv|home)$' || true)
[ -z "$extra" ] || fail "unexpected files left behind: $extra"
echo "ok"
