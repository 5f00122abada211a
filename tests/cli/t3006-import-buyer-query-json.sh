#!/bin/sh
# What the buyer's browser saves from a shop's order query: acg-faka's
# /user/api/index/query answer and card-system's record/get answer import
# without --profile (nested fields: commodity.name, pay.name; card-system's
# fen), with the right statuses; a refused query, a cut file and a nested
# profile field on a JSON without it are rejected with file and line,
# exit 6, the vault unchanged; an older query imported after the shop's
# later export never takes back its delivery.  Files: tests/data/shops (see
# its README).
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-01T12:00:00+08:00
D="$KMV_TESTS/data/shops"

state() {
	python3 -c 'import json,sys
for r in json.load(sys.stdin):
    print(r["order_no"], r.get("status"), r["time"], r["amount"], r.get("product"))' < "$T/out"
}

expect_exit 0 kmv import --platform 异次元小店 "$D/acg-faka_query.json"
expect_in "$T/err" 'profile acg-faka-query'
expect_in "$T/err" 'product=commodity.name'
expect_exit 0 kmv --json query --platform 异次元小店
state > "$T/acg"
grep -qx '512240326101200733 delivered 2024-03-26T10:12:00+08:00 9.90 爱奇艺黄金会员月卡' "$T/acg" || { cat "$T/acg"; fail "acg delivered"; }
grep -qx '287240327193000115 paid 2024-03-27T19:30:00+08:00 30.00 腾讯视频VIP季卡（手动充值）' "$T/acg" || { cat "$T/acg"; fail "acg paid"; }
grep -qx '903240328110000402 pending_payment 2024-03-28T11:00:00+08:00 12.00 网易云音乐黑胶VIP月卡' "$T/acg" || { cat "$T/acg"; fail "acg unpaid"; }
expect_exit 0 kmv --json show 512240326101200733
expect_in "$T/out" '"card_secret":"ACGQ…0001"'
expect_in "$T/out" '"payment_method":"支付宝"'

expect_exit 0 kmv import --platform 发卡小站 "$D/card-system_record_get.json"
expect_in "$T/err" 'profile card-system'
expect_exit 0 kmv --json query --platform 发卡小站
state > "$T/cs"
grep -qx '20240326101200Xk3Qa delivered 2024-03-26T10:12:00+08:00 19.80 爱奇艺黄金会员月卡' "$T/cs" || { cat "$T/cs"; fail "cs delivered"; }
grep -qx '20240327193000Hn4Tc paid 2024-03-27T19:30:00+08:00 30.00 腾讯视频VIP季卡' "$T/cs" || { cat "$T/cs"; fail "cs paid"; }
grep -qx '20240328110000Pq7Lm pending_payment 2024-03-28T11:00:00+08:00 12.00 网易云音乐黑胶VIP月卡' "$T/cs" || { cat "$T/cs"; fail "cs unpaid"; }
grep -qx '20240320080500Rb9Wd refunded 2024-03-20T08:05:00+08:00 5.00 优酷VIP周卡' "$T/cs" || { cat "$T/cs"; fail "cs refunded"; }
# status 3 (STATUS_FROZEN, 已冻结): frozen, not unknown
grep -qx '20240322214000Fz2Ke frozen 2024-03-22T21:40:00+08:00 15.00 哔哩哔哩大会员月卡' "$T/cs" || { cat "$T/cs"; fail "cs frozen"; }
expect_exit 0 kmv show 20240322214000Fz2Ke
expect_in "$T/out" 'frozen'
expect_exit 0 kmv_zh show 20240322214000Fz2Ke
expect_in "$T/out" '已冻结'
expect_exit 0 kmv --json query --status frozen
expect_in "$T/out" '20240322214000Fz2Ke'
# saved again a day later: nothing new
expect_exit 0 kmv --json import --platform 发卡小站 "$D/card-system_record_get.json"
expect_in "$T/out" '"added":0'

# paid and never delivered (one of each shop): undelivered; delivered never is
expect_exit 0 kmv --json anomalies --type undelivered
expect_in "$T/out" '287240327193000115'
expect_in "$T/out" '20240327193000Hn4Tc'
expect_not_in "$T/out" '512240326101200733'
expect_not_in "$T/out" '20240326101200Xk3Qa'

# Rejections: exit 6, file and line named, the vault unchanged
vault_snapshot
expect_exit 6 kmv import "$D/acg-faka_query_throttled.json"
expect_in "$T/err" 'acg-faka_query_throttled.json: JSON holds no orders; the shop answered: 请求过于频繁'
head -c 700 "$D/acg-faka_query.json" > "$T/cut.json"
expect_exit 6 kmv import "$T/cut.json"
expect_in "$T/err" 'cut.json:1: malformed JSON at column'
printf 'order_no = trade_no\ntime = create_time\namount = price.total\n' > "$T/nested.profile"
expect_exit 6 kmv import --profile "$T/nested.profile" "$D/acg-faka_query.json"
expect_in "$T/err" "missing amount (column 'price.total')"
vault_unchanged

# the shop's later admin export says delivered (已支付/已发货); the buyer's
# query saved before it (delivery_status 0), imported after, is an older
# view: the order stays delivered, never undelivered again
export KMVAULT_VAULT="$T/v2.kmv"
kmv init --kdf interactive --recovery-key-out "$T/rec2" >/dev/null 2>&1
kmv import --platform 异次元小店 "$D/订单导出-20240329120000.csv" >/dev/null 2>&1
expect_exit 0 kmv --json import --platform 异次元小店 "$D/acg-faka_query.json"
expect_in "$T/out" '"added":2,"duplicates":1,"updated":0'
expect_exit 0 kmv --json query --order-no 287240327193000115
expect_in "$T/out" '"status":"delivered","status_raw":"已支付/已发货"'
echo ok
