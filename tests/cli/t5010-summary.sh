#!/bin/sh
# kmvault summary: grouped net spending whose total is the report's
# headline (one computation), as a table, CSV and JSON; bad options are
# usage errors; read-only.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-03-31T12:00:00+08:00

expect_exit 0 kmv summary --help
first_synopsis "$T/out" > "$T/first"
grep -qxF "$(cat "$T/first")" "$KMV_SRC/docs/kmvault-summary.md" || fail "docs synopsis differs"

kmv import "$SAMPLES/alipay_2024-03.csv" "$SAMPLES/wechat_2024-03.csv" \
	"$SAMPLES/orders_example-shop.csv" "$SAMPLES/dujiaoka_orders.csv" \
	"$SAMPLES/receipt_dujiaoka.eml" >/dev/null 2>&1
# the report to compare with (export is audited: before the snapshot)
expect_exit 0 kmv export --month 2024-03 --format csv -o "$T/r.csv"
vault_snapshot

# the table (the default period is the current month: KMVAULT_NOW)
expect_exit 0 env LANG=C "$KMVAULT_BIN" summary
expect_in "$T/out" "platform"
# the shop's name from its 店铺 column, never the file name (issue 12.2)
expect_in "$T/out" "示例卡盟"
expect_not_in "$T/out" "example-shop"
expect_in "$T/out" "73.50"
# the headline of the export, as the total line
head=$(python3 - "$T/r.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
t = {r[1]: r[16] for r in rows if len(r) > 1 and r[1].startswith('合计')}
n = sum(1 for r in rows[1:] if r[0] and r[19] != '不计入')
print(t['合计：支出'], t['合计：退款及收入'].lstrip('-'), t['合计：净支出 = 支出 − 退款及收入'], n,
      sum(1 for r in rows[1:] if r[0] and r[19] == '不计入'))
PY
)
set -- $head
grep -q "^total  *$1  *$2  *$3  *$4\$" "$T/out" || fail "total line is not the headline ($head): $(cat "$T/out")"
[ "$2" = 200.00 ] || fail "refunds and income: $2"
expect_in "$T/out" "2024-03: net = spent - refunds and income; $5 rows count nowhere"
expect_exit 0 env LANG=zh_CN.UTF-8 "$KMVAULT_BIN" summary --month 2024-03
expect_in "$T/out" "平台"
expect_in "$T/out" "合计"

# JSON: total = the report's headline, every --by, groups summing to it
for by in platform category merchant month day; do
	expect_exit 0 kmv --json summary --month 2024-03 --by "$by"
	python3 - "$T/out" "$T/r.csv" "$by" <<'PY'
import csv, json, sys
s = json.load(open(sys.argv[1]))
rows = list(csv.reader(open(sys.argv[2], newline='', encoding='utf-8-sig')))
head = {r[1]: r[16] for r in rows if len(r) > 1 and r[1].startswith('合计')}
t = s['total']
assert t['count'] == sum(1 for r in rows[1:] if r[0] and r[19] != '不计入'), t
assert head['合计：支出'] == t['spent'] and head['合计：净支出 = 支出 − 退款及收入'] == t['net'], head
assert head['合计：退款及收入'] == '-' + t['back'], head
c = lambda v: round(float(v) * 100)
for k in ('spent', 'back', 'net'):
    assert sum(c(g[k]) for g in s['groups']) == c(t[k]), (sys.argv[3], k, s)
assert sum(g['count'] for g in s['groups']) == t['count']
assert s['uncounted'] == sum(1 for r in rows[1:] if r[0] and r[19] == '不计入')
assert s['by'] == sys.argv[3] and s['period'] == '2024-03'
if sys.argv[3] == 'month':
    assert [g['key'] for g in s['groups']] == ['2024-03'], s
if sys.argv[3] == 'day':
    keys = [g['key'] for g in s['groups']]
    assert keys == sorted(keys) and keys[0] == '2024-03-12', keys
PY
done

# --kind: only those rows
expect_exit 0 kmv --json summary --month 2024-03 --kind order
python3 - "$T/out" "$T/r.csv" <<'PY'
import csv, json, sys
s = json.load(open(sys.argv[1]))
rows = list(csv.reader(open(sys.argv[2], newline='', encoding='utf-8-sig')))
orders = [r for r in rows[1:] if r[0] and r[1] == '订单' and r[19] != '不计入']
assert s['total']['count'] == len(orders), s
assert round(float(s['total']['net']) * 100) == sum(round(float(r[16]) * 100) for r in orders), s
PY
expect_exit 0 kmv --json summary --from 2024-03-01 --to 2024-03-15 --kind payment
python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["total"]; assert t["spent"] == "82.00" and t["net"] == "82.00", t' "$T/out"

# CSV: the report's writer (BOM, CRLF, quoted), Chinese header, 合计 last
expect_exit 0 kmv summary --month 2024-03 --by category --format csv
python3 - "$T/out" <<'PY'
import csv, sys
raw = open(sys.argv[1], 'rb').read()
assert raw.startswith(b'\xef\xbb\xbf') and b'\r\n' in raw
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
assert rows[0] == ['分类', '支出', '退款及收入', '净支出', '笔数'], rows[0]
assert rows[-1][0] == '合计' and rows[-1][2] == '200.00', rows[-1]
assert sum(round(float(r[3]) * 100) for r in rows[1:-1]) == round(float(rows[-1][3]) * 100)
PY

# usage errors
expect_exit 2 kmv summary --by week
expect_in "$T/err" "unknown grouping 'week'"
expect_exit 2 kmv summary --kind refund
expect_exit 2 kmv summary --format xml
expect_exit 2 kmv summary --month 2024-13
expect_exit 2 kmv summary --month 2024-03 --from 2024-03-01 --to 2024-03-02
expect_exit 2 kmv summary --from 2024-03-01
expect_exit 2 kmv summary extra
vault_unchanged
