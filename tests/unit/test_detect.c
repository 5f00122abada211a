/* SPDX-License-Identifier: MIT */
/* Where a file goes (lib/import/detect.c): every route, from real-format
 * files and from the edge cases between them. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "import/detect.h"
#include "import/statement.h"

static kmv_detection detect_file(const char *path, kmv_import_kind forced,
				 bool has_profile)
{
	kmv_detection d;
	kmv_import_file f;
	size_t len;
	unsigned char *data = kmv_test_slurp(path, &len);

	assert_non_null(data);
	memset(&f, 0, sizeof(f));
	f.data = data;
	f.len = len;
	f.name = f.display = strrchr(path, '/') + 1;
	assert_int_equal(kmv_detect__file(&d, &f, forced, has_profile), 0);
	/* A workbook is opened once, here, and handed on. */
	assert_true(d.book == NULL || d.zip);
	kmv_detect__dispose(&d);
	free(data);
	return d;
}

static void detect_bytes(kmv_detection *d, const void *data, size_t len,
			 const char *name, kmv_import_kind forced)
{
	kmv_import_file f;

	memset(&f, 0, sizeof(f));
	f.data = data;
	f.len = len;
	f.name = f.display = name;
	assert_int_equal(kmv_detect__file(d, &f, forced, false), 0);
	assert_null(d->book);
}

static kmv_detection detect_text(const char *text, const char *name)
{
	kmv_detection d;

	detect_bytes(&d, text, strlen(text), name, KMV_IMPORT_AUTO);
	return d;
}

static void test_detect__samples(void **state)
{
	(void)state;
	assert_int_equal(detect_file(KMV_SAMPLES_DIR "/alipay_2024-03.csv",
				     KMV_IMPORT_AUTO, false)
				 .route,
			 KMV_ROUTE_STATEMENT);
	assert_int_equal(detect_file(KMV_SAMPLES_DIR "/wechat_2024-03.csv",
				     KMV_IMPORT_AUTO, false)
				 .route,
			 KMV_ROUTE_STATEMENT);
	/* A workbook is a ZIP but not an archive of sources. */
	assert_int_equal(detect_file(KMV_SAMPLES_DIR "/wechat_2026-04.xlsx",
				     KMV_IMPORT_AUTO, false)
				 .route,
			 KMV_ROUTE_STATEMENT);
	assert_int_equal(detect_file(KMV_SAMPLES_DIR "/alipay_2024-03.zip",
				     KMV_IMPORT_AUTO, false)
				 .route,
			 KMV_ROUTE_ARCHIVE);
	assert_int_equal(detect_file(KMV_SAMPLES_DIR "/dujiaoka_orders.csv",
				     KMV_IMPORT_AUTO, false)
				 .route,
			 KMV_ROUTE_ORDERS);
	assert_int_equal(detect_file(KMV_SAMPLES_DIR "/receipt_dujiaoka.eml",
				     KMV_IMPORT_AUTO, false)
				 .route,
			 KMV_ROUTE_MAIL);
	assert_int_equal(detect_file(KMV_TEST_DATA "/jd/jd_example_records.csv",
				     KMV_IMPORT_AUTO, false)
				 .route,
			 KMV_ROUTE_STATEMENT);
	assert_int_equal(detect_file(KMV_TEST_DATA "/shops/zfaka_t_order.json",
				     KMV_IMPORT_AUTO, false)
				 .route,
			 KMV_ROUTE_ORDERS);
}

static void test_detect__unsupported_statement(void **state)
{
	kmv_detection d = detect_file(KMV_TEST_DATA
				      "/meituan/meituan_example.csv",
				      KMV_IMPORT_AUTO, false);

	(void)state;
	assert_int_equal(d.route, KMV_ROUTE_UNSUPPORTED);
	assert_non_null(d.unsupported);
	assert_non_null(strstr(d.unsupported, "美团"));
	assert_non_null(d.skip_reason);
}

static void test_detect__forced_kind_and_profile(void **state)
{
	kmv_detection d;

	(void)state;
	d = detect_file(KMV_SAMPLES_DIR "/alipay_2024-03.csv", KMV_IMPORT_JD,
			false);
	assert_int_equal(d.route, KMV_ROUTE_STATEMENT);
	assert_int_equal(d.kind, KMV_IMPORT_JD);
	/* A forced statement kind still opens an archive first ... */
	assert_int_equal(detect_file(KMV_SAMPLES_DIR "/alipay_2024-03.zip",
				     KMV_IMPORT_ALIPAY, false)
				 .route,
			 KMV_ROUTE_ARCHIVE);
	/* ... but --kind email reads whatever it is given as mail. */
	assert_int_equal(detect_file(KMV_SAMPLES_DIR "/alipay_2024-03.zip",
				     KMV_IMPORT_EMAIL, false)
				 .route,
			 KMV_ROUTE_MAIL);
	assert_int_equal(detect_file(KMV_SAMPLES_DIR "/alipay_2024-03.csv",
				     KMV_IMPORT_ORDERS, false)
				 .route,
			 KMV_ROUTE_ORDERS);
	/* A profile makes a statement-looking file an order export. */
	assert_int_equal(detect_file(KMV_SAMPLES_DIR "/alipay_2024-03.csv",
				     KMV_IMPORT_AUTO, true)
				 .route,
			 KMV_ROUTE_ORDERS);
	assert_int_equal(detect_file(KMV_SAMPLES_DIR "/alipay_2024-03.zip",
				     KMV_IMPORT_AUTO, true)
				 .route,
			 KMV_ROUTE_ARCHIVE);
}

