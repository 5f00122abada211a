#!/bin/sh
# backup create against cp (and cp + fsync) of the same vault file, in the
# same run.  Usage: bench/backup.sh [SIZES...] (default 10000 100000).
# Vaults come from bench_vault gen (bench/vault.sh).  Results:
# bench/out/backup.txt, medians of 5; each run writes a fresh directory so
# nothing is skipped.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
sizes=${*:-10000 100000}
out=${KMV_BENCH_OUT:-$top/bench/out} # data and results (generated vaults are reused)
mkdir -p "$out/data"
cmake -S "$top" -B "$top/build-bench" -DCMAKE_BUILD_TYPE=Release -DKMV_BENCH=ON >/dev/null
cmake --build "$top/build-bench" -j 2 --target bench_vault kmvault >/dev/null
G="$top/build-bench/bench_vault"
K="$top/build-bench/kmvault"
scratch="$out/backup-scratch"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

{
	echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem/ {print $2}') GiB"
	echo "# date: $(date -u +%Y-%m-%dT%H:%MZ)"
	for n in $sizes; do
		v="$out/data/vault-$n.kmv"
		[ -f "$v" ] || "$G" gen "$out/data" "$n" >/dev/null 2>&1
		echo "# size $n: vault $(stat -c %s "$v") bytes"
		: > "$out/raw-backup-$n.txt"
		for i in 1 2 3 4 5; do
			rm -rf "$scratch"; mkdir -p "$scratch"
			sync
			t0=$(now)
			env -u KMVAULT_PASSPHRASE_FILE "$K" --vault "$v" --quiet backup create --to "$scratch/b" </dev/null
			t1=$(now)
			# Flush first: on ext4 an fsync also commits other files'
			# dirty data, which would bill one copy for another.
			sync
			t2=$(now)
			cp "$v" "$scratch/synced.kmv"; sync "$scratch/synced.kmv"
			t3=$(now)
			cp "$v" "$scratch/plain.kmv"
			t4=$(now)
			echo "create $(elapsed "$t0" "$t1")" >> "$out/raw-backup-$n.txt"
			echo "cp_sync $(elapsed "$t2" "$t3")" >> "$out/raw-backup-$n.txt"
			echo "cp $(elapsed "$t3" "$t4")" >> "$out/raw-backup-$n.txt"
		done
		for key in create cp cp_sync; do
			printf '%s %s %s\n' "$n" "$key" \
				"$(grep "^$key " "$out/raw-backup-$n.txt" | cut -d' ' -f2 | median)"
		done
	done
	rm -rf "$scratch"
} | tee "$out/backup.txt"
