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

#include "kmv/money.h"

#define PAGE_W 595.276 /* A4 in points */
#define PAGE_H 841.890
#define MARGIN 42.0
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define BOTTOM (PAGE_H - MARGIN - 18.0)

#if defined(__SANITIZE_ADDRESS__)
/*
 * fontconfig 2.14 (Debian 12) leaks about 300 bytes once per process while
 * parsing its configuration (inside FcInitLoadConfigAndFonts; without
 * frame pointers the stack shows only the library).  Not ours
 * and not fixable from here: suppressed for the sanitizer builds only.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}
#endif

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
	if (!match || FcPatternGetCharSet(match, FC_CHARSET, 0, &cs) != FcResultMatch ||
	    !FcCharSetHasChar(cs, 0x4E2D) || !FcCharSetHasChar(cs, 0x5355) ||
	    FcPatternGetString(match, FC_FAMILY, 0, &family) != FcResultMatch) {
		kmv_error_set(KMV_ERROR_INTERNAL, "no font with Chinese glyphs "
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

struct doc {
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoFontMap *fontmap;      /* private, so its caches go with it */
	PangoContext *ctx;
	const char *family;
	double y;
	int page;
	const char *footer;
	/* records table header, repeated on each new page while set */
	const char *const *thead;
	const double *tcols;
	size_t ncols;
};

static cairo_status_t write_buf(void *closure, const unsigned char *data,
				unsigned int len)
{
	return kmv_buf_put(closure, data, len) < 0 ? CAIRO_STATUS_WRITE_ERROR
						   : CAIRO_STATUS_SUCCESS;
}

