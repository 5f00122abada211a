#!/bin/sh
# Quick start, second command: install dependencies, then build and run the
# whole test suite twice: a normal -Werror build, and an AddressSanitizer +
# UndefinedBehaviorSanitizer build (LeakSanitizer on); then the tests of the
# threaded paths under ThreadSanitizer and a short fuzz run.  .ci/run calls
# this.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh"
jobs=$(nproc)

echo "== formatting (.clang-format)"
sh "$top/scripts/check-format.sh"

echo "== normal build (-Wall -Wextra -Werror)"
"$top/scripts/build.sh" normal
(cd "$top/build" && ctest --output-on-failure -j "$jobs")

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build"
"$top/scripts/build.sh" asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	sh -c "cd '$top/build-asan' && ctest --output-on-failure -j $jobs"
echo "== ThreadSanitizer build: the tests that run a second thread"
"$top/scripts/build.sh" tsan
TSAN_OPTIONS="halt_on_error=1 suppressions=$top/tests/tsan.supp" \
	sh -c "cd '$top/build-tsan' && ctest --output-on-failure -j $jobs \
		-R 'test_core|test_vault|test_statement|t2002-import-zip|t0400|t3104|test_ocr_pool'"
echo "== short fuzzing run of every target (clang, libFuzzer, ASan + UBSan)"
sh "$top/fuzz/run.sh" "${KMV_FUZZ_SECONDS:-10}"
echo "== all tests passed in both builds and under TSan; fuzz targets ran clean"
