#!/bin/sh
# member add/list/renew/login/end with JSON; bad input leaves the vault
# unchanged with the cli.md exit code; every change is audited.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
export KMVAULT_NOW=2026-01-16T10:00:00+08:00

expect_exit 0 kmv member add --platform 示例卡盟 --level 黄金VIP --start 2025-12-20 \
	--expiry 2026-01-20 --price 25 --auto-renew --inactivity-days 30 \
	--last-login 2025-12-25
expect_in "$T/err" "added membership 1"
expect_exit 0 kmv --json member add --platform 另一家 --expiry 2026/3/1
expect_in "$T/out" '{"id":2}'
expect_exit 0 kmv member list
expect_in "$T/out" "示例卡盟  黄金VIP"
expect_in "$T/out" "2026-01-20  25.00  yes"
expect_exit 0 kmv --json member list
expect_in "$T/out" '{"id":1,"platform":"示例卡盟","level":"黄金VIP","start":"2025-12-20","expiry":"2026-01-20","price":"25.00","auto_renew":true,"inactivity_days":30,"last_login":"2025-12-25","status":"active","renewals":0,"orders":null,"status_label":"active"}'
expect_in "$T/out" '"expiry":"2026-03-01"'

# Bad input: exit 2 (usage) or 7 (not found), vault unchanged.
vault_snapshot
expect_exit 2 kmv member add --platform X --expiry 2026-02-30
expect_in "$T/err" "'2026-02-30' is not a date"
expect_exit 2 kmv member add --platform X
expect_exit 2 kmv member add --expiry 2026-02-01
expect_exit 2 kmv member add --platform X --expiry 2026-02-01 --inactivity-days 30
expect_exit 2 kmv member add --platform X --expiry 2026-02-01 --price abc
expect_exit 2 kmv member add --platform X --start 2026-03-01 --expiry 2026-02-01
expect_exit 7 kmv member add --platform X --expiry 2026-02-01 --order KM-NOPE
expect_in "$T/err" "no order 'KM-NOPE' in the vault"
expect_exit 7 kmv member renew 9 --expiry 2026-06-01
expect_exit 2 kmv member renew 1 --expiry 2025-06-01
expect_exit 2 kmv member renew 1
expect_exit 7 kmv member end 9
expect_exit 2 kmv member frob
vault_unchanged

expect_exit 0 kmv member renew 1 --expiry 2026-02-20 --price 28
expect_exit 0 kmv member login 1
expect_exit 0 kmv member login 2 --date 2026-01-10
expect_exit 0 kmv --json member list
expect_in "$T/out" '"expiry":"2026-02-20","price":"28.00","auto_renew":true,"inactivity_days":30,"last_login":"2026-01-16","status":"active","renewals":1'
expect_exit 0 kmv member end 2
expect_exit 0 kmv --json member list
expect_in "$T/out" '"status":"ended"'

# An active membership past its expiry shows as expired.
export KMVAULT_NOW=2026-03-01T10:00:00+08:00
expect_exit 0 kmv --json member list
expect_in "$T/out" '"id":1,"platform":"示例卡盟"'
expect_in "$T/out" '"status":"expired"'

expect_exit 0 kmv --json log
for a in member_add member_renew member_login member_end; do
	expect_in "$T/out" "\"action\":\"$a\""
done
echo ok
