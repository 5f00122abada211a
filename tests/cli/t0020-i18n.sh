#!/bin/sh
# Languages (issue 14.1): messages follow LANGUAGE / LC_ALL / LC_MESSAGES /
# LANG through GNU gettext; English in the C locale; the zh_CN catalog
# translates every message the sources mark with _() / N_() / P_().
set -eu
. "$KMV_TESTS/cli/lib.sh"
KMV_NO_VAULT=1 kmv_setup

locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8' ||
	fail "the zh_CN.UTF-8 locale is missing (run scripts/install-deps.sh as root)"
[ -f "$KMVAULT_LOCALEDIR/zh_CN/LC_MESSAGES/kmvault.mo" ] ||
	fail "no kmvault.mo under $KMVAULT_LOCALEDIR (the build writes BUILD/locale)"

# --help: English in C, Chinese in zh_CN, whichever variable names it.
LANG=C "$KMVAULT_BIN" --help > "$T/en"
grep -q '^usage: kmvault' "$T/en" || fail "LANG=C --help is not English"
grep -q 'import statements, order exports' "$T/en" || fail "English summary missing"
LANG=zh_CN.UTF-8 "$KMVAULT_BIN" --help > "$T/zh"
grep -q '^用法：kmvault' "$T/zh" || fail "LANG=zh_CN.UTF-8 --help is not Chinese"
grep -q '导入账单' "$T/zh" || fail "Chinese summary missing"
grep -q 'import statements' "$T/zh" && fail "English summary in the Chinese help"
LC_ALL=zh_CN.UTF-8 LANG=C "$KMVAULT_BIN" --help | grep -q '^用法：' || fail "LC_ALL not followed"
LC_MESSAGES=zh_CN.UTF-8 LANG=C "$KMVAULT_BIN" --help | grep -q '^用法：' || fail "LC_MESSAGES not followed"
LANGUAGE=zh_CN LANG=en_US.UTF-8 LC_MESSAGES=C.UTF-8 "$KMVAULT_BIN" --help | grep -q '^用法：' ||
	fail "LANGUAGE not followed"
LC_ALL=C LANG=zh_CN.UTF-8 "$KMVAULT_BIN" --help | grep -q '^usage:' || fail "LC_ALL=C is not English"
# LANGUAGE is ignored in the C locale (gettext's rule): C stays English.
LANGUAGE=zh_CN LC_ALL=C "$KMVAULT_BIN" --help | grep -q '^usage:' || fail "C locale is not English"

# Errors are translated too, with the same exit code.
expect_exit 2 env LANG=C "$KMVAULT_BIN" nosuchcommand
expect_in "$T/err" "unknown command 'nosuchcommand'"
expect_exit 2 env LANG=zh_CN.UTF-8 "$KMVAULT_BIN" nosuchcommand
expect_in "$T/err" '未知命令“nosuchcommand”'

