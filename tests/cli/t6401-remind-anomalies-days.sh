#!/bin/sh
# anomalies and remind count the days an order is overdue with one rule
# (CST calendar days past the delivery deadline): they printed 979 and
# 980 for the same order when the clock's hour was earlier than the
# payment's.  Issue 20.9.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
# Paid 2024-04-25 20:00, deadline 2 h: due 22:00 that day.  At 19:00 on
# 2026-12-01 the whole 24-hour periods since payment are one fewer than
# the calendar days since the deadline.
printf '订单号,商品名称,金额,下单时间,状态\r\nKM9001,测试点卡,20.00,2024-04-25 20:00:00,处理中\r\n' > "$T/orders.csv"
kmv import --platform 示例卡盟 "$T/orders.csv" >/dev/null 2>&1
export KMVAULT_NOW=2026-12-01T19:00:00+08:00
overdue=$(( ( $(date -u -d 2026-12-01 +%s) - $(date -u -d 2024-04-25 +%s) ) / 86400 ))

expect_exit 0 kmv anomalies --type undelivered
expect_in "$T/out" "$overdue days after its delivery deadline (2.0 h after payment)"
expect_exit 0 kmv remind
expect_in "$T/out" "[OVERDUE ${overdue}d] not delivered"
expect_exit 0 kmv --json remind
expect_in "$T/out" "\"days_left\":-$overdue,"

# A fake clock written in UTC is the same instant: the same count.
export KMVAULT_NOW=2026-12-01T11:00:00Z
expect_exit 0 kmv remind
expect_in "$T/out" "[OVERDUE ${overdue}d] not delivered"
expect_exit 0 kmv anomalies --type undelivered
expect_in "$T/out" "$overdue days after its delivery deadline"

# Within the first day past the deadline the anomaly counts hours.
export KMVAULT_NOW=2024-04-25T23:30:00+08:00
expect_exit 0 kmv anomalies --type undelivered
expect_in "$T/out" "3.5 h later (deadline 2.0 h)"
expect_exit 0 kmv remind
expect_in "$T/out" "[TODAY       ] not delivered"
echo "ok"
