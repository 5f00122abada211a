#!/bin/sh
# Time `kmvault import` of an mbox of N messages (default 100000): copies of
# the bundled dujiaoka receipt, each with its own Message-ID and order
# number in the subject.  Issue 19.6: line numbers were counted from the
# file start per message (20k messages 104 s, 100k > 5 min); now linear,
# and each message is parsed, imported and dropped before the next.
# usage: bench/mbox.sh [MESSAGES] [BUILD_DIR]   (KMV_BENCH_RUNS=3 runs)
set -eu
n=${1:-100000}
runs=${KMV_BENCH_RUNS:-3}
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${2:-$top/build}/kmvault
dir=$(mktemp -d "${TMPDIR:-/tmp}/kmv-bench-XXXXXX")
trap 'rm -rf "$dir"' EXIT

python3 - "$top/samples/receipt_dujiaoka.eml" "$dir/big.mbox" "$n" <<'PY'
import sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
msg = open(src, 'rb').read().replace(b'\r\n', b'\n')
with open(dst, 'wb') as out:
    for i in range(n):
        m = msg.replace(b'Message-ID: <', b'Message-ID: <%d.' % i, 1)
        out.write(b'From shop@example.com Tue Mar 26 09:12:41 2024\n')
        out.write(m.replace(b'\nFrom ', b'\n>From '))
        if not m.endswith(b'\n'):
            out.write(b'\n')
        out.write(b'\n')
PY
printf 'correct horse battery staple bench\n' > "$dir/pass"
chmod 600 "$dir/pass"
export KMVAULT_PASSPHRASE_FILE="$dir/pass" KMVAULT_VAULT="$dir/v.kmv"
export XDG_STATE_HOME="$dir/state" XDG_CONFIG_HOME="$dir/config"
# The baseline of this run: one plain pass over the file (the machine is
# shared, so only figures measured side by side compare).
/usr/bin/time -f '%e %U %S' grep -c '^From ' "$dir/big.mbox" >/dev/null 2>"$dir/base"
i=0
while [ $i -lt "$runs" ]; do
	rm -rf "$dir/v.kmv" "$dir"/v.kmv.* "$dir/rk" "$dir/state"
	"$bin" init --kdf interactive --recovery-key-out "$dir/rk" >/dev/null \
		2>"$dir/init.err" || { cat "$dir/init.err" >&2; exit 1; }
	/usr/bin/time -f '%e %M %U %S' "$bin" --no-progress import "$dir/big.mbox" \
		>/dev/null 2>>"$dir/times" </dev/null
	i=$((i + 1))
done
# Wall time depends on the other jobs of a shared machine; CPU time
# (user + system) much less.
grep -E '^[0-9.]+ [0-9]+ [0-9.]+ [0-9.]+$' "$dir/times" | sort -n |
	awk -v n="$n" -v size="$(wc -c < "$dir/big.mbox")" '
	{ wall[NR] = $1; cpu[NR] = $3 + $4; if ($2 > rss) rss = $2 }
	END { printf "mbox %d messages (%d bytes)  best %.2f s  median %.2f s  CPU %.2f s  peak RSS %d KiB  (%d runs)\n",
		n, size, wall[1], wall[int((NR + 1) / 2)], cpu[1], rss, NR }'
tail -n 1 "$dir/base" | awk '{ printf "baseline: grep -c \"^From \" over the same file  %.2f s  CPU %.2f s\n", $1, $2 + $3 }'
