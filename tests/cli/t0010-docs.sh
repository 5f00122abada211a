#!/bin/sh
# Every command has a docs page whose SYNOPSIS has every synopsis line of
# its help, and the man page and the bash/zsh completion are what
# scripts/gen-docs.sh generates from the option tables today (they cannot
# drift from what the commands parse); the man page is clean for man and
# groff.
set -eu
. "$KMV_TESTS/cli/lib.sh"
KMV_NO_VAULT=1 kmv_setup

# the man page's text lines with roff's escapes undone
sed 's/\\-/-/g; s/^\\&//; s/\\e/\\/g' "$KMV_SRC/docs/kmvault.1" > "$T/mantext"
# the commands with an option table: every command has one (edit, tag,
# void and unvoid were the last to parse on their own)
commands=$(kmv __docs commands)
[ -n "$commands" ] || fail "no commands listed by help"
kmv help > "$T/global"
for c in $(sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p' "$T/global"); do
	echo "$commands" | grep -qxF "$c" || fail "command '$c' has no option table in cmd/usage.c"
done
for c in edit tag void unvoid; do
	echo "$commands" | grep -qxF "$c" || fail "'$c' is not checked"
done
for c in $commands; do
	page="$KMV_SRC/docs/kmvault-$c.md"
	[ -f "$page" ] || fail "missing docs page docs/kmvault-$c.md"
	kmv help "$c" > "$T/help" || fail "kmvault help $c failed"
	# a synopsis wrapped on the terminal is one line again: a line of the
	# block that does not start with "kmvault " continues the one before
	sed -n '1,/^$/p' "$T/help" | sed 's/^usage: //; s/^ *//' |
		awk '/^kmvault / { if (s != "") print s; s = $0; next }
		     /./ { s = s " " $0 } END { if (s != "") print s }' > "$T/syn"
	grep -q '^kmvault ' "$T/syn" || fail "'kmvault help $c' has no synopsis"
	sed -n '/^## SYNOPSIS/,/^## /p' "$page" | sed 's/^ *//; s/^usage: //' > "$T/pagesyn"
	while IFS= read -r line; do
		grep -qxF -- "$line" "$T/pagesyn" ||
			fail "docs/kmvault-$c.md SYNOPSIS lacks '$line'"
		grep -qxF -- "$line" "$T/mantext" ||
			fail "man page lacks the synopsis line '$line' (run scripts/gen-docs.sh)"
	done < "$T/syn"
	grep -q "^	\"$c\") list=" "$KMV_SRC/scripts/kmvault.bash-completion" ||
		fail "bash completion lacks '$c' (run scripts/gen-docs.sh)"
done

# The committed files are what the tables generate now.
kmv __docs man DATE | sed 1d > "$T/man"
sed 1d "$KMV_SRC/docs/kmvault.1" | cmp -s - "$T/man" ||
	fail "docs/kmvault.1 is stale: run scripts/gen-docs.sh"
kmv __docs bash | cmp -s - "$KMV_SRC/scripts/kmvault.bash-completion" ||
	fail "scripts/kmvault.bash-completion is stale: run scripts/gen-docs.sh"
kmv __docs zsh | cmp -s - "$KMV_SRC/scripts/_kmvault" ||
	fail "scripts/_kmvault is stale: run scripts/gen-docs.sh"

# The man page renders without warnings.
if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 man --warnings -l "$KMV_SRC/docs/kmvault.1" >/dev/null 2>"$T/manwarn" ||
		fail "man -l failed"
	[ ! -s "$T/manwarn" ] || { cat "$T/manwarn" >&2; fail "man --warnings complains"; }
fi
if command -v groff >/dev/null 2>&1; then
	groff -k -man -Tutf8 -ww -z "$KMV_SRC/docs/kmvault.1" 2>"$T/groff" || true
	[ ! -s "$T/groff" ] || { cat "$T/groff" >&2; fail "man page has groff warnings"; }
fi
grep -q '^KMVAULT_HOLIDAYS$' "$KMV_SRC/docs/kmvault.1" || fail "ENVIRONMENT lacks KMVAULT_HOLIDAYS"
grep -q '^XDG_CONFIG_HOME$' "$KMV_SRC/docs/kmvault.1" || fail "ENVIRONMENT lacks XDG_CONFIG_HOME"
bash -n "$KMV_SRC/scripts/kmvault.bash-completion" || fail "completion is not valid bash"
if command -v zsh >/dev/null 2>&1; then
	zsh -n "$KMV_SRC/scripts/_kmvault" || fail "completion is not valid zsh"
fi
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
