/* SPDX-License-Identifier: MIT */
/*
 * Text extraction of the page sources (issue 13 point 4): a saved HTML
 * page (libxml2), a PDF receipt (poppler-glib), a screenshot (Tesseract:
 * a fresh engine, as one `kmvault import shot.png` pays, and a warm one,
 * as each further picture of a folder), and a folder of screenshots one
 * after the other against the OCR pool on every core.  bench/pages.sh
 * runs it next to the pdftotext and tesseract command lines on the same
 * files.
 *
 * usage: bench_pages html|pdf|ocr FILE [REPS]
 *        bench_pages folder PNG... (each once: sequential, then the pool)
 * Prints one line per measurement: "NAME median_ms min_ms max_ms reps".
 */
#include "common.h"
#include "import/import.h"
#include "kmvutil/file.h"

#include <stdio.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *name, double *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), cmp_double);
	printf("%s %.2f %.2f %.2f %d\n", name, t[n / 2], t[0], t[n - 1], n);
}

static int extract(const char *kind, const kmv_buf *data, void **engine)
{
	kmv_buf out = KMV_BUF_INIT, title = KMV_BUF_INIT;
	kmv_ocr_lines lines = { NULL, NULL, 0, 0 };
	int error;

	if (strcmp(kind, "html") == 0)
		error = kmv_page__html_text(&out, &title, data->ptr, data->size,
					    NULL);
	else if (strcmp(kind, "pdf") == 0)
		error = kmv_page__pdf_text(&out, &title,
					   (const uint8_t *)data->ptr,
					   data->size, "bench");
	else if (engine)
		error = kmv_ocr__image_with(engine, &out, &lines,
					    (const uint8_t *)data->ptr,
					    data->size);
	else
		error = kmv_ocr__image(&out, &lines, (const uint8_t *)data->ptr,
				       data->size);
	kmv_ocr__lines_dispose(&lines);
	kmv_buf_dispose(&out);
	kmv_buf_dispose(&title);
	return error;
}

static int one_file(const char *kind, const char *path, int reps)
{
	kmv_buf data = KMV_BUF_INIT;
	double *t = calloc((size_t)reps, sizeof(*t));
	void *engine = NULL;
	int error = 0;

	if (!t || kmv_file_read(&data, path, (size_t)64 << 20) < 0) {
		fprintf(stderr, "bench_pages: cannot read %s\n", path);
		error = 1;
		goto done;
	}
	for (int i = 0; i < reps && !error; i++) {
		double t0 = now_ms();

		error = extract(kind, &data, NULL) < 0;
		t[i] = now_ms() - t0;
	}
	if (error) {
		fprintf(stderr, "bench_pages: %s: %s\n", path,
			kmv_error_last());
		goto done;
	}
	report(kind, t, reps);
	if (strcmp(kind, "ocr") == 0) {
		extract(kind, &data, &engine); /* load the engine once */
		for (int i = 0; i < reps; i++) {
			double t0 = now_ms();

			extract(kind, &data, &engine);
			t[i] = now_ms() - t0;
		}
		report("ocr_warm_engine", t, reps);
	}
done:
	kmv_ocr__engine_free(engine);
	kmv_buf_dispose(&data);
	free(t);
	return error;
}

static int folder(char **paths, int n)
{
	kmv_ocr_pool *pool = NULL;
	void *engine = NULL;
	double t0, seq, par;
	int error = 0;

	t0 = now_ms();
	for (int i = 0; i < n && !error; i++) {
		kmv_buf data = KMV_BUF_INIT;

		error = kmv_file_read(&data, paths[i], (size_t)64 << 20) < 0 ||
			extract("ocr", &data, &engine) < 0;
		kmv_buf_dispose(&data);
	}
	seq = now_ms() - t0;
	kmv_ocr__engine_free(engine);
	t0 = now_ms();
	if (!error &&
	    kmv_ocr_pool__start(&pool, paths, (size_t)n, (size_t)64 << 20) < 0)
		error = 1;
	for (int i = 0; i < n && !error; i++) {
		kmv_buf text = KMV_BUF_INIT;
		kmv_ocr_lines lines = { NULL, NULL, 0, 0 };
		int rc = 0;

		if (kmv_ocr_pool__take(pool, paths[i], &text, &lines, &rc) !=
			    1 ||
		    rc < 0)
			error = 1;
		kmv_ocr__lines_dispose(&lines);
		kmv_buf_dispose(&text);
	}
	par = now_ms() - t0;
	kmv_ocr_pool__free(pool);
	if (error) {
		fprintf(stderr, "bench_pages: folder: %s\n", kmv_error_last());
		return 1;
	}
	printf("folder_sequential %.2f %.2f %.2f %d\n", seq, seq, seq, n);
	printf("folder_pool %.2f %.2f %.2f %d\n", par, par, par, n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "folder") == 0)
		return folder(argv + 2, argc - 2);
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: bench_pages html|pdf|ocr FILE [REPS]\n"
				"       bench_pages folder PNG...\n");
		return 2;
	}
	return one_file(argv[1], argv[2], argc == 4 ? atoi(argv[3]) : 10);
}
