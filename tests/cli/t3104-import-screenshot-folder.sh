#!/bin/sh
# A folder of screenshots is OCR'd on every core (ocr_pool.c) and gives
# exactly what importing the pictures one at a time gives: the same
# receipts, fields, confidences and order; a corrupt picture in the folder
# is skipped with a warning; on a terminal one bar counts the pictures.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-01T12:00:00+08:00
python3 "$KMV_TESTS/gen_page_fixtures.py" "$T/fx"
mkdir "$T/shots"
for r in 140 150 160; do
	pdftoppm -png -r $r -singlefile "$T/fx/receipt.pdf" "$T/shots/shot-$r"
done
cp "$T/fx/broken.png" "$T/shots/broken.png"

expect_exit 0 kmv --json import "$T/shots"
expect_in "$T/err" 'broken.png: skipped: not a readable image'
expect_not_in "$T/err" 'not a statement'
expect_exit 0 kmv --json query
python3 -c 'import json,sys
for r in json.load(sys.stdin):
    print(r["order_no"], r["amount"], r["time"], r.get("product"))' < "$T/out" > "$T/folder"
expect_exit 0 kmv --json show 1
grep -o '"ocr_confidence":{[^}]*}' "$T/out" > "$T/conf-folder"

# one at a time, in a second vault
export KMVAULT_VAULT="$T/one.kmv"
expect_exit 0 kmv init --kdf interactive --recovery-key-out "$T/rk2"
for r in 140 150 160; do
	expect_exit 0 kmv import "$T/shots/shot-$r.png"
done
expect_exit 0 kmv --json query
python3 -c 'import json,sys
for r in json.load(sys.stdin):
    print(r["order_no"], r["amount"], r["time"], r.get("product"))' < "$T/out" > "$T/single"
expect_exit 0 kmv --json show 1
grep -o '"ocr_confidence":{[^}]*}' "$T/out" > "$T/conf-single"
[ "$(wc -l < "$T/folder")" = 3 ] || { cat "$T/folder"; fail "3 receipts expected"; }
cmp "$T/folder" "$T/single" || { diff "$T/folder" "$T/single"; fail "the folder gave other records"; }
cmp "$T/conf-folder" "$T/conf-single" || fail "the folder gave other confidences"

# on a terminal: the pictures counted on one bar
command -v script >/dev/null || fail "script(1) (util-linux) is needed"
export KMVAULT_VAULT="$T/tty.kmv"
expect_exit 0 kmv init --kdf interactive --recovery-key-out "$T/rk3"
set +e
script -qec "'$KMVAULT_BIN' import '$T/shots'" /dev/null </dev/null >"$T/tty" 2>&1
got=$?
set -e
[ "$got" = 0 ] || { cat "$T/tty" >&2; fail "import on a terminal exited $got"; }
# four pictures, the corrupt one counted too
expect_in "$T/tty" '] 4/4'
echo ok
