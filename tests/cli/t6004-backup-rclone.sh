#!/bin/sh
# Backups on rclone remotes (issue 18.1): a local remote, WebDAV and SFTP
# served by rclone itself on 127.0.0.1, a server killed mid-upload.  The
# same names, skip-when-unchanged, keep rules, verify and restore as a
# backup folder; a failed upload never leaves a file under a backup name.
set -eu
. "$KMV_TESTS/cli/lib.sh"
command -v rclone >/dev/null || fail "rclone is not installed (scripts/install-deps.sh)"
kmv_setup
servers=""
trap 'for p in $servers; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$T"' EXIT
nopass() { env -u KMVAULT_PASSPHRASE_FILE "$KMVAULT_BIN" "$@" </dev/null; }
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
conf="$T/rclone.conf"
mkdir "$T/tmp"
export TMPDIR="$T/tmp"     # where downloads for verify / restore go
printf '[loc]\ntype = local\n' > "$conf"
export KMVAULT_RCLONE="rclone --config $conf"

# ---- a local remote -------------------------------------------------------
# One fixed second for every backup: same-second backups rank by generation.
export KMVAULT_NOW=2026-12-01T10:00:00+08:00
R="rclone:loc:$T/remote"
expect_exit 0 nopass backup create --to "$R"
expect_in "$T/err" "created $R/kmvault-"
first=$(ls "$T/remote")
[ "$(stat -c %a "$T/remote/$first")" = 600 ] || fail "remote backup is not 0600"
cmp -s "$KMVAULT_VAULT" "$T/remote/$first" || fail "remote copy differs"
expect_exit 0 nopass backup create --to "$R"
expect_in "$T/err" "unchanged: $R/$first"
[ "$(ls -A "$T/remote" | wc -l)" = 1 ] || fail "temporary files left on the remote"

# A new save, then the keep rules prune the older backup on the remote.
expect_exit 0 kmv import "$KMV_SRC/samples/alipay_2024-03.csv"
expect_exit 0 nopass --json backup create --to "$R" --keep-daily 1
expect_in "$T/out" "\"pruned\":[\"$first\"]"
[ ! -e "$T/remote/$first" ] || fail "not pruned"
second=$(ls "$T/remote")
[ "$second" != "$first" ] || fail "no new backup"
expect_exit 0 nopass --json backup list --to "$R"
expect_in "$T/out" "\"file\":\"$second\""
expect_in "$T/out" '"generation":2'
expect_exit 0 kmv backup verify "$R/$second"
expect_in "$T/err" "is intact"
expect_exit 7 kmv backup verify "$R/kmvault-20200101T000000Z-g1.kmv"
expect_in "$T/err" "no backup file"
[ -z "$(ls -A "$T/tmp")" ] || fail "download folder left behind: $(ls "$T/tmp")"

# Restore from the remote into a new vault path; its audit log says so.
expect_exit 0 kmv --vault "$T/restored.kmv" backup restore "$R/$second"
expect_exit 0 kmv --vault "$T/restored.kmv" log --limit 1
expect_in "$T/out" "$second"
expect_exit 0 kmv --vault "$T/restored.kmv" check

# A damaged remote backup is exit 4, as a local one.
cp "$T/remote/$second" "$T/damaged.kmv"
flip_byte "$T/remote/$second" 400
expect_exit 4 kmv backup verify "$R/$second"
cp "$T/damaged.kmv" "$T/remote/$second"

# No rclone, or an unknown remote: a clear error (1), nothing written.
KMVAULT_RCLONE=/nonexistent/rclone expect_exit 1 nopass backup create --to "$R"
expect_in "$T/err" "cannot run '/nonexistent/rclone'"
expect_exit 1 nopass backup create --to rclone:nosuch:/x
expect_in "$T/err" "rclone lsjson failed"
expect_in "$T/err" "nosuch"
# The passphrase never reaches rclone's environment.
cat > "$T/envdump" <<EOF
#!/bin/sh
env > "$T/child-env"
exec rclone --config "$conf" "\$@"
EOF
chmod +x "$T/envdump"
KMVAULT_RCLONE="$T/envdump" KMVAULT_PASSPHRASE=secret-word expect_exit 0 \
	nopass backup list --to "$R"
