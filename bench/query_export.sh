#!/bin/sh
# Query and export timings against plain SQLite answering the same question
# on the same database in the same run.  Uses the vaults made by
# bench/vault.sh (bench/out/data/vault-N.kmv + plain-N.db).
# Usage: bench/query_export.sh [N]   (default 100000)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-100000}
data="$top/bench/out/data"
bin="$top/build/kmvault"
[ -f "$data/vault-$n.kmv" ] || { echo "run bench/vault.sh $n first" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/kmv-bq-XXXXXX")
trap 'rm -rf "$work"' EXIT
printf 'bench passphrase\n' > "$work/pass"
export KMVAULT_PASSPHRASE_FILE="$work/pass"
cp "$data/vault-$n.kmv" "$work/v.kmv"
export KMVAULT_VAULT="$work/v.kmv"
plain="$data/plain-$n.db"

t() { # median wall seconds of 5 runs of a command
	for i in 1 2 3 4 5; do
		s=$(date +%s.%N); "$@" > /dev/null 2>&1; e=$(date +%s.%N)
		echo "$e - $s" | bc
	done | sort -n | sed -n 3p
}
month_lo=1709222400 month_hi=1711900800   # 2024-03 in +08:00

echo "# $n records; kmvault times include opening the vault (Argon2id interactive + decrypt)"
echo "open_only(kmvault sources) $(t "$bin" sources)"
echo "query_month kmvault $(t "$bin" query --from 2024-03-01 --to 2024-03-31 --limit 0 --format csv)"
echo "query_month sqlite3 $(t sqlite3 -csv "$plain" "SELECT * FROM records WHERE ts >= $month_lo AND ts < $month_hi ORDER BY ts DESC")"
echo "query_text kmvault $(t "$bin" query --text 游戏点 --limit 0 --format csv)"
echo "query_text sqlite3 $(t sqlite3 -csv "$plain" "SELECT r.* FROM records_fts f JOIN records r ON r.id = f.rowid WHERE records_fts MATCH '\"游戏点\"' ORDER BY r.ts DESC")"
echo "export_csv_month kmvault $(t "$bin" export --month 2024-03 --format csv -o "$work/r.csv")"
echo "export_csv_month sqlite3 $(t sqlite3 -csv -header "$plain" "SELECT * FROM records WHERE ts >= $month_lo AND ts < $month_hi ORDER BY ts")"
echo "export_xlsx_month kmvault $(t "$bin" export --month 2024-03 --format xlsx -o "$work/r.xlsx")"
echo "export_pdf_month kmvault $(t "$bin" export --month 2024-03 --format pdf -o "$work/r.pdf")"
# Evidence for one payment: kmvault collects the record and its links,
# writes a BagIt bundle (manifests, minisign signature) and verifies it;
# the baseline writes the row as CSV, zips it and hashes it by hand.
no=$(sqlite3 "$plain" "SELECT payment_no FROM records WHERE payment_no IS NOT NULL LIMIT 1")
echo "evidence_create kmvault $(t sh -c "rm -f '$work/b.zip'; '$bin' evidence create '$no' -o '$work/b.zip'")"
echo "evidence_verify kmvault $(t "$bin" evidence verify "$work/b.zip")"
echo "evidence_by_hand sqlite3+zip+sha256sum $(t sh -c "rm -f '$work/h.zip'; sqlite3 -csv -header '$plain' \"SELECT * FROM records WHERE payment_no = '$no'\" > '$work/h.csv' && zip -qj '$work/h.zip' '$work/h.csv' && sha256sum '$work/h.zip'")"
