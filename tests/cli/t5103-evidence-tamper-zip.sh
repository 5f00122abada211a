#!/bin/sh
# evidence verify reads the ZIP as unzip does (through the central
# directory) and refuses a bundle whose central directory and local headers
# disagree, a truncated bundle, and any tag file the bag's own tag manifest
# does not list (a forged tagmanifest-*.txt included): exit 4 each time.
set -eu
. "$KMV_TESTS/cli/lib.sh"
. "$KMV_TESTS/cli/fixture.sh"
kmv_setup
kmv_fixture
export KMVAULT_NOW=2024-04-10T09:00:00+08:00

expect_exit 0 kmv evidence create "$FIX_ORDER" -o "$T/b.zip"
expect_exit 0 kmv evidence verify "$T/b.zip"
mkdir "$T/x"
(cd "$T/x" && unzip -q "$T/b.zip")

# Extra tag files, signed bag otherwise intact: refused, named.
extra_tag() { # file name in the bag root
	rm -rf "$T/t" && mkdir "$T/t" && cp -r "$T/x/b" "$T/t/b"
	printf '全额退款已完成 (full refund completed)\n' > "$T/t/b/$1"
	(cd "$T/t" && rm -f "$T/e.zip" && zip -qr "$T/e.zip" b)
	expect_exit 4 kmv evidence verify "$T/e.zip"
	expect_in "$T/err" "$1"
}
extra_tag tagmanifest-fake.txt
extra_tag tagmanifest-sha512.txt
extra_tag tagmanifest-sha256.txt.sig
extra_tag manifest-md5.txt
# The untouched repack still verifies (the test is about the extra file).
(cd "$T/x" && rm -f "$T/r.zip" && zip -qr "$T/r.zip" b)
expect_exit 0 kmv evidence verify "$T/r.zip"

# A name changed in the central directory only: unzip extracts a file the
# manifest does not name (sha256sum -c fails); verify must fail too.
rename_entry() { # in out which(first=local|last=central) old new
	python3 - "$@" <<'PY'
import sys
src, dst, which, old, new = sys.argv[1:]
d = open(src, 'rb').read()
old, new = old.encode(), new.encode()
assert len(old) == len(new)
i = d.find(old) if which == 'local' else d.rfind(old)
assert i >= 0 and d.count(old) == 2
open(dst, 'wb').write(d[:i] + new + d[i + len(old):])
PY
}
rename_entry "$T/b.zip" "$T/c.zip" central b/data/records.csv b/data/recordX.csv
rm -rf "$T/u" && mkdir "$T/u" && (cd "$T/u" && unzip -q "$T/c.zip" 2>/dev/null || true)
if (cd "$T/u/b" && sha256sum -c --quiet manifest-sha256.txt >/dev/null 2>&1); then
	fail "the central-directory rename did not change what unzip extracts"
fi
expect_exit 4 kmv evidence verify "$T/c.zip"
expect_in "$T/err" "central directory"
rename_entry "$T/b.zip" "$T/l.zip" local b/data/records.csv b/data/recordX.csv
expect_exit 4 kmv evidence verify "$T/l.zip"

# Truncated bundles (unzip cannot open any of them): exit 4, never OK.
size=$(wc -c < "$T/b.zip")
for cut in 1 2 10 21 22 23 50 100 200 400 1000 3000 $((size / 2)) $((size - 30)); do
	[ "$cut" -lt "$size" ] || continue
	head -c $((size - cut)) "$T/b.zip" > "$T/cut.zip"
	if unzip -tq "$T/cut.zip" >/dev/null 2>&1; then continue; fi
	expect_exit 4 kmv evidence verify "$T/cut.zip"
done
echo "ok"
