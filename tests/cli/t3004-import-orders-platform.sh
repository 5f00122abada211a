#!/bin/sh
# import: a shop's name comes from the data, never from the file name
# (issue 12.2); the same orders under any name add nothing; --platform
# later fills in the unknown platform instead of copying.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup

# A 店铺 column names the shop; the file name plays no part.
cp "$SAMPLES/orders_example-shop.csv" "$T/订单导出-20260310120000.csv"
expect_exit 0 kmv --json import "$T/订单导出-20260310120000.csv"
expect_in "$T/out" '"rows":3,"added":3'
expect_exit 0 kmv --json show KM20240315000101
expect_in "$T/out" '"platform":"示例卡盟"'
cp "$SAMPLES/orders_example-shop.csv" "$T/orders.csv"
expect_exit 0 kmv --json import "$T/orders.csv"
expect_in "$T/out" '"rows":3,"added":0,"duplicates":3'

# dujiaoka's orders table names no shop: unknown (未知店铺), with a warning
# saying how to set it; never 'dujiaoka_orders' or 'phpmyadmin'.
cp "$SAMPLES/dujiaoka_orders.csv" "$T/phpmyadmin.csv"
expect_exit 0 kmv --json import --profile dujiaoka "$T/phpmyadmin.csv"
expect_in "$T/out" '"rows":2,"added":2'
expect_in "$T/err" "orders name no shop: kept as 未知店铺 (unknown shop); set it with 'kmvault import --platform NAME' on this file, or 'kmvault edit ID --platform NAME'"
expect_exit 0 kmv show Q7M2K9X4T1B8C5D3
expect_in "$T/out" 'platform        未知店铺'
expect_not_in "$T/out" 'platform        phpmyadmin'
expect_exit 0 kmv_zh show Q7M2K9X4T1B8C5D3
expect_in "$T/out" '未知店铺（可用“kmvault edit 编号 --platform 店铺名”设置）'
expect_exit 0 kmv query --kind order
expect_in "$T/out" '未知店铺'
expect_exit 0 kmv --json query --order-no Q7M2K9X4T1B8C5D3
expect_in "$T/out" '"platform":null'
expect_exit 0 kmv anomalies
expect_not_in "$T/out" 'phpmyadmin'

# The same export under another name adds nothing.
expect_exit 0 kmv --json import --profile dujiaoka "$SAMPLES/dujiaoka_orders.csv"
expect_in "$T/out" '"rows":2,"added":0'

# With --platform: the unknown platform is filled in, nothing copied.
expect_exit 0 kmv --json import --profile dujiaoka --platform 示例小铺 "$T/phpmyadmin.csv"
expect_in "$T/out" '"rows":2,"added":0,"duplicates":0'
expect_in "$T/out" '"updated":2'
expect_exit 0 kmv --json query --kind order --platform 示例小铺
[ "$(grep -o '"kind":"order"' "$T/out" | wc -l)" = 2 ] || fail "two orders of 示例小铺"
expect_exit 0 kmv --json query --kind order
[ "$(grep -o '"kind":"order"' "$T/out" | wc -l)" = 5 ] || fail "nothing copied"
# ... and later imports, with or without it, add nothing.
expect_exit 0 kmv --json import --profile dujiaoka "$T/phpmyadmin.csv"
expect_in "$T/out" '"added":0'
expect_exit 0 kmv --json import --profile dujiaoka --platform 示例小铺 "$SAMPLES/dujiaoka_orders.csv"
expect_in "$T/out" '"added":0'
expect_exit 0 kmv check