static void test_detect__edges(void **state)
{
	static const uint8_t binary[] = { 0x89, 'P',  'N',  'G', '\r',
					  '\n', 0x1a, '\n', 0 };
	static const uint8_t bogus_png[] = { 'x', 'y', 0, 'z' };
	kmv_detection d;

	(void)state;
	detect_bytes(&d, "", 0, "a.csv", KMV_IMPORT_AUTO);
	assert_int_equal(d.route, KMV_ROUTE_EMPTY);
	/* Empty beats a forced kind: there is nothing to read. */
	detect_bytes(&d, "", 0, "a.csv", KMV_IMPORT_JD);
	assert_int_equal(d.route, KMV_ROUTE_EMPTY);
	detect_bytes(&d, binary, sizeof binary, "shot.png", KMV_IMPORT_AUTO);
	assert_int_equal(d.route, KMV_ROUTE_PAGE);
	assert_int_equal(d.page, KMV_PAGE_IMAGE);
	detect_bytes(&d, bogus_png, sizeof bogus_png, "blob.bin",
		     KMV_IMPORT_AUTO);
	assert_int_equal(d.route, KMV_ROUTE_BINARY);

	d = detect_text("<!DOCTYPE html><html><body>订单</body></html>", "p");
	assert_int_equal(d.route, KMV_ROUTE_PAGE);
	assert_int_equal(d.page, KMV_PAGE_HTML);
	d = detect_text("%PDF-1.4\n", "r.pdf");
	assert_int_equal(d.page, KMV_PAGE_PDF);
	/* JSON after a BOM and white space. */
	assert_int_equal(detect_text("\xEF\xBB\xBF \n [{\"a\":1}]", "o").route,
			 KMV_ROUTE_ORDERS);
	/* Lines pasted from a page have no table: page text. */
	d = detect_text("订单号：KM1\n金额：10.00\n", "paste.txt");
	assert_int_equal(d.route, KMV_ROUTE_PAGE);
	assert_int_equal(d.page, KMV_PAGE_TEXT);
	/* Two separators on a line make a header: an order export. */
	assert_int_equal(
		detect_text("订单号,商品,金额\nKM1,卡,1.00\n", "o.csv").route,
		KMV_ROUTE_ORDERS);
	assert_int_equal(detect_text("订单号\t商品\t金额\n", "o.tsv").route,
			 KMV_ROUTE_ORDERS);
}

/* A workbook is opened once: detection keeps the book and what the sniff
 * of its rows found, for the importer; a plain ZIP has no book. */
static void test_detect__workbook_opened_once(void **state)
{
	kmv_detection d;
	kmv_import_file f;
	size_t len;
	unsigned char *data = kmv_test_slurp(KMV_SAMPLES_DIR
					     "/wechat_2026-04.xlsx",
					     &len);

	(void)state;
	assert_non_null(data);
	memset(&f, 0, sizeof(f));
	f.data = data;
	f.len = len;
	f.name = f.display = "w.xlsx";
	assert_int_equal(kmv_detect__file(&d, &f, KMV_IMPORT_AUTO, false), 0);
	assert_int_equal(d.route, KMV_ROUTE_STATEMENT);
	assert_true(d.zip);
	assert_non_null(d.book);
	assert_int_equal(d.kind, KMV_IMPORT_AUTO);
	assert_int_equal(d.found, KMV_IMPORT_WECHAT);
	kmv_detect__dispose(&d);
	/* --kind jd: the importer is told the markers say WeChat. */
	assert_int_equal(kmv_detect__file(&d, &f, KMV_IMPORT_JD, false), 0);
	assert_int_equal(d.kind, KMV_IMPORT_JD);
	assert_int_equal(d.found, KMV_IMPORT_WECHAT);
	kmv_detect__dispose(&d);
	free(data);

	data = kmv_test_slurp(KMV_SAMPLES_DIR "/alipay_2024-03.zip", &len);
	assert_non_null(data);
	f.data = data;
	f.len = len;
	assert_int_equal(kmv_detect__file(&d, &f, KMV_IMPORT_AUTO, false), 0);
	assert_int_equal(d.route, KMV_ROUTE_ARCHIVE);
	assert_true(d.zip);
	assert_null(d.book);
	kmv_detect__dispose(&d);
	free(data);
}

/* The table of statement sources: every row is complete, and each of its
 * markers, in UTF-8 and in GBK, makes a text file that source's. */
static void test_detect__statement_source_table(void **state)
{
	size_t n = 0;

	(void)state;
	for (const st_source *const *src = kmv_statement__sources; *src;
	     src++) {
		n++;
		assert_non_null((*src)->kind);
		assert_non_null((*src)->label);
		assert_non_null((*src)->markers);
		assert_non_null((*src)->markers[0].utf8);
		for (const st_marker *m = (*src)->markers; m->utf8; m++) {
			char text[256];

			assert_non_null(m->gbk);
			snprintf(text, sizeof(text), "# header\n%s,x\n",
				 m->utf8);
			assert_int_equal(
				kmv_statement__sniff((const uint8_t *)text,
						     strlen(text), NULL),
				(*src)->import_kind);
			snprintf(text, sizeof(text), "%s\r\n", m->gbk);
			assert_int_equal(
				kmv_statement__sniff((const uint8_t *)text,
						     strlen(text), NULL),
				(*src)->import_kind);
		}
	}
	assert_int_equal(n, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect__samples),
		cmocka_unit_test(test_detect__unsupported_statement),
		cmocka_unit_test(test_detect__forced_kind_and_profile),
		cmocka_unit_test(test_detect__edges),
		cmocka_unit_test(test_detect__workbook_opened_once),
		cmocka_unit_test(test_detect__statement_source_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
