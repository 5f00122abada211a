#!/bin/sh
# Messages that used to stay English or Chinese whatever the locale
# (issue 14): rules-file errors name the file and line in the reader's
# language, import --help names the built-in profiles the library knows.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup

# A rules file with a mistake on line 2: Chinese under zh_CN, English under C.
printf '# 分类\nmatch merchant 美团 -> set colour 餐饮\n' > "$T/bad.rules"
expect_exit 6 kmv_zh rules apply --rules "$T/bad.rules"
expect_in "$T/err" "bad.rules:2：不能设置“colour”（可设置 category、platform、tag 或 note）"
expect_not_in "$T/err" "cannot set"
expect_exit 6 kmv rules apply --rules "$T/bad.rules"
expect_in "$T/err" "bad.rules:2: cannot set 'colour' (category, platform, tag or note)"
printf 'match merchant (美团 -> set category 餐饮\n' > "$T/bad2.rules"
expect_exit 6 kmv_zh rules apply --rules "$T/bad2.rules"
expect_in "$T/err" "bad2.rules:1：匹配模式“(美团”有误："
printf 'match merchant -> set category 餐饮\n' > "$T/bad3.rules"
expect_exit 6 kmv_zh rules apply --rules "$T/bad3.rules"
expect_in "$T/err" "bad3.rules:1："
expect_not_in "$T/err" "pattern"

# import --help lists every built-in profile the library accepts: the
# names come from the library's own "unknown profile" message.
expect_exit 2 kmv import --profile no-such-profile "$T/bad.rules"
names=$(sed -n "s/.*(built-in: \([^;]*\);.*/\1/p" "$T/err" | tr -d ',')
[ -n "$names" ] || fail "no built-in profile list in: $(cat "$T/err")"
expect_exit 0 kmv import --help
for n in $names; do
	expect_in "$T/out" "$n"
done
expect_not_in "$T/out" "generic, dujiaoka, or a file"

# Help in Chinese wraps by display width and may break between CJK
# characters: no option line wider than 79 columns, no line starting with
# closing punctuation.
for c in import evidence export query anomalies remind; do
	expect_exit 0 kmv_zh "$c" --help
	python3 - "$T/out" "$c" <<'PY' || fail "$c --help wraps badly"
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
for l in lines:
    if l.startswith("用法") or l.startswith("  kmvault"):
        continue  # the synopsis is one line in either language
    if width(l) > 79:
        sys.exit("%s: %d columns: %s" % (sys.argv[2], width(l), l))
    if l.strip() and l.strip()[0] in "，。、；：）」”":
        sys.exit("%s: starts with punctuation: %s" % (sys.argv[2], l))
PY
done

# log: action words and readable detail, not codes and JSON.
export KMVAULT_NOW=2026-12-01T19:00:00+08:00
printf '订单号,商品名称,金额,下单时间,状态\r\nKM9001,测试点卡,20.00,2026-11-28 20:00:00,处理中\r\n' > "$T/orders.csv"
kmv import --platform 示例卡盟 "$T/orders.csv" >/dev/null 2>&1
kmv case open KM9001 --reason undelivered --reply-days 3 >/dev/null 2>&1
expect_exit 0 kmv_zh log
expect_in "$T/out" "立案"
expect_in "$T/out" "案件：1，订单：KM9001"
expect_in "$T/out" "导入"
expect_in "$T/out" "创建保险库"
expect_not_in "$T/out" "case_open"
expect_not_in "$T/out" '{"'
expect_exit 0 kmv log
expect_in "$T/out" "case opened"
expect_in "$T/out" "case: 1, order: KM9001"
expect_in "$T/out" "vault created"
expect_not_in "$T/out" "case_open"
expect_not_in "$T/out" '{"'
expect_exit 0 kmv --json log
expect_in "$T/out" '"action":"case_open"'
expect_in "$T/out" '"action_label":"case opened"'
# every action the log holds has words in Chinese (no ASCII in the column)
expect_exit 0 kmv_zh log
awk 'NR > 1 { print $3 }' "$T/out" | grep '[A-Za-z]' && fail "an action code in log"
true
