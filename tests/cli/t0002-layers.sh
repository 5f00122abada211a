#!/bin/sh
# The layer rules of docs/design.md hold in the tree: cmd/ uses the public
# API only, public headers compile alone and keep sqlite3.h / sodium.h
# private, lib/ folders depend down (never sideways but the listed edges),
# no headers of one folder include each other in a circle, and lib/ never
# prints or exits.  The rules live in scripts/check-layers.py; this test
# also checks that the check can fail, on a copy of the tree with one
# breach of each kind.
set -eu
. "$KMV_TESTS/cli/lib.sh"
KMV_NO_VAULT=1 kmv_setup

python3 "$KMV_SRC/scripts/check-layers.py" "$KMV_SRC" > "$T/out" ||
	fail "layer rules broken: $(cat "$T/out")"

# Every public header compiles alone, strictly (libgit2's headertest): it
# includes what it uses and nothing of a library's own headers.
for h in "$KMV_SRC"/lib/include/kmv/*.h "$KMV_SRC"/lib/util/include/kmvutil/*.h; do
	name=${h#"$KMV_SRC"/lib/}
	printf '#include "%s"\n' "${name#*include/}" |
		"${CC:-cc}" -std=c11 -Wall -Wextra -pedantic -Werror -fsyntax-only \
			-I"$KMV_SRC/lib/include" -I"$KMV_SRC/lib/util/include" -x c - > "$T/cc" 2>&1 ||
		fail "lib/$name does not compile alone: $(head -5 "$T/cc")"
done

mkdir "$T/tree"
cp -R "$KMV_SRC/lib" "$KMV_SRC/cmd" "$T/tree/"
echo '#include "import/import.h"' >> "$T/tree/lib/store/audit.c"
echo '#include "store/vault.h"' >> "$T/tree/cmd/cli.c"
echo '#include "store/vault.h"' >> "$T/tree/lib/store/envelope.h"
echo '#include "core/sanitizer.h"' >> "$T/tree/lib/include/kmv/record.h"
echo 'static void shout(void) { fprintf(stderr, "x"); }' >> "$T/tree/lib/util/file.c"
echo '#include <sodium.h>' >> "$T/tree/lib/include/kmv/vault.h"
echo '#include "kmv/record.h"' >> "$T/tree/lib/util/include/kmvutil/json.h"
echo '#include "kmv/vault.h"' >> "$T/tree/lib/util/money.c"
printf 'int kmv_sidecar_thing(void)\n{\n\treturn 0;\n}\n' >> "$T/tree/lib/store/sources.c"
if python3 "$KMV_SRC/scripts/check-layers.py" "$T/tree" > "$T/out"; then
	fail "the layer check passed a tree with breaches"
fi
grep -q 'lib/store may not depend on lib/import' "$T/out" || fail "sideways include not found"
grep -q 'cmd/cli.c: includes store/vault.h' "$T/out" || fail "cmd include not found"
grep -q 'circle of includes: store/' "$T/out" || fail "circle not found"
grep -q 'record.h: includes core/sanitizer.h' "$T/out" || fail "public header include not found"
grep -q 'lib/util/file.c:[0-9]*: calls fprintf()' "$T/out" || fail "a print in lib/ not found"
grep -q 'vault.h: includes <sodium.h>' "$T/out" || fail "a library header in the public API not found"
grep -q 'json.h: includes kmv/record.h: a kmvutil/ header' "$T/out" || fail "a domain header in kmvutil/ not found"
grep -q 'money.c: includes kmv/vault.h: lib/util uses no domain' "$T/out" || fail "a domain include in lib/util not found"
grep -q 'sources.c:[0-9]*: kmv_sidecar_thing is internal' "$T/out" || fail "an internal named like public API not found"
# Every source, unit test and scenario test is named in a CMake list (no
# GLOB: adding a file is a visible diff, and a file left out would silently
# not be built or run).
cd "$KMV_SRC"
for f in $(find lib cmd -name '*.c' | LC_ALL=C sort) tests/unit/test_*.c \
	tests/cli/t[0-9]*.sh fuzz/fuzz_*.c fuzz/seed_*.c bench/bench_*.c; do
	case $f in
	tests/*) list=tests/CMakeLists.txt; rel=${f#tests/} ;;
	fuzz/*) list=fuzz/CMakeLists.txt; rel=${f#fuzz/} ;;
	*) list=CMakeLists.txt; rel=$f ;;
	esac
	grep -qF "/$rel" "$list" || fail "$f is not listed in $list (add it to the explicit list)"
done
dup=$(ls tests/cli | sed -n 's/^\(t[0-9]*\)-.*\.sh$/\1/p' | sort | uniq -d)
[ -z "$dup" ] || fail "scenario tests share a number: $dup ('ctest -R' would pick both)"
grep -n 'file(GLOB' CMakeLists.txt tests/CMakeLists.txt fuzz/CMakeLists.txt po/CMakeLists.txt &&
	fail "a CMake file globs sources; list them"
cd - >/dev/null

echo "ok"
