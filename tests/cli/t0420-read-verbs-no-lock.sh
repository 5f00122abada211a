#!/bin/sh
# Verbs that only read take no writer lock (issue 16.7): while another
# writer holds the lock, case list, member list, show, evidence pubkey and
# verify and backup list answer (exit 0) and the verbs that write exit 5, vault
# unchanged.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2026-01-16T18:00:00+08:00
expect_exit 0 kmv import "$SAMPLES/orders_example-shop.csv" --platform 示例卡盟
expect_exit 0 kmv case open KM20240315000101 --reason undelivered
expect_exit 0 kmv member add --platform 示例卡盟 --level 黄金VIP --start 2025-12-20 \
	--expiry 2026-12-20
expect_exit 0 kmv evidence create KM20240315000101 -o "$T/e.zip" --claim "退款 48.50 元"
mkdir "$T/backups"

hold_lock
# A failing check must not leave the holder behind.
trap 'kill $holder 2>/dev/null || true; rm -rf "$T"' EXIT
vault_snapshot
expect_exit 0 kmv case list
expect_in "$T/out" "KM20240315000101"
expect_exit 0 kmv --json case list --all
expect_in "$T/out" '"order_no":"KM20240315000101"'
expect_exit 0 kmv member list
expect_in "$T/out" "黄金VIP"
expect_exit 0 kmv --json member list
expect_in "$T/out" '"level":"黄金VIP"'
expect_exit 0 kmv show KM20240315000101
expect_exit 0 kmv evidence pubkey
expect_exit 0 kmv backup list --to "$T/backups"
expect_exit 0 kmv evidence verify "$T/e.zip"
# The writing verbs of the same commands still wait for the lock.
expect_exit 5 kmv case open KM20240320000202 --reason amount_mismatch
expect_in "$T/err" "locked by another writer"
expect_exit 5 kmv case close 1
expect_exit 5 kmv member renew 1 --expiry 2027-12-20
expect_exit 5 kmv show --reveal KM20240315000101
expect_exit 5 kmv evidence create KM20240315000101 -o "$T/e2.zip" --claim "退款 48.50 元"
vault_unchanged
release_lock

expect_exit 0 kmv case open KM20240320000202 --reason amount_mismatch
expect_exit 0 kmv --json case list
expect_in "$T/out" '"order_no":"KM20240320000202"'
