#!/bin/sh
# Regenerate the man page (docs/kmvault.1) and the bash and zsh completion
# (scripts/kmvault.bash-completion, scripts/_kmvault) from the option
# tables in cmd/usage.c, through the binary's hidden `__docs` command, so
# they say exactly what the commands parse.  tests/cli/t0010-docs.sh fails
# while they are stale.
# Usage: scripts/gen-docs.sh [path/to/kmvault]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$top/build/kmvault}
# The page's date is the last commit's, so regenerating is reproducible.
date=$(git -C "$top" log -1 --format=%cs 2>/dev/null || date -u +%Y-%m-%d)
"$bin" __docs man "$date" > "$top/docs/kmvault.1"
"$bin" __docs bash > "$top/scripts/kmvault.bash-completion"
"$bin" __docs zsh > "$top/scripts/_kmvault"
echo "wrote docs/kmvault.1, scripts/kmvault.bash-completion and scripts/_kmvault"
