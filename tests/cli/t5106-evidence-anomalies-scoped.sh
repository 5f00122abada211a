#!/bin/sh
# evidence create computes the anomalies of the bundle's order numbers
# from those records alone (issue 17 point 5, lib/match/scope.c): what
# goes into the bundle is what the whole vault's anomaly run says about
# those numbers, finding for finding and word for word, for orders,
# payments and a number with no order; unrelated records added to the
# vault change nothing in it.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-01T12:00:00+08:00
kmv_scenario matched

# same_as_whole ZIP: the bundle's anomalies are the whole run's for its
# numbers, in the bundle's record order
same_as_whole() {
	# the bundle speaks Chinese (issue 14): the whole run in Chinese too
	kmv_zh --json anomalies > "$T/whole.json" 2>/dev/null
	unzip -p "$1" '*/data/records.json' > "$T/bundle.json"
	python3 - "$T/whole.json" "$T/bundle.json" <<'PY' || fail "$1: anomalies differ from the whole vault's"
import json, sys
whole = json.load(open(sys.argv[1], encoding='utf-8'))
bundle = json.load(open(sys.argv[2], encoding='utf-8'))
keys = ('type', 'order_no', 'records', 'amount', 'detail', 'suggestion')
nos = []
for r in bundle['records']:
    no = r.get('order_no') or r.get('merchant_order_no')
    if no and no not in nos:
        nos.append(no)
want = [{k: a.get(k) for k in keys} for no in nos for a in whole
        if a.get('order_no') == no]
got = [{k: a.get(k) for k in keys} for a in bundle['anomalies']]
if want != got:
    print('want', want, '\ngot ', got, file=sys.stderr)
    sys.exit(1)
PY
}

# the duplicate charge, a mismatch, a payment without an order, both
# undelivered kinds, a refund missing; and a bundle made from a payment
for what in KM007 KM009 KM010 KM011 KM012 KM013 A007B; do
	expect_exit 0 kmv evidence create "$what" -o "$T/$what.zip"
	same_as_whole "$T/$what.zip"
	unzip -p "$T/$what.zip" '*/data/records.json' > "$T/$what.json"
	unzip -p "$T/$what.zip" '*/data/timeline.txt' > "$T/$what.timeline"
done
grep -q '"duplicate_charge"' "$T/KM007.json" || fail "KM007: no duplicate charge"
grep -q '"refund_missing"' "$T/KM013.json" || fail "KM013: no refund missing"
grep -q '"payment_without_order"' "$T/KM010.json" || fail "KM010: no finding"

# Records of other shops and channels change nothing in these bundles.
kmv import "$SAMPLES/alipay_2024-03.csv" >/dev/null 2>&1 || fail "cannot import more records"
kmv match >/dev/null
for what in KM007 KM013; do
	expect_exit 0 kmv evidence create "$what" -o "$T/$what-2.zip"
	same_as_whole "$T/$what-2.zip"
	unzip -p "$T/$what-2.zip" '*/data/timeline.txt' > "$T/$what-2.timeline"
	cmp -s "$T/$what.timeline" "$T/$what-2.timeline" || fail "$what: timeline changed"
	unzip -p "$T/$what-2.zip" '*/data/records.json' |
		python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["anomalies"]))' > "$T/a2"
	python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["anomalies"]))' \
		"$T/$what.json" > "$T/a1"
	cmp -s "$T/a1" "$T/a2" || fail "$what: anomalies changed"
done
echo ok
