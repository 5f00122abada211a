#!/bin/sh
# Reports that add up (issue 14 point 3): for several fixtures the CSV,
# XLSX and PDF (through pdftotext) each print totals equal to the sum of
# their rows, 净支出 = 支出 − 退款及收入, and the three agree.  A closed
# purchase is not spending and its refund returns nothing; a refund
# reduces the month it happened in; an order paid through its payment
# counts once; anomalous rows are marked; values are Chinese words.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-20T12:00:00+08:00

# reconcile MONTH: export the three formats and print "spent back net"
reconcile() {
	expect_exit 0 kmv export --month "$1" --format csv -o "$T/r.csv"
	expect_exit 0 kmv export --month "$1" --format xlsx -o "$T/r.xlsx"
	expect_exit 0 kmv export --month "$1" --format pdf -o "$T/r.pdf"
	qpdf --check "$T/r.pdf" >/dev/null || fail "qpdf --check ($1)"
	pdftotext -layout -enc UTF-8 "$T/r.pdf" "$T/r.txt"
	python3 "$KMV_TESTS/report_check.py" "$T/r.csv" "$T/r.xlsx" "$T/r.txt" \
		> "$T/sums" || fail "the report for $1 does not add up"
	cat "$T/sums"
}

# 1. the bundled samples, before match
kmv import "$SAMPLES/alipay_2024-03.csv" "$SAMPLES/wechat_2024-03.csv" \
	"$SAMPLES/orders_example-shop.csv" "$SAMPLES/dujiaoka_orders.csv" \
	"$SAMPLES/receipt_dujiaoka.eml" >/dev/null 2>&1
# 支出 33.50 + 48.50 + 25.00 + 8.00 + 5.20, and the two dujiaoka orders
# (9.90 completed, 30.00 processing: the built-in profile reads their
# status without --profile) paid with no payment record yet; 退款及收入
# the 200.00 income; the closed 12.00 purchase and its refund count nowhere
[ "$(reconcile 2024-03)" = "16010 20000 -3990" ] || fail "sample totals: $(cat "$T/sums")"
python3 - "$T/r.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
by = {r[8]: r for r in rows[1:] if r[0]}
assert by['洗衣液'][19] == '不计入' and by['洗衣液'][20] == '交易关闭，不是支出', by['洗衣液']
assert by['退款-洗衣液'][19] == '不计入', by['退款-洗衣液']
assert by['退款-洗衣液'][20].startswith('所退付款未计入支出'), by['退款-洗衣液']
order = [r for r in rows[1:] if r[5] == 'KM20240315000101' and r[1] == '订单'][0]
assert order[19] == '不计入' and order[20].startswith('已通过付款计入'), order
assert [r[12] for r in rows[1:] if r[1] == '回执'] == ['已发货']
PY
for word in completed delivered deliver- pending_payment duplicate_charge; do
	expect_not_in "$T/r.txt" "$word"
done
expect_in "$T/r.txt" "2024031522001100009999000003"   # never wrapped
expect_in "$T/r.txt" "净支出 = 支出 − 退款及收入"
expect_in "$T/r.txt" "三、不计入的记录"
expect_in "$T/r.txt" "交易关闭，不是支出"
expect_in "$T/r.txt" "每日净支出"
expect_in "$T/r.txt" "按平台净支出"
expect_in "$T/r.txt" "日期（月-日）"

# 2. the match fixtures after match: anomalies marked on their rows
kmv_new_vault "$T/v2.kmv" "$T/rec2"
kmv_scenario matched
sums=$(reconcile 2024-03)
echo "match fixture: $sums"
expect_in "$T/r.txt" "【异常：重复扣款】"
expect_in "$T/r.txt" "【重复扣款】订单 KM007"
python3 - "$T/r.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
marked = [r for r in rows[1:] if r[21]]
assert any('重复扣款' in r[21] for r in marked), marked
assert not any(c in ('duplicate_charge', 'order', 'out', 'completed') for r in rows for c in r)
PY
# anomalies and the report agree on what paid the duplicate order:
# both KM007 charges count, the order itself does not
python3 - "$T/r.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
km7 = [r for r in rows[1:] if r[7] == 'KM007' or r[5] == 'KM007']
assert sorted(r[19] for r in km7) == ['不计入', '支出', '支出'], km7
PY

# 3. a refund in March of a February purchase reduces March, not February
export KMVAULT_VAULT="$T/v3.kmv"
kmv init --kdf interactive --recovery-key-out "$T/rec3" >/dev/null 2>&1
python3 - "$KMV_TESTS" "$T/cross.csv" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import gen_match_fixtures as g
CO = g.CO
g.ALIPAY = [
    ("2024-02-20 10:01:00", "充值缴费", CO, "游戏点卡 40元", "支出", "40.00", "交易成功", "B001", "KM101"),
    ("2024-02-21 09:00:00", "日用百货", "示例超市", "纸巾", "支出", "9.00", "交易关闭", "B002", "M2"),
    ("2024-02-22 09:00:00", "日用百货", "示例超市", "牙刷", "支出", "6.00", "支付失败", "B003", "M3"),
    ("2024-03-02 10:00:00", "退款", CO, "退款-游戏点卡 40元", "不计收支", "40.00", "退款成功", "B001_1709344800", "KM101"),
    ("2024-03-05 12:00:00", "餐饮美食", "示例面馆", "午餐", "支出", "30.00", "交易成功", "B004", "T1"),
]
open(sys.argv[2], "wb").write(g.alipay())
PY
kmv import "$T/cross.csv" >/dev/null 2>&1
[ "$(reconcile 2024-02)" = "4000 0 4000" ] || fail "February: $(cat "$T/sums")"
[ "$(reconcile 2024-03)" = "3000 4000 -1000" ] || fail "March: $(cat "$T/sums")"
expect_in "$T/r.csv" "退款（#1）"
