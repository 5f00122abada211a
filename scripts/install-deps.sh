#!/bin/sh
# Install every Debian package kmvault builds, tests or benchmarks with.
# Idempotent; run as root on Debian 12.  Skips apt entirely when everything
# is already present, so repeated runs cost a second.
set -eu

PACKAGES="
build-essential cmake pkg-config ccache clang libclang-rt-14-dev
libsqlite3-dev sqlite3 libsodium-dev libcsv-dev libarchive-dev zlib1g-dev
libcmocka-dev libgmime-3.0-dev libpcre2-dev libexpat1-dev libxlsxwriter-dev
libcairo2-dev libpango1.0-dev fonts-wqy-microhei fontconfig
libssl-dev openssl
poppler-utils qpdf minisign zip unzip p7zip-full python3 file
util-linux bsdutils
libxml2-dev libpoppler-glib-dev libtesseract-dev tesseract-ocr-chi-sim tesseract-ocr-eng
gettext locales libzxcvbn-dev libinih-dev libkeyutils-dev keyutils rclone
libutf8proc-dev libjansson-dev hledger beancount
"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing (run as root)" >&2
	exit 1
fi

echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "install-deps: done"
