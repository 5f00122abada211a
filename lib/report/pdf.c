/* SPDX-License-Identifier: MIT */
/*
 * PDF reports through cairo + pango.
 *
 * The CJK font is whatever fontconfig offers for zh-cn that really has
 * Chinese glyphs (the project installs WenQuanYi Micro Hei); cairo embeds
 * a subset with a ToUnicode map, which is what lets `pdftotext` give the
 * Chinese back.  Layout is a simple top-down flow: every block asks for
 * its height first and starts a new page when it does not fit, so table
 * rows (CJK-wrapped by pango) are never split across pages and the table
 * header is repeated on each page.
 */
#include "common.h"
#include "report/report.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include "kmv/doclabel.h"
#include "kmvutil/money.h"

#define PAGE_W 595.276 /* A4 in points */
#define PAGE_H 841.890
#define MARGIN 42.0
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define BOTTOM (PAGE_H - MARGIN - 18.0)

int kmv_pdf__cjk_family(kmv_buf *out)
{
	FcPattern *pat = NULL, *match = NULL;
	FcCharSet *cs = NULL;
	FcResult res;
	FcChar8 *family = NULL;
	int error = 0;

	if (!FcInit()) {
		kmv_error_set(KMV_ERROR_INTERNAL, "fontconfig cannot start");
		return KMV_ERROR;
	}
	pat = FcNameParse((const FcChar8 *)":lang=zh-cn");
	if (!pat) {
		error = kmv_error_nomem();
		goto done;
	}
	FcConfigSubstitute(NULL, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	match = FcFontMatch(NULL, pat, &res);
	/* A match is not enough: the fallback font may lack Chinese glyphs. */
	if (!match ||
	    FcPatternGetCharSet(match, FC_CHARSET, 0, &cs) != FcResultMatch ||
	    !FcCharSetHasChar(cs, 0x4E2D) || !FcCharSetHasChar(cs, 0x5355) ||
	    FcPatternGetString(match, FC_FAMILY, 0, &family) != FcResultMatch) {
		kmv_error_set(KMV_ERROR_INTERNAL,
			      "no font with Chinese glyphs "
			      "found through fontconfig (install "
			      "fonts-wqy-microhei or fonts-noto-cjk)");
		error = KMV_ERROR;
		goto done;
	}
	error = kmv_buf_puts(out, (const char *)family);
done:
	if (match)
		FcPatternDestroy(match);
	if (pat)
		FcPatternDestroy(pat);
	return error;
}

/* A table column: width, alignment, and whether it holds a number. */
enum { AL_LEFT = 0, AL_RIGHT = 1 };

struct col {
	double w;
	uint8_t align;
	/*
	 * Numbers (times, order and trade numbers, amounts) are set in a
	 * monospace face on one line per value, shrunk to the column when
	 * too long: a number never wraps, so no digit ends up on a line of
	 * its own.  Text cells wrap (CJK anywhere).
	 */
	bool number;
};

struct table {
	const char *const *head;
	const struct col *cols;
	size_t n;
};

/* The document's words: Chinese, or English for `export --lang en`. */
#define W(d, zh, en) ((d)->lang == KMV_LANG_EN ? (en) : (zh))

struct doc {
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoFontMap *fontmap; /* private, so its caches go with it */
	PangoContext *ctx;
	const char *family;
	double y;
	int page;
	int pages; /* the page count when known (a second pass), else 0 */
	const char *footer;
	int lang; /* kmv_lang: the report's words (KMV_LANG_EN: English) */
	/* table header, repeated on each new page while set */
	const struct table *thead;
	/*
	 * A long table's text cells repeat (a shop, a category, a state, the
	 * header on every page), and shaping wrapped CJK text is the dear
	 * part of a cell: each distinct (column, style, text) is laid out
	 * once and drawn again, and each (family, size, weight) has one font
	 * description.  Numbers (times, amounts, order numbers) rarely
	 * repeat and are shaped each time.
	 */
	GHashTable *cells; /* key string -> PangoLayout (a ref) */
	GHashTable *fonts; /* key string -> PangoFontDescription */
	/*
	 * Numbers rarely repeat, so a cache does not help them: an ASCII
	 * number is set straight from the monospace font's glyphs (cairo
	 * maps the characters, no shaping or line breaking needed), scaled
	 * down to fit its column as pango's would be.  [bold]
	 */
	struct numface {
		bool tried; /* looked up (font and sf NULL: no face) */
		PangoFont *font;
		cairo_scaled_font_t *sf; /* the font's, at NUMBER_PT */
		double first_h;          /* a one-line cell's height */
		double line_h;           /* each further line */
		double baseline;         /* of the first line, from the top */
	} num[2];
};

/* Past this many distinct cells the cache starts again (memory bound). */
#define CELL_CACHE_MAX 8192

#define TEXT_PT 8.0
#define NUMBER_PT 7.0
#define MIN_NUMBER_PT 4.5

static cairo_status_t write_buf(void *closure, const unsigned char *data,
				unsigned int len)
{
	return kmv_buf_put(closure, data, len) < 0 ? CAIRO_STATUS_WRITE_ERROR
						   : CAIRO_STATUS_SUCCESS;
}

static PangoLayout *layout_font(struct doc *d, const char *text,
				const char *family, double size, bool bold,
				double width)
{
	PangoLayout *l = pango_layout_new(d->ctx);
	char key[160];
	PangoFontDescription *fd;

	snprintf(key, sizeof(key), "%s\x1f%.3f\x1f%d", family, size, bold);
	fd = g_hash_table_lookup(d->fonts, key);
	if (!fd) {
		fd = pango_font_description_new();
		pango_font_description_set_family(fd, family);
		pango_font_description_set_absolute_size(fd,
							 size * PANGO_SCALE);
		if (bold)
			pango_font_description_set_weight(fd,
							  PANGO_WEIGHT_BOLD);
		g_hash_table_insert(d->fonts, g_strdup(key), fd);
	}
	/* the layout copies it */
	pango_layout_set_font_description(l, fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

static PangoLayout *layout_new(struct doc *d, const char *text, double size,
			       bool bold, double width)
{
	return layout_font(d, text, d->family, size, bold, width);
}

static double layout_height(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static double layout_width(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)w / PANGO_SCALE;
}

static void draw_layout(struct doc *d, PangoLayout *l, double x, double y)
{
	cairo_move_to(d->cr, x, y);
	pango_cairo_show_layout(d->cr, l);
}

/* Draw `text` ending at x (right-aligned), one line. */
static void draw_right(struct doc *d, const char *text, double size, double x,
		       double y)
{
	PangoLayout *l = layout_new(d, text, size, false, 0);

	draw_layout(d, l, x - layout_width(l), y);
	g_object_unref(l);
}

static void footer(struct doc *d)
{
	char text[96];
	PangoLayout *l;

	if (d->pages > 0)
		snprintf(text, sizeof(text),
			 W(d, "%s · 第 %d 页，共 %d 页", "%s · Page %d of %d"),
			 d->footer, d->page, d->pages);
	else
		snprintf(text, sizeof(text),
			 W(d, "%s · 第 %d 页", "%s · page %d"), d->footer,
			 d->page);
	l = layout_new(d, text, 8, false, 0);
	cairo_set_source_rgb(d->cr, 0.4, 0.4, 0.4);
	draw_layout(d, l, (PAGE_W - layout_width(l)) / 2, PAGE_H - MARGIN);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	g_object_unref(l);
}

static void table_header(struct doc *d);

static void new_page(struct doc *d)
{
	if (d->page > 0) {
		footer(d);
		cairo_show_page(d->cr);
	}
	d->page++;
	d->y = MARGIN;
	if (d->thead)
		table_header(d);
}

static void ensure(struct doc *d, double h)
{
	if (d->y + h > BOTTOM)
		new_page(d);
}

static void para(struct doc *d, const char *text, double size, bool bold,
		 double gap)
{
	PangoLayout *l = layout_new(d, text, size, bold, CONTENT_W);
	double h = layout_height(l);

	ensure(d, h);
	draw_layout(d, l, MARGIN, d->y);
	d->y += h + gap;
	g_object_unref(l);
}

/* A section title kept on the page of what follows it. */
static void heading(struct doc *d, const char *text, double keep)
{
	ensure(d, 20 + keep);
	para(d, text, 12, true, 4);
}

static PangoLayout *cell_layout_new(struct doc *d, const char *text,
				    const struct col *c, bool bold)
{
	double room = c->w - 4;
	PangoLayout *l;

	if (!c->number) {
		l = layout_new(d, text, TEXT_PT, bold, room);
	} else {
		double size = NUMBER_PT, w;

		l = layout_font(d, text, "monospace", size, bold, 0);
		w = layout_width(l);
		if (w > room) {
			size = size * room / w * 0.98;
			if (size < MIN_NUMBER_PT)
				size = MIN_NUMBER_PT;
			g_object_unref(l);
			l = layout_font(d, text, "monospace", size, bold, 0);
		}
	}
	if (c->align == AL_RIGHT) {
		/* the width only aligns: a number cell fits it already */
		if (c->number)
			pango_layout_set_width(l, (int)(room * PANGO_SCALE));
		pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
	}
	return l;
}

/*
 * A cell's layout, shaped once per column (`col` in its table), style
 * and text; the caller owns the reference it gets.
 */
static PangoLayout *cell_layout(struct doc *d, const char *text,
				const struct col *col, const struct col *c,
				bool bold)
{
	char *key = g_strdup_printf("%p\x1f%d\x1f%d\x1f%s", (const void *)col,
				    c->number, bold, text ? text : "");
	PangoLayout *l = g_hash_table_lookup(d->cells, key);

	if (l) {
		g_free(key);
		return g_object_ref(l);
	}
	if (g_hash_table_size(d->cells) >= CELL_CACHE_MAX)
		g_hash_table_remove_all(d->cells);
	l = cell_layout_new(d, text, c, bold);
	g_hash_table_insert(d->cells, key, g_object_ref(l));
	return l;
}

/* The monospace face of number cells, measured on pango's own layouts
 * so a cell is as tall as pango would make it. */
static struct numface *numface(struct doc *d, bool bold)
{
	struct numface *f = &d->num[bold];
	PangoLayout *one, *two;

	if (f->tried)
		return f->sf ? f : NULL;
	f->tried = true;
	one = layout_font(d, "0", "monospace", NUMBER_PT, bold, 0);
	two = layout_font(d, "0\n0", "monospace", NUMBER_PT, bold, 0);
	f->first_h = layout_height(one);
	f->line_h = layout_height(two) - f->first_h;
	f->baseline = (double)pango_layout_get_baseline(one) / PANGO_SCALE;
	f->font = pango_font_map_load_font(d->fontmap, d->ctx,
					   pango_layout_get_font_description(
						   one));
	if (f->font && PANGO_IS_CAIRO_FONT(f->font))
		f->sf = pango_cairo_font_get_scaled_font(
			PANGO_CAIRO_FONT(f->font));
	if (f->sf && cairo_scaled_font_status(f->sf) != CAIRO_STATUS_SUCCESS)
		f->sf = NULL;
	g_object_unref(one);
	g_object_unref(two);
	return f->sf ? f : NULL;
}

#define NUM_MAX_LINES 4

/* A number cell set from glyphs: its lines at NUMBER_PT, then scaled. */
struct numcell {
	struct numline {
		const char *text;
		int len;
		cairo_glyph_t *glyphs;
		int nglyphs;
		cairo_text_cluster_t *clusters;
		int nclusters;
		cairo_text_cluster_flags_t flags;
		double w; /* at NUMBER_PT */
	} line[NUM_MAX_LINES];
	int nlines;
	double scale; /* <= 1: shrunk to the column */
	const struct numface *face;
};

static void numcell_free(struct numcell *n)
{
	for (int i = 0; i < n->nlines; i++) {
		cairo_glyph_free(n->line[i].glyphs);
		cairo_text_cluster_free(n->line[i].clusters);
	}
	n->nlines = 0;
}

/*
 * Each glyph's advance rounded to a whole point, as pango places glyphs
 * by default (its context rounds glyph positions): the cell looks the
 * same either way.  Returns the line's width.
 */
static double round_advances(struct numline *l, double total)
{
	double x = 0;

	for (int i = 0; i < l->nglyphs; i++) {
		double next = i + 1 < l->nglyphs ? l->glyphs[i + 1].x : total;
		double advance = next - l->glyphs[i].x;

		l->glyphs[i].x = x;
		x += (double)(long)(advance + 0.5);
	}
	return x;
}

/*
 * Set `text` as a number cell from glyphs; false (and nothing held) when
 * it is not printable ASCII on at most NUM_MAX_LINES lines or the face
 * lacks a glyph: pango then lays it out, with its fallback fonts.
 */
static bool numcell_set(struct doc *d, struct numcell *n, const char *text,
			const struct col *c, bool bold)
{
	const struct numface *f = numface(d, bold);
	const char *p = text;
	double w = 0, room = c->w - 4;

	n->nlines = 0;
	if (!f || !*text)
		return false;
	for (;;) {
		const char *end = strchr(p, '\n');
		int len = end ? (int)(end - p) : (int)strlen(p);
		struct numline *l = &n->line[n->nlines];
		cairo_text_extents_t ext;

		if (n->nlines == NUM_MAX_LINES)
			goto fallback;
		for (int i = 0; i < len; i++)
			if (p[i] < 0x20 || p[i] > 0x7e)
				goto fallback;
		l->text = p;
		l->len = len;
		l->glyphs = NULL;
		l->clusters = NULL;
		l->nglyphs = l->nclusters = 0;
		if (cairo_scaled_font_text_to_glyphs(
			    f->sf, 0, 0, p, len, &l->glyphs, &l->nglyphs,
			    &l->clusters, &l->nclusters,
			    &l->flags) != CAIRO_STATUS_SUCCESS)
			goto fallback;
		n->nlines++;
		for (int i = 0; i < l->nglyphs; i++)
			if (l->glyphs[i].index == 0)
				goto fallback; /* not in this face */
		cairo_scaled_font_glyph_extents(f->sf, l->glyphs, l->nglyphs,
						&ext);
		l->w = round_advances(l, ext.x_advance);
		if (l->w > w)
			w = l->w;
		if (!end)
			break;
		p = end + 1;
	}
	n->face = f;
	n->scale = 1;
	if (w > room) {
		n->scale = room / w * 0.98;
		if (n->scale < MIN_NUMBER_PT / NUMBER_PT)
			n->scale = MIN_NUMBER_PT / NUMBER_PT;
	}
	return true;
fallback:
	numcell_free(n);
	return false;
}

static double numcell_height(const struct numcell *n)
{
	return (n->face->first_h + (n->nlines - 1) * n->face->line_h) *
	       n->scale;
}

/* Draw the cell with its top left at (x, y); right-aligned lines end at
 * x + room, as pango's right alignment in that width does. */
static void numcell_draw(struct doc *d, const struct numcell *n,
			 const struct col *c, double x, double y)
{
	double room = c->w - 4;

	for (int i = 0; i < n->nlines; i++) {
		const struct numline *l = &n->line[i];
		double lx = x;

		if (c->align == AL_RIGHT)
			lx += room - l->w * n->scale;
		cairo_save(d->cr);
		cairo_translate(d->cr, lx,
				y + (n->face->baseline + i * n->face->line_h) *
						n->scale);
		cairo_scale(d->cr, n->scale, n->scale);
		cairo_set_scaled_font(d->cr, n->face->sf);
		cairo_show_text_glyphs(d->cr, l->text, l->len, l->glyphs,
				       l->nglyphs, l->clusters, l->nclusters,
				       l->flags);
		cairo_restore(d->cr);
	}
}

enum { ROW_PLAIN, ROW_SHADE, ROW_HEAD, ROW_TOTAL, ROW_WARN };

/* One table row: the tallest cell sets the height; rows never split. */
static void table_row(struct doc *d, const struct table *t,
		      const char *const *cells, int style)
{
	PangoLayout *ls[16];
	struct numcell nums[16];
	double h = 0, x = MARGIN;
	bool bold = style == ROW_HEAD || style == ROW_TOTAL;

	for (size_t i = 0; i < t->n; i++) {
		double ch;
		struct col c = t->cols[i];

		if (style == ROW_HEAD)
			c.number = false; /* headers are words */
		ls[i] = NULL;
		if (c.number && numcell_set(d, &nums[i], cells[i], &c, bold)) {
			ch = numcell_height(&nums[i]);
		} else {
			nums[i].nlines = 0;
			ls[i] = cell_layout(d, cells[i], &t->cols[i], &c, bold);
			ch = layout_height(ls[i]);
		}
		if (ch > h)
			h = ch;
	}
	h += 4;
	ensure(d, h);
	if (style != ROW_PLAIN) {
		static const double rgb[][3] = {
			[ROW_SHADE] = { 0.95, 0.95, 0.95 },
			[ROW_HEAD] = { 0.86, 0.91, 0.97 },
			[ROW_TOTAL] = { 0.90, 0.90, 0.90 },
			[ROW_WARN] = { 1.00, 0.89, 0.89 },
		};

		cairo_set_source_rgb(d->cr, rgb[style][0], rgb[style][1],
				     rgb[style][2]);
		cairo_rectangle(d->cr, MARGIN, d->y, CONTENT_W, h);
		cairo_fill(d->cr);
		cairo_set_source_rgb(d->cr, 0, 0, 0);
	}
	for (size_t i = 0; i < t->n; i++) {
		double cy = d->y + 2;

		/* a one-line number sits on the text's line */
		if (t->cols[i].number && style != ROW_HEAD)
			cy += 0.8;
		if (ls[i]) {
			draw_layout(d, ls[i], x + 2, cy);
			g_object_unref(ls[i]);
		} else if (nums[i].nlines) {
			numcell_draw(d, &nums[i], &t->cols[i], x + 2, cy);
			numcell_free(&nums[i]);
		}
		x += t->cols[i].w;
	}
	d->y += h;
}

static void table_header(struct doc *d)
{
	table_row(d, d->thead, d->thead->head, ROW_HEAD);
}

static void table_begin(struct doc *d, const struct table *t)
{
	ensure(d, 40);
	d->thead = t;
	table_header(d);
}

static void table_end(struct doc *d)
{
	d->thead = NULL;
	d->y += 10;
}

/* ---- the headline -------------------------------------------------------- */

static void headline(struct doc *d, const kmv_report *r)
{
	static const struct col cols[] = {
		{ 230, AL_LEFT, false },
		{ 60, AL_RIGHT, true },
		{ 110, AL_RIGHT, true },
	};
	static const char *const head_zh[] = { "项目", "笔数", "金额 (¥)" };
	static const char *const head_en[] = { "Item", "Count", "Amount (¥)" };
	const struct table t = { W(d, head_zh, head_en), cols, 3 };
	char n1[24], n2[24], n3[24], m1[40], m2[40], m3[40];
	const char *rows[4][3];

	heading(d,
		W(d, "净支出 = 支出 − 退款及收入",
		  "Net spending = spending − refunds and income"),
		80);
	para(d,
	     W(d,
	       "支出：成功的付款，以及已付款但没有付款记录的订单；"
	       "退款及收入：退回的款项与收入，计入发生的期间。"
	       "交易关闭、失败、未付款的记录，以及已通过付款计入的订单，"
	       "不计入，列于“三、不计入的记录”并注明原因。",
	       "Spending: successful payments, and paid orders without a "
	       "payment record; refunds and income: money back and income, in "
	       "the period they happened.  Closed, failed and unpaid records, "
	       "and orders already counted through their payment, count "
	       "nowhere: they are listed under \"3. Not in the totals\" with "
	       "the reason."),
	     8.5, false, 6);
	snprintf(n1, sizeof(n1), "%zu", r->nspent);
	snprintf(n2, sizeof(n2), "%zu", r->nback);
	snprintf(n3, sizeof(n3), "%zu", r->nnone);
	rows[0][0] = W(d, "支出（一、支出明细之和）",
		       "Spending (sum of 1. Spending)");
	rows[0][1] = n1;
	rows[0][2] = kmv_report__money(m1, r->total_spent);
	rows[1][0] = W(d, "退款及收入（二、退款及收入明细之和）",
		       "Refunds and income (sum of 2. Refunds and income)");
	rows[1][1] = n2;
	rows[1][2] = kmv_report__money(m2, r->total_back);
	rows[2][0] = W(d, "不计入（三、不计入的记录）",
		       "Not counted (3. Not in the totals)");
	rows[2][1] = n3;
	rows[2][2] = "0.00";
	rows[3][0] = W(d, "净支出 = 支出 − 退款及收入",
		       "Net spending = spending − refunds and income");
	rows[3][1] = "";
	rows[3][2] = kmv_report__money(m3, r->total_spend);
	table_begin(d, &t);
	for (int i = 0; i < 3; i++)
		table_row(d, &t, rows[i], i % 2 ? ROW_SHADE : ROW_PLAIN);
	table_row(d, &t, rows[3], ROW_TOTAL);
	table_end(d);
}

static void totals_table(struct doc *d, const char *title, const char *key,
			 const kmv_report_totals *t, int64_t total)
{
	static const struct col cols[] = {
		{ 300, AL_LEFT, false },
		{ 120, AL_RIGHT, true },
		{ 60, AL_RIGHT, true },
	};
	const char *head[3] = { key, W(d, "净支出 (¥)", "Net spending (¥)"),
				W(d, "笔数", "Count") };
	const struct table tab = { head, cols, 3 };
	char amount[40], count[24];
	int64_t n = 0;

	heading(d, title, 40);
	table_begin(d, &tab);
	for (size_t i = 0; i < t->count; i++) {
		const char *cells[3];

		snprintf(count, sizeof(count), "%lld",
			 (long long)t->items[i].count);
		cells[0] = t->items[i].key;
		cells[1] = kmv_report__money(amount, t->items[i].amount);
		cells[2] = count;
		n += t->items[i].count;
		table_row(d, &tab, cells, i % 2 ? ROW_SHADE : ROW_PLAIN);
	}
	if (t->count == 0) {
		const char *cells[3] = { W(d, "（无）", "(none)"), "", "" };

		table_row(d, &tab, cells, ROW_PLAIN);
	} else {
		const char *cells[3];

		snprintf(count, sizeof(count), "%lld", (long long)n);
		cells[0] = W(d, "合计（= 净支出）", "Total (= net spending)");
		cells[1] = kmv_report__money(amount, total);
		cells[2] = count;
		table_row(d, &tab, cells, ROW_TOTAL);
	}
	table_end(d);
}

/* ---- charts ------------------------------------------------------------- */

/* A step of 1, 2 or 5 × 10^k fen giving about four grid intervals. */
static int64_t nice_step(int64_t span)
{
	int64_t step = 100; /* ¥1 at least */

	while (span / step > 5) {
		if (span / (step * 2) <= 5)
			return step * 2;
		if (span / (step * 5) <= 5)
			return step * 5;
		step *= 10;
	}
	return step;
}

static const char *yuan_tick(char out[48], int64_t fen)
{
	char money[40];

	snprintf(out, 48, "%s", kmv_report__money(money, fen));
	/* whole yuan: "120" rather than "120.00" */
	if (fen % 100 == 0) {
		char *dot = strrchr(out, '.');

		if (dot)
			*dot = '\0';
	}
	return out;
}

static void grid(struct doc *d, double x0, double x1, double top, double h,
		 int64_t lo, int64_t hi, int64_t step)
{
	char label[48];

	for (int64_t v = lo; v <= hi; v += step) {
		double y = top + h - (double)(v - lo) / (double)(hi - lo) * h;

		cairo_set_source_rgb(d->cr, v == 0 ? 0.2 : 0.82,
				     v == 0 ? 0.2 : 0.82, v == 0 ? 0.2 : 0.82);
		cairo_set_line_width(d->cr, v == 0 ? 0.8 : 0.4);
		cairo_move_to(d->cr, x0, y);
		cairo_line_to(d->cr, x1, y);
		cairo_stroke(d->cr);
		cairo_set_source_rgb(d->cr, 0, 0, 0);
		draw_right(d, yuan_tick(label, v), 7, x0 - 3, y - 4);
	}
}

static void daily_chart(struct doc *d, const kmv_report *r)
{
	const double h = 140, left = 52, bottom = 26;
	const kmv_report_totals *t = &r->by_day;
	int64_t maxv = 0, minv = 0, step, lo, hi;
	double bw, x0, x1, top;
	PangoLayout *l;

	if (t->count == 0)
		return;
	heading(d, W(d, "每日净支出", "Net spending per day"), h + bottom + 16);
	for (size_t i = 0; i < t->count; i++) {
		if (t->items[i].amount > maxv)
			maxv = t->items[i].amount;
		if (t->items[i].amount < minv)
			minv = t->items[i].amount;
	}
	step = nice_step(maxv - minv > 0 ? maxv - minv : 100);
	hi = (maxv + step - 1) / step * step;
	lo = minv < 0 ? -((-minv + step - 1) / step * step) : 0;
	if (hi == lo)
		hi = lo + step;
	top = d->y + 12;
	x0 = MARGIN + left;
	x1 = MARGIN + CONTENT_W;
	l = layout_new(d, W(d, "金额（元）", "Amount (yuan)"), 7, false, 0);
	draw_layout(d, l, MARGIN, d->y);
	g_object_unref(l);
	grid(d, x0, x1, top, h, lo, hi, step);
	/* the y axis */
	cairo_set_line_width(d->cr, 0.6);
	cairo_move_to(d->cr, x0, top);
	cairo_line_to(d->cr, x0, top + h);
	cairo_stroke(d->cr);
	bw = (x1 - x0) / (double)t->count;
	for (size_t i = 0; i < t->count; i++) {
		int64_t v = t->items[i].amount;
		double zero = top + h -
			      (double)(0 - lo) / (double)(hi - lo) * h;
		double y = top + h - (double)(v - lo) / (double)(hi - lo) * h;

		if (v == 0)
			continue;
		if (v > 0)
			cairo_set_source_rgb(d->cr, 0.23, 0.47, 0.75);
		else
			cairo_set_source_rgb(d->cr, 0.30, 0.65, 0.35);
		cairo_rectangle(d->cr, x0 + (double)i * bw + bw * 0.15,
				v > 0 ? y : zero, bw * 0.7,
				v > 0 ? zero - y : y - zero);
		cairo_fill(d->cr);
	}
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	/* x labels: about 8 of them, the first and last day always */
	for (size_t i = 0, step_d = t->count / 8 + 1; i < t->count; i++) {
		if (i % step_d != 0 && i + 1 != t->count)
			continue;
		if (i + 1 == t->count && i % step_d != 0 &&
		    i % step_d < step_d / 2 + 1)
			continue;
		l = layout_new(d, t->items[i].key + 5, 7, false, 0);
		draw_layout(d, l,
			    x0 + (double)i * bw + bw / 2 - layout_width(l) / 2,
			    top + h + 3);
		g_object_unref(l);
	}
	l = layout_new(d,
		       W(d, "日期（月-日）；绿色为退款多于支出的日子",
			 "Date (month-day); green: more back than spent"),
		       7, false, 0);
	draw_layout(d, l, x1 - layout_width(l), top + h + 13);
	g_object_unref(l);
	d->y = top + h + bottom + 6;
}

static void platform_chart(struct doc *d, const kmv_report *r)
{
	const kmv_report_totals *t = &r->by_platform;
	const double bar_h = 12, label_w = 130, value_w = 70;
	size_t n = t->count < 10 ? t->count : 10;
	int64_t maxv = 0, step, hi;
	double x0, x1, top, h;
	char label[48], money[40];
	PangoLayout *l;

	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		int64_t v = t->items[i].amount < 0 ? -t->items[i].amount
						   : t->items[i].amount;

		if (v > maxv)
			maxv = v;
	}
	h = (double)n * (bar_h + 4);
	heading(d, W(d, "按平台净支出", "Net spending per platform"), h + 30);
	step = nice_step(maxv > 0 ? maxv : 100);
	hi = (maxv + step - 1) / step * step;
	if (hi == 0)
		hi = step;
	x0 = MARGIN + label_w;
	x1 = MARGIN + CONTENT_W - value_w;
	top = d->y;
	/* vertical gridlines with their amounts under the chart */
	for (int64_t v = 0; v <= hi; v += step) {
		double x = x0 + (double)v / (double)hi * (x1 - x0);

		cairo_set_source_rgb(d->cr, v == 0 ? 0.2 : 0.82,
				     v == 0 ? 0.2 : 0.82, v == 0 ? 0.2 : 0.82);
		cairo_set_line_width(d->cr, v == 0 ? 0.8 : 0.4);
		cairo_move_to(d->cr, x, top);
		cairo_line_to(d->cr, x, top + h);
		cairo_stroke(d->cr);
		cairo_set_source_rgb(d->cr, 0, 0, 0);
		l = layout_new(d, yuan_tick(label, v), 7, false, 0);
		draw_layout(d, l, x - layout_width(l) / 2, top + h + 2);
		g_object_unref(l);
	}
	for (size_t i = 0; i < n; i++) {
		int64_t v = t->items[i].amount;
		double y = top + (double)i * (bar_h + 4) + 2;
		double w = (double)(v < 0 ? -v : v) / (double)hi * (x1 - x0);

		l = layout_new(d, t->items[i].key, 7.5, false, label_w - 6);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		pango_layout_set_height(l, 0); /* one line */
		draw_layout(d, l, MARGIN, y + 1);
		g_object_unref(l);
		if (v >= 0)
			cairo_set_source_rgb(d->cr, 0.23, 0.47, 0.75);
		else
			cairo_set_source_rgb(d->cr, 0.30, 0.65, 0.35);
		cairo_rectangle(d->cr, x0, y, w, bar_h);
		cairo_fill(d->cr);
		cairo_set_source_rgb(d->cr, 0, 0, 0);
		draw_right(d, kmv_report__money(money, v), 7.5,
			   MARGIN + CONTENT_W, y + 1);
	}
	l = layout_new(d, W(d, "金额（元）", "Amount (yuan)"), 7, false, 0);
	draw_layout(d, l, x1 - layout_width(l), top + h + 11);
	g_object_unref(l);
	d->y = top + h + 26;
}

/* ---- records -------------------------------------------------------------- */

static const char *status_words(const struct doc *d, char *out, size_t outsz,
				const kmv_report_row *x)
{
	const char *zh = kmv_report__label(d->lang, "status", x->rec.status);

	/* an unknown state shows the shop's own word, unless it is a code */
	if ((!x->rec.status || strcmp(x->rec.status, "unknown") == 0) &&
	    x->rec.status_raw && *x->rec.status_raw &&
	    !(x->rec.status_raw[0] >= '0' && x->rec.status_raw[0] <= '9') &&
	    x->rec.status_raw[0] != '-')
		zh = x->rec.status_raw;
	else if (!x->rec.status)
		zh = "";
	snprintf(out, outsz, "%s", zh);
	return out;
}

static void row_cells(const struct doc *d, const kmv_report_row *x,
		      char when[32], char who[256], kmv_buf *what,
		      char nos[256], char state[64], char amount[48])
{
	char money[40];
	const char *o = x->rec.order_no            ? x->rec.order_no
			: x->rec.merchant_order_no ? x->rec.merchant_order_no
						   : "";

	when[0] = amount[0] = '\0';
	if (x->time && strlen(x->time) >= 16)
		snprintf(when, 32, "%.10s\n%.5s", x->time, x->time + 11);
	if (x->rec.platform && x->rec.merchant &&
	    strcmp(x->rec.platform, x->rec.merchant))
		snprintf(who, 256, "%s / %s", x->rec.platform, x->rec.merchant);
	else
		snprintf(who, 256, "%s",
			 x->rec.platform   ? x->rec.platform
			 : x->rec.merchant ? x->rec.merchant
					   : "");
	snprintf(nos, 256, "%s%s%s", o, *o && x->rec.payment_no ? "\n" : "",
		 x->rec.payment_no ? x->rec.payment_no : "");
	status_words(d, state, 64, x);
	if (x->rec.has_amount)
		snprintf(amount, 48, "%s",
			 kmv_report__money(money, x->rec.amount));
	kmv_buf_clear(what);
	kmv_buf_puts(what, x->rec.product ? x->rec.product : "");
	if (x->anomalies) {
		if (what->size)
			kmv_buf_putc(what, '\n');
		kmv_buf_puts(what, W(d, "【异常：", "[anomaly: "));
		kmv_report__anomaly_words(what, x->anomalies, d->lang);
		kmv_buf_puts(what, W(d, "】", "]"));
	}
}

/* The rows of one term with their sum; `term` NONE lists the reasons. */
/* The records table's columns: "why not counted" added for KMV_TERM_NONE. */
static struct table records_table_spec(const struct doc *d,
				       kmv_report_term term)
{
	static const char *const head[] = {
		"时间", "类型", "平台/商户", "商品", "单号", "状态", "金额 (¥)",
	};
	static const char *const head_en[] = {
		"Time",    "Kind",   "Platform / merchant", "Product",
		"Numbers", "Status", "Amount (¥)",
	};
	static const struct col cols[] = {
		{ 50, AL_LEFT, true },    { 26, AL_LEFT, false },
		{ 86, AL_LEFT, false },   { 126, AL_LEFT, false },
		{ 117, AL_LEFT, true },   { 46, AL_LEFT, false },
		{ 60.2, AL_RIGHT, true },
	};
	static const char *const head_none[] = {
		"时间", "类型", "平台/商户", "商品",
		"单号", "状态", "金额 (¥)",  "不计入的原因",
	};
	static const char *const head_none_en[] = {
		"Time",    "Kind",   "Platform / merchant", "Product",
		"Numbers", "Status", "Amount (¥)",          "Why not counted",
	};
	static const struct col cols_none[] = {
		{ 50, AL_LEFT, true },  { 24, AL_LEFT, false },
		{ 62, AL_LEFT, false }, { 70, AL_LEFT, false },
		{ 117, AL_LEFT, true }, { 36, AL_LEFT, false },
		{ 50, AL_RIGHT, true }, { 102.2, AL_LEFT, false },
	};
	return term == KMV_TERM_NONE
		       ? (struct table){ W(d, head_none, head_none_en),
					 cols_none, 8 }
		       : (struct table){ W(d, head, head_en), cols, 7 };
}

/* The table's last row: how many records and their sum. */
static void total_row(struct doc *d, const struct table *t, int64_t total,
		      size_t count)
{
	char money[40], label[64];
	const char *cells[7] = { "", "", "", "", "", "", "" };

	snprintf(label, sizeof(label), W(d, "合计（%zu 笔）", "Total (%zu)"),
		 count);
	cells[3] = label;
	cells[6] = kmv_report__money(money, total);
	table_row(d, t, cells, ROW_TOTAL);
}

static void records_table(struct doc *d, const kmv_report *r,
			  kmv_report_term term, const char *title,
			  int64_t total, size_t count)
{
	const struct table t = records_table_spec(d, term);
	kmv_buf what = KMV_BUF_INIT, why = KMV_BUF_INIT;
	size_t shown = 0;

	heading(d, title, 40);
	table_begin(d, &t);
	for (size_t i = 0; i < r->nrows; i++) {
		const kmv_report_row *x = &r->rows[i];
		char when[32], who[256], nos[256], state[64], amount[48];
		const char *cells[8];

		if (x->term != term)
			continue;
		row_cells(d, x, when, who, &what, nos, state, amount);
		cells[0] = when;
		cells[1] = kmv_report__label(d->lang, "kind",
					     kmv_record_kind_name(x->rec.kind));
		cells[2] = who;
		cells[3] = what.size ? what.ptr : "";
		cells[4] = nos;
		cells[5] = state;
		cells[6] = amount;
		if (term == KMV_TERM_NONE) {
			kmv_buf_clear(&why);
			kmv_report__count_words(&why, x, d->lang);
			cells[7] = why.size ? why.ptr : "";
		}
		table_row(d, &t, cells,
			  x->anomalies ? ROW_WARN
			  : shown % 2  ? ROW_SHADE
				       : ROW_PLAIN);
		shown++;
	}
	if (shown == 0) {
		const char *cells[8] = { "", "", W(d, "（无）", "(none)"),
					 "", "", "",
					 "", "" };

		table_row(d, &t, cells, ROW_PLAIN);
	}
	if (term != KMV_TERM_NONE)
		total_row(d, &t, total, count);
	table_end(d);
	kmv_buf_dispose(&what);
	kmv_buf_dispose(&why);
}

static void anomalies(struct doc *d, const kmv_report *r)
{
	kmv_buf text = KMV_BUF_INIT;

	heading(d, W(d, "本期异常", "Anomalies of the period"), 20);
	if (r->nanomalies == 0)
		para(d, W(d, "未发现异常。", "No anomalies found."), 9, false,
		     4);
	for (size_t i = 0; i < r->nanomalies; i++) {
		const kmv_report_anomaly *a = &r->anomalies[i];
		char money[40];

		kmv_buf_clear(&text);
		/*
		 * The type, order, amount and records, then the anomaly's
		 * own sentence, collected in the document's language
		 * (kmv_report_collect_lang: Chinese whatever the locale).
		 */
		kmv_buf_printf(&text,
			       W(d, "%zu. 【%s】订单 %s，涉及 ¥%s",
				 "%zu. [%s] order %s, ¥%s at stake"),
			       i + 1,
			       kmv_report__label(d->lang, "anomaly", a->type),
			       a->order_no
				       ? a->order_no
				       : W(d, "（无订单号）", "(no number)"),
			       kmv_report__money(money, a->amount));
		for (size_t k = 0; k < a->nrecords; k++)
			kmv_buf_printf(&text, "%s#%lld",
				       k ? W(d, "、", ", ")
					 : W(d, "；记录 ", "; records "),
				       (long long)a->records[k]);
		kmv_buf_puts(&text, W(d, "。", "."));
		if (a->detail && *a->detail)
			kmv_buf_printf(&text, "\n%s", a->detail);
		para(d, text.ptr, 9, false, 3);
	}
	if (r->nanomalies)
		para(d,
		     W(d, "明细中有异常的记录以浅红底色标出。",
		       "Records with an anomaly are shaded light red in the "
		       "tables."),
		     8.5, false, 4);
	d->y += 6;
	kmv_buf_dispose(&text);
}

static int doc_begin(struct doc *d, kmv_buf *out, const char *title,
		     const char *footer_text, kmv_buf *family)
{
	int error;

	memset(d, 0, sizeof(*d));
	if ((error = kmv_pdf__cjk_family(family)) < 0)
		return error;
	d->family = family->ptr;
	d->footer = footer_text;
	d->surface = cairo_pdf_surface_create_for_stream(write_buf, out, PAGE_W,
							 PAGE_H);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE,
				       title);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR,
				       "kmvault");
	d->cr = cairo_create(d->surface);
	d->cells = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					 g_object_unref);
	d->fonts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					 (GDestroyNotify)
						 pango_font_description_free);
	d->fontmap = pango_cairo_font_map_new();
	d->ctx = pango_font_map_create_context(d->fontmap);
	pango_cairo_update_context(d->cr, d->ctx);
	new_page(d);
	return 0;
}

