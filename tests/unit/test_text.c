/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <string.h>

#include "common.h"
#include "import/readers.h"

/* "交易" in GBK */
static const char gbk_jiaoyi[] = "\xBD\xBB\xD2\xD7";

static void test_text__utf8_passes_through(void **state)
{
	kmv_buf out = KMV_BUF_INIT;
	const char *s = "交易时间,金额\n";

	(void)state;
	assert_int_equal(kmv_text__to_utf8(&out, (const uint8_t *)s, strlen(s),
					   "auto", "a.csv"),
			 0);
	assert_string_equal(out.ptr, s);
	kmv_buf_dispose(&out);
}

static void test_text__bom_is_dropped(void **state)
{
	kmv_buf out = KMV_BUF_INIT;
	const char *s = "\xEF\xBB\xBF微信支付账单明细";

	(void)state;
	assert_int_equal(kmv_text__to_utf8(&out, (const uint8_t *)s, strlen(s),
					   "auto", "a.csv"),
			 0);
	assert_string_equal(out.ptr, "微信支付账单明细");
	kmv_buf_dispose(&out);
	assert_int_equal(kmv_text__to_utf8(&out, (const uint8_t *)s, strlen(s),
					   "utf-8", "a.csv"),
			 0);
	assert_string_equal(out.ptr, "微信支付账单明细");
	kmv_buf_dispose(&out);
}

static void test_text__gbk_is_detected(void **state)
{
	kmv_buf out = KMV_BUF_INIT;
	char in[64];

	(void)state;
	snprintf(in, sizeof(in), "%s,12.00\r\n", gbk_jiaoyi);
	assert_int_equal(kmv_text__to_utf8(&out, (const uint8_t *)in,
					   strlen(in), "auto", "a.csv"),
			 0);
	assert_string_equal(out.ptr, "交易,12.00\r\n");
	kmv_buf_dispose(&out);
	assert_int_equal(kmv_text__to_utf8(&out, (const uint8_t *)in,
					   strlen(in), "gb18030", "a.csv"),
			 0);
	assert_string_equal(out.ptr, "交易,12.00\r\n");
	kmv_buf_dispose(&out);
}

static void test_text__gb18030_four_byte(void **state)
{
	/* U+20000 (𠀀) is a four-byte GB18030 sequence: 95 32 82 36 */
	const uint8_t in[] = { 0x95, 0x32, 0x82, 0x36, 'x' };
	kmv_buf out = KMV_BUF_INIT;

	(void)state;
	assert_int_equal(kmv_text__to_utf8(&out, in, sizeof(in), "gb18030",
					   "a"),
			 0);
	assert_string_equal(out.ptr, "\xF0\xA0\x80\x80x");
	kmv_buf_dispose(&out);
}

static void test_text__invalid_gbk_names_line(void **state)
{
	/* 0x81 0x20 is not a GBK/GB18030 sequence */
	const char in[] = "line one\nline two\nbad \x81\x20 here\n";
	kmv_buf out = KMV_BUF_INIT;

	(void)state;
	assert_int_equal(kmv_text__to_utf8(&out, (const uint8_t *)in,
					   strlen(in), "auto", "bad.csv"),
			 KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(), "bad.csv:3:"));
	assert_int_equal(out.size, 0);
	kmv_buf_dispose(&out);
}

static void test_text__invalid_utf8_when_forced(void **state)
{
	const char in[] = "ok\n\xC3\x28\n";
	kmv_buf out = KMV_BUF_INIT;

	(void)state;
	assert_int_equal(kmv_text__to_utf8(&out, (const uint8_t *)in,
					   strlen(in), "utf-8", "u.csv"),
			 KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(), "u.csv:2:"));
	kmv_buf_dispose(&out);
}

static void test_text__truncated_gbk_at_end(void **state)
{
	const char in[] = "abc\xBD";
	kmv_buf out = KMV_BUF_INIT;

	(void)state;
	assert_int_equal(kmv_text__to_utf8(&out, (const uint8_t *)in,
					   strlen(in), "gb18030", "t.csv"),
			 KMV_EINPUT);
	kmv_buf_dispose(&out);
}

static void test_text__empty_input(void **state)
{
	kmv_buf out = KMV_BUF_INIT;

	(void)state;
	assert_int_equal(kmv_text__to_utf8(&out, (const uint8_t *)"", 0, "auto",
					   "e"),
			 0);
	assert_int_equal(out.size, 0);
	kmv_buf_dispose(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text__utf8_passes_through),
		cmocka_unit_test(test_text__bom_is_dropped),
		cmocka_unit_test(test_text__gbk_is_detected),
		cmocka_unit_test(test_text__gb18030_four_byte),
		cmocka_unit_test(test_text__invalid_gbk_names_line),
		cmocka_unit_test(test_text__invalid_utf8_when_forced),
		cmocka_unit_test(test_text__truncated_gbk_at_end),
		cmocka_unit_test(test_text__empty_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
