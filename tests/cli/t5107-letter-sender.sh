#!/bin/sh
# The letter's sender comes from the config's [letter] section (issue
# 14.2): name, phone, address, e-mail and ID number fill the blanks of
# the 申诉书 (and of the payment channel's letter), the signature names
# the sender, and the CLI's note no longer asks to fill them in.
# Without the section the blanks stay (t5105).
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-01T12:00:00+08:00
kmv_scenario matched

expect_exit 0 kmv config set letter.name 张三
expect_exit 0 kmv config set letter.phone 13800000000
expect_exit 0 kmv config set letter.address 北京市朝阳区示例路1号
expect_exit 0 kmv config set letter.email zhangsan@example.com
expect_exit 0 kmv config set letter.id_number 110101199001011234
expect_exit 0 kmv evidence create KM007 -o "$T/a.zip"
expect_in "$T/err" "with your name and contact from the config's [letter] section"
expect_not_in "$T/err" "fill in your name"
bag_unpack "$T/a.zip" "$T/a"
l="$T/a/data/申诉书.txt"
expect_in "$l" "申诉人：张三　联系电话：13800000000　联系地址或电子邮箱：北京市朝阳区示例路1号；zhangsan@example.com"
expect_in "$l" "身份证号码：110101199001011234"
expect_in "$l" "申诉人：张三（签名）"
expect_not_in "$l" "申诉人：________"
# the payment channel's letter (a duplicate charge is against the charge)
for f in "$T"/a/data/*争议处理申请*.txt; do
	[ -f "$f" ] || fail "no payment channel letter"
	expect_in "$f" "申请人：张三　联系电话：13800000000"
done
# the note in Chinese too
expect_exit 0 kmv_zh evidence create KM007 -o "$T/b.zip"
expect_in "$T/err" "姓名和联系方式已取自配置中的 [letter] 一节"

# only a name: the other fields stay blanks to fill in
expect_exit 0 kmv config set letter.phone ''
expect_exit 0 kmv config set letter.address ''
expect_exit 0 kmv config set letter.email ''
expect_exit 0 kmv config set letter.id_number ''
expect_exit 0 kmv evidence create KM007 -o "$T/c.zip"
expect_in "$T/err" "fill in your name"
bag_unpack "$T/c.zip" "$T/c"
expect_in "$T/c/data/申诉书.txt" "申诉人：张三　联系电话：________　联系地址或电子邮箱：________"
expect_not_in "$T/c/data/申诉书.txt" "身份证号码"
# English letter, same sender
expect_exit 0 kmv config set letter.phone 13800000000
expect_exit 0 kmv evidence create KM007 --lang en -o "$T/d.zip"
bag_unpack "$T/d.zip" "$T/d"
expect_in "$T/d/data/complaint.txt" "Complainant: 张三   Telephone: 13800000000   Address or e-mail: ________"
echo "ok"
