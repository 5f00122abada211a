#!/bin/sh
# query on a terminal (driven through script(1)): rows fit $COLUMNS
# (merchant/product cut with … at a character boundary, numbers never
# cut), the pager ($KMVAULT_PAGER, $PAGER; --no-pager), colour (--color,
# NO_COLOR) and the totals line on stderr; without a terminal the plain
# output is unchanged and has no totals unless --totals.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
command -v script >/dev/null || fail "script(1) (util-linux) is needed"

kmv import "$SAMPLES/alipay_2024-03.csv" "$SAMPLES/wechat_2024-03.csv" \
	"$SAMPLES/dujiaoka_orders.csv" >/dev/null 2>&1 || fail "import failed"

# on_tty ENV... -- ARGS...: kmvault on a pseudo-terminal; screen in $T/tty
on_tty() {
	envs=""
	while [ "$1" != -- ]; do envs="$envs '$1'"; shift; done
	shift
	cmd="env$envs '$KMVAULT_BIN'"
	for a in "$@"; do cmd="$cmd '$a'"; done
	set +e
	script -qec "$cmd" /dev/null </dev/null >"$T/tty" 2>&1
	got=$?
	set -e
	[ "$got" = 0 ] || { cat "$T/tty" >&2; fail "'$*' on a terminal exited $got"; }
}

# Plain output (not a terminal) is what it always was: no totals, no colour.
kmv query > "$T/plain" 2>"$T/plainerr"
expect_not_in "$T/plain" "records, total"
[ ! -s "$T/plainerr" ] || { cat "$T/plainerr" >&2; fail "query wrote to stderr"; }
expect_in "$T/plain" "1000039901202403221234567890"
if grep -qF "$(printf "\033[")" "$T/plain"; then fail "colour without a terminal"; fi
kmv query --totals > "$T/tot"
tail -n 1 "$T/tot" | grep -qx '10 records, total out ¥[0-9.]*, in ¥[0-9.]*' ||
	{ cat "$T/tot" >&2; fail "--totals line missing"; }
head -n -1 "$T/tot" | cmp -s - "$T/plain" || fail "--totals changed the table"
kmv query --format csv --totals > "$T/csv" 2>"$T/csverr"
expect_in "$T/csverr" "10 records, total out"
expect_not_in "$T/csv" "records, total"

# 60 columns: every line fits, text is shortened with …, amounts whole.
for cols in 60 72 80 100; do
	on_tty COLUMNS=$cols -- --no-pager query
	python3 - "$T/tty" "$cols" <<'PY' || fail "query at $cols columns does not fit"
import sys, unicodedata
text = open(sys.argv[1], 'rb').read().decode('utf-8')   # raises on a cut character
cols = int(sys.argv[2])
def width(s):
    return sum(2 if unicodedata.east_asian_width(ch) in 'WF' else 1 for ch in s)
import re
text = re.sub('\x1b\\[[0-9;]*m', '', text)
lines = [l for l in text.replace('\r\n', '\n').split('\n') if l]
assert lines[0].startswith('ID'), lines
for l in lines:
    assert width(l) <= cols, (cols, width(l), l)
# every amount is whole (two decimals, never cut)
import re
body = [l for l in lines[1:] if not l.startswith('10 records')]
assert len(body) == 10, body
for l in body:
    assert re.search(r' \d+\.\d\d ', l + ' '), l
PY
done
on_tty COLUMNS=60 -- --no-pager query
expect_in "$T/tty" "…"
expect_in "$T/tty" "10 records, total out ¥"
on_tty COLUMNS=250 -- --no-pager query
expect_in "$T/tty" "1000039901202403221234567890"
expect_in "$T/tty" "KIND"
expect_not_in "$T/tty" "…"

# The pager: $KMVAULT_PAGER first, then $PAGER; --no-pager and "cat" none.
on_tty COLUMNS=200 KMVAULT_PAGER="sed s/^/PAGED:/" PAGER=false -- query
expect_in "$T/tty" "PAGED:ID  TIME"
expect_not_in "$T/tty" "PAGED:10 records"   # totals on stderr, after the pager
expect_in "$T/tty" "10 records, total out"
on_tty COLUMNS=200 PAGER="sed s/^/VIAPAGER:/" -- query
expect_in "$T/tty" "VIAPAGER:ID  TIME"
on_tty COLUMNS=200 KMVAULT_PAGER="sed s/^/PAGED:/" -- --no-pager query
expect_not_in "$T/tty" "PAGED:"
on_tty COLUMNS=200 KMVAULT_PAGER="sed s/^/PAGED:/" -- query --no-pager
expect_not_in "$T/tty" "PAGED:"
on_tty COLUMNS=200 TERM=xterm KMVAULT_PAGER=cat -- query
expect_in "$T/tty" "ID  TIME"
# log and sources go through the pager too
on_tty COLUMNS=200 KMVAULT_PAGER="sed s/^/PAGED:/" -- log
expect_in "$T/tty" "PAGED:ID"
on_tty COLUMNS=200 KMVAULT_PAGER="sed s/^/PAGED:/" -- sources
expect_in "$T/tty" "PAGED:ID"
# not a terminal: never a pager
KMVAULT_PAGER="sed s/^/PAGED:/" kmv query > "$T/nopager"
expect_not_in "$T/nopager" "PAGED:"

# Colour: refunded and closed rows on a terminal; never with NO_COLOR or
# --color never; --color always even into a pipe.
esc=$(printf '\033[')
on_tty COLUMNS=200 TERM=xterm KMVAULT_PAGER=cat -- query
grep -qF "${esc}33m" "$T/tty" || fail "no colour for the refunded row"
on_tty COLUMNS=200 TERM=xterm KMVAULT_PAGER=cat NO_COLOR=1 -- query
if grep -qF "$esc" "$T/tty"; then fail "colour despite NO_COLOR"; fi
on_tty COLUMNS=200 TERM=xterm KMVAULT_PAGER=cat -- --color never query
if grep -qF "$esc" "$T/tty"; then fail "colour despite --color never"; fi
kmv --color always query > "$T/always"
grep -qF "${esc}33m" "$T/always" || fail "--color always gave no colour"
# anomalies: the finding's type in red; plain without colour
kmv --color always anomalies > "$T/an"
grep -qF "${esc}31m" "$T/an" && grep -qF "${esc}0m" "$T/an" || { cat "$T/an" >&2; fail "anomalies not coloured"; }
kmv anomalies > "$T/an"
if grep -qF "$esc" "$T/an"; then fail "anomalies coloured into a pipe"; fi
# remind: an overdue item in red
kmv member add --platform 示例卡盟 --expiry 2024-01-31 >/dev/null 2>&1 || fail "member add"
KMVAULT_NOW=2024-02-03T09:00:00+08:00 kmv --color always remind > "$T/rem"
grep -qF "${esc}31m[OVERDUE" "$T/rem" || { cat "$T/rem" >&2; fail "overdue reminder not red"; }
KMVAULT_NOW=2024-02-03T09:00:00+08:00 kmv remind > "$T/rem"
if grep -qF "$esc" "$T/rem"; then fail "remind coloured into a pipe"; fi
expect_exit 2 kmv --color sometimes query
expect_in "$T/err" "--color: expected auto, always or never"
# --quiet: no totals line on the terminal
on_tty COLUMNS=200 KMVAULT_PAGER=cat -- --quiet query
expect_not_in "$T/tty" "records, total"
echo "ok"
