#!/bin/sh
# backup restore records its "restore" event in the restored vault before
# that vault takes the live vault's place (one save: temporary file, fsync,
# .prev, rename): a failure anywhere leaves the old vault byte-identical,
# success always has the event.  Temporary files of killed restores
# (.NAME.restore-PID of older versions, .NAME.tmp-* now) are removed by the
# next writer.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
B="$T/backups"
expect_exit 0 kmv import "$SAMPLES/alipay_2024-03.csv"
expect_exit 0 kmv backup create --to "$B"
f=$(ls "$B"/kmvault-*.kmv)
kmv member add --platform NEW --expiry 2026-12-31 >/dev/null 2>&1
size=$(stat -c %s "$f")

# The disk fills after one and a half backups' worth of bytes: a restore
# that copied the backup in place first and saved its event second took
# effect without the event.  Now: all or nothing.
for budget in 0 4096 $((size / 2)) $((size + size / 2)); do
	vault_snapshot
	set +e
	KMVAULT_FAULT=write:ENOSPC:after=$budget "$KMVAULT_BIN" backup restore --force "$f" \
		</dev/null >"$T/out" 2>"$T/err"
	rc=$?
	set -e
	if [ $rc = 0 ]; then
		expect_exit 0 kmv log --json --limit 1
		expect_in "$T/out" '"action":"restore"'
		expect_exit 0 kmv check
		kmv member add --platform NEW --expiry 2026-12-31 >/dev/null 2>&1
	else
		vault_unchanged
		[ -z "$(ls "$T" | grep before-restore || true)" ] ||
			fail "a failed restore left its aside copy"
	fi
	rm -f "$T"/vault.kmv.before-restore-*
done
for fault in rename:EIO fsync:EIO; do
	vault_snapshot
	expect_exit 1 env KMVAULT_FAULT=$fault "$KMVAULT_BIN" backup restore --force "$f"
	vault_unchanged
done

# Leftovers of killed restores and saves go with the next writer.
: > "$T/.vault.kmv.restore-4242"
: > "$T/.vault.kmv.tmp-4242-deadbeef"
expect_exit 0 kmv member add --platform OTHER --expiry 2026-12-31
left=$(ls -A "$T" | grep -E '\.(restore|tmp)-' || true)
[ -z "$left" ] || fail "temporary files left after a writer ran: $left"
echo "ok"
