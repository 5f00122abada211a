#!/bin/sh
# The monthly PDF report states each anomaly in a Chinese sentence
# whatever the locale (issue 14): a duplicate charge, an undelivered order
# and a refund missing, read back through pdftotext.  `export --lang en`
# gives English documents, also under a Chinese locale.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-01T12:00:00+08:00
kmv_scenario matched

# LANG=C: the user's messages are English, the document is not.
expect_exit 0 kmv export --month 2024-03 --format pdf -o "$T/r.pdf"
pdftotext -enc UTF-8 "$T/r.pdf" "$T/r.txt"
tr -d '\n' < "$T/r.txt" > "$T/flat.txt"
expect_in "$T/flat.txt" "本期异常"
expect_in "$T/flat.txt" "【重复扣款】订单 KM007"
expect_in "$T/flat.txt" "示例卡盟 的订单 KM007"
expect_in "$T/flat.txt" "【付款后未发货】订单 KM011"
expect_in "$T/flat.txt" "【退款未到账】订单 KM013"
for w in Order charged "still shows" refund "paid for"; do
	expect_not_in "$T/flat.txt" "$w"
done
# and the same sentences as `anomalies` prints in Chinese
expect_exit 0 kmv_zh anomalies --type duplicate_charge
sentence=$(grep -o '示例卡盟 的订单 KM007[^。]*。' "$T/out" | head -1)
[ -n "$sentence" ] || fail "no Chinese sentence from anomalies"
# pdftotext may break the line anywhere: compare without spaces
tr -d ' ' < "$T/flat.txt" > "$T/flat2.txt"
printf '%s' "$sentence" | tr -d ' ' > "$T/s.txt"
grep -qF "$(cat "$T/s.txt")" "$T/flat2.txt" || fail "PDF lacks: $sentence"

# --lang en, whatever the locale: English PDF and CSV
LANG=zh_CN.UTF-8 expect_exit 0 kmv export --month 2024-03 --format pdf --lang en -o "$T/en.pdf"
pdftotext -enc UTF-8 "$T/en.pdf" - | tr -d '\n' > "$T/en.txt"
expect_in "$T/en.txt" "kmvault spending report"
expect_in "$T/en.txt" "Anomalies of the period"
expect_in "$T/en.txt" "[duplicate charge] order KM007"
expect_in "$T/en.txt" "was charged 2"
expect_not_in "$T/en.txt" "本期异常"
expect_not_in "$T/en.txt" "重复扣款"
LANG=zh_CN.UTF-8 expect_exit 0 kmv export --month 2024-03 --format csv --lang en -o "$T/en.csv"
head -1 "$T/en.csv" | grep -q '"ID","Kind","Time","Platform"' || fail "CSV header not English: $(head -1 "$T/en.csv")"
grep -q '"Total: net spending = spending − refunds and income"' "$T/en.csv" || fail "no English total line"
# the default stays Chinese
expect_exit 0 kmv export --month 2024-03 --format csv -o "$T/zh.csv"
grep -q '类型' "$T/zh.csv" || fail "default CSV not Chinese"
expect_exit 2 kmv export --month 2024-03 --format csv --lang fr -o "$T/fr.csv"
true
