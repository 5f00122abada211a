#!/bin/sh
# Issue 17.8: the heavy libraries live in plugins (lib/plugin/plugin.h).
# - A `query` binds none of cairo, pango, libxlsxwriter, GMime, libxml2,
#   poppler, Tesseract, libarchive; an XLSX report loads them when asked.
# - Importing a CSV or XLSX statement or order file never loads
#   kmvault-pages.so (the e-mail and page sniffers are in the binary),
#   a CSV file not kmvault-archive.so either.
# - `cmake --install` puts the plugins in LIBDIR/kmvault, and the
#   installed binary (anywhere under its --prefix) finds them there.
# - Every kmv_ function a plugin calls is one the binary exports.
# - A missing plugin is a clear error naming the file, exit 1, vault
#   unchanged; the commands that do not need it still work.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
command -v cmake >/dev/null 2>&1 || { echo "skip: no cmake"; exit 0; }

heavy='libcairo|libpango|libxlsxwriter|libgmime|libxml2|libpoppler|libtesseract|libarchive'

# The build tree's binary and plugins.
kmv --quiet import "$SAMPLES/alipay_2024-03.csv"
LD_DEBUG=libs "$KMVAULT_BIN" query --limit 1 </dev/null >/dev/null 2>"$T/libs"
grep -q 'calling init' "$T/libs" || fail "LD_DEBUG=libs printed nothing"
if grep -E "calling init: .*($heavy)" "$T/libs" >&2; then
	fail "query loaded a heavy library"
fi
LD_DEBUG=libs "$KMVAULT_BIN" export --format xlsx --month 2024-03 -o "$T/r.xlsx" \
	</dev/null >/dev/null 2>"$T/libs"
grep -q 'calling init: .*libxlsxwriter' "$T/libs" || fail "export --format xlsx did not load libxlsxwriter"
[ -s "$T/r.xlsx" ] || fail "no XLSX written"

# Statements and order files are told apart from e-mails and pages
# without the pages plugin; an e-mail loads it.
for f in wechat_2024-03.csv dujiaoka_orders.csv wechat_2026-04.xlsx; do
	LD_DEBUG=files "$KMVAULT_BIN" --quiet import "$SAMPLES/$f" </dev/null \
		>/dev/null 2>"$T/files" || { cat "$T/files" >&2; fail "import $f failed"; }
	grep -q 'file=' "$T/files" || fail "LD_DEBUG=files printed nothing"
	case $f in *.csv) plugins='kmvault-(pages|archive)' ;; *) plugins='kmvault-pages' ;; esac
	if grep -E "$plugins" "$T/files" >&2; then
		fail "import of $f loaded a plugin it does not need"
	fi
done
grep -q 'kmvault-archive' "$T/files" || fail "the XLSX import did not load kmvault-archive.so"
LD_DEBUG=files "$KMVAULT_BIN" --quiet import "$SAMPLES/receipt_dujiaoka.eml" </dev/null \
	>/dev/null 2>"$T/files" || fail "import of an e-mail failed"
grep -q 'kmvault-pages' "$T/files" || fail "the e-mail import did not load kmvault-pages.so"

# Each plugin's calls into kmvault are all defined by the binary (a call
# from one plugin's file into another's would fail only when loaded).
if command -v nm >/dev/null 2>&1; then
	nm -D --defined-only "$KMVAULT_BIN" | awk '{ print $3 }' | sort > "$T/exports"
	for so in "$KMV_BUILD"/kmvault-*.so; do
		nm -D --undefined-only "$so" | awk '$2 ~ /^kmv_/ { print $2 }' | sort |
			comm -23 - "$T/exports" > "$T/missing"
		[ ! -s "$T/missing" ] || fail "$so calls what kmvault lacks: $(cat "$T/missing")"
	done
fi

# Installed into a prefix of our own.
cmake --install "$KMV_BUILD" --prefix "$T/inst" >"$T/install.out" 2>&1 ||
	{ cat "$T/install.out" >&2; fail "cmake --install failed"; }
bin="$T/inst/bin/kmvault"
plugins=$(find "$T/inst" -name 'kmvault-*.so' | sort)
[ "$(echo "$plugins" | wc -l)" = 3 ] || fail "installed plugins: $plugins"
case $plugins in
*/lib*/kmvault/kmvault-archive.so*) ;;
*) fail "plugins not under LIBDIR/kmvault: $plugins" ;;
esac
"$bin" query --to 2024-03-31 --limit 1 </dev/null >"$T/out" || fail "installed query failed"
expect_in "$T/out" "2024-03"
"$bin" export --format pdf --month 2024-03 -o "$T/r.pdf" </dev/null 2>"$T/err" ||
	{ cat "$T/err" >&2; fail "installed export --format pdf failed"; }
[ "$(head -c 5 "$T/r.pdf")" = "%PDF-" ] || fail "no PDF written"
"$bin" --quiet import "$SAMPLES/receipt_dujiaoka.eml" </dev/null ||
	fail "installed import of an e-mail failed"
"$bin" --quiet import "$SAMPLES/wechat_2026-04.xlsx" </dev/null ||
	fail "installed import of an XLSX statement failed"

# One plugin missing: its commands fail clearly, the others work.
rm "$(echo "$plugins" | grep report)"
vault_snapshot
expect_exit 1 "$bin" export --format pdf --month 2024-03 -o "$T/r2.pdf"
expect_in "$T/err" "kmvault-report.so"
expect_in "$T/err" "writes PDF and Excel files"
[ ! -e "$T/r2.pdf" ] || fail "a PDF was written without the plugin"
vault_unchanged
"$bin" export --format csv --month 2024-03 -o "$T/r.csv" </dev/null ||
	fail "export --format csv needs no plugin"

# KMVAULT_PLUGIN_DIR points the build tree's binary elsewhere.
mkdir "$T/empty"
vault_snapshot
KMVAULT_PLUGIN_DIR="$T/empty" expect_exit 1 "$KMVAULT_BIN" import "$SAMPLES/receipt_dujiaoka.eml"
expect_in "$T/err" "$T/empty/kmvault-pages.so"
KMVAULT_PLUGIN_DIR="$T/empty" expect_exit 1 "$KMVAULT_BIN" import \
	--zip-password-file "$SAMPLES/alipay_2024-03.zip.password" "$SAMPLES/alipay_2024-03.zip"
expect_in "$T/err" "$T/empty/kmvault-archive.so"
vault_unchanged

echo "ok"
