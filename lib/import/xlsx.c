/* SPDX-License-Identifier: MIT */
/*
 * XLSX rows: libarchive opens the ZIP container, expat parses the XML.
 *
 * kmv_xlsx__open (pass 1, once per file: detect.c) walks the members once:
 * whether it is a spreadsheet package at all, and the small parts,
 * xl/workbook.xml (sheet names -> r:id), xl/_rels/workbook.xml.rels (r:id
 * -> part name) and xl/sharedStrings.xml.  kmv_xlsx__rows (pass 2, for
 * the statement sniff and for the importer) streams the chosen worksheet
 * through expat straight from archive_read_data(), so a large sheet is
 * never held in memory as XML.
 * Values are raw: shared/inline strings as text, numbers with is_number
 * set (text = shortest round-trip form), never the display format (WeChat
 * v2 shows `¥1,234.50` for the number 1234.5).
 */
#include "common.h"
#include "import/import.h"
#include "import/readers.h"

#include <archive.h>
#include <archive_entry.h>
#include <expat.h>
#include <math.h>

/* Decompressed XML we are willing to read from one workbook. */
#define XLSX_MAX_XML ((size_t)256 << 20)
#define XLSX_MAX_COLS 16384
#define NS_SEP '\x01'

static const char *local_name(const char *name)
{
	const char *p = strrchr(name, NS_SEP);

	return p ? p + 1 : name;
}

static const char *attr(const char **atts, const char *local)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (strcmp(local_name(atts[i]), local) == 0)
			return atts[i + 1];
	return NULL;
}

/* r:id: the attribute named id in the relationships namespace. */
static const char *attr_rid(const char **atts)
{
	for (size_t i = 0; atts[i]; i += 2) {
		const char *sep = strrchr(atts[i], NS_SEP);

		if (sep && strcmp(sep + 1, "id") == 0 &&
		    strstr(atts[i], "relationships"))
			return atts[i + 1];
	}
	return NULL;
}

/* ---- the archive --------------------------------------------------------- */

static int open_zip(struct archive **out, const uint8_t *data, size_t len)
{
	struct archive *a = archive_read_new();

	if (!a)
		return kmv_error_nomem();
	archive_read_support_format_zip(a);
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		archive_read_free(a);
		return KMV_EINPUT;
	}
	*out = a;
	return 0;
}

typedef int (*chunk_fn)(const char *buf, size_t len, bool last, void *payload);

static int damaged(const char *display, struct archive *a)
{
	const char *why = a ? archive_error_string(a) : NULL;

	kmv_error_set(KMV_ERROR_INPUT,
		      "%s: truncated or damaged XLSX "
		      "workbook%s%s (expected a complete .xlsx file)",
		      display, why ? ": " : "", why ? why : "");
	return KMV_EINPUT;
}

/* Stream the current entry's data to fn; KMV_EINPUT when damaged. */
static int stream_entry(struct archive *a, const char *display, size_t *budget,
			chunk_fn fn, void *payload)
{
	const void *buf;
	size_t size;
	la_int64_t offset;
	int r, error;

	for (;;) {
		r = archive_read_data_block(a, &buf, &size, &offset);
		if (r == ARCHIVE_EOF)
			return fn("", 0, true, payload);
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return damaged(display, a);
		if (size > *budget) {
			kmv_error_set(KMV_ERROR_INPUT,
				      "%s: more than %zu bytes "
				      "of XML (refusing a decompression bomb)",
				      display, XLSX_MAX_XML);
			return KMV_EINPUT;
		}
		*budget -= size;
		if ((error = fn(buf, size, false, payload)) != 0)
			return error;
	}
}

/* ---- pass 1: workbook, relationships, shared strings ---------------------- */

struct sheet_ref {
	char *name;
	char *rid;
};

struct kmv_xlsx {
	const uint8_t *data; /* borrowed: the file's bytes */
	size_t len;
	char *display;
	size_t budget;       /* the XML a sheet may still decompress */
	int failed;          /* pass 1 failed: every read returns this ... */
	kmv_error_saved why; /* ... and says this */
	struct sheet_ref *sheets;
	size_t nsheets;
	char **rel_ids, **rel_targets;
	size_t nrels;
	kmv_buf strings; /* shared strings, NUL-separated */
	size_t *str_off;
	size_t nstr, astr;
	/* parse state for sharedStrings */
	int in_si, in_t, in_rph;
	kmv_buf cur;
	int error;
};

