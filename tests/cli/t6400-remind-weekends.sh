#!/bin/sh
# remind: memberships expiring and at risk of the inactivity clause around
# a weekend, the window, --json, --quiet; exit 0 even when items are due.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
# Friday 2026-01-16.
export KMVAULT_NOW=2026-01-16T09:00:00+08:00

expect_exit 0 kmv remind
expect_in "$T/out" "kmvault reminders for 2026-01-16 (next 7 days)"
expect_in "$T/out" "nothing due"
expect_exit 0 kmv --quiet remind
[ ! -s "$T/out" ] || fail "--quiet printed something with nothing due"

kmv member add --platform 周末卡盟 --level VIP --expiry 2026-01-18 >/dev/null 2>&1  # Sunday
kmv member add --platform 周一卡盟 --expiry 2026-03-01 --inactivity-days 30 \
	--last-login 2025-12-20 >/dev/null 2>&1                                   # Mon 01-19
kmv member add --platform 过期卡盟 --expiry 2026-01-14 --auto-renew >/dev/null 2>&1
kmv member add --platform 远期卡盟 --expiry 2026-02-14 >/dev/null 2>&1
kmv member add --platform 已结束 --expiry 2026-01-17 >/dev/null 2>&1
kmv member end 5 >/dev/null 2>&1

expect_exit 0 kmv remind
expect_in "$T/out" "[OVERDUE   2d] membership expiry     membership 3 (过期卡盟) expired 2 days ago (2026-01-14); it should have renewed itself"
expect_in "$T/out" "[in   2 days] membership expiry     membership 1 (周末卡盟 VIP) expires in 2 days (2026-01-18)"
expect_in "$T/out" "[in   3 days] membership inactivity membership 2 (周一卡盟) is downgraded after 30 days without login: last login 2025-12-20, log in by 2026-01-19"
expect_not_in "$T/out" "远期卡盟"
expect_not_in "$T/out" "已结束"
# Order: overdue first.
head -n 2 "$T/out" | tail -n 1 | grep -q OVERDUE || fail "not most urgent first"

expect_exit 0 kmv --json remind --days 30
expect_in "$T/out" '{"type":"membership_expiry","due":"2026-01-14","days_left":-2,"ref":3,"subject":"过期卡盟","amount":null,'
expect_in "$T/out" '"type":"membership_inactivity","due":"2026-01-19","days_left":3,"ref":2'
expect_in "$T/out" '"subject":"远期卡盟"'

# Monday: a login moves the inactivity date; Sunday's expiry is overdue.
export KMVAULT_NOW=2026-01-19T08:00:00+08:00
kmv member login 2 >/dev/null 2>&1
expect_exit 0 kmv --json remind
expect_not_in "$T/out" membership_inactivity
expect_in "$T/out" '"days_left":-1,"ref":1'
expect_exit 0 kmv --quiet remind
expect_not_in "$T/out" "kmvault reminders"
expect_in "$T/out" "membership 1"
expect_exit 2 kmv remind --days x
echo ok
