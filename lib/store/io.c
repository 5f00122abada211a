/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "store/vault.h"
#include "store/io.h"

#include <errno.h>
#include <unistd.h>

/*
 * Fault injection for the save path.  A real disk-full or I/O error is
 * hard to provoke in a test, so the test suite arms one of these through
 * KMVAULT_FAULT and checks that the old vault stays byte-identical.
 * Only test builds (KMV_FAULT_INJECTION, off in Release) read it.
 */
static long long write_budget = -1; /* bytes before the fault, -1 = off */
static int write_errno = ENOSPC;
static bool short_write;
static int fsync_errno, rename_errno;

static ssize_t faulty_write(int fd, const void *buf, size_t len)
{
	if (write_budget >= 0) {
		if (write_budget == 0) {
			errno = write_errno;
			return -1;
		}
		if ((long long)len > write_budget) {
			len = (size_t)write_budget;
			if (short_write) {
				ssize_t n = write(fd, buf, len);

				write_budget = 0;
				return n;
			}
		}
		write_budget -= (long long)len;
	}
	return write(fd, buf, len);
}

static int faulty_fsync(int fd)
{
	if (fsync_errno) {
		errno = fsync_errno;
		return -1;
	}
	return fsync(fd);
}

static int faulty_rename(const char *from, const char *to)
{
	if (rename_errno) {
		errno = rename_errno;
		return -1;
	}
	return rename(from, to);
}

struct kmv_io kmv_io__hooks = { faulty_write, faulty_fsync, faulty_rename };

void kmv_io__reset(void)
{
	write_budget = -1;
	write_errno = ENOSPC;
	short_write = false;
	fsync_errno = 0;
	rename_errno = 0;
	kmv_io__hooks.write = faulty_write;
	kmv_io__hooks.fsync = faulty_fsync;
	kmv_io__hooks.rename = faulty_rename;
}

#ifdef KMV_FAULT_INJECTION
static int parse_errno(const char *s)
{
	if (strncmp(s, "EIO", 3) == 0)
		return EIO;
	if (strncmp(s, "EDQUOT", 6) == 0)
		return EDQUOT;
	return ENOSPC;
}
#endif

void kmv_io__arm_from_env(void)
{
#ifdef KMV_FAULT_INJECTION
	const char *f = getenv("KMVAULT_FAULT");
	const char *after;

	if (!f || !*f)
		return;
	after = strstr(f, "after=");
	if (strncmp(f, "write:", 6) == 0) {
		write_errno = parse_errno(f + 6);
		write_budget = after ? atoll(after + 6) : 0;
	} else if (strncmp(f, "short-write", 11) == 0) {
		short_write = true;
		write_budget = after ? atoll(after + 6) : 0;
	} else if (strncmp(f, "fsync:", 6) == 0) {
		fsync_errno = parse_errno(f + 6);
	} else if (strncmp(f, "rename:", 7) == 0) {
		rename_errno = parse_errno(f + 7);
	}
#endif
}

int kmv_io__write_all(int fd, const void *data, size_t len, const char *path)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = kmv_io__hooks.write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = ENOSPC;
			kmv_error_set_os("cannot write '%s'", path);
			return KMV_ERROR;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
