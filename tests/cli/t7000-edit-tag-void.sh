#!/bin/sh
# edit, tag, void and unvoid (issue 12.3): corrections that keep the
# imported values, show their history, are audited one event each, hide
# voided records from query / match / anomalies (a voided duplicate charge
# is no longer an anomaly), and survive backup and restore.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-01T12:00:00+08:00
python3 "$KMV_TESTS/gen_match_fixtures.py" "$T/fx"

for c in edit tag void unvoid; do
	expect_exit 0 kmv $c --help
	first_synopsis "$T/out" > "$T/first"
	grep -qxF "$(cat "$T/first")" "$KMV_SRC/docs/kmvault-$c.md" ||
		fail "docs synopsis of $c differs"
done

kmv import "$T/fx/alipay_scn.csv" >/dev/null 2>&1
kmv import --profile dujiaoka "$SAMPLES/dujiaoka_orders.csv" >/dev/null 2>&1
kmv import "$SAMPLES/receipt_dujiaoka.eml" >/dev/null 2>&1
kmv match >/dev/null 2>&1

# ---- edit ----------------------------------------------------------------
expect_exit 2 kmv edit Q7M2K9X4T1B8C5D3
expect_in "$T/err" 'nothing to change'
expect_exit 7 kmv edit NO-SUCH-ORDER --platform x
expect_in "$T/err" "no record 'NO-SUCH-ORDER'"
vault_snapshot
expect_exit 2 kmv edit Q7M2K9X4T1B8C5D3 --note "$(printf 'a\tb')"
vault_unchanged
expect_exit 0 kmv edit Q7M2K9X4T1B8C5D3 --platform 示例小铺 --note 客服说三天内补发
expect_in "$T/err" '2 fields changed'
expect_exit 0 kmv show Q7M2K9X4T1B8C5D3
expect_in "$T/out" 'platform        示例小铺'
expect_in "$T/out" 'history'
expect_in "$T/out" "$(id -un)  platform: (none) -> 示例小铺"
expect_in "$T/out" 'note: (none) -> 客服说三天内补发'
# The imported value is kept.
expect_exit 0 kmv --json show Q7M2K9X4T1B8C5D3
expect_in "$T/out" '"imported":{"platform":null}'
expect_in "$T/out" '"action":"edit","field":"platform","old":null,"new":"示例小铺"'
expect_exit 0 kmv edit Q7M2K9X4T1B8C5D3 --platform 示例小铺
expect_in "$T/err" 'nothing changed'
# A second edit: history old -> new; the imported value stays the first.
expect_exit 0 kmv edit Q7M2K9X4T1B8C5D3 --platform 示例小店
expect_exit 0 kmv --json show Q7M2K9X4T1B8C5D3
expect_in "$T/out" '"imported":{"platform":null}'
expect_in "$T/out" '"old":"示例小铺","new":"示例小店"'
expect_exit 0 kmv --json query --platform 示例小店
expect_in "$T/out" '"order_no":"Q7M2K9X4T1B8C5D3"'
# A payment and a receipt can be edited too.
expect_exit 0 kmv edit A007A --category 游戏充值
expect_exit 0 kmv --json query --kind receipt
rid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$T/out")
expect_exit 0 kmv edit "$rid" --merchant 示例小铺客服
expect_exit 0 kmv show "$rid"
expect_in "$T/out" 'merchant: '

# ---- tag -----------------------------------------------------------------
expect_exit 0 kmv tag A007A +争议 +待退款
expect_in "$T/err" '2 tag changes'
expect_exit 0 kmv tag "$rid" +争议
expect_exit 0 kmv --json query --tag 争议
[ "$(grep -o '"tags":' "$T/out" | wc -l)" = 2 ] || fail "two records tagged 争议"
expect_exit 0 kmv tag A007A -待退款
expect_exit 0 kmv --json query --tag 待退款
expect_in "$T/out" '[]'
expect_exit 0 kmv show A007A
expect_in "$T/out" 'tags: 争议, 待退款 -> 争议'
expect_exit 2 kmv tag A007A 争议
expect_in "$T/err" "write +争议 to add the tag or -争议 to remove it"
expect_exit 2 kmv tag A007A '+a b'
# -TAG after the record is a removal even when it looks like an option;
# "--NAME" and "-X" before the record are options (named when unknown);
# only -q (the global --quiet) needs "--" before it.
expect_exit 0 kmv tag A007A +x +q +-v +help
expect_in "$T/err" '4 tag changes'
expect_exit 0 kmv tag A007A -x -h
expect_in "$T/err" '1 tag change'
expect_exit 0 kmv --json show A007A
expect_in "$T/out" '"tags":["-v","help","q","争议"]'
expect_exit 0 kmv tag A007A -- -q --v
expect_in "$T/err" '2 tag changes'
expect_exit 0 kmv tag -- A007A -help
expect_exit 0 kmv --json show A007A
expect_in "$T/out" '"tags":["争议"]'
vault_snapshot
expect_exit 2 kmv tag A007A --bogus
expect_in "$T/err" "unknown option '--bogus' for 'tag'"
expect_exit 2 kmv tag -x A007A +y
expect_in "$T/err" "unknown option '-x' for 'tag'"
expect_exit 2 kmv tag A007A
expect_in "$T/err" 'tag wants a record and +TAG or -TAG'
expect_exit 2 kmv edit A007A --bogus x
expect_in "$T/err" "unknown option '--bogus' for 'edit'"
expect_exit 2 kmv edit A007A --note
expect_in "$T/err" "option '--note' needs a value"
expect_exit 2 kmv void A007A --source
expect_in "$T/err" "option '--source' needs a value"
expect_exit 2 kmv unvoid --reason x A007A
expect_in "$T/err" "unknown option '--reason' for 'unvoid'"
vault_unchanged
# --quiet silences the confirmations
expect_exit 0 kmv --quiet tag A007A +y
[ ! -s "$T/out" ] && [ ! -s "$T/err" ] || fail "--quiet tag printed"
expect_exit 0 kmv tag A007A -y

