#!/bin/sh
# Alipay's and WeChat Pay's bill-detail pages (账单详情: what the buyer copies,
# saves or screenshots from the app) through the built-in rule sets
# alipay-bill and wechat-bill: the shop's order number from 商家订单号 /
# 商户单号, the platform's number from 订单号 / 交易单号, -30.00 as 30.00,
# WeChat's 2024年3月27日 14:05:09 read as +08:00, state paid (a payment,
# not a delivery); the receipt links to the order and to the statement's
# payment.  A receipt naming no shop shows 未知店铺, never its source kind.
# Files: tests/data/bills (see its README).
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-01T12:00:00+08:00
D="$KMV_TESTS/data/bills"

expect_exit 0 kmv --json import "$D/wechat_bill_detail.txt"
expect_in "$T/out" '"kind":"text","rows":1,"added":1'
expect_exit 0 kmv --json query --kind receipt
expect_in "$T/out" '"order_no":"T20240327140451123456"'
expect_in "$T/out" '"payment_no":"4200002182202403271234567890"'
expect_in "$T/out" '"time":"2024-03-27T14:05:09+08:00","amount":"30.00"'
expect_in "$T/out" '"status":"paid"'
expect_in "$T/out" '"platform":"示例小铺"'
expect_in "$T/out" '"product":"腾讯视频VIP季卡"'
expect_exit 0 kmv --json show 1
expect_in "$T/out" '"rule":"wechat-bill"'

expect_exit 0 kmv --json import "$D/alipay_bill_detail.html"
expect_in "$T/out" '"kind":"page","rows":1,"added":1'
expect_exit 0 kmv --json show 2
expect_in "$T/out" '"rule":"alipay-bill"'
expect_in "$T/out" '"order_no":"T20240327140451123456"'
expect_in "$T/out" '"payment_no":"2024032722001412345678901234"'
expect_in "$T/out" '"time":"2024-03-27T14:05:09+08:00","amount":"30.00"'
expect_in "$T/out" '"merchant":"深圳市示例网络科技有限公司"'

# the shop's order and the WeChat statement: both receipts meet the order
cat > "$T/orders.csv" <<'CSV'
订单号,商品名称,金额,下单时间,订单状态
T20240327140451123456,腾讯视频VIP季卡,30.00,2024-03-27 14:04:51,已支付
CSV
expect_exit 0 kmv import --platform 示例小铺 "$T/orders.csv"
expect_exit 0 kmv --json match
expect_exit 0 kmv show T20240327140451123456
expect_in "$T/out" 'the receipt names order number T20240327140451123456'
[ $(grep -c 'the receipt names order number T20240327140451123456' "$T/out") -ge 2 ] || fail 'both receipts linked'

# no shop named: 未知店铺 in the table, null in JSON, never "text"/"page"
printf '订单号：NOSHOP20240330\n实付金额：¥5.00\n下单时间：2024-03-30 09:00:00\n' > "$T/noshop.txt"
expect_exit 0 kmv import "$T/noshop.txt"
expect_exit 0 kmv query --order-no NOSHOP20240330
expect_in "$T/out" '未知店铺'
expect_not_in "$T/out" ' text '
expect_exit 0 kmv --json query --order-no NOSHOP20240330
expect_not_in "$T/out" '"platform":"text"'
expect_exit 0 kmv show NOSHOP20240330
expect_in "$T/out" '未知店铺'
echo ok
