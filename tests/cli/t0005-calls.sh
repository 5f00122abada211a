#!/bin/sh
# No circle of calls between the files of one lib/ folder (docs/design.md's
# "never" list): scripts/check-calls.py reads the build's lib/ objects with
# nm, so this is the one layer rule checked on the compiled code rather
# than the sources.  The test also checks that the check can fail, on a
# made-up build tree whose two files of one folder call each other.
set -eu
. "$KMV_TESTS/cli/lib.sh"
KMV_NO_VAULT=1 kmv_setup
command -v nm >/dev/null 2>&1 || { echo "skip: no nm"; exit 0; }

python3 "$KMV_SRC/scripts/check-calls.py" "$KMV_BUILD" > "$T/out" ||
	fail "circle of calls in lib/: $(cat "$T/out")"
[ ! -s "$T/out" ] || fail "check-calls printed: $(cat "$T/out")"

# a.c and b.c of lib/x call each other, c.c of lib/y calls a.c (another
# folder: not a circle of lib/x's files).
obj="$T/build/CMakeFiles/kmv.dir/lib"
mkdir -p "$obj/x" "$obj/y"
printf 'void kmv_b__two(void);\nvoid kmv_a__one(void) { kmv_b__two(); }\n' > "$T/a.c"
printf 'void kmv_a__one(void);\nvoid kmv_b__two(void) { kmv_a__one(); }\n' > "$T/b.c"
printf 'void kmv_a__one(void);\nvoid kmv_c__three(void) { kmv_a__one(); }\n' > "$T/c.c"
"${CC:-cc}" -c -o "$obj/x/a.c.o" "$T/a.c"
"${CC:-cc}" -c -o "$obj/x/b.c.o" "$T/b.c"
"${CC:-cc}" -c -o "$obj/y/c.c.o" "$T/c.c"
if python3 "$KMV_SRC/scripts/check-calls.py" "$T/build" > "$T/out"; then
	fail "the call check passed a circle"
fi
grep -q 'circle of calls: x/a.c -> x/b.c (kmv_b__two), x/b.c -> x/a.c (kmv_a__one)' "$T/out" ||
	fail "the circle of x/a.c and x/b.c not named: $(cat "$T/out")"
grep -q 'y/c.c' "$T/out" && fail "a call from another folder named as a circle"
# Without the call back, no circle.
printf 'void kmv_b__two(void) { }\n' > "$T/b.c"
"${CC:-cc}" -c -o "$obj/x/b.c.o" "$T/b.c"
python3 "$KMV_SRC/scripts/check-calls.py" "$T/build" > "$T/out" ||
	fail "a one-way call named a circle: $(cat "$T/out")"

echo "ok"
