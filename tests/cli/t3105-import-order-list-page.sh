#!/bin/sh
# An order list saved from a shop (dujiaoka's 订单查询 result, one card per
# order) gives one receipt per order, each at its line, with its number,
# amount, time and product; the same file again adds nothing; a page of
# one order stays one receipt.  File: tests/data/shops/dujiaoka_orderinfo.html
# (see its README).
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-01T12:00:00+08:00
D="$KMV_TESTS/data/shops"

expect_exit 0 kmv --json import "$D/dujiaoka_orderinfo.html"
expect_in "$T/out" '"kind":"page","rows":3,"added":3'
expect_exit 0 kmv --json query --kind receipt
python3 -c 'import json,sys
for r in sorted(json.load(sys.stdin), key=lambda r: r["time"]):
    print(r["order_no"], r["amount"], r["time"], r.get("product"))' < "$T/out" > "$T/list"
cat > "$T/want" <<'W'
Q7M2K9X4T1B8C5D3 9.90 2024-03-26T09:12:00+08:00 示例会员月卡
H3N8P2Q6R9S4T7V1 19.90 2024-03-26T10:00:00+08:00 代充服务
P5W8E2R7T4Y1U6I3 30.00 2024-03-27T20:15:00+08:00 示例季卡
W
cmp "$T/list" "$T/want" || { diff "$T/list" "$T/want"; fail "one receipt per order"; }
expect_exit 0 kmv show P5W8E2R7T4Y1U6I3
expect_in "$T/out" 'dujiaoka_orderinfo.html'
expect_in "$T/out" 'line'
expect_exit 0 kmv --json import "$D/dujiaoka_orderinfo.html"
expect_in "$T/out" '"added":0'

# a page of one order: one receipt, as before
python3 "$KMV_TESTS/gen_page_fixtures.py" "$T/fx"
expect_exit 0 kmv --json import "$T/fx/order-page.html"
expect_in "$T/out" '"rows":1,"added":1'
echo ok
