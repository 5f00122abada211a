#!/bin/sh
# Issue 19.12: C0/C1 control characters that came in with the data never
# reach stdout raw either: a statement whose merchant and product carry
# terminal escape sequences (OSC title, clear screen, a C1 CSI), imported
# from a file whose name carries one, is shown by query, show, sources,
# anomalies and the import summary with every control as '?' (one
# sanitizer, cmd/cli.c control_at).  JSON keeps the data exact (escaped).
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
esc=$(printf '\033')
bel=$(printf '\007')
c1=$(printf '\302\233') # U+009B, the C1 CSI, in UTF-8

# An Alipay statement (GB18030, as exported) with hostile cells.
name="$T/evil$(printf '\033[31m')bill.csv"
python3 - "$SAMPLES/alipay_2024-03.csv" "$name" <<'PY'
import sys
text = open(sys.argv[1], encoding='gb18030').read()
text = text.replace('示例面馆', '示例\x1b]0;pwned\x07面馆\x1b[2J', 1)
text = text.replace('午餐套餐', '午餐\x9b31m套餐', 1)
open(sys.argv[2], 'w', encoding='gb18030').write(text)
PY

no_controls() {
	if grep -q "$esc" "$1"; then od -c "$1" | head -20 >&2; fail "$2: ESC on stdout"; fi
	if grep -q "$bel" "$1"; then fail "$2: BEL on stdout"; fi
	if grep -q "$c1" "$1"; then fail "$2: a C1 control on stdout"; fi
}

expect_exit 0 kmv --color always import "$name"
no_controls "$T/out" "import summary"
no_controls "$T/err" "import messages"
expect_in "$T/out" "evil?[31mbill.csv"

expect_exit 0 kmv --color never query --merchant 示例
no_controls "$T/out" "query table"
expect_in "$T/out" "示例?]0;pwned?面馆?[2J"
expect_exit 0 kmv query --limit 10 --format csv
# CSV is data, not terminal output: the cell is kept as it was imported.
grep -q "$esc" "$T/out" || fail "query --format csv changed the data"

id=$(kmv --json query --order-no T100000000000000001 |
	python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
expect_exit 0 kmv show "$id"
no_controls "$T/out" "show"
expect_in "$T/out" "午餐?31m套餐"
expect_in "$T/out" "示例?]0;pwned?面馆?[2J"
expect_exit 0 kmv --json show "$id"
expect_in "$T/out" '\u001b]0;pwned\u0007'

expect_exit 0 kmv sources
no_controls "$T/out" "sources"
expect_in "$T/out" "evil?[31mbill.csv"

expect_exit 0 kmv anomalies
no_controls "$T/out" "anomalies"
expect_exit 0 kmv log
no_controls "$T/out" "log"
