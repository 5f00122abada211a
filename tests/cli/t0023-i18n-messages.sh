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
true
