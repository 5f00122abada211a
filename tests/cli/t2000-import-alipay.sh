#!/bin/sh
# import: every Alipay layout and drift, encodings, idempotence, warnings.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
F="$T/fx"
python3 "$KMV_TESTS/gen_statement_fixtures.py" "$F"

# App 2023+ layout, GBK + CRLF: rows, kind and the layout on stderr.
expect_exit 0 kmv --json import "$F/alipay_c.csv"
expect_in "$T/out" '"kind":"alipay","rows":5,"added":5,"duplicates":0'
expect_in "$T/out" 'Alipay app 2023+ CSV, header on line 25'

# Combined methods and card tails are split out (formats.md 6.19).
expect_exit 0 kmv --json query --order-no KM20240315000101
id=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[0]['id'])" "$T/out")
expect_exit 0 kmv --json show "$id"
expect_in "$T/out" '"payment_method":"花呗&红包"'
expect_in "$T/out" '"payment_methods":["花呗","红包"]'
expect_exit 0 kmv --json query --order-no T100000000000000001
id=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[0]['id'])" "$T/out")
expect_exit 0 kmv show "$id"
# extra as words, never raw JSON (issue 16.1)
expect_in "$T/out" 'card ends       0000'
expect_not_in "$T/out" '{"card_tails"'

# Re-import adds nothing; the vault is still changed only by the audit log.
expect_exit 0 kmv --json import "$F/alipay_c.csv"
expect_in "$T/out" '"rows":5,"added":0,"duplicates":5'

# Drifts (8 disclaimers, 支付宝支付科技有限公司, LF, no final newline) and
# the same statement re-encoded as UTF-8 with a BOM: nothing new.
expect_exit 0 kmv --json import "$F/alipay_c_drift.csv" "$F/alipay_c_utf8.csv"
expect_in "$T/out" '"rows":2,"added":0,"duplicates":2'
expect_in "$T/out" '"rows":5,"added":0,"duplicates":5'
expect_in "$T/out" 'header on line 24'

# An overlapping statement adds only its new row.
expect_exit 0 kmv --json import "$F/alipay_c_overlap.csv"
expect_in "$T/out" '"rows":3,"added":1,"duplicates":2'

# Older layouts: app 2021-22 (收/支 first, footer) and web (交易号, footer).
expect_exit 0 kmv --json import "$F/alipay_b.csv" "$F/alipay_a.csv"
expect_in "$T/out" '"file":"'"$F"'/alipay_b.csv","kind":"alipay","rows":2,"added":2'
expect_in "$T/out" '"file":"'"$F"'/alipay_a.csv","kind":"alipay","rows":3,"added":3'
expect_in "$T/out" 'Alipay app 2021-22 CSV, header on line 2'
expect_in "$T/out" 'Alipay web (<=2022) CSV, header on line 5'

# Declared count mismatch and Excel re-save symptoms are warnings.
expect_exit 0 kmv import "$F/alipay_c_count.csv" "$F/alipay_c_excel.csv"
expect_in "$T/err" 'declares 4 records but 1 were read'
expect_in "$T/err" 'has no seconds: the file looks re-saved by Excel'
expect_in "$T/err" 'scientific notation'

# Records: amounts in fen, +08:00 times, direction, raw and normal status.
expect_exit 0 kmv query --json --order-no M200000000000000002
expect_in "$T/out" '"payment_no":"2024031022001100009999000002_1710066045","merchant_order_no":"M200000000000000002","time":"2024-03-10T18:20:45+08:00","amount":"12.00","direction":"neutral","status":"refunded","status_raw":"退款成功"'
expect_in "$T/out" '"time":"2024-03-10T09:00:01+08:00","amount":"12.00","direction":"out","status":"closed","status_raw":"交易关闭"'
expect_exit 0 kmv query --json --text 点卡 --platform alipay
expect_in "$T/out" '"merchant":"示例淘宝店"'
expect_in "$T/out" '"payment_method":"花呗&红包"'
expect_in "$T/out" '"source":{"id":1,"file":"alipay_c.csv","line":29}'

# Sources keep the metadata of the preamble / footer.
expect_exit 0 kmv --json sources
expect_in "$T/out" '"account":"demo***@example.com"'
expect_in "$T/out" '"period_start":"2024-03-01 00:00:00"'
expect_in "$T/out" '"declared_count":5'
expect_in "$T/out" '"account":"web***@example.com"'

# A forced kind that contradicts the content is refused.
vault_snapshot
expect_exit 6 kmv import --kind wechat "$F/alipay_c.csv"
expect_in "$T/err" 'alipay_c.csv: this is a statement of Alipay, not of WeChat Pay (--kind)'
vault_unchanged