static PangoLayout *layout_new(struct doc *d, const char *text, double size,
			       bool bold, double width)
{
	PangoLayout *l = pango_layout_new(d->ctx);
	PangoFontDescription *fd = pango_font_description_new();

	pango_font_description_set_family(fd, d->family);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

static double layout_height(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void draw_layout(struct doc *d, PangoLayout *l, double x, double y)
{
	cairo_move_to(d->cr, x, y);
	pango_cairo_show_layout(d->cr, l);
}

static void footer(struct doc *d)
{
	char text[96];
	PangoLayout *l;
	int w, h;

	snprintf(text, sizeof(text), "%s · 第 %d 页", d->footer, d->page);
	l = layout_new(d, text, 8, false, 0);
	pango_layout_get_size(l, &w, &h);
	cairo_set_source_rgb(d->cr, 0.4, 0.4, 0.4);
	draw_layout(d, l, (PAGE_W - (double)w / PANGO_SCALE) / 2, PAGE_H - MARGIN);
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

/* One table row: cells wrapped in their columns; the tallest sets the height. */
static void table_row(struct doc *d, const char *const *cells, size_t n,
		      const double *cols, bool bold, bool shade)
{
	PangoLayout *ls[16];
	double h = 0, x = MARGIN;

	for (size_t i = 0; i < n; i++) {
		double ch;

		ls[i] = layout_new(d, cells[i], 8, bold, cols[i] - 4);
		ch = layout_height(ls[i]);
		if (ch > h)
			h = ch;
	}
	h += 4;
	ensure(d, h);
	if (shade) {
		cairo_set_source_rgb(d->cr, bold ? 0.86 : 0.95, bold ? 0.91 : 0.95,
				     bold ? 0.97 : 0.95);
		cairo_rectangle(d->cr, MARGIN, d->y, CONTENT_W, h);
		cairo_fill(d->cr);
		cairo_set_source_rgb(d->cr, 0, 0, 0);
	}
	for (size_t i = 0; i < n; i++) {
		draw_layout(d, ls[i], x + 2, d->y + 2);
		x += cols[i];
		g_object_unref(ls[i]);
	}
	d->y += h;
}

static void table_header(struct doc *d)
{
	table_row(d, d->thead, d->ncols, d->tcols, true, true);
}

static void totals_table(struct doc *d, const char *title,
			 const kmv_report_totals *t)
{
	static const double cols[] = { 300, 120, 95 };
	const char *head[3] = { title, "金额 (¥)", "笔数" };

	table_row(d, head, 3, cols, true, true);
	for (size_t i = 0; i < t->count; i++) {
		char amount[40], count[24];
		const char *cells[3];

		snprintf(count, sizeof(count), "%lld", (long long)t->items[i].count);
		cells[0] = t->items[i].key;
		cells[1] = kmv_report__money(amount, t->items[i].amount);
		cells[2] = count;
		table_row(d, cells, 3, cols, false, i % 2 == 1);
	}
	if (t->count == 0) {
		const char *cells[3] = { "（无）", "", "" };

		table_row(d, cells, 3, cols, false, false);
	}
	d->y += 10;
}

static void chart(struct doc *d, const kmv_report *r)
{
	const double h = 150, axis = 16, left = 46;
	const kmv_report_totals *t = &r->by_day;
	double maxv = 0, bw, x0, base;
	char label[48], amount[40];
	PangoLayout *l;

	if (t->count == 0)
		return;
	ensure(d, h + axis + 24);
	para(d, "每日支出", 12, true, 4);
	for (size_t i = 0; i < t->count; i++)
		if ((double)t->items[i].amount > maxv)
			maxv = (double)t->items[i].amount;
	x0 = MARGIN + left;
	base = d->y + h;
	bw = (CONTENT_W - left) / (double)t->count;
	/* axes */
	cairo_set_line_width(d->cr, 0.6);
	cairo_move_to(d->cr, x0, d->y);
	cairo_line_to(d->cr, x0, base);
	cairo_line_to(d->cr, MARGIN + CONTENT_W, base);
	cairo_stroke(d->cr);
	snprintf(label, sizeof(label), "¥%s", kmv_report__money(amount, (int64_t)maxv));
	l = layout_new(d, label, 7, false, 0);
	draw_layout(d, l, MARGIN, d->y - 4);
	g_object_unref(l);
	l = layout_new(d, "¥0", 7, false, 0);
	draw_layout(d, l, MARGIN, base - 8);
	g_object_unref(l);
	cairo_set_source_rgb(d->cr, 0.23, 0.47, 0.75);
	for (size_t i = 0; i < t->count; i++) {
		double v = (double)t->items[i].amount;
		double bh = maxv > 0 && v > 0 ? v / maxv * (h - 6) : 0;

		if (bh > 0) {
			cairo_rectangle(d->cr, x0 + (double)i * bw + bw * 0.15,
					base - bh, bw * 0.7, bh);
			cairo_fill(d->cr);
		}
	}
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	/* x labels: about 8 of them, first and last always */
	for (size_t i = 0; i < t->count; i++) {
		size_t step = t->count / 8 + 1;

		if (i % step != 0 && i + 1 != t->count)
			continue;
		if (i + 1 == t->count && i % step != 0 && i % step < step / 2 + 1)
			continue;
		snprintf(label, sizeof(label), "%s", t->items[i].key + 5);
		l = layout_new(d, label, 7, false, 0);
		draw_layout(d, l, x0 + (double)i * bw, base + 3);
		g_object_unref(l);
	}
	d->y = base + axis + 10;
}

static const char *kind_zh(const char *kind)
{
	if (!kind)
		return "";
	if (strcmp(kind, "order") == 0)
		return "订单";
	if (strcmp(kind, "payment") == 0)
		return "付款";
	if (strcmp(kind, "receipt") == 0)
		return "回执";
	return kind;
}

static void records_table(struct doc *d, const kmv_report *r)
{
	static const char *const head[] = {
		"时间", "类型", "平台/商户", "商品", "单号", "金额 (¥)", "状态",
	};
	static const double cols[] = { 68, 30, 92, 126, 112, 50, 33.2 };

	para(d, "记录明细", 12, true, 4);
	d->thead = head;
	d->tcols = cols;
	d->ncols = KMV_ARRAY_SIZE(head);
	ensure(d, 40);
	table_header(d);
	for (size_t i = 0; i < r->nrows; i++) {
		const kmv_report_row *x = &r->rows[i];
		char when[24] = "", who[256], nos[256], amount[48] = "";
		char money[40];
		const char *cells[7];

		if (x->time && strlen(x->time) >= 16)
			snprintf(when, sizeof(when), "%.10s %.5s", x->time, x->time + 11);
		if (x->platform && x->merchant && strcmp(x->platform, x->merchant))
			snprintf(who, sizeof(who), "%s / %s", x->platform, x->merchant);
		else
			snprintf(who, sizeof(who), "%s", x->platform ? x->platform
					: x->merchant ? x->merchant : "");
		{
			const char *o = x->order_no ? x->order_no
				      : x->merchant_order_no ? x->merchant_order_no : "";

			snprintf(nos, sizeof(nos), "%s%s%s", o,
				 *o && x->payment_no ? "\n" : "",
				 x->payment_no ? x->payment_no : "");
		}
		if (x->has_amount)
			snprintf(amount, sizeof(amount), "%s%s",
				 x->direction && strcmp(x->direction, "in") == 0 ? "+" : "",
				 kmv_report__money(money, x->amount));
		cells[0] = when;
		cells[1] = kind_zh(x->kind);
		cells[2] = who;
		cells[3] = x->product ? x->product : "";
		cells[4] = nos;
		cells[5] = amount;
		cells[6] = x->status_raw ? x->status_raw : x->status ? x->status : "";
		table_row(d, cells, 7, cols, false, i % 2 == 1);
	}
	if (r->nrows == 0) {
		const char *cells[7] = { "（本期无记录）", "", "", "", "", "", "" };

		table_row(d, cells, 7, cols, false, false);
	}
	d->thead = NULL;
	d->y += 10;
}

static void anomalies(struct doc *d, const kmv_report *r)
{
	kmv_buf text = KMV_BUF_INIT;

	para(d, "本期异常", 12, true, 4);
	if (r->nanomalies == 0)
		para(d, "未发现异常。", 9, false, 4);
	for (size_t i = 0; i < r->nanomalies; i++) {
		const kmv_report_anomaly *a = &r->anomalies[i];
		char money[40];

		kmv_buf_clear(&text);
		kmv_buf_printf(&text, "%zu. [%s] 订单 %s，涉及 ¥%s：%s", i + 1,
			       a->type ? a->type : "", a->order_no ? a->order_no : "-",
			       kmv_report__money(money, a->amount),
			       a->detail ? a->detail : "");
		if (a->suggestion)
			kmv_buf_printf(&text, "（建议：%s）", a->suggestion);
		para(d, text.ptr, 9, false, 3);
	}
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
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR,
				       "kmvault");
	d->cr = cairo_create(d->surface);
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
	char footer_text[96], m1[40], m2[40], m3[40];
	int error = 0;

	KMV_ASSERT_ARG(out && r);
	snprintf(footer_text, sizeof(footer_text), "kmvault 消费报表 %s",
		 r->period.label);
	KMV_TRY(doc_begin(&d, out, "kmvault 消费报表", footer_text, &family));
	para(&d, "kmvault 消费报表", 20, true, 6);
	kmv_buf_printf(&line, "期间：%s（%s 至 %s，北京时间）", r->period.label,
		       r->period.first_day, r->period.last_day);
	para(&d, line.ptr, 10, false, 2);
	kmv_buf_clear(&line);
	kmv_buf_printf(&line, "生成时间：%s", r->generated_at);
	para(&d, line.ptr, 10, false, 8);
	kmv_buf_clear(&line);
	kmv_buf_printf(&line, "净支出 ¥%s　·　付款支出 ¥%s　·　收入/退款 ¥%s　·　"
		       "记录 %zu 条　·　异常 %zu 项",
		       kmv_report__money(m1, r->total_spend),
		       kmv_report__money(m2, r->total_out),
		       kmv_report__money(m3, r->total_in), r->nrows, r->nanomalies);
	para(&d, line.ptr, 11, true, 10);
	para(&d, "按平台汇总", 12, true, 4);
	totals_table(&d, "平台", &r->by_platform);
	para(&d, "按分类汇总", 12, true, 4);
	totals_table(&d, "分类", &r->by_category);
	chart(&d, r);
	records_table(&d, r);
	anomalies(&d, r);
	error = doc_end(&d);
done:
	kmv_buf_dispose(&family);
	kmv_buf_dispose(&line);
	return error;
}

int kmv_report_text_pdf(kmv_buf *out, const char *title, const char *text)
{
	struct doc d;
	kmv_buf family = KMV_BUF_INIT, para_text = KMV_BUF_INIT;
	const char *p = text;
	int error = 0;

	KMV_ASSERT_ARG(out && title && text);
	KMV_TRY(doc_begin(&d, out, title, title, &family));
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
