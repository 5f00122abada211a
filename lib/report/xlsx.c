/* SPDX-License-Identifier: MIT */
/*
 * XLSX reports through libxlsxwriter.
 *
 * Sheet 记录: one row per record; identifiers are string cells (never
 * numbers, so 28-digit trade numbers survive), amounts numeric cells with
 * a ¥ number format, times real date cells, the header row frozen and an
 * auto-filter over the table.  Sheet 汇总: totals by platform, category
 * and month.
 *
 * libxlsxwriter 1.1.4 can only write to a named file and keeps scratch
 * parts in temporary files; both go to the output's own directory (the
 * place the user chose for plaintext), the file is created 0600 under a
 * temporary name and renamed into place only once complete.
 */
#include "common.h"
#include "report/report.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "kmvutil/datetime.h"
#include "kmv/doclabel.h"

static lxw_datetime to_lxw(int64_t ts, int offset_min)
{
	lxw_datetime dt;
	int64_t local = ts + (int64_t)offset_min * 60;
	int64_t days = local / 86400, secs = local % 86400;
	int64_t y;
	unsigned m, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	kmv_civil_from_days(days, &y, &m, &d);
	dt.year = (int)y;
	dt.month = (int)m;
	dt.day = (int)d;
	dt.hour = (int)(secs / 3600);
	dt.min = (int)(secs / 60 % 60);
	dt.sec = (double)(secs % 60);
	return dt;
}

static double yuan(int64_t fen)
{
	return (double)fen / 100.0;
}

struct formats {
	lxw_format *header;
	lxw_format *money;
	lxw_format *date;
	lxw_format *text;
	lxw_format *title;
	lxw_format *warn;
};

static void put_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
		     const char *s, lxw_format *fmt)
{
	if (s && *s)
		worksheet_write_string(ws, row, col, s, fmt);
}

/* One record's row of the records sheet; why and anomalies are scratch. */
static void record_row(lxw_worksheet *ws, lxw_row_t row, const kmv_report *r,
		       const kmv_report_row *x, const struct formats *f,
		       kmv_buf *why, kmv_buf *anomalies)
{
	worksheet_write_number(ws, row, 0, (double)x->rec.id, NULL);
	put_text(ws, row, 1,
		 kmv_report__label(r->lang, "kind",
				   kmv_record_kind_name(x->rec.kind)),
		 NULL);
	if (x->time) {
		lxw_datetime dt = to_lxw(x->rec.time.epoch,
					 x->rec.time.offset_min);

		worksheet_write_datetime(ws, row, 2, &dt, f->date);
	}
	put_text(ws, row, 3, x->rec.platform, NULL);
	put_text(ws, row, 4, x->rec.merchant, NULL);
	/* IDs as text cells: Excel must not round them. */
	put_text(ws, row, 5, x->rec.order_no, f->text);
	put_text(ws, row, 6, x->rec.payment_no, f->text);
	put_text(ws, row, 7, x->rec.merchant_order_no, f->text);
	put_text(ws, row, 8, x->rec.product, NULL);
	if (x->rec.quantity)
		worksheet_write_number(ws, row, 9, (double)x->rec.quantity,
				       NULL);
	if (x->rec.has_amount)
		worksheet_write_number(ws, row, 10, yuan(x->rec.amount),
				       f->money);
	put_text(ws, row, 11,
		 kmv_report__label(r->lang, "direction",
				   kmv_direction_name(x->rec.direction)),
		 NULL);
	put_text(ws, row, 12,
		 kmv_report__label(r->lang, "status", x->rec.status), NULL);
	put_text(ws, row, 13, x->rec.category, NULL);
	put_text(ws, row, 14, x->rec.payment_method, NULL);
	worksheet_write_number(ws, row, 15, yuan(x->spend), f->money);
	put_text(ws, row, 16, x->rec.source_file, NULL);
	if (x->rec.source_line)
		worksheet_write_number(ws, row, 17, (double)x->rec.source_line,
				       NULL);
	put_text(ws, row, 18,
		 kmv_report__label(r->lang, "term",
				   kmv_report_term_name(x->term)),
		 NULL);
	kmv_buf_clear(why);
	kmv_buf_clear(anomalies);
	/* out of memory only leaves a cell empty */
	if (kmv_report__count_words(why, x, r->lang) == 0 && why->size)
		put_text(ws, row, 19, why->ptr, NULL);
	if (kmv_report__anomaly_words(anomalies, x->anomalies, r->lang) == 0 &&
	    anomalies->size)
		put_text(ws, row, 20, anomalies->ptr, f->warn);
}

