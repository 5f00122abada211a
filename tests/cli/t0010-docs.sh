#!/bin/sh
# Every command has a docs page whose SYNOPSIS is the first line of its
# --help, and appears in the man page and the bash completion.
set -eu
. "$KMV_TESTS/cli/lib.sh"
KMV_NO_VAULT=1 kmv_setup

commands=$(kmv --help | sed -n 's/^  \([a-z]*\) .*/\1/p')
[ -n "$commands" ] || fail "no commands listed by --help"
for c in $commands; do
	page="$KMV_SRC/docs/kmvault-$c.md"
	[ -f "$page" ] || fail "missing docs page docs/kmvault-$c.md"
	want=$(kmv "$c" --help | head -n 1 | sed 's/^usage: //')
	got=$(sed -n '/^## SYNOPSIS/,/^## /p' "$page" | sed 's/^ *//; s/^usage: //' | grep '^kmvault ' | head -n 1)
	[ "$got" = "$want" ] || fail "docs/kmvault-$c.md SYNOPSIS '$got' != --help '$want'"
	grep -qF -- "$want" "$KMV_SRC/docs/kmvault.1" ||
		fail "man page lacks the synopsis of '$c' (run scripts/gen-docs.sh)"
	grep -q "^	$c)" "$KMV_SRC/scripts/kmvault.bash-completion" ||
		fail "bash completion lacks '$c' (run scripts/gen-docs.sh)"
done
# The man page renders without warnings.
if command -v groff >/dev/null 2>&1; then
	groff -k -man -Tutf8 -ww -z "$KMV_SRC/docs/kmvault.1" 2>"$T/groff" || true
	[ ! -s "$T/groff" ] || { cat "$T/groff" >&2; fail "man page has groff warnings"; }
fi
bash -n "$KMV_SRC/scripts/kmvault.bash-completion" || fail "completion is not valid bash"
# Every relative path the documents point at exists in the repository:
# markdown links and `../...` paths in backticks (samples/README.md named
# ../spec/formats.md, which only exists outside it).
for f in "$KMV_SRC"/README.md "$KMV_SRC"/docs/*.md "$KMV_SRC"/samples/README.md; do
	dir=$(dirname "$f")
	{ grep -o '](\([^)#]*\)' "$f" | sed 's/^](//' | grep -v '^[a-z]*:' || true
	  grep -o '`\.\./[^` ]*`' "$f" | tr -d '`' || true; } |
	while read -r target; do
		[ -z "$target" ] || [ -e "$dir/$target" ] ||
			fail "${f#"$KMV_SRC"/} points at '$target', which does not exist"
	done
done
echo "ok"
