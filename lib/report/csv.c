/* SPDX-License-Identifier: MIT */
/*
 * Excel-ready CSV (docs/reports.md, "CSV choices").
 *
 * - UTF-8 with a BOM, or Excel reads the file as the ANSI code page.
 * - CRLF line ends and every field quoted: RFC 4180; the quoting itself
 *   is libcsv's csv_write(), not ours.
 * - Identifiers made only of digits (28-digit trade numbers, order numbers
 *   with leading zeros) get a trailing TAB inside the quotes: Excel then
 *   sees text, not a number it would round to 15 digits and show as
 *   2.024E+27.  Alipay's own exports use the same trailing TAB, so users'
 *   tools already cope with it; a leading TAB would collide with the
 *   formula-injection rule below.
 * - Text cells whose first character is = + - @ TAB or CR get a leading
 *   apostrophe (OWASP "CSV injection"), so a product name like
 *   "=HYPERLINK(...)" stays inert text.  Amounts are written by us as
 *   plain unsigned decimals ("12.50") and are never touched by this rule.
 */
#include "common.h"
#include "report/report.h"

#include <csv.h>

#include "kmv/doclabel.h"
#include "kmvutil/money.h"

static bool all_digits(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static bool needs_neutralising(const char *s)
{
	return s && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
		     s[0] == '\t' || s[0] == '\r');
}

enum cell_kind { CELL_TEXT, CELL_ID, CELL_NUMBER };

static int put_field(kmv_buf *out, const char *value, enum cell_kind kind)
{
	kmv_buf cell = KMV_BUF_INIT;
	size_t need;
	int error = 0;

	if (value && kind == CELL_ID && all_digits(value)) {
		KMV_TRY(kmv_buf_puts(&cell, value));
		KMV_TRY(kmv_buf_putc(&cell, '\t'));
	} else if (kind != CELL_NUMBER && needs_neutralising(value)) {
		KMV_TRY(kmv_buf_putc(&cell, '\''));
		KMV_TRY(kmv_buf_puts(&cell, value));
	} else if (value) {
		KMV_TRY(kmv_buf_puts(&cell, value));
	}
	/* csv_write() returns the size it needs and quotes every field. */
	need = csv_write(NULL, 0, cell.ptr, cell.size);
	KMV_TRY(kmv_buf_grow(out, need + 1));
	csv_write(out->ptr + out->size, need, cell.ptr, cell.size);
	out->size += need;
	out->ptr[out->size] = '\0';
done:
	kmv_buf_dispose(&cell);
	return error;
}

static int put_line(kmv_buf *out, const char *const *cells,
		    const enum cell_kind *kinds, size_t ncells)
{
	int error = 0;

	for (size_t i = 0; i < ncells; i++) {
		if (i > 0)
			KMV_TRY(kmv_buf_putc(out, ','));
		KMV_TRY(put_field(out, cells[i], kinds ? kinds[i] : CELL_TEXT));
	}
	KMV_TRY(kmv_buf_puts(out, "\r\n"));
done:
	return error;
}

int kmv_report_csv_line(kmv_buf *out, const char *const *cells,
			const bool *is_id, size_t ncells)
{
	enum cell_kind kinds[64];

	KMV_ASSERT_ARG(out && cells && ncells <= KMV_ARRAY_SIZE(kinds));
	for (size_t i = 0; i < ncells; i++)
		kinds[i] = is_id && is_id[i] ? CELL_ID : CELL_TEXT;
	return put_line(out, cells, kinds, ncells);
}

int kmv_report__csv_numbers_line(kmv_buf *out, const char *const *cells,
				 const bool *is_number, size_t ncells)
{
	enum cell_kind kinds[64];

	KMV_ASSERT_ARG(out && cells && ncells <= KMV_ARRAY_SIZE(kinds));
	for (size_t i = 0; i < ncells; i++)
		kinds[i] = is_number && is_number[i] ? CELL_NUMBER : CELL_TEXT;
	return put_line(out, cells, kinds, ncells);
}

static const char *const headers[] = {
	KMV_REPORT_RECORD_COLUMNS(KMV_REPORT__ZH, KMV_REPORT__ZH)
};
/* `export --lang en` */
static const char *const headers_en[] = {
	KMV_REPORT_RECORD_COLUMNS(KMV_REPORT__EN, KMV_REPORT__EN)
};

const char *kmv_report__label(int lang, const char *field, const char *value)
{
	kmv_label_set set;

	if (!value)
		return "";
	if (kmv_label_set_parse(&set, field) < 0)
		return value;
	return kmv_label_lang(set, value,
			      lang == KMV_LANG_EN ? KMV_LANG_EN : KMV_LANG_ZH);
}

static const enum cell_kind kinds[] = {
	CELL_NUMBER, CELL_TEXT, CELL_TEXT, CELL_TEXT,   CELL_TEXT,   CELL_ID,
	CELL_ID,     CELL_ID,   CELL_TEXT, CELL_NUMBER, CELL_NUMBER, CELL_TEXT,
	CELL_TEXT,   CELL_TEXT, CELL_TEXT, CELL_TEXT,   CELL_NUMBER, CELL_TEXT,
	CELL_NUMBER, CELL_TEXT, CELL_TEXT, CELL_TEXT,
};

