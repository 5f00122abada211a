#!/bin/sh
# Keyslot KDF parameters come from the (unauthenticated) header: anything
# above the 'sensitive' preset (1 GiB, 4 passes) is refused before the KDF
# runs (exit 4, vault unchanged) unless --allow-expensive-kdf.  A forged
# header asking for 4 GiB x 64 used to cost minutes and gigabytes per try.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup

# forge OPSLIMIT MEMLIMIT: rewrite the passphrase slot's parameters and the
# header checksum (unkeyed BLAKE2b-256, as anyone can).
forge() {
	python3 - "$KMVAULT_VAULT" "$1" "$2" <<'PY'
import hashlib, struct, sys
path, ops, mem = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
d = bytearray(open(path, 'rb').read())
n = d[48]
end = 56 + n * 112
d[56 + 8:56 + 16] = struct.pack('<Q', ops)
d[56 + 16:56 + 24] = struct.pack('<Q', mem)
d[end:end + 32] = hashlib.blake2b(bytes(d[:end]), digest_size=32).digest()
open(path, 'wb').write(d)
PY
}
cp "$KMVAULT_VAULT" "$T/good.kmv"
# 5 passes over 8 MiB: cheap to derive, but above the preset's 4 passes.
forge 5 $((8 << 20))
vault_snapshot
expect_exit 4 kmv check
expect_in "$T/err" "sensitive"
expect_in "$T/err" "--allow-expensive-kdf"
expect_exit 4 kmv query
vault_unchanged
# Allowed: the KDF runs; the parameters are bound to the keyslot, so the
# forged slot does not open (authentication fails, exit 3).
expect_exit 3 kmv --allow-expensive-kdf check
expect_exit 3 kmv check --allow-expensive-kdf
# 2 GiB memory at 1 pass is refused without running (it would need 2 GiB).
forge 1 $((2 << 30))
expect_exit 4 kmv check
# The real presets are all accepted.
cp "$T/good.kmv" "$KMVAULT_VAULT"
expect_exit 0 kmv check
for kdf in interactive moderate; do
	expect_exit 0 kmv --vault "$T/$kdf.kmv" init --kdf $kdf --recovery-key-out "$T/$kdf.rk"
	expect_exit 0 kmv --vault "$T/$kdf.kmv" check
done
echo "ok"
