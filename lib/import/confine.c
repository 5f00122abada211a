/* SPDX-License-Identifier: MIT */
/*
 * Work on hostile input in a forked child with limits (confine.h): how a
 * PDF's text is read (page.c).  poppler-glib tells nothing of a stream's
 * decompressed size before it inflates it, so the limit is put on what the
 * reading costs: CPU time (RLIMIT_CPU), memory, wall-clock time and the
 * bytes of text sent back through a pipe.
 *
 * Memory: RLIMIT_AS (what the process maps already plus the budget) in a
 * normal build.  Under ASan and TSan the sanitizers reserve terabytes of
 * shadow address space, so RLIMIT_AS would kill every child at its first
 * allocation: there the parent reads the child's resident size from
 * /proc/PID/statm every poll and kills it above the budget instead
 * (docs/importers-pages.md).
 *
 * The child never writes a core (RLIMIT_CORE 0: the image holds the
 * vault's keys), sends stderr to /dev/null (poppler prints its syntax and
 * out-of-memory complaints there) and leaves with _exit.
 */
#include "common.h"
#include "import/confine.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CONFINE_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define CONFINE_SANITIZED 1
#endif
#endif
#ifndef CONFINE_SANITIZED
#define CONFINE_SANITIZED 0
#endif

bool kmv_confine__rss_only(void)
{
	return CONFINE_SANITIZED;
}

/* Pages of address space (field 1) or resident (field 2) of `pid`. */
static long statm_pages(pid_t pid, int field)
{
	char path[64];
	long size = -1, resident = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/statm", (long)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &resident) != 2)
		size = resident = -1;
	fclose(f);
	return field == 1 ? size : resident;
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *s = p;

	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int kmv_confine__send(int fd, const void *data, size_t len)
{
	return write_all(fd, data, len);
}

static void child(int fd, const kmv_confine_limits *lim,
		  int (*fn)(int fd, void *arg), void *arg)
{
	struct rlimit none = { 0, 0 };
	struct rlimit cpu = { (rlim_t)lim->cpu_seconds,
			      (rlim_t)lim->cpu_seconds + 1 };
	int devnull = open("/dev/null", O_WRONLY);
	long page = sysconf(_SC_PAGESIZE);

	if (devnull >= 0) {
		dup2(devnull, STDERR_FILENO);
		close(devnull);
	}
	setrlimit(RLIMIT_CORE, &none);
	setrlimit(RLIMIT_CPU, &cpu);
	if (!CONFINE_SANITIZED) {
		long mapped = statm_pages(getpid(), 1);
		struct rlimit as;

		if (mapped > 0 && page > 0) {
			as.rlim_cur = as.rlim_max = (rlim_t)mapped *
							    (rlim_t)page +
						    lim->memory;
			setrlimit(RLIMIT_AS, &as);
		}
	}
	_exit(fn(fd, arg) == 0 ? 0 : 1);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The child's output, read until it closes the pipe or goes over a limit
 * (`*outcome` says which); an error when the pipe cannot be waited on or
 * the output kept.
 */
static int collect(kmv_buf *out, kmv_confine_outcome *outcome,
		   const kmv_confine_limits *lim, int fd, pid_t pid,
		   int64_t deadline)
{
	long page = sysconf(_SC_PAGESIZE), rss0 = -1;

	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		char chunk[65536];
		ssize_t n;
		int rc = poll(&p, 1, 100);

		if (rc < 0 && errno != EINTR) {
			kmv_error_set_os("cannot wait for the reader");
			return KMV_ERROR;
		}
		if (now_ms() > deadline) {
			*outcome = KMV_CONFINE_TIME;
			return 0;
		}
		if (CONFINE_SANITIZED && page > 0) {
			long rss = statm_pages(pid, 2);

			if (rss0 < 0)
				rss0 = rss;
			if (rss > 0 && rss0 > 0 &&
			    (size_t)(rss - rss0) * (size_t)page > lim->memory) {
				*outcome = KMV_CONFINE_MEMORY;
				return 0;
			}
		}
		if (rc <= 0)
			continue;
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0; /* the child is done (or dead) */
		if (out->size + (size_t)n > lim->output) {
			*outcome = KMV_CONFINE_OUTPUT;
			return 0;
		}
		rc = kmv_buf_put(out, chunk, (size_t)n);
		if (rc < 0)
			return rc;
	}
}

/*
 * The child waited for, killed first when it went over a limit or its
 * output could not be kept; else how it ended: a signal is a limit
 * (SIGXCPU or SIGKILL: time, else memory), a failure exit a failure.
 */
static void reap(pid_t pid, bool kill_it, kmv_confine_outcome *outcome)
{
	int status = 0;

	if (kill_it)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (kill_it)
		return;
	if (WIFSIGNALED(status))
		*outcome = WTERMSIG(status) == SIGXCPU ||
					   WTERMSIG(status) == SIGKILL
				   ? KMV_CONFINE_TIME
				   : KMV_CONFINE_MEMORY;
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		*outcome = KMV_CONFINE_FAILED;
}

int kmv_confine__run(kmv_buf *out, kmv_confine_outcome *outcome,
		     const kmv_confine_limits *lim,
		     int (*fn)(int fd, void *arg), void *arg)
{
	int fds[2] = { -1, -1 }, error = 0;
	int64_t deadline = now_ms() + (int64_t)lim->wall_seconds * 1000;
	pid_t pid;

	*outcome = KMV_CONFINE_OK;
	if (pipe(fds) != 0) {
		kmv_error_set_os("cannot create a pipe");
		return KMV_ERROR;
	}
	pid = fork();
	if (pid < 0) {
		kmv_error_set_os("cannot start a process");
		error = KMV_ERROR;
		goto done;
	}
	if (pid == 0) {
		close(fds[0]);
		child(fds[1], lim, fn, arg);
	}
	close(fds[1]);
	fds[1] = -1;
	error = collect(out, outcome, lim, fds[0], pid, deadline);
	reap(pid, *outcome != KMV_CONFINE_OK || error, outcome);
done:
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	return error;
}
