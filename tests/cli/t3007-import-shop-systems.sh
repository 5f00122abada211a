#!/bin/sh
# The card-shop systems' own tables import without --profile and with the
# right statuses: dujiaoka (CSV sample, phpMyAdmin JSON), acg-faka (order
# table as phpMyAdmin CSV: paid × delivered; its admin export 订单导出-….csv),
# zfaka (phpMyAdmin JSON,
# epoch times, 0 = not paid).  Files: tests/data/shops (see its README).
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-01T12:00:00+08:00
D="$KMV_TESTS/data/shops"

state() {
	python3 -c 'import json,sys
for r in json.load(sys.stdin):
    print(r["order_no"], r.get("status"), r.get("status_raw"), r["time"], r["amount"])' < "$T/out"
}

# dujiaoka's orders table as CSV: recognized, statuses read (was: unknown)
expect_exit 0 kmv import --platform 示例小铺 "$SAMPLES/dujiaoka_orders.csv"
expect_in "$T/err" 'profile dujiaoka'
expect_exit 0 kmv --json show H3N8P2Q6R9S4T7V1
expect_in "$T/out" '"status":"processing"'
# the buyer's input of a manual order is no card secret
expect_not_in "$T/out" '"card_secret":"请充'
expect_exit 0 kmv --json show Q7M2K9X4T1B8C5D3
expect_in "$T/out" '"status":"completed"'
expect_in "$T/out" '"card_secret":"DEMO…0001"'

# acg-faka: status 0/1 × delivery_status 0/1
expect_exit 0 kmv import --platform 异次元小店 "$D/acg-faka_order.csv"
expect_in "$T/err" 'profile acg-faka'
expect_exit 0 kmv --json query --platform 异次元小店
state > "$T/acg"
grep -qx '2403261012001234567 delivered 1/1 2024-03-26T10:12:00+08:00 9.90' "$T/acg" || { cat "$T/acg"; fail "acg delivered"; }
grep -qx '2403271930005555555 paid 1/0 2024-03-27T19:30:00+08:00 30.00' "$T/acg" || { cat "$T/acg"; fail "acg paid"; }
grep -qx '2403281100007777777 pending_payment 0/0 2024-03-28T11:00:00+08:00 12.00' "$T/acg" || { cat "$T/acg"; fail "acg unpaid"; }
expect_exit 0 kmv --json show 2403261012001234567
expect_in "$T/out" '"card_secret":"ACG-…0001"'
# phpMyAdmin's NULL is no value
expect_exit 0 kmv --json show 2403271930005555555
expect_not_in "$T/out" 'NULL'

# zfaka: epoch seconds, money, kami; paytime 0 = never paid
expect_exit 0 kmv import --platform 资料空白 "$D/zfaka_t_order.json"
expect_in "$T/err" 'profile zfaka'
expect_exit 0 kmv --json query --platform 资料空白
state > "$T/z"
grep -qx 'zlkb20240326101200123 completed 2 2024-03-26T10:12:00+08:00 0.10' "$T/z" || { cat "$T/z"; fail "zfaka completed"; }
grep -qx 'zlkb20240327193000456 processing 1 2024-03-27T19:30:00+08:00 30.00' "$T/z" || { cat "$T/z"; fail "zfaka processing"; }
grep -qx 'zlkb20240328110000789 pending_payment 0 2024-03-28T11:00:00+08:00 12.00' "$T/z" || { cat "$T/z"; fail "zfaka pending"; }
expect_exit 0 kmv --json show zlkb20240326101200123
expect_in "$T/out" '"card_secret":"ZFAK…0001"'

# dujiaoka as phpMyAdmin's JSON export: the same orders, nothing added twice
expect_exit 0 kmv --json import --platform 示例小铺 "$D/dujiaoka_orders_pma.json"
expect_in "$T/out" '"added":0'
expect_in "$T/out" 'profile dujiaoka'

# acg-faka's admin export (订单导出-YmdHis.csv, 3.4.3+): 订单状态 × 发货状态 as
# words; detected by its columns, not its name
cp "$D/订单导出-20240329120000.csv" "$T/orders-export.csv"
expect_exit 0 kmv import --platform 异次元小店 "$T/orders-export.csv"
expect_in "$T/err" 'profile acg-faka-export'
expect_exit 0 kmv --json query --platform 异次元小店 --from 2024-03-27
state > "$T/acgx"
grep -qx '287240327193000115 delivered 已支付/已发货 2024-03-27T19:30:00+08:00 30.00' "$T/acgx" || { cat "$T/acgx"; fail "export delivered"; }
grep -qx '287240328101500327 paid 已支付/未发货 2024-03-28T10:15:00+08:00 15.50' "$T/acgx" || { cat "$T/acgx"; fail "export paid"; }
grep -qx '287240328110200418 pending_payment 未支付/未发货 2024-03-28T11:02:00+08:00 12.00' "$T/acgx" || { cat "$T/acgx"; fail "export unpaid"; }
grep -qx '287240329083000509 delivered 已支付/已发货 2024-03-29T08:30:00+08:00 45.00' "$T/acgx" || { cat "$T/acgx"; fail "export delivered 2"; }
expect_exit 0 kmv --json show 287240328101500327
expect_in "$T/out" '"payment_method":"微信"'
expect_in "$T/out" '"product":"网易云音乐黑胶VIP月卡 自动发货"'

# the paid acg-faka order never delivered, the zfaka one waiting: undelivered;
# paid + delivered never is
expect_exit 0 kmv --json anomalies --type undelivered
expect_in "$T/out" '2403271930005555555'
expect_not_in "$T/out" '2403261012001234567'
expect_in "$T/out" 'zlkb20240327193000456'
expect_in "$T/out" '287240328101500327'
expect_not_in "$T/out" '287240327193000115'
expect_not_in "$T/out" '287240329083000509'
echo ok
