#!/bin/sh
# Pruning with a fake clock across days, ISO weeks and months (restic
# forget semantics: newest per bucket, rules ORed, newest always kept).
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
B="$T/backups"
mkdir -m 700 "$B"
nopass() { env -u KMVAULT_PASSPHRASE_FILE "$KMVAULT_BIN" "$@" </dev/null; }

# History: one backup a day at 02:00Z from 2025-11-01 to 2026-01-20
# (generations 1..81; the names are all that pruning reads).
g=0
for m in 11 12 01; do
	case $m in 11) y=2025; n=30 ;; 12) y=2025; n=31 ;; 01) y=2026; n=20 ;; esac
	d=1
	while [ $d -le $n ]; do
		g=$((g + 1))
		cp "$KMVAULT_VAULT" "$B/kmvault-$y$m$(printf %02d $d)T020000Z-g$g.kmv"
		d=$((d + 1))
	done
done
[ "$(ls "$B" | wc -l)" = 81 ] || fail "fixture"

# Without keep rules nothing is pruned (the live vault is generation 1:
# a new file is created since the newest backup is g81).
export KMVAULT_NOW=2026-01-21T02:00:00Z
expect_exit 0 nopass backup create --to "$B"
[ "$(ls "$B" | wc -l)" = 82 ] || fail "pruned without rules"

# 2026-01-21 is a Wednesday.  keep-daily 3: Jan 21, 20, 19.
# keep-weekly 3: week of Jan 19 (newest: Jan 21), week of Jan 12 (Sun
# Jan 18), week of Jan 5 (Sun Jan 11).  keep-monthly 3: Jan (21st),
# Dec (31st), Nov (30th).  Union: 21, 20, 19, 18, 11, Dec 31, Nov 30.
expect_exit 0 nopass --json backup create --to "$B" --keep-daily 3 \
	--keep-weekly 3 --keep-monthly 3
expect_in "$T/out" '"skipped":true'
ls "$B" | grep '^kmvault-' | sed 's/T.*//; s/kmvault-//' | tr '\n' ' ' > "$T/kept"
[ "$(cat "$T/kept")" = "20251130 20251231 20260111 20260118 20260119 20260120 20260121 " ] ||
	fail "kept: $(cat "$T/kept")"
expect_exit 0 nopass --json backup list --to "$B"
[ "$(grep -o '"file"' "$T/out" | wc -l)" = 7 ] || fail "list after prune"

# A week later with a new save: keep-weekly 1 leaves the newest only...
kmv member add --platform P --expiry 2026-12-31 >/dev/null 2>&1
export KMVAULT_NOW=2026-01-28T02:00:00Z
expect_exit 0 nopass backup create --to "$B" --keep-weekly 1
expect_in "$T/err" "created $B/kmvault-20260128T020000Z-g2.kmv"
expect_in "$T/err" "pruned $B/kmvault-20251130T020000Z-g30.kmv"
[ "$(ls "$B")" = "kmvault-20260128T020000Z-g2.kmv" ] || fail "weekly 1: $(ls "$B")"
# ...and keep-daily 0 still keeps the newest backup.
expect_exit 0 nopass backup create --to "$B" --keep-daily 0
[ "$(ls "$B" | wc -l)" = 1 ] || fail "the newest backup was pruned"

# Two backups within one second: the newer generation is the newest, and
# the backup just written is never the one pruned (issue 12.4).
kmv member add --platform Q --expiry 2026-12-31 >/dev/null 2>&1
expect_exit 0 nopass backup create --to "$B" --keep-daily 1
expect_in "$T/err" "created $B/kmvault-20260128T020000Z-g3.kmv"
expect_in "$T/err" "pruned $B/kmvault-20260128T020000Z-g2.kmv"
[ "$(ls "$B")" = "kmvault-20260128T020000Z-g3.kmv" ] || fail "same second: $(ls "$B")"
# A clock set back: the new backup looks older than the last, still kept.
kmv member add --platform R --expiry 2026-12-31 >/dev/null 2>&1
export KMVAULT_NOW=2026-01-27T02:00:00Z
expect_exit 0 nopass backup create --to "$B" --keep-daily 1
expect_in "$T/err" "created $B/kmvault-20260127T020000Z-g4.kmv"
[ -f "$B/kmvault-20260127T020000Z-g4.kmv" ] || fail "the backup just written was pruned"
echo ok
