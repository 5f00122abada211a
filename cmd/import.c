/* SPDX-License-Identifier: MIT */
/* kmvault import: statements, order exports, e-mail receipts, ZIPs. */
#include "cli.h"
#include "opt.h"

#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmv/i18n.h"
#include "kmv/import.h"
#include "kmvutil/json.h"
#include "kmvutil/text.h"

struct import_ui {
	cli_state *cli;
	bool progress;
	bool line_open; /* a progress line without its newline is on stderr */
	bool pictures;  /* drawing the screenshots' bar */
};

/* Finish a half-drawn progress line so a message starts on its own. */
static void end_progress_line(struct import_ui *ui)
{
	if (ui->line_open) {
		fputc('\n', stderr);
		ui->line_open = false;
	}
}

static void on_warn(const char *file, int64_t line, const char *msg,
		    void *payload)
{
	end_progress_line(payload);
	if (line > 0)
		cli_warn("%s:%" PRId64 ": %s", file, line, msg);
	else
		cli_warn("%s: %s", file, msg);
}

/*
 * "name.csv  [#####     ] 40960/100000": the file's base name cut to
 * 24 columns on a character boundary (names are often Chinese), padded by
 * display width so the bar does not jump.
 */
static void on_progress(const char *file, uint64_t done, uint64_t total,
			void *payload)
{
	enum { LABEL_COLS = 24, BAR_COLS = 30 };
	struct import_ui *ui = payload;
	const char *base = strrchr(file, '/');
	char *clean;
	size_t cols, len;
	int filled;

	if (!ui->progress || (total < 5000 && !ui->pictures))
		return;
	base = base && base[1] ? base + 1 : file;
	/* The name shown with its terminal controls as '?'. */
	clean = cli_clean_cell(base);
	if (clean)
		base = clean;
	len = kmv_utf8_prefix_for_width(base, LABEL_COLS, &cols);
	filled = (int)(done * BAR_COLS / (total ? total : 1));
	fprintf(stderr, "\r%.*s%*s [", (int)len, base, (int)(LABEL_COLS - cols),
		"");
	free(clean);
	for (int i = 0; i < BAR_COLS; i++)
		fputc(i < filled ? '#' : ' ', stderr);
	fprintf(stderr, "] %" PRIu64 "/%" PRIu64, done, total);
	ui->line_open = true;
	if (done >= total)
		end_progress_line(ui);
}

/*
 * A folder's screenshots, OCR'd on every core: one bar for the folder,
 * "截图 [#####     ] 3/100"-like, whatever their number (each takes
 * seconds).
 */
static void on_ocr_progress(const char *folder, uint64_t done, uint64_t total,
			    void *payload)
{
	struct import_ui *ui = payload;

	ui->pictures = true;
	on_progress(folder, done, total, payload);
	ui->pictures = false;
}

/* A terminal to prompt on: stdin, or a controlling terminal to open. */
static bool can_prompt(void)
{
	int fd;

	if (isatty(0))
		return true;
	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static int ask_password(char **out, const char *archive, void *payload)
{
	kmv_secret *secret = NULL;
	char prompt[512];
	int ret;

	*out = NULL;
	end_progress_line(payload);
	if (!isatty(0) && access("/dev/tty", R_OK) != 0) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "'%s' is encrypted: give --zip-password-file F",
			      archive);
		return KMV_EUSAGE;
	}
	snprintf(prompt, sizeof(prompt), _("Password for '%s': "), archive);
	ret = cli_prompt_secret(&secret, prompt);
	if (ret != 0) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "'%s' is encrypted: give --zip-password-file F",
			      archive);
		return KMV_EUSAGE;
	}
	*out = strdup((const char *)kmv_secret_data(secret));
	kmv_secret_free(secret);
	return *out ? 0 : kmv_error_nomem();
}