static int push_str(char ***arr, size_t n, const char *s)
{
	char **a = realloc(*arr, (n + 1) * sizeof(**arr));

	if (!a)
		return kmv_error_nomem();
	*arr = a;
	if (!(a[n] = strdup(s ? s : "")))
		return kmv_error_nomem();
	return 0;
}

static void XMLCALL wb_start(void *ud, const char *name, const char **atts)
{
	struct kmv_xlsx *b = ud;
	const char *ln = local_name(name);

	if (b->error)
		return;
	if (strcmp(ln, "sheet") == 0) {
		struct sheet_ref *s = realloc(b->sheets,
					      (b->nsheets + 1) * sizeof(*s));
		const char *nm = attr(atts, "name"), *rid = attr_rid(atts);

		if (!s) {
			b->error = kmv_error_nomem();
			return;
		}
		b->sheets = s;
		s[b->nsheets].name = strdup(nm ? nm : "");
		s[b->nsheets].rid = strdup(rid ? rid : "");
		b->nsheets++;
		if (!s[b->nsheets - 1].name || !s[b->nsheets - 1].rid)
			b->error = kmv_error_nomem();
	} else if (strcmp(ln, "Relationship") == 0) {
		int e1 = push_str(&b->rel_ids, b->nrels, attr(atts, "Id"));
		int e2 = e1 ? e1
			    : push_str(&b->rel_targets, b->nrels,
				       attr(atts, "Target"));

		if (e1 == 0 && e2 == 0)
			b->nrels++;
		else {
			if (e1 == 0)
				free(b->rel_ids[b->nrels]);
			b->error = kmv_error_nomem();
		}
	}
}

static void XMLCALL noop_end(void *ud, const char *name)
{
	(void)ud;
	(void)name;
}

static void XMLCALL sst_start(void *ud, const char *name, const char **atts)
{
	struct kmv_xlsx *b = ud;
	const char *ln = local_name(name);

	(void)atts;
	if (strcmp(ln, "si") == 0) {
		b->in_si = 1;
		kmv_buf_clear(&b->cur);
	} else if (strcmp(ln, "rPh") == 0) {
		b->in_rph = 1; /* phonetic guide text is not cell text */
	} else if (strcmp(ln, "t") == 0 && b->in_si && !b->in_rph) {
		b->in_t = 1;
	}
}

static void XMLCALL sst_end(void *ud, const char *name)
{
	struct kmv_xlsx *b = ud;
	const char *ln = local_name(name);
	int error;

	if (strcmp(ln, "t") == 0) {
		b->in_t = 0;
	} else if (strcmp(ln, "rPh") == 0) {
		b->in_rph = 0;
	} else if (strcmp(ln, "si") == 0 && b->in_si) {
		b->in_si = 0;
		if (b->error)
			return;
		if ((b->error = KMV_ARRAY_GROW(b->str_off, b->astr,
					       b->nstr + 1)) < 0)
			return;
		b->str_off[b->nstr++] = b->strings.size;
		if ((error = kmv_buf_put(&b->strings, b->cur.ptr,
					 b->cur.size)) < 0 ||
		    (error = kmv_buf_putc(&b->strings, '\0')) < 0)
			b->error = error;
	}
}

static void XMLCALL sst_text(void *ud, const char *s, int len)
{
	struct kmv_xlsx *b = ud;
	int error;

	if (b->in_t && !b->error &&
	    (error = kmv_buf_put(&b->cur, s, (size_t)len)) < 0)
		b->error = error;
}

static int xml_error(XML_Parser p, const char *display, const char *part)
{
	kmv_error_set(KMV_ERROR_INPUT,
		      "%s: malformed XML in %s at line %lu: "
		      "%s (expected a well-formed XLSX workbook)",
		      display, part, (unsigned long)XML_GetCurrentLineNumber(p),
		      XML_ErrorString(XML_GetErrorCode(p)));
	return KMV_EINPUT;
}

struct xml_feed {
	XML_Parser parser;
	int *cb_error; /* the handlers' sticky error */
	const char *display;
	const char *part;
	bool stopped;
};

