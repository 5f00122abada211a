/* SPDX-License-Identifier: MIT */
/*
 * Summaries (kmvault summary): the report's rows grouped, each group
 * with the headline's terms.  No counting rule of its own: the rows'
 * terms and amounts are the report's (collect.c, match/paid.c), so the
 * summary's total is the report's headline.
 */
#include "common.h"
#include "report/report.h"

#include "kmvutil/money.h"

int kmv_report_group_parse(kmv_report_group_by *out, const char *name)
{
	static const struct {
		const char *name;
		kmv_report_group_by by;
	} names[] = {
		{ "platform", KMV_GROUP_PLATFORM },
		{ "category", KMV_GROUP_CATEGORY },
		{ "merchant", KMV_GROUP_MERCHANT },
		{ "month", KMV_GROUP_MONTH },
		{ "day", KMV_GROUP_DAY },
	};

	for (size_t i = 0; name && i < KMV_ARRAY_SIZE(names); i++)
		if (strcmp(name, names[i].name) == 0) {
			*out = names[i].by;
			return 0;
		}
	kmv_error_set(KMV_ERROR_INPUT,
		      "unknown grouping '%s' (platform, "
		      "category, merchant, month or day)",
		      name ? name : "");
	return KMV_EUSAGE;
}

/* Month and day keys point into the row's time: "2024-03" is its first 7 bytes. */
static int row_key(const kmv_report_row *r, kmv_report_group_by by,
		   const char **key, size_t *len)
{
	*len = 0;
	*key = "?";
	switch (by) {
	case KMV_GROUP_PLATFORM: *key = r->group_platform; break;
	case KMV_GROUP_CATEGORY:
		*key = r->rec.category ? r->rec.category : "未分类";
		break;
	case KMV_GROUP_MERCHANT:
		*key = r->rec.merchant   ? r->rec.merchant
		       : r->rec.platform ? r->rec.platform
					 : "未知";
		break;
	case KMV_GROUP_MONTH:
	case KMV_GROUP_DAY:
		*key = r->time ? r->time : "?";
		*len = r->time && strlen(r->time) >= 10
			       ? (by == KMV_GROUP_MONTH ? 7 : 10)
			       : 1;
		return 0;
	}
	*len = strlen(*key);
	return 0;
}

static int by_key(const void *a, const void *b)
{
	const kmv_report_group *x = a, *y = b;

	return strcmp(x->key, y->key);
}

static int by_net(const void *a, const void *b)
{
	const kmv_report_group *x = a, *y = b;

	if (x->net != y->net)
		return x->net < y->net ? 1 : -1;
	return strcmp(x->key, y->key);
}

int kmv_report_group_rows(kmv_report_group **out, size_t *count,
			  kmv_report_group *total, const kmv_report *report,
			  kmv_report_group_by by, const char *kind)
{
	kmv_report_group *g = NULL;
	char **keys = NULL;
	size_t n = 0, galloc = 0, kalloc = 0;
	int error = 0;

	KMV_ASSERT_ARG(out && count && total && report);
	*out = NULL;
	*count = 0;
	memset(total, 0, sizeof(*total));
	total->key = "";
	for (size_t i = 0; i < report->nrows; i++) {
		const kmv_report_row *r = &report->rows[i];
		const char *key = NULL;
		size_t len = 0, k;

		if (r->term == KMV_TERM_NONE)
			continue;
		if (kind &&
		    strcmp(kind, kmv_record_kind_name(r->rec.kind)) != 0)
			continue;
		row_key(r, by, &key, &len);
		for (k = 0; k < n; k++)
			if (strlen(keys[k]) == len &&
			    memcmp(keys[k], key, len) == 0)
				break;
		if (k == n) {
			if ((error = KMV_ARRAY_GROW(g, galloc, n + 1)) < 0 ||
			    (error = KMV_ARRAY_GROW(keys, kalloc, n + 1)) < 0)
				goto done;
			if (!(keys[n] = strndup(key, len))) {
				error = kmv_error_nomem();
				goto done;
			}
			memset(&g[n], 0, sizeof(g[n]));
			g[n].key = keys[n];
			n++;
		}
		if (r->term == KMV_TERM_SPENT) {
			g[k].spent += r->spend;
			total->spent += r->spend;
		} else {
			g[k].back -= r->spend;
			total->back -= r->spend;
		}
		g[k].net += r->spend;
		total->net += r->spend;
		g[k].count++;
		total->count++;
	}
	if (n)
		qsort(g, n, sizeof(*g),
		      by == KMV_GROUP_MONTH || by == KMV_GROUP_DAY ? by_key
								   : by_net);
	for (size_t k = 0; k < n; k++)
		g[k].net = g[k].spent - g[k].back;
	*out = g;
	*count = n;
	g = NULL;
	n = 0; /* the keys are the caller's now */
done:
	for (size_t k = 0; k < n; k++)
		free(keys[k]);
	free(keys);
	free(g);
	return error;
}

void kmv_report_groups_free(kmv_report_group *groups, size_t count)
{
	for (size_t i = 0; groups && i < count; i++)
		free((char *)groups[i].key);
	free(groups);
}

int kmv_report_groups_csv(kmv_buf *out, const char *key_header,
			  const kmv_report_group *groups, size_t count,
			  const kmv_report_group *total)
{
	static const bool numbers[5] = { false, true, true, true, true };
	const char *head[5] = { key_header, "支出", "退款及收入", "净支出",
				"笔数" };
	int error = 0;

	KMV_ASSERT_ARG(out && key_header && total && (groups || !count));
	KMV_TRY(kmv_buf_puts(out, "\xEF\xBB\xBF"));
	KMV_TRY(kmv_report__csv_numbers_line(out, head, NULL, 5));
	for (size_t i = 0; i <= count; i++) {
		const kmv_report_group *x = i < count ? &groups[i] : total;
		char a[KMV_MONEY_BUFSZ], b[KMV_MONEY_BUFSZ], c[KMV_MONEY_BUFSZ];
		char n[24];
		const char *cells[5];

		snprintf(n, sizeof(n), "%zu", x->count);
		cells[0] = i < count ? x->key : "合计";
		cells[1] = kmv_money_format(a, x->spent);
		cells[2] = kmv_money_format(b, x->back);
		cells[3] = kmv_money_format(c, x->net);
		cells[4] = n;
		KMV_TRY(kmv_report__csv_numbers_line(out, cells, numbers, 5));
	}
done:
	return error;
}