static void print_results(cli_state *cli, const kmv_import_results *res)
{
	static const char *const headers[] = { N_("FILE"), N_("KIND"),
					       N_("ROWS"), N_("ADDED"),
					       N_("DUPLICATES") };
	kmv_buf out = KMV_BUF_INIT;
	cli_table table;
	kmv_json j;

	if (cli->json) {
		kmv_json_init(&j, &out, false);
		kmv_json_array_begin(&j);
		for (size_t i = 0; i < res->count; i++) {
			const kmv_import_result *r = &res->items[i];

			kmv_json_object_begin(&j);
			kmv_json_kv_string(&j, "file", r->file);
			kmv_json_kv_string(&j, "kind", r->kind);
			kmv_json_kv_int(&j, "rows", r->rows);
			kmv_json_kv_int(&j, "added", r->added);
			kmv_json_kv_int(&j, "duplicates", r->duplicates);
			kmv_json_kv_int(&j, "updated", r->updated);
			kmv_json_kv_int(&j, "unrecognized", r->unrecognized);
			kmv_json_kv_int(&j, "source", r->source_id);
			if (r->detail)
				kmv_json_kv_string(&j, "detail", r->detail);
			kmv_json_object_end(&j);
		}
		kmv_json_array_end(&j);
		kmv_buf_putc(&out, '\n');
		cli_write(&out);
		kmv_buf_dispose(&out);
		return;
	}
	cli_table_init(&table, 5, headers);
	table.right[2] = table.right[3] = table.right[4] = true;
	for (size_t i = 0; i < res->count; i++) {
		const kmv_import_result *r = &res->items[i];
		char rows[32], added[32], dups[32];
		/* the kind's words (支付宝, 店铺订单); a ZIP stays "zip" */
		const char *row[5] = { r->file,
				       kmv_label(KMV_LABEL_SOURCE, r->kind),
				       rows, added, dups };

		snprintf(rows, sizeof(rows), "%" PRId64, r->rows);
		snprintf(added, sizeof(added), "%" PRId64, r->added);
		snprintf(dups, sizeof(dups), "%" PRId64, r->duplicates);
		cli_table_add(&table, row);
		if (r->detail)
			cli_note(cli, "%s: %s", r->file,
				 r->detail); /* cleaned */
	}
	/* The per-file report is a success message: none with --quiet. */
	if (!cli->quiet)
		cli_table_print(&table, stdout, 0);
	cli_table_dispose(&table);
}

/* Every file named exists and is readable ("-" is standard input). */
static int check_files(char **files, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(files[i], "-") != 0 && access(files[i], R_OK) != 0) {
			cli_error_os(files[i]);
			return KMV_EXIT_NOTFOUND;
		}
	return KMV_EXIT_OK;
}

/*
 * The ZIP password from --zip-password-file; without one and with no
 * terminal to ask on, an encrypted ZIP among the files fails anyway: say
 * so before asking for (or complaining about) the vault passphrase.
 */
static int zip_password_get(kmv_secret **out, const char *zip_file,
			    char **files, int n)
{
	char *which = NULL;
	int ret;

	if (zip_file)
		return cli_secret_from_file(out, zip_file, N_("ZIP password"));
	if (can_prompt() || kmv_import_zip_encrypted((const char *const *)files,
						     (size_t)n, &which) <= 0)
		return KMV_EXIT_OK;
	ret = cli_error_usage("'%s' is encrypted: give --zip-password-file F "
			      "(the ZIP password)",
			      which);
	free(which);
	return ret;
}

/* The categorising rules on the records this import added (id > mark). */
static int apply_rules(kmv_vault *vault, const kmv_catrules *rules,
		       bool dry_run, int64_t mark, kmv_catrules_stats *stats)
{
	kmv_catrules_options ropts = KMV_CATRULES_OPTIONS_INIT;

	ropts.dry_run = dry_run;
	ropts.after_id = mark;
	ropts.who = cli_user();
	return kmv_catrules_apply(vault, rules, &ropts, stats);
}

/* The switches that are not import options. */
struct import_args {
	const char *zip_file;
	const char *category_rules;
	bool dry_run;
};