# No English sentence under zh_CN: every command's --help and the common
# errors (fix: mark the string with _() / N_(), or pass it through a
# function that translates its format, then translate it in po/zh_CN.po).
# An "English sentence" is two English words in a row once what is not
# prose is taken out: option names, $VARIABLES, PLACEHOLDERS, codes with '_' (values
# to type, e.g. duplicate_charge), value lists (a|b|c), paths, "kmvault CMD VERB" references
# and the synopsis lines, what Chinese text quotes (“backup create”).
english_sentences() {
	sed -e '/^用法：/d' -e '/^       kmvault /d' -e 's/“[ -~]*”//g' \
	    -e 's/kmvault\( [a-z][a-z-]*\)*//g' -e 's/--*[A-Za-z0-9][A-Za-z0-9-]*//g' \
	    -e 's/\$[A-Z_]*//g' -e 's/\b[A-Z][A-Z0-9:.|-]*[A-Z0-9]\b//g' -e 's/[A-Za-z0-9.]*_[A-Za-z0-9_.]*//g' \
	    -e 's|[^ ]*/[^ ]*||g' -e 's/[a-z]*\(|[a-z]*\)\{1,\}//g' "$1" |
		grep -P '(?<![A-Za-z])[A-Za-z]{2,}(?: [A-Za-z]{2,}){1,}' || true
}
no_english() {
	english=$(english_sentences "$1")
	[ -z "$english" ] || { cat "$1" >&2; fail "English in $2 under zh_CN: $english"; }
}
commands=$(LANG=C "$KMVAULT_BIN" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
[ -n "$commands" ] || fail "no command list in --help"
for c in $commands; do
	LANG=zh_CN.UTF-8 "$KMVAULT_BIN" "$c" --help > "$T/help" ||
		fail "'$c --help' failed"
	no_english "$T/help" "'kmvault $c --help'"
done
LANG=zh_CN.UTF-8 "$KMVAULT_BIN" --help > "$T/help"
no_english "$T/help" "'kmvault --help'"
# The checker itself sees English (an untranslated help would fail).
LANG=C "$KMVAULT_BIN" import --help > "$T/help"
[ -n "$(english_sentences "$T/help")" ] || fail "the English-sentence check finds nothing in English help"

# Common errors, from the command line to the library's messages.
printf 'not a statement at all\n' > "$T/junk.csv"
zh_error() { # CODE ARGS...: the error is Chinese, with the same exit code
	code=$1
	shift
	expect_exit "$code" env LANG=zh_CN.UTF-8 "$KMVAULT_BIN" "$@"
	[ -s "$T/err" ] || fail "'$*' printed no error"
	no_english "$T/err" "the error of '$*'"
	LANG=C "$KMVAULT_BIN" "$@" 2>"$T/err.en" >/dev/null </dev/null || true
	[ -n "$(english_sentences "$T/err.en")" ] || fail "'$*' is not English in the C locale"
}
zh_error 2 query --bogus
zh_error 2 query --from 2024-13-45
zh_error 2 export --format pdf
zh_error 2 case open
zh_error 7 import "$T/nosuchfile.csv"
zh_error 7 query
printf 'correct horse battery staple\n' > "$T/pass"; chmod 600 "$T/pass"
KMVAULT_PASSPHRASE_FILE="$T/pass" "$KMVAULT_BIN" init --kdf interactive \
	--recovery-key-out "$T/recovery" >/dev/null 2>&1 || fail "cannot create a vault"
printf 'wrong horse battery staple\n' > "$T/wrong"; chmod 600 "$T/wrong"
zh_error 3 --passphrase-file "$T/wrong" query
zh_error 1 --passphrase-file "$T/nosuchpass" query
export KMVAULT_PASSPHRASE_FILE="$T/pass"
zh_error 6 import "$T/junk.csv"
zh_error 7 show KM0000000000
zh_error 7 case open KM0000000000 --reason undelivered
zh_error 7 remind --ack nosuch:1

# The catalog is complete: every message in the sources has a zh_CN
# translation (fix: sh scripts/update-po.sh, then translate the new
# entries of po/zh_CN.po).
if command -v xgettext >/dev/null 2>&1; then
	# the same extraction as scripts/update-po.sh (its keyword list)
	sh "$KMV_SRC/scripts/update-po.sh" --pot "$T/fresh.pot" 2>"$T/xgettext.err" ||
		{ cat "$T/xgettext.err" >&2; fail "xgettext failed"; }
	msgmerge --quiet --no-fuzzy-matching -o "$T/merged.po" \
		"$KMV_SRC/po/zh_CN.po" "$T/fresh.pot"
	msgattrib --untranslated --no-obsolete "$T/merged.po" > "$T/missing"
	if grep -q '^msgid' "$T/missing"; then
		grep -A3 '^msgid' "$T/missing" | head -40 >&2
		fail "po/zh_CN.po lacks the translations above (run scripts/update-po.sh and translate)"
	fi
	msgfmt --check -o /dev/null "$KMV_SRC/po/zh_CN.po" || fail "po/zh_CN.po does not compile"
	if grep -q '^#, fuzzy' "$KMV_SRC/po/zh_CN.po"; then
		fail "po/zh_CN.po has fuzzy entries (check them and drop the flag)"
	fi
fi
# An uninstalled build speaks the user's language without any variable:
# BUILD/kmvault finds BUILD/locale beside itself (README's demo command).
env -u KMVAULT_LOCALEDIR LANG=zh_CN.UTF-8 LC_ALL= LANGUAGE= "$KMVAULT_BIN" --help > "$T/beside" 2>&1 ||
	fail "--help without KMVAULT_LOCALEDIR failed"
grep -q '^用法：' "$T/beside" || fail "the build tree's catalog beside the binary was not found"
echo "ok"
