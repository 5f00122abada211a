#!/bin/sh
# Issue 17's peers row: import an N-row GBK Alipay statement and list every
# transaction as CSV, kmvault against hledger and beancount (and ledger
# when it is installed), each doing the same job from the same file in the
# same run, alternating, medians of KMV_BENCH_RUNS (default 5).
# - kmvault: a fresh (empty, INTERACTIVE KDF) vault, `import` then `query
#   --format csv`: two Argon2id derivations.  "kmvault unlocked": the same
#   after `kmvault unlock` (kernel keyring, timed apart), none.
# - hledger: iconv to UTF-8 (it reads no GBK), `print -O csv` with the
#   rules of bench/peers/alipay.rules.
# - beancount 2: iconv, `bean-extract` with bench/peers/alipay_importer.py,
#   `bean-query ... -f csv` of the Assets:Alipay postings (one per row).
# - ledger: iconv, a derived CSV (`ledger convert` takes English header
#   names and no time of day in the date), `convert`, then `csv` (written
#   from limits.md's notes; not run where ledger was missing).
# The converters' time is counted: kmvault reads the GBK file itself.
# Every tool must list N transactions, or the script fails.
# usage: bench/peers.sh [ROWS] [BUILD_DIR]   (default 20000 build-bench)
# Results: bench/out/peers.txt.
set -eu
rows=${1:-20000}
runs=${KMV_BENCH_RUNS:-5}
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${2:-$top/build-bench}/kmvault
out=${KMV_BENCH_OUT:-$top/bench/out}
dir=$(mktemp -d "${TMPDIR:-/tmp}/kmv-peers-XXXXXX")
trap '"$bin" lock > /dev/null 2>&1 || true; rm -rf "$dir"' EXIT
mkdir -p "$out"
for tool in hledger bean-extract bean-query iconv; do
	command -v "$tool" > /dev/null || {
		echo "peers.sh: $tool is missing (scripts/install-deps.sh installs it)" >&2
		exit 1
	}
done
tools="kmvault unlocked hledger beancount"
if command -v ledger > /dev/null; then
	tools="$tools ledger"
else
	echo "ledger: not installed, skipped (scripts/install-deps.sh does not install it)"
fi

python3 "$top/bench/gen_alipay.py" "$rows" "$dir/alipay.csv"
export KMVAULT_VAULT="$dir/vault.kmv" KMVAULT_PASSPHRASE=bench
KMVAULT_VAULT="$dir/empty.kmv" "$bin" init --kdf interactive --weak-passphrase > /dev/null 2>&1
# bean-query: no pickle cache of an earlier run's ledger
export BEANCOUNT_DISABLE_LOAD_CACHE=1

# One script per tool, each writing its listing to $dir/TOOL.out.
cat > "$dir/kmvault.sh" << EOS
set -e
"$bin" --quiet import "$dir/alipay.csv"
"$bin" query --format csv --limit 1000000 > "$dir/kmvault.out"
EOS
cat > "$dir/unlocked.sh" << EOS
set -e
"$bin" --quiet import "$dir/alipay.csv"
"$bin" query --format csv --limit 1000000 > "$dir/unlocked.out"
EOS
cat > "$dir/hledger.sh" << EOS
set -e
iconv -f GB18030 -t UTF-8 "$dir/alipay.csv" > "$dir/h.csv"
hledger -f "$dir/h.csv" --rules-file "$top/bench/peers/alipay.rules" print -O csv > "$dir/hledger.out"
EOS
cat > "$dir/beancount.sh" << EOS
set -e
iconv -f GB18030 -t UTF-8 "$dir/alipay.csv" > "$dir/b.csv"
bean-extract "$top/bench/peers/alipay_importer.py" "$dir/b.csv" > "$dir/b.beancount"
bean-query "$dir/b.beancount" "SELECT date, payee, narration, position WHERE account = 'Assets:Alipay'" \
	-f csv > "$dir/beancount.out"
