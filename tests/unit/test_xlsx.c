/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "import/import.h"
#include "import/readers.h"

/* Build a ZIP in memory from name/content pairs (NULL-terminated). */
static uint8_t *make_zip(size_t *len, const char *const *parts)
{
	size_t cap = 1 << 20, used = 0;
	uint8_t *buf = malloc(cap);
	struct archive *a = archive_write_new();

	archive_write_set_format_zip(a);
	assert_int_equal(archive_write_open_memory(a, buf, cap, &used),
			 ARCHIVE_OK);
	for (size_t i = 0; parts[i]; i += 2) {
		struct archive_entry *e = archive_entry_new();
		size_t n = strlen(parts[i + 1]);

		archive_entry_set_pathname(e, parts[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)n);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, parts[i + 1], n),
				 (la_ssize_t)n);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	*len = used;
	return buf;
}

#define WB_HEAD \
	"<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
#define RELS_HEAD \
	"<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
#define WS_HEAD \
	"<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
#define WS_TAIL "</sheetData></worksheet>"

struct rows {
	char text[4096];
	int n;
	int stop_after;
};

/* Whether kmv_xlsx__open takes the bytes for a spreadsheet package. */
static bool is_workbook(const uint8_t *data, size_t len)
{
	kmv_xlsx *book = NULL;

	assert_int_equal(kmv_xlsx__open(&book, data, len, "t.xlsx"), 0);
	kmv_xlsx__close(book);
	return book != NULL;
}

static int collect(const kmv_row *row, void *payload)
{
	struct rows *r = payload;
	size_t len = strlen(r->text);

	len += (size_t)snprintf(r->text + len, sizeof(r->text) - len, "%lld",
				(long long)row->line);
	for (size_t i = 0; i < row->ncells; i++)
		len += (size_t)snprintf(r->text + len, sizeof(r->text) - len,
					"|%s%s", row->is_number[i] ? "#" : "",
					row->cells[i]);
	snprintf(r->text + len, sizeof(r->text) - len, "\n");
	r->n++;
	return r->stop_after && r->n == r->stop_after ? 1 : 0;
}

static const char *const two_sheets[] = {
	"[Content_Types].xml",
	"<Types/>",
	"xl/workbook.xml",
	WB_HEAD
	"<sheet name=\"Other\" sheetId=\"1\" r:id=\"rId1\"/>"
	"<sheet name=\"Sheet1\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>",
	"xl/_rels/workbook.xml.rels",
	RELS_HEAD "<Relationship Id=\"rId1\" Target=\"worksheets/a.xml\"/>"
		  "<Relationship Id=\"rId2\" Target=\"/xl/worksheets/b.xml\"/>"
		  "</Relationships>",
	"xl/sharedStrings.xml",
	"<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
	"<si><t>交易时间</t></si>"
	"<si><r><t>金额</t></r><r><t>(元)</t></r><rPh><t>ignored</t></rPh></si>"
	"<si><t xml:space=\"preserve\">  4200001\t</t></si></sst>",
	"xl/worksheets/a.xml",
	WS_HEAD
	"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>other</t></is></c></row>" WS_TAIL,
	"xl/worksheets/b.xml",
	WS_HEAD
	"<row r=\"3\"><c r=\"A3\" t=\"s\"><v>0</v></c><c r=\"C3\" t=\"s\"><v>1</v></c></row>"
	"<row r=\"4\"><c r=\"A4\"><v>45383.4270833333</v></c><c r=\"B4\" s=\"1\" t=\"n\"><v>1234.5</v></c>"
	"<c r=\"C4\" t=\"s\"><v>2</v></c><c r=\"D4\" t=\"inlineStr\"><is><t>a&amp;b</t></is></c>"
	"<c r=\"E4\" t=\"b\"><v>1</v></c><c r=\"F4\" t=\"str\"><v>x</v></c></row>"
	"<row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><t>  </t></is></c></row>"
	"<row><c t=\"inlineStr\"><is><t>p</t></is></c><c><v>12</v></c></row>" WS_TAIL,
	NULL
};

