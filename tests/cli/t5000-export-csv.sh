#!/bin/sh
# export --format csv: Excel-ready CSV read back by python's csv module;
# long IDs kept as text, formula injection neutralised, no card secrets;
# bad periods and flags rejected with the vault unchanged.
set -eu
. "$KMV_TESTS/cli/lib.sh"
. "$KMV_TESTS/cli/fixture.sh"
kmv_setup
kmv_fixture

expect_exit 0 kmv export --month 2024-03 --format csv -o "$T/r.csv"
[ "$(head -c 3 "$T/r.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "no UTF-8 BOM"
grep -q "$(printf '\r$')" "$T/r.csv" || fail "no CRLF line ends"
expect_not_in "$T/r.csv" "SECRET"
python3 - "$T/r.csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
    rows = list(csv.reader(f))
assert len(rows) == 8, rows
head = rows[0]
assert head[0] == 'ID' and head[10] == '金额', head
pay = rows[2]
assert pay[6] == '2024031522001100009999000001\t', repr(pay[6])
assert pay[8].startswith("'="), pay[8]
assert pay[10] == '48.50', pay[10]
assert rows[3][8] == "'-会员月卡+1", rows[3][8]
assert rows[4][16] == '-10.00', rows[4][16]
for r in rows:
    assert len(r) == len(head), r
PY

# --json result and the audit event
expect_exit 0 kmv --json export --from 2024-03-15 --to 2024-03-15 --format csv -o "$T/d.csv"
expect_in "$T/out" '"records":2'
expect_in "$T/out" '"total":"48.50"'
expect_exit 0 kmv log --json --limit 1
expect_in "$T/out" '"action":"export"'

# stdout
expect_exit 0 kmv export --month 2024-04 --format csv -o -
expect_in "$T/out" "2024040222001100009999000004"

# an empty month is the header and the three headline lines, all zero
expect_exit 0 kmv export --month 2023-01 --format csv -o "$T/e.csv"
[ "$(wc -l < "$T/e.csv")" -eq 4 ] || fail "empty period should give the header and the totals only"
grep -q "合计：净支出 = 支出 − 退款及收入\",\(\"\",\)*\"0.00\"" "$T/e.csv" || fail "empty period: net not 0.00"

# usage errors leave the vault alone
vault_snapshot
expect_exit 2 kmv export --month 2024-13 --format csv -o "$T/x.csv"
expect_in "$T/err" "2024-13"
expect_exit 2 kmv export --month 2024-03 --from 2024-03-01 --to 2024-03-02 --format csv -o "$T/x.csv"
expect_exit 2 kmv export --from 2024-03-05 --to 2024-03-01 --format csv -o "$T/x.csv"
expect_exit 2 kmv export --month 2024-03 --format doc -o "$T/x.csv"
expect_exit 2 kmv export --month 2024-03 --format csv
expect_exit 2 kmv export --month 2024-03 --format xlsx -o -
expect_exit 1 kmv export --month 2024-03 --format csv -o "$T/no/such/dir/x.csv"
vault_unchanged
[ ! -e "$T/x.csv" ] || fail "a rejected export wrote a file"

# --help starts with the synopsis
expect_exit 0 kmv export --help
first_synopsis "$T/out" | grep -q '^kmvault export (--month YYYY-MM | --from D --to D) --format csv|xlsx|pdf|beancount|ledger -o FILE \[--lang zh|en\]$' \
	|| fail "bad synopsis"
