#!/bin/sh
# evidence create --include-sources: the copies of the source files have
# every card secret in them masked (other orders' too) and a warning says
# so; a source where a secret hides encoded (the base64 e-mail) is refused
# (exit 6, vault and directory unchanged) unless --include-unmasked-sources,
# which copies the originals byte for byte with a warning.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-10T09:00:00+08:00
expect_exit 0 kmv import --platform 示例卡盟 "$SAMPLES/orders_example-shop.csv"
expect_exit 0 kmv import "$SAMPLES/receipt_dujiaoka.eml"
mkdir "$T/o"

# Masked copies: neither this order's secret nor the other order's.
expect_exit 0 kmv evidence create KM20240315000101 -o "$T/o/m.zip" --include-sources
expect_in "$T/err" "warning"
expect_in "$T/err" "2 card secret(s) masked"
mkdir "$T/m" && (cd "$T/m" && unzip -q "$T/o/m.zip")
copy=$(ls "$T/m/m/data/sources/"*orders_example-shop.csv)
expect_in "$copy" "KM20240320000202"
expect_in "$copy" "CARD…0001"
if grep -rqE "CARD-5O-AAAA-0001|VIP-MONTH-0002" "$T/m"; then
	fail "a card secret is in a bundle made with --include-sources"
fi
expect_exit 0 kmv evidence verify "$T/o/m.zip"

# The e-mail's secret sits in a base64 part: refused, nothing written.
vault_snapshot
expect_exit 6 kmv evidence create Q7M2K9X4T1B8C5D3 -o "$T/o/e.zip" --include-sources
expect_in "$T/err" "receipt_dujiaoka.eml"
expect_in "$T/err" "--include-unmasked-sources"
vault_unchanged
[ ! -e "$T/o/e.zip" ] || fail "a refused bundle was written"
ls -A "$T/o" | grep -q tmp && fail "a refused bundle left a temporary file"

# Unmasked, on request: the originals byte for byte, and a warning.
expect_exit 0 kmv evidence create KM20240315000101 -o "$T/o/u.zip" --include-unmasked-sources
expect_in "$T/err" "warning"
expect_in "$T/err" "unmasked"
mkdir "$T/u" && (cd "$T/u" && unzip -q "$T/o/u.zip")
cmp -s "$SAMPLES/orders_example-shop.csv" "$(ls "$T/u/u/data/sources/"*orders_example-shop.csv)" ||
	fail "--include-unmasked-sources did not copy the original"
expect_exit 0 kmv evidence create Q7M2K9X4T1B8C5D3 -o "$T/o/e.zip" --include-unmasked-sources
expect_in "$T/err" "unmasked"
# Without either option no source file and no warning.
expect_exit 0 kmv evidence create KM20240315000101 -o "$T/o/n.zip"
expect_not_in "$T/err" "warning"
echo "ok"
