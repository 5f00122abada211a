#!/bin/sh
# One rule for every command: results on stdout; confirmations ("created
# ...", "opened case 1 ...") on stderr as "kmvault: ..."; --quiet silences
# every success message (import's per-file report and match's counts
# too), never errors or results such as a recovery key or a bundle path.
set -eu
. "$KMV_TESTS/cli/lib.sh"
KMV_NO_VAULT=1 kmv_setup

# confirm ARGS...: the command prints its confirmation on stderr only,
# and nothing at all with --quiet (run twice: once on a copy).
confirm() {
	cp "$KMVAULT_VAULT" "$T/before.kmv"
	expect_exit 0 kmv --quiet "$@"
	[ ! -s "$T/out" ] || { cat "$T/out" >&2; fail "--quiet $*: stdout not empty"; }
	[ ! -s "$T/err" ] || { cat "$T/err" >&2; fail "--quiet $*: stderr not empty"; }
	cp "$T/before.kmv" "$KMVAULT_VAULT"
	rm -f "$KMVAULT_VAULT.prev"
	forget_rollback
	expect_exit 0 kmv "$@"
	[ ! -s "$T/out" ] || { cat "$T/out" >&2; fail "$*: a confirmation on stdout"; }
	grep -q '^kmvault: ' "$T/err" || { cat "$T/err" >&2; fail "$*: no confirmation on stderr"; }
}

# init with the key in a file: only a confirmation
expect_exit 0 kmv --quiet init --kdf interactive --recovery-key-out "$T/rk"
[ ! -s "$T/out" ] && [ ! -s "$T/err" ] || fail "--quiet init printed something"
rm -f "$KMVAULT_VAULT"*
expect_exit 0 kmv init --kdf interactive --recovery-key-out "$T/rk2"
[ ! -s "$T/out" ] || fail "init: a confirmation on stdout"
expect_in "$T/err" "kmvault: created vault"
# without a key file the key is the result: on stdout even with --quiet
rm -f "$KMVAULT_VAULT"*
expect_exit 0 kmv --quiet init --kdf interactive
expect_in "$T/out" "Recovery key"
[ ! -s "$T/err" ] || fail "--quiet init: stderr not empty"

# import and match: reports on stdout, none with --quiet
expect_exit 0 kmv --quiet import "$SAMPLES/orders_example-shop.csv" --platform 示例卡盟
[ ! -s "$T/out" ] && [ ! -s "$T/err" ] || { cat "$T/out" "$T/err" >&2; fail "--quiet import printed"; }
expect_exit 0 kmv import "$SAMPLES/alipay_2024-03.csv"
expect_in "$T/out" "alipay"
expect_exit 0 kmv --quiet match
[ ! -s "$T/out" ] && [ ! -s "$T/err" ] || fail "--quiet match printed"

printf '客服：24小时内退款\n' > "$T/chat.txt"
confirm alias add 示例卡盟网络科技 示例卡盟
confirm alias remove 示例卡盟网络科技 示例卡盟
confirm link KM20240315000101 2
confirm unlink KM20240315000101 2
confirm attach KM20240315000101 "$T/chat.txt"
confirm case open KM20240315000101 --reason undelivered
kmv case open KM20240315000101 --reason undelivered >/dev/null 2>&1 || true
confirm case update 1 --note "called"
confirm case close 1 --status resolved
confirm member add --platform 示例卡盟 --expiry 2027-01-01
kmv member add --platform 示例卡盟 --expiry 2027-01-01 >/dev/null 2>&1
confirm member renew 1 --expiry 2028-01-01
confirm member login 1
confirm member end 1
confirm edit KM20240315000101 --note 客服已回复
confirm tag KM20240315000101 +争议 -待退款
confirm void 2 --reason 重复
confirm unvoid 2
confirm check
confirm export --month 2024-03 --format csv -o "$T/r.csv"
confirm backup create --to "$T/b"
kmv backup create --to "$T/b" >/dev/null 2>&1 || true
f=$(ls "$T/b"/*.kmv | head -n 1)
confirm backup verify "$f"
# evidence create: the bundle's path is the result (stdout, also with
# --quiet); what it made and the timestamp query are confirmations
expect_exit 0 kmv --quiet evidence create KM20240315000101 -o "$T/ev1.zip"
[ "$(cat "$T/out")" = "$T/ev1.zip" ] || { cat "$T/out" >&2; fail "--quiet evidence create: stdout is not the path"; }
[ ! -s "$T/err" ] || { cat "$T/err" >&2; fail "--quiet evidence create: stderr not empty"; }
expect_exit 0 kmv evidence create KM20240315000101 -o "$T/ev2.zip"
[ "$(cat "$T/out")" = "$T/ev2.zip" ] || { cat "$T/out" >&2; fail "evidence create: a confirmation on stdout"; }
expect_in "$T/err" "kmvault: bundle for order KM20240315000101"
expect_in "$T/err" "kmvault: timestamp query: $T/ev2.zip.tsq"
# cron: the crontab lines are the result; nothing else with --quiet
expect_exit 0 kmv --quiet cron --to "$T/b"
expect_in "$T/out" "backup create --to"
[ ! -s "$T/err" ] || { cat "$T/err" >&2; fail "--quiet cron: stderr not empty"; }
expect_exit 0 kmv cron --to "$T/b"
grep -q "^kmvault: " "$T/out" && fail "cron: a confirmation on stdout"
# demo: the transcript is the result; with --quiet its steps say nothing
# more on stderr than warnings (the samples' password file is 0644)
expect_exit 0 kmv --quiet demo --dir "$T/demo-q"
expect_in "$T/out" "demo finished"
expect_not_in "$T/out" '$ kmvault --quiet'
if grep -v '^kmvault: warning: ' "$T/err" | grep -q .; then
	cat "$T/err" >&2; fail "--quiet demo: success messages on stderr"
fi
expect_exit 0 kmv demo --dir "$T/demo"
expect_in "$T/err" "kmvault: created vault"
expect_not_in "$T/out" "kmvault: created vault"
printf 'a brand new passphrase\n' > "$T/newpass"; chmod 600 "$T/newpass"
confirm passwd --new-passphrase-file "$T/newpass"
echo "ok"
