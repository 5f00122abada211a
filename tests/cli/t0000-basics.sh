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


# Listings of an empty vault (cmd/list.c): a note on stderr and nothing on
# stdout; under --json an empty array, no note.
kmv init --kdf interactive --recovery-key-out "$T/rk" >/dev/null 2>&1
for what in sources "member list"; do
	# shellcheck disable=SC2086
	expect_exit 0 kmv $what
	[ ! -s "$T/out" ] || fail "'$what' of an empty vault printed a table"
	expect_in "$T/err" "no "
	# shellcheck disable=SC2086
	expect_exit 0 kmv --json $what
	[ "$(cat "$T/out")" = "[]" ] || fail "'--json $what' of an empty vault: $(cat "$T/out")"
	[ ! -s "$T/err" ] || fail "'--json $what' wrote a note"
done
kmv_zh sources > /dev/null 2> "$T/zherr" || fail "sources in Chinese failed"
grep -q '尚未导入任何来源' "$T/zherr" || fail "the empty note is not translated"
expect_exit 0 kmv --json log
grep -q '"action":"init"' "$T/out" || fail "log --json lacks the init event"

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
