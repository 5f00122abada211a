#!/bin/sh
# `kmvault match` with nothing new since the last run against an open-only
# command (`kmvault sources`) on the same vault, in the same run,
# alternating (issue 17 point 6: a re-run that changes nothing costs
# <= 1.5x an open and writes nothing).  The vault comes from bench_vault
# gen (shared with bench/evidence.sh); one first `match` links it, then
# every round runs both commands.  The re-runs must leave the vault file
# as it was (size and modification time): the script fails otherwise.
# Usage: bench/rematch.sh [N] [RUNS]  (default 400000 7).  KMV_BENCH_UNLOCK=1
# takes the key from the kernel keyring (`kmvault unlock`), so that
# neither side pays Argon2id.  Results: bench/out/rematch.txt (medians,
# min-max).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-400000}
runs=${2:-7}
out=${KMV_BENCH_OUT:-$top/bench/out} # data and results (generated vaults are reused)
data="$out/data"
build=${KMV_BENCH_BUILD:-$top/build-bench}
bin="$build/kmvault"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release -DKMV_BENCH=ON >/dev/null
cmake --build "$build" -j 2 --target kmvault bench_vault >/dev/null
. "$top/bench/vault_copy.sh"
bench_vault_copy kmv-rm
"$bin" --quiet match > /dev/null # the first run: links, saved

t() { # "wall cpu" of one run (CPU: user + sys)
	/usr/bin/time -f '%e %U %S' -o "$work/time" "$@" > /dev/null 2>&1 || {
		echo "FAILED: $*" >&2
		exit 1
	}
	awk '{printf "%s %.2f\n", $1, $2 + $3}' "$work/time"
}

before=$(stat -c '%s %Y' "$work/v.kmv")
: > "$work/raw"
i=0
while [ $i -lt "$runs" ]; do
	echo "open_only $(t "$bin" sources)" >> "$work/raw"
	echo "rematch $(t "$bin" match)" >> "$work/raw"
	i=$((i + 1))
done
[ "$(stat -c '%s %Y' "$work/v.kmv")" = "$before" ] || {
	echo "the re-runs rewrote the vault" >&2
	exit 1
}
{
	echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "# $n records, $runs rounds; unlocked: ${KMV_BENCH_UNLOCK:-0}; the vault file unchanged by the re-runs"
	for key in open_only rematch; do
		echo "$key wall $(grep "^$key " "$work/raw" | cut -d' ' -f2 | stats) cpu $(grep "^$key " "$work/raw" | cut -d' ' -f3 | stats)"
	done
} | tee "$out/rematch.txt"
