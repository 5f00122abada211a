#!/bin/sh
# import: WeChat Pay CSV and both XLSX layouts, quirks of the CSV.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
F="$T/fx"
python3 "$KMV_TESTS/gen_statement_fixtures.py" "$F"

expect_exit 0 kmv --json import "$F/wechat.csv"
expect_in "$T/out" '"kind":"wechat","rows":5,"added":5,"duplicates":0'
expect_in "$T/out" 'WeChat Pay CSV, header on line 17'

# XLSX v1 (row 17, ¥ text, shared strings) and v2 (row 18, numeric cells)
# hold the same transactions: nothing new.
expect_exit 0 kmv --json import "$F/wechat_v1.xlsx" "$F/wechat_v2.xlsx"
expect_in "$T/out" '"file":"'"$F"'/wechat_v1.xlsx","kind":"wechat","rows":5,"added":0,"duplicates":5'
expect_in "$T/out" '"file":"'"$F"'/wechat_v2.xlsx","kind":"wechat","rows":5,"added":0,"duplicates":5'
expect_in "$T/out" 'WeChat Pay XLSX, header on row 17'
expect_in "$T/out" 'WeChat Pay XLSX, header on row 18'

# WeChat's own workbooks store 交易时间 as Excel date numbers: the same
# times, and no "re-saved by Excel" warning (issue 20.7).
expect_exit 0 kmv --json import "$F/wechat_v3_serial.xlsx"
expect_in "$T/out" '"kind":"wechat","rows":5,"added":0,"duplicates":5'
expect_not_in "$T/out" 're-saved'
expect_not_in "$T/err" 're-saved'
expect_not_in "$T/err" 'date numbers'
# Alipay only ever exports CSV: date numbers in a workbook do mean Excel.
expect_exit 0 kmv import "$F/alipay_resaved.xlsx"
expect_in "$T/err" 'times are Excel date numbers: the file looks re-saved by Excel'

# Unquoted comma in the counterparty is merged back; ¥1020.00 is 1020.00;
# 已退款(￥20.00) is a partial refund; the refund row is its own record.
expect_exit 0 kmv query --json --merchant 'EXAMPLE TRADING'
expect_in "$T/out" '"merchant":"EXAMPLE TRADING CO.,LTD","order_no":null,"payment_no":"4200000000202405230000000003","merchant_order_no":"KM0000000003","time":"2024-05-23T09:00:00+08:00","amount":"1020.00","direction":"out","status":"partially_refunded"'
expect_in "$T/out" '"payment_no":"50300000000000000000000000004","merchant_order_no":"KM0000000003","time":"2024-05-24T09:30:00+08:00","amount":"20.00","direction":"in","status":"refunded"'

# "/" is no value; 中性交易 is neutral; TAB after a closing quote is fine.
expect_exit 0 kmv query --json --text 示例银行
expect_in "$T/out" '"product":null'
expect_in "$T/out" '"direction":"neutral"'
expect_in "$T/out" '"payment_no":"20000000000000000000000000002"'

# The bundled samples import too (v2 XLSX with 1,234.5 as a number).
expect_exit 0 kmv --json import "$SAMPLES/wechat_2024-03.csv" "$SAMPLES/wechat_2026-04.xlsx"
expect_in "$T/out" '"rows":3,"added":3'
expect_in "$T/out" '"rows":2,"added":2'
expect_exit 0 kmv query --json --min 1234.50 --max 1234.50
expect_in "$T/out" '"amount":"1234.50"'

# A refund row (交易类型 退款 or <商户>-退款, 收入, 当前状态 已退款￥50.00) is a
# refund of its own whole amount, not a partially refunded payment, and
# is linked to its purchase by 商户单号, or by the purchase's 交易单号 when
# it carries that one and no 商户单号 (issue 20.5).
refunds() { python3 -c 'import json,sys; print(json.load(sys.stdin)["by_rule"]["refund"])'; }
expect_exit 0 kmv --json match
before=$(refunds < "$T/out")
expect_exit 0 kmv import "$F/wechat_refund.csv"
expect_exit 0 kmv query --json --platform wechat --from 2024-06-01 --to 2024-06-30
expect_in "$T/out" '"payment_no":"50300000000000000000000000102","merchant_order_no":"KMR0000000101","time":"2024-06-03T11:00:00+08:00","amount":"50.00","direction":"in","status":"refunded","status_raw":"已退款￥50.00"'
expect_in "$T/out" '"time":"2024-06-05T09:00:00+08:00","amount":"30.00","direction":"in","status":"refunded","status_raw":"已退款￥30.00"'
expect_not_in "$T/out" 'partially_refunded'
expect_exit 0 kmv --json match
[ "$(refunds < "$T/out")" = $((before + 2)) ] || { cat "$T/out"; fail "both refund rows linked"; }
expect_exit 0 kmv anomalies
expect_not_in "$T/out" 'KMR0000000101'
echo "ok"
