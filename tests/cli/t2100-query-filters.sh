#!/bin/sh
# query: every filter of cli.md, the three formats, usage errors.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
F="$T/fx"
python3 "$KMV_TESTS/gen_statement_fixtures.py" "$F"
kmv import "$F/alipay_c.csv" "$F/wechat.csv" >/dev/null 2>&1

count() { grep -o '"id":[0-9]*,"kind"' "$T/out" | wc -l | tr -d ' '; }

# --help: its first synopsis is the one of docs/kmvault-query.md.
expect_exit 0 kmv query --help
first_synopsis "$T/out" > "$T/synopsis"
grep -qxF "$(cat "$T/synopsis")" "$KMV_SRC/docs/kmvault-query.md" ||
	fail "query --help synopsis differs from docs/kmvault-query.md"

# Everything, newest first.
expect_exit 0 kmv query --format json
[ "$(count)" = 10 ] || fail "expected 10 records, got $(count)"
head -c 700 "$T/out" | grep -q '"time":"2024-05-24T09:30:00+08:00"' || fail "not newest first"

# Limits, kinds, platforms.
expect_exit 0 kmv query --json --limit 3
[ "$(count)" = 3 ] || fail "--limit 3"
expect_exit 0 kmv query --json --kind payment --platform ALIPAY
[ "$(count)" = 5 ] || fail "--platform alipay"
expect_exit 0 kmv query --json --kind order
[ "$(count)" = 0 ] || fail "--kind order"

# Dates: a day is inclusive; times narrow it down.
expect_exit 0 kmv query --json --from 2024-03-10 --to 2024-03-10
[ "$(count)" = 2 ] || fail "--from/--to day"
expect_exit 0 kmv query --json --from '2024-03-10 12:00' --to 2024-03-10
[ "$(count)" = 1 ] || fail "--from time"
expect_in "$T/out" '"status_raw":"退款成功"'

# Amounts, status (normalized or raw), merchant substring.
expect_exit 0 kmv query --json --min 40 --max 100.10
[ "$(count)" = 3 ] || fail "--min/--max"
expect_exit 0 kmv query --json --status closed
[ "$(count)" = 1 ] || fail "--status closed"
expect_exit 0 kmv query --json --status 支付成功
[ "$(count)" = 1 ] || fail "--status raw"
expect_exit 0 kmv query --json --merchant 超市
[ "$(count)" = 2 ] || fail "--merchant"

# Text: FTS5 trigram for >= 3 characters, LIKE below; CJK works.
expect_exit 0 kmv query --json --text 游戏点卡
[ "$(count)" = 1 ] || fail "--text 游戏点卡"
expect_exit 0 kmv query --json --text 奶茶
[ "$(count)" = 1 ] || fail "--text 奶茶 (short, LIKE)"
expect_exit 0 kmv query --json --text '示例 洗衣液'
[ "$(count)" = 2 ] || fail "--text two words"
expect_exit 0 kmv query --json --text '100%'
[ "$(count)" = 0 ] || fail "--text with LIKE metacharacters"

# Order number: merchant order number of payments.
expect_exit 0 kmv query --json --order-no KM20240315000101
[ "$(count)" = 1 ] || fail "--order-no"
expect_in "$T/out" '"merchant_order_no":"KM20240315000101"'

# Table: CJK aligned by display width; CSV with a header; global --json.
expect_exit 0 kmv query --merchant 超市
expect_in "$T/out" 'ID  TIME              KIND     PLATFORM  MERCHANT  PRODUCT      AMOUNT  DIR          STATUS    NUMBER'
expect_in "$T/out" ' 2  2024-03-10 18:20  payment  Alipay    示例超市  退款-洗衣液   12.00  not counted  退款成功  M200000000000000002'
# In Chinese: headers, kinds, sources and directions in words, no codes.
kmv_zh query --merchant 超市 > "$T/zh"
expect_in "$T/zh" '付款  支付宝'
expect_in "$T/zh" '不计收支  退款成功'
expect_not_in "$T/zh" 'neutral'
expect_not_in "$T/zh" 'alipay'
expect_exit 0 kmv query --format csv --kind payment --limit 1
expect_in "$T/out" '"id","kind","platform","merchant"'
# The report's CSV rules: a cell that Excel would run as a formula is
# defused with an apostrophe, an all-digit number keeps a trailing TAB
# (text, not 2.0E+27).
printf '订单号,商品名称,订单金额,下单时间,订单状态,店铺\n00123,=HYPERLINK("http://evil.example"),5.00,2024-05-30 10:00:00,已完成,示例店\n' > "$T/evil.csv"
kmv import "$T/evil.csv" >/dev/null 2>&1
expect_exit 0 kmv query --format csv --kind order
expect_in "$T/out" '"'"'"'=HYPERLINK(""http://evil.example"")"'
expect_in "$T/out" "$(printf '"00123\t"')"
expect_not_in "$T/out" ',"=HYPERLINK'
expect_exit 0 kmv void 00123
expect_exit 0 kmv query --text nothing-like-this
expect_in "$T/err" 'no records match'

# Usage errors: exit 2.
expect_exit 2 kmv query --format xml
expect_exit 2 kmv query --from yesterday
expect_in "$T/err" "bad date or time 'yesterday'"
expect_exit 2 kmv query --min abc
# A comma separates thousands (1,000.50) and is never a decimal comma (9,90).
expect_exit 2 kmv query --min 9,90
expect_in "$T/err" "bad amount '9,90'"
expect_in "$T/err" 'a comma only separates thousands'
expect_exit 2 kmv query --max 1,0000
expect_exit 0 kmv query --json --max 1000.50
n=$(count)
expect_exit 0 kmv query --json --max 1,000.50
[ "$(count)" = "$n" ] || fail "--max 1,000.50 is not --max 1000.50"
expect_exit 0 kmv query --json --min 1000.50
n=$(count)
expect_exit 0 kmv query --json --min 1,000.50
[ "$(count)" = "$n" ] || fail "--min 1,000.50 is not a thousand yuan"
# An unknown status word is an error naming the known ones; raw words work.
expect_exit 2 kmv query --status foo
expect_in "$T/err" "unknown status 'foo'"
expect_in "$T/err" 'partially_refunded'
expect_in "$T/err" 'pending_payment'
# ... in the user's language (the zh_CN catalog)
expect_exit 2 env LANG=zh_CN.UTF-8 "$KMVAULT_BIN" query --status foo
expect_in "$T/err" '未知状态“foo”'
expect_in "$T/err" 'partially_refunded'
expect_exit 0 kmv query --json --status 交易关闭
expect_exit 0 kmv query --json --status delivered
[ "$(count)" = 0 ] || fail "--status delivered"
expect_exit 2 kmv query --kind card
expect_exit 2 kmv query --min 10 --max 5
expect_exit 2 kmv query stray
