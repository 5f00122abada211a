/* SPDX-License-Identifier: MIT */
/*
 * TEMPORARY minimal readers (issue 4) until the real ones from the
 * statements branch land in main: text decoding through iconv and CSV
 * through libcsv.  XLSX is reported as unsupported.  Delete this file
 * after `git merge main` brings lib/import/readers.c.
 */
#include "common.h"
#include "import/readers.h"
#include "kmv/util.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>

int kmv_text__to_utf8(kmv_buf *out, const uint8_t *data, size_t len,
		      const char *encoding, const char *display)
{
	bool utf8 = false;
	iconv_t cd;
	char *in, *o;
	size_t inleft, oleft;
	int error = 0;

	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
		utf8 = true;
	}
	if (!encoding || strcmp(encoding, "auto") == 0)
		utf8 = utf8 || kmv_utf8_valid((const char *)data, len);
	else
		utf8 = strcmp(encoding, "utf-8") == 0;
	if (utf8) {
		if (!kmv_utf8_valid((const char *)data, len)) {
			kmv_error_set(KMV_ERROR_INPUT, "%s: not valid UTF-8",
				      display);
			return KMV_EINPUT;
		}
		return kmv_buf_put(out, data, len);
	}
	cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1) {
		kmv_error_set_os("iconv");
		return KMV_ERROR;
	}
	KMV_TRY(kmv_buf_grow(out, len * 2 + 16));
	in = (char *)data;
	inleft = len;
	o = out->ptr + out->size;
	oleft = out->asize - out->size - 1;
	if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1) {
		kmv_error_set(KMV_ERROR_INPUT, "%s: invalid GB18030 text",
			      display);
		error = KMV_EINPUT;
		goto done;
	}
	out->size = (size_t)(o - out->ptr);
	out->ptr[out->size] = '\0';
done:
	iconv_close(cd);
	return error;
}

struct csv_state {
	kmv_buf *cells;
	size_t n, alloc;
	char **vec;
	int64_t line, row_line;
	kmv_row_cb cb;
	void *payload;
	int rc;
};

static void on_field(void *s, size_t len, void *payload)
{
	struct csv_state *st = payload;
	char *copy;

	if (st->rc)
		return;
	if (st->n == 0)
		st->row_line = st->line;
	if (st->n == st->alloc) {
		size_t na = st->alloc ? st->alloc * 2 : 32;
		char **nv = realloc(st->vec, na * sizeof(*nv));

		if (!nv) {
			st->rc = kmv_error_nomem();
			return;
		}
		st->vec = nv;
		st->alloc = na;
	}
	copy = malloc(len + 1);
	if (!copy) {
		st->rc = kmv_error_nomem();
		return;
	}
	if (len)
		memcpy(copy, s, len);
	copy[len] = '\0';
	st->vec[st->n++] = kmv_trim(copy);
}

static void clear_row(struct csv_state *st)
{
	for (size_t i = 0; i < st->n; i++)
		free(st->vec[i]);
	st->n = 0;
}

static void on_row(int c, void *payload)
{
	struct csv_state *st = payload;
	kmv_row row;
	bool blank = true;

	(void)c;
	if (st->rc) {
		clear_row(st);
		return;
	}
	for (size_t i = 0; i < st->n; i++)
		if (st->vec[i][0])
			blank = false;
	if (!blank) {
		memset(&row, 0, sizeof(row));
		row.line = st->row_line;
		row.ncells = st->n;
		row.cells = (const char *const *)st->vec;
		st->rc = st->cb(&row, st->payload);
	}
	clear_row(st);
}

int kmv_csv__read(const char *text, size_t len, char delimiter,
		  const char *display, kmv_row_cb cb, void *payload)
{
	struct csv_parser p;
	struct csv_state st;
	const char *s = text, *end = text + len;
	int error = 0;

	memset(&st, 0, sizeof(st));
	st.cb = cb;
	st.payload = payload;
	if (csv_init(&p, 0) != 0)
		return kmv_error_nomem();
	csv_set_delim(&p, (unsigned char)delimiter);
	while (s < end && st.rc == 0) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) + 1 : (size_t)(end - s);

		st.line++;
		if (csv_parse(&p, s, n, on_field, on_row, &st) != n) {
			kmv_error_set(KMV_ERROR_INPUT, "%s:%lld: %s", display,
				      (long long)st.line,
				      csv_strerror(csv_error(&p)));
			error = KMV_EINPUT;
			goto done;
		}
		s += n;
	}
	if (st.rc == 0)
		csv_fini(&p, on_field, on_row, &st);
	if (st.rc < 0)
		error = st.rc;
done:
	clear_row(&st);
	free(st.vec);
	csv_free(&p);
	return error;
}

int kmv_xlsx__read(const uint8_t *data, size_t len, const char *sheet,
		   const char *display, kmv_row_cb cb, void *payload)
{
	(void)data;
	(void)len;
	(void)sheet;
	(void)cb;
	(void)payload;
	kmv_error_set(KMV_ERROR_INPUT, "%s: XLSX is not supported yet", display);
	return KMV_EINPUT;
}