/* "重复扣款、未发货" from "duplicate_charge,undelivered". */
int kmv_report__anomaly_words(kmv_buf *out, const char *types, int lang)
{
	const char *p = types;
	bool first = true;
	int error = 0;

	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char type[64];

		snprintf(type, sizeof(type), "%.*s", (int)n, p);
		KMV_TRY(kmv_buf_printf(out, "%s%s",
				       first                 ? ""
				       : lang == KMV_LANG_EN ? ", "
							     : "、",
				       kmv_report__label(lang, "anomaly",
							 type)));
		first = false;
		p += n;
		if (*p == ',')
			p++;
	}
done:
	return error;
}

/* The reason a row counts as it does, naming the record it refers to. */
int kmv_report__count_words(kmv_buf *out, const kmv_report_row *r, int lang)
{
	int error = kmv_buf_puts(out,
				 kmv_report__label(lang, "count", r->count));

	if (error == 0 && r->count_via)
		error = kmv_buf_printf(out,
				       lang == KMV_LANG_EN ? " (#%lld)"
							   : "（#%lld）",
				       (long long)r->count_via);
	return error;
}

static int total_line(kmv_buf *out, const char *what, int64_t amount)
{
	char money[KMV_MONEY_BUFSZ];
	const char *cells[KMV_ARRAY_SIZE(headers)] = { NULL };

	cells[1] = what;
	cells[16] = kmv_money_format(money, amount);
	return put_line(out, cells, kinds, KMV_ARRAY_SIZE(headers));
}

int kmv_report_csv(kmv_buf *out, const kmv_report *report)
{
	kmv_buf why = KMV_BUF_INIT, anomalies = KMV_BUF_INIT;
	int error = 0;

	KMV_ASSERT_ARG(out && report);
	KMV_TRY(kmv_buf_puts(out, "\xEF\xBB\xBF"));
	KMV_TRY(put_line(out, KMV_REPORT_W(report, headers, headers_en), NULL,
			 KMV_ARRAY_SIZE(headers)));
	for (size_t i = 0; i < report->nrows; i++) {
		const kmv_report_row *r = &report->rows[i];
		char id[24], qty[24], line[24];
		char amount[KMV_MONEY_BUFSZ], spend[KMV_MONEY_BUFSZ];
		const char *cells[KMV_ARRAY_SIZE(headers)];

		snprintf(id, sizeof(id), "%lld", (long long)r->rec.id);
		snprintf(qty, sizeof(qty), "%lld", (long long)r->rec.quantity);
		snprintf(line, sizeof(line), "%lld",
			 (long long)r->rec.source_line);
		cells[0] = id;
		cells[1] = kmv_report__label(report->lang, "kind",
					     kmv_record_kind_name(r->rec.kind));
		cells[2] = r->time;
		cells[3] = r->rec.platform;
		cells[4] = r->rec.merchant;
		cells[5] = r->rec.order_no;
		cells[6] = r->rec.payment_no;
		cells[7] = r->rec.merchant_order_no;
		cells[8] = r->rec.product;
		cells[9] = r->rec.quantity ? qty : NULL;
		cells[10] = r->rec.has_amount
				    ? kmv_money_format(amount, r->rec.amount)
				    : NULL;
		cells[11] = kmv_report__label(report->lang, "direction",
					      kmv_direction_name(
						      r->rec.direction));
		cells[12] = kmv_report__label(report->lang, "status",
					      r->rec.status);
		cells[13] = r->rec.status_raw;
		cells[14] = r->rec.category;
		cells[15] = r->rec.payment_method;
		/* Signed net spending: a number we wrote, so "-5.00" stays. */
		cells[16] = kmv_money_format(spend, r->spend);
		cells[17] = r->rec.source_file;
		cells[18] = r->rec.source_line ? line : NULL;
		cells[19] = kmv_report__label(report->lang, "term",
					      kmv_report_term_name(r->term));
		kmv_buf_clear(&why);
		kmv_buf_clear(&anomalies);
		KMV_TRY(kmv_report__count_words(&why, r, report->lang));
		KMV_TRY(kmv_report__anomaly_words(&anomalies, r->anomalies,
						  report->lang));
		cells[20] = why.size ? why.ptr : NULL;
		cells[21] = anomalies.size ? anomalies.ptr : NULL;
		KMV_TRY(put_line(out, cells, kinds, KMV_ARRAY_SIZE(headers)));
	}
	/*
	 * The headline under the rows, in the 计入支出 column: each line is the
	 * sum of that column over the rows of its 计入项 (docs/reports.md).
	 */
	KMV_TRY(total_line(out,
			   KMV_REPORT_W(report, "合计：支出",
					"Total: spending"),
			   report->total_spent));
	KMV_TRY(total_line(out,
			   KMV_REPORT_W(report, "合计：退款及收入",
					"Total: refunds and income"),
			   -report->total_back));
	KMV_TRY(total_line(out,
			   KMV_REPORT_W(report,
					"合计：净支出 = 支出 − 退款及收入",
					"Total: net spending = spending − "
					"refunds and income"),
			   report->total_spend));
done:
	kmv_buf_dispose(&why);
	kmv_buf_dispose(&anomalies);
	return error;
}
