#!/bin/sh
# kmvault match and anomalies against a plain SQLite join on merchant order
# number over the same in-memory data, in the same run, at two sizes (10x
# apart).  Usage: bench/match.sh [RUNS] (default 5).  Each measurement is a
# separate process under /usr/bin/time -v (peak RSS).  Results:
# bench/out/match.txt (medians).  Data: bench/bench_match.c gen.
# KMV_BENCH_BEFORE=PATH: an older bench_match measured in the same rounds
# (keys before_*); KMV_BENCH_BUILD: the build directory (build-bench);
# KMV_BENCH_SIZES: "ORDERS:PAYMENTS ..." (default "20000:100000
# 200000:1000000").
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
out=${KMV_BENCH_OUT:-$top/bench/out} # data and results (generated vaults are reused)
mkdir -p "$out/data"
build=${KMV_BENCH_BUILD:-$top/build-bench}
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release -DKMV_BENCH=ON >/dev/null
cmake --build "$build" -j 2 --target bench_match >/dev/null
B="$build/bench_match"
before=${KMV_BENCH_BEFORE:-}
sizes=${KMV_BENCH_SIZES:-20000:100000 200000:1000000}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

{
	echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem/ {print $2}') GiB"
	echo "# date: $(date -u +%Y-%m-%dT%H:%MZ), runs: $runs"
	echo "# load: $(cut -d' ' -f1-3 /proc/loadavg)"
	for size in $sizes; do
		set -- $(echo "$size" | tr : ' ')
		db="$out/data/match-$1-$2.db"
		[ -f "$db" ] || "$B" gen "$db" "$1" "$2" 2>&1 | sed 's/^/# /'
		: > "$out/raw-match-$1.txt"
		i=0
		while [ $i -lt "$runs" ]; do
			for what in join match; do
				/usr/bin/time -v "$B" $what "$db" >"$out/t.out" 2>"$out/t.err"
				cat "$out/t.out" >> "$out/raw-match-$1.txt"
				echo "rss_$what $(awk '/Maximum resident/ {print $NF}' "$out/t.err")" \
					>> "$out/raw-match-$1.txt"
				grep -E '^(join|scan|match|anomalies):' "$out/t.err" | sed 's/^/# /' | sort -u
			done
			if [ -n "$before" ]; then
				"$before" match "$db" 2>/dev/null | sed 's/^/before_/' >> "$out/raw-match-$1.txt"
			fi
			i=$((i + 1))
		done
		for key in join_order_no join_order_no_cpu scan_floor scan_floor_cpu scan_floor_payments_cpu model_load_cpu match_first match_first_cpu match_rerun anomalies rss_join rss_match \
			before_model_load_cpu before_match_first_cpu; do
			grep -q "^$key " "$out/raw-match-$1.txt" || continue
			printf '%s/%s %s %s\n' "$1" "$2" "$key" \
				"$(grep "^$key " "$out/raw-match-$1.txt" | cut -d' ' -f2 | median)"
		done
	done
} | awk '!seen[$0]++' | tee "$out/match.txt"
