#!/bin/sh
# Evidence bundles and exports appear under their names only after the
# vault that records them (signing key, audit event) is saved: a failed
# save leaves no bundle, no query, no report and no temporary file.
set -eu
. "$KMV_TESTS/cli/lib.sh"
. "$KMV_TESTS/cli/fixture.sh"
kmv_setup
kmv_fixture
export KMVAULT_NOW=2024-04-10T09:00:00+08:00
mkdir "$T/o"

no_leftovers() { # what
	left=$(ls -A "$T/o")
	[ -z "$left" ] || fail "$1 left files behind: $left"
}

# The vault's save fails (its final rename): nothing may be left.
vault_snapshot
for fault in rename:EIO write:ENOSPC:after=0 fsync:EIO; do
	expect_exit 1 env KMVAULT_FAULT=$fault "$KMVAULT_BIN" evidence create \
		"$FIX_ORDER" -o "$T/o/b.zip"
	no_leftovers "a failed evidence create ($fault)"
	vault_unchanged
	for fmt in csv xlsx pdf; do
		# An export adds only its audit event, a save that appends
		# (no rename): its faults are the write and the sync.
		[ "$fault" = rename:EIO ] && continue
		expect_exit 1 env KMVAULT_FAULT=$fault "$KMVAULT_BIN" export \
			--month 2024-03 --format $fmt -o "$T/o/r.$fmt"
		no_leftovers "a failed export --format $fmt ($fault)"
		vault_unchanged
	done
done
# An existing report is not replaced by a failed export either.
printf 'old\n' > "$T/o/r.csv"
expect_exit 1 env KMVAULT_FAULT=fsync:EIO "$KMVAULT_BIN" export \
	--month 2024-03 --format csv -o "$T/o/r.csv"
[ "$(cat "$T/o/r.csv")" = old ] || fail "a failed export replaced the old report"
rm "$T/o/r.csv"
# Standard output gets nothing from a failed export.
expect_exit 1 env KMVAULT_FAULT=fsync:EIO "$KMVAULT_BIN" export \
	--month 2024-03 --format csv -o -
[ ! -s "$T/out" ] || fail "a failed export wrote to standard output"

# Success: the bundle, its query and the key are there, no temporary files.
expect_exit 0 kmv evidence create "$FIX_ORDER" -o "$T/o/b.zip"
[ -s "$T/o/b.zip" ] && [ -s "$T/o/b.zip.tsq" ] || fail "bundle or query missing"
expect_exit 0 kmv evidence pubkey
cp "$T/out" "$T/key.pub"
expect_exit 0 kmv evidence verify "$T/o/b.zip" --pubkey "$T/key.pub"
sha=$(sha256sum "$T/o/b.zip" | cut -d' ' -f1)
expect_exit 0 kmv log --json --limit 1
expect_in "$T/out" "$sha"
expect_exit 0 kmv export --month 2024-03 --format csv -o "$T/o/r.csv"
[ -s "$T/o/r.csv" ] || fail "no report"
left=$(ls -A "$T/o" | grep -c '\.tmp-' || true)
[ "$left" = 0 ] || fail "temporary files left after success"

expect_exit 0 kmv export --month 2024-03 --format csv -o -
expect_in "$T/out" "订单"
echo "ok"
