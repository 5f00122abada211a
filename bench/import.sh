#!/bin/sh
# Time `kmvault import` of an N-row GBK Alipay statement against a baseline
# of plain SQLite doing the same storage work: iconv to UTF-8, `.import`
# into a plain table, the same FTS5 trigram index over merchant/product/
# memo, and two indexes.  Peak memory through /usr/bin/time -v.
# usage: bench/import.sh [ROWS] [BUILD_DIR]   (KMV_BENCH_RUNS=5 runs each)
# KMV_BENCH_UNIQUE=1: the baseline also keeps a UNIQUE index on the
# transaction number (kmvault dedups on it).  KMV_BENCH_BEFORE=PATH: a
# second kmvault binary (e.g. the previous build) measured in the same
# run, alternating with the others, for before/after ratios.
set -eu
rows=${1:-100000}
runs=${KMV_BENCH_RUNS:-5}
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${2:-$top/build}/kmvault
dir=$(mktemp -d "${TMPDIR:-/tmp}/kmv-bench-XXXXXX")
trap 'rm -rf "$dir"' EXIT

python3 "$top/bench/gen_alipay.py" "$rows" "$dir/alipay.csv"
size=$(wc -c < "$dir/alipay.csv")

measure() { # label, command...: appends "wall_seconds rss_kib cpu_seconds" to $dir/label
	label=$1
	shift
	/usr/bin/time -v "$@" > /dev/null 2> "$dir/time.txt" || {
		cat "$dir/time.txt" >&2
		exit 1
	}
	sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time.txt" |
		awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f ", s }' >> "$dir/$label"
	sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time.txt" | tr '\n' ' ' >> "$dir/$label"
	# CPU time (user + sys, children included): steadier than wall time
	# when other work shares the cores
	awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f\n", s }' "$dir/time.txt" >> "$dir/$label"
}

summary() { # label: best and median wall time, median CPU time, peak RSS over the runs
	cpu=$(cut -d' ' -f3 "$dir/$1" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
	sort -n "$dir/$1" | awk -v label="$1" -v rows="$rows" -v cpu="$cpu" '
		{ wall[NR] = $1; if ($2 > rss) rss = $2 }
		END { printf "%-10s %8s rows  best %6.2f s  median %6.2f s  CPU median %6.2f s  peak RSS %7d KiB  (%d runs)\n",
			label, rows, wall[1], wall[int((NR + 1) / 2)], cpu, rss, NR }'
}

unique=""
[ "${KMV_BENCH_UNIQUE:-0}" = 1 ] && unique="UNIQUE "
before=${KMV_BENCH_BEFORE:-}
cat > "$dir/baseline.sh" <<EOS
set -e
iconv -f GB18030 -t UTF-8 "$dir/alipay.csv" | tail -n +26 | tr -d '\r\t' > "$dir/plain.csv"
rm -f "$dir/base.db"
sqlite3 "$dir/base.db" <<SQL
CREATE TABLE records(time, category, merchant, account, product, direction,
  amount, method, status, payment_no, merchant_order_no, memo, extra);
.mode csv
.import $dir/plain.csv records
CREATE VIRTUAL TABLE records_fts USING fts5(merchant, product, memo,
  content='records', content_rowid='rowid', tokenize='trigram');
INSERT INTO records_fts(rowid, merchant, product, memo)
  SELECT rowid, merchant, product, memo FROM records;
CREATE INDEX records_time ON records(time);
CREATE ${unique}INDEX records_payment_no ON records(payment_no);
SQL
EOS

export KMVAULT_VAULT="$dir/vault.kmv" KMVAULT_PASSPHRASE=bench
KMVAULT_VAULT="$dir/empty.kmv" "$bin" init --kdf interactive --weak-passphrase > /dev/null 2>&1
# The before build gets an empty vault of its own schema version (an older
# binary refuses a newer schema; a newer one would migrate on open).
[ -z "$before" ] ||
	KMVAULT_VAULT="$dir/empty-before.kmv" "$before" init --kdf interactive --weak-passphrase > /dev/null 2>&1
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores; $(basename "$bin") $("$bin" --version); file $size bytes; load $(cut -d' ' -f1-3 /proc/loadavg)"
# The machine is shared and noisy: alternate the two over several runs
# and report the best and the median of each.
i=0
# `sync` first: neither side inherits the other's dirty-page writeback.
while [ "$i" -lt "$runs" ]; do
	sync
	measure baseline sh "$dir/baseline.sh"
	cp "$dir/empty.kmv" "$dir/vault.kmv"
	sync
	measure kmvault "$bin" --quiet import "$dir/alipay.csv"
	if [ -n "$before" ]; then
		cp "$dir/empty-before.kmv" "$dir/vault.kmv"
		sync
		measure before "$before" --quiet import "$dir/alipay.csv"
	fi
	i=$((i + 1))
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
summary baseline
summary kmvault
[ -z "$before" ] || summary before
[ "$(sqlite3 "$dir/base.db" 'SELECT count(*) FROM records')" = "$rows" ] ||
	echo "warning: the baseline did not load $rows rows" >&2