static int feed_xml(const char *buf, size_t len, bool last, void *payload)
{
	struct xml_feed *f = payload;
	enum XML_Status st;

	if (len > INT32_MAX)
		return KMV_EINPUT;
	st = XML_Parse(f->parser, buf, (int)len, last);
	if (*f->cb_error)
		return *f->cb_error;
	if (st == XML_STATUS_SUSPENDED ||
	    (st == XML_STATUS_ERROR &&
	     XML_GetErrorCode(f->parser) == XML_ERROR_ABORTED)) {
		f->stopped = true;
		return 1;
	}
	if (st == XML_STATUS_ERROR)
		return xml_error(f->parser, f->display, f->part);
	return 0;
}

static int parse_part(struct archive *a, size_t *budget, struct kmv_xlsx *b,
		      XML_StartElementHandler start, XML_EndElementHandler end,
		      XML_CharacterDataHandler text, const char *display,
		      const char *part)
{
	XML_Parser p = XML_ParserCreateNS(NULL, NS_SEP);
	struct xml_feed f = { p, &b->error, display, part, false };
	int error;

	if (!p)
		return kmv_error_nomem();
	XML_SetUserData(p, b);
	XML_SetElementHandler(p, start, end);
	if (text)
		XML_SetCharacterDataHandler(p, text);
	error = stream_entry(a, display, budget, feed_xml, &f);
	XML_ParserFree(p);
	return error < 0 ? error : 0;
}

static void book_dispose(struct kmv_xlsx *b)
{
	for (size_t i = 0; i < b->nsheets; i++) {
		free(b->sheets[i].name);
		free(b->sheets[i].rid);
	}
	free(b->sheets);
	for (size_t i = 0; i < b->nrels; i++) {
		free(b->rel_ids[i]);
		free(b->rel_targets[i]);
	}
	free(b->rel_ids);
	free(b->rel_targets);
	kmv_buf_dispose(&b->strings);
	kmv_buf_dispose(&b->cur);
	free(b->str_off);
	free(b->display);
}

/* A member of a spreadsheet package.  Any one counts: a workbook cut short
 * may end before xl/workbook.xml (writers put docProps/ first), and read
 * as a ZIP of statements it was reported as "docProps/app.xml: not an
 * order export". */
static bool package_member(const char *name)
{
	return strcmp(name, "[Content_Types].xml") == 0 ||
	       strncmp(name, "xl/", 3) == 0 ||
	       strncmp(name, "docProps/", 9) == 0;
}

/*
 * Pass 1: every member header once.  *is_book turns true at the first
 * member of a spreadsheet package (within the first 10000 members); the
 * return value is whether the package is intact and has a workbook.
 */
static int read_book(struct kmv_xlsx *b, struct archive *a, bool *is_book)
{
	struct archive_entry *e;
	int r, n = 0, error = 0;
	bool have_wb = false;

	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);

		if (!name)
			continue;
		if (!*is_book && (*is_book = package_member(name)) == false &&
		    ++n >= 10000)
			return 0; /* an archive of sources */
		if (strcmp(name, "xl/workbook.xml") == 0) {
			have_wb = true;
			error = parse_part(a, &b->budget, b, wb_start, noop_end,
					   NULL, b->display, name);
		} else if (strcmp(name, "xl/_rels/workbook.xml.rels") == 0) {
			error = parse_part(a, &b->budget, b, wb_start, noop_end,
					   NULL, b->display, name);
		} else if (strcmp(name, "xl/sharedStrings.xml") == 0) {
			error = parse_part(a, &b->budget, b, sst_start, sst_end,
					   sst_text, b->display, name);
		}
		if (error < 0)
			return error;
	}
	if (r != ARCHIVE_EOF)
		return damaged(b->display, a);
	if (!have_wb) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "%s: not an XLSX workbook (no "
			      "xl/workbook.xml)",
			      b->display);
		return KMV_EINPUT;
	}
	return 0;
}

void kmv_xlsx__close(kmv_xlsx *book)
{
	if (!book)
		return;
	book_dispose(book);
	free(book);
}

