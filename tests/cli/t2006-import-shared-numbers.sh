#!/bin/sh
# import: statement rows that share a transaction number are all kept
# (issue 12.1).  The JD bill of tests/data/jd (real layout, see its README)
# has a purchase whose three 退款- rows carry the purchase's 交易订单号.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
JD="$KMV_TESTS/data/jd"

# Every row is a record; one warning for the file gives the count.
expect_exit 0 kmv --json import "$JD/jd_example_records.csv"
expect_in "$T/out" '"kind":"jd","rows":12,"added":12,"duplicates":0'
expect_in "$T/err" '4 rows share a transaction number with another row: kept as separate records'
[ "$(grep -c 'share a transaction number' "$T/err")" = 1 ] || fail "one warning per file"
expect_exit 0 kmv --json query --text 退款-freeplus
[ "$(grep -o '"payment_no":"88438843884"' "$T/out" | wc -l)" = 3 ] ||
	fail "the three refunds of 88438843884 are kept"

# Re-importing the same file adds nothing.
expect_exit 0 kmv --json import "$JD/jd_example_records.csv"
expect_in "$T/out" '"rows":12,"added":0,"duplicates":12'

# The refunds are refunds of the purchase (linked through its number).
expect_exit 0 kmv match
expect_in "$T/out" 'refund 3'
expect_exit 0 kmv show 5
expect_in "$T/out" 'refunds 1.00 of payment #4 (223.99), as the statement shows'
expect_exit 0 kmv show 11
expect_in "$T/out" 'refunds 112.98 of payment #4 (223.99)'

# An overlapping later export: the shared-number rows inside the overlap
# add nothing, the new refund outside it (same number) is added and linked.
expect_exit 0 kmv --json import "$JD/jd_example_overlap.csv"
expect_in "$T/out" '"rows":5,"added":2,"duplicates":3'
expect_exit 0 kmv --json import "$JD/jd_example_overlap.csv"
expect_in "$T/out" '"rows":5,"added":0,"duplicates":5'
expect_exit 0 kmv match
expect_exit 0 kmv show 13
expect_in "$T/out" 'refunds 5.00 of payment #4 (223.99)'
expect_exit 0 kmv --json query --text freeplus
[ "$(grep -o '"payment_no":"88438843884"' "$T/out" | wc -l)" = 5 ] || fail "purchase and four refunds"
expect_exit 0 kmv check
