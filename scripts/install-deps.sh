#!/bin/sh
# Install every Debian package kmvault builds, tests or benchmarks with.
# Idempotent; run as root on Debian 12.  Skips apt entirely when everything
# is already present, so repeated runs cost a second.
set -eu

PACKAGES="
build-essential cmake pkg-config ccache clang libclang-rt-14-dev clang-format
libsqlite3-dev sqlite3 libsodium-dev libcsv-dev libarchive-dev zlib1g-dev
libcmocka-dev libgmime-3.0-dev libpcre2-dev libexpat1-dev libxlsxwriter-dev
libcairo2-dev libpango1.0-dev fonts-wqy-microhei fontconfig
libssl-dev openssl
poppler-utils qpdf minisign zip unzip p7zip-full python3 file
util-linux bsdutils
libxml2-dev libpoppler-glib-dev libtesseract-dev tesseract-ocr-chi-sim tesseract-ocr-eng
tesseract-ocr
gettext locales libzxcvbn-dev libinih-dev libkeyutils-dev keyutils rclone
libutf8proc-dev libjansson-dev hledger beancount
libminizip-dev
libseccomp-dev
zsh man-db
"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done

# The zh_CN.UTF-8 locale: the Chinese messages and the tests that check
# them need it (glibc ignores a catalog for a locale it does not have).
ensure_zh_locale() {
	if locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
		return 0
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "install-deps: the zh_CN.UTF-8 locale is missing (run as root)" >&2
		return 1
	fi
	echo "install-deps: generating the zh_CN.UTF-8 locale"
	if [ -f /etc/locale.gen ] && command -v locale-gen >/dev/null 2>&1; then
		sed -i 's/^# *\(zh_CN\.UTF-8 UTF-8\)/\1/' /etc/locale.gen
		grep -q '^zh_CN\.UTF-8 UTF-8' /etc/locale.gen ||
			echo 'zh_CN.UTF-8 UTF-8' >> /etc/locale.gen
		locale-gen >/dev/null
	else
		localedef -i zh_CN -f UTF-8 zh_CN.UTF-8
	fi
}

if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	ensure_zh_locale
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
ensure_zh_locale
echo "install-deps: done"
