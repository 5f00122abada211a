#!/bin/sh
# Order lists whose rows carry no labels: acg-faka's 购买记录 table saved as
# HTML and the same list printed to PDF give one receipt per row, each with
# its own status (已支付 × 已发货 → delivered, 已支付 × 未发货 → paid, 未支付 →
# pending_payment) and amount; the same file again adds nothing; `match`
# links them to their payments and the paid, undelivered one is the only
# `undelivered`; a list with no orders is rejected (exit 6), the vault
# unchanged.  Files: tests/data/pages (see its README,
# tests/gen_list_fixtures.py) and an Alipay statement from
# tests/gen_match_fixtures.py.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-01T12:00:00+08:00
D="$KMV_TESTS/data/pages"

rows() { # SOURCE_KIND
	kmv --json query --kind receipt | python3 -c 'import json,sys
for r in sorted(json.load(sys.stdin), key=lambda r: r["order_no"]):
    if r.get("source_kind") == sys.argv[1]:
        print(r["order_no"], r.get("status"), r.get("status_raw"), r["amount"], r.get("product"))' "$1"
}
cat > "$T/want" <<'W'
287240327193000115 paid 已支付/未发货 30.00 腾讯视频VIP季卡（手动充值）
512240326101200733 delivered 已支付/已发货 9.90 爱奇艺黄金会员月卡
903240328110000402 pending_payment 未支付/未发货 12.00 网易云音乐黑胶VIP月卡
W

expect_exit 0 kmv --json import "$D/acg-faka_purchase_record.html"
expect_in "$T/out" '"kind":"page","rows":3,"added":3'
rows page > "$T/got"
diff -u "$T/want" "$T/got" || fail "HTML list: one receipt per row"
expect_exit 0 kmv show 287240327193000115
expect_in "$T/out" 'acg-faka_purchase_record.html'
expect_in "$T/out" 'order-table'
expect_exit 0 kmv --json import "$D/acg-faka_purchase_record.html"
expect_in "$T/out" '"added":0'

expect_exit 0 kmv --json import "$D/acg-faka_purchase_record.pdf"
expect_in "$T/out" '"kind":"pdf","rows":3,"added":3'
rows pdf > "$T/got"
diff -u "$T/want" "$T/got" || fail "PDF list: one receipt per row"

# the payments: each row links to its own by the order number
python3 - "$KMV_TESTS" "$T/alipay.csv" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import gen_match_fixtures as g
co = "异次元小店"
g.ALIPAY = [
    ("2024-03-26 10:12:30", "充值缴费", co, "爱奇艺黄金会员月卡", "支出", "9.90", "交易成功", "A0733", "512240326101200733"),
    ("2024-03-27 19:30:08", "充值缴费", co, "腾讯视频VIP季卡", "支出", "30.00", "交易成功", "A0115", "287240327193000115"),
]
open(sys.argv[2], "wb").write(g.alipay())
PY
kmv import "$T/alipay.csv" >/dev/null 2>&1
expect_exit 0 kmv --json match
# per number: the PDF's receipt to the page's, the payment to both
expect_in "$T/out" '"links":5,"by_rule":{"order_no":5'
expect_exit 0 kmv --json anomalies
python3 -c 'import json,sys
for a in json.load(sys.stdin):
    print(a["type"], a["order_no"])' < "$T/out" > "$T/got"
[ "$(cat "$T/got")" = "undelivered 287240327193000115" ] || { cat "$T/got"; fail "anomalies of the list"; }

# a list with no orders: exit 6, nothing added
vault_snapshot
expect_exit 6 kmv import "$D/acg-faka_purchase_record_empty.html"
expect_in "$T/err" 'acg-faka_purchase_record_empty.html: an order list with no orders in it'
vault_unchanged
echo ok
