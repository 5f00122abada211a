/* SPDX-License-Identifier: MIT */
/*
 * The OCR pool (lib/import/ocr_pool.c): results come back per path, the
 * same text as a single OCR, errors restored on the taking thread, a path
 * not in the pool or taken twice is "not mine", and freeing a pool with
 * results never taken is clean (ASan, TSan).
 */
#include "testutil.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "kmv/error.h"
#include "kmvutil/file.h"

/* A screenshot-like PNG: black text on white (cairo's toy text API). */
static void write_png(const char *path, const char *line1, const char *line2)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 640,
							160);
	cairo_t *cr = cairo_create(s);

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 28);
	cairo_move_to(cr, 20, 60);
	cairo_show_text(cr, line1);
	cairo_move_to(cr, 20, 120);
	cairo_show_text(cr, line2);
	cairo_destroy(cr);
	assert_int_equal(cairo_surface_write_to_png(s, path),
			 CAIRO_STATUS_SUCCESS);
	cairo_surface_destroy(s);
}

static void test_ocr_pool__results_by_path(void **state)
{
	char *dir = kmv_test_tmpdir();
	char a[512], b[512], bad[512], missing[512];
	char *paths[4] = { a, bad, b, missing };
	kmv_buf text = KMV_BUF_INIT, single = KMV_BUF_INIT, data = KMV_BUF_INIT;
	kmv_ocr_lines lines = { 0 }, l2 = { 0 };
	kmv_ocr_pool *pool = NULL;
	FILE *f;
	int error = 0;

	(void)state;
	snprintf(a, sizeof(a), "%s/a.png", dir);
	snprintf(b, sizeof(b), "%s/b.png", dir);
	snprintf(bad, sizeof(bad), "%s/bad.png", dir);
	snprintf(missing, sizeof(missing), "%s/missing.png", dir);
	write_png(a, "Order No ABC12345", "Total 9.90");
	write_png(b, "Order No XYZ67890", "Total 19.90");
	f = fopen(bad, "wb");
	assert_non_null(f);
	fputs("\x89PNG\r\n\x1a\n not really", f);
	fclose(f);

	assert_int_equal(kmv_ocr_pool__start(&pool, paths, 4, 1 << 20), 0);
	/* not one of the pool's */
	assert_int_equal(kmv_ocr_pool__take(pool, "/nowhere.png", &text, &lines,
					    &error),
			 0);
	assert_int_equal(kmv_ocr_pool__take(pool, a, &text, &lines, &error), 1);
	assert_int_equal(error, 0);
	assert_non_null(strstr(text.ptr, "ABC12345"));
	assert_true(lines.count >= 1);
	/* the same text and lines as one OCR on this thread */
	assert_int_equal(kmv_file_read(&data, a, 1 << 20), 0);
	assert_int_equal(kmv_ocr__image(&single, &l2, (const uint8_t *)data.ptr,
					data.size),
			 0);
	assert_string_equal(text.ptr, single.ptr);
	assert_int_equal(lines.count, l2.count);
	/* taken twice: no longer the pool's */
	assert_int_equal(kmv_ocr_pool__take(pool, a, &text, &lines, &error), 0);
	/* a corrupt picture: the OCR's error, restored here */
	kmv_buf_clear(&text);
	assert_int_equal(kmv_ocr_pool__take(pool, bad, &text, &lines, &error),
			 1);
	assert_int_equal(error, KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(), "not a readable image"));
	/* b is left for kmv_ocr_pool__free; the missing file likewise */
	kmv_ocr_pool__free(pool);
	kmv_ocr_pool__free(NULL);

	kmv_ocr__lines_dispose(&lines);
	kmv_ocr__lines_dispose(&l2);
	kmv_buf_dispose(&text);
	kmv_buf_dispose(&single);
	kmv_buf_dispose(&data);
	kmv_test_rmdir(dir);
	free(dir);
	/* cairo's toy font API leaves fontconfig's cache for exit */
	cairo_debug_reset_static_data();
	FcFini();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ocr_pool__results_by_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
