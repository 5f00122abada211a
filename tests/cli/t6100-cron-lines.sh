#!/bin/sh
# cron prints crontab lines: every non-comment line has 5 time fields and
# a command with the absolute binary path; remind gets the passphrase
# file variable; the backup line really runs under sh.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup

check_crontab() {
	grep -q '^#' "$1" || fail "no explanation comment"
	n=0
	while IFS= read -r line; do
		case "$line" in ''|'#'*) continue ;; esac
		n=$((n + 1))
		set -f
		# shellcheck disable=SC2086
		set -- $line
		set +f
		[ $# -ge 6 ] || fail "not 5 fields + command: $line"
		for field in "$1" "$2" "$3" "$4" "$5"; do
			echo "$field" | grep -Eq '^([0-9*/,-]+)$' ||
				fail "bad time field '$field' in: $line"
		done
	done < "$1"
	[ "$n" = 2 ] || fail "expected 2 cron lines, got $n"
}

expect_exit 0 env -u KMVAULT_PASSPHRASE_FILE "$KMVAULT_BIN" cron --to "$T/bk dir"
check_crontab "$T/out"
bin=$(readlink -f "$KMVAULT_BIN")
expect_in "$T/out" "'$bin' --vault '$KMVAULT_VAULT' --quiet backup create --to '$T/bk dir' --keep-daily 7"
expect_in "$T/out" "KMVAULT_PASSPHRASE_FILE='$HOME/.config/kmvault/passphrase' '$bin'"
expect_in "$T/out" "remind"
expect_in "$T/err" "create the passphrase file"
# The backup line needs no passphrase variable.
grep 'backup create' "$T/out" | grep -q PASSPHRASE && fail "backup line asks for a passphrase"

# --passphrase-file and $KMVAULT_PASSPHRASE_FILE are used when given.
expect_exit 0 kmv cron
expect_in "$T/out" "KMVAULT_PASSPHRASE_FILE='$T/pass'"
expect_in "$T/out" "--to '$T/backups'"
expect_exit 0 kmv --passphrase-file /etc/kmv-pass cron
expect_in "$T/out" "KMVAULT_PASSPHRASE_FILE='/etc/kmv-pass'"
# '%' is special to cron: escaped.
expect_exit 0 kmv cron --to "$T/a%b"
expect_in "$T/out" "'$T/a'\\%'b'"
check_crontab "$T/out"

# Run the command part of each line as cron would (sh -c, '\%' -> '%').
expect_exit 0 kmv cron --to "$T/cron-bk"
grep -v '^#' "$T/out" > "$T/lines"
while IFS= read -r line; do
	cmd=$(printf '%s\n' "$line" | cut -d' ' -f6- | sed 's/\\%/%/g')
	env -u KMVAULT_PASSPHRASE_FILE sh -c "$cmd" </dev/null > "$T/cron.out" 2>&1 ||
		fail "cron command failed: $cmd ($(cat "$T/cron.out"))"
done < "$T/lines"
ls "$T/cron-bk"/kmvault-*-g1.kmv >/dev/null || fail "the cron backup line made no backup"
expect_exit 2 kmv cron extra
echo ok
