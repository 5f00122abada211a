#!/bin/sh
# import (issue 12.4): ZIP member names with the UTF-8 flag (7-Zip AES, as
# Alipay mails them) or in GBK (Windows tools) are kept; an encrypted ZIP
# without a password source asks for the ZIP password first; a folder skips
# text files that merely mention a statement marker; 美团 statements are
# named as not supported yet.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
Z="$T/z"
mkdir "$Z"
NAME='支付宝交易明细(20240301-20240331).csv'
cp "$SAMPLES/alipay_2024-03.csv" "$Z/$NAME"
printf '318906\n' > "$T/zpw"
printf '000000\n' > "$T/wrong"
(cd "$Z" && 7z a -tzip -p318906 -mem=AES256 aes.zip "$NAME" >/dev/null)
python3 - "$Z" "$NAME" <<'PY'
import sys, zipfile
d, name = sys.argv[1], sys.argv[2]
data = open(d + "/" + name, "rb").read()
class Gbk(zipfile.ZipInfo):  # a Windows tool: GBK bytes, no UTF-8 flag
    def _encodeFilenameFlags(self):
        return name.encode("gbk"), self.flag_bits
with zipfile.ZipFile(d + "/gbk.zip", "w") as z:
    z.writestr(Gbk("x.csv"), data)
with zipfile.ZipFile(d + "/utf8.zip", "w") as z:  # UTF-8 flag set
    z.writestr(name, data)
PY
rm "$Z/$NAME"

# The wrong password names the member by its real name.
vault_snapshot
expect_exit 3 kmv import --zip-password-file "$T/wrong" "$Z/aes.zip"
expect_in "$T/err" "wrong ZIP password for '$NAME'"
vault_unchanged
for f in aes gbk utf8; do
	expect_exit 0 kmv import --zip-password-file "$T/zpw" "$Z/$f.zip"
done
expect_exit 0 kmv --json sources
[ "$(grep -o "\"name\":\"$NAME\"" "$T/out" | wc -l)" = 3 ] ||
	{ cat "$T/out"; fail "three members named $NAME"; }
expect_not_in "$T/out" 'member-1'

# No ZIP password source and no passphrase source: the ZIP password is
# what is asked for, never the vault passphrase.
expect_exit 2 env -u KMVAULT_PASSPHRASE_FILE "$KMVAULT_BIN" import "$Z/aes.zip"
expect_in "$T/err" "aes.zip' is encrypted: give --zip-password-file F"
expect_not_in "$T/err" 'passphrase'

# A folder: a README mentioning a statement's marker and a notes file are
# skipped with a warning; the statement in it is imported.
D="$T/folder"
mkdir "$D"
cp "$SAMPLES/wechat_2024-03.csv" "$D/wechat.csv"
printf '把支付宝的“电子客户回单”和微信支付账单明细都放在这里。\n' > "$D/README.txt"
printf '京东账号名：记得导出\n' > "$D/notes.md"
expect_exit 0 kmv --json import "$D"
expect_in "$T/out" '"kind":"wechat"'
expect_in "$T/err" 'README.txt: skipped'
expect_in "$T/err" 'notes.md: skipped'
# Named on the command line, the same README is still an error.
expect_exit 6 kmv import "$D/README.txt"
expect_in "$T/err" 'README.txt: no header row found'

# 美团: "not supported yet", never "not an order export".
MT="$KMV_TESTS/data/meituan/meituan_example.csv"
vault_snapshot
expect_exit 6 kmv import "$MT"
expect_in "$T/err" 'a 美团 (Meituan) statement: this format is not supported yet'
expect_not_in "$T/err" 'not an order export'
vault_unchanged
cp "$MT" "$D/meituan.csv"
expect_exit 0 kmv import "$D"
expect_in "$T/err" 'meituan.csv: skipped: a 美团 (Meituan) statement, not supported yet'
expect_exit 0 kmv check
