#!/bin/sh
# evidence stamp: a local test TSA (openssl ts, no network) answers the
# bundle's .tsq; the reply is added and verified, with and without the CA;
# a wrong reply is refused (exit 6), a tampered one fails verify (exit 4).
set -eu
. "$KMV_TESTS/cli/lib.sh"
. "$KMV_TESTS/cli/fixture.sh"
. "$KMV_TESTS/cli/tsa.sh"
kmv_setup
kmv_fixture
tsa_setup "$T/tsa"

expect_exit 0 kmv evidence create "$FIX_ORDER" -o "$T/b.zip"
tsa_reply "$T/tsa" "$T/b.zip.tsq" "$T/b.tsr" || fail "the test TSA did not answer"
openssl ts -reply -in "$T/b.tsr" -text 2>/dev/null | grep -q "Status: Granted" || fail "TSA reply not granted"

# a reply to some other query is refused and the bundle is left alone
cp "$T/b.zip" "$T/orig.zip"
printf 'other data\n' > "$T/other.txt"
openssl ts -query -data "$T/other.txt" -sha256 -cert -out "$T/other.tsq" 2>/dev/null
tsa_reply "$T/tsa" "$T/other.tsq" "$T/other.tsr"
expect_exit 6 kmv evidence stamp "$T/b.zip" "$T/other.tsr"
cmp -s "$T/b.zip" "$T/orig.zip" || fail "a refused stamp changed the bundle"
expect_exit 7 kmv evidence stamp "$T/b.zip" "$T/missing.tsr"

expect_exit 0 kmv evidence stamp "$T/b.zip" "$T/b.tsr"
expect_in "$T/err" "timestamp"
expect_exit 0 kmv evidence verify "$T/b.zip"
expect_in "$T/out" "timestamp: "
expect_exit 0 kmv --json evidence verify "$T/b.zip" --tsa-ca "$T/tsa/ca.pem"
expect_in "$T/out" '"timestamped":true'
expect_in "$T/out" '"tsa_chain_verified":true'

# openssl itself agrees
mkdir "$T/x" && (cd "$T/x" && unzip -q "$T/b.zip")
openssl ts -verify -in "$T/x/b/tagmanifest-sha256.txt.tsr" \
	-queryfile "$T/x/b/tagmanifest-sha256.txt.tsq" -CAfile "$T/tsa/ca.pem" \
	-untrusted "$T/tsa/tsa.pem" >/dev/null 2>&1 || fail "openssl ts -verify"

# a tampered reply inside the bundle
flip_byte "$T/x/b/tagmanifest-sha256.txt.tsr" 200
(cd "$T/x" && zip -qr "$T/bad.zip" b)
expect_exit 4 kmv evidence verify "$T/bad.zip"
expect_in "$T/err" "tagmanifest-sha256.txt.tsr"
