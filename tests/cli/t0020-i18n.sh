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

# The catalog is complete: every message in the sources has a zh_CN
# translation (fix: sh scripts/update-po.sh, then translate the new
# entries of po/zh_CN.po).
if command -v xgettext >/dev/null 2>&1; then
	find "$KMV_SRC/cmd" "$KMV_SRC/lib" -name '*.c' -o -name '*.h' | LC_ALL=C sort > "$T/files"
	xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
		--keyword=P_:1,2 --no-location --files-from="$T/files" \
		--output="$T/fresh.pot" 2>"$T/xgettext.err" ||
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
echo "ok"
