#!/bin/sh
# evidence create for one payment on a large vault against an open-only
# command (`kmvault sources`) and an open + save (`kmvault tag`) on the
# same vault, in the same run, alternating (issue 17 point 5: anomalies computed for the bundle's
# records only).  BEFORE=path/to/kmvault adds an older binary to each round,
# on its own copy of KMV_BENCH_BEFORE_VAULT when set (a vault of the older
# format: kmvault before format 1.1 cannot read a newer file).
# Usage: bench/evidence.sh [N] [RUNS]  (default 400000 5); the vault comes
# from bench/vault.sh's generator (bench_vault gen).  Results:
# bench/out/evidence.txt (medians, min-max).  KMV_BENCH_UNLOCK=1: see
# bench/vault_copy.sh ("KDF apart").  write_floor is what any save of this vault costs at least: `dd`
# writing the vault's bytes (from the page cache) to a new file with fsync;
# since the audit tail, evidence create appends its event instead.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-400000}
runs=${2:-5}
out=${KMV_BENCH_OUT:-$top/bench/out} # data and results (generated vaults are reused)
data="$out/data"
bin="$top/build/kmvault"
. "$top/bench/vault_copy.sh"
bench_vault_copy kmv-be
no=$(sqlite3 "$data/plain-$n.db" "SELECT payment_no FROM records WHERE payment_no IS NOT NULL LIMIT 1 OFFSET 1000")

t() { # "wall cpu" of one run (CPU: user + sys, steadier on a shared machine)
	/usr/bin/time -f '%e %U %S' -o "$work/time" "$@" > /dev/null 2>&1 || echo "FAILED: $*" >&2
	awk '{printf "%s %.2f\n", $1, $2 + $3}' "$work/time"
}

if [ -n "${BEFORE:-}" ] && [ -n "${KMV_BENCH_BEFORE_VAULT:-}" ]; then
	cp "$KMV_BENCH_BEFORE_VAULT" "$work/before.kmv"
	before_env="KMVAULT_VAULT=$work/before.kmv"
	if [ "${KMV_BENCH_UNLOCK:-0}" = 1 ]; then
		env "$before_env" "$BEFORE" unlock --timeout 30m > /dev/null 2>&1
		trap 'env "$before_env" "$BEFORE" lock > /dev/null 2>&1; "$bin" lock > /dev/null 2>&1; rm -rf "$work"' EXIT
	fi
	env "$before_env" "$BEFORE" evidence create "$no" -o "$work/b.zip" > /dev/null 2>&1
else
	before_env="KMVAULT_VAULT=$KMVAULT_VAULT"
fi
# The first bundle of a vault makes its signing key, a change a save must
# write whole; every later one only adds its audit event, which a save
# appends (the audit tail, docs/vault-format.md).  Make that key first.
rm -f "$work/b.zip"
"$bin" evidence create "$no" -o "$work/b.zip" > /dev/null 2>&1
: > "$work/raw"
i=0
while [ $i -lt "$runs" ]; do
	echo "open_only $(t "$bin" sources)" >> "$work/raw"
	# open + save: a tag added, then taken away (one audit event each)
	if [ $((i % 2)) -eq 0 ]; then sign=+; else sign=-; fi
	echo "open_save $(t "$bin" tag 1000 "${sign}bench")" >> "$work/raw"
	echo "write_floor $(t sh -c "rm -f '$work/copy'; dd if='$work/v.kmv' of='$work/copy' bs=1M conv=fsync")" >> "$work/raw"
	echo "evidence $(t sh -c "rm -f '$work/b.zip'; '$bin' evidence create '$no' -o '$work/b.zip'")" >> "$work/raw"
	if [ -n "${BEFORE:-}" ]; then
		echo "evidence_before $(t env "$before_env" sh -c "rm -f '$work/b.zip'; '$BEFORE' evidence create '$no' -o '$work/b.zip'")" >> "$work/raw"
	fi
	i=$((i + 1))
done
{
	echo "# machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
	if [ "${KMV_BENCH_UNLOCK:-0}" = 1 ]; then
		echo "# $n records, payment $no, $runs rounds; unlocked: no KDF"
	else
		echo "# $n records, payment $no, $runs rounds; KDF (Argon2id interactive) included in each"
	fi
	for key in open_only open_save write_floor evidence evidence_before; do
		grep -q "^$key " "$work/raw" || continue
		echo "$key wall $(grep "^$key " "$work/raw" | cut -d' ' -f2 | stats) cpu $(grep "^$key " "$work/raw" | cut -d' ' -f3 | stats)"
	done
} | tee "$out/evidence.txt"
