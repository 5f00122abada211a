/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <string.h>

#include "common.h"
#include "import/readers.h"

/* Rows collected as "line|cell|cell..." strings. */
struct rows {
	char text[4096];
	int n;
	int stop_after;
	int fail_at;
};

static int collect(const kmv_row *row, void *payload)
{
	struct rows *r = payload;
	size_t len = strlen(r->text);

	assert_null(row->is_number);
	len += (size_t)snprintf(r->text + len, sizeof(r->text) - len, "%lld",
				(long long)row->line);
	for (size_t i = 0; i < row->ncells; i++)
		len += (size_t)snprintf(r->text + len, sizeof(r->text) - len,
					"|%s", row->cells[i]);
	snprintf(r->text + len, sizeof(r->text) - len, "\n");
	r->n++;
	if (r->fail_at && r->n == r->fail_at) {
		kmv_error_set(KMV_ERROR_INPUT, "callback failed");
		return KMV_EINPUT;
	}
	if (r->stop_after && r->n == r->stop_after)
		return 1;
	return 0;
}

static int read_csv(struct rows *r, const char *text)
{
	memset(r->text, 0, sizeof(r->text));
	r->n = 0;
	return kmv_csv__read(text, strlen(text), ',', "t.csv", collect, r);
}

static void test_csv__trims_spaces_and_tabs(void **state)
{
	struct rows r = { .stop_after = 0 };

	(void)state;
	assert_int_equal(read_csv(&r, "a  ,  b\t,\t c \t\n"), 0);
	assert_string_equal(r.text, "1|a|b|c\n");
}

static void test_csv__crlf_and_no_final_newline(void **state)
{
	struct rows r = { .stop_after = 0 };

	(void)state;
	assert_int_equal(read_csv(&r, "a,b\r\nc,d\r\ne,f"), 0);
	assert_string_equal(r.text, "1|a|b\n2|c|d\n3|e|f\n");
}

static void test_csv__blank_and_comma_lines_skipped(void **state)
{
	struct rows r = { .stop_after = 0 };

	(void)state;
	assert_int_equal(read_csv(&r, "a\n\n,,,,\n\"\"\n  ,\t,\nb,c\n"), 0);
	assert_string_equal(r.text, "1|a\n6|b|c\n");
}

static void test_csv__trailing_comma_gives_empty_cell(void **state)
{
	struct rows r = { .stop_after = 0 };

	(void)state;
	assert_int_equal(read_csv(&r, "x ,y ,\n"), 0);
	assert_string_equal(r.text, "1|x|y|\n");
}

static void test_csv__tab_after_closing_quote(void **state)
{
	struct rows r = { .stop_after = 0 };

	(void)state;
	assert_int_equal(read_csv(&r, "\"4200001\"\t,\"/\"\t,z\n"), 0);
	assert_string_equal(r.text, "1|4200001|/|z\n");
}

static void test_csv__quotes_inside_unquoted_field(void **state)
{
	struct rows r = { .stop_after = 0 };

	(void)state;
	assert_int_equal(read_csv(&r, "ab\"c,d\n"), 0);
	assert_string_equal(r.text, "1|ab\"c|d\n");
}

static void test_csv__quoted_newline_keeps_start_line(void **state)
{
	struct rows r = { .stop_after = 0 };

	(void)state;
	assert_int_equal(read_csv(&r, "h\n\"multi\nline\",x\nlast\n"), 0);
	assert_string_equal(r.text, "1|h\n2|multi\nline|x\n4|last\n");
}

static void test_csv__unterminated_quote_is_rejected(void **state)
{
	struct rows r = { .stop_after = 0 };

	(void)state;
	assert_int_equal(read_csv(&r, "a,b\nc,\"open\nmore\n"), KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(), "t.csv:2:"));
	assert_non_null(strstr(kmv_error_last(), "unterminated"));
}

static void test_csv__callback_stop_and_fail(void **state)
{
	struct rows r = { .stop_after = 2 };

	(void)state;
	assert_int_equal(read_csv(&r, "a\nb\nc\n"), 0);
	assert_int_equal(r.n, 2);
	r.stop_after = 0;
	r.fail_at = 2;
	assert_int_equal(read_csv(&r, "a\nb\nc\n"), KMV_EINPUT);
	assert_int_equal(r.n, 2);
}

static void test_csv__bom_stripped_from_first_cell(void **state)
{
	struct rows r = { .stop_after = 0 };

	(void)state;
	assert_int_equal(read_csv(&r, "\xEF\xBB\xBF交易时间,金额\n"), 0);
	assert_string_equal(r.text, "1|交易时间|金额\n");
}

static void test_csv__tab_delimiter(void **state)
{
	struct rows r = { .stop_after = 0 };
	const char *t = "a\tb\n";

	(void)state;
	memset(r.text, 0, sizeof(r.text));
	assert_int_equal(kmv_csv__read(t, strlen(t), '\t', "t.tsv", collect,
				       &r),
			 0);
	assert_string_equal(r.text, "1|a|b\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv__trims_spaces_and_tabs),
		cmocka_unit_test(test_csv__crlf_and_no_final_newline),
		cmocka_unit_test(test_csv__blank_and_comma_lines_skipped),
		cmocka_unit_test(test_csv__trailing_comma_gives_empty_cell),
		cmocka_unit_test(test_csv__tab_after_closing_quote),
		cmocka_unit_test(test_csv__quotes_inside_unquoted_field),
		cmocka_unit_test(test_csv__quoted_newline_keeps_start_line),
		cmocka_unit_test(test_csv__unterminated_quote_is_rejected),
		cmocka_unit_test(test_csv__callback_stop_and_fail),
		cmocka_unit_test(test_csv__bom_stripped_from_first_cell),
		cmocka_unit_test(test_csv__tab_delimiter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
