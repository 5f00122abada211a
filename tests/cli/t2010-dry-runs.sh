#!/bin/sh
# Dry runs change nothing and say what the real run would do:
# import --dry-run (added / already present, bad files still rejected),
# match --dry-run (links it would add and remove), backup create
# --dry-run (the copy it would make, the backups the keep rules would
# prune).
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup

# import
vault_snapshot
expect_exit 0 kmv import --dry-run "$SAMPLES/alipay_2024-03.csv"
vault_unchanged
expect_in "$T/err" "dry run"
grep -q 'alipay' "$T/out" || fail "dry-run import has no report"
cp "$T/out" "$T/dry"
expect_exit 0 kmv import "$SAMPLES/alipay_2024-03.csv"
cmp -s "$T/out" "$T/dry" || { diff "$T/dry" "$T/out" >&2; fail "the dry run's report differs from the import's"; }
vault_snapshot
expect_exit 0 kmv --json import --dry-run "$SAMPLES/alipay_2024-03.csv"
expect_in "$T/out" '"added":0'
vault_unchanged
printf 'not a statement\n' > "$T/junk.csv"
expect_exit 6 kmv import --dry-run "$T/junk.csv"
vault_unchanged

# match
expect_exit 0 kmv import --platform 示例卡盟 "$SAMPLES/orders_example-shop.csv"
vault_snapshot
expect_exit 0 kmv --json match --dry-run
vault_unchanged
expect_in "$T/err" "dry run"
added=$(sed -n 's/.*"added":\([0-9]*\).*/\1/p' "$T/out")
[ -n "$added" ] && [ "$added" -gt 0 ] || { cat "$T/out" >&2; fail "match --dry-run would add nothing"; }
cp "$T/out" "$T/drymatch"
expect_exit 0 kmv --json match
cmp -s "$T/out" "$T/drymatch" || { diff "$T/drymatch" "$T/out" >&2; fail "match --dry-run differs from match"; }
vault_snapshot
expect_exit 0 kmv --json match --dry-run
expect_in "$T/out" '"added":0'
vault_unchanged

# backup create: the same prune as the real run, nothing touched
B="$T/backups"
mkdir -m 700 "$B"
for d in 01 02 03 04 05 06 07 08 09 10; do
	cp "$KMVAULT_VAULT" "$B/kmvault-202601${d}T020000Z-g$d.kmv"
done
export KMVAULT_NOW=2026-01-21T02:00:00Z
ls -l "$B" > "$T/before"
expect_exit 0 kmv backup create --dry-run --to "$B" --keep-daily 3
ls -l "$B" > "$T/after"
cmp -s "$T/before" "$T/after" || fail "backup create --dry-run touched the directory"
expect_in "$T/out" "would create $B/kmvault-20260121T020000Z-g"
grep '^would prune ' "$T/out" | sed "s|^would prune $B/||" | sort > "$T/wouldprune"
[ "$(wc -l < "$T/wouldprune")" = 8 ] || { cat "$T/out" >&2; fail "dry run should prune 8"; }
expect_exit 0 kmv --json backup create --dry-run --to "$B" --keep-daily 3
expect_in "$T/out" '"dry_run":true'
expect_exit 0 kmv --json backup create --to "$B" --keep-daily 3
sed -n 's/.*"pruned":\[\(.*\)\].*/\1/p' "$T/out" | tr ',' '\n' | tr -d '"' | sort > "$T/pruned"
cmp -s "$T/pruned" "$T/wouldprune" || { diff "$T/wouldprune" "$T/pruned" >&2; fail "the dry run named other backups than the real prune"; }
echo "ok"
