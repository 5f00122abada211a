/* SPDX-License-Identifier: MIT */
/*
 * A write pipeline for saves: the caller (encrypting) fills 1 MiB slots,
 * a second thread writes full slots to the file in order.  Encryption and
 * the kernel's copy into the page cache then overlap instead of taking
 * turns; for a large vault the write is the larger half of a save.
 *
 * Only ciphertext passes through (nothing to wipe).  The writer thread
 * calls the caller's write function, which goes through the fault hooks
 * of io.c; its first error stops the pipeline, and the message (kmv_error
 * is per thread) is carried back by kmv_pipe_writer__finish().
 */
#include "common.h"
#include "store/vault.h"
#include "store/pipe_writer.h"

#include <pthread.h>

#define SLOTS 4
#define SLOT_SIZE ((size_t)1 << 20)

struct slot {
	uint8_t *data;
	size_t len;
	bool full;
};

struct kmv_pipe_writer {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct slot slots[SLOTS];
	size_t fill, drain; /* producer's slot, writer's next slot */
	bool done, failed;
	kmv_pipe_write_fn write;
	void *payload;
	kmv_error_saved saved;
};

static void *writer_main(void *arg)
{
	kmv_pipe_writer *w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		struct slot *s = &w->slots[w->drain];

		while (!s->full && !w->done)
			pthread_cond_wait(&w->cv, &w->mu);
		if (!s->full)
			break; /* done and drained */
		pthread_mutex_unlock(&w->mu);
		if (w->write(s->data, s->len, w->payload) < 0) {
			pthread_mutex_lock(&w->mu);
			w->failed = true;
			kmv_error_save(&w->saved);
			pthread_cond_broadcast(&w->cv);
			break;
		}
		pthread_mutex_lock(&w->mu);
		s->full = false;
		s->len = 0;
		w->drain = (w->drain + 1) % SLOTS;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void writer_free(kmv_pipe_writer *w)
{
	for (size_t i = 0; i < SLOTS; i++)
		free(w->slots[i].data);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w);
}

int kmv_pipe_writer__start(kmv_pipe_writer **out, kmv_pipe_write_fn write,
			   void *payload)
{
	kmv_pipe_writer *w = calloc(1, sizeof(*w));

	*out = NULL;
	if (!w)
		return kmv_error_nomem();
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	w->write = write;
	w->payload = payload;
	for (size_t i = 0; i < SLOTS; i++) {
		if (!(w->slots[i].data = malloc(SLOT_SIZE))) {
			writer_free(w);
			return kmv_error_nomem();
		}
	}
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		writer_free(w);
		kmv_error_set(KMV_ERROR_INTERNAL,
			      "cannot start a writer thread");
		return KMV_ERROR;
	}
	*out = w;
	return 0;
}

/* Hand the producer's slot to the writer and wait for a free one. */
static int hand_over(kmv_pipe_writer *w)
{
	int error = 0;

	pthread_mutex_lock(&w->mu);
	w->slots[w->fill].full = true;
	w->fill = (w->fill + 1) % SLOTS;
	pthread_cond_broadcast(&w->cv);
	while (w->slots[w->fill].full && !w->failed)
		pthread_cond_wait(&w->cv, &w->mu);
	if (w->failed)
		error = KMV_ERROR;
	pthread_mutex_unlock(&w->mu);
	return error;
}

int kmv_pipe_writer__put(const void *data, size_t len, void *writer)
{
	kmv_pipe_writer *w = writer;
	const uint8_t *p = data;

	while (len > 0) {
		struct slot *s = &w->slots[w->fill];
		size_t n = SLOT_SIZE - s->len < len ? SLOT_SIZE - s->len : len;

		memcpy(s->data + s->len, p, n);
		s->len += n;
		p += n;
		len -= n;
		/* The message comes with kmv_pipe_writer__finish(). */
		if (s->len == SLOT_SIZE && hand_over(w) < 0)
			return KMV_ERROR;
	}
	return 0;
}

int kmv_pipe_writer__finish(kmv_pipe_writer *w)
{
	int error = 0;

	if (!w)
		return 0;
	pthread_mutex_lock(&w->mu);
	if (w->slots[w->fill].len > 0 && !w->failed)
		w->slots[w->fill].full = true;
	w->done = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	if (w->failed) {
		kmv_error_restore(&w->saved);
		error = KMV_ERROR;
	}
	writer_free(w);
	return error;
}