/* The headline under the table from `row` on, each a sum of 计入支出. */
static void records_totals(lxw_worksheet *ws, lxw_row_t row,
			   const kmv_report *r, const struct formats *f)
{
	worksheet_write_string(ws, row, 1,
			       KMV_REPORT_W(r, "合计：支出", "Total: spending"),
			       f->header);
	worksheet_write_number(ws, row++, 15, yuan(r->total_spent), f->money);
	worksheet_write_string(ws, row, 1,
			       KMV_REPORT_W(r, "合计：退款及收入",
					    "Total: refunds and income"),
			       f->header);
	worksheet_write_number(ws, row++, 15, yuan(-r->total_back), f->money);
	worksheet_write_string(ws, row, 1,
			       KMV_REPORT_W(r,
					    "合计：净支出 = 支出 − 退款及收入",
					    "Total: net spending = spending − "
					    "refunds and income"),
			       f->header);
	worksheet_write_number(ws, row, 15, yuan(r->total_spend), f->money);
}

static void records_sheet(lxw_workbook *wb, const kmv_report *r,
			  const struct formats *f)
{
	/* The report's records columns but the raw status (the CSV's). */
	static const char *const headers[] = {
		KMV_REPORT_RECORD_COLUMNS(KMV_REPORT__ZH, KMV_REPORT__NONE)
	};
	static const char *const headers_en[] = {
		KMV_REPORT_RECORD_COLUMNS(KMV_REPORT__EN, KMV_REPORT__NONE)
	};
	static const double widths[] = {
		KMV_REPORT_RECORD_COLUMNS(KMV_REPORT__WIDTH, KMV_REPORT__NONE)
	};
	lxw_worksheet *ws = workbook_add_worksheet(wb, KMV_REPORT_W(r, "记录",
								    "Records"));
	kmv_buf why = KMV_BUF_INIT, anomalies = KMV_BUF_INIT;
	lxw_row_t row = 1;

	for (lxw_col_t c = 0; c < KMV_ARRAY_SIZE(headers); c++) {
		worksheet_write_string(ws, 0, c,
				       KMV_REPORT_W(r, headers, headers_en)[c],
				       f->header);
		worksheet_set_column(ws, c, c, widths[c], NULL);
	}
	for (size_t i = 0; i < r->nrows; i++, row++)
		record_row(ws, row, r, &r->rows[i], f, &why, &anomalies);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, r->nrows ? (lxw_row_t)r->nrows : 1,
			     KMV_ARRAY_SIZE(headers) - 1);
	records_totals(ws, row + 1, r, f);
	kmv_buf_dispose(&why);
	kmv_buf_dispose(&anomalies);
}

static lxw_row_t totals_block(const kmv_report *r, lxw_worksheet *ws,
			      lxw_row_t row, const char *title,
			      const kmv_report_totals *t,
			      const struct formats *f)
{
	worksheet_write_string(ws, row, 0, title, f->header);
	worksheet_write_string(ws, row, 1, KMV_REPORT_W(r, "金额", "Amount"),
			       f->header);
	worksheet_write_string(ws, row, 2, KMV_REPORT_W(r, "笔数", "Count"),
			       f->header);
	row++;
	for (size_t i = 0; i < t->count; i++, row++) {
		worksheet_write_string(ws, row, 0, t->items[i].key, NULL);
		worksheet_write_number(ws, row, 1, yuan(t->items[i].amount),
				       f->money);
		worksheet_write_number(ws, row, 2, (double)t->items[i].count,
				       NULL);
	}
	return row + 1;
}

