#!/bin/sh
# Vault open against its floor, and a 20k-row listing, before/after in one
# run.  The floor (bench_vault open: floor_mmap_decrypt_query) maps the file
# with MAP_POPULATE, pulls every secretstream chunk into SQLite's buffer,
# deserializes and runs the month query, with the key already in hand.
# KMV_BENCH_BEFORE_DIR=DIR: a build of the previous code (its bench_vault
# and kmvault) measured alternately with this one.
# usage: bench/open_query.sh [N] [BUILD_DIR]   (KMV_BENCH_RUNS=5)
set -eu
n=${1:-100000}
runs=${KMV_BENCH_RUNS:-5}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-$top/build-bench}
before=${KMV_BENCH_BEFORE_DIR:-}
dir=$(mktemp -d "${TMPDIR:-/tmp}/kmv-boq-XXXXXX")
trap 'rm -rf "$dir"' EXIT
"$build/bench_vault" gen "$dir" "$n" > /dev/null
printf 'bench passphrase\n' > "$dir/pass"
export KMVAULT_PASSPHRASE_FILE="$dir/pass" KMVAULT_VAULT="$dir/vault-$n.kmv"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wall() { s=$(date +%s.%N); "$@" > /dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }

i=0
while [ "$i" -lt "$runs" ]; do
	"$build/bench_vault" open "$dir" "$n" | sed 's/^/after_/' >> "$dir/raw"
	echo "after_query20k $(wall "$build/kmvault" query --limit 20000 --format csv)" >> "$dir/raw"
	if [ -n "$before" ]; then
		"$before/bench_vault" open "$dir" "$n" | sed 's/^/before_/' >> "$dir/raw"
		echo "before_query20k $(wall "$before/kmvault" query --limit 20000 --format csv)" >> "$dir/raw"
	fi
	echo "open_only_sources $(wall "$build/kmvault" sources)" >> "$dir/raw"
	i=$((i + 1))
done
echo "# $n records, vault $(stat -c %s "$dir/vault-$n.kmv") bytes, medians of $runs; $(nproc) cores"
for key in $(cut -d' ' -f1 "$dir/raw" | sort -u); do
	printf '%s %s\n' "$key" "$(grep "^$key " "$dir/raw" | cut -d' ' -f2 | median)"
done
