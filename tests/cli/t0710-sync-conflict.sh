#!/bin/sh
# A sync-conflict copy beside the vault (Syncthing, Nextcloud, "name (1)"):
# every command that opens the vault says so on stderr, once per copy, and
# carries on; check --json lists the copies (issue 18.3).
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
expect_exit 0 kmv query
expect_not_in "$T/err" "conflict"
dir=$(dirname "$KMVAULT_VAULT")
cp "$KMVAULT_VAULT" "$dir/vault.sync-conflict-20261201-101500-ABCDEFG.kmv"
cp "$KMVAULT_VAULT" "$dir/vault (1).kmv"
mkdir "$dir/vault (2).kmv"                 # a folder is not a copy
expect_exit 0 kmv query
expect_in "$T/err" "vault.sync-conflict-20261201-101500-ABCDEFG.kmv' beside the vault is a sync conflict copy"
expect_in "$T/err" "kmvault merge \"$dir/vault (1).kmv\""
[ "$(grep -c 'sync conflict copy' "$T/err")" = 2 ] || fail "one line per copy: $(cat "$T/err")"
expect_exit 0 kmv import "$KMV_SRC/samples/alipay_2024-03.csv"
expect_in "$T/err" "sync conflict copy"
expect_exit 0 kmv --json check
expect_in "$T/out" "\"conflict_copies\":[\"$dir/vault (1).kmv\",\"$dir/vault.sync-conflict-20261201-101500-ABCDEFG.kmv\"]"
if locale -a 2>/dev/null | grep -qi '^zh_CN.utf-\?8$'; then
	LANG=zh_CN.UTF-8 expect_exit 0 kmv query
	expect_in "$T/err" "同步冲突副本"
fi
rm "$dir/vault (1).kmv" "$dir/vault.sync-conflict-20261201-101500-ABCDEFG.kmv"
expect_exit 0 kmv --json check
expect_in "$T/out" '"conflict_copies":[]'
expect_not_in "$T/err" "conflict"
echo "ok"
