#!/bin/sh
# import: JD (京东) bills, detected by content, with refund notes and rows.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
F="$T/fx"
python3 "$KMV_TESTS/gen_statement_fixtures.py" "$F"

# Detected by 京东账号名 (UTF-8 with BOM), header found on line 22.
expect_exit 0 kmv --json import "$F/jd.csv"
expect_in "$T/out" '"kind":"jd","rows":4,"added":4,"duplicates":0'
expect_in "$T/out" 'JD.com CSV, header on line 22'

# Preamble metadata: account, 日期区间 … 至 …, 申请时间, 共：N笔记录.
expect_exit 0 kmv --json sources
expect_in "$T/out" '"account":"jd_demo***","period_start":"2024-03-01","period_end":"2024-03-31","exported_at":"2024-04-01 09:00:00","declared_count":4,"rows":4'

# 131.77(已退款89.84): the amount is the original, the status partial;
# 468.32(已全额退款): refunded in full; several categories stay as one.
expect_exit 0 kmv query --json --min 131.77 --max 131.77
expect_in "$T/out" '"amount":"131.77","direction":"out","status":"partially_refunded","status_raw":"交易成功"'
expect_in "$T/out" '"category":"数码 手机通讯"'
expect_exit 0 kmv query --json --min 468.32 --max 468.32
expect_in "$T/out" '"status":"refunded"'

# The 退款- row is its own neutral record, linked to the purchase through
# the merchant order number (match turns the importer's link into a
# refund link).
expect_exit 0 kmv show 1
expect_in "$T/out" 'status          refunded (the source says 退款成功)'
expect_in "$T/out" 'direction       not counted'
kmv_zh show 1 > "$T/zh"
expect_in "$T/zh" '已退款（来源记为“退款成功”）'
expect_in "$T/zh" '不计收支'
expect_exit 0 kmv match
expect_in "$T/out" 'refund 1'
expect_exit 0 kmv show 2
expect_in "$T/out" 'refunds 89.84 of payment #2 (131.77), as the statement shows'

# Forced kind works too, and a re-import adds nothing.
expect_exit 0 kmv --json import --kind jd "$F/jd.csv"
expect_in "$T/out" '"kind":"jd","rows":4,"added":0,"duplicates":4'

# A JD file whose header lost a required column is rejected, naming it.
grep -v '^交易时间' "$F/jd.csv" > "$T/nohdr.csv"
vault_snapshot
expect_exit 6 kmv import "$T/nohdr.csv"
expect_in "$T/err" 'nohdr.csv: no header row found'
vault_unchanged
