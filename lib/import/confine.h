/* SPDX-License-Identifier: MIT */
#ifndef KMV_IMPORT_CONFINE_H
#define KMV_IMPORT_CONFINE_H

/*
 * Run a reader of hostile input in a forked child under limits
 * (confine.c): CPU seconds, memory (RLIMIT_AS, or the resident size under
 * ASan/TSan), wall-clock seconds and the bytes it may send back.
 */
#include <stdbool.h>
#include <stddef.h>

#include "kmvutil/buf.h"

typedef struct kmv_confine_limits {
	unsigned cpu_seconds;
	unsigned wall_seconds;
	size_t memory; /* bytes beyond what the process has when it forks */
	size_t output; /* bytes the child may send */
} kmv_confine_limits;

typedef enum {
	KMV_CONFINE_OK = 0,
	KMV_CONFINE_TIME,   /* CPU or wall-clock limit */
	KMV_CONFINE_MEMORY, /* memory limit (or a crash) */
	KMV_CONFINE_OUTPUT, /* sent more than `output` */
	KMV_CONFINE_FAILED  /* fn returned non-zero */
} kmv_confine_outcome;

/*
 * fn(fd, arg) runs in the child and sends its result on fd with
 * kmv_confine__send; what it sent is appended to `out`.  Returns < 0 only
 * when the child could not be run; *outcome says how it ended.
 */
int kmv_confine__run(kmv_buf *out, kmv_confine_outcome *outcome,
		     const kmv_confine_limits *limits,
		     int (*fn)(int fd, void *arg), void *arg);
int kmv_confine__send(int fd, const void *data, size_t len);
/* The memory limit is the resident size (sanitizer builds). */
bool kmv_confine__rss_only(void);

#endif
