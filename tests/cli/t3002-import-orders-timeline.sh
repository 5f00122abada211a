#!/bin/sh
# The same shop exported twice: the second import updates the changed
# order instead of duplicating it and extends its status timeline.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
python3 "$KMV_TESTS/gen_order_fixtures.py" "$T/fx"

KMVAULT_NOW=2024-05-01T12:00:00+08:00 expect_exit 0 kmv --json import --platform 快照小店 "$T/fx/snap_day1.csv"
expect_in "$T/out" '"added":2,"duplicates":0,"updated":0'
KMVAULT_NOW=2024-05-03T08:00:00+08:00 expect_exit 0 kmv --json import --platform 快照小店 "$T/fx/snap_day2.csv"
expect_in "$T/out" '"rows":2,"added":0,"duplicates":1,"updated":1'
# Same snapshot again: nothing changes.
expect_exit 0 kmv --json import --platform 快照小店 "$T/fx/snap_day2.csv"
expect_in "$T/out" '"added":0,"duplicates":2,"updated":0'

expect_exit 0 kmv show S-5001
expect_in "$T/out" 'timeline        awaiting payment → paid → delivered → completed'
kmv_zh show S-5001 > "$T/zh"
expect_in "$T/zh" '时间线          待支付 → 已支付 → 已发货 → 已完成'
expect_in "$T/zh" '于 2024-05-03T08:00:00+08:00 从 snap_day2.csv 得知'
expect_in "$T/out" '2024-05-02T09:00:00+08:00, seen 2024-05-03T08:00:00+08:00 from snap_day2.csv'
expect_in "$T/out" 'seen 2024-05-01T12:00:00+08:00 from snap_day1.csv'
expect_in "$T/out" 'WEEK…ABCD'
expect_not_in "$T/out" 'WEEK-CARD-5001-ABCD'
expect_exit 0 kmv --json show S-5001
expect_in "$T/out" '"status":"completed"'
expect_in "$T/out" '"timeline":[{"state":"pending_payment","label":"awaiting payment"'
expect_in "$T/out" '{"state":"completed","label":"completed","state_raw":"已完成","event_time":null,"seen_at":"2024-05-03T08:00:00+08:00","source":{"id":2,"file":"snap_day2.csv"}}]'
expect_in "$T/out" '"source":{"id":1,"file":"snap_day1.csv","line":2'
# One order, not two.
expect_in "$T/out" '"matches":1,"related":[]'
expect_exit 0 kmv show S-5002
expect_in "$T/out" 'timeline        paid'
expect_not_in "$T/out" 'completed'
