#!/bin/sh
# export and evidence on the bundled sample files, imported by the real
# importers: the March report in every format, no card secret anywhere,
# and a verified bundle for the card-shop order.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup

expect_exit 0 kmv import "$SAMPLES/alipay_2024-03.csv" "$SAMPLES/wechat_2024-03.csv" \
	"$SAMPLES/orders_example-shop.csv" "$SAMPLES/dujiaoka_orders.csv" \
	"$SAMPLES/receipt_dujiaoka.eml"

expect_exit 0 kmv export --month 2024-03 --format csv -o "$T/r.csv"
python3 - "$T/r.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8-sig')))
assert rows[0][0] == 'ID' and len(rows) > 5, len(rows)
trade = [r[6] for r in rows[1:] if r[6].startswith('2024031522001100009999000003')]
assert trade == ['2024031522001100009999000003\t'], trade
assert any(r[5] == 'KM20240315000101' for r in rows), 'order missing'
PY
expect_exit 0 kmv export --month 2024-03 --format xlsx -o "$T/r.xlsx"
expect_exit 0 kmv export --month 2024-03 --format pdf -o "$T/r.pdf"
qpdf --check "$T/r.pdf" >/dev/null || fail "qpdf --check"
pdftotext -enc UTF-8 "$T/r.pdf" "$T/r.txt"
expect_in "$T/r.txt" "示例卡盟"
expect_in "$T/r.txt" "游戏点卡"
for f in "$T/r.csv" "$T/r.txt"; do
	expect_not_in "$f" "CARD-5O-AAAA-0001"
	expect_not_in "$f" "VIP-MONTH-0002"
	expect_not_in "$f" "DEMO-AAAA-BBBB-0001"
done
python3 - "$T/r.xlsx" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    d = z.read(n)
    for s in (b'CARD-5O-AAAA-0001', b'VIP-MONTH-0002', b'DEMO-AAAA-BBBB-0001'):
        assert s not in d, (n, s)
PY

expect_exit 0 kmv evidence create KM20240315000101 -o "$T/e.zip" --claim "退款 48.50 元"
expect_exit 0 kmv evidence pubkey
cp "$T/out" "$T/k.pub"
expect_exit 0 kmv evidence verify "$T/e.zip" --pubkey "$T/k.pub"
mkdir "$T/x" && (cd "$T/x" && unzip -q "$T/e.zip")
(cd "$T/x/e" && sha256sum -c --quiet manifest-sha256.txt && \
	minisign -Vm tagmanifest-sha256.txt -p "$T/k.pub" >/dev/null) || fail "standard tools"
expect_in "$T/x/e/data/timeline.txt" "2024031522001100009999000003"
expect_in "$T/x/e/data/sources/excerpts.txt" "alipay_2024-03.csv"
if grep -rq "CARD-5O-AAAA-0001" "$T/x"; then fail "card secret in the bundle"; fi
