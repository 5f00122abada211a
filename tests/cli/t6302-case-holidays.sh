#!/bin/sh
# case deadlines with a holiday calendar: days off and weekend days worked
# (调休) from $KMVAULT_HOLIDAYS or the per-user file; a bad file is named.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
expect_exit 0 kmv import "$SAMPLES/orders_example-shop.csv" --platform 示例卡盟
export KMVAULT_NOW=2025-09-30T18:00:00+08:00

# Without a calendar: Tuesday 09-30 + 7 working days = Thursday 10-09.
expect_exit 0 kmv case open KM20240315000101 --reason undelivered
expect_exit 0 kmv --json case list
expect_in "$T/out" '"id":1,"order_no":"KM20240315000101","reason":"undelivered","status":"open","opened_at":"2025-09-30T18:00:00+08:00","reply_days":7,"deadline":"2025-10-09"'

# The 2025 National Day notice in the per-user file: 10-01..10-08 off,
# Saturday 10-11 worked -> Thursday 10-16.
mkdir -p "$XDG_CONFIG_HOME/kmvault"
cat > "$XDG_CONFIG_HOME/kmvault/holidays" <<'CAL'
# 国务院办公厅关于2025年部分节假日安排的通知
2025-10-01..2025-10-08 off 国庆节、中秋节
2025-09-28 work
2025-10-11 work
CAL
expect_exit 0 kmv case open KM20240320000202 --reason amount_mismatch
expect_exit 0 kmv case update 1 --reply-days 7
expect_exit 0 kmv --json case list
expect_in "$T/out" '"id":1,"order_no":"KM20240315000101","reason":"undelivered","status":"open","opened_at":"2025-09-30T18:00:00+08:00","reply_days":7,"deadline":"2025-10-16"'
expect_in "$T/out" '"id":2,"order_no":"KM20240320000202","reason":"amount_mismatch","status":"open","opened_at":"2025-09-30T18:00:00+08:00","reply_days":7,"deadline":"2025-10-16"'

# $KMVAULT_HOLIDAYS wins; a bad line is named and nothing changes.
printf '2025-10-01 off\n2025-10-02 holiday\n' > "$T/bad-holidays"
vault_snapshot
KMVAULT_HOLIDAYS="$T/bad-holidays" expect_exit 6 kmv case update 2 --reply-days 3
expect_in "$T/err" "bad-holidays:2: expected 'off' or 'work' after the date"
# ... and in Chinese, naming the file and line too (issue 14)
LANG=zh_CN.UTF-8 KMVAULT_HOLIDAYS="$T/bad-holidays" expect_exit 6 kmv case update 2 --reply-days 3
expect_in "$T/err" "bad-holidays:2："
expect_not_in "$T/err" "expected 'off'"
vault_unchanged
KMVAULT_HOLIDAYS="$T/missing" expect_exit 7 kmv case list
expect_in "$T/err" 'missing'
