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
expect_in "$T/out" '"kind":"alipay","rows":3000,"added":3000,"duplicates":0'
expect_exit 0 kmv --json sources
expect_in "$T/out" '"kind":"alipay","name":"alipay_big.csv","sha256":"'"$(python3 -c 'import hashlib, sys, zipfile; print(hashlib.sha256(zipfile.ZipFile(sys.argv[1]).read("alipay_big.csv")).hexdigest())' "$F/alipay_big.zip")"'"'

# A large file rejected at its last row: nothing of it stays.
vault_snapshot
expect_exit 6 kmv import "$F/alipay_big_bad.csv"
expect_in "$T/err" "alipay_big_bad.csv:3026: bad amount 'abc'"
vault_unchanged
