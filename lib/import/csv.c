/* SPDX-License-Identifier: MIT */
/*
 * CSV rows through libcsv in its lenient (non-strict) mode: quotes inside
 * unquoted fields, a TAB after a closing quote and mixed quoted/unquoted
 * rows are all accepted, as real statements need (formats.md section 6,
 * items 7-9).  Only an unterminated quote at the end of the input is an
 * error: it would otherwise swallow the rest of the file into one field
 * without a word.
 *
 * libcsv does not count lines, so the text is fed one physical line at a
 * time; a row's line is the line where it started (the parser is between
 * rows when a line begins).  Cells go into one reused arena, so a row costs
 * no allocation once the buffers have grown.
 */
#include "common.h"
#include "import/readers.h"

#include <csv.h>

/*
 * libcsv's parser states (libcsv.c): between rows, and inside a field.
 * CSV_STRICT_FINI only reports an open quote together with CSV_STRICT,
 * which would also reject the quirks we must accept, so the open quote at
 * the end is detected from the (public) parser state instead.
 */
#define CSV_STATE_ROW_NOT_BEGUN 0
#define CSV_STATE_FIELD_BEGUN 2

/*
 * A hostile file must not make one field or row grow without bound: a
 * field is at most 1 MiB (no statement cell comes near it; a 15 MB cell
 * cost 1.1 GB and grew the vault by 54 MB).  libcsv grows its field
 * buffer by a fixed block (128 bytes by default: quadratic copying for a
 * large field); 64 KiB blocks keep that linear, and long lines are fed in
 * pieces of that size so the cap is checked while the field grows.
 */
#define CSV_MAX_FIELD_BYTES ((size_t)1 << 20)
#define CSV_MAX_ROW_BYTES ((size_t)16 << 20)
#define CSV_MAX_CELLS 4096
#define CSV_FEED_BYTES ((size_t)64 << 10)

struct csv_state {
	kmv_buf arena;   /* cell bytes, each NUL-terminated */
	size_t *offsets; /* start of each cell in arena */
	const char **cells;
	size_t ncells, acells;
	int64_t line;     /* the physical line being fed */
	int64_t row_line; /* where the current row started */
	const char *display;
	kmv_row_cb cb;
	void *payload;
	int result; /* first non-zero callback result */
};

static bool is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void field_too_large(struct csv_state *st)
{
	kmv_error_set(KMV_ERROR_INPUT,
		      "%s:%lld: a field is larger than 1 MiB "
		      "(%zu bytes): not a statement cell",
		      st->display, (long long)st->row_line,
		      CSV_MAX_FIELD_BYTES);
	st->result = KMV_EINPUT;
}

static void on_field(void *field, size_t len, void *data)
{
	struct csv_state *st = data;
	const unsigned char *s = field;
	int error;

	if (st->result)
		return;
	if (len > CSV_MAX_FIELD_BYTES) {
		field_too_large(st);
		return;
	}
	if (st->ncells >= CSV_MAX_CELLS ||
	    st->arena.size + len >= CSV_MAX_ROW_BYTES) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "%s:%lld: row is too large "
			      "(more than %d fields or %zu bytes)",
			      st->display, (long long)st->row_line,
			      CSV_MAX_CELLS, CSV_MAX_ROW_BYTES);
		st->result = KMV_EINPUT;
		return;
	}
	/* Trim the padding statements put around every cell. */
	while (len > 0 && is_blank(s[0])) {
		s++;
		len--;
	}
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	if ((error = KMV_ARRAY_GROW(st->offsets, st->acells, st->ncells + 1)) <
	    0) {
		st->result = error;
		return;
	}
	st->offsets[st->ncells++] = st->arena.size;
	if ((error = kmv_buf_put(&st->arena, s, len)) < 0 ||
	    (error = kmv_buf_putc(&st->arena, '\0')) < 0)
		st->result = error;
}

static void on_row(int c, void *data)
{
	struct csv_state *st = data;
	bool empty = true;
	kmv_row row;
	int rc;

	(void)c;
	if (st->result)
		goto reset;
	for (size_t i = 0; i < st->ncells; i++)
		if (st->arena.ptr[st->offsets[i]] != '\0')
			empty = false;
	/* Blank lines and lines of only commas (or only "") carry nothing. */
	if (empty)
		goto reset;
	if (st->ncells > 0) {
		const char **cells = realloc(st->cells,
					     st->ncells * sizeof(*cells));

		if (!cells) {
			st->result = kmv_error_nomem();
			goto reset;
		}
		st->cells = cells;
		for (size_t i = 0; i < st->ncells; i++)
			cells[i] = st->arena.ptr + st->offsets[i];
	}
	row.line = st->row_line;
	row.ncells = st->ncells;
	row.cells = st->cells;
	row.is_number = NULL;
	row.numbers = NULL;
	rc = st->cb(&row, st->payload);
	if (rc != 0)
		st->result = rc;
reset:
	st->ncells = 0;
	kmv_buf_clear(&st->arena);
}

int kmv_csv__read(const char *text, size_t len, char delimiter,
		  const char *display, kmv_row_cb cb, void *payload)
{
	struct csv_parser p;
	struct csv_state st;
	const char *pos = text, *end = text + len;
	int error = 0;

	KMV_ASSERT_ARG((text || len == 0) && cb);
	memset(&st, 0, sizeof(st));
	kmv_buf_init(&st.arena, 0);
	st.display = display ? display : "input";
	st.cb = cb;
	st.payload = payload;
	st.line = 1;
	st.row_line = 1;
	if (csv_init(&p, 0) != 0)
		return kmv_error_nomem();
	csv_set_delim(&p, (unsigned char)delimiter);
	csv_set_blk_size(&p, CSV_FEED_BYTES);
	/* A BOM the decoder did not see (e.g. UTF-8 data given directly). */
	if (len >= 3 && memcmp(pos, "\xEF\xBB\xBF", 3) == 0)
		pos += 3;
	while (pos < end && st.result == 0) {
		const char *nl = memchr(pos, '\n', (size_t)(end - pos));
		const char *stop = nl ? nl + 1 : end;

		if (p.pstate == CSV_STATE_ROW_NOT_BEGUN)
			st.row_line = st.line;
		while (pos < stop && st.result == 0) {
			size_t n = (size_t)(stop - pos) < CSV_FEED_BYTES
					   ? (size_t)(stop - pos)
					   : CSV_FEED_BYTES;

			if (csv_parse(&p, pos, n, on_field, on_row, &st) != n) {
				kmv_error_set(KMV_ERROR_INPUT, "%s:%lld: %s",
					      st.display, (long long)st.line,
					      csv_strerror(csv_error(&p)));
				error = KMV_EINPUT;
				goto done;
			}
			pos += n;
			/* The field being built, before it can grow further. */
			if (p.entry_pos > CSV_MAX_FIELD_BYTES)
				field_too_large(&st);
		}
		st.line++;
	}
	if (st.result == 0 &&
	    ((p.pstate == CSV_STATE_FIELD_BEGUN && p.quoted) ||
	     csv_fini(&p, on_field, on_row, &st) != 0)) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "%s:%lld: unterminated quoted "
			      "field (a '\"' opened here is never closed; "
			      "expected a closing quote before the end of the "
			      "file)",
			      st.display, (long long)st.row_line);
		error = KMV_EINPUT;
		goto done;
	}
	/* Negative: a failure; positive: the callback asked to stop. */
	error = st.result < 0 ? st.result : 0;
done:
	csv_free(&p);
	kmv_buf_dispose(&st.arena);
	free(st.offsets);
	free(st.cells);
	return error;
}
