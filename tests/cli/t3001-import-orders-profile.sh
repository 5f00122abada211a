#!/bin/sh
# Profiles: a custom file profile (tab delimiter, header row, strptime
# format, timezone, own status words, platform) and the built-in dujiaoka
# profile over CSV and JSON; a bad profile is rejected naming its line.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
python3 "$KMV_TESTS/gen_order_fixtures.py" "$T/fx"

expect_exit 0 kmv --json import --profile "$T/fx/custom.profile" "$T/fx/custom_export.tsv"
expect_in "$T/out" '"rows":3,"added":3'
expect_in "$T/out" 'platform 自定义商城'
expect_exit 0 kmv --json show C-01
expect_in "$T/out" '"time":"2024-04-05T13:30:00+09:00"'
expect_in "$T/out" '"status":"completed","status_raw":"OK"'
expect_in "$T/out" '"card_secret":"CODE…AAAA"'
expect_in "$T/out" '"line":4'
expect_exit 0 kmv --json show C-02
expect_in "$T/out" '"status":"pending_payment"'
expect_exit 0 kmv --json show C-03
expect_in "$T/out" '"status":"refunded"'

vault_snapshot
expect_exit 6 kmv import --profile "$T/fx/bad.profile" "$T/fx/custom_export.tsv"
expect_in "$T/err" "bad.profile:4: unknown state"
vault_unchanged

# dujiaoka: status codes, info = card secrets only for delivered
# auto-delivery orders, trade_no = payment number, "title x N" stripped.
expect_exit 0 kmv import --profile dujiaoka --platform 示例小铺 "$SAMPLES/dujiaoka_orders.csv"
expect_exit 0 kmv --json show Q7M2K9X4T1B8C5D3
expect_in "$T/out" '"status":"completed","status_raw":"4"'
expect_in "$T/out" '"product":"示例会员月卡"'
expect_in "$T/out" '"payment_no":"2024032622001100009999000005"'
expect_in "$T/out" '"card_secret":"DEMO…0001"'
expect_in "$T/out" '"unit_price":"9.90"'
expect_exit 0 kmv --json show H3N8P2Q6R9S4T7V1
expect_in "$T/out" '"status":"processing","status_raw":"2"'
expect_in "$T/out" '"card_secret":null'
expect_in "$T/out" '"memo":"请充值到角色ID 10086"'
# The table shows the state's label, not the shop's code ("2", "4").
expect_exit 0 kmv query --kind order --order-no H3N8P2Q6R9S4T7V1
expect_in "$T/out" 'processing'
kmv_zh query --kind order --order-no H3N8P2Q6R9S4T7V1 > "$T/zh"
expect_in "$T/zh" '处理中'
expect_not_in "$T/out" '  2  '

# JSON export ({"data": [...]}), numbers as numbers, epoch times, -1.
expect_exit 0 kmv --json import --profile dujiaoka "$T/fx/dujiaoka_orders.json"
expect_in "$T/out" '"rows":2,"added":2'
expect_exit 0 kmv --json show J1A2B3C4D5E6F7G8
expect_in "$T/out" '"amount":"10.50"'
expect_in "$T/out" '"quantity":2'
expect_in "$T/out" '"card_secret":"JSON…0001, JSON…0002"'
expect_exit 0 kmv --json show J9Z8Y7X6W5V4U3T2
expect_in "$T/out" '"status":"expired"'
expect_in "$T/out" '"time":"2024-04-01T08:00:00+08:00"'
