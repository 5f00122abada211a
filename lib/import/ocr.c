/* SPDX-License-Identifier: MIT */
/*
 * Screenshots (.png, .jpg) of an order page or a payment-success page:
 * Leptonica reads the image, libtesseract (chi_sim + eng data from
 * Debian) recognizes it line by line.  Each line keeps Tesseract's
 * confidence (0-100), so that every field taken from a line can say how
 * sure the OCR was (page.c flags it `unverified` below the threshold).
 *
 * The image's size is checked from its header before it is decoded: a
 * 200-megapixel "screenshot" is refused without allocating it.
 */
#include "common.h"
#include "import/import.h"
#include "kmvutil/array.h"

#include <leptonica/allheaders.h>
#include <pthread.h>
#include <tesseract/capi.h>

/* A phone screenshot is 1-10 megapixels; beyond this it is no screenshot. */
#define OCR_MAX_PIXELS ((int64_t)40 * 1000 * 1000)

void kmv_ocr__lines_dispose(kmv_ocr_lines *l)
{
	free(l->start);
	free(l->conf);
	memset(l, 0, sizeof(*l));
}

static int push_line(kmv_ocr_lines *l, size_t start, float conf)
{
	if (KMV_ARRAY_GROW(l->start, l->astart, l->count + 1) < 0 ||
	    KMV_ARRAY_GROW(l->conf, l->aconf, l->count + 1) < 0)
		return KMV_ERROR;
	l->start[l->count] = start;
	l->conf[l->count] = conf;
	l->count++;
	return 0;
}

float kmv_ocr__lines_conf(const kmv_ocr_lines *l, const char *text,
			  const char *value)
{
	const char *at = value && *value ? strstr(text, value) : NULL;
	size_t off;
	float best = -1;

	if (!at)
		return -1;
	off = (size_t)(at - text);
	for (size_t i = 0; i < l->count; i++)
		if (l->start[i] <= off)
			best = l->conf[i];
	return best;
}

/*
 * Tesseract's debug_file is a process-wide parameter (the others are the
 * engine's own): set once, under a lock, so that engines on the OCR
 * pool's threads (ocr_pool.c) never write it while another reads it.
 */
static void quiet_tesseract(TessBaseAPI *api)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static bool done;

	pthread_mutex_lock(&lock);
	if (!done)
		TessBaseAPISetVariable(api, "debug_file", "/dev/null");
	done = true;
	pthread_mutex_unlock(&lock);
}

void kmv_ocr__engine_free(void *engine)
{
	if (engine) {
		TessBaseAPIEnd(engine);
		TessBaseAPIDelete(engine);
	}
}

int kmv_ocr__image(kmv_buf *out, kmv_ocr_lines *lines, const uint8_t *data,
		   size_t len)
{
	void *engine = NULL;
	int error = kmv_ocr__image_with(&engine, out, lines, data, len);

	kmv_ocr__engine_free(engine);
	return error;
}

/* The picture, refused when its header is unreadable or it is too big. */
static int read_pix(PIX **out, const uint8_t *data, size_t len)
{
	l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;

	if (pixReadHeaderMem(data, len, &format, &w, &h, &bps, &spp, &cmap) !=
		    0 ||
	    w <= 0 || h <= 0) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "not a readable image (corrupt or "
			      "truncated PNG/JPEG header)");
		return KMV_EINPUT;
	}
	if ((int64_t)w * h > OCR_MAX_PIXELS) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "image of %d x %d pixels (%lld "
			      "megapixels): over the %lld megapixels of a "
			      "screenshot",
			      (int)w, (int)h,
			      (long long)((int64_t)w * h / 1000000),
			      (long long)(OCR_MAX_PIXELS / 1000000));
		return KMV_EINPUT;
	}
	*out = pixReadMem(data, len);
	if (!*out) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "not a readable image (the PNG/JPEG "
			      "data is corrupt)");
		return KMV_EINPUT;
	}
	return 0;
}

/* A new engine with the Chinese and English data, kept in `*engine`. */
static int engine_start(void **engine)
{
	TessBaseAPI *api = TessBaseAPICreate();

	if (!api)
		return kmv_error_nomem();
	if (TessBaseAPIInit3(api, NULL, "chi_sim+eng") != 0) {
		kmv_ocr__engine_free(api);
		kmv_error_set(KMV_ERROR_INTERNAL,
			      "cannot start Tesseract "
			      "OCR: the chi_sim and eng data are missing "
			      "(Debian packages tesseract-ocr-chi-sim, "
			      "tesseract-ocr-eng)");
		return KMV_ERROR;
	}
	/* screenshots carry no resolution; Tesseract would warn */
	TessBaseAPISetVariable(api, "user_defined_dpi", "96");
	quiet_tesseract(api);
	*engine = api;
	return 0;
}

/* The recognized text, one line per text line, with its confidence. */
static int text_lines(TessBaseAPI *api, kmv_buf *out, kmv_ocr_lines *lines)
{
	TessResultIterator *it = TessBaseAPIGetIterator(api);
	TessPageIterator *pi;
	int error = 0;

	if (!it)
		return 0;
	pi = TessResultIteratorGetPageIterator(it);
	do {
		char *t = TessResultIteratorGetUTF8Text(it, RIL_TEXTLINE);
		float conf = TessResultIteratorConfidence(it, RIL_TEXTLINE);

		if (t) {
			size_t start = out->size;

			error = kmv_buf_puts(out, t);
			if (!error &&
			    (!out->size || out->ptr[out->size - 1] != '\n'))
				error = kmv_buf_putc(out, '\n');
			if (!error)
				error = push_line(lines, start, conf);
			TessDeleteText(t);
			if (error < 0)
				break;
		}
	} while (TessPageIteratorNext(pi, RIL_TEXTLINE));
	TessResultIteratorDelete(it);
	return error;
}

int kmv_ocr__image_with(void **engine, kmv_buf *out, kmv_ocr_lines *lines,
			const uint8_t *data, size_t len)
{
	TessBaseAPI *api = *engine;
	PIX *pix = NULL;
	int error = 0;

	/* Leptonica reports to stderr; the library never prints */
	setMsgSeverity(L_SEVERITY_NONE);
	KMV_TRY(read_pix(&pix, data, len));
	/* Loading the language data costs about as much as one image: an
	 * engine is kept for the next image of the same thread. */
	if (!api) {
		KMV_TRY(engine_start(engine));
		api = *engine;
	}
	/* what an engine learned from the last picture must not change
	 * this one: a folder reads as its pictures one by one */
	TessBaseAPIClearAdaptiveClassifier(api);
	TessBaseAPISetImage2(api, pix);
	if (TessBaseAPIRecognize(api, NULL) != 0) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "OCR found no text in the image");
		error = KMV_EINPUT;
		goto done;
	}
	error = text_lines(api, out, lines);
done:
	if (api)
		TessBaseAPIClear(api);
	if (pix)
		pixDestroy(&pix);
	return error;
}
