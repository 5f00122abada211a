/* SPDX-License-Identifier: MIT */
/* Where a file goes: see detect.h for the order of the tests. */
#include "import/detect.h"
#include "import/readers.h"

#include <string.h>

static bool looks_like_json(const uint8_t *d, size_t len)
{
	size_t i = 0;

	if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
		i = 3;
	while (i < len &&
	       (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
		i++;
	return i < len && (d[i] == '[' || d[i] == '{');
}

static bool looks_binary(const uint8_t *d, size_t len)
{
	size_t n = len < 8192 ? len : 8192;

	return memchr(d, 0, n) != NULL;
}

/*
 * Whether one of the first 50 lines could be a table's header: two
 * commas, tabs or semicolons (an order export needs three columns).
 */
static bool delimited_text(const uint8_t *data, size_t len)
{
	int lines = 0, commas = 0, tabs = 0, semis = 0;

	for (size_t i = 0; i < len && lines < 50; i++) {
		switch (data[i]) {
		case ',': commas++; break;
		case '\t': tabs++; break;
		case ';': semis++; break;
		case '\n':
			lines++;
			commas = tabs = semis = 0;
			break;
		default: break;
		}
		if (commas >= 2 || tabs >= 2 || semis >= 2)
			return true;
	}
	return false;
}

/* The one place ZIP magic is tested: a ZIP that is not a workbook is an
 * archive of sources; a workbook is read by the statement/order readers. */
bool kmv_detect__is_zip(const uint8_t *data, size_t len)
{
	return len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0;
}

void kmv_detect__dispose(kmv_detection *d)
{
	kmv_xlsx__close(d->book);
	d->book = NULL;
}

static kmv_import_kind sniff(const kmv_detection *d, const uint8_t *data,
			     size_t len)
{
	return kmv_statement__sniff(data, len, d->book);
}

static void route_statement(kmv_detection *out, kmv_import_kind kind,
			    kmv_import_kind found)
{
	out->route = KMV_ROUTE_STATEMENT;
	out->kind = kind;
	out->found = found;
}

/*
 * Where a file that is not a workbook goes, forced nothing and no profile
 * given: from its content alone, the cheapest and surest tests first.
 */
static void detect_content(kmv_detection *out, const kmv_import_file *file)
{
	const uint8_t *data = file->data;
	size_t len = file->len;
	kmv_import_kind found;

	out->page = kmv_page__sniff(data, len, file->name);
	if (out->page != KMV_PAGE_NONE) {
		out->route = KMV_ROUTE_PAGE;
		return;
	}
	if (looks_binary(data, len)) {
		out->route = KMV_ROUTE_BINARY;
		return;
	}
	if (kmv_mail__sniff(data, len)) {
		out->route = KMV_ROUTE_MAIL;
		return;
	}
	if (looks_like_json(data, len)) {
		out->route = KMV_ROUTE_ORDERS;
		return;
	}
	if ((found = sniff(out, data, len)) != KMV_IMPORT_AUTO) {
		route_statement(out, KMV_IMPORT_AUTO, found);
		return;
	}
	out->unsupported = kmv_statement__unsupported(data, len,
						      &out->skip_reason);
	if (out->unsupported) {
		out->route = KMV_ROUTE_UNSUPPORTED;
		return;
	}
	/* Text copied from a page ("订单号：…" lines) has no table in it. */
	if (!delimited_text(data, len)) {
		out->route = KMV_ROUTE_PAGE;
		out->page = KMV_PAGE_TEXT;
		return;
	}
	out->route = KMV_ROUTE_ORDERS;
}

int kmv_detect__file(kmv_detection *out, const kmv_import_file *file,
		     kmv_import_kind forced, bool has_profile)
{
	const uint8_t *data = file->data;
	size_t len = file->len;
	kmv_import_kind found;

	memset(out, 0, sizeof *out);
	out->kind = KMV_IMPORT_AUTO;
	out->found = KMV_IMPORT_AUTO;
	if (len == 0) {
		out->route = KMV_ROUTE_EMPTY;
		return 0;
	}
	if ((out->zip = kmv_detect__is_zip(data, len))) {
		int error = kmv_xlsx__open(&out->book, data, len,
					   file->display);

		if (error < 0)
			return error;
		if (!out->book && forced != KMV_IMPORT_EMAIL) {
			out->route = KMV_ROUTE_ARCHIVE;
			return 0;
		}
	}
	switch (forced) {
	case KMV_IMPORT_ALIPAY:
	case KMV_IMPORT_WECHAT:
	case KMV_IMPORT_JD:
		route_statement(out, forced, sniff(out, data, len));
		return 0;
	case KMV_IMPORT_ORDERS: out->route = KMV_ROUTE_ORDERS; return 0;
	case KMV_IMPORT_EMAIL: out->route = KMV_ROUTE_MAIL; return 0;
	case KMV_IMPORT_AUTO: break;
	}
	if (has_profile) {
		out->route = KMV_ROUTE_ORDERS;
		return 0;
	}
	if (out->book) {
		found = sniff(out, data, len);
		if (found != KMV_IMPORT_AUTO)
			route_statement(out, KMV_IMPORT_AUTO, found);
		else
			out->route = KMV_ROUTE_ORDERS;
		return 0;
	}
	detect_content(out, file);
	return 0;
}
