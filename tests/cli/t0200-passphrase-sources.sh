#!/bin/sh
# Passphrase sources in cli.md order; no source and no terminal -> exit 2.
set -eu
. "$KMV_TESTS/cli/lib.sh"
kmv_setup
P='correct horse battery staple'

unset KMVAULT_PASSPHRASE_FILE
# No source at all, no terminal (setsid detaches the controlling tty).
expect_exit 2 setsid -w "$KMVAULT_BIN" check
expect_in "$T/err" "no passphrase source"
expect_in "$T/err" "KMVAULT_PASSPHRASE_FILE"

expect_exit 0 "$KMVAULT_BIN" --passphrase-file "$T/pass" check
expect_exit 0 "$KMVAULT_BIN" check --passphrase-file "$T/pass"
expect_exit 0 env KMVAULT_PASSPHRASE_FILE="$T/pass" "$KMVAULT_BIN" check
expect_exit 0 env KMVAULT_PASSPHRASE_COMMAND="cat '$T/pass'" "$KMVAULT_BIN" check
expect_exit 0 env KMVAULT_PASSPHRASE="$P" "$KMVAULT_BIN" check
# A failing command is an error, not an empty passphrase.
expect_exit 1 env KMVAULT_PASSPHRASE_COMMAND="exit 3" "$KMVAULT_BIN" check
# Precedence: the file wins over the command and the variable.
expect_exit 0 env KMVAULT_PASSPHRASE_FILE="$T/pass" KMVAULT_PASSPHRASE=wrong "$KMVAULT_BIN" check
expect_exit 3 env KMVAULT_PASSPHRASE_COMMAND="echo nope" KMVAULT_PASSPHRASE="$P" "$KMVAULT_BIN" check
# A CRLF passphrase file works like LF.
printf '%s\r\n' "$P" > "$T/crlf"
expect_exit 0 "$KMVAULT_BIN" --passphrase-file "$T/crlf" check
expect_exit 1 "$KMVAULT_BIN" --passphrase-file "$T/missing" check
# Wrong passphrase: 3, and the vault is not modified.
vault_snapshot
printf 'wrong\n' > "$T/wrong"
expect_exit 3 "$KMVAULT_BIN" --passphrase-file "$T/wrong" check
vault_unchanged
echo "ok"
