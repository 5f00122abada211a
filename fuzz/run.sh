#!/bin/sh
# Build the libFuzzer targets with clang (ASan + UBSan) and run each for
# SECONDS (default 60; the suite's short run uses 10, docs/fuzzing.md
# records the long runs).  Seeds come from fuzz/corpus/<target>/ plus files
# generated here from the test fixtures and samples.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
[ $# -gt 0 ] && shift
out="$top/build-fuzz"
CC=clang cmake -S "$top" -B "$out" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKMV_FUZZ=ON >/dev/null
cmake --build "$out" -j 2 >/dev/null
targets=${*:-$(cd "$out/fuzz" && ls fuzz_* 2>/dev/null)}
for t in $targets; do
	corpus="$out/corpus/$t"
	mkdir -p "$corpus"
	[ -d "$top/fuzz/corpus/$t" ] && cp -n "$top/fuzz/corpus/$t"/* "$corpus"/ 2>/dev/null || true
	case "$t" in
	fuzz_vault_open)
		"$out/fuzz/seed_vault" "$corpus/seed.kmv"
		# Cuts at N whole 4 KiB chunks plus 1..17 bytes (issue 19.1): a
		# 200-byte header, the 24-byte stream header, 4096+17 per chunk.
		for n in 1 2 3; do
			for k in 1 2 8 15 16 17; do
				head -c $((200 + 24 + n * 4113 + k)) "$corpus/seed.kmv" \
					> "$corpus/seed-cut-$n-$k.kmv"
			done
		done ;;
	esac
	sh "$top/fuzz/seeds.sh" "$t" "$corpus" "$top/build" || true
	echo "== $t for ${secs}s"
	set +e
	(cd "$out" && ASAN_OPTIONS=detect_leaks=1 "$out/fuzz/$t" \
		-max_total_time="$secs" -max_len=1048576 -print_final_stats=1 \
		"$corpus" > "$out/$t.log" 2>&1)
	rc=$?
	set -e
	grep -E '^(stat::number_of_executed|stat::average_exec|#[0-9]+.*DONE|==[0-9]+==ERROR|SUMMARY)' "$out/$t.log" || true
	if [ $rc != 0 ]; then
		echo "fuzz: $t found a problem (exit $rc); see $out/$t.log and the crash-* file in $out" >&2
		status=1
	fi
done
exit ${status:-0}
