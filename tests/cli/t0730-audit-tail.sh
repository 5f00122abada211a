#!/bin/sh
# The audit tail (docs/vault-format.md): a command whose only change is
# its audit event (export, evidence create after the first) appends it to
# the vault file in place; any other change rewrites the file.  Backups,
# the rollback mark, check and a crash in the middle of an append behave
# as the format says.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
ino() { stat -c %i "$KMVAULT_VAULT"; }
size() { stat -c %s "$KMVAULT_VAULT"; }

expect_exit 0 kmv import "$SAMPLES/alipay_2024-03.csv"
i0=$(ino)
s0=$(size)
cp "$KMVAULT_VAULT" "$T/before.kmv"
expect_exit 0 kmv export --month 2024-03 --format csv -o "$T/r.csv"
[ "$(ino)" = "$i0" ] || fail "an export rewrote the vault file"
[ "$(size)" -gt "$s0" ] && [ "$(size)" -lt $((s0 + 2048)) ] ||
	fail "an export grew the vault from $s0 to $(size) bytes"
cmp -s -n "$s0" "$KMVAULT_VAULT" "$T/before.kmv" ||
	fail "an append changed bytes before the end"
expect_exit 0 kmv export --month 2024-03 --format csv -o "$T/r.csv"
[ "$(ino)" = "$i0" ] || fail "a second export rewrote the vault file"
expect_exit 0 kmv check
expect_in "$T/err" "generation 4"
expect_in "$T/err" "audit chain of 4 events intact"
expect_exit 0 kmv log
expect_in "$T/out" "export"
expect_exit 0 kmv --json log
[ "$(grep -o '"action":"export"' "$T/out" | wc -l)" = 2 ] ||
	fail "the log does not show both exports"

# A backup names the vault's generation (header + entries); the next
# append makes a new one.
expect_exit 0 kmv backup create --to "$T/bk"
expect_in "$T/err" "generation 4"
expect_exit 0 kmv --json query --limit 1
no=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["payment_no"])' "$T/out")
expect_exit 0 kmv evidence create "$no" -o "$T/b1.zip"
i1=$(ino)
expect_exit 0 kmv evidence create "$no" -o "$T/b2.zip"
[ "$(ino)" = "$i1" ] || fail "a second bundle rewrote the vault file"
expect_exit 0 kmv backup create --to "$T/bk"
set -- "$T"/bk/*.kmv
[ $# = 2 ] || fail "expected two backups, found $#"
expect_exit 0 kmv backup verify "$2"
expect_in "$T/err" "generation 6"

# Any other change: the file is replaced and the tail folded.
expect_exit 0 kmv tag 1 +tail
[ "$(ino)" != "$i1" ] || fail "a tag was appended instead of saved"
expect_exit 0 kmv check
expect_in "$T/err" "generation 7"

# The last entry removed: an older generation, as the rollback mark sees.
s7=$(size)
expect_exit 0 kmv export --month 2024-03 --format csv -o "$T/r.csv"
head -c "$s7" "$KMVAULT_VAULT" > "$T/cut.kmv"
cp "$T/cut.kmv" "$KMVAULT_VAULT"
expect_exit 4 kmv check
expect_in "$T/err" "is generation 7, older than generation 8 seen before"
expect_exit 0 kmv check --accept-rollback

# A crash in the middle of an append: the cut entry is left out by every
# command, check reports it, the next save drops it.
printf '\100\000\000\000cut short' >> "$KMVAULT_VAULT"
expect_exit 0 kmv query
expect_exit 4 kmv check
expect_in "$T/err" "no complete audit tail entry"
i2=$(ino)
expect_exit 0 kmv export --month 2024-03 --format csv -o "$T/r.csv"
[ "$(ino)" != "$i2" ] || fail "an append followed a cut entry"
expect_exit 0 kmv check

# A flipped byte: in the last entry it may be what a crash leaves (left
# out, check reports it); in an earlier one it is damage (4) everywhere.
s8=$(size)
expect_exit 0 kmv export --month 2024-03 --format csv -o "$T/r.csv"
expect_exit 0 kmv export --month 2024-03 --format csv -o "$T/r.csv"
cp "$KMVAULT_VAULT" "$T/two.kmv"
flip_at() { # flip_at POS: a copy of two.kmv with byte POS (from the end if < 0) flipped
	python3 - "$T/two.kmv" "$KMVAULT_VAULT" "$1" <<'PY'
import sys
src, dst, pos = sys.argv[1], sys.argv[2], int(sys.argv[3])
b = bytearray(open(src, 'rb').read())
b[pos] ^= 0x01
open(dst, 'wb').write(b)
PY
}
flip_at -20
expect_exit 0 kmv query
expect_exit 4 kmv check
expect_in "$T/err" "no complete audit tail entry"
flip_at $((s8 + 40))
expect_exit 4 kmv query
expect_in "$T/err" "audit tail entry 1 failed authentication"
expect_exit 4 kmv check
cp "$T/two.kmv" "$KMVAULT_VAULT"
expect_exit 0 kmv check
echo "ok"
