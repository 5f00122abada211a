#!/bin/sh
# A vault written by kmvault with schema v1 (tests/data/vault-schema-v1.kmv:
# the Alipay, WeChat and dujiaoka samples imported and matched) opens,
# answers, takes new data and saves as the current schema.
set -eu
. "$KMV_TESTS/cli/lib.sh"
KMV_NO_VAULT=1 kmv_setup
cp "$KMV_TESTS/data/vault-schema-v1.kmv" "$KMVAULT_VAULT"
chmod 600 "$KMVAULT_VAULT"
printf 'v1-test-passphrase\n' > "$T/pass"

# Read-only commands read the v1 schema as it is; the file stays.
vault_snapshot
expect_exit 0 kmv --json query
expect_in "$T/out" '"order_no":"H3N8P2Q6R9S4T7V1"'
expect_exit 0 kmv query --text 示例早餐
expect_in "$T/out" '豆浆油条'
# Links explained in English text by old versions: as stored in English,
# the rule's words (no English) in Chinese (issue 14).
expect_exit 0 kmv show 3
expect_in "$T/out" 'refunds 12.00 of payment #2 (12.00), as the statement shows'
expect_exit 0 kmv_zh show 3
expect_in "$T/out" '对应付款的退款（旧版本记录的说明；运行“kmvault match”可更新）'
expect_not_in "$T/out" 'as the statement shows'
vault_unchanged

# Re-importing a sample adds nothing twice; new data goes in; the links
# made under v1 are still there; the vault checks clean after the save.
expect_exit 0 kmv --json import "$SAMPLES/alipay_2024-03.csv"
expect_in "$T/out" '"rows":5,"added":0,"duplicates":5'
# Orders stored under the file-name platform of old are found by number.
expect_exit 0 kmv --json import --profile dujiaoka "$SAMPLES/dujiaoka_orders.csv"
expect_in "$T/out" '"added":0'
F="$T/fx"
python3 "$KMV_TESTS/gen_statement_fixtures.py" "$F"
expect_exit 0 kmv --json import "$F/jd.csv"
expect_in "$T/out" '"kind":"jd","rows":4,"added":4'
expect_exit 0 kmv query --text 京东示例
expect_in "$T/out" '无线耳机等2件'
expect_exit 0 kmv --json match
expect_in "$T/out" '"added":1'
# ... and the match stored them as codes: words in either language.
expect_exit 0 kmv_zh show 3
expect_in "$T/out" '账单显示：退还付款 #2（12.00）中的 12.00'
expect_exit 0 kmv --json show 3
expect_in "$T/out" '"reason":{"why":"refund_statement","amount":1200,"payment":2,"original":1200}'
expect_exit 0 kmv check
expect_in "$T/err" 'integrity ok'
