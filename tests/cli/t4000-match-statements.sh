#!/bin/sh
# kmvault match / link / unlink / alias on real-format statements (no
# orders yet): refunds, idempotent re-runs, manual overrides, aliases,
# and every bad input leaving the vault unchanged.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-01T12:00:00+08:00
python3 "$KMV_TESTS/gen_match_fixtures.py" "$T/fx"

summary() {
	python3 -c 'import json,sys; d=json.load(sys.stdin); r=d["by_rule"]; print(d["links"], r["order_no"], r["amount_time"], r["refund"], d["added"], d["removed"], d["manual"], d["vetoed"])'
}

# --help: the synopsis is the first line, as in the docs
for c in match link unlink alias; do
	expect_exit 0 kmv "$c" --help
	head -n 1 "$T/out" | sed "s/^usage: //" > "$T/first"
	grep -q "^kmvault $c" "$T/first" || fail "$c --help synopsis"
	grep -qxF "$(cat "$T/first")" "$KMV_SRC/docs/kmvault-$c.md" || fail "docs/kmvault-$c.md synopsis differs"
done

kmv import "$T/fx/alipay_scn.csv" "$T/fx/wechat_scn.csv" >/dev/null 2>&1

# the refund row links to the purchase it refunds
expect_exit 0 kmv --json match
[ "$(summary < "$T/out")" = "1 0 0 1 1 0 0 0" ] || { cat "$T/out"; fail "first run"; }
# a second run changes nothing
expect_exit 0 kmv --json match
[ "$(summary < "$T/out")" = "1 0 0 1 0 0 0 0" ] || { cat "$T/out"; fail "re-run"; }
expect_exit 0 kmv match
expect_in "$T/out" "links: 1 (order_no 0, amount_time 0, refund 1)"

# audit: the run that computed is logged; the two re-runs found nothing
# new since it and wrote nothing (issue 17.6)
kmv --json log > "$T/log"
[ "$(grep -o '"action":"match"' "$T/log" | wc -l)" -eq 1 ] || fail "match runs not in the audit log"

# unlink the refund by transaction numbers; later runs keep it removed
expect_exit 0 kmv unlink A003 A003_1709517600
expect_in "$T/err" "match will keep them apart"
expect_exit 0 kmv --json match
[ "$(summary < "$T/out")" = "0 0 0 0 0 0 0 1" ] || { cat "$T/out"; fail "veto not kept"; }
# link by hand undoes the veto and survives runs
expect_exit 0 kmv link A003_1709517600 A003 --note "refund seen in the app"
# a refund and its payment are not compared: no warning
expect_not_in "$T/err" "warning"
expect_exit 0 kmv --json match
[ "$(summary < "$T/out")" = "0 0 0 0 0 0 1 0" ] || { cat "$T/out"; fail "manual link not kept"; }

# aliases: add, list (json), remove; removing twice is not found
expect_exit 0 kmv alias add 示例卡盟网络科技 示例卡盟
expect_exit 0 kmv --json alias list
expect_in "$T/out" '"merchant":"示例卡盟网络科技","platform":"示例卡盟","origin":"user"'
expect_exit 0 kmv alias list
expect_in "$T/out" "示例卡盟网络科技"
expect_exit 0 kmv alias remove 示例卡盟网络科技 示例卡盟
expect_exit 0 kmv --json alias list
[ "$(cat "$T/out")" = "[]" ] || fail "alias not removed"

# bad input: clear message, exit code per cli.md, vault unchanged
vault_snapshot
expect_exit 2 kmv match --window abc
expect_in "$T/err" "--window"
expect_exit 2 kmv match --window -3
expect_exit 2 kmv match extra
expect_exit 2 kmv link 1
expect_exit 2 kmv link 1 1 1
expect_exit 7 kmv link 1 999999
expect_in "$T/err" "no record"
expect_exit 7 kmv unlink 1 NOSUCHNUMBER
expect_exit 2 kmv link 1 1
expect_in "$T/err" "itself"
expect_exit 2 kmv link KM007 1
expect_in "$T/err" "names 2 records"
expect_exit 2 kmv alias frob
expect_exit 2 kmv alias add only-one
expect_exit 2 kmv alias add "  " 示例卡盟
expect_exit 7 kmv alias remove 示例卡盟网络科技 示例卡盟
expect_in "$T/err" "no alias"
vault_unchanged
echo ok
