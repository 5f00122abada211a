#!/bin/sh
# Start-up cost of commands that need no heavy library (issue 17: "2 ms for
# a binary linking sqlite + sodium"): `--version`, and `sources` / `query`
# on an empty vault, against a same-run floor, a tiny C program built here
# that links sqlite3 and libsodium, opens an in-memory database and calls
# sodium_init.  `sources` and `query` run after `kmvault unlock` (no
# Argon2id); `sources` with the passphrase (one INTERACTIVE derivation)
# is shown for scale, and /bin/true for the cost of a fork + exec.  Each
# round runs every command once, in turn; medians of N rounds, wall and
# CPU (user + sys) of each run, timed by a small C program built here.
# Libraries: `calling init:` lines of LD_DEBUG=libs (as t0004 counts them).
# usage: bench/startup.sh [N] [BUILD_DIR]   (default 50 build-bench)
# Results: bench/out/startup.txt.
set -eu
n=${1:-50}
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${2:-$top/build-bench}/kmvault
out=${KMV_BENCH_OUT:-$top/bench/out}
dir=$(mktemp -d "${TMPDIR:-/tmp}/kmv-start-XXXXXX")
trap '"$bin" lock > /dev/null 2>&1 || true; rm -rf "$dir"' EXIT
mkdir -p "$out"

cat > "$dir/floor.c" << 'EOC'
#include <sodium.h>
#include <sqlite3.h>

int main(void)
{
	sqlite3 *db;
	if (sodium_init() < 0 || sqlite3_open(":memory:", &db) != SQLITE_OK)
		return 1;
	return sqlite3_close(db) != SQLITE_OK;
}
EOC
cc -O2 -o "$dir/floor" "$dir/floor.c" -lsqlite3 -lsodium
# The timer: one fork + exec, wall (CLOCK_MONOTONIC) and the child's CPU
# (wait4's rusage, in microseconds: /usr/bin/time prints 10 ms steps, and
# `date` calls around a command cost more than the command here).
cat > "$dir/run.c" << 'EOC'
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double ms(struct timeval t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; }

int main(int argc, char **argv)
{
	struct timespec a, b;
	struct rusage ru;
	int st, fd;
	pid_t pid;
	if (argc < 2)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid = fork();
	if (pid == 0) {
		fd = open("/dev/null", O_RDWR);
		dup2(fd, 0), dup2(fd, 1), dup2(fd, 2);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &st, 0, &ru) < 0)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.3f %.3f\n", (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6,
	       ms(ru.ru_utime) + ms(ru.ru_stime));
	return !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
EOC
cc -O2 -o "$dir/run" "$dir/run.c"

export KMVAULT_VAULT="$dir/empty.kmv" KMVAULT_PASSPHRASE=bench
"$bin" init --kdf interactive --weak-passphrase > /dev/null 2>&1
"$bin" unlock < /dev/null > /dev/null 2>&1
# a second empty vault, never unlocked: its commands derive the key
"$bin" --vault "$dir/locked.kmv" init --kdf interactive --weak-passphrase > /dev/null 2>&1
cat > "$dir/cmds" << EOS
floor $dir/floor
true /bin/true
version $bin --version
sources $bin sources
query $bin query
sources_kdf $bin --vault $dir/locked.kmv sources
EOS

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

load0=$(cut -d' ' -f1-3 /proc/loadavg)
i=0
while [ "$i" -lt "$n" ]; do
	while read -r label cmd; do
		# shellcheck disable=SC2086 # cmd is words without spaces inside
		"$dir/run" $cmd >> "$dir/$label.raw" || {
			echo "startup.sh: $cmd failed" >&2
			exit 1
		}
	done < "$dir/cmds"
	i=$((i + 1))
done
while read -r label cmd; do
	# shellcheck disable=SC2086
	LD_DEBUG=libs $cmd < /dev/null > /dev/null 2> "$dir/libs" || true
	grep -c 'calling init:' "$dir/libs" > "$dir/$label.libs" || true
done < "$dir/cmds"

{
	echo "# startup.sh: medians of $n alternating runs each; $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "# machine: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores; load $load0 at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
	echo "# $("$bin" --version); floor: cc $(cc -dumpversion), SQLite $(sqlite3 --version 2> /dev/null | cut -d' ' -f1), libsodium"
	printf '%-12s %8s %8s %8s %8s %6s\n' command wall_ms cpu_ms wall_x cpu_x libs
	fw=$(cut -d' ' -f1 "$dir/floor.raw" | median)
	fc=$(cut -d' ' -f2 "$dir/floor.raw" | median)
	while read -r label cmd; do
		w=$(cut -d' ' -f1 "$dir/$label.raw" | median)
		c=$(cut -d' ' -f2 "$dir/$label.raw" | median)
		printf '%-12s %8s %8s %8s %8s %6s\n' "$label" "$w" "$c" \
			"$(echo "$w $fw" | awk '{ printf "%.2f", $1 / $2 }')" \
			"$(echo "$c $fc" | awk '{ printf "%.2f", $1 / $2 }')" "$(cat "$dir/$label.libs")"
	done < "$dir/cmds"
	echo "# _x: over the floor (sqlite3 + libsodium, :memory: + sodium_init); true: /bin/true, the cost of a fork + exec"
	echo "# sources/query: empty vault after 'kmvault unlock'; sources_kdf: with the passphrase (one Argon2id)"
} | tee "$out/startup.txt"
