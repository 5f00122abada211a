#!/bin/sh
# Reminders that stop when handled (issue 14 point 4): an undelivered
# order with an open case shows the case's deadline, never "case open"
# again; a closed case ends its order's reminder; 'remind --ack ITEM
# [--until DATE]' silences one item (audited) and a --quiet cron mail
# stays empty until something new is due; a second 'case open' on an
# order with an open case is refused naming that case (exit 1).
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
printf '\357\273\277订单号,商品名称,数量,订单金额,支付方式,下单时间,订单状态,卡密,店铺\r\n' > "$T/late.csv"
printf 'KM20260112000101,游戏点卡 30元,1,29.10,支付宝,2026-01-12 06:00:00,已支付,,示例卡盟\r\n' >> "$T/late.csv"
printf 'KM20260113000202,会员月卡,1,25.00,微信支付,2026-01-13 07:00:00,处理中,,示例卡盟\r\n' >> "$T/late.csv"
kmv import "$T/late.csv" --platform 示例卡盟 >/dev/null 2>&1
# Friday 2026-01-16.
export KMVAULT_NOW=2026-01-16T09:00:00+08:00

expect_exit 0 kmv remind
expect_in "$T/out" "order KM20260112000101 (29.10) is still not delivered past its delivery deadline 2026-01-12T08:00:00+08:00: ask the shop, then 'case open KM20260112000101 --reason undelivered' (ack: undelivered:KM20260112000101)"
expect_in "$T/out" "(ack: undelivered:KM20260113000202)"
expect_exit 0 kmv --json remind
expect_in "$T/out" '"item":"undelivered:KM20260112000101"'

# An open case: the order's reminder is the case's reply deadline.
expect_exit 0 kmv case open KM20260112000101 --reason undelivered --reply-days 3
expect_exit 0 kmv remind
expect_not_in "$T/out" "case open KM20260112000101"
expect_not_in "$T/out" "undelivered:KM20260112000101"
expect_in "$T/out" "[in   5 days] case reply deadline   case 1 (not delivered, order KM20260112000101 at 示例卡盟) is open; reply deadline 2026-01-21 (in 5 days) (ack: case_deadline:1)"

# A second case for the same order is refused and names the open one.
vault_snapshot
expect_exit 1 kmv case open KM20260112000101 --reason other
expect_in "$T/err" "order KM20260112000101 already has an open case: case 1 (not delivered, open, reply deadline 2026-01-21)"
expect_in "$T/err" "kmvault case update 1"
vault_unchanged

# A closed case (any outcome) ends the order's reminder.
expect_exit 0 kmv case close 1 --status rejected
expect_exit 0 kmv --json remind --days 30
expect_not_in "$T/out" "KM20260112000101"
# ... and a new case may be opened again after it.
expect_exit 0 kmv case open KM20260112000101 --reason other --reply-days 1
expect_exit 0 kmv case close 2

# --ack: the other order is silenced while it stays due on the same date.
expect_exit 0 kmv --quiet remind
expect_in "$T/out" "undelivered:KM20260113000202"
expect_exit 0 kmv remind --ack undelivered:KM20260113000202
expect_in "$T/out" "silenced undelivered:KM20260113000202 while it stays due on 2026-01-13T09:00:00+08:00"
expect_exit 0 kmv --quiet remind
[ ! -s "$T/out" ] || { cat "$T/out"; fail "--quiet printed something after the only item was acknowledged"; }
expect_exit 0 kmv --json remind
[ "$(cat "$T/out")" = "[]" ] || fail "acknowledged item still listed in --json"
expect_exit 0 kmv --json log
expect_in "$T/out" '"action":"remind_ack"'
expect_in "$T/out" '"item":"undelivered:KM20260113000202"'

# Something new is due: the cron mail is no longer empty.
kmv member add --platform 周末卡盟 --level VIP --expiry 2026-01-18 >/dev/null 2>&1
expect_exit 0 kmv --quiet remind
expect_in "$T/out" "membership 1 (周末卡盟 VIP) expires in 2 days (2026-01-18)"
expect_not_in "$T/out" "KM20260113000202"
# --until: silenced through that day, back the day after.
expect_exit 0 kmv --json remind --ack membership_expiry:1 --until 2026-01-17
expect_in "$T/out" '{"item":"membership_expiry:1","due":"2026-01-18","until":"2026-01-17"}'
expect_exit 0 kmv --quiet remind
[ ! -s "$T/out" ] || { cat "$T/out"; fail "--until did not silence the membership"; }
export KMVAULT_NOW=2026-01-18T09:00:00+08:00
expect_exit 0 kmv --quiet remind
expect_in "$T/out" "membership_expiry:1"

# Bad acknowledgements: nothing changes.
vault_snapshot
expect_exit 7 kmv remind --ack undelivered:NOSUCHORDER
expect_in "$T/err" "no reminder 'undelivered:NOSUCHORDER' is due"
expect_exit 2 kmv remind --ack membership_expiry:1 --until 2026-01-01
expect_in "$T/err" "in the past"
expect_exit 2 kmv remind --ack membership_expiry:1 --until soon
expect_exit 2 kmv remind --until 2026-02-01
vault_unchanged
echo ok