static void test_xlsx__reads_named_sheet_raw_values(void **state)
{
	struct rows r;
	size_t len;
	uint8_t *zip = make_zip(&len, two_sheets);

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_true(is_workbook(zip, len));
	assert_int_equal(kmv_xlsx__read(zip, len, NULL, "b.xlsx", collect, &r),
			 0);
	assert_string_equal(r.text,
			    "3|交易时间||金额(元)\n"
			    "4|#45383.4270833333|#1234.5|4200001|a&b|TRUE|x\n"
			    "6|p|#12\n");
	memset(&r, 0, sizeof(r));
	assert_int_equal(kmv_xlsx__read(zip, len, "Other", "b.xlsx", collect,
					&r),
			 0);
	assert_string_equal(r.text, "1|other\n");
	assert_int_equal(kmv_xlsx__read(zip, len, "Nope", "b.xlsx", collect,
					&r),
			 KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(), "Nope"));
	free(zip);
}

static void test_xlsx__first_sheet_fallback_and_stop(void **state)
{
	static const char *const parts[] = {
		"xl/workbook.xml",
		WB_HEAD
		"<sheet name=\"账单\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
		"xl/worksheets/sheet1.xml",
		WS_HEAD
		"<row r=\"1\"><c r=\"B1\" t=\"inlineStr\"><is><t>b</t></is></c></row>"
		"<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>c</t></is></c></row>" WS_TAIL,
		NULL
	};
	struct rows r;
	size_t len;
	uint8_t *zip = make_zip(&len, parts);

	(void)state;
	memset(&r, 0, sizeof(r));
	r.stop_after = 1;
	assert_int_equal(kmv_xlsx__read(zip, len, NULL, "f.xlsx", collect, &r),
			 0);
	assert_string_equal(r.text, "1||b\n");
	free(zip);
}

static void test_xlsx__truncated_is_rejected(void **state)
{
	size_t len;
	uint8_t *zip = make_zip(&len, two_sheets);
	struct rows r;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(kmv_xlsx__read(zip, len / 2, NULL, "cut.xlsx", collect,
					&r),
			 KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(), "cut.xlsx"));
	free(zip);
}

static void test_xlsx__malformed_xml_is_rejected(void **state)
{
	static const char *const parts[] = {
		"xl/workbook.xml",
		WB_HEAD
		"<sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
		"xl/worksheets/sheet1.xml",
		WS_HEAD "<row r=\"1\"><c><v>1</c></row>" WS_TAIL, NULL
	};
	size_t len;
	uint8_t *zip = make_zip(&len, parts);
	struct rows r;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(kmv_xlsx__read(zip, len, NULL, "m.xlsx", collect, &r),
			 KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(), "malformed XML"));
	free(zip);
}

static void test_xlsx__plain_zip_is_not_a_workbook(void **state)
{
	static const char *const parts[] = { "a.csv", "x,y\n", NULL };
	size_t len;
	uint8_t *zip = make_zip(&len, parts);
	struct rows r;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_false(is_workbook(zip, len));
	assert_false(is_workbook((const uint8_t *)"PK\x03\x04", 4));
	assert_int_equal(kmv_xlsx__read(zip, len, NULL, "z.zip", collect, &r),
			 KMV_EINPUT);
	free(zip);
}

static void test_xlsx__sample_wechat_v2(void **state)
{
	size_t len;
	unsigned char *data = kmv_test_slurp(KMV_SAMPLES_DIR
					     "/wechat_2026-04.xlsx",
					     &len);
	struct rows r;

	(void)state;
	assert_non_null(data);
	memset(&r, 0, sizeof(r));
	assert_true(is_workbook(data, len));
	assert_int_equal(kmv_xlsx__read(data, len, NULL, "w.xlsx", collect, &r),
			 0);
	assert_non_null(strstr(r.text, "18|交易时间|交易类型|"));
	assert_non_null(strstr(r.text, "|#1234.5|"));
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xlsx__reads_named_sheet_raw_values),
		cmocka_unit_test(test_xlsx__first_sheet_fallback_and_stop),
		cmocka_unit_test(test_xlsx__truncated_is_rejected),
		cmocka_unit_test(test_xlsx__malformed_xml_is_rejected),
		cmocka_unit_test(test_xlsx__plain_zip_is_not_a_workbook),
		cmocka_unit_test(test_xlsx__sample_wechat_v2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