static int doc_end(struct doc *d)
{
	cairo_status_t st;

	footer(d);
	cairo_show_page(d->cr);
	cairo_destroy(d->cr);
	cairo_surface_finish(d->surface);
	st = cairo_surface_status(d->surface);
	cairo_surface_destroy(d->surface);
	g_hash_table_destroy(d->cells);
	g_hash_table_destroy(d->fonts);
	for (size_t i = 0; i < 2; i++)
		if (d->num[i].font)
			g_object_unref(d->num[i].font);
	g_object_unref(d->ctx);
	g_object_unref(d->fontmap);
	if (st != CAIRO_STATUS_SUCCESS) {
		kmv_error_set(KMV_ERROR_INTERNAL, "cannot write the PDF: %s",
			      cairo_status_to_string(st));
		return KMV_ERROR;
	}
	return 0;
}

int kmv_report_pdf(kmv_buf *out, const kmv_report *r)
{
	struct doc d;
	kmv_buf family = KMV_BUF_INIT, line = KMV_BUF_INIT;
	char footer_text[96];
	const char *title;
	int error = 0;

	KMV_ASSERT_ARG(out && r);
	title = r->lang == KMV_LANG_EN ? "kmvault spending report"
				       : "kmvault 消费报表";
	snprintf(footer_text, sizeof(footer_text), "%s %s", title,
		 r->period.label);
	KMV_TRY(doc_begin(&d, out, title, footer_text, &family));
	d.lang = r->lang;
	para(&d, title, 20, true, 6);
	kmv_buf_printf(&line,
		       W(&d, "期间：%s（%s 至 %s，北京时间）",
			 "Period: %s (%s to %s, China Standard Time)"),
		       r->period.label, r->period.first_day,
		       r->period.last_day);
	para(&d, line.ptr, 10, false, 2);
	kmv_buf_clear(&line);
	kmv_buf_printf(&line,
		       W(&d, "生成时间：%s　·　记录 %zu 条　·　异常 %zu 项",
			 "Generated %s · %zu records · %zu anomalies"),
		       r->generated_at, r->nrows, r->nanomalies);
	para(&d, line.ptr, 10, false, 8);
	headline(&d, r);
	totals_table(&d, W(&d, "按平台汇总", "Totals per platform"),
		     W(&d, "平台", "Platform"), &r->by_platform,
		     r->total_spend);
	totals_table(&d, W(&d, "按分类汇总", "Totals per category"),
		     W(&d, "分类", "Category"), &r->by_category,
		     r->total_spend);
	daily_chart(&d, r);
	platform_chart(&d, r);
	/* short sections before the long tables: no near-empty last page */
	anomalies(&d, r);
	records_table(&d, r, KMV_TERM_SPENT,
		      W(&d, "一、支出明细", "1. Spending"), r->total_spent,
		      r->nspent);
	records_table(&d, r, KMV_TERM_BACK,
		      W(&d, "二、退款及收入明细", "2. Refunds and income"),
		      r->total_back, r->nback);
	records_table(&d, r, KMV_TERM_NONE,
		      W(&d, "三、不计入的记录", "3. Not in the totals"), 0,
		      r->nnone);
	error = doc_end(&d);
done:
	kmv_buf_dispose(&family);
	kmv_buf_dispose(&line);
	return error;
}

