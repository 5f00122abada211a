#!/bin/sh
# Global options, --help on every command, --version, usage errors (exit 2).
set -eu
. "$KMV_TESTS/cli/lib.sh"
KMV_NO_VAULT=1 kmv_setup

expect_exit 0 kmv --version
expect_in "$T/out" "kmvault "
expect_exit 0 kmv --help
expect_in "$T/out" "usage: kmvault"
expect_exit 2 kmv
expect_exit 2 kmv frobnicate
expect_in "$T/err" "kmvault: unknown command 'frobnicate'"
expect_exit 2 kmv --bogus-flag check
expect_exit 2 kmv init --no-such-option

# Every command in the table answers --help without a vault or passphrase.
for c in $(kmv --help | sed -n 's/^  \([a-z]*\) .*/\1/p'); do
	expect_exit 0 env -u KMVAULT_PASSPHRASE_FILE "$KMVAULT_BIN" "$c" --help
	head -n 1 "$T/out" | grep -q "^usage: kmvault $c" ||
		fail "'$c --help' does not start with its synopsis"
done

# No vault yet: exit 7 naming the path.
expect_exit 7 kmv check
expect_in "$T/err" "no vault at '$KMVAULT_VAULT'"


# stdout is checked at exit: a full disk is a failure, not a silent success.
if [ -w /dev/full ]; then
	set +e
	"$KMVAULT_BIN" --help > /dev/full 2>"$T/err"
	rc=$?
	set -e
	[ $rc = 1 ] || fail "writing to /dev/full exited $rc, expected 1"
	expect_in "$T/err" "write error on standard output"
fi
echo "ok"
