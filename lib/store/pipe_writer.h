/* SPDX-License-Identifier: MIT */
#ifndef KMV_STORE_PIPE_WRITER_H
#define KMV_STORE_PIPE_WRITER_H

/* The save's writer thread (pipe_writer.c). */
#include <stddef.h>

/*
 * Saves write through a second thread (pipe_writer.c): put copies into
 * 1 MiB slots (the signature of kmv_env_write_fn), a thread calls `write`
 * on each full slot in order; finish flushes, joins and returns the first
 * write error with its message.  Always call finish after start.
 */
typedef int (*kmv_pipe_write_fn)(const void *data, size_t len, void *payload);
typedef struct kmv_pipe_writer kmv_pipe_writer;
int kmv_pipe_writer__start(kmv_pipe_writer **out, kmv_pipe_write_fn write,
			   void *payload);
int kmv_pipe_writer__put(const void *data, size_t len, void *writer);
int kmv_pipe_writer__finish(kmv_pipe_writer *w); /* NULL-safe */

#endif
