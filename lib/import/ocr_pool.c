/* SPDX-License-Identifier: MIT */
/*
 * A folder of screenshots OCR'd on every core (issue 13 point 4).
 *
 * OCR costs about a second of CPU per screenshot and the rest of an
 * import next to nothing, so a folder of 100 pictures is OCR-bound.  The
 * pool starts one worker per core (at most POOL_MAX_WORKERS, never more
 * than the pictures); each worker claims the next picture in folder
 * order, reads it and recognizes it with its own Tesseract engine (kept
 * between pictures: loading chi_sim costs as much as a picture).  The
 * import walks the folder as before and, reaching a picture, takes its
 * result, waiting for it if need be.  So the records, their order and
 * every message are the same as one picture after the other.
 *
 * Workers touch nothing but their item: no SQLite, no import context.  An
 * OCR error is saved with the item and restored on the importing thread.
 */
#include "common.h"
#include "import/import.h"
#include "kmvutil/file.h"

#include <pthread.h>
#include <unistd.h>

#define POOL_MAX_WORKERS 4

struct ocr_item {
	char *path;
	bool done, taken;
	kmv_buf text;
	kmv_ocr_lines lines;
	int error;
	kmv_error_saved saved;
};

struct kmv_ocr_pool {
	pthread_mutex_t mu;
	pthread_cond_t cond;
	struct ocr_item *items;
	size_t n, next, taken, hint;
	size_t max_file;
	bool stop;
	pthread_t threads[POOL_MAX_WORKERS];
	size_t nthreads;
};

static void recognize(struct kmv_ocr_pool *pool, struct ocr_item *it,
		      void **engine)
{
	kmv_buf data = KMV_BUF_INIT, text = KMV_BUF_INIT;
	kmv_ocr_lines lines = { 0 };
	kmv_error_saved saved;
	int error;

	error = kmv_file_read(&data, it->path, pool->max_file);
	if (error == 0)
		error = kmv_ocr__image_with(engine, &text, &lines,
					    (const uint8_t *)data.ptr,
					    data.size);
	if (error < 0)
		kmv_error_save(&saved);
	kmv_buf_dispose_secure(&data);
	pthread_mutex_lock(&pool->mu);
	it->text = text;
	it->lines = lines;
	it->error = error;
	if (error < 0)
		it->saved = saved;
	it->done = true;
	pthread_cond_broadcast(&pool->cond);
	pthread_mutex_unlock(&pool->mu);
}

static void *worker(void *arg)
{
	struct kmv_ocr_pool *pool = arg;
	void *engine = NULL;

	for (;;) {
		struct ocr_item *it;

		pthread_mutex_lock(&pool->mu);
		if (pool->stop || pool->next >= pool->n) {
			pthread_mutex_unlock(&pool->mu);
			break;
		}
		it = &pool->items[pool->next++];
		pthread_mutex_unlock(&pool->mu);
		recognize(pool, it, &engine);
	}
	kmv_ocr__engine_free(engine);
	return NULL;
}

static size_t cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > POOL_MAX_WORKERS ? POOL_MAX_WORKERS : (size_t)n;
}

int kmv_ocr_pool__start(kmv_ocr_pool **out, char *const *paths, size_t n,
			size_t max_file)
{
	struct kmv_ocr_pool *pool;
	size_t want;
	int error = 0;

	*out = NULL;
	if (!(pool = calloc(1, sizeof(*pool))))
		return kmv_error_nomem();
	pthread_mutex_init(&pool->mu, NULL);
	pthread_cond_init(&pool->cond, NULL);
	pool->max_file = max_file;
	if (n && !(pool->items = calloc(n, sizeof(*pool->items)))) {
		error = kmv_error_nomem();
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		kmv_buf_init(&pool->items[i].text, 0);
		if (!(pool->items[i].path = strdup(paths[i]))) {
			error = kmv_error_nomem();
			goto done;
		}
		pool->n++;
	}
	want = cores();
	if (want > n)
		want = n;
	for (size_t i = 0; i < want; i++) {
		if (pthread_create(&pool->threads[i], NULL, worker, pool) != 0)
			break; /* fewer workers; the import still gets every result */
		pool->nthreads++;
	}
	if (n && !pool->nthreads) {
		kmv_error_set(KMV_ERROR_INTERNAL, "cannot start an OCR thread");
		error = KMV_ERROR;
		goto done;
	}
	*out = pool;
	pool = NULL;
done:
	kmv_ocr_pool__free(pool);
	return error;
}

static struct ocr_item *find(struct kmv_ocr_pool *pool, const char *path)
{
	/* the folder is walked in the pool's order: start at the last hit */
	for (size_t k = 0; k < pool->n; k++) {
		size_t i = (pool->hint + k) % pool->n;

		if (strcmp(pool->items[i].path, path) == 0) {
			pool->hint = i;
			return &pool->items[i];
		}
	}
	return NULL;
}

int kmv_ocr_pool__take(kmv_ocr_pool *pool, const char *path, kmv_buf *text,
		       kmv_ocr_lines *lines, int *error)
{
	struct ocr_item *it;

	if (!pool || !(it = find(pool, path)))
		return 0;
	pthread_mutex_lock(&pool->mu);
	if (it->taken) {
		pthread_mutex_unlock(&pool->mu);
		return 0; /* the same file twice: read it again */
	}
	while (!it->done)
		pthread_cond_wait(&pool->cond, &pool->mu);
	it->taken = true;
	pool->taken++;
	*error = it->error;
	if (it->error < 0) {
		kmv_error_restore(&it->saved);
	} else {
		*error = kmv_buf_put(text, it->text.ptr ? it->text.ptr : "",
				     it->text.size);
		if (*error == 0) {
			kmv_ocr__lines_dispose(lines);
			*lines = it->lines;
			memset(&it->lines, 0, sizeof(it->lines));
		}
	}
	kmv_buf_dispose_secure(&it->text);
	pthread_mutex_unlock(&pool->mu);
	return 1;
}

void kmv_ocr_pool__count(const kmv_ocr_pool *pool, size_t *taken, size_t *total)
{
	*taken = pool ? pool->taken : 0;
	*total = pool ? pool->n : 0;
}

void kmv_ocr_pool__free(kmv_ocr_pool *pool)
{
	if (!pool)
		return;
	pthread_mutex_lock(&pool->mu);
	pool->stop = true;
	pthread_cond_broadcast(&pool->cond);
	pthread_mutex_unlock(&pool->mu);
	for (size_t i = 0; i < pool->nthreads; i++)
		pthread_join(pool->threads[i], NULL);
	for (size_t i = 0; i < pool->n; i++) {
		free(pool->items[i].path);
		kmv_buf_dispose_secure(&pool->items[i].text);
		kmv_ocr__lines_dispose(&pool->items[i].lines);
	}
	free(pool->items);
	pthread_cond_destroy(&pool->cond);
	pthread_mutex_destroy(&pool->mu);
	free(pool);
}
