#!/bin/sh
# The C sources follow .clang-format (style.md 24: formatting is settled by
# the tool, not by review).  Usage: scripts/check-format.sh [--fix]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
files=$(git ls-files '*.c' '*.h' 2>/dev/null | grep -v '^tests/data/' || true)
[ -n "$files" ] || files=$(find cmd lib tests fuzz bench -name '*.[ch]' ! -path 'tests/data/*')
if [ "${1:-}" = --fix ]; then
	# shellcheck disable=SC2086
	clang-format -i $files
	exit 0
fi
# shellcheck disable=SC2086
if ! clang-format --dry-run --Werror $files 2> "${TMPDIR:-/tmp}/kmv-format.$$"; then
	grep -m 20 'error:' "${TMPDIR:-/tmp}/kmv-format.$$" >&2 || true
	rm -f "${TMPDIR:-/tmp}/kmv-format.$$"
	echo "check-format: files differ from .clang-format (run scripts/check-format.sh --fix)" >&2
	exit 1
fi
rm -f "${TMPDIR:-/tmp}/kmv-format.$$"
echo "check-format: every C file follows .clang-format"
