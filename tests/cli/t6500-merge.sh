#!/bin/sh
# kmvault merge (issue 18.2): two devices wrote to copies of one vault
# between syncs.  Merging brings the other side's imports, links, cases and
# audit events over in one save; merging again changes nothing; another
# vault is exit 6, a damaged copy 4, a wrong passphrase 3.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
S="$KMV_SRC/samples"
export KMVAULT_NOW=2024-04-20T12:00:00+08:00
expect_exit 0 kmv import "$S/alipay_2024-03.csv"
copy="$T/vault.sync-conflict-20240420-120000-ABCDEFG.kmv"
cp "$KMVAULT_VAULT" "$copy"
# This device: WeChat and a match.  The other: the shop's orders, a match
# and a case.  Both: the same dujiaoka export (one source, no duplicate).
expect_exit 0 kmv import "$S/wechat_2024-03.csv" "$S/dujiaoka_orders.csv"
expect_exit 0 kmv match
# This device also opens a case of its own and voids a record.
expect_exit 0 kmv case open H3N8P2Q6R9S4T7V1 --reason undelivered
expect_exit 0 kmv void 100000202403210001 --reason "重复导入"
expect_exit 0 kmv --vault "$copy" import --platform 示例卡盟 "$S/orders_example-shop.csv"
expect_exit 0 kmv --vault "$copy" import "$S/dujiaoka_orders.csv"
expect_exit 0 kmv --vault "$copy" match
expect_exit 0 kmv --vault "$copy" case open KM20240315000101 --reason undelivered
cp "$copy" "$T/copy-before.kmv"
rm -f "$copy.lock"     # left by the writes above, on "the other device"
expect_exit 0 kmv --json query --limit 1000
count() { python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$T/out"; }
ours=$(count)
expect_exit 0 kmv --vault "$copy" --json query --limit 1000
theirs=$(count)

expect_exit 0 kmv --json merge "$copy"
expect_in "$T/out" '"changed":true'
expect_in "$T/out" '"records":3'
expect_in "$T/out" '"cases":1'
expect_in "$T/out" '"common_event":2'
expect_in "$T/out" '"sources":1'
cmp -s "$copy" "$T/copy-before.kmv" || fail "merge changed the other copy"
[ ! -e "$copy.lock" ] || fail "merge left a lock file beside the copy (it would sync)"
expect_exit 0 kmv --json query --limit 1000
n=$(count); [ "$n" = $((ours + 3)) ] || fail "records after merge: $n, expected $ours + 3"
[ $((ours + 3)) -gt "$theirs" ] || fail "fixture: the copy should have fewer records"
expect_exit 0 kmv sources
[ "$(grep -c 'dujiaoka_orders.csv' "$T/out")" = 1 ] || fail "the shared source was added twice"
expect_exit 0 kmv case list
expect_in "$T/out" "KM20240315000101"
expect_in "$T/out" "H3N8P2Q6R9S4T7V1"
expect_exit 0 kmv query --text 豆浆
expect_not_in "$T/out" "100000202403210001"   # still voided here
expect_exit 0 kmv show KM20240315000101
expect_exit 0 kmv check
expect_in "$T/err" "ok"
expect_exit 0 kmv log --limit 20
expect_in "$T/out" "merged"
expect_in "$T/out" "case_open"
grep -q ' merge ' "$T/out" || fail "no merge event"

# Idempotent: the second merge adds nothing and does not save.
vault_snapshot
expect_exit 0 kmv merge "$copy"
expect_in "$T/err" "nothing to merge"
vault_unchanged

# The other device goes on (a new case note); merging again brings only that.
expect_exit 0 kmv --vault "$copy" case update 1 --note "客服说三天内处理"
expect_exit 0 kmv --json merge "$copy"
expect_in "$T/out" '"records":0'
expect_in "$T/out" '"case_notes":1'
expect_exit 0 kmv check

# Corrections made on the other device come over: an edit of a shared
# record, a tag, and a void of one of its own orders.
# The same field edited here first, then there: the later edit wins and
# show lists both.
export KMVAULT_NOW=2024-04-20T13:00:00+08:00
expect_exit 0 kmv edit T100000000000000001 --category 午餐
export KMVAULT_NOW=2024-04-21T12:00:00+08:00
expect_exit 0 kmv --vault "$copy" edit T100000000000000001 --category 工作餐
expect_exit 0 kmv --vault "$copy" tag T100000000000000001 +报销
expect_exit 0 kmv --vault "$copy" void KM20240325000303 --reason "测试订单"
expect_exit 0 kmv merge "$copy"
expect_exit 0 kmv --json show T100000000000000001
expect_in "$T/out" '"category":"工作餐"'
expect_in "$T/out" "报销"
expect_exit 0 kmv show T100000000000000001
expect_in "$T/out" "午餐"
expect_in "$T/out" "工作餐"
expect_exit 0 kmv show KM20240325000303
expect_in "$T/out" "测试订单"
expect_exit 0 kmv query --order-no KM20240325000303
expect_not_in "$T/out" "KM20240325000303"
expect_exit 0 kmv query --include-void --order-no KM20240325000303
expect_in "$T/out" "KM20240325000303"
expect_exit 0 kmv check
vault_snapshot
expect_exit 0 kmv merge "$copy"
expect_in "$T/err" "nothing to merge"
vault_unchanged

# Another vault: exit 6, nothing changes.
vault_snapshot
KMVAULT_VAULT="$T/other.kmv" "$KMVAULT_BIN" init --kdf interactive \
	--recovery-key-out "$T/rk2" >/dev/null 2>&1 </dev/null
expect_exit 6 kmv merge "$T/other.kmv"
expect_in "$T/err" "another vault"
vault_unchanged
# A damaged copy: exit 4.  A missing one: 7.
cp "$T/copy-before.kmv" "$T/damaged.kmv"
flip_byte "$T/damaged.kmv" 2000
expect_exit 4 kmv merge "$T/damaged.kmv"
vault_unchanged
expect_exit 7 kmv merge "$T/no-such.kmv"
# A copy with another passphrase: 3, then --other-passphrase-file opens it.
cp "$T/copy-before.kmv" "$T/repass.kmv"
printf 'another passphrase\n' > "$T/pass2"
chmod 600 "$T/pass2"
KMVAULT_NEW_PASSPHRASE_FILE="$T/pass2" expect_exit 0 kmv --vault "$T/repass.kmv" passwd
expect_exit 3 kmv merge "$T/repass.kmv"
expect_in "$T/err" "--other-passphrase-file"
vault_unchanged
expect_exit 0 kmv merge --other-passphrase-file "$T/pass2" "$T/repass.kmv"
expect_exit 0 kmv check

# Killed at any point: the vault is the old one or the merged one, whole.
cp "$T/snapshot.kmv" "$T/base.kmv"
for delay in 0.05 0.2 0.4 0.8; do
	cp "$T/base.kmv" "$KMVAULT_VAULT"
	rm -f "$KMVAULT_VAULT.prev"
	"$KMVAULT_BIN" merge "$copy" </dev/null >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	expect_exit 0 kmv check
	if ! cmp -s "$KMVAULT_VAULT" "$T/base.kmv"; then
		expect_exit 0 kmv merge "$copy"
		expect_in "$T/err" "nothing to merge"
	fi
done
echo "ok"
