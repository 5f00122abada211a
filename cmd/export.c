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

int cmd_export(int argc, char **argv, cli_state *cli)
{
	const char *month = NULL, *from = NULL, *to = NULL, *format = NULL;
	const char *output = NULL;
	kmv_report_format fmt;
	kmv_report_period period;
	kmv_report *report = NULL;
	kmv_vault *vault = NULL;
	kmv_buf data = KMV_BUF_INIT, res = KMV_BUF_INIT;
	kmv_report_export_options xopts;
	kmv_buf tmp = KMV_BUF_INIT;
	kmv_ledger_accounts accounts = KMV_LEDGER_ACCOUNTS_INIT;
	bool to_stdout;
	kmv_json j;
	char sha[KMV_SHA256_HEX_BUFSZ] = "";
	kmv_lang lang = KMV_LANG_ZH; /* documents are Chinese unless asked */
	int c, ret = KMV_EXIT_OK, error = 0;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'm': month = optarg; break;
		case 'F': from = optarg; break;
		case 'T': to = optarg; break;
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case 'l':
			if (kmv_lang_parse(&lang, optarg) < 0)
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
	if (!format)
		return cli_error_usage(
			"--format csv|xlsx|pdf|beancount|ledger is required");
	if (!output)
		return cli_error_usage("-o FILE is required");
	if (kmv_report_format_parse(&fmt, format) < 0)
		return cli_error_usage("%s", kmv_error_last());
	if (fmt == KMV_REPORT_XLSX && strcmp(output, "-") == 0)
		return cli_error_usage(
			"xlsx cannot go to standard output: give a file name");
	error = month ? kmv_report_period_month(&period, month)
		      : kmv_report_period_range(&period, from, to);
	if (error < 0)
		return cli_error_usage("%s", kmv_error_last());

	to_stdout = strcmp(output, "-") == 0;
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	if ((error = kmv_report_collect_lang(&report, vault, &period,
					     (int)lang)) < 0)
		goto lib_error;
	if (!to_stdout) {
		kmv_file_sweep_temps(output); /* a killed export's */
		if ((error = kmv_file_temp_name(&tmp, output)) < 0)
			goto lib_error;
	}
	/* The library writes the export's audit event (kmv_report_export). */
	xopts.format = fmt;
	xopts.file = output;
	xopts.xlsx_path = tmp.ptr;
	xopts.accounts = config_accounts(&accounts);
	if ((error = kmv_report_export(&data, sha, report, &xopts)) < 0)
		goto lib_error;
	if (fmt != KMV_REPORT_XLSX && !to_stdout &&
	    (error = kmv_file_write(tmp.ptr, data.ptr, data.size, false)) < 0)
		goto lib_error;
	if ((ret = cli_save(cli)) != 0)
		goto done;
	if (to_stdout) {
		cli_write(&data);
	} else {
		error = kmv_file_publish(tmp.ptr, output, true);
		kmv_buf_clear(&tmp);
		if (error < 0)
			goto lib_error;
	}

	if (cli->json) {
		kmv_json_init(&j, &res, false);
		kmv_json_object_begin(&j);
		kmv_json_kv_string(&j, "file", output);
		kmv_json_kv_string(&j, "format", format);
		kmv_json_kv_string(&j, "period", period.label);
		kmv_json_kv_string(&j, "from", period.first_day);
		kmv_json_kv_string(&j, "to", period.last_day);
		kmv_json_kv_int(&j, "records", (int64_t)report->nrows);
		kmv_json_kv_money(&j, "total", report->total_spend);
		kmv_json_kv_int(&j, "anomalies", (int64_t)report->nanomalies);
		kmv_json_kv_int(&j, "size", (int64_t)data.size);
		kmv_json_kv_string(&j, "sha256", sha);
		kmv_json_object_end(&j);
		kmv_buf_putc(&res, '\n');
		if (strcmp(output, "-") != 0)
			cli_write(&res);
	} else if (strcmp(output, "-") != 0) {
		/* the format's name as written (CSV, Beancount) */
		static const char *const names[][2] = {
			{ "csv", "CSV" },       { "xlsx", "XLSX" },
			{ "pdf", "PDF" },       { "beancount", "Beancount" },
			{ "ledger", "Ledger" },
		};
		const char *name = format;

		for (size_t i = 0; i < NELEM(names); i++)
			if (strcmp(format, names[i][0]) == 0)
				name = names[i][1];
		cli_note(cli, "wrote %s report for %s: %zu records to '%s'",
			 name, period.label, report->nrows, output);
	}
	goto done;
lib_error:
	ret = cli_error_lib(error);
done:
	if (tmp.size)
		unlink(tmp.ptr); /* not published: a failure left it */
	kmv_buf_dispose(&tmp);
	kmv_report_free(report);
	kmv_buf_dispose(&data);
	kmv_buf_dispose(&res);
	return ret;
}
