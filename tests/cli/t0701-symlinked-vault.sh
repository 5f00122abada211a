#!/bin/sh
# A vault reached through a symbolic link is updated where it really is:
# the lock, the temporary file, .prev and the rename all use the resolved
# path, so the link stays a link (it used to be replaced by a regular file
# on the first save, the real vault never updated).  Restore too.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
mkdir "$T/real" "$T/links"
mv "$KMVAULT_VAULT" "$T/real/vault.kmv"
rm -f "$KMVAULT_VAULT.lock"
ln -s ../real/vault.kmv "$T/links/vault.kmv"
export KMVAULT_VAULT="$T/links/vault.kmv"

expect_exit 0 kmv import "$SAMPLES/alipay_2024-03.csv"
[ -L "$T/links/vault.kmv" ] || fail "the symlink was replaced by a regular file"
expect_exit 0 kmv --vault "$T/real/vault.kmv" --json query --limit 0
n=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$T/out")
[ "$n" -gt 0 ] || fail "the real vault was not updated"
[ -f "$T/real/vault.kmv.prev" ] || fail "no .prev beside the real vault"
[ -f "$T/real/vault.kmv.lock" ] || fail "the lock is not beside the real vault"
left=$(ls -A "$T/links")
[ "$left" = vault.kmv ] || fail "files made beside the link: $left"
expect_exit 0 kmv check

# A writer through the link and one through the real path exclude each other.
KMVAULT_VAULT="$T/real/vault.kmv"
hold_lock
KMVAULT_VAULT="$T/links/vault.kmv"
expect_exit 5 kmv import "$SAMPLES/wechat_2024-03.csv"
release_lock

# Restore through the link: the real vault is replaced, the link stays.
expect_exit 0 kmv backup create --to "$T/bk"
f=$(ls "$T/bk"/*.kmv | head -n 1)
expect_exit 0 kmv import "$SAMPLES/wechat_2024-03.csv"
expect_exit 0 kmv backup restore --force "$f"
[ -L "$T/links/vault.kmv" ] || fail "restore replaced the symlink"
left=$(ls -A "$T/links")
[ "$left" = vault.kmv ] || fail "restore made files beside the link: $left"
expect_exit 0 kmv --vault "$T/real/vault.kmv" check
expect_exit 0 kmv --vault "$T/real/vault.kmv" log --json --limit 1
expect_in "$T/out" '"action":"restore"'
echo "ok"
