#!/bin/sh
# import: malformed statements are rejected with file, line and reason
# (exit 6) and leave the vault byte-identical, also next to a good file.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
F="$T/fx"
python3 "$KMV_TESTS/gen_statement_fixtures.py" "$F"
kmv import "$SAMPLES/alipay_2024-03.csv" >/dev/null 2>&1
vault_snapshot

check() {
	expect_exit 6 kmv import "$F/wechat.csv" "$F/$1"
	expect_in "$T/err" "$2"
	expect_in "$T/err" 'nothing was imported; the vault is unchanged'
	vault_unchanged
}
check unterminated.csv 'unterminated.csv:22: unterminated quoted field'
check strayquote.csv 'strayquote.csv:18: a quoted field runs over several lines'
check badgbk.csv 'badgbk.csv:26: invalid GBK/GB18030 byte sequence'
check badtime.csv "badtime.csv:27: bad time 'yesterday noon' in column 交易时间 (expected YYYY-MM-DD HH:MM:SS)"
check shortrow.csv 'shortrow.csv:26: row has 5 fields, expected 13'
check unknown.bin 'unknown.bin: not a supported source: unrecognized file format'
check truncated.xlsx 'truncated.xlsx: '

# A workbook whose writer puts docProps/ first (the 2026 WeChat sample),
# cut before xl/workbook.xml: damaged, never "docProps/app.xml: not an
# order export" read as a ZIP of statements (issue 20.6).
size=$(wc -c < "$SAMPLES/wechat_2026-04.xlsx")
head -c $((size / 2)) "$SAMPLES/wechat_2026-04.xlsx" > "$T/cut.xlsx"
head -c 300 "$SAMPLES/wechat_2026-04.xlsx" > "$T/cut-early.xlsx"
for cut in cut cut-early; do
	expect_exit 6 kmv import "$T/$cut.xlsx"
	expect_in "$T/err" "$cut.xlsx: truncated or damaged XLSX workbook"
	expect_not_in "$T/err" 'docProps'
	expect_not_in "$T/err" 'not an order export'
	vault_unchanged
done

# Forced to a statement, the truncated workbook says what is wrong.
expect_exit 6 kmv import --kind wechat "$F/truncated.xlsx"
expect_in "$T/err" 'truncated.xlsx: truncated or damaged XLSX workbook'
vault_unchanged

# A statement without its header row.
grep -v '交易时间' "$SAMPLES/wechat_2024-03.csv" > "$T/noheader.csv"
expect_exit 6 kmv import "$T/noheader.csv"
expect_in "$T/err" 'noheader.csv: no header row found'
vault_unchanged

# A folder: files no importer knows (a README, a picture, the ZIP's
# password note) are skipped with a warning, the rest is imported; a
# broken statement in it still fails the whole run.
mkdir "$T/dir"
cp "$F/wechat.csv" "$SAMPLES/README.md" "$T/dir/"
printf 'secret-zip-password\n' > "$T/dir/statement.zip.password"
printf '\211PNG\r\n\032\n\0\0\0\rIHDR' > "$T/dir/screenshot.png"
cp "$F/badgbk.csv" "$T/dir/zz-badgbk.csv"
expect_exit 6 kmv import "$T/dir/"
expect_in "$T/err" 'zz-badgbk.csv:26: invalid GBK/GB18030 byte sequence'
vault_unchanged
rm "$T/dir/zz-badgbk.csv"
expect_exit 0 kmv --json import "$T/dir/"
expect_in "$T/err" "warning: $T/dir/README.md: skipped: not a statement, an order export or an e-mail"
expect_in "$T/err" "$T/dir/screenshot.png: skipped"
expect_in "$T/err" "$T/dir/statement.zip.password: skipped"
expect_not_in "$T/err" 'secret-zip-password'
expect_not_in "$T/err" "$T/dir//"
cp "$T/out" "$T/out.en"
# the folder's warnings in the reader's language (a dry run: same walk)
expect_exit 0 kmv_zh import --dry-run "$T/dir/"
expect_in "$T/err" "$T/dir/README.md：已跳过：不是账单、订单导出文件或邮件"
cp "$T/out.en" "$T/out"
python3 - "$T/out" <<'PY' || fail "folder import results"
import json, sys
files = json.load(open(sys.argv[1]))
assert [f["file"].rsplit("/", 1)[1] for f in files] == ["wechat.csv"], files
PY
expect_exit 0 kmv sources --json
expect_not_in "$T/out" 'README.md'
expect_not_in "$T/out" 'screenshot.png'
# A ZIP in a folder is known even when a member is not: still an error.
mkdir "$T/dir2"
(cd "$T/dir" && zip -q "$T/dir2/bundle.zip" README.md)
vault_snapshot
expect_exit 6 kmv import "$T/dir2"
expect_in "$T/err" "bundle.zip:README.md: not an order export"
vault_unchanged

# Named on the command line, the same file is an error; a one-line note
# is not quoted back as "headers seen".
vault_snapshot
expect_exit 6 kmv import "$T/dir/README.md"
expect_exit 6 kmv import "$T/dir/statement.zip.password"
expect_in "$T/err" 'statement.zip.password: not a supported source'
expect_not_in "$T/err" 'secret-zip-password'
vault_unchanged
