#!/bin/sh
# Regenerate po/kmvault.pot from the sources (xgettext on every _() / N_() /
# P_() in cmd/ and lib/, and on the message formats of the functions that
# translate their own format: kmv_error_set, cli_error, cli_warn, ...) and
# merge it into each po/LANG.po (msgmerge).
# New entries then have an empty msgstr: translate them in po/zh_CN.po.
# Usage: scripts/update-po.sh [--pot-only | --pot FILE]
#   --pot FILE  only write the template to FILE (tests/cli/t0020 uses it)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=
case "${1:-}" in
--pot) out=$(cd "$(dirname "$2")" && pwd)/$(basename "$2") ;;
esac
cd "$top"
version=$(sed -n 's/^project(kmvault VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
files=$(mktemp)
trap 'rm -f "$files"' EXIT
find cmd lib -name '*.c' -o -name '*.h' | LC_ALL=C sort > "$files"
pot=${out:-po/kmvault.pot.new}
# kmv_error_set / cli_error & co. translate their format themselves
# (lib/core/error.c, cmd/cli.c): their literals are catalog entries too.
xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
	--keyword=P_:1,2 \
	--keyword=kmv_error_set:2 --flag=kmv_error_set:2:c-format \
	--keyword=kmv_error_set_os:1 --flag=kmv_error_set_os:1:c-format \
	--keyword=kmv_sink__reject:3 --flag=kmv_sink__reject:3:c-format \
	--keyword=kmv_sink__warn:4 --flag=kmv_sink__warn:4:c-format \
	--keyword=cli_error:1 --flag=cli_error:1:c-format \
	--keyword=cli_error_usage:1 --flag=cli_error_usage:1:c-format \
	--keyword=cli_warn:1 --flag=cli_warn:1:c-format \
	--keyword=cli_note:2 --flag=cli_note:2:c-format \
	--add-comments=TRANSLATORS: --no-location --sort-output \
	--package-name=kmvault --package-version="$version" \
	--msgid-bugs-address=kmvault \
	--files-from="$files" --output="$pot"
[ -n "$out" ] && exit 0
# No creation date, no "#: file:line" comments, sorted entries: edits
# elsewhere in a file do not touch the catalogs, and two engineers adding
# different messages rarely conflict.
sed '/^"POT-Creation-Date:/d' po/kmvault.pot.new > po/kmvault.pot
rm -f po/kmvault.pot.new
[ "${1:-}" = --pot-only ] && exit 0
for po in po/*.po; do
	msgmerge --quiet --update --backup=none --no-fuzzy-matching --no-location --sort-output "$po" po/kmvault.pot
	msgattrib --no-obsolete --output-file="$po" "$po"
	sed -i '/^"POT-Creation-Date:/d' "$po"
done
