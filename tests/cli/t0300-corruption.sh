#!/bin/sh
# A flipped byte anywhere in the header, at sampled payload positions, a
# truncated or extended file: exit 4, never 3, and never a partial read.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
cp "$KMVAULT_VAULT" "$T/good.kmv"
size=$(stat -c %s "$T/good.kmv")
header=312   # 56 fixed + 2 keyslots x 112 + 32 checksum (docs/vault-format.md)

flip() { # flip POS: xor one byte of a fresh copy into the vault path
	python3 - "$T/good.kmv" "$KMVAULT_VAULT" "$1" <<'PY'
import sys
src, dst, pos = sys.argv[1], sys.argv[2], int(sys.argv[3])
b = bytearray(open(src, 'rb').read())
b[pos] ^= 0x01
open(dst, 'wb').write(b)
PY
}

# Every header position: one python run writes all the damaged copies.
mkdir "$T/flips"
python3 - "$T/good.kmv" "$T/flips" "$header" <<'PY'
import sys
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
b = open(src, 'rb').read()
for pos in range(n):
    m = bytearray(b)
    m[pos] ^= 0x01
    open('%s/%03d.kmv' % (out, pos), 'wb').write(m)
PY
for f in "$T"/flips/*.kmv; do
	expect_exit 4 kmv --vault "$f" check
done
expect_in "$T/err" "header checksum mismatch"
rm -rf "$T/flips"

for pos in $header $((header + 30)) $((size / 3)) $((size / 2)) $((size - 17)) $((size - 1)); do
	flip $pos
	expect_exit 4 kmv check
done
expect_in "$T/err" "corrupt"

for cut in 0 7 100 $header $((header + 24)) $((size / 2)) $((size - 1)); do
	head -c "$cut" "$T/good.kmv" > "$KMVAULT_VAULT"
	expect_exit 4 kmv check
done
# Whole chunks plus a tail no longer than a tag (1..17 bytes): once a heap
# overflow (issue 19.1).  Every command that opens the vault says 4.
chunk=$((65536 + 17))
for n in 1 2; do
	for tail in 1 16 17; do
		cut=$((header + 24 + n * chunk + tail))
		[ "$cut" -lt "$size" ] || continue
		head -c "$cut" "$T/good.kmv" > "$KMVAULT_VAULT"
		expect_exit 4 kmv check
		expect_exit 4 kmv query
		expect_exit 4 kmv import "$KMV_SRC/samples/alipay_2024-03.csv"
		expect_exit 4 kmv backup verify "$KMVAULT_VAULT"
		cuts=$((${cuts:-0} + 1))
	done
done
[ "${cuts:-0}" -ge 3 ] || fail "the test vault is too small to cut after a whole chunk"
expect_in "$T/err" "corrupt"
{ cat "$T/good.kmv"; printf 'X'; } > "$KMVAULT_VAULT"
expect_exit 4 kmv check
expect_in "$T/err" "corrupt"

# Not a vault at all.
printf 'hello\n' > "$KMVAULT_VAULT"
expect_exit 4 kmv check
expect_in "$T/err" "not a kmvault file"

cp "$T/good.kmv" "$KMVAULT_VAULT"
expect_exit 0 kmv check
echo "ok"
