#!/bin/sh
# kmvault demo --dir DIR on the bundled samples: exit 0, every step it
# announces left its file in DIR, and no card secret of the samples shows
# unmasked in its transcript or its reports.
set -eu
. "$KMV_TESTS/cli/lib.sh"
KMV_NO_VAULT=1 kmv_setup
unset KMVAULT_PASSPHRASE_FILE KMVAULT_VAULT
export KMVAULT_SAMPLES="$SAMPLES"
D="$T/demo"
expect_exit 0 kmv demo --dir "$D"
for step in "import --zip-password-file" "import samples/wechat_2024-03.csv" \
	"import --platform 示例卡盟" "import samples/receipt_dujiaoka.eml" "kmvault match" \
	"kmvault anomalies" "kmvault export --month 2024-03 --format pdf" \
	"kmvault evidence create" "kmvault evidence verify" "kmvault backup create" \
	"kmvault backup verify"; do
	expect_in "$T/out" "$step"
done
expect_in "$T/out" "demo finished"
# The demo shows the letter it put in the bundle (issue 14), text as sent.
expect_in "$T/out" "the dispute letter in the bundle, ready to sign and send"
expect_in "$T/out" "申诉书"
expect_in "$T/out" "被申诉方"
expect_in "$T/out" "诉求"
expect_in "$T/out" "退还货款 48.50 元"
for f in vault.kmv recovery-key.txt report-2024-03.pdf report-2024-03.csv \
	evidence-KM20240315000101.zip; do
	[ -s "$D/$f" ] || fail "demo left no $f in its folder"
done
ls "$D"/backups/kmvault-*.kmv >/dev/null 2>&1 || fail "demo made no backup"
# The bundle it made verifies on its own, without the vault.
expect_exit 0 kmv evidence verify "$D/evidence-KM20240315000101.zip"
# Card secrets of samples/orders_example-shop.csv stay masked everywhere.
for secret in CARD-5O-AAAA-0001 VIP-MONTH-0002; do
	expect_not_in "$T/out" "$secret"
	expect_not_in "$T/err" "$secret"
	grep -q "$secret" "$D/report-2024-03.csv" && fail "$secret in the CSV report"
done
# In Chinese: the steps' comments and the letter's heading too.
expect_exit 0 kmv_zh demo --dir "$T/demo-zh"
expect_in "$T/out" "证据包中的申诉书"
expect_not_in "$T/out" "create an encrypted vault"
expect_not_in "$T/out" "the dispute letter in the bundle"
true
