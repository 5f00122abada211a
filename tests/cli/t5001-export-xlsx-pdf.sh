#!/bin/sh
# export --format xlsx|pdf: the workbook's sheets, text IDs and number
# amounts; the PDF passes qpdf --check and pdftotext shows the Chinese.
set -eu
. "$KMV_TESTS/cli/lib.sh"
. "$KMV_TESTS/cli/fixture.sh"
kmv_setup
kmv_fixture

expect_exit 0 kmv export --month 2024-03 --format xlsx -o "$T/r.xlsx"
[ "$(stat -c %a "$T/r.xlsx")" = 600 ] || fail "the report should be private (0600)"
python3 - "$T/r.xlsx" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
wb = z.read('xl/workbook.xml').decode()
assert 'name="记录"' in wb and 'name="汇总"' in wb
ss = z.read('xl/sharedStrings.xml').decode()
assert '<t>2024031522001100009999000001</t>' in ss
sheet = z.read('xl/worksheets/sheet1.xml').decode()
assert '<v>48.5</v>' in sheet and 'ySplit="1"' in sheet and '<autoFilter' in sheet
for name in z.namelist():
    assert b'SECRET' not in z.read(name), name
PY
ls "$T" | grep -q 'r.xlsx.tmp' && fail "a temporary file was left behind"

expect_exit 0 kmv export --month 2024-03 --format pdf -o "$T/r.pdf"
qpdf --check "$T/r.pdf" >/dev/null || fail "qpdf --check failed"
pdftotext -enc UTF-8 "$T/r.pdf" "$T/r.txt"
expect_in "$T/r.txt" "消费报表"
expect_in "$T/r.txt" "示例卡盟"
expect_in "$T/r.txt" "按平台汇总"
expect_in "$T/r.txt" "每日净支出"
expect_in "$T/r.txt" "63.50"
expect_in "$T/r.txt" "第 1 页"
expect_not_in "$T/r.txt" "SECRET"
