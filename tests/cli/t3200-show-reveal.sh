#!/bin/sh
# show: provenance, masking by default, --reveal audited (and the only
# write), not found -> 7, usage, ORDER_NO matching several records.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup

expect_exit 0 kmv import --profile dujiaoka --platform 示例小铺 "$SAMPLES/dujiaoka_orders.csv"
sha=$(sha256sum "$SAMPLES/dujiaoka_orders.csv" | cut -d' ' -f1)

expect_exit 0 kmv show --help
head -n1 "$T/out" > "$T/synopsis"
expect_in "$T/synopsis" 'usage: kmvault show ID|ORDER_NO [--reveal]'

vault_snapshot
expect_exit 0 kmv show Q7M2K9X4T1B8C5D3
expect_in "$T/out" 'order #1  Q7M2K9X4T1B8C5D3'
expect_in "$T/out" 'source          #1 dujiaoka_orders.csv (shop orders)'
expect_in "$T/out" "sha256          $sha"
expect_in "$T/out" 'line            2'
expect_in "$T/out" 'card secret     DEMO…0001'
expect_not_in "$T/out" 'DEMO-AAAA-BBBB-0001'
# By id too, and as JSON.
expect_exit 0 kmv --json show 1
expect_in "$T/out" '"id":1,"kind":"order","platform":"示例小铺"'
expect_in "$T/out" "\"sha256\":\"$sha\""
expect_in "$T/out" '"card_secret":"DEMO…0001","card_secret_revealed":false'
expect_not_in "$T/out" 'DEMO-AAAA-BBBB-0001'
# Plain show writes nothing.
vault_unchanged

expect_exit 7 kmv show NO-SUCH-ORDER
expect_in "$T/err" "no record or order number 'NO-SUCH-ORDER'"
expect_exit 7 kmv show 999
expect_exit 2 kmv show
expect_exit 2 kmv show a b
expect_exit 2 kmv show --bogus 1

# Reveal: the secret in full, one audit event, the vault saved.
expect_exit 0 kmv show --reveal Q7M2K9X4T1B8C5D3
expect_in "$T/out" 'card secret     DEMO-AAAA-BBBB-0001'
expect_exit 0 kmv --json show Q7M2K9X4T1B8C5D3 --reveal
expect_in "$T/out" '"card_secret":"DEMO-AAAA-BBBB-0001","card_secret_revealed":true'
expect_exit 0 kmv --json log
expect_in "$T/out" '"action":"reveal","detail":{"record":1,"kind":"order","order_no":"Q7M2K9X4T1B8C5D3","card_secret":true}'
n=$(grep -o '"action":"reveal"' "$T/out" | wc -l)
[ "$n" -eq 2 ] || fail "expected 2 reveal events, got $n"
expect_exit 0 kmv check

# The same number on two records (order and a second platform's order).
expect_exit 0 kmv import --profile dujiaoka --platform 另一家 "$SAMPLES/dujiaoka_orders.csv"
expect_exit 0 kmv show Q7M2K9X4T1B8C5D3
expect_in "$T/out" 'order #1  Q7M2K9X4T1B8C5D3'
expect_in "$T/out" 'order #3  Q7M2K9X4T1B8C5D3'
expect_exit 0 kmv --json show Q7M2K9X4T1B8C5D3
expect_in "$T/out" '"matches":2,"related":[{"id":3'
expect_in "$T/out" '"same_number":true'
