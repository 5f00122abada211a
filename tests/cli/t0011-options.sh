#!/bin/sh
# Option errors name the option and exit 2 for every command; help,
# 'kmvault help CMD [VERB]', CMD --help and CMD -h print the same text on
# stdout; every option of every table is one its command parses.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup

vault_snapshot
expect_exit 2 kmv query --bogus
expect_in "$T/err" "unknown option '--bogus' for 'query'"
expect_exit 2 kmv query --limit
expect_in "$T/err" "option '--limit' needs a value"
expect_exit 2 kmv import --kindd x
expect_in "$T/err" "unknown option '--kindd' for 'import'"
expect_exit 2 kmv import --kind
expect_in "$T/err" "option '--kind' needs a value"
expect_exit 2 kmv backup create --to "$T/b" --bogus
expect_in "$T/err" "unknown option '--bogus' for 'backup create'"
expect_exit 2 kmv case close 1 --reply-days 3
expect_in "$T/err" "unknown option '--reply-days' for 'case close'"
expect_exit 2 kmv show --reveal=yes 1
expect_in "$T/err" "option '--reveal' takes no value"
expect_exit 2 kmv query --f 2024-01-01
expect_in "$T/err" "option '--f' is ambiguous"
expect_exit 2 kmv log -x
expect_in "$T/err" "unknown option '-x' for 'log'"
expect_exit 2 kmv log -n
expect_in "$T/err" "option '-n' needs a value"
expect_exit 2 kmv check --bogus
expect_in "$T/err" "unknown option '--bogus' for 'check'"
expect_exit 2 kmv --bogus query
expect_in "$T/err" "unknown option '--bogus'"
expect_exit 2 kmv --vault
expect_in "$T/err" "option '--vault' needs a value"
expect_exit 2 kmv query --vault
expect_in "$T/err" "option '--vault' needs a value"
expect_exit 2 kmv help nosuch
expect_in "$T/err" "unknown command 'nosuch'"
expect_exit 2 kmv help backup nosuch
# abbreviations that are unique still work
expect_exit 0 kmv query --lim 1
# a global option means the same before and after the command (one table,
# one place that applies it)
kmv --json --color never --wait 5 query --limit 2 > "$T/before"
kmv query --limit 2 --json --color=never --wait=5 > "$T/after"
cmp -s "$T/before" "$T/after" || fail "global options after the command differ"
kmv query --limit 2 --vault="$KMVAULT_VAULT" -q --no-pager --json > "$T/after"
cmp -s "$T/before" "$T/after" || fail "--vault=F / -q / --no-pager after the command differ"
expect_exit 2 kmv query --wait=soon
expect_in "$T/err" "--wait"
expect_exit 2 kmv query --color=sometimes
expect_in "$T/err" "sometimes"
expect_exit 2 kmv query --json=1
expect_in "$T/err" "option '--json' takes no value"
vault_unchanged

# help, --help and -h agree, on stdout, exit 0
kmv help > "$T/h1"
kmv --help > "$T/h2"
cmp -s "$T/h1" "$T/h2" || fail "'help' and '--help' differ"
expect_in "$T/h1" "help [COMMAND [VERB]]"
commands=$(sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p' "$T/h1")
for c in $commands; do
	kmv help "$c" > "$T/a" || fail "help $c failed"
	kmv "$c" --help > "$T/b" || fail "$c --help failed"
	kmv "$c" -h > "$T/c" || fail "$c -h failed"
	cmp -s "$T/a" "$T/b" || fail "'help $c' and '$c --help' differ"
	cmp -s "$T/a" "$T/c" || fail "'help $c' and '$c -h' differ"
	head -n 1 "$T/a" | grep -q "^usage: kmvault $c" || fail "help $c has no usage line"
done
kmv help backup create > "$T/a"
kmv backup create --help > "$T/b"
cmp -s "$T/a" "$T/b" || fail "'help backup create' and 'backup create --help' differ"
expect_in "$T/a" "usage: kmvault backup create --to DIR"
# a command with verbs and no verb: its usage on stderr, exit 2
expect_exit 2 kmv backup
expect_in "$T/err" "kmvault backup list --to DIR"

# Every line of every help fits a terminal of 80 columns, in both
# languages: a long synopsis wraps between its groups, with the
# continuation under the first argument (export's was 119 columns).
for lang in C zh_CN.UTF-8; do
	LANG=$lang LC_ALL=$lang kmv help > "$T/wide"
	for c in $commands; do
		LANG=$lang LC_ALL=$lang kmv help "$c" >> "$T/wide"
	done
	python3 - "$T/wide" "$lang" <<'PY' || fail "a $lang help line is wider than 79 columns"
import sys, unicodedata
bad = 0
for line in open(sys.argv[1], encoding="utf-8").read().splitlines():
    cols = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
    if cols > 79:
        print(sys.argv[2], cols, line, file=sys.stderr)
        bad = 1
sys.exit(bad)
PY
done
kmv help export > "$T/a"
expect_in "$T/a" "usage: kmvault export (--month YYYY-MM | --from D --to D)"
grep -qx ' *--format csv|xlsx|pdf|beancount|ledger -o FILE' "$T/a" ||
	fail "export's synopsis does not continue under its first argument"

# Every option in the tables is parsed by its command: with --help after
# it, the command stops at the help, so nothing runs.
kmv __docs options > "$T/opts"
[ -s "$T/opts" ] || fail "no options listed"
while IFS='	' read -r cmd type opt; do
	if [ "$type" = value ]; then
		# shellcheck disable=SC2086
		set +e; "$KMVAULT_BIN" $cmd "$opt" x --help >"$T/out" 2>"$T/err" </dev/null; got=$?; set -e
	else
		# shellcheck disable=SC2086
		set +e; "$KMVAULT_BIN" $cmd "$opt" --help >"$T/out" 2>"$T/err" </dev/null; got=$?; set -e
	fi
	if grep -q 'unknown option\|internal error\|needs a value' "$T/err"; then
		cat "$T/err" >&2
		fail "'$cmd' does not parse its table's option $opt"
	fi
done < "$T/opts"
vault_unchanged
echo "ok"
