#!/bin/sh
# Configure and build kmvault.  Usage: scripts/build.sh [normal|asan|tsan] [BUILD_DIR]
# normal: RelWithDebInfo with -Werror; asan: AddressSanitizer + UBSan, -Werror;
# tsan: ThreadSanitizer, -Werror.
set -eu
variant=${1:-normal}
top=$(cd "$(dirname "$0")/.." && pwd)
case "$variant" in
normal) dir=${2:-$top/build}; flags="-DCMAKE_BUILD_TYPE=RelWithDebInfo" ;;
asan)   dir=${2:-$top/build-asan}; flags="-DCMAKE_BUILD_TYPE=Debug -DKMV_SANITIZE=ON" ;;
tsan)   dir=${2:-$top/build-tsan}; flags="-DCMAKE_BUILD_TYPE=Debug -DKMV_TSAN=ON" ;;
*) echo "usage: $0 [normal|asan|tsan] [BUILD_DIR]" >&2; exit 2 ;;
esac
# shellcheck disable=SC2086
cmake -S "$top" -B "$dir" -DKMV_WERROR=ON $flags >/dev/null
cmake --build "$dir" -j "$(nproc)"
