#!/bin/sh
# evidence create/verify/pubkey: the bundle checks out with sha256sum -c,
# minisign -V and evidence verify; tampered bundles (a payload byte, a
# manifest line, the signature, an extra file) exit 4 naming the path.
set -eu
. "$KMV_TESTS/cli/lib.sh"
. "$KMV_TESTS/cli/fixture.sh"
kmv_setup
kmv_fixture
export KMVAULT_NOW=2024-04-10T09:00:00+08:00

# no key yet
expect_exit 7 kmv evidence pubkey

expect_exit 0 kmv evidence create "$FIX_ORDER" -o "$T/b.zip" --claim "退还货款 48.50 元"
expect_in "$T/out" "$T/b.zip"
expect_in "$T/err" "signing key"
[ -s "$T/b.zip.tsq" ] || fail "no timestamp query written"
expect_exit 0 kmv evidence pubkey
cp "$T/out" "$T/key.pub"
expect_in "$T/key.pub" "untrusted comment: minisign public key"
expect_exit 0 kmv log --json --limit 1
expect_in "$T/out" '"action":"evidence"'

# verify needs no vault and no passphrase
mv "$KMVAULT_VAULT" "$T/vault.away"
unset KMVAULT_PASSPHRASE_FILE
expect_exit 0 kmv evidence verify "$T/b.zip"
expect_in "$T/out" "OK"
expect_exit 0 kmv evidence verify "$T/b.zip" --pubkey "$T/key.pub"
expect_exit 0 kmv --json evidence verify "$T/b.zip" --pubkey "$(sed -n 2p "$T/key.pub")"
expect_in "$T/out" '"valid":true'
expect_in "$T/out" '"external_key":true'

# anyone can check it with standard tools
mkdir "$T/x"
(cd "$T/x" && unzip -q "$T/b.zip")
bag="$T/x/b"
[ -f "$bag/bagit.txt" ] || fail "the bag is not under b/"
(cd "$bag" && sha256sum -c --quiet manifest-sha256.txt) || fail "sha256sum -c manifest"
(cd "$bag" && sha256sum -c --quiet tagmanifest-sha256.txt) || fail "sha256sum -c tagmanifest"
(cd "$bag" && sha512sum -c --quiet manifest-sha512.txt) || fail "sha512sum -c manifest"
(cd "$bag" && minisign -Vm tagmanifest-sha256.txt -P "$(sed -n 2p "$T/key.pub")" >/dev/null) \
	|| fail "minisign -V"
(cd "$bag" && minisign -HVm tagmanifest-sha256.txt -p kmvault-signing.pub >/dev/null) \
	|| fail "minisign -V with the bag's key"
expect_in "$bag/bag-info.txt" "Bagging-Date: 2024-04-10"
expect_in "$bag/bag-info.txt" "Payload-Oxum: "
expect_in "$bag/bag-info.txt" "External-Description: "
expect_in "$bag/data/申诉书.txt" "退还货款 48.50 元"
expect_in "$bag/data/申诉书.txt" "data/records.json"
expect_in "$bag/data/timeline.txt" "$FIX_TRADE"
expect_in "$bag/data/sources/excerpts.txt" "alipay_2024-03.csv"
pdftotext -enc UTF-8 "$bag/data/申诉书.pdf" "$T/letter.txt"
expect_in "$T/letter.txt" "申诉书"
if grep -rq "CARD-SECRET-0001-ZZZZ" "$bag"; then fail "a card secret is in the bundle"; fi

# tampering: repack the extracted bag with one change, expect exit 4 + path
repack() { # name
	(cd "$T/t" && rm -f "$T/$1.zip" && zip -qr "$T/$1.zip" b)
}
tamper() { # name, want-path, shell command run inside the bag copy
	rm -rf "$T/t"; mkdir "$T/t"; cp -r "$bag" "$T/t/b"
	(cd "$T/t/b" && eval "$3")
	repack "$1"
	expect_exit 4 kmv evidence verify "$T/$1.zip"
	expect_in "$T/err" "$2"
}
tamper payload "data/records.csv" 'flip_byte data/records.csv 20'
tamper manifest "manifest-sha256.txt" 'sed -i "1{s/^0/x/;s/^[^x]/0/;s/^x/1/}" manifest-sha256.txt'
tamper signature "tagmanifest-sha256.txt.minisig" 'sed -i "2s/^.\{10\}/AAAAAAAAAA/" tagmanifest-sha256.txt.minisig'
tamper extra "data/extra.txt" 'echo hi > data/extra.txt'
tamper extratag "README.txt" 'echo hi > README.txt'
tamper missing "data/timeline.txt" 'rm data/timeline.txt'
# a consistent rewrite of the manifests is still caught by the signature
tamper rehash "tagmanifest-sha256.txt.minisig" '
	echo X >> data/records.csv
	find data -type f -print0 | xargs -0 sha256sum > manifest-sha256.txt
	find data -type f -print0 | xargs -0 sha512sum > manifest-sha512.txt
	oxum="$(find data -type f -print0 | xargs -0 cat | wc -c).$(find data -type f | wc -l)"
	sed -i "s/^Payload-Oxum: .*/Payload-Oxum: $oxum/" bag-info.txt
	sha256sum bag-info.txt bagit.txt kmvault-signing.pub manifest-sha256.txt manifest-sha512.txt > tagmanifest-sha256.txt'
# signed by somebody else
printf 'untrusted comment: x\nRWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3\n' > "$T/other.pub"
expect_exit 4 kmv evidence verify "$T/b.zip" --pubkey "$T/other.pub"
expect_exit 6 kmv evidence verify "$T/b.zip" --pubkey "not a key"
expect_exit 7 kmv evidence verify "$T/nope.zip"
echo "not a zip" > "$T/junk.zip"
expect_exit 4 kmv evidence verify "$T/junk.zip"

# create: errors and the tar.gz form
mv "$T/vault.away" "$KMVAULT_VAULT"
export KMVAULT_PASSPHRASE_FILE="$T/pass"
vault_snapshot
expect_exit 7 kmv evidence create NO-SUCH-ORDER -o "$T/n.zip"
expect_exit 1 kmv evidence create "$FIX_ORDER" -o "$T/b.zip"
expect_in "$T/err" "already exists"
expect_exit 2 kmv evidence create "$FIX_ORDER" -o "$T/b.rar"
expect_exit 2 kmv evidence create
expect_exit 2 kmv evidence frobnicate
vault_unchanged
expect_exit 0 kmv evidence create "$FIX_ORDER" -o "$T/b.tar.gz" --include-sources
mkdir "$T/y" && tar -xzf "$T/b.tar.gz" -C "$T/y"
(cd "$T/y/b" && sha256sum -c --quiet manifest-sha256.txt) || fail "tar.gz: sha256sum -c"
ls "$T/y/b/data/sources/" | grep -q "alipay_2024-03.csv" || fail "--include-sources: no original"
expect_exit 0 kmv evidence verify "$T/b.tar.gz" --pubkey "$T/key.pub"
expect_exit 0 kmv evidence --help
head -1 "$T/out" | grep -q '^usage: kmvault evidence create ORDER_NO|CASE_ID' || fail "bad synopsis"
