#!/bin/sh
# Cases on imported orders: open (deadline in working days around a
# weekend), list, update, close, the audit trail; remind's output for a
# case deadline, an undelivered order, a membership paid by an order and
# an order turning 3 years old.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
expect_exit 0 kmv import "$SAMPLES/orders_example-shop.csv" --platform 示例卡盟

# Friday 2026-01-16: 1 working day -> Monday 01-19; default 7 -> Tue 01-27.
export KMVAULT_NOW=2026-01-16T18:00:00+08:00
expect_exit 0 kmv case open KM20240315000101 --reason undelivered --reply-days 1 --note "paid, no card"
expect_in "$T/err" "opened case 1 for order KM20240315000101"
expect_exit 0 kmv --json case open KM20240320000202 --reason amount_mismatch
expect_in "$T/out" '{"id":2}'
expect_exit 0 kmv --json case list
expect_in "$T/out" '{"id":1,"order_no":"KM20240315000101","reason":"undelivered","status":"open","opened_at":"2026-01-16T18:00:00+08:00","reply_days":1,"deadline":"2026-01-19","counterparty":"示例卡盟","amount":"48.50","records":1,"closed_at":null,"note":"paid, no card","reason_label":"not delivered","status_label":"open"}'
expect_in "$T/out" '"id":2,"order_no":"KM20240320000202","reason":"amount_mismatch","status":"open","opened_at":"2026-01-16T18:00:00+08:00","reply_days":7,"deadline":"2026-01-27"'
expect_exit 0 kmv case list
expect_in "$T/out" "KM20240315000101  not delivered    open    2026-01-19"

# Saturday: case 1 is due Monday (2 days), case 2 is outside 7 days.
export KMVAULT_NOW=2026-01-17T10:00:00+08:00
expect_exit 0 kmv remind
expect_in "$T/out" "[in   2 days] case reply deadline   case 1 (not delivered, order KM20240315000101 at 示例卡盟) is open; reply deadline 2026-01-19 (in 2 days)"
expect_not_in "$T/out" "case 2"
# Tuesday: case 1 overdue by one day.
export KMVAULT_NOW=2026-01-20T09:00:00+08:00
expect_exit 0 kmv --json remind
expect_in "$T/out" '{"type":"case_deadline","due":"2026-01-19","days_left":-1,"ref":1,"subject":"KM20240315000101","amount":"48.50"'
expect_in "$T/out" 'escalate it'

# The platform asks for 3 more working days from Tuesday: Friday 01-23.
expect_exit 0 kmv case update 1 --status waiting_reply --reply-days 3 --note "asked for time"
expect_exit 0 kmv --json case list
expect_in "$T/out" '"status":"waiting_reply","opened_at":"2026-01-16T18:00:00+08:00","reply_days":3,"deadline":"2026-01-23"'
expect_exit 0 kmv case close 1 --note "refunded"
expect_exit 0 kmv case close 2 --status rejected
expect_exit 0 kmv case list
expect_in "$T/err" "no open cases"
expect_exit 0 kmv --json case list --all
expect_in "$T/out" '"status":"resolved"'
expect_in "$T/out" '"status":"rejected"'
expect_exit 0 kmv --json log
for a in case_open case_update case_close; do
	expect_in "$T/out" "\"action\":\"$a\""
done

# A membership paid by an imported order.
expect_exit 0 kmv member add --platform 示例卡盟 --level 月卡 --expiry 2026-01-22 --order KM20240320000202
expect_exit 0 kmv --json member list
expect_in "$T/out" '"orders":"KM20240320000202"'

# An order paid three hours ago and still not delivered (generated export).
printf '\357\273\277订单号,商品名称,数量,订单金额,支付方式,下单时间,订单状态,卡密,店铺\r\n' > "$T/late.csv"
printf 'KM20260120000909,游戏点卡 30元,1,29.10,支付宝,2026-01-20 06:00:00,已支付,,示例卡盟\r\n' >> "$T/late.csv"
expect_exit 0 kmv import "$T/late.csv" --platform 示例卡盟
expect_exit 0 kmv remind
expect_in "$T/out" "not delivered         order KM20260120000909 (29.10) is still"
expect_in "$T/out" "past its delivery deadline 2026-01-20T08:00:00+08:00"
expect_in "$T/out" "membership expiry     membership 1 (示例卡盟 月卡) expires in 2 days (2026-01-22)"
expect_not_in "$T/out" "case_deadline"

# Three years after 2024-03-15: the order's evidence should be exported.
export KMVAULT_NOW=2027-03-10T09:00:00+08:00
expect_exit 0 kmv --json remind
expect_in "$T/out" '{"type":"retention","due":"2027-03-15","days_left":5,"ref":1,"subject":"KM20240315000101","amount":"48.50"'
expect_not_in "$T/out" '"subject":"KM20240320000202"'
echo ok
