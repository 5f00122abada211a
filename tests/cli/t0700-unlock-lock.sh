#!/bin/sh
# unlock / lock: the data key kept in the kernel keyring (kmv/agent.h).
# Commands then need no passphrase; lock, passwd and backup restore forget
# it; an expired, foreign or unreachable key falls back to the passphrase.
# Runs in its own anonymous session keyring; skips where none is usable.
set -eu
if [ -z "${KMV_T0700_SESSION:-}" ]; then
	if ! command -v keyctl >/dev/null 2>&1 || ! keyctl show @s >/dev/null 2>&1; then
		echo "SKIP: no usable kernel keyring (keyctl show @s failed)"
		exit 0
	fi
	KMV_T0700_SESSION=1 exec keyctl session - sh "$0" "$@"
fi
. "$KMV_TESTS/cli/lib.sh"
kmv_setup

# No passphrase source at all: only the kept key can open the vault.
nopass() { env -u KMVAULT_PASSPHRASE_FILE "$KMVAULT_BIN" "$@"; }

# Off by default: nothing is kept, the passphrase is needed.
expect_exit 2 nopass sources
expect_in "$T/err" "no passphrase source"

# Bad durations are usage errors and keep nothing.
expect_exit 2 kmv unlock --timeout 0
expect_exit 2 kmv unlock --timeout 25h
expect_in "$T/err" "between 1s and 24h"
expect_exit 2 kmv unlock --timeout 5x
expect_exit 2 nopass sources

# A wrong passphrase unlocks nothing.
printf 'wrong\n' > "$T/wrong"
expect_exit 3 kmv --passphrase-file "$T/wrong" unlock
expect_exit 2 nopass sources

# unlock: then commands run without the passphrase, readers and writers.
expect_exit 0 kmv --json unlock --timeout 10m
expect_in "$T/out" '"keyring":"session"'
expect_in "$T/out" '"timeout_seconds":600'
id=$(sed 's/.*"key_id":\([0-9]*\).*/\1/' "$T/out")
# Possessor-only permissions (keyctl describe: the perm field).
perm=$(keyctl rdescribe "$id" | cut -d';' -f4)
case $perm in ??000000) ;; *) fail "key permissions $perm are not possessor-only" ;; esac
expect_exit 0 nopass sources
expect_exit 0 nopass import "$SAMPLES/alipay_2024-03.csv"
expect_exit 0 nopass query --json
expect_in "$T/out" '"amount"'
# Nothing of the key on disk: only the vault and its companions changed.
ls -a "$T" > "$T/files"
expect_not_in "$T/files" "agent"
expect_exit 0 kmv lock
expect_in "$T/err" "locked"
expect_exit 2 nopass sources
expect_exit 0 kmv lock
expect_in "$T/err" "nothing to lock"

# The config file's unlock.timeout is the default; --timeout wins over it;
# a bad value is refused by config set and when the file is read.
expect_exit 0 kmv config set unlock.timeout 2h
expect_exit 0 kmv --json unlock
expect_in "$T/out" '"timeout_seconds":7200'
expect_exit 0 kmv --json unlock --timeout 5m
expect_in "$T/out" '"timeout_seconds":300'
expect_exit 2 kmv config set unlock.timeout 25h
expect_in "$T/err" "unlock.timeout"
printf '[unlock]\ntimeout = soon\n' > "$XDG_CONFIG_HOME/kmvault/config"
expect_exit 2 kmv unlock
expect_in "$T/err" "unlock.timeout"
rm "$XDG_CONFIG_HOME/kmvault/config"
expect_exit 0 kmv --json unlock
expect_in "$T/out" '"timeout_seconds":900'
expect_exit 0 kmv lock

# Expiry: after the timeout the passphrase is asked again, with a note.
expect_exit 0 kmv unlock --timeout 1s
sleep 2
expect_exit 0 kmv sources
expect_in "$T/err" "has expired; using the passphrase"
expect_exit 2 nopass sources

# A key of another vault under this vault's name is refused and dropped.
export KMVAULT_VAULT="$T/other.kmv"
kmv init --kdf interactive --recovery-key-out "$T/rk2" >/dev/null 2>&1
expect_exit 0 kmv --json unlock
other=$(sed 's/.*"key_id":\([0-9]*\).*/\1/' "$T/out")
export KMVAULT_VAULT="$T/vault.kmv"
expect_exit 0 kmv --json unlock
mine=$(sed 's/.*"key_id":\([0-9]*\).*/\1/' "$T/out")
keyctl pipe "$other" | keyctl pupdate "$mine"
expect_exit 0 kmv sources
expect_in "$T/err" "does not belong to this vault"
expect_exit 2 nopass sources
# The other vault's own key is untouched.
expect_exit 0 nopass --vault "$T/other.kmv" sources

# passwd asks for the current passphrase even when unlocked, and forgets.
expect_exit 0 kmv unlock
printf 'a new passphrase\n' > "$T/new"
expect_exit 2 nopass passwd --new-passphrase-file "$T/new"
expect_exit 0 kmv passwd --new-passphrase-file "$T/new"
expect_in "$T/err" "unlocked key is forgotten"
expect_exit 2 nopass sources
cp "$T/new" "$T/pass"

# backup restore forgets the key of the vault it replaces.
mkdir "$T/b"
expect_exit 0 kmv backup create --to "$T/b"
bk=$(ls "$T/b"/*.kmv | head -n 1)
expect_exit 0 kmv unlock
expect_exit 0 nopass sources
expect_exit 0 kmv backup restore --force "$bk"
expect_exit 2 nopass sources

# lock --all forgets every vault's key.
expect_exit 0 kmv unlock
expect_exit 0 kmv lock --all
expect_exit 2 nopass sources
expect_exit 2 nopass --vault "$T/other.kmv" sources

# Keyring unavailable (seccomp makes keyctl fail as on a kernel without
# keyrings): commands note it and use the passphrase; unlock fails cleanly.
noring="${KMV_BUILD:-}/tests/kmv_no_keyring"
if [ -x "$noring" ]; then
	expect_exit 0 kmv unlock
	expect_exit 0 "$noring" "$KMVAULT_BIN" sources
	expect_in "$T/err" "keyring is unavailable"
	expect_in "$T/err" "using the passphrase"
	expect_exit 2 "$noring" env -u KMVAULT_PASSPHRASE_FILE "$KMVAULT_BIN" sources
	expect_exit 1 "$noring" "$KMVAULT_BIN" unlock
	expect_in "$T/err" "nothing was unlocked"
	expect_exit 0 "$noring" "$KMVAULT_BIN" lock
	# --quiet silences the note.
	expect_exit 0 "$noring" "$KMVAULT_BIN" --quiet sources
	[ ! -s "$T/err" ] || fail "note printed despite --quiet"
	expect_exit 0 kmv lock
else
	echo "SKIP part: kmv_no_keyring not built (libseccomp missing)"
fi
echo ok