/* -1 to go on (the files are argv + optind), else the exit code. */
static int parse_args(kmv_import_options *iopts, struct import_args *a,
		      int argc, char **argv, cli_state *cli)
{
	int c;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'k':
			if (kmv_import_kind_parse(&iopts->kind, optarg) < 0)
				return cli_error_usage("%s", kmv_error_last());
			break;
		case 'p': iopts->profile = optarg; break;
		case 'P': iopts->platform = optarg; break;
		case 'z': a->zip_file = optarg; break;
		case 'r': iopts->rules_file = optarg; break;
		case 'R': a->category_rules = optarg; break;
		case 'n': a->dry_run = true; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind >= argc)
		return cli_error_usage("nothing to import (see 'kmvault import "
				       "--help')");
	return -1;
}

/* Read the files into the vault (in memory), progress on stderr. */
static int read_files(kmv_import_results *res, kmv_vault *vault,
		      kmv_import_options *iopts, struct import_ui *ui,
		      const kmv_secret *zip_password, char **files, int n)
{
	int error;

	ui->progress = cli_show_progress(ui->cli);
	iopts->zip_password = zip_password ? (const char *)kmv_secret_data(
						     zip_password)
					   : NULL;
	iopts->ask_password = ask_password;
	iopts->progress = on_progress;
	iopts->ocr_progress = on_ocr_progress;
	iopts->warn = on_warn;
	iopts->payload = ui;
	error = kmv_import_files(res, vault, (const char *const *)files,
				 (size_t)n, iopts);
	end_progress_line(ui);
	return error;
}

int cmd_import(int argc, char **argv, cli_state *cli)
{
	kmv_import_options iopts = KMV_IMPORT_OPTIONS_INIT;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	struct import_ui ui = { cli, false, false, false };
	struct import_args a = { NULL, NULL, false };
	kmv_secret *zip_password = NULL;
	kmv_vault *vault = NULL;
	kmv_catrules *rules = NULL;
	kmv_catrules_stats rule_stats;
	char *rules_path = NULL;
	int64_t mark = 0;
	int ret, error, n;

	if ((ret = parse_args(&iopts, &a, argc, argv, cli)) >= 0)
		return ret;
	n = argc - optind;
	if ((ret = check_files(argv + optind, n)) != 0 ||
	    (ret = zip_password_get(&zip_password, a.zip_file, argv + optind,
				    n)) != 0)
		return ret;
	/* A bad rules file stops the import before anything is read. */
	if ((ret = cli_rules_load(&rules, a.category_rules,
				  a.category_rules != NULL, &rules_path)) != 0)
		goto done;
	if ((ret = cli_vault(cli, &vault)) != 0)
		goto done;
	if (rules && (error = kmv_catrules_mark(vault, &mark)) < 0) {
		ret = cli_error_lib(error);
		goto done;
	}
	error = read_files(&res, vault, &iopts, &ui, zip_password,
			   argv + optind, n);
	/* The rules on the records this import added, in the same save. */
	if (error >= 0 && rules)
		error = apply_rules(vault, rules, a.dry_run, mark, &rule_stats);
	if (error < 0) {
		ret = cli_error_lib(error);
		cli_error("nothing was imported; the vault is unchanged");
		goto done;
	}
	/* A dry run imports into the decrypted copy in memory and never
	 * saves it: the vault file stays byte for byte as it was. */
	if (!a.dry_run && (ret = cli_save(cli)) != 0)
		goto done;
	print_results(cli, &res);
	if (rules)
		cli_rules_report(cli, rules_path, &rule_stats, a.dry_run, true);
	if (a.dry_run)
		cli_note(cli, _("dry run: the counts above are what an import "
				"would add; nothing was imported"));
done:
	kmv_import_results_dispose(&res);
	kmv_catrules_free(rules);
	free(rules_path);
	kmv_secret_free(zip_password);
	return ret;
}
