#!/bin/sh
# import: a progress bar on a terminal for files over a few thousand rows
# (base name cut by display width, never inside a character), none with
# --no-progress, --quiet or without a terminal; an error met half-way
# starts on its own line.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup

command -v script >/dev/null || fail "script(1) (util-linux) is needed"
big="$T/支付宝交易明细查询_2024年全年账单.csv"
python3 "$KMV_SRC/bench/gen_alipay.py" 6000 "$big" >/dev/null

# on_tty ARGS...: run kmvault with stdout and stderr on a pseudo-terminal;
# what the terminal showed goes to $T/tty.
on_tty() {
	cmd="'$KMVAULT_BIN'"
	for a in "$@"; do cmd="$cmd '$a'"; done
	set +e
	script -qec "$cmd" /dev/null </dev/null >"$T/tty" 2>&1
	got=$?
	set -e
}

vault_snapshot
on_tty import --no-progress "$big"
[ "$got" = 0 ] || { cat "$T/tty" >&2; fail "import --no-progress exited $got"; }
expect_not_in "$T/tty" '] 4096/'
expect_in "$T/tty" '6000'

# A bad time near the end: the error is not glued to the bar.
python3 - "$big" "$T/bad.csv" <<'EOF'
import sys
data = open(sys.argv[1], 'rb').read().split(b'\r\n')
i = next(n for n, l in enumerate(data) if l.startswith(b'2')) + 5900
data[i] = b'yesterday' + data[i][19:]
open(sys.argv[2], 'wb').write(b'\r\n'.join(data))
EOF
cp "$T/snapshot.kmv" "$KMVAULT_VAULT"
vault_snapshot
on_tty import "$T/bad.csv"
[ "$got" = 6 ] || { cat "$T/tty" >&2; fail "import of bad.csv exited $got, expected 6"; }
expect_in "$T/tty" '] 4096/'
python3 - "$T/tty" <<'EOF' || fail "the error shares a line with the bar"
import sys
lines = open(sys.argv[1], 'rb').read().replace(b'\r\n', b'\n').split(b'\n')
err = [l for l in lines if b'bad.csv:' in l and b'bad time' in l]
assert err and all(l.startswith(b'kmvault: ') for l in err), lines
EOF
vault_unchanged

on_tty import "$big"
[ "$got" = 0 ] || { cat "$T/tty" >&2; fail "import exited $got"; }
expect_in "$T/tty" '] 4096/6000'   # out of the declared 共6000笔记录
expect_in "$T/tty" '] 6000/6000'
python3 - "$T/tty" <<'EOF' || fail "progress label is not valid UTF-8 or not cut to 24 columns"
import sys, unicodedata
text = open(sys.argv[1], 'rb').read().decode('utf-8')   # raises on a split character
bar = [seg for seg in text.replace('\r\n', '\n').replace('\r', '\n').split('\n') if '] 4096/' in seg]
label = bar[0].split(' [')[0]
cols = sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in label)
assert label.startswith('支付宝交易明细查询_2024') and cols == 24, (label, cols)
EOF

# --quiet and a non-terminal show no bar.
expect_exit 0 kmv import "$big"
expect_not_in "$T/err" '4096/'
on_tty --quiet import "$big"
expect_not_in "$T/tty" '4096/'
