#!/bin/sh
# Rollback detection (issue 19 point 8): an older vault put in place of the
# newer one (vault.kmv.prev, an old copy) is authentic by itself; the mark
# in $XDG_STATE_HOME/kmvault/<id>.gen remembers the newest save.  check
# exits 4 and names both generations, other commands warn and go on, the
# warning stays after a save until --accept-rollback, a deliberate restore
# does not warn, and a mark that fails authentication is reported.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
marks="$XDG_STATE_HOME/kmvault"

expect_exit 0 kmv import "$SAMPLES/alipay_2024-03.csv"
expect_exit 0 kmv check
set -- "$marks"/*.gen
[ $# = 1 ] && [ -f "$1" ] || fail "no rollback mark in $marks"
mark=$1
mode=$(stat -c %a "$mark")
[ "$mode" = 600 ] || fail "the mark has mode $mode, expected 600"
dmode=$(stat -c %a "$marks")
[ "$dmode" = 700 ] || fail "the mark directory has mode $dmode"
grep -Eq '^save [0-9a-f]{32} 2 ' "$mark" || fail "the mark does not name generation 2"
expect_exit 0 kmv --json check
expect_in "$T/out" '"rollback_mark":{"status":"ok"'

# The previous generation put back over the vault.
expect_exit 0 kmv import "$SAMPLES/wechat_2024-03.csv"
cp "$KMVAULT_VAULT.prev" "$KMVAULT_VAULT"
expect_exit 4 kmv check
expect_in "$T/err" "is generation 2, older than generation 3 seen before"
expect_in "$T/err" "--accept-rollback"
expect_exit 4 kmv --json check
expect_in "$T/out" '"status":"rollback"'
expect_in "$T/out" '"seen_generation":3'
expect_exit 0 kmv query --limit 1
expect_in "$T/err" "warning: vault '"
expect_in "$T/err" "older than generation 3 seen before"

# The next import warns, saves generation 3 again, and the rollback stays
# noted: that generation 3 is not the one seen before.
expect_exit 0 kmv import "$SAMPLES/wechat_2024-03.csv"
expect_in "$T/err" "older than generation 3 seen before"
expect_exit 4 kmv check
expect_in "$T/err" "is generation 3, but generation 3 seen before"
expect_exit 0 kmv import "$SAMPLES/dujiaoka_orders.csv"
expect_exit 4 kmv check

# Accepted: the mark moves to the current generation, warnings stop.
expect_exit 0 kmv check --accept-rollback
expect_in "$T/err" "accepted as its newest"
expect_exit 0 kmv check
expect_not_in "$T/err" "seen before"
expect_exit 0 kmv query --limit 1
expect_not_in "$T/err" "warning"

# A restore of an old backup is a deliberate rollback: no warning after it.
expect_exit 0 kmv backup create --to "$T/bk"
old=$(ls "$T/bk"/*.kmv | head -n 1)
expect_exit 0 kmv import "$SAMPLES/receipt_dujiaoka.eml"
expect_exit 0 kmv backup restore --force "$old"
expect_exit 0 kmv check
expect_not_in "$T/err" "seen before"
expect_exit 0 kmv query --limit 1
expect_not_in "$T/err" "warning"

# A mark changed outside kmvault is reported and not trusted; accepting
# writes a fresh one.
sed -i 's/^save \([0-9a-f]*\) [0-9]* /save \1 999 /' "$mark"
grep -q ' 999 ' "$mark" || fail "the test did not change the mark"
expect_exit 4 kmv check
expect_in "$T/err" "fails authentication"
expect_exit 0 kmv query --limit 1
expect_in "$T/err" "fails authentication"
expect_exit 0 kmv --accept-rollback check
expect_exit 0 kmv check
expect_not_in "$T/err" "fails authentication"

# A deleted mark is simply written again (what an attacker who can write
# the state directory can do: docs/security.md).
rm -f "$mark"
expect_exit 0 kmv check
[ -f "$mark" ] || fail "the mark was not written again"
