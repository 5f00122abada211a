#!/bin/sh
# An XLSX order export (dujiaoka rows; numeric cells: an Excel serial
# time, amounts, status code), read by the shared XLSX reader.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
python3 "$KMV_TESTS/gen_order_fixtures.py" "$T/fx"

expect_exit 0 kmv --json import --profile dujiaoka --platform 表格店 "$T/fx/dujiaoka_orders.xlsx"
expect_in "$T/out" '"kind":"orders","rows":1,"added":1'
expect_exit 0 kmv --json show X1Y2Z3A4B5C6D7E8
expect_in "$T/out" '"time":"2024-04-01T12:00:00+08:00"'
expect_in "$T/out" '"amount":"12.50"'
expect_in "$T/out" '"status":"completed"'
expect_in "$T/out" '"card_secret":"XLSX…0001"'
expect_not_in "$T/out" 'XLSX-CARD-7777-0001'
# Detected without --kind/--profile: a workbook that is not a statement.
expect_exit 0 kmv --json import --platform 表格店 "$T/fx/dujiaoka_orders.xlsx"
expect_in "$T/out" '"duplicates":1'