int kmv_xlsx__open(kmv_xlsx **out, const uint8_t *data, size_t len,
		   const char *display)
{
	struct kmv_xlsx *b;
	struct archive *a = NULL;
	bool is_book = false;
	int error;

	KMV_ASSERT_ARG(out && data);
	*out = NULL;
	if (!(b = calloc(1, sizeof(*b))) ||
	    !(b->display = strdup(display ? display : "input"))) {
		free(b);
		return kmv_error_nomem();
	}
	b->data = data;
	b->len = len;
	b->budget = XLSX_MAX_XML;
	kmv_buf_init(&b->strings, 0);
	kmv_buf_init(&b->cur, 0);
	if (open_zip(&a, data, len) < 0) {
		kmv_xlsx__close(b);
		kmv_error_clear();
		return 0; /* not a ZIP libarchive can open: no workbook */
	}
	error = read_book(b, a, &is_book);
	archive_read_free(a);
	if (!is_book || error == KMV_ERROR) {
		kmv_xlsx__close(b);
		if (is_book)
			return error; /* out of memory */
		kmv_error_clear();
		return 0;
	}
	if (error < 0) { /* a damaged workbook: its reads say so */
		b->failed = error;
		kmv_error_save(&b->why);
		kmv_error_clear();
	}
	*out = b;
	return 0;
}

/* The worksheet part name for a sheet, e.g. "xl/worksheets/sheet1.xml". */
static int sheet_part(kmv_buf *out, const struct kmv_xlsx *b, const char *want,
		      const char *display)
{
	const struct sheet_ref *s = NULL;
	size_t index = 0;

	for (size_t i = 0; i < b->nsheets && !s; i++)
		if (strcmp(b->sheets[i].name, want ? want : "Sheet1") == 0) {
			s = &b->sheets[i];
			index = i;
		}
	if (!s && !want && b->nsheets > 0)
		s = &b->sheets[0];
	if (!s) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "%s: the workbook has no sheet "
			      "named '%s'",
			      display, want ? want : "Sheet1");
		return KMV_EINPUT;
	}
	for (size_t i = 0; i < b->nrels; i++) {
		const char *t = b->rel_targets[i];

		if (strcmp(b->rel_ids[i], s->rid) != 0)
			continue;
		if (t[0] == '/')
			return kmv_buf_puts(out, t + 1);
		return kmv_buf_printf(out, "xl/%s", t);
	}
	/* No relationships part: the conventional name. */
	return kmv_buf_printf(out, "xl/worksheets/sheet%zu.xml", index + 1);
}

/* ---- pass 2: the worksheet ------------------------------------------------ */

struct sheet {
	const struct kmv_xlsx *book;
	const char *display;
	kmv_row_cb cb;
	void *payload;
	XML_Parser parser;
	int error;
	int stop;
	/* the row being built */
	int64_t row_no, last_row;
	kmv_buf arena;
	size_t *off;
	bool *is_num;
	double *nums;
	const char **cells;
	size_t ncols, acols;
	/* the cell being read */
	bool in_cell, in_value, in_is, in_rph;
	long col, next_col;
	char type[16];
	kmv_buf value;
};

static long col_index(const char *ref)
{
	long col = 0;

	if (!ref)
		return -1;
	while (*ref >= 'A' && *ref <= 'Z') {
		col = col * 26 + (*ref - 'A' + 1);
		if (col > XLSX_MAX_COLS)
			return -1;
		ref++;
	}
	return col ? col - 1 : -1;
}

static int ensure_cols(struct sheet *s, size_t n)
{
	size_t *off;
	bool *isn;
	double *nums;
	const char **cells;
	size_t a;

	if (n <= s->acols)
		return 0;
	a = s->acols ? s->acols : 16;
	while (a < n)
		a *= 2;
	off = realloc(s->off, a * sizeof(*off));
	if (off)
		s->off = off;
	isn = realloc(s->is_num, a * sizeof(*isn));
	if (isn)
		s->is_num = isn;
	nums = realloc(s->nums, a * sizeof(*nums));
	if (nums)
		s->nums = nums;
	cells = realloc(s->cells, a * sizeof(*cells));
	if (cells)
		s->cells = cells;
	if (!off || !isn || !nums || !cells)
		return kmv_error_nomem();
	s->acols = a;
	return 0;
}

/* Shortest decimal text that reads back as the same double. */
static void number_text(char *out, size_t outsz, double v)
{
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(out, outsz, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			return;
	}
}

static void trim_span(const char **s, size_t *len)
{
	while (*len > 0 &&
	       (**s == ' ' || **s == '\t' || **s == '\r' || **s == '\n')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
			    (*s)[*len - 1] == '\r' || (*s)[*len - 1] == '\n'))
		(*len)--;
}

