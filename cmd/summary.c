/* SPDX-License-Identifier: MIT */
/*
 * kmvault summary: the period's 净支出 = 支出 − 退款及收入 grouped by
 * platform, category, merchant, month or day, in the habit of hledger's
 * `balance`.  The numbers are the report's (kmv_report_collect and its
 * one counting rule, lib/match/paid.c): the total line is the headline of
 * `kmvault export` for the same period.
 */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <string.h>

#include "kmv/i18n.h"
#include "kmvutil/json.h"
#include "kmvutil/money.h"
#include "kmv/report.h"

static int parse_kind(const char *kind)
{
	return !kind || !strcmp(kind, "order") || !strcmp(kind, "payment") ||
	       !strcmp(kind, "receipt");
}

static void json_group(kmv_json *j, const kmv_report_group *g, bool with_key)
{
	kmv_json_object_begin(j);
	if (with_key)
		kmv_json_kv_string(j, "key", g->key);
	kmv_json_kv_money(j, "spent", g->spent);
	kmv_json_kv_money(j, "back", g->back);
	kmv_json_kv_money(j, "net", g->net);
	kmv_json_kv_int(j, "count", (int64_t)g->count);
	kmv_json_object_end(j);
}

static int write_json(kmv_buf *out, const kmv_report *r, const char *by,
		      const char *kind, const kmv_report_group *g, size_t n,
		      const kmv_report_group *total)
{
	kmv_json j;

	kmv_json_init(&j, out, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_string(&j, "period", r->period.label);
	kmv_json_kv_string(&j, "from", r->period.first_day);
	kmv_json_kv_string(&j, "to", r->period.last_day);
	kmv_json_kv_string(&j, "by", by);
	kmv_json_kv_string(&j, "kind", kind);
	kmv_json_key(&j, "groups");
	kmv_json_array_begin(&j);
	for (size_t i = 0; i < n; i++)
		json_group(&j, &g[i], true);
	kmv_json_array_end(&j);
	kmv_json_key(&j, "total");
	json_group(&j, total, false);
	kmv_json_kv_int(&j, "uncounted", (int64_t)r->nnone);
	kmv_json_object_end(&j);
	kmv_buf_putc(out, '\n');
	return kmv_json_finish(&j);
}

static void print_table(const kmv_report *r, const char *by_label,
			const kmv_report_group *g, size_t n,
			const kmv_report_group *total)
{
	const char *head[5] = { by_label, _("spent"), _("refunds+income"),
				_("net"), _("rows") };
	cli_table t;

	cli_table_init(&t, 5, head);
	for (int c = 1; c < 5; c++)
		t.right[c] = true;
	for (size_t i = 0; i <= n; i++) {
		const kmv_report_group *x = i < n ? &g[i] : total;
		char a[KMV_MONEY_BUFSZ], b[KMV_MONEY_BUFSZ], c[KMV_MONEY_BUFSZ];
		char cnt[24];
		const char *cells[5];

		snprintf(cnt, sizeof(cnt), "%zu", x->count);
		cells[0] = i < n ? x->key : _("total");
		cells[1] = kmv_money_format(a, x->spent);
		cells[2] = kmv_money_format(b, x->back);
		cells[3] = kmv_money_format(c, x->net);
		cells[4] = cnt;
		cli_table_add(&t, cells);
	}
	cli_table_print(&t, stdout, 40);
	cli_table_dispose(&t);
	printf(_("%s: net = spent - refunds and income; %zu rows count "
		 "nowhere ('kmvault export' lists them with the reason)\n"),
	       r->period.label, r->nnone);
}

int cmd_summary(int argc, char **argv, cli_state *cli)
{
	static const char *const by_labels[] = {
		[KMV_GROUP_PLATFORM] = N_("platform"),
		[KMV_GROUP_CATEGORY] = N_("category"),
		[KMV_GROUP_MERCHANT] = N_("merchant"),
		[KMV_GROUP_MONTH] = N_("month"),
		[KMV_GROUP_DAY] = N_("day"),
	};
	static const char *const by_zh[] = {
		[KMV_GROUP_PLATFORM] = "平台", [KMV_GROUP_CATEGORY] = "分类",
		[KMV_GROUP_MERCHANT] = "商户", [KMV_GROUP_MONTH] = "月份",
		[KMV_GROUP_DAY] = "日期",
	};
	const char *month = NULL, *from = NULL, *to = NULL, *by = "platform";
	const char *kind = NULL, *format = "table";
	char this_month[8];
	kmv_report_group_by group;
	kmv_report_period period;
	kmv_report *report = NULL;
	kmv_report_group *groups = NULL, total;
	size_t ngroups = 0;
	kmv_vault *vault = NULL;
	kmv_buf out = KMV_BUF_INIT;
	int c, ret = KMV_EXIT_OK, error = 0;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'm': month = optarg; break;
		case 'F': from = optarg; break;
		case 'T': to = optarg; break;
		case 'b': by = optarg; break;
		case 'k': kind = optarg; break;
		case 'f': format = optarg; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind < argc)
		return cli_error_extra_arg(argv[optind]);
	if (month && (from || to))
		return cli_error_usage(
			_("give either --month or --from/--to, not both"));
	if ((from || to) && !(from && to))
		return cli_error_usage(_("give both --from and --to"));
	if (kmv_report_group_parse(&group, by) < 0)
		return cli_error_usage("%s", kmv_error_last());
	if (!parse_kind(kind))
		return cli_error_usage(
			_("unknown kind '%s' (order, payment or receipt)"),
			kind);
	if (strcmp(format, "table") && strcmp(format, "csv"))
		return cli_error_usage(_("unknown format '%s' (table or csv)"),
				       format);
	if (!month && !from) {
		kmv_time now = kmv_time_now();
		char iso[KMV_TIME_BUFSZ];

		now.offset_min = KMV_TZ_CST;
		kmv_time_format(iso, &now);
		snprintf(this_month, sizeof(this_month), "%.7s", iso);
		month = this_month;
	}
	error = month ? kmv_report_period_month(&period, month)
		      : kmv_report_period_range(&period, from, to);
	if (error < 0)
		return cli_error_usage("%s", kmv_error_last());

	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	if ((error = kmv_report_collect(&report, vault, &period)) < 0 ||
	    (error = kmv_report_group_rows(&groups, &ngroups, &total, report,
					   group, kind)) < 0)
		goto lib_error;
	if (cli->json) {
		if ((error = write_json(&out, report, by, kind, groups, ngroups,
					&total)) < 0)
			goto lib_error;
		cli_write(&out);
	} else if (strcmp(format, "csv") == 0) {
		if ((error = kmv_report_groups_csv(&out, by_zh[group], groups,
						   ngroups, &total)) < 0)
			goto lib_error;
		cli_write(&out);
	} else {
		print_table(report, _(by_labels[group]), groups, ngroups,
			    &total);
	}
	goto done;
lib_error:
	ret = cli_error_lib(error);
done:
	kmv_report_groups_free(groups, ngroups);
	kmv_report_free(report);
	kmv_buf_dispose(&out);
	return ret;
}
