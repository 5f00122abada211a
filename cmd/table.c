/* SPDX-License-Identifier: MIT */
/* Terminal tables: cells cleaned of controls, columns fitted to the
 * terminal by display width, colour per row. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "kmvutil/array.h"
#include "kmvutil/text.h"

void cli_table_init(cli_table *t, size_t ncols, const char *const *headers)
{
	const char *words[32];

	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	/* Headers are N_() msgids: the table shows them in the user's language. */
	for (size_t i = 0; i < ncols && i < 32; i++)
		words[i] = headers[i] ? _(headers[i]) : "";
	cli_table_add(t, words);
}

void cli_table_add(cli_table *t, const char *const *cells)
{
	cli_table_add_sgr(t, cells, NULL);
}

void cli_table_add_sgr(cli_table *t, const char *const *cells, const char *sgr)
{
	if (KMV_ARRAY_GROW(t->cells, t->acells, (t->nrows + 1) * t->ncols) <
		    0 ||
	    KMV_ARRAY_GROW(t->sgr, t->asgr, t->nrows + 1) < 0)
		return;
	/* Cells hold merchants, products, file names from input: no
	 * terminal control gets through a table (nor breaks its lines). */
	for (size_t i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = cli_clean_cell(cells[i]);
	t->sgr[t->nrows] = sgr;
	t->nrows++;
}

/* Print with per-column limits (0 = never cut); colour rows when asked. */
static void table_print(const cli_table *t, FILE *out, const size_t *limit,
			bool color)
{
	size_t widths[32] = { 0 };

	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols && c < 32; c++) {
			const char *s = t->cells[r * t->ncols + c];
			size_t w = s ? kmv_utf8_width(s) : 0;

			if (limit[c] && w > limit[c])
				w = limit[c];
			if (w > widths[c])
				widths[c] = w;
		}
	for (size_t r = 0; r < t->nrows; r++) {
		const char *sgr = color && t->sgr ? t->sgr[r] : NULL;

		if (sgr)
			fputs(sgr, out);
		for (size_t c = 0; c < t->ncols && c < 32; c++) {
			const char *s = t->cells[r * t->ncols + c];
			size_t w = 0, bytes;
			bool cut = false;

			if (!s)
				s = "";
			bytes = strlen(s);
			if (limit[c] && kmv_utf8_width(s) > limit[c]) {
				bytes = kmv_utf8_prefix_for_width(s,
								  limit[c] - 1,
								  &w);
				cut = true;
			} else {
				w = kmv_utf8_width(s);
			}
			if (c < 16 && t->right[c])
				for (size_t p = w + cut; p < widths[c]; p++)
					fputc(' ', out);
			fwrite(s, 1, bytes, out);
			if (cut)
				fputs("\xE2\x80\xA6", out), w++;
			if (c + 1 < t->ncols) {
				if (!(c < 16 && t->right[c]))
					for (size_t p = w; p < widths[c]; p++)
						fputc(' ', out);
				fputs("  ", out);
			}
		}
		if (sgr)
			fputs(CLI_SGR_RESET, out);
		fputc('\n', out);
	}
}

void cli_table_print(const cli_table *t, FILE *out, size_t max_col_width)
{
	size_t limit[32];

	for (size_t c = 0; c < 32; c++)
		limit[c] = max_col_width;
	table_print(t, out, limit, false);
}

/* Widths that fit `width`: shrink, then drop columns (limit SIZE_MAX). */
static size_t fit_columns(const cli_table *t, size_t *limit, size_t width)
{
	size_t total = 0, shown = 0;

	for (size_t c = 0; c < t->ncols && c < 32; c++) {
		if (limit[c] == SIZE_MAX)
			continue;
		total += limit[c] + (shown ? 2 : 0);
		shown++;
	}
	/* Take a column at a time from the widest shrinkable one. */
	while (total > width) {
		size_t best = 32;

		for (size_t c = 0; c < t->ncols && c < 16; c++)
			if (t->shrink[c] && limit[c] != SIZE_MAX &&
			    limit[c] > 6 &&
			    (best == 32 || limit[c] > limit[best]))
				best = c;
		if (best == 32)
			break;
		limit[best]--;
		total--;
	}
	return total;
}

void cli_table_print_tty(const cli_table *t, FILE *out, size_t max_col_width,
			 const cli_state *cli)
{
	size_t natural[32] = { 0 }, limit[32], width;
	cli_table shown;
	char **cells = NULL;
	size_t keep[32], nkeep = 0;

	if (!cli->tty_out) {
		for (size_t c = 0; c < 32; c++)
			limit[c] = max_col_width;
		table_print(t, out, limit, cli_color_on(cli));
		return;
	}
	width = cli_term_width();
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols && c < 32; c++) {
			size_t w = kmv_utf8_width(t->cells[r * t->ncols + c]);

			if (w > natural[c])
				natural[c] = w;
		}
	memcpy(limit, natural, sizeof(limit));
	for (unsigned int rank = 1;
	     fit_columns(t, limit, width) > width && rank < 256; rank++) {
		bool dropped = false;

		for (size_t c = 0; c < t->ncols && c < 16; c++)
			if (t->drop[c] == rank) {
				natural[c] = SIZE_MAX;
				dropped = true;
			}
		memcpy(limit, natural, sizeof(limit));
		if (!dropped && rank > 16)
			break;
	}
	/* A view of the kept columns (cells are borrowed, not copied). */
	memset(&shown, 0, sizeof(shown));
	for (size_t c = 0; c < t->ncols && c < 32; c++)
		if (limit[c] != SIZE_MAX)
			keep[nkeep++] = c;
	cells = malloc((t->nrows * nkeep + 1) * sizeof(*cells));
	if (!cells) {
		cli_table_print(t, out, max_col_width);
		return;
	}
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t k = 0; k < nkeep; k++)
			cells[r * nkeep + k] = t->cells[r * t->ncols + keep[k]];
	shown.ncols = nkeep;
	shown.nrows = t->nrows;
	shown.cells = cells;
	shown.sgr = t->sgr;
	for (size_t k = 0; k < nkeep; k++) {
		size_t c = keep[k];

		if (k < 16 && c < 16) {
			shown.right[k] = t->right[c];
			shown.shrink[k] = t->shrink[c];
		}
		limit[k] = c < 16 && t->shrink[c] ? limit[c] : 0;
	}
	table_print(&shown, out, limit, cli_color_on(cli));
	free(cells);
}

void cli_table_dispose(cli_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->sgr);
	memset(t, 0, sizeof(*t));
}
