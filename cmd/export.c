/* SPDX-License-Identifier: MIT */
/*
 * kmvault export: a report of one month or date range as Excel-ready CSV,
 * XLSX or PDF.  The export itself is an audited event (what was written,
 * how many records, the file's SHA-256: kmv_report_export writes it), so
 * the vault is saved after it.
 * The report is written under a temporary name and renamed only once the
 * vault holding its event is saved (standard output only gets it then):
 * a failed save leaves no report behind.
 */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "kmvutil/json.h"
#include "kmv/report.h"
#include "kmvutil/file.h"
#include "kmvutil/hash.h"

/* The ledger accounts of the config file's [ledger] section. */
static const kmv_ledger_accounts *config_accounts(kmv_ledger_accounts *a)
{
	a->alipay = cli_config_get("ledger.alipay");
	a->wechat = cli_config_get("ledger.wechat");
	a->jd = cli_config_get("ledger.jd");
	a->unknown = cli_config_get("ledger.unknown");
	a->income = cli_config_get("ledger.income");
	a->shop_orders = cli_config_get("ledger.shop_orders");
	a->other = cli_config_get("ledger.other");
	a->categories = cli_config_get("ledger.categories");
	return a;
}

/* What the command line asks for. */
struct export_args {
	const char *format, *output;
	kmv_report_format fmt;
	kmv_report_period period;
	kmv_lang lang;
};

/*
 * Phase 1: the options, checked before the vault is opened.  -1 to go
 * on, else the exit code (0 when the help was printed).
 */
static int parse_args(int argc, char **argv, cli_state *cli,
		      struct export_args *a)
{
	const char *month = NULL, *from = NULL, *to = NULL;
	int c, error;

	a->lang = KMV_LANG_ZH; /* documents are Chinese unless asked */
	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'm': month = optarg; break;
		case 'F': from = optarg; break;
		case 'T': to = optarg; break;
		case 'f': a->format = optarg; break;
		case 'o': a->output = optarg; break;
		case 'l':
			if (kmv_lang_parse(&a->lang, optarg) < 0)
				return cli_error_usage(
					_("--lang wants zh or en, not '%s'"),
					optarg);
			break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind < argc)
		return cli_error_extra_arg(argv[optind]);
	if (month && (from || to))
		return cli_error_usage(
			"give either --month or --from/--to, not both");
	if (!month && (!from || !to))
		return cli_error_usage(
			"give --month YYYY-MM, or both --from and --to");
	if (!a->format)
		return cli_error_usage(
			"--format csv|xlsx|pdf|beancount|ledger is required");
	if (!a->output)
		return cli_error_usage("-o FILE is required");
	if (kmv_report_format_parse(&a->fmt, a->format) < 0)
		return cli_error_usage("%s", kmv_error_last());
	if (a->fmt == KMV_REPORT_XLSX && strcmp(a->output, "-") == 0)
		return cli_error_usage(
			"xlsx cannot go to standard output: give a file name");
	error = month ? kmv_report_period_month(&a->period, month)
		      : kmv_report_period_range(&a->period, from, to);
	if (error < 0)
		return cli_error_usage("%s", kmv_error_last());
	return -1;
}

/* Phase 3: what was written, as JSON or a note (nothing after stdout). */
static void print_result(cli_state *cli, const struct export_args *a,
			 const kmv_report *report, size_t size, const char *sha)
{
	/* the format's name as written (CSV, Beancount) */
	static const char *const names[][2] = {
		{ "csv", "CSV" },       { "xlsx", "XLSX" },
		{ "pdf", "PDF" },       { "beancount", "Beancount" },
		{ "ledger", "Ledger" },
	};
	const char *name = a->format;
	kmv_buf res = KMV_BUF_INIT;
	kmv_json j;

	if (strcmp(a->output, "-") == 0)
		return;
	if (cli->json) {
		kmv_json_init(&j, &res, false);
		kmv_json_object_begin(&j);
		kmv_json_kv_string(&j, "file", a->output);
		kmv_json_kv_string(&j, "format", a->format);
		kmv_json_kv_string(&j, "period", a->period.label);
		kmv_json_kv_string(&j, "from", a->period.first_day);
		kmv_json_kv_string(&j, "to", a->period.last_day);
		kmv_json_kv_int(&j, "records", (int64_t)report->nrows);
		kmv_json_kv_money(&j, "total", report->total_spend);
		kmv_json_kv_int(&j, "anomalies", (int64_t)report->nanomalies);
		kmv_json_kv_int(&j, "size", (int64_t)size);
		kmv_json_kv_string(&j, "sha256", sha);
		kmv_json_object_end(&j);
		kmv_buf_putc(&res, '\n');
		cli_write(&res);
		kmv_buf_dispose(&res);
		return;
	}
	for (size_t i = 0; i < NELEM(names); i++)
		if (strcmp(a->format, names[i][0]) == 0)
			name = names[i][1];
	cli_note(cli, "wrote %s report for %s: %zu records to '%s'", name,
		 a->period.label, report->nrows, a->output);
}

int cmd_export(int argc, char **argv, cli_state *cli)
{
	struct export_args a = { 0 };
	kmv_report *report = NULL;
	kmv_vault *vault = NULL;
	kmv_buf data = KMV_BUF_INIT;
	kmv_report_export_options xopts;
	kmv_buf tmp = KMV_BUF_INIT;
	kmv_ledger_accounts accounts = KMV_LEDGER_ACCOUNTS_INIT;
	bool to_stdout;
	char sha[KMV_SHA256_HEX_BUFSZ] = "";
	int ret, error = 0;

	if ((ret = parse_args(argc, argv, cli, &a)) >= 0)
		return ret;
	to_stdout = strcmp(a.output, "-") == 0;
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	/* Phase 2: the report collected, written under a temporary name
	 * and published once the vault holding its audit event is saved. */
	if ((error = kmv_report_collect_lang(&report, vault, &a.period,
					     (int)a.lang)) < 0)
		goto lib_error;
	if (!to_stdout) {
		kmv_file_sweep_temps(a.output); /* a killed export's */
		if ((error = kmv_file_temp_name(&tmp, a.output)) < 0)
			goto lib_error;
	}
	/* The library writes the export's audit event (kmv_report_export). */
	xopts.format = a.fmt;
	xopts.file = a.output;
	xopts.xlsx_path = tmp.ptr;
	xopts.accounts = config_accounts(&accounts);
	if ((error = kmv_report_export(&data, sha, report, &xopts)) < 0)
		goto lib_error;
	if (a.fmt != KMV_REPORT_XLSX && !to_stdout &&
	    (error = kmv_file_write(tmp.ptr, data.ptr, data.size, false)) < 0)
		goto lib_error;
	if ((ret = cli_save(cli)) != 0)
		goto done;
	if (to_stdout) {
		cli_write(&data);
	} else {
		error = kmv_file_publish(tmp.ptr, a.output, true);
		kmv_buf_clear(&tmp);
		if (error < 0)
			goto lib_error;
	}
	print_result(cli, &a, report, data.size, sha);
	goto done;
lib_error:
	ret = cli_error_lib(error);
done:
	if (tmp.size)
		unlink(tmp.ptr); /* not published: a failure left it */
	kmv_buf_dispose(&tmp);
	kmv_report_free(report);
	kmv_buf_dispose(&data);
	return ret;
}
