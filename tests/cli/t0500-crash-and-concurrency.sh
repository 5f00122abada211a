#!/bin/sh
# Crash safety: writers killed with SIGKILL at random points leave a vault
# that opens and passes `check`.  Concurrency: a reader during writes sees
# the old or the new generation, never an error; two writers never lose an
# update.  Killed evidence create, export and backup restore leave either
# nothing or a file the saved vault records; a killed merge leaves the old
# vault or the merged one.  KMV_LONG_TESTS=1 runs 100 kill trials instead of 6.
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

# Killed evidence create and export: a bundle or report exists under its
# name only once the vault holding its audit event (and the signing key)
# was saved, so any bundle found verifies with the vault's key and its
# SHA-256 is in the vault's last event.
# (A vault of its own: the fixture's fixed record ids would collide with
# the killed imports' records.)
. "$KMV_TESTS/cli/fixture.sh"
main_vault=$KMVAULT_VAULT
export KMVAULT_VAULT="$T/ev.kmv"
expect_exit 0 kmv init --kdf interactive --recovery-key-out "$T/ev.recovery"
kmv_fixture
mkdir "$T/ev"
killed_output() { # FILE: the last audit event must name it if it exists
	[ -e "$1" ] || return 0
	sha=$(sha256sum "$1" | cut -d' ' -f1)
	expect_exit 0 kmv log --json --limit 1
	expect_in "$T/out" "$sha"
}
i=0
while [ $i -lt $trials ]; do
	rm -f "$T/ev/b.zip" "$T/ev/b.zip.tsq" "$T/ev/r.pdf"
	delay=$(python3 -c "import random; print(random.randint(0, 200) / 1000)")
	"$KMVAULT_BIN" evidence create "$FIX_ORDER" -o "$T/ev/b.zip" </dev/null >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	expect_exit 0 kmv check
	killed_output "$T/ev/b.zip"
	if [ -e "$T/ev/b.zip" ]; then
		expect_exit 0 kmv evidence pubkey
		cp "$T/out" "$T/key.pub"
		expect_exit 0 kmv evidence verify "$T/ev/b.zip" --pubkey "$T/key.pub"
	fi
	delay=$(python3 -c "import random; print(random.randint(0, 250) / 1000)")
	"$KMVAULT_BIN" export --month 2024-03 --format pdf -o "$T/ev/r.pdf" </dev/null >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	expect_exit 0 kmv check
	killed_output "$T/ev/r.pdf"
	i=$((i + 1))
done
# The next create and export remove what killed ones left.
rm -f "$T/ev/b.zip" "$T/ev/b.zip.tsq"
expect_exit 0 kmv evidence create "$FIX_ORDER" -o "$T/ev/b.zip"
expect_exit 0 kmv export --month 2024-03 --format pdf -o "$T/ev/r.pdf"
leftover=$(ls -A "$T/ev" | grep -c '\.tmp-' || true)
[ "$leftover" = 0 ] || fail "killed evidence create or export left temporary files"
# Killed restores: the vault is the old one, or the backup's with its
# "restore" event last (never the backup's without it).
expect_exit 0 kmv backup create --to "$T/bk"
bk=$(ls "$T/bk"/*.kmv | head -n 1)
i=0
while [ $i -lt $trials ]; do
	kmv member add --platform "AFTER-$i" --expiry 2026-12-31 >/dev/null 2>&1
	delay=$(python3 -c "import random; print(random.randint(0, 250) / 1000)")
	"$KMVAULT_BIN" backup restore --force "$bk" </dev/null >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	expect_exit 0 kmv check
	expect_exit 0 kmv --json member list
	if ! grep -q "AFTER-$i" "$T/out"; then
		expect_exit 0 kmv log --json --limit 1
		expect_in "$T/out" '"action":"restore"'
	fi
	i=$((i + 1))
done
expect_exit 0 kmv member add --platform LAST --expiry 2026-12-31
leftover=$(ls -A "$T" | grep -cE '\.ev\.kmv\.(tmp|restore)-' || true)
[ "$leftover" = 0 ] || fail "killed restores left temporary files"
rm -f "$T"/ev.kmv.before-restore-*
export KMVAULT_VAULT="$main_vault"

# Killed merges (issue 18.2): the vault is the one before or the wholly
# merged one, never a part: its record count is one or the other.
cp "$KMVAULT_VAULT" "$T/mg-base.kmv"
cp "$KMVAULT_VAULT" "$T/mg-copy.kmv"
expect_exit 0 kmv --vault "$T/mg-copy.kmv" import --platform 示例卡盟 \
	"$KMV_SRC/samples/orders_example-shop.csv"
expect_exit 0 kmv --vault "$T/mg-base.kmv" --json query --limit 0
before=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$T/out")
i=0
while [ $i -lt $trials ]; do
	cp "$T/mg-base.kmv" "$T/mg.kmv"
	forget_rollback
	delay=$(python3 -c "import random; print(random.randint(0, 300) / 1000)")
	"$KMVAULT_BIN" --vault "$T/mg.kmv" merge "$T/mg-copy.kmv" </dev/null >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	expect_exit 0 kmv --vault "$T/mg.kmv" check
	expect_exit 0 kmv --vault "$T/mg.kmv" --json query --limit 0
	n=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$T/out")
	[ "$n" = "$before" ] || [ "$n" = $((before + 3)) ] ||
		fail "killed merge left $n records ($before before, $((before + 3)) merged)"
	i=$((i + 1))
done
# The next merge completes (and, as a writer, removes a killed save's temp).
expect_exit 0 kmv --vault "$T/mg.kmv" merge "$T/mg-copy.kmv"
expect_exit 0 kmv --vault "$T/mg.kmv" check

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
