#!/bin/sh
# Quick start, first command: install dependencies, build, run the demo.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/install-deps.sh"
"$top/scripts/build.sh" normal
exec "$top/build/kmvault" demo "$@"
