#!/bin/sh
# Seed corpora from the project's own fixtures and samples.
# Usage: fuzz/seeds.sh TARGET CORPUS_DIR BUILD_DIR
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
t=$1 corpus=$2 build=$3
gen=$(mktemp -d "${TMPDIR:-/tmp}/kmv-seeds-XXXXXX")
trap 'rm -rf "$gen"' EXIT
copy() { for f in "$@"; do [ -f "$f" ] && cp "$f" "$corpus/$(basename "$f")" 2>/dev/null || true; done; }
case "$t" in
fuzz_statement)
	python3 "$top/tests/gen_statement_fixtures.py" "$gen" >/dev/null 2>&1 || true
	copy "$top"/samples/*.csv $(find "$gen" -name '*.csv' | head -40) ;;
fuzz_xlsx)
	python3 "$top/tests/gen_statement_fixtures.py" "$gen" >/dev/null 2>&1 || true
	copy "$top"/samples/*.xlsx $(find "$gen" -name '*.xlsx' | head -20) ;;
fuzz_mail)
	python3 "$top/tests/gen_order_fixtures.py" "$gen" >/dev/null 2>&1 || true
	copy "$top"/samples/*.eml $(find "$gen" -name '*.eml' -o -name '*.mbox' | head -20) ;;
fuzz_profile_rules)
	python3 "$top/tests/gen_order_fixtures.py" "$gen" >/dev/null 2>&1 || true
	copy "$top"/samples/orders_example-shop.csv "$top"/samples/dujiaoka_orders.csv \
		$(find "$gen" -name '*.profile' -o -name '*.rules' -o -name '*.json' | head -20) ;;
fuzz_page_html)
	python3 "$top/tests/gen_page_fixtures.py" "$gen" >/dev/null 2>&1 || true
	copy "$gen"/*.html "$gen"/*.mhtml "$gen"/pasted.txt ;;
fuzz_page_pdf)
	python3 "$top/tests/gen_page_fixtures.py" "$gen" >/dev/null 2>&1 || true
	copy "$gen"/*.pdf ;;
fuzz_evidence_verify)
	d=$gen/v
	mkdir -p "$d"
	printf 'pass\n' > "$d/pass"
	if KMVAULT_VAULT="$d/v.kmv" KMVAULT_PASSPHRASE_FILE="$d/pass" sh -c "
		'$build/kmvault' init --kdf interactive --recovery-key-out '$d/rk' &&
		'$build/kmvault' import --platform 示例卡盟 '$top/samples/orders_example-shop.csv' &&
		'$build/kmvault' evidence create KM20240315000101 -o '$d/bundle.zip' &&
		'$build/kmvault' evidence create KM20240320000202 -o '$d/bundle.tar.gz'" >/dev/null 2>&1; then
		copy "$d/bundle.zip" "$d/bundle.tar.gz"
	fi ;;
esac
