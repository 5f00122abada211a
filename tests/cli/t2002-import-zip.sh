#!/bin/sh
# import: password ZIPs (WinZip-AES, ZipCrypto) and hostile archives.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
F="$T/fx"
python3 "$KMV_TESTS/gen_statement_fixtures.py" "$F"

# A wrong password: exit 3, nothing imported, vault byte-identical.
vault_snapshot
expect_exit 3 kmv import --zip-password-file "$F/wrong.password" "$F/alipay_aes.zip"
expect_in "$T/err" "wrong ZIP password for 'alipay_c.csv'"
expect_in "$T/err" 'nothing was imported'
vault_unchanged
expect_exit 3 kmv import --zip-password-file "$F/wrong.password" "$F/wechat_zipcrypto.zip"
vault_unchanged

# No password and no terminal: a usage error telling how to give one.
expect_exit 2 kmv import "$F/alipay_aes.zip"
expect_in "$T/err" 'give --zip-password-file F'
vault_unchanged

# Right password: AES-256 (Alipay) and ZipCrypto (WeChat XLSX inside).
expect_exit 0 kmv --json import --zip-password-file "$F/zip.password" \
	"$F/alipay_aes.zip" "$F/wechat_zipcrypto.zip"
expect_in "$T/out" '"kind":"alipay","rows":5,"added":5'
expect_in "$T/out" '"kind":"wechat","rows":5,"added":5'
# The ZIP and its member are both kept as sources, the member under it.
expect_exit 0 kmv --json sources
expect_in "$T/out" '"kind":"zip","name":"alipay_aes.zip"'
expect_in "$T/out" '"kind":"alipay","name":"alipay_c.csv"'
expect_in "$T/out" '"parent":1'

# The sample as Alipay mails it; a re-import adds nothing.
expect_exit 0 kmv --json import --zip-password-file "$SAMPLES/alipay_2024-03.zip.password" \
	"$SAMPLES/alipay_2024-03.zip"
expect_in "$T/out" '"rows":5,"added":0,"duplicates":5'

# Hostile archives: exit 6 with the reason, vault unchanged.
vault_snapshot
for z in traversal:'unsafe member path' absolute:'unsafe member path' \
	 symlink:'is a link' nested:'nested archives are refused' \
	 bomb:'zip bomb refused'; do
	name=${z%%:*}
	msg=${z#*:}
	expect_exit 6 kmv import --zip-password-file "$F/zip.password" "$F/$name.zip"
	expect_in "$T/err" "$name.zip: "
	expect_in "$T/err" "$msg"
	vault_unchanged
done

# A large member (its original is compressed on the other core from a
# private copy) imports whole and is kept byte for byte.
expect_exit 0 kmv --json import "$F/alipay_big.zip"
expect_in "$T/out" '"kind":"alipay","rows":6000,"added":6000,"duplicates":0'
expect_exit 0 kmv --json sources
for m in alipay_big.csv alipay_big2.csv; do
	expect_in "$T/out" '"kind":"alipay","name":"'$m'","sha256":"'"$(python3 -c 'import hashlib, sys, zipfile; print(hashlib.sha256(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2])).hexdigest())' "$F/alipay_big.zip" $m)"'"'
done
# Both originals come back byte for byte (each was compressed from its own
# copy while the archive reader reused the member buffer).
for pair in 20240390000000000000000001:alipay_big.csv 20240380000000000000000001:alipay_big2.csv; do
	no=${pair%%:*} stored=${pair#*:}
	rm -f "$T/big.zip"
	expect_exit 0 kmv evidence create "$no" -o "$T/big.zip" --include-sources
	python3 - "$T/big.zip" "$F/alipay_big.zip" "$stored" <<'PY' || fail "original $stored differs"
import sys, zipfile
bundle, archive, stored = sys.argv[1:]
b = zipfile.ZipFile(bundle)
name = [n for n in b.namelist() if "/data/sources/" in n and n.endswith("-" + stored)][0]
sys.exit(b.read(name) != zipfile.ZipFile(archive).read(stored))
PY
done

# A large file rejected at its last row: nothing of it stays.
vault_snapshot
expect_exit 6 kmv import "$F/alipay_big_bad.csv"
expect_in "$T/err" "alipay_big_bad.csv:3026: bad amount 'abc'"
vault_unchanged
