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

static const char *const by_labels[] = {
	[KMV_GROUP_PLATFORM] = N_("platform"),
	[KMV_GROUP_CATEGORY] = N_("category"),
	[KMV_GROUP_MERCHANT] = N_("merchant"),
	[KMV_GROUP_MONTH] = N_("month"),
	[KMV_GROUP_DAY] = N_("day"),
};

/* The CSV's header word for the group: the report's, in Chinese. */
static const char *const by_zh[] = {
	[KMV_GROUP_PLATFORM] = "平台", [KMV_GROUP_CATEGORY] = "分类",
	[KMV_GROUP_MERCHANT] = "商户", [KMV_GROUP_MONTH] = "月份",
	[KMV_GROUP_DAY] = "日期",
};

/* The command line, checked. */
struct summary_args {
	const char *month, *from, *to, *by, *kind, *format;
	char this_month[8];
	kmv_report_group_by group;
	kmv_report_period period;
};

/* -1 to go on, else the exit code (--help, a usage error). */
static int parse_args(struct summary_args *a, int argc, char **argv,
		      cli_state *cli)
{
	int c;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'm': a->month = optarg; break;
		case 'F': a->from = optarg; break;
		case 'T': a->to = optarg; break;
		case 'b': a->by = optarg; break;
		case 'k': a->kind = optarg; break;
		case 'f': a->format = optarg; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind < argc)
		return cli_error_extra_arg(argv[optind]);
	if (a->month && (a->from || a->to))
		return cli_error_usage(
			_("give either --month or --from/--to, not both"));
	if ((a->from || a->to) && !(a->from && a->to))
		return cli_error_usage(_("give both --from and --to"));
	if (kmv_report_group_parse(&a->group, a->by) < 0)
		return cli_error_usage("%s", kmv_error_last());
	if (!parse_kind(a->kind))
		return cli_error_usage(
			_("unknown kind '%s' (order, payment or receipt)"),
			a->kind);
	if (strcmp(a->format, "table") && strcmp(a->format, "csv"))
		return cli_error_usage(_("unknown format '%s' (table or csv)"),
				       a->format);
	return -1;
}

/* The period: --month, --from/--to, else this month in +08:00. */
static int pick_period(struct summary_args *a)
{
	int error;

	if (!a->month && !a->from) {
		kmv_time now = kmv_time_now();
		char iso[KMV_TIME_BUFSZ];

		now.offset_min = KMV_TZ_CST;
		kmv_time_format(iso, &now);
		snprintf(a->this_month, sizeof(a->this_month), "%.7s", iso);
		a->month = a->this_month;
	}
	error = a->month ? kmv_report_period_month(&a->period, a->month)
			 : kmv_report_period_range(&a->period, a->from, a->to);
	if (error < 0)
		return cli_error_usage("%s", kmv_error_last());
	return -1;
}

/* The groups as JSON, CSV or a table; < 0 is the library's error. */
static int write_groups(const cli_state *cli, const struct summary_args *a,
			const kmv_report *report,
			const kmv_report_group *groups, size_t ngroups,
			const kmv_report_group *total)
{
	kmv_buf out = KMV_BUF_INIT;
	int error = 0;

	if (cli->json) {
		error = write_json(&out, report, a->by, a->kind, groups,
				   ngroups, total);
		if (error >= 0)
			cli_write(&out);
	} else if (strcmp(a->format, "csv") == 0) {
		error = kmv_report_groups_csv(&out, by_zh[a->group], groups,
					      ngroups, total);
		if (error >= 0)
			cli_write(&out);
	} else {
		print_table(report, _(by_labels[a->group]), groups, ngroups,
			    total);
	}
	kmv_buf_dispose(&out);
	return error;
}

int cmd_summary(int argc, char **argv, cli_state *cli)
{
	struct summary_args a = { .by = "platform", .format = "table" };
	kmv_report *report = NULL;
	kmv_report_group *groups = NULL, total;
	size_t ngroups = 0;
	kmv_vault *vault = NULL;
	int ret, error;

	ret = parse_args(&a, argc, argv, cli);
	if (ret < 0)
		ret = pick_period(&a);
	if (ret >= 0)
		return ret;
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	error = kmv_report_collect(&report, vault, &a.period);
	if (error < 0)
		goto done;
	error = kmv_report_group_rows(&groups, &ngroups, &total, report,
				      a.group, a.kind);
	if (error < 0)
		goto done;
	error = write_groups(cli, &a, report, groups, ngroups, &total);
done:
	if (error < 0)
		ret = cli_error_lib(error);
	kmv_report_groups_free(groups, ngroups);
	kmv_report_free(report);
	return ret;
}