grep -q KMVAULT_PASSPHRASE "$T/child-env" && fail "passphrase variables passed to rclone"

# ---- WebDAV and SFTP on loopback, served by rclone ------------------------
start_server() { # start_server KIND DIR PORT [ARGS...]: wait until it answers
	kind=$1 dir=$2 port=$3
	shift 3
	mkdir -p "$dir"
	rclone serve "$kind" "$dir" --addr "127.0.0.1:$port" "$@" \
		>"$T/$kind.log" 2>&1 &
	server=$!
	servers="$servers $server"
	n=0
	until python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; do
		n=$((n + 1))
		[ $n -lt 100 ] || { cat "$T/$kind.log" >&2; fail "rclone serve $kind did not start"; }
		sleep 0.1
	done
}
dav_port=$(free_port)
sftp_port=$(free_port)
start_server webdav "$T/dav" "$dav_port"
dav_pid=$server
start_server sftp "$T/sftp" "$sftp_port" --user kmv --pass secret
cat >> "$conf" <<EOF
[dav]
type = webdav
url = http://127.0.0.1:$dav_port/
vendor = other
[sf]
type = sftp
host = 127.0.0.1
port = $sftp_port
user = kmv
pass = $(rclone obscure secret)
EOF
for remote in dav sf; do
	R="rclone:$remote:backups"
	expect_exit 0 nopass backup create --to "$R" --keep-daily 7
	expect_in "$T/err" "created $R/kmvault-"
	expect_exit 0 nopass backup create --to "$R"
	expect_in "$T/err" "unchanged:"
	expect_exit 0 nopass backup list --to "$R"
	expect_in "$T/out" "kmvault-"
	name=$(awk 'NR == 2 { print $1 }' "$T/out")
	expect_exit 0 kmv backup verify "$R/$name"
done
[ "$(ls -A "$T/dav/backups" | wc -l)" = 1 ] || fail "webdav holds more than the backup"
cmp -s "$KMVAULT_VAULT" "$T/sftp/backups/$(ls "$T/sftp/backups")" || fail "sftp copy differs"

# ---- the server dies in the middle of an upload ---------------------------
expect_exit 0 kmv import "$KMV_SRC/samples/wechat_2024-03.csv"
before=$(ls "$T/dav/backups")
# The wrapper marks the start of rcat; at 8 KiB/s the upload of the vault
# then takes many seconds, and the server is killed one second into it.
cat > "$T/slow-rclone" <<EOF
#!/bin/sh
case " \$* " in *" rcat "*) : > "$T/rcat-started" ;; esac
exec rclone --config "$conf" --bwlimit 8k --low-level-retries 1 --retries 1 "\$@"
EOF
chmod +x "$T/slow-rclone"
KMVAULT_RCLONE="$T/slow-rclone" \
	nopass backup create --to rclone:dav:backups >"$T/out" 2>"$T/err" &
upload=$!
n=0
until [ -e "$T/rcat-started" ]; do
	n=$((n + 1))
	[ $n -lt 600 ] || fail "the upload never started"
	sleep 0.05
done
sleep 1
kill -9 "$dav_pid"
set +e
wait "$upload"
rc=$?
set -e
[ "$rc" = 1 ] || { cat "$T/err" >&2; fail "killed upload exited $rc, expected 1"; }
expect_in "$T/err" "rclone"
[ "$(ls "$T/dav/backups" | grep '^kmvault-')" = "$before" ] ||
	fail "a backup name appeared for a failed upload"
# The server is back: the next run uploads the new save.
start_server webdav "$T/dav" "$dav_port"
expect_exit 0 nopass backup create --to rclone:dav:backups
expect_in "$T/err" "created rclone:dav:backups/kmvault-"
expect_exit 0 nopass backup list --to rclone:dav:backups
[ "$(grep -c '^kmvault-' "$T/out")" = 2 ] || fail "list: $(cat "$T/out")"
echo "ok"
