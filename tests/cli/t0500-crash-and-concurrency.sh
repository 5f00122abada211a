#!/bin/sh
# Crash safety: writers killed with SIGKILL at random points leave a vault
# that opens and passes `check`.  Concurrency: a reader during writes sees
# the old or the new generation, never an error; two writers never lose an
# update.  KMV_LONG_TESTS=1 runs 100 kill trials instead of 6.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup

trials=6
[ "${KMV_LONG_TESTS:-0}" = 1 ] && trials=100

i=0
while [ $i -lt $trials ]; do
	# A random kill point between 0 and ~150 ms: across the KDF, the
	# save's write, fsync and renames.
	delay=$(python3 -c "import random; print(random.randint(0, 150) / 1000)")
	"$KMVAULT_BIN" passwd --new-passphrase-file "$T/pass" </dev/null >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	expect_exit 0 kmv check
	i=$((i + 1))
done
# Killed imports: afterwards the statement is either wholly present or
# wholly absent, never partly.
python3 "$KMV_SRC/bench/gen_alipay.py" 5000 "$T/big.csv" >/dev/null
i=0
while [ $i -lt $trials ]; do
	delay=$(python3 -c "import random; print(random.randint(0, 400) / 1000)")
	"$KMVAULT_BIN" import "$T/big.csv" </dev/null >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	expect_exit 0 kmv check
	expect_exit 0 kmv --json query --kind payment --limit 0
	n=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$T/out")
	[ "$n" = 0 ] || [ "$n" = 5000 ] || fail "killed import left $n of 5000 records"
	i=$((i + 1))
done

# The next writer cleans up any temporary file a killed save left.
expect_exit 0 kmv passwd --new-passphrase-file "$T/pass"
leftover=$(ls -A "$T" | grep -c '\.tmp-' || true)
[ "$leftover" = 0 ] || fail "temporary files left after a successful save"

# Readers during writes: always exit 0.
(
	n=0
	while [ $n -lt 8 ]; do
		"$KMVAULT_BIN" passwd --new-passphrase-file "$T/pass" --wait 30 \
			</dev/null >/dev/null 2>&1 || exit 1
		n=$((n + 1))
	done
) &
writer=$!
n=0
while [ $n -lt 15 ]; do
	expect_exit 0 kmv check
	n=$((n + 1))
done
wait $writer || fail "writer loop failed"

# Two writers at once: one waits for the other (no lost update); without
# --wait the loser exits 5.
"$KMVAULT_BIN" passwd --new-passphrase-file "$T/pass" --wait 30 </dev/null >/dev/null 2>&1 &
a=$!
"$KMVAULT_BIN" passwd --new-passphrase-file "$T/pass" --wait 30 </dev/null >/dev/null 2>&1 &
b=$!
wait $a || fail "first writer failed"
wait $b || fail "second writer failed"
expect_exit 0 kmv check
echo "ok"
