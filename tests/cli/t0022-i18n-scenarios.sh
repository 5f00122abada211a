#!/bin/sh
# The scenario commands in both languages (issue 14.1): import, anomalies,
# remind, case list and the evidence bundle's records.csv say the same
# thing in Chinese under zh_CN and in English under C, word for word, and
# show no raw code (undelivered, case_deadline, orders, out) to a person.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2026-12-01T19:00:00+08:00
printf '订单号,商品名称,金额,下单时间,状态\r\nKM9001,测试点卡,20.00,2026-11-28 20:00:00,处理中\r\n' > "$T/orders.csv"

# import: the per-file line and the table, in Chinese ...
expect_exit 0 kmv_zh import --platform 示例卡盟 "$T/orders.csv"
expect_in "$T/err" "orders.csv：配置档 generic，平台 示例卡盟，列：order_no=订单号"
expect_in "$T/out" "文件"
expect_in "$T/out" "店铺订单"
expect_not_in "$T/out" " orders "
expect_exit 0 kmv_zh import "$SAMPLES/alipay_2024-03.csv"
expect_in "$T/err" "alipay_2024-03.csv：支付宝 app 2023+ CSV，表头在第 25 行"
# ... and in English
expect_exit 0 kmv import "$SAMPLES/alipay_2024-03.csv"
expect_in "$T/err" "alipay_2024-03.csv: Alipay app 2023+ CSV, header on line 25"
expect_in "$T/out" "FILE"
expect_in "$T/out" "Alipay"
expect_exit 0 kmv match
expect_in "$T/out" "links: 1 (order_no 0, amount_time 0, refund 1)"
expect_exit 0 kmv_zh match
expect_in "$T/out" "关联：1（订单号 0，金额和时间 0，退款 1）"

# anomalies
expect_exit 0 kmv_zh anomalies --type undelivered
expect_in "$T/out" "付款后未发货  KM9001  20.00  记录 #1"
expect_in "$T/out" "示例卡盟 的订单 KM9001（20.00）据店铺记录于 2026-11-28 20:00:00 付款，至今仍显示为“处理中”，已超过发货期限 3 天（期限为付款后 2.0 小时）。"
expect_not_in "$T/out" "undelivered"
expect_exit 0 kmv anomalies --type undelivered
expect_in "$T/out" "not delivered  KM9001  20.00  record #1"
expect_in "$T/out" "Order KM9001 (20.00) at 示例卡盟 was paid (the shop says) at 2026-11-28 20:00:00 and still shows '处理中' (processing) 3 days after its delivery deadline (2.0 h after payment)."

# remind: the type's words, the detail, the item to --ack as it is typed
expect_exit 0 kmv_zh remind
expect_in "$T/out" "kmvault 提醒（2026-12-01，未来 7 天）"
expect_in "$T/out" "[已逾期   3 天] 付款后未发货          订单 KM9001（20.00）仍为“付款后未发货”，已超过发货期限 2026-11-28T22:00:00+08:00：请联系店铺，然后执行“case open KM9001 --reason undelivered”（--ack undelivered:KM9001）"
expect_exit 0 kmv remind
expect_in "$T/out" "kmvault reminders for 2026-12-01 (next 7 days)"
expect_in "$T/out" "[OVERDUE   3d] not delivered         order KM9001 (20.00) is still not delivered past its delivery deadline 2026-11-28T22:00:00+08:00: ask the shop, then 'case open KM9001 --reason undelivered' (ack: undelivered:KM9001)"

# an open case: case list and the case's reminder, both languages
expect_exit 0 kmv case open KM9001 --reason undelivered --reply-days 3 --note 已催发货
expect_exit 0 kmv_zh case list
expect_in "$T/out" "付款后未发货"
expect_in "$T/out" "处理中"
expect_not_in "$T/out" "undelivered"
expect_exit 0 kmv case list
expect_in "$T/out" "not delivered"
expect_exit 0 kmv --json case list
expect_in "$T/out" '"reason":"undelivered","status":"open"'
expect_in "$T/out" '"reason_label":"not delivered","status_label":"open"'
expect_exit 0 kmv_zh remind
expect_in "$T/out" "[  3 天后     ] 案件答复期限          案件 1（付款后未发货，订单 KM9001，店铺 示例卡盟）状态为“处理中”；答复期限 2026-12-04（3 天后）（--ack case_deadline:1）"
expect_exit 0 kmv remind
expect_in "$T/out" "[in   3 days] case reply deadline   case 1 (not delivered, order KM9001 at 示例卡盟) is open; reply deadline 2026-12-04 (in 3 days) (ack: case_deadline:1)"
expect_exit 0 kmv --json remind
expect_in "$T/out" '"type":"case_deadline"'
expect_in "$T/out" '"type_label":"case reply deadline"'

# the bundle's records table and timeline are for the shop: Chinese words
# whatever the locale, never codes
expect_exit 0 kmv evidence create 1 -o "$T/case.zip"
mkdir "$T/x"
(cd "$T/x" && unzip -q "$T/case.zip")
csv=$(find "$T/x" -name records.csv)
timeline=$(find "$T/x" -name timeline.txt)
expect_in "$csv" "\"1\",\"订单\","
expect_not_in "$csv" "\"order\""
expect_in "$timeline" "[案件记录] 处理中：已催发货"
expect_not_in "$timeline" "open"
echo "ok"
