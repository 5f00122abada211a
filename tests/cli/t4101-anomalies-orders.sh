#!/bin/sh
# The planted scenario end to end: one of each anomaly beside clean orders
# (tests/gen_match_fixtures.py says which row is which); exactly these
# findings and no others.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2024-04-01T12:00:00+08:00
kmv_scenario matched

findings() {
	python3 -c 'import json,sys
for a in json.load(sys.stdin):
    print(a["type"], a["order_no"] or "-", a["amount"], len(a["records"]), a["time"])'
}

vault_snapshot
expect_exit 0 kmv --json anomalies
findings < "$T/out" > "$T/got"
cat > "$T/want" <<'W'
duplicate_charge KM007 10.00 3 2024-03-07T10:01:00+08:00
amount_mismatch KM009 5.00 2 2024-03-09T10:01:00+08:00
payment_without_order KM010 200.00 1 2024-03-10T10:00:00+08:00
undelivered KM011 12.00 2 2024-03-11T10:01:00+08:00
undelivered KM012 7.00 1 2024-03-12T10:00:00+08:00
refund_missing KM013 20.00 2 2024-03-13T10:01:00+08:00
unknown_merchant - 68.00 1 2024-03-14T10:00:00+08:00
W
diff -u "$T/want" "$T/got" || fail "planted findings"
vault_unchanged

# human output: detail and next step for each
expect_exit 0 kmv anomalies
[ "$(grep -c '^  next: ' "$T/out")" -eq 7 ] || fail "human output"
expect_in "$T/out" "dispute payment A007B with Alipay"

# the deadline: an hour before KM011/KM012 are due nothing is undelivered
env KMVAULT_NOW=2024-03-11T10:30:00+08:00 "$KMVAULT_BIN" --json anomalies --type undelivered > "$T/o2" </dev/null
[ "$(cat "$T/o2")" = "[]" ] || { cat "$T/o2"; fail "undelivered before the deadline"; }
expect_exit 0 kmv --json anomalies --type undelivered --deadline-hours 500
[ "$(findings < "$T/out")" = "undelivered KM011 12.00 2 2024-03-11T10:01:00+08:00" ] || fail "--deadline-hours"

# the user settles the duplicate: unlinking the second charge from the order
# makes it an unexplained payment instead
expect_exit 0 kmv unlink KM007 A007B
kmv match >/dev/null
kmv --json anomalies --order-no KM007 | findings > "$T/got"
cat > "$T/want" <<'W'
payment_without_order KM007 10.00 1 2024-03-07T10:03:00+08:00
W
diff -u "$T/want" "$T/got" || fail "after unlink"
echo ok
