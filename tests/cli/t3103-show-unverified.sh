#!/bin/sh
# A field OCR was unsure of is marked `unverified` where `show` prints it
# (in the user's language), every other field is not; --json keeps the
# list in extra.unverified.  The screenshot: the receipt PDF of t3102
# rendered at 60 dpi, whose order number Tesseract reads with low
# confidence.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-01T12:00:00+08:00
python3 "$KMV_TESTS/gen_page_fixtures.py" "$T/fx"
pdftoppm -png -r 60 -singlefile "$T/fx/receipt.pdf" "$T/fx/small"
expect_exit 0 kmv import "$T/fx/small.png"
expect_exit 0 kmv --json show 1
python3 -c 'import json,sys
d = json.load(sys.stdin)
d = d[0] if isinstance(d, list) else d
it = d["items"][0] if "items" in d else d
print(" ".join(it["extra"]["unverified"]))' < "$T/out" > "$T/unverified"
[ -s "$T/unverified" ] || fail "the low-resolution screenshot left no field unverified"
expect_exit 0 kmv show 1
cp "$T/out" "$T/human"
# the heading carries the order number, the other fields their own line
mark='[unverified: the OCR was unsure'
for f in order_no time amount product platform payment_no; do
	case $f in
	order_no) line=$(sed -n 1p "$T/human") ;;
	payment_no) line=$(grep '^  payment no ' "$T/human" || true) ;;
	*) line=$(grep "^  $f " "$T/human" || true) ;;
	esac
	if grep -qw "$f" "$T/unverified"; then
		case $line in *"$mark"*) ;; *) fail "$f is unverified but not marked: $line" ;; esac
	else
		case $line in *"$mark"*) fail "$f is marked but verified: $line" ;; esac
	fi
done
# in Chinese
expect_exit 0 kmv_zh show 1
expect_in "$T/out" '【未核实：文字识别没有把握'
expect_not_in "$T/out" 'unverified: the OCR'
echo ok
