#!/bin/sh
# PDF report of one month against the CSV export of the same month, same
# vault, same run, alternating (issue 17 point 7: layouts shaped once per
# distinct cell).  BEFORE=path/to/kmvault adds an older binary's PDF to each
# round.  Wall time and CPU time (user + sys: steadier on a shared machine)
# are both given.  Usage: bench/pdf.sh [N] [RUNS] [MONTH] (default 400000 5
# 2024-03, ~11k rows); the vault is bench_vault gen's.  Results:
# bench/out/pdf.txt.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-400000}
runs=${2:-5}
month=${3:-2024-03}
out=${KMV_BENCH_OUT:-$top/bench/out} # data and results (generated vaults are reused)
data="$out/data"
bin="$top/build/kmvault"
. "$top/bench/vault_copy.sh"
bench_vault_copy kmv-bp

t() { # "wall cpu" of one run
	rm -f "$work/r.out"
	/usr/bin/time -f '%e %U %S' -o "$work/time" "$@" -o "$work/r.out" >/dev/null 2>&1 ||
		echo "FAILED: $*" >&2
	awk '{printf "%s %.2f\n", $1, $2 + $3}' "$work/time"
}

: > "$work/raw"
i=0
while [ $i -lt "$runs" ]; do
	echo "csv $(t "$bin" export --month "$month" --format csv)" >> "$work/raw"
	echo "pdf $(t "$bin" export --month "$month" --format pdf)" >> "$work/raw"
	if [ -n "${BEFORE:-}" ]; then
		echo "pdf_before $(t "$BEFORE" export --month "$month" --format pdf)" >> "$work/raw"
	fi
	i=$((i + 1))
done
{
	echo "# machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "# $n records, month $month, $runs rounds; each run opens the vault (KDF interactive) and saves its audit event"
	for key in csv pdf pdf_before; do
		grep -q "^$key " "$work/raw" || continue
		echo "$key wall $(grep "^$key " "$work/raw" | cut -d' ' -f2 | stats) cpu $(grep "^$key " "$work/raw" | cut -d' ' -f3 | stats)"
	done
} | tee "$out/pdf.txt"
