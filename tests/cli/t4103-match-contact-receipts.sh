#!/bin/sh
# A receipt naming no order: acg-faka's delivery mail (【发货提醒】您购买的卡密
#发货啦: the card secret only, no order number, no amount) meets its order
# by the contact it went to, the shop and the time (rule contact_time); its
# secret is kept; the delivery clears 'undelivered'.  A mail of another shop
# or to another contact, or too long after the order, links nothing.  Files:
# tests/data/shops (see its README).
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-01T12:00:00+08:00
D="$KMV_TESTS/data/shops"

expect_exit 0 kmv import --platform 异次元小店 "$D/acg-faka_query.json"
expect_exit 0 kmv --json anomalies --type undelivered
expect_in "$T/out" '287240327193000115'

expect_exit 0 kmv --json import "$D/acg-faka_delivery.eml" "$D/acg-faka_delivery_other_shop.eml"
expect_in "$T/out" '"added":1'
expect_exit 0 kmv --json query --kind receipt
python3 -c 'import json,sys
rs = json.load(sys.stdin)
assert len(rs) == 2, rs
for r in rs:
    assert r.get("order_no") is None, r
print(" ".join(sorted(r["platform"] for r in rs)))' < "$T/out" > "$T/shops"
grep -qx '别家发卡网 异次元小店' "$T/shops" || { cat "$T/shops"; fail "shop names from the sender"; }

expect_exit 0 kmv --json match
expect_in "$T/out" '"contact_time":1'
expect_exit 0 kmv match
expect_in "$T/out" 'links by the buyer'"'"'s contact (contact_time): 1'
expect_exit 0 kmv show 287240327193000115
expect_in "$T/out" 'same buyer contact and shop, close in time'
expect_in "$T/out" "the receipt names no order; it went to the order's contact buyer@example.com, from the same shop, after order 287240327193000115"
# delivered by mail: no longer undelivered
expect_exit 0 kmv --json anomalies --type undelivered
expect_not_in "$T/out" '287240327193000115'
# the mail keeps its card secret (masked) and names the order it belongs to
expect_exit 0 kmv show 4
expect_in "$T/out" 'TXVI…0115'
expect_in "$T/out" '异次元小店'
expect_in "$T/out" '287240327193000115'
# the other shop's mail stays alone
expect_exit 0 kmv --json show 5
python3 -c 'import json,sys
d = json.load(sys.stdin)
it = d[0] if isinstance(d, list) else d
it = it.get("items", [it])[0] if "items" in it else it
assert it["platform"] == "别家发卡网", it
assert not it.get("links"), it' < "$T/out" || fail "the other shop's mail was linked"

# the same mail to another address finds no order
sed 's/^To: buyer@example.com/To: someone-else@example.com/; s/kQ3v9xT2/kQ3v9xT3/' \
	"$D/acg-faka_delivery.eml" > "$T/to-other.eml"
# and two days after the last order of that contact, neither
sed 's/^Date: .*/Date: Fri, 29 Mar 2024 20:00:00 +0800/; s/kQ3v9xT2/kQ3v9xT4/' \
	"$D/acg-faka_delivery.eml" > "$T/late.eml"
expect_exit 0 kmv import "$T/to-other.eml" "$T/late.eml"
expect_exit 0 kmv --json match
expect_in "$T/out" '"contact_time":1'
echo ok
