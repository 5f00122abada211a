#!/bin/sh
# case: ORDER_NO not in the vault -> exit 7, bad reason/status -> exit 2,
# unknown case id -> exit 7; the vault stays unchanged.  (Cases on real
# imported orders: t6301-case-lifecycle.sh.)
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
vault_snapshot
expect_exit 7 kmv case open KM-NOT-THERE --reason undelivered
expect_in "$T/err" "no order 'KM-NOT-THERE' in the vault"
expect_exit 2 kmv case open KM1 --reason angry
expect_exit 2 kmv case open KM1
expect_exit 2 kmv case open --reason undelivered
expect_exit 2 kmv case open KM1 --reason other --reply-days 0
expect_exit 7 kmv case update 3 --status escalated
expect_in "$T/err" "no case 3"
expect_exit 2 kmv case update 3 --status lost
expect_exit 2 kmv case update 3
expect_exit 7 kmv case close 3
expect_exit 2 kmv case close 3 --status open
expect_exit 2 kmv case frob
vault_unchanged
expect_exit 0 kmv case list
expect_in "$T/err" "no open cases"
expect_exit 0 kmv --json case list --all
[ "$(cat "$T/out")" = "[]" ] || fail "expected an empty JSON list"
echo ok
