#!/bin/sh
# Regenerate po/kmvault.pot from the sources (xgettext on every _() / N_() /
# P_() in cmd/ and lib/) and merge it into each po/LANG.po (msgmerge).
# New entries then have an empty msgstr: translate them in po/zh_CN.po.
# Usage: scripts/update-po.sh [--pot-only]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
version=$(sed -n 's/^project(kmvault VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
find cmd lib -name '*.c' -o -name '*.h' | LC_ALL=C sort > po/POTFILES
xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
	--keyword=P_:1,2 --add-comments=TRANSLATORS: --no-location --sort-output \
	--package-name=kmvault --package-version="$version" \
	--msgid-bugs-address=kmvault \
	--files-from=po/POTFILES --output=po/kmvault.pot.new
# No creation date, no "#: file:line" comments, sorted entries: edits
# elsewhere in a file do not touch the catalogs, and two engineers adding
# different messages rarely conflict.
sed '/^"POT-Creation-Date:/d' po/kmvault.pot.new > po/kmvault.pot
rm -f po/kmvault.pot.new po/POTFILES
[ "${1:-}" = --pot-only ] && exit 0
for po in po/*.po; do
	msgmerge --quiet --update --backup=none --no-fuzzy-matching --no-location --sort-output "$po" po/kmvault.pot
	msgattrib --no-obsolete --output-file="$po" "$po"
	sed -i '/^"POT-Creation-Date:/d' "$po"
done
