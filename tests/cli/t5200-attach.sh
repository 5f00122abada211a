#!/bin/sh
# attach: files kept with SHA-256, type and note, once per target; they
# travel in the order's evidence bundle; bad targets and files leave the
# vault unchanged.
set -eu
. "$KMV_TESTS/cli/lib.sh"
. "$KMV_TESTS/cli/fixture.sh"
kmv_setup
kmv_fixture

printf '\211PNG\r\n\032\n0000IHDR fake screenshot' > "$T/shot.png"
printf '客服：24小时内退款\n' > "$T/chat.txt"
printf '<!DOCTYPE html><html><body>规则</body></html>' > "$T/rules.dat"

expect_exit 0 kmv --json attach "$FIX_ORDER" "$T/shot.png" "$T/chat.txt" "$T/rules.dat" --note "客服承诺退款"
expect_in "$T/out" '"mime":"image/png"'
expect_in "$T/out" '"mime":"text/plain"'
expect_in "$T/out" '"mime":"text/html"'
expect_in "$T/out" "\"sha256\":\"$(sha256sum "$T/shot.png" | cut -c1-64)\""
expect_in "$T/out" '"duplicate":false'

# the same bytes again: kept once, vault unchanged
vault_snapshot
expect_exit 0 kmv attach "$FIX_ORDER" "$T/shot.png"
expect_in "$T/err" "already kept"
vault_unchanged

# errors: nothing attached, vault unchanged
expect_exit 7 kmv attach NO-SUCH-ORDER "$T/shot.png"
expect_exit 7 kmv attach "$FIX_ORDER" "$T/chat.txt" "$T/missing.png"
expect_exit 6 kmv attach "$FIX_ORDER" "$T"
expect_exit 2 kmv attach "$FIX_ORDER"
vault_unchanged
expect_exit 0 kmv log --json --limit 1
expect_in "$T/out" '"action":"attach"'

# attachments travel in the bundle
expect_exit 0 kmv evidence create "$FIX_ORDER" -o "$T/b.zip"
unzip -l "$T/b.zip" > "$T/list"
expect_in "$T/list" "data/attachments/"
expect_in "$T/list" "shot.png"
expect_in "$T/list" "chat.txt"
mkdir "$T/x" && (cd "$T/x" && unzip -q "$T/b.zip")
cmp -s "$T/shot.png" "$T/x/b/data/attachments/1-shot.png" || fail "attachment bytes differ"
expect_in "$T/x/b/data/申诉书.txt" "data/attachments/1-shot.png"
expect_exit 0 kmv evidence verify "$T/b.zip"
expect_exit 0 kmv attach --help
head -1 "$T/out" | grep -q '^usage: kmvault attach ORDER_NO|CASE_ID FILE... \[--note TEXT\]$' || fail "bad synopsis"