# ---- void / unvoid ---------------------------------------------------------
expect_exit 0 kmv --json anomalies --type duplicate_charge
expect_in "$T/out" '"type":"duplicate_charge","order_no":"KM007"'
expect_exit 0 kmv void A007B --reason 重复导入的一行
expect_in "$T/err" 'voided 1 of 1 record'
expect_exit 0 kmv --json anomalies --type duplicate_charge
expect_not_in "$T/out" 'KM007'
expect_exit 0 kmv --json query --text 月卡
expect_not_in "$T/out" '"payment_no":"A007B"'
expect_exit 0 kmv --json query --include-void --text 月卡
expect_in "$T/out" '"voided":true'
expect_exit 0 kmv query --include-void --text 月卡
expect_in "$T/out" ' voided '
expect_not_in "$T/out" '已作废'
expect_exit 0 kmv_zh query --include-void --text 月卡
expect_in "$T/out" ' 已作废 '
expect_exit 0 kmv show A007B
expect_in "$T/out" "  voided ('kmvault unvoid' brings it back)"
expect_in "$T/out" 'voided: 重复导入的一行'
expect_not_in "$T/out" '已作废'
expect_exit 0 kmv_zh show A007B
expect_in "$T/out" '已作废（可用“kmvault unvoid”恢复）'
expect_in "$T/out" '已作废：重复导入的一行'
# The next match drops the links to it.
expect_exit 0 kmv --json show A007B
expect_in "$T/out" '"voided":true'
expect_exit 0 kmv match
expect_exit 0 kmv --json show A007B
expect_in "$T/out" '"links":[]'
# Voiding again changes nothing; unvoid brings it (and its anomaly) back.
expect_exit 0 kmv void A007B
expect_in "$T/err" 'voided 0 of 1 record (the others were voided already)'
expect_exit 0 kmv unvoid A007B
expect_in "$T/err" 'unvoided 1 of 1 record'
expect_exit 0 kmv match
expect_exit 0 kmv --json anomalies --type duplicate_charge
expect_in "$T/out" '"order_no":"KM007"'
expect_exit 0 kmv void A007B --reason 重复导入的一行
expect_exit 0 kmv match

# void --source: every record of that source (the e-mail), then back.
expect_exit 0 kmv --json sources
sid=$(python3 -c 'import json,sys; print([s["id"] for s in json.load(open(sys.argv[1])) if s["kind"] == "email"][0])' "$T/out")
expect_exit 2 kmv void --source x
expect_exit 7 kmv void --source 999
expect_exit 0 kmv void --source "$sid" --reason 误导入
expect_in "$T/err" 'voided 1 of 1 record'
expect_exit 0 kmv --json query --kind receipt
expect_in "$T/out" '[]'
expect_exit 0 kmv unvoid "$rid"
expect_exit 0 kmv --json query --kind receipt
expect_in "$T/out" "\"id\":$rid"

# ---- audit, check, backup/restore -----------------------------------------
expect_exit 0 kmv --json log
for a in edit tag void unvoid; do
	expect_in "$T/out" "\"action\":\"$a\""
done
expect_exit 0 kmv check
expect_in "$T/err" 'integrity ok'
mkdir "$T/b"
expect_exit 0 kmv backup create --to "$T/b"
f=$(ls "$T/b"/*.kmv | head -n 1)
expect_exit 0 kmv unvoid A007B
expect_exit 0 kmv backup restore --force "$f"
expect_exit 0 kmv --json show A007B
expect_in "$T/out" '"voided":true'
expect_exit 0 kmv --json show Q7M2K9X4T1B8C5D3
expect_in "$T/out" '"platform":"示例小店"'
expect_exit 0 kmv --json query --tag 争议
[ "$(grep -o '"tags":' "$T/out" | wc -l)" = 2 ] || fail "tags survive restore"
expect_exit 0 kmv check