static int finish_cell(struct sheet *s)
{
	const char *text = s->value.ptr;
	size_t len = s->value.size, col;
	bool num = false;
	double v = 0;
	char numbuf[40];
	int error;

	if (s->col < 0)
		s->col = s->next_col;
	s->next_col = s->col + 1;
	col = (size_t)s->col;
	if (strcmp(s->type, "s") == 0) {
		char *end;
		unsigned long idx = strtoul(text, &end, 10);

		if (end == text || idx >= s->book->nstr) {
			kmv_error_set(KMV_ERROR_INPUT,
				      "%s: row %lld: shared "
				      "string index '%s' out of range",
				      s->display, (long long)s->row_no, text);
			return KMV_EINPUT;
		}
		text = s->book->strings.ptr + s->book->str_off[idx];
		len = strlen(text);
	} else if (strcmp(s->type, "b") == 0) {
		text = strcmp(text, "1") == 0 ? "TRUE" : "FALSE";
		len = strlen(text);
	} else if (s->type[0] == '\0' || strcmp(s->type, "n") == 0) {
		char *end;

		trim_span(&text, &len);
		if (len > 0) {
			v = strtod(text, &end);
			if (end != text && isfinite(v)) {
				num = true;
				number_text(numbuf, sizeof(numbuf), v);
				text = numbuf;
				len = strlen(numbuf);
			}
		}
	}
	trim_span(&text, &len);
	if (len == 0 && !num)
		return 0; /* an empty cell is the same as no cell */
	KMV_TRY(ensure_cols(s, col + 1));
	while (s->ncols <= col) {
		s->off[s->ncols] = (size_t)-1;
		s->is_num[s->ncols] = false;
		s->nums[s->ncols] = 0;
		s->ncols++;
	}
	s->off[col] = s->arena.size;
	s->is_num[col] = num;
	s->nums[col] = v;
	KMV_TRY(kmv_buf_put(&s->arena, text, len));
	KMV_TRY(kmv_buf_putc(&s->arena, '\0'));
done:
	return error;
}

static int finish_row(struct sheet *s)
{
	kmv_row row;
	int rc;

	if (s->ncols == 0)
		return 0; /* rows with only empty cells are skipped, as in CSV */
	for (size_t i = 0; i < s->ncols; i++)
		s->cells[i] = s->off[i] == (size_t)-1
				      ? ""
				      : s->arena.ptr + s->off[i];
	row.line = s->row_no;
	row.ncells = s->ncols;
	row.cells = s->cells;
	row.is_number = s->is_num;
	row.numbers = s->nums;
	rc = s->cb(&row, s->payload);
	s->ncols = 0;
	kmv_buf_clear(&s->arena);
	if (rc > 0)
		s->stop = rc;
	return rc < 0 ? rc : 0;
}

static void fail(struct sheet *s, int error)
{
	if (!s->error)
		s->error = error;
	XML_StopParser(s->parser, XML_FALSE);
}

static void XMLCALL ws_start(void *ud, const char *name, const char **atts)
{
	struct sheet *s = ud;
	const char *ln = local_name(name);

	if (s->error || s->stop)
		return;
	if (strcmp(ln, "row") == 0) {
		const char *r = attr(atts, "r");

		s->row_no = r ? strtoll(r, NULL, 10) : s->last_row + 1;
		if (s->row_no <= 0)
			s->row_no = s->last_row + 1;
		s->ncols = 0;
		s->next_col = 0;
		kmv_buf_clear(&s->arena);
	} else if (strcmp(ln, "c") == 0) {
		const char *t = attr(atts, "t");

		s->in_cell = true;
		s->col = col_index(attr(atts, "r"));
		snprintf(s->type, sizeof(s->type), "%s", t ? t : "");
		kmv_buf_clear(&s->value);
	} else if (s->in_cell && strcmp(ln, "v") == 0) {
		s->in_value = true;
	} else if (s->in_cell && strcmp(ln, "is") == 0) {
		s->in_is = true;
	} else if (s->in_is && strcmp(ln, "rPh") == 0) {
		s->in_rph = true;
	} else if (s->in_is && !s->in_rph && strcmp(ln, "t") == 0) {
		s->in_value = true;
	}
}

