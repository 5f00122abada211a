#!/bin/sh
# Every word a person reads under zh_CN is Chinese (issue 14.1): the key
# commands on the scenario vault -- --help, import (good and bad files),
# anomalies, remind, show, query, case, member, alias, sources, evidence
# create, export, log, check -- print no English word and no ASCII
# punctuation glued to Chinese text (“1.00: 商户”, “(店铺订单)”), and the
# same commands under LANG=C print no Chinese of their own.
#
# Legitimately Latin (the allow-list below): record and trade numbers
# (anything with a digit), file names and paths, --options and the values
# one types (codes with '_', a|b|c lists, a profile's key= as import
# describes the columns, UPPERCASE placeholders), what
# Chinese text quotes (“kmvault case open ...”), the program name at the
# start of a message, the command column of --help, the user's name,
# --color's values, a bundle's signed comment (as signed), and a few names of formats and
# things (CSV, PDF, ZIP, SHA-256, TSA, OCR, app, profile names).
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-01T12:00:00+08:00
python3 "$KMV_TESTS/gen_match_fixtures.py" "$T/fx"
me=$(id -un)

# latin FILE: the Latin words left once the allow-list is taken out
latin() {
	sed -E -e 's/^kmvault: //' -e 's/^  [a-z]+  //' -e 's/^可信注释：.*//' -e 's/“[^”]*”//g' -e "s/'kmvault [^']*'//g" \
		-e 's/kmvault( [a-z][a-z-]*)+//g' \
		-e 's#[^ 　：（，、；]*[/.][^ 　：（），、；]*##g' \
		-e 's/--?[A-Za-z][A-Za-z0-9-]*//g' -e 's/[A-Za-z0-9]*_[A-Za-z0-9_:]*//g' \
		-e 's/[A-Za-z0-9:+.#-]*[0-9][A-Za-z0-9:+.#-]*//g' \
		-e 's/[a-z]+(\|[a-z]+)+//g' -e 's/\b[a-z]+=//g' -e 's/\b[A-Z][A-Z0-9_]*\b//g' \
		-e "s/\\b$me\\b//g" \
		-e 's/\b(kmvault|app|generic|dujiaoka|zfaka|acg-faka|mbox|less|sha|crontab|auto|always|never|Beancount|Ledger)\b//g' "$1" |
		grep -noE '[A-Za-z]{2,}' || true
}
# glued FILE: ASCII ': , ; ( ) ' next to a Chinese character
glued() {
	sed -e 's/^kmvault: //' "$1" |
		grep -nP '[\x{3000}-\x{9fff}\x{ff00}-\x{ffef}] ?[:;,(]|[:;,)] ?[\x{3000}-\x{9fff}\x{ff00}-\x{ffef}]|[\x{3000}-\x{9fff}] \(|'"'"'[\x{3000}-\x{9fff}]|[\x{3000}-\x{9fff}] '"'" ||
		true
}
# zh_says WHAT EXIT CMD...: run under zh_CN; stdout and stderr Chinese
zh_says() {
	what=$1
	code=$2
	shift 2
	expect_exit "$code" kmv_zh "$@"
	cat "$T/out" "$T/err" > "$T/all"
	words=$(latin "$T/all")
	[ -z "$words" ] || { cat "$T/all" >&2; fail "English in $what under zh_CN: $words"; }
	g=$(glued "$T/all")
	[ -z "$g" ] || { cat "$T/all" >&2; fail "ASCII punctuation in Chinese text of $what: $g"; }
}
# en_says WHAT EXIT CMD...: a read-only command under C: no Chinese
# punctuation (the data's words -- shops, products, the source's
# statuses -- are Chinese, the sentences around them are not)
en_says() {
	what=$1
	code=$2
	shift 2
	expect_exit "$code" kmv "$@"
	cat "$T/out" "$T/err" > "$T/all"
	if grep -n '[，。：；（）、“”]' "$T/all" >&2; then
		fail "Chinese punctuation in $what under C"
	fi
}

zh_says "--help" 0 --help
zh_says "import" 0 import "$T/fx/alipay_scn.csv" "$T/fx/wechat_scn.csv"
zh_says "import (orders)" 0 import --platform 示例卡盟 "$T/fx/orders_scn.csv"
printf 'not a statement at all\n' > "$T/junk.csv"
zh_says "import (a bad file)" 6 import "$T/junk.csv"
zh_says "import (dry run)" 0 import --dry-run "$T/fx/alipay_scn.csv"
zh_says "match" 0 match
zh_says "anomalies" 0 anomalies
zh_says "remind" 0 remind
zh_says "show (order)" 0 show KM007
zh_says "show (refund)" 0 show KM003
zh_says "query" 0 query
zh_says "alias list" 0 alias list
zh_says "sources" 0 sources
zh_says "case open" 0 case open KM011 --reason undelivered --note 已催发货
zh_says "case open (again)" 1 case open KM011 --reason undelivered
zh_says "case list" 0 case list
zh_says "case update" 0 case update 1 --status waiting_reply --note 客服答复三天内处理
zh_says "remind (a case)" 0 remind
zh_says "member add" 0 member add --platform 示例卡盟 --level 月卡会员 --expiry 2024-04-05 --auto-renew
zh_says "member list" 0 member list
zh_says "tag" 0 tag KM007 +争议
zh_says "edit" 0 edit KM007 --note 重复扣款
zh_says "show (history)" 0 show KM007
zh_says "link" 0 link 20 11
zh_says "unlink" 0 unlink 20 11
zh_says "show (unlinked)" 0 show KM007
zh_says "evidence create" 0 evidence create KM007 -o "$T/km007.zip"
zh_says "evidence verify" 0 evidence verify "$T/km007.zip"
zh_says "export csv" 0 export --month 2024-03 --format csv -o "$T/r.csv"
zh_says "export pdf" 0 export --month 2024-03 --format pdf -o "$T/r.pdf"
zh_says "summary" 0 summary --month 2024-03
zh_says "case close" 0 case update 1 --status resolved --note 已退款
zh_says "log" 0 log
zh_says "check" 0 check
for c in --help anomalies remind query log check "alias list" sources "case list" \
	"member list" "show KM007" "show KM003" "summary --month 2024-03"; do
	# shellcheck disable=SC2086
	en_says "$c" 0 $c
done
echo "ok"
