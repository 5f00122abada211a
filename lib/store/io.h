/* SPDX-License-Identifier: MIT */
#ifndef KMV_STORE_IO_H
#define KMV_STORE_IO_H

/* The system calls of a save, behind hooks for fault injection (io.c). */
#include <stddef.h>
#include <sys/types.h>

/*
 * I/O used by saves, replaceable for fault injection (io.c).  The
 * environment variable KMVAULT_FAULT ("write:ENOSPC:after=N",
 * "fsync:EIO", "rename:EIO", "short-write:after=N") arms a fault for the
 * test suite; tests in C set the hooks directly.
 */
struct kmv_io {
	ssize_t (*write)(int fd, const void *buf, size_t len);
	int (*fsync)(int fd);
	int (*rename)(const char *from, const char *to);
};

extern struct kmv_io kmv_io__hooks;

/* Write all of `data` through the hooks; the error names `path`. */
int kmv_io__write_all(int fd, const void *data, size_t len, const char *path);
void kmv_io__reset(void);
void kmv_io__arm_from_env(void);

#endif