EOS
# ledger: date,code,payee,note,amount; the time of day goes to the note.
cat > "$dir/ledger.sh" << EOS
set -e
iconv -f GB18030 -t UTF-8 "$dir/alipay.csv" | tail -n +26 | tr -d '\r\t' |
	awk -F' *,' 'BEGIN { print "date,code,payee,note,amount" }
		{ s = \$6 == "支出" ? "-" : ""; print substr(\$1, 1, 10) "," \$10 "," \$3 "," substr(\$1, 12) " " \$5 "," s \$7 }' \
	> "$dir/l.csv"
ledger convert "$dir/l.csv" --input-date-format %Y-%m-%d --account Assets:Alipay > "$dir/l.ledger"
ledger -f "$dir/l.ledger" csv Assets:Alipay > "$dir/ledger.out"
EOS

measure() { # tool: appends "wall cpu rss_kib" (CPU: user + sys, children included)
	/usr/bin/time -f '%e %U %S %M' -o "$dir/time" sh "$dir/$1.sh" > /dev/null 2> "$dir/err" || {
		echo "peers.sh: $1 failed:" >&2
		cat "$dir/err" >&2
		exit 1
	}
	awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$dir/time" >> "$dir/$1.raw"
}

listed() { # tool: the number of transactions in its listing
	case $1 in
	kmvault | unlocked | beancount) echo $(($(wc -l < "$dir/$1.out") - 1)) ;;
	hledger) grep -c '"assets:alipay"' "$dir/hledger.out" ;;
	ledger) wc -l < "$dir/ledger.out" ;;
	esac
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

{
	echo "# peers.sh $rows rows, $(wc -c < "$dir/alipay.csv") bytes GBK; medians of $runs alternating runs; $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "# machine: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores; load at the start $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "# $("$bin" --version); $(hledger --version | head -1); beancount $(/usr/bin/python3 -c 'import beancount; print(beancount.__version__)' 2> /dev/null || echo '?')"
} > "$dir/head"
i=0
while [ "$i" -lt "$runs" ]; do
	for tool in $tools; do
		cp "$dir/empty.kmv" "$dir/vault.kmv"
		sync # no tool inherits another's dirty-page writeback
		if [ "$tool" = unlocked ]; then
			/usr/bin/time -f '%e %U %S' -o "$dir/time" "$bin" unlock < /dev/null > /dev/null 2>&1
			awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$dir/time" >> "$dir/unlock.raw"
			(
				unset KMVAULT_PASSPHRASE
				measure unlocked
			)
			"$bin" lock > /dev/null 2>&1
		else
			measure "$tool"
		fi
		n=$(listed "$tool")
		[ "$n" = "$rows" ] || {
			echo "peers.sh: $tool listed $n transactions, not $rows" >&2
			exit 1
		}
	done
	i=$((i + 1))
done

kw=$(cut -d' ' -f1 "$dir/kmvault.raw" | median)
kc=$(cut -d' ' -f2 "$dir/kmvault.raw" | median)
{
	cat "$dir/head"
	echo "# load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
	printf '%-10s %10s %10s %10s %10s %12s\n' tool wall_s cpu_s wall_x cpu_x peak_rss_kib
	for tool in $tools; do
		w=$(cut -d' ' -f1 "$dir/$tool.raw" | median)
		c=$(cut -d' ' -f2 "$dir/$tool.raw" | median)
		r=$(cut -d' ' -f3 "$dir/$tool.raw" | sort -n | tail -1)
		printf '%-10s %10s %10s %10s %10s %12s\n' "$tool" "$w" "$c" \
			"$(echo "$w $kw" | awk '{ printf "%.2f", $1 / $2 }')" \
			"$(echo "$c $kc" | awk '{ printf "%.2f", $1 / $2 }')" "$r"
	done
	echo "# unlock (one Argon2id, apart from 'unlocked'): wall $(cut -d' ' -f1 "$dir/unlock.raw" | median) s, cpu $(cut -d' ' -f2 "$dir/unlock.raw" | median) s"
	echo "# _x: the tool's median over kmvault's (passphrase, two derivations); every tool listed $rows transactions"
} | tee "$out/peers.txt"
