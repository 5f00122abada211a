#!/bin/sh
# import (--profile generic, the header guessing): the amount column of real shop exports is
# found under its many names, the actually-paid one preferred when there
# are several, and price × num when there is no total.  Issue 20.3; the
# files and where their layouts come from: tests/data/shop-exports/.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
D="$KMV_TESTS/data/shop-exports"

amount_of() { # PLATFORM ORDER_NO
	kmv query --json --kind order --platform "$1" --order-no "$2" |
		python3 -c 'import json,sys; r=json.load(sys.stdin); print(r[0]["amount"] if r else "none")'
}
check() { # FILE ORDER_NO AMOUNT COLUMN-TEXT
	expect_exit 0 kmv import --profile generic --platform "$1" "$D/$1.csv"
	expect_in "$T/err" "$4"
	got=$(amount_of "$1" "$2")
	[ "$got" = "$3" ] || fail "$1: order $2 amount $got, expected $3"
}

check dujiaoka_admin_grid DJK20260301120000AAAA 18.00 'amount=实际支付价格'
check zfaka_t_order zlkb20260305103000123 28.50 'amount=paymoney'
# acg-faka's admin export (tests/data/shops): 金额 beside 分站手续费 and
# 接口手续费, never a fee
expect_exit 0 kmv import --profile generic --platform acg-export "$KMV_TESTS/data/shops/订单导出-20240329120000.csv"
expect_in "$T/err" 'amount=金额'
got=$(amount_of acg-export 287240328101500327)
[ "$got" = 15.50 ] || fail "acg-faka export: amount $got, expected 15.50"
check mall_admin_orders MALL20260308001 98.80 'amount=实付款'
check order_list_pay_amount PAY20260309001 23.00 'amount=支付金额'
check zfaka_query_price_num zlkb20260310080000789 50.00 'amount=单价 × 数量'

# zfaka: time from epoch seconds (addtime), paytime 0 is no time, the
# number and unit price kept.
expect_exit 0 kmv query --json --platform zfaka_t_order --order-no zlkb20260305103000123
expect_in "$T/out" '"time":"2026-03-05T10:30:00+08:00"'
expect_in "$T/out" '"quantity":3'
expect_exit 0 kmv query --json --platform zfaka_t_order --order-no zlkb20260306110000456
expect_in "$T/out" '"amount":"0.00"'

# No amount column and no unit price × quantity: exit 6 naming the file.
printf '订单号,商品名称,单价,下单时间\nX1,示例,9.90,2026-03-01 10:00:00\n' > "$T/noqty.csv"
vault_snapshot
expect_exit 6 kmv import --platform x "$T/noqty.csv"
expect_in "$T/err" 'noqty.csv'
expect_in "$T/err" 'missing'
expect_in "$T/err" 'amount'
vault_unchanged
echo "ok"
