#!/bin/sh
# Issue 19.12: what a Release build leaves out and what every build does.
# - A Release configuration turns KMV_FAULT_INJECTION off, so the
#   KMVAULT_FAULT test hook is not compiled in (unit/fault_hook_release
#   shows io.c compiled that way ignores the variable).
# - kmvault makes itself non-dumpable (PR_SET_DUMPABLE 0): the kernel then
#   gives /proc/PID/environ, mem and maps to root, not to the process's
#   user, so another process of that user cannot read its memory.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup

# Configure only (no build): the option's value in a Release cache.
if command -v cmake >/dev/null 2>&1; then
	cmake -S "$KMV_SRC" -B "$T/release" -DCMAKE_BUILD_TYPE=Release \
		>"$T/cmake.out" 2>&1 || { cat "$T/cmake.out" >&2; fail "cmake failed"; }
	expect_in "$T/release/CMakeCache.txt" "KMV_FAULT_INJECTION:BOOL=OFF"
	rm -rf "$T/release"
fi

# A kmvault that waits (its passphrase command sleeps) as an unprivileged
# user, so /proc ownership tells dumpable (that user) from not (root).
me=$(id -u)
run_as=""
if [ "$me" = 0 ]; then
	command -v setpriv >/dev/null 2>&1 || { echo "skip: no setpriv"; exit 0; }
	run_as="setpriv --reuid=65534 --regid=65534 --clear-groups"
	want_not=65534
else
	want_not=$me
fi
pub=$(mktemp -d "${TMPDIR:-/tmp}/kmv-dump-XXXXXX")
trap 'rm -rf "$T" "$pub"' EXIT
chmod 755 "$pub"
cp "$KMVAULT_VAULT" "$pub/vault.kmv"
chmod 644 "$pub/vault.kmv"
env -u KMVAULT_PASSPHRASE_FILE HOME="$pub" XDG_STATE_HOME="$pub/state" \
	XDG_CONFIG_HOME="$pub/config" KMVAULT_VAULT="$pub/vault.kmv" \
	KMVAULT_PASSPHRASE_COMMAND="exec sleep 30" \
	$run_as "$KMVAULT_BIN" query </dev/null >/dev/null 2>&1 &
pid=$!
# Wait until the process is kmvault itself (setpriv has exec'ed it) and
# its passphrase command (sh exec'ing sleep) runs.
n=0
child=""
while [ -z "$child" ]; do
	child=$(pgrep -P "$pid" 2>/dev/null | head -n 1 || true)
	n=$((n + 1))
	[ $n -lt 400 ] || { kill "$pid" 2>/dev/null; fail "kmvault never asked for the passphrase"; }
	sleep 0.05
done
owner=$(stat -c %u "/proc/$pid/environ")
comm=$(cat "/proc/$pid/comm")
kill "$pid" "$child" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
[ "$comm" = kmvault ] || fail "pid $pid is $comm, not kmvault"
[ "$owner" != "$want_not" ] || fail "kmvault is dumpable (/proc/PID/environ owned by $owner)"
[ "$owner" = 0 ] || fail "/proc/PID/environ owned by $owner, expected root"
