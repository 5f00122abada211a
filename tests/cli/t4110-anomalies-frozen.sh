#!/bin/sh
# card-system's 已冻结 (Order::STATUS_FROZEN): a frozen order with a charge
# is paid and not delivered: `undelivered`, its reason saying the shop froze
# it (English and Chinese); a frozen order with no charge seen is no finding
# (card-system freezes unpaid orders too) and adds nothing to a report.
# Files: tests/data/shops (see its README) and an Alipay statement from
# tests/gen_match_fixtures.py.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-01T12:00:00+08:00
D="$KMV_TESTS/data/shops"

# the buyer paid 20240322214000Fz2Ke (frozen) and 20240327193000Hn4Tc (paid)
python3 - "$KMV_TESTS" "$T/alipay.csv" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import gen_match_fixtures as g
co = "发卡小站"
g.ALIPAY = [
    ("2024-03-22 21:41:00", "充值缴费", co, "哔哩哔哩大会员月卡", "支出", "15.00", "交易成功", "A1203", "20240322214000Fz2Ke"),
    ("2024-03-27 19:31:00", "充值缴费", co, "腾讯视频VIP季卡", "支出", "30.00", "交易成功", "A1206", "20240327193000Hn4Tc"),
]
open(sys.argv[2], "wb").write(g.alipay())
PY
kmv import "$T/alipay.csv" >/dev/null 2>&1
kmv import --platform 发卡小站 "$D/card-system_record_get.json" >/dev/null 2>&1
kmv match >/dev/null

expect_exit 0 kmv --json anomalies --type undelivered
python3 -c 'import json,sys
for a in json.load(sys.stdin):
    print(a["type"], a["order_no"], a["amount"], len(a["records"]))' < "$T/out" > "$T/got"
cat > "$T/want" <<'W'
undelivered 20240322214000Fz2Ke 15.00 2
undelivered 20240327193000Hn4Tc 30.00 2
W
diff -u "$T/want" "$T/got" || fail "frozen and paid: undelivered"

expect_exit 0 env LANG=C "$KMVAULT_BIN" anomalies --order-no 20240322214000Fz2Ke
expect_in "$T/out" "still shows 'frozen'"
expect_in "$T/out" 'The shop froze the order'
expect_in "$T/out" 'why order 20240322214000Fz2Ke was frozen'
expect_in "$T/out" 'quoting payment A1203'
expect_exit 0 kmv_zh anomalies --order-no 20240322214000Fz2Ke
expect_in "$T/out" '“已冻结”'
expect_in "$T/out" '店铺已冻结该订单'
expect_in "$T/out" '被冻结的原因'
# the plain paid order keeps the plain words
expect_exit 0 env LANG=C "$KMVAULT_BIN" anomalies --order-no 20240327193000Hn4Tc
expect_not_in "$T/out" 'froze'

# the report: the frozen order counts once, through its payment
expect_exit 0 kmv export --month 2024-03 --format csv -o "$T/r.csv"
why() {
	python3 - "$T/r.csv" "$1" <<'PY'
import csv, sys
for r in csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig")):
    if r[1] == "订单" and r[5] == sys.argv[2]:
        print(r[12], r[16], r[19], r[20])
PY
}
[ "$(why 20240322214000Fz2Ke)" = "已冻结 0.00 不计入 已通过付款计入（#1）" ] ||
	fail "frozen order in the report: $(why 20240322214000Fz2Ke)"

# a second vault: the frozen order alone (no charge seen) is no finding
export KMVAULT_VAULT="$T/v2.kmv"
kmv init --kdf interactive --recovery-key-out "$T/rec2" >/dev/null 2>&1
kmv import --platform 发卡小站 "$D/card-system_record_get.json" >/dev/null 2>&1
kmv match >/dev/null
expect_exit 0 kmv --json anomalies --type undelivered
expect_not_in "$T/out" '20240322214000Fz2Ke'
expect_exit 0 kmv export --month 2024-03 --format csv -o "$T/r.csv"
[ "$(why 20240322214000Fz2Ke)" = "已冻结 0.00 不计入 订单已被店铺冻结，未见付款" ] ||
	fail "frozen order alone in the report: $(why 20240322214000Fz2Ke)"
echo ok
