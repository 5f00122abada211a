/* SPDX-License-Identifier: MIT */
/* Saved pages and PDFs (lib/import/page.c): detection, HTML to text
 * through libxml2, PDF text through poppler-glib, their limits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "common.h"
#include "import/import.h"

static void test_page__sniff(void **state)
{
	const char *html = "\xEF\xBB\xBF  <!DOCTYPE html><html></html>";
	const char *mhtml =
		"From: <Saved by Blink>\r\nSnapshot-Content-Location: x\r\n";
	const char *pdf = "%PDF-1.4\n";
	const char *csv = "订单号,下单时间,金额\n";

	(void)state;
	assert_int_equal(kmv_page__sniff((const uint8_t *)html, strlen(html),
					 "a"),
			 KMV_PAGE_HTML);
	assert_int_equal(kmv_page__sniff((const uint8_t *)"<div>x</div>", 12,
					 "saved.HTM"),
			 KMV_PAGE_HTML);
	assert_int_equal(kmv_page__sniff((const uint8_t *)mhtml, strlen(mhtml),
					 "p"),
			 KMV_PAGE_MHTML);
	assert_int_equal(kmv_page__sniff((const uint8_t *)"x", 1, "p.mhtml"),
			 KMV_PAGE_MHTML);
	assert_int_equal(kmv_page__sniff((const uint8_t *)pdf, strlen(pdf),
					 "r"),
			 KMV_PAGE_PDF);
	assert_int_equal(kmv_page__sniff((const uint8_t *)csv, strlen(csv),
					 "o.csv"),
			 KMV_PAGE_NONE);
}

static void test_page__html_to_text(void **state)
{
	const char *html =
		"<html><head><title> 订单  详情 </title><style>p{}</style>"
		"<script>var no='FAKE';</script></head><body>"
		"<table><tr><td>订单号：</td><td>KM1</td></tr>"
		"<tr><td>实付金额：</td><td>&yen;9.90&nbsp;元</td></tr></table>"
		"<p>卡密：<br>AAA-BBB</p><div>a   b\n c</div>"
		"<unclosed><p>tail";
	kmv_buf text = KMV_BUF_INIT, title = KMV_BUF_INIT;

	(void)state;
	assert_int_equal(kmv_page__html_text(&text, &title, html, strlen(html),
					     "utf-8"),
			 0);
	assert_string_equal(title.ptr, "订单 详情");
	assert_non_null(strstr(text.ptr, "订单号：\tKM1\n"));
	assert_non_null(strstr(text.ptr, "实付金额：\t¥9.90 元\n"));
	assert_non_null(strstr(text.ptr, "卡密：\nAAA-BBB\n"));
	assert_non_null(strstr(text.ptr, "a b c\n"));
	assert_non_null(strstr(text.ptr, "tail\n"));
	assert_null(strstr(text.ptr, "FAKE"));
	assert_null(strstr(text.ptr, "p{}"));
	kmv_buf_dispose(&text);
	kmv_buf_dispose(&title);
}

/* A table row is one line whatever its cells hold (order lists). */
static void test_page__table_row_one_line(void **state)
{
	const char *html =
		"<table><thead><tr><th><div class=\"th-inner\">订单号</div>"
		"<div class=\"fht-cell\"></div></th><th><div>商品</div></th>"
		"<th>金额</th></tr></thead><tbody><tr><td>287240327193000115</td>"
		"<td><span><img src=x><span>腾讯视频</span></span>"
		"<div class=\"md-pair\"><div>类别</div><div>-</div></div></td>"
		"<td>&yen;30<br>元</td></tr></tbody></table>";
	kmv_buf text = KMV_BUF_INIT;

	(void)state;
	assert_int_equal(kmv_page__html_text(&text, NULL, html, strlen(html),
					     "utf-8"),
			 0);
	assert_string_equal(text.ptr,
			    "订单号\t商品\t金额\n"
			    "287240327193000115\t腾讯视频 类别 -\t¥30 "
			    "元\n");
	kmv_buf_dispose(&text);
}

static void test_page__html_gbk_meta_charset(void **state)
{
	/* 订单号 in GBK, declared by <meta charset> */
	const char html[] = "<html><head><meta charset=\"gbk\"></head><body>"
			    "<p>\xB6\xA9\xB5\xA5\xBA\xC5 X1</p></body></html>";
	kmv_buf text = KMV_BUF_INIT;

	(void)state;
	assert_int_equal(kmv_page__html_text(&text, NULL, html,
					     sizeof(html) - 1, NULL),
			 0);
	assert_non_null(strstr(text.ptr, "订单号 X1"));
	kmv_buf_dispose(&text);
}

static void test_page__deep_nesting_is_bounded(void **state)
{
	kmv_buf html = KMV_BUF_INIT, text = KMV_BUF_INIT;

	(void)state;
	for (int i = 0; i < 5000; i++)
		assert_int_equal(kmv_buf_puts(&html, "<div>"), 0);
	assert_int_equal(kmv_buf_puts(&html, "deep"), 0);
	assert_int_equal(kmv_page__html_text(&text, NULL, html.ptr, html.size,
					     "utf-8"),
			 0);
	kmv_buf_dispose(&html);
	kmv_buf_dispose(&text);
}

static void test_page__bad_pdf(void **state)
{
	const char bad[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog\nnot a pdf";
	kmv_buf text = KMV_BUF_INIT;

	(void)state;
	assert_int_equal(kmv_page__pdf_text(&text, NULL, (const uint8_t *)bad,
					    sizeof(bad) - 1, "bad.pdf"),
			 KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(), "not a readable PDF"));
	kmv_buf_dispose(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page__sniff),
		cmocka_unit_test(test_page__html_to_text),
		cmocka_unit_test(test_page__table_row_one_line),
		cmocka_unit_test(test_page__html_gbk_meta_charset),
		cmocka_unit_test(test_page__deep_nesting_is_bounded),
		cmocka_unit_test(test_page__bad_pdf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
