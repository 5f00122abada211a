/* SPDX-License-Identifier: MIT */
/*
 * Compression on a second thread.  An import keeps every source file's
 * original bytes compressed in the vault; for a large statement deflate
 * costs as much as a tenth of the import, and it does not depend on the
 * parse, so it runs on the other core while the importer works.
 *
 * The job either borrows the input (the caller keeps it alive and
 * unchanged until finish: no copy of a large file) or owns a copy (wiped,
 * like the output, when the job ends).  The worker touches nothing but
 * the job: no SQLite, no shared state.  Its error, if any, is carried
 * back to the caller's thread.
 */
#include "common.h"

#include <pthread.h>

#include "kmvutil/compress.h"

struct kmv_compress_job {
	pthread_t thread;
	const void *data;
	size_t len;
	kmv_buf copy;
	kmv_buf packed;
	int error;
	kmv_error_saved saved;
};

static void *compress_worker(void *arg)
{
	kmv_compress_job *job = arg;

	job->error = kmv_compress(&job->packed, job->data, job->len);
	if (job->error < 0)
		kmv_error_save(&job->saved);
	return NULL;
}

static void job_free(kmv_compress_job *job)
{
	kmv_buf_dispose_secure(&job->copy);
	kmv_buf_dispose_secure(&job->packed);
	free(job);
}

int kmv_compress_start(kmv_compress_job **out, const void *data, size_t len,
		       bool borrow)
{
	kmv_compress_job *job = calloc(1, sizeof(*job));
	kmv_buf empty = KMV_BUF_INIT;
	int error;

	*out = NULL;
	if (!job)
		return kmv_error_nomem();
	job->copy = job->packed = empty;
	job->data = data;
	job->len = len;
	if (!borrow) {
		error = kmv_buf_put(&job->copy, data, len);
		if (error < 0) {
			job_free(job);
			return error;
		}
		job->data = job->copy.ptr;
	}
	if (pthread_create(&job->thread, NULL, compress_worker, job) != 0) {
		/* No thread to be had: do the work here. */
		compress_worker(job);
		job->thread = pthread_self();
	}
	*out = job;
	return 0;
}

int kmv_compress_finish(kmv_compress_job *job, kmv_buf *out)
{
	int error;

	if (!job)
		return 0;
	if (!pthread_equal(job->thread, pthread_self()))
		pthread_join(job->thread, NULL);
	error = job->error;
	if (error < 0)
		kmv_error_restore(&job->saved);
	else if (out)
		error = kmv_buf_put(out, job->packed.ptr, job->packed.size);
	job_free(job);
	return error;
}
