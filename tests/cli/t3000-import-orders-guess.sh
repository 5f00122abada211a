#!/bin/sh
# Order exports without a profile: Chinese/English header guessing, the
# mapping reported, GB18030, summary rows, missing columns and bad cells
# rejected with exit 6 and the vault unchanged.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
python3 "$KMV_TESTS/gen_order_fixtures.py" "$T/fx"

# The sample: UTF-8 with BOM, CRLF, Chinese headers.
expect_exit 0 kmv --json import --platform 示例卡盟 "$SAMPLES/orders_example-shop.csv"
expect_in "$T/out" '"kind":"orders","rows":3,"added":3,"duplicates":0'
expect_in "$T/out" 'order_no=订单号, time=下单时间, amount=订单金额'
expect_in "$T/out" 'card_secret=卡密'
expect_in "$T/out" 'platform 示例卡盟'
# Card secrets never in import output.
expect_not_in "$T/out" 'CARD-5O-AAAA-0001'

# English headers, ¥ and thousands separators, a 合计 row skipped.
expect_exit 0 kmv import "$T/fx/orders_en.csv"
expect_in "$T/out" 'orders'
expect_in "$T/err" 'order_no=Order No, time=Created At, amount=Amount'
expect_in "$T/err" 'orders_en.csv:4: row without an order number skipped'
expect_exit 0 kmv --json show EN-1002
expect_in "$T/out" '"amount":"1200.50"'
expect_in "$T/out" '"time":"2024-04-02T09:05:00+08:00"'
expect_in "$T/out" '"status":"paid"'
# The platform is the shop column's (Shop: Demo Store), never the file name.
expect_in "$T/out" '"platform":"Demo Store"'
expect_not_in "$T/out" '"platform":"en"'

# GB18030 text, synonyms with a unit suffix.
expect_exit 0 kmv import "$T/fx/orders_cn_gbk.csv"
expect_in "$T/err" 'amount=实付金额(元)'
expect_exit 0 kmv show CN-2001
expect_in "$T/out" '国标小铺'
expect_in "$T/out" 'delivered (the source says 已发卡)'
expect_in "$T/out" 'IQY-…2001'
expect_not_in "$T/out" 'IQY-CARD-0000-2001'

# Re-import: nothing added twice.
expect_exit 0 kmv --json import --platform 示例卡盟 "$SAMPLES/orders_example-shop.csv"
expect_in "$T/out" '"rows":3,"added":0,"duplicates":3'

# Rejections: exit 6, the file (and line) named, the vault unchanged.
vault_snapshot
expect_exit 6 kmv import "$T/fx/no_amount.csv"
expect_in "$T/err" 'no_amount.csv: not an order export'
expect_in "$T/err" 'missing amount'
expect_in "$T/err" 'headers seen: 订单号, 商品名称, 下单时间'
expect_exit 6 kmv import "$T/fx/bad_amount.csv"
expect_in "$T/err" "bad_amount.csv:3: bad amount 'abc'"
expect_exit 6 kmv import "$T/fx/bad_time.csv"
expect_in "$T/err" "bad_time.csv:2: bad time 'yesterday'"
expect_exit 6 kmv import --kind orders "$T/fx/broken.json"
expect_in "$T/err" 'broken.json:1: malformed JSON at column'
expect_exit 6 kmv import --kind orders "$T/fx/not_mail.txt"
expect_exit 2 kmv import --profile no-such-profile "$T/fx/orders_en.csv"
expect_in "$T/err" "unknown profile 'no-such-profile'"
vault_unchanged