/* One pass of a text document; *npages: how many pages it took. */
static int text_pdf(kmv_buf *out, const char *title, const char *text, int lang,
		    int pages, int *npages)
{
	struct doc d;
	kmv_buf family = KMV_BUF_INIT, para_text = KMV_BUF_INIT;
	const char *p = text;
	int error = 0;

	KMV_TRY(doc_begin(&d, out, title, title, &family));
	d.lang = lang;
	d.pages = pages;
	para(&d, title, 18, true, 10);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		kmv_buf_clear(&para_text);
		if ((error = kmv_buf_put(&para_text, p, n)) < 0)
			break;
		/* An empty line is a paragraph gap. */
		if (n == 0)
			d.y += 6;
		else
			para(&d, para_text.ptr, 10.5, false, 2);
		p += n;
		if (*p == '\n')
			p++;
	}
	*npages = d.page;
	{
		int end = doc_end(&d);

		if (error == 0)
			error = end;
	}
done:
	kmv_buf_dispose(&family);
	kmv_buf_dispose(&para_text);
	return error;
}

int kmv_report_text_pdf(kmv_buf *out, const char *title, const char *text,
			int lang)
{
	kmv_buf draft = KMV_BUF_INIT;
	int pages = 0, error;

	KMV_ASSERT_ARG(out && title && text);
	/* the footer says "of N": lay it out once to count the pages */
	error = text_pdf(&draft, title, text, lang, 0, &pages);
	kmv_buf_dispose(&draft);
	if (error < 0)
		return error;
	return text_pdf(out, title, text, lang, pages, &pages);
}