static void XMLCALL ws_end(void *ud, const char *name)
{
	struct sheet *s = ud;
	const char *ln = local_name(name);
	int error;

	if (s->error || s->stop)
		return;
	if (strcmp(ln, "v") == 0 || strcmp(ln, "t") == 0) {
		s->in_value = false;
	} else if (strcmp(ln, "rPh") == 0) {
		s->in_rph = false;
	} else if (strcmp(ln, "is") == 0) {
		s->in_is = false;
	} else if (strcmp(ln, "c") == 0 && s->in_cell) {
		s->in_cell = false;
		if ((error = finish_cell(s)) < 0)
			fail(s, error);
	} else if (strcmp(ln, "row") == 0) {
		s->last_row = s->row_no;
		if ((error = finish_row(s)) < 0)
			fail(s, error);
		else if (s->stop)
			XML_StopParser(s->parser, XML_FALSE);
	}
}

static void XMLCALL ws_text(void *ud, const char *t, int len)
{
	struct sheet *s = ud;
	int error;

	if (s->in_value && !s->error &&
	    (error = kmv_buf_put(&s->value, t, (size_t)len)) < 0)
		fail(s, error);
}

static int read_sheet(struct sheet *s, const uint8_t *data, size_t len,
		      const char *part, size_t *budget)
{
	struct archive *a = NULL;
	struct archive_entry *e;
	struct xml_feed f;
	int r, error = 0;
	bool found = false;

	if (open_zip(&a, data, len) < 0)
		return damaged(s->display, NULL);
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);

		if (!name || strcmp(name, part) != 0)
			continue;
		found = true;
		s->parser = XML_ParserCreateNS(NULL, NS_SEP);
		if (!s->parser) {
			error = kmv_error_nomem();
			break;
		}
		XML_SetUserData(s->parser, s);
		XML_SetElementHandler(s->parser, ws_start, ws_end);
		XML_SetCharacterDataHandler(s->parser, ws_text);
		f.parser = s->parser;
		f.cb_error = &s->error;
		f.display = s->display;
		f.part = part;
		f.stopped = false;
		error = stream_entry(a, s->display, budget, feed_xml, &f);
		XML_ParserFree(s->parser);
		s->parser = NULL;
		if (error > 0)
			error = 0; /* the row callback asked to stop */
		break;
	}
	if (error == 0 && !found) {
		if (r != ARCHIVE_EOF)
			error = damaged(s->display, a);
		else {
			kmv_error_set(KMV_ERROR_INPUT,
				      "%s: worksheet %s is "
				      "missing from the workbook",
				      s->display, part);
			error = KMV_EINPUT;
		}
	}
	archive_read_free(a);
	return error;
}

int kmv_xlsx__rows(const kmv_xlsx *book, const char *sheet, kmv_row_cb cb,
		   void *payload)
{
	struct sheet s;
	kmv_buf part = KMV_BUF_INIT;
	size_t budget;
	int error = 0;

	KMV_ASSERT_ARG(book && cb);
	if (book->failed) {
		kmv_error_restore(&book->why);
		return book->failed;
	}
	memset(&s, 0, sizeof(s));
	kmv_buf_init(&s.arena, 0);
	kmv_buf_init(&s.value, 0);
	budget = book->budget;
	KMV_TRY(sheet_part(&part, book, sheet, book->display));
	s.book = book;
	s.display = book->display;
	s.cb = cb;
	s.payload = payload;
	error = read_sheet(&s, book->data, book->len, part.ptr, &budget);
	if (error == 0 && s.error)
		error = s.error;
done:
	kmv_buf_dispose(&s.arena);
	kmv_buf_dispose(&s.value);
	kmv_buf_dispose(&part);
	free(s.off);
	free(s.is_num);
	free(s.nums);
	free(s.cells);
	return error;
}

int kmv_xlsx__read(const uint8_t *data, size_t len, const char *sheet,
		   const char *display, kmv_row_cb cb, void *payload)
{
	kmv_xlsx *book = NULL;
	int error;

	KMV_ASSERT_ARG(data && cb);
	if ((error = kmv_xlsx__open(&book, data, len, display)) < 0)
		return error;
	if (!book) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "%s: not an XLSX workbook (no "
			      "xl/workbook.xml)",
			      display ? display : "input");
		return KMV_EINPUT;
	}
	error = kmv_xlsx__rows(book, sheet, cb, payload);
	kmv_xlsx__close(book);
	return error;
}
