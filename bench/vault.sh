#!/bin/sh
# Vault open/save against plain SQLite on the same database, in the same run,
# and the Argon2id cost per preset.  Usage: bench/vault.sh [SIZES...]
# (default 10000 100000 1000000).  Results: bench/out/vault.txt (medians of 5).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
sizes=${*:-10000 100000 1000000}
out=${KMV_BENCH_OUT:-$top/bench/out} # data and results (generated vaults are reused)
mkdir -p "$out/data"
cmake -S "$top" -B "$top/build-bench" -DCMAKE_BUILD_TYPE=Release -DKMV_BENCH=ON >/dev/null
cmake --build "$top/build-bench" -j 2 --target bench_vault >/dev/null
B="$top/build-bench/bench_vault"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

{
	echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem/ {print $2}') GiB"
	echo "# date: $(date -u +%Y-%m-%dT%H:%MZ)"
	for n in $sizes; do
		"$B" gen "$out/data" "$n" 2>&1 | sed 's/^/# /'
		echo "# size $n: vault $(stat -c %s "$out/data/vault-$n.kmv") bytes, plain $(stat -c %s "$out/data/plain-$n.db") bytes"
		for what in open save; do
			for i in 1 2 3 4 5; do "$B" $what "$out/data" "$n"; done > "$out/raw-$what-$n.txt"
			for key in $(cut -d' ' -f1 "$out/raw-$what-$n.txt" | sort -u); do
				printf '%s %s %s\n' "$n" "$key" \
					"$(grep "^$key " "$out/raw-$what-$n.txt" | cut -d' ' -f2 | median)"
			done
		done
	done
	for i in 1 2 3; do "$B" kdf; done > "$out/raw-kdf.txt"
	for key in kdf_interactive kdf_moderate kdf_sensitive; do
		printf 'kdf %s %s\n' "$key" "$(grep "^$key " "$out/raw-kdf.txt" | cut -d' ' -f2 | median)"
	done
} | tee "$out/vault.txt"