static void summary_sheet(lxw_workbook *wb, const kmv_report *r,
			  const struct formats *f)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, KMV_REPORT_W(r, "汇总",
								    "Summary"));
	lxw_row_t row = 0;

	worksheet_set_column(ws, 0, 0, 28, NULL);
	worksheet_set_column(ws, 1, 2, 14, NULL);
	worksheet_write_string(ws, row++, 0,
			       KMV_REPORT_W(r, "kmvault 消费报表",
					    "kmvault spending report"),
			       f->title);
	worksheet_write_string(ws, row, 0, KMV_REPORT_W(r, "期间", "Period"),
			       NULL);
	worksheet_write_string(ws, row++, 1, r->period.label, NULL);
	worksheet_write_string(ws, row, 0, KMV_REPORT_W(r, "记录数", "Records"),
			       NULL);
	worksheet_write_number(ws, row++, 1, (double)r->nrows, NULL);
	worksheet_write_string(
		ws, row, 0,
		KMV_REPORT_W(r, "净支出 = 支出 − 退款及收入",
			     "Net spending = spending − refunds and income"),
		NULL);
	worksheet_write_number(ws, row++, 1, yuan(r->total_spend), f->money);
	worksheet_write_string(ws, row, 0, KMV_REPORT_W(r, "支出", "Spending"),
			       NULL);
	worksheet_write_number(ws, row, 1, yuan(r->total_spent), f->money);
	worksheet_write_number(ws, row++, 2, (double)r->nspent, NULL);
	worksheet_write_string(ws, row, 0,
			       KMV_REPORT_W(r, "退款及收入",
					    "Refunds and income"),
			       NULL);
	worksheet_write_number(ws, row, 1, yuan(r->total_back), f->money);
	worksheet_write_number(ws, row++, 2, (double)r->nback, NULL);
	worksheet_write_string(ws, row, 0,
			       KMV_REPORT_W(r, "不计入的记录",
					    "Not in the totals"),
			       NULL);
	worksheet_write_number(ws, row, 1, 0, f->money);
	worksheet_write_number(ws, row++, 2, (double)r->nnone, NULL);
	worksheet_write_string(ws, row, 0, KMV_REPORT_W(r, "异常", "Anomalies"),
			       NULL);
	worksheet_write_number(ws, row++, 1, (double)r->nanomalies, NULL);
	worksheet_write_string(ws, row, 0,
			       KMV_REPORT_W(r, "生成时间", "Generated"), NULL);
	worksheet_write_string(ws, row++, 1, r->generated_at, NULL);
	row++;
	row = totals_block(r, ws, row, KMV_REPORT_W(r, "平台", "Platform"),
			   &r->by_platform, f);
	row = totals_block(r, ws, row, KMV_REPORT_W(r, "分类", "Category"),
			   &r->by_category, f);
	totals_block(r, ws, row, KMV_REPORT_W(r, "月份", "Month"), &r->by_month,
		     f);
}

static int dir_of(kmv_buf *out, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return kmv_buf_puts(out, ".");
	if (slash == path)
		return kmv_buf_puts(out, "/");
	return kmv_buf_put(out, path, (size_t)(slash - path));
}

int kmv_report_xlsx(const kmv_report *report, const char *path)
{
	lxw_workbook_options wopts = { 0 };
	lxw_workbook *wb = NULL;
	lxw_error lerr;
	struct formats f;
	kmv_buf tmp = KMV_BUF_INIT, dir = KMV_BUF_INIT;
	int fd = -1, error = 0;
	bool created = false;

	KMV_ASSERT_ARG(report && path);
	KMV_TRY(dir_of(&dir, path));
	KMV_TRY(kmv_buf_printf(&tmp, "%s.tmp-%ld-%08x", path, (long)getpid(),
			       randombytes_random()));
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0) {
		kmv_error_set_os("cannot create '%s'", tmp.ptr);
		error = KMV_ERROR;
		goto done;
	}
	created = true;
	close(fd);
	wopts.tmpdir = dir.ptr;
	if (!(wb = workbook_new_opt(tmp.ptr, &wopts))) {
		kmv_error_set(KMV_ERROR_OS, "cannot start the workbook '%s'",
			      path);
		error = KMV_ERROR;
		goto done;
	}
	f.header = workbook_add_format(wb);
	format_set_bold(f.header);
	format_set_bg_color(f.header, 0xDDEBF7);
	f.money = workbook_add_format(wb);
	format_set_num_format(f.money, "\xC2\xA5#,##0.00;-\xC2\xA5#,##0.00");
	f.date = workbook_add_format(wb);
	format_set_num_format(f.date, "yyyy-mm-dd hh:mm:ss");
	f.text = workbook_add_format(wb);
	format_set_num_format(f.text, "@");
	f.title = workbook_add_format(wb);
	format_set_bold(f.title);
	format_set_font_size(f.title, 14);
	f.warn = workbook_add_format(wb);
	format_set_font_color(f.warn, 0xC00000);
	records_sheet(wb, report, &f);
	summary_sheet(wb, report, &f);
	lerr = workbook_close(wb);
	wb = NULL;
	if (lerr != LXW_NO_ERROR) {
		kmv_error_set(KMV_ERROR_OS, "cannot write '%s': %s", path,
			      lxw_strerror(lerr));
		error = KMV_ERROR;
		goto done;
	}
	if (rename(tmp.ptr, path) < 0) {
		kmv_error_set_os("cannot replace '%s'", path);
		error = KMV_ERROR;
		goto done;
	}
	created = false;
done:
	if (wb)
		workbook_close(wb);
	if (created)
		unlink(tmp.ptr);
	kmv_buf_dispose(&tmp);
	kmv_buf_dispose(&dir);
	return error;
}
