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
check unknown.bin 'unknown.bin: unrecognized file format'
check truncated.xlsx 'truncated.xlsx: '

# Forced to a statement, the truncated workbook says what is wrong.
expect_exit 6 kmv import --kind wechat "$F/truncated.xlsx"
expect_in "$T/err" 'truncated.xlsx: truncated or damaged XLSX workbook'
vault_unchanged

# A statement without its header row.
grep -v '交易时间' "$SAMPLES/wechat_2024-03.csv" > "$T/noheader.csv"
expect_exit 6 kmv import "$T/noheader.csv"
expect_in "$T/err" 'noheader.csv: no header row found'
vault_unchanged
