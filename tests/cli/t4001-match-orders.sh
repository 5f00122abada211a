#!/bin/sh
# kmvault match on a shop's order export beside Alipay and WeChat Pay
# statements: every rule, the learned alias, overrides that survive runs.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-01T12:00:00+08:00
kmv_scenario imported

summary() {
	python3 -c 'import json,sys; d=json.load(sys.stdin); r=d["by_rule"]; print(d["links"], r["order_no"], r["amount_time"], r["refund"], d["added"], d["removed"], d["manual"], d["vetoed"], d["aliases_learned"])'
}


# 9 by order number (KM001 003 007x2 009 011 013 028 + the refund row of
# KM003), the WeChat payment of KM002 by amount and time, 1 refund
expect_exit 0 kmv --json match
[ "$(summary < "$T/out")" = "11 9 1 1 11 0 0 0 1" ] || { cat "$T/out"; fail "first run"; }
expect_exit 0 kmv --json alias list
expect_in "$T/out" '"merchant":"示例卡盟网络科技","platform":"示例卡盟","origin":"learned"'
expect_exit 0 kmv --json match
[ "$(summary < "$T/out")" = "11 9 1 1 0 0 0 0 0" ] || { cat "$T/out"; fail "re-run"; }
# nothing new since that run: nothing is computed or written (issue 17.6)
expect_in "$T/err" "nothing new since the last match"
vault_snapshot
expect_exit 0 kmv --json match
[ "$(summary < "$T/out")" = "11 9 1 1 0 0 0 0 0" ] || { cat "$T/out"; fail "unchanged re-run"; }
vault_unchanged

# veto the amount_time link: KM002's payment stays unlinked after re-runs
expect_exit 0 kmv unlink KM002 W002
expect_exit 0 kmv --json match
[ "$(summary < "$T/out")" = "10 9 0 1 0 0 0 1 0" ] || { cat "$T/out"; fail "veto"; }
# link it to another order by hand: kept, and KM030 is not offered it
expect_exit 0 kmv link W002 KM030 --note "paid the weekly card with it"
# a 25.00 payment for a 9.90 order is linked, with a word (issue 20.8)
expect_in "$T/err" "warning: payment #"
expect_in "$T/err" " is 25.00 but order #"
expect_in "$T/err" " is 9.90; 'kmvault anomalies' will list it as amount_mismatch"
expect_exit 0 kmv anomalies --order-no KM030
expect_in "$T/out" "amount mismatch  KM030"
expect_exit 0 kmv --json match
[ "$(summary < "$T/out")" = "10 9 0 1 0 0 1 1 0" ] || { cat "$T/out"; fail "manual"; }

# a narrower window drops nothing here; a wider one adds nothing wrong
expect_exit 0 kmv --json match --window 1
[ "$(summary < "$T/out")" = "10 9 0 1 0 0 1 1 0" ] || { cat "$T/out"; fail "--window 1"; }
echo ok
