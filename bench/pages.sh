#!/bin/sh
# Page sources (issue 13 point 4): HTML and PDF text (goal <= 50 ms a
# page), one screenshot's OCR (goal <= 3 s) and a folder of screenshots on
# every core, measured in one run next to the command-line tools on the
# same files: `pdftotext FILE -` (poppler-utils) and `tesseract FILE -
# -l chi_sim+eng` (tesseract-ocr).  Files: tests/gen_page_fixtures.py (the
# order page and the PDF receipt of t3102), the receipt rendered to PNG
# by pdftoppm at 150 dpi, and N such pictures at other resolutions.
# usage: bench/pages.sh [PICTURES] [BUILD_DIR]   (KMV_BENCH_RUNS=5 runs)
set -eu
pics=${1:-20}
runs=${KMV_BENCH_RUNS:-5}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-$top/build-bench}
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKMV_BENCH=ON >/dev/null
cmake --build "$build" -j "$(nproc)" --target bench_pages >/dev/null
dir=$(mktemp -d "${TMPDIR:-/tmp}/kmv-bench-XXXXXX")
trap 'rm -rf "$dir"' EXIT

python3 "$top/tests/gen_page_fixtures.py" "$dir/fx" >/dev/null
pdftoppm -png -r 150 -singlefile "$dir/fx/receipt.pdf" "$dir/shot"
mkdir "$dir/shots"
i=0
while [ $i -lt "$pics" ]; do
	pdftoppm -png -r $((120 + i * 3)) -singlefile "$dir/fx/receipt.pdf" \
		"$dir/shots/shot-$(printf %03d $i)"
	i=$((i + 1))
done
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# median_ms CMD...: the median wall time of $runs runs of a command
median_ms() {
	python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
t = []
for _ in range(runs):
    t0 = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    t.append((time.monotonic() - t0) * 1000)
t.sort()
print("%.2f %.2f %.2f %d" % (t[len(t) // 2], t[0], t[-1], runs))
PY
}

b="$build/bench_pages"
echo "name median_ms min_ms max_ms runs"
"$b" html "$dir/fx/order-page.html" $((runs * 4))
"$b" pdf "$dir/fx/receipt.pdf" $((runs * 4))
echo "pdftotext_cli $(median_ms pdftotext "$dir/fx/receipt.pdf" -)"
"$b" ocr "$dir/shot.png" "$runs"
echo "tesseract_cli $(median_ms tesseract "$dir/shot.png" - -l chi_sim+eng)"
"$b" folder "$dir"/shots/*.png
