/* SPDX-License-Identifier: MIT */
/*
 * kmvault demo: build a throwaway vault from the bundled sample files and
 * walk through the main flow, printing each command as a user would type
 * it and running it through this same binary.
 */
#include "cli.h"
#include "opt.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kmvutil/datetime.h"
#include "kmvutil/file.h"
#include "kmv/evidence.h"

/* Where the bundled samples are: $KMVAULT_SAMPLES, the source tree, the install. */
static const char *samples_dir(void)
{
	static const char *const candidates[] = {
#ifdef KMV_SOURCE_SAMPLES
		KMV_SOURCE_SAMPLES,
#endif
		KMV_SAMPLES_DIR,
		"/usr/share/kmvault/samples",
		"/usr/local/share/kmvault/samples",
	};
	const char *env = getenv("KMVAULT_SAMPLES");
	kmv_buf probe = KMV_BUF_INIT;

	if (env && *env)
		return env;
	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]);
	     i++) {
		kmv_buf_clear(&probe);
		kmv_buf_printf(&probe, "%s/alipay_2024-03.csv", candidates[i]);
		if (access(probe.ptr, R_OK) == 0) {
			kmv_buf_dispose(&probe);
			return candidates[i];
		}
	}
	kmv_buf_dispose(&probe);
	return NULL;
}

struct demo {
	cli_state *cli;
	char self[PATH_MAX];
	char dir[PATH_MAX];
	const char *samples;
	int step;
};

/* Run one step: print it like a shell transcript, then run it. */
static int run(struct demo *d, const char *comment, const char *const *args)
{
	kmv_buf shown = KMV_BUF_INIT;
	const char *argv[32];
	size_t n = 0;
	pid_t pid;
	int status;

	argv[n++] = "kmvault";
	/* --quiet demo: the steps' success messages go too, the transcript stays */
	if (d->cli->quiet)
		argv[n++] = "--quiet";
	for (const char *const *a = args; *a && n < 30; a++)
		argv[n++] = *a;
	argv[n] = NULL;
	for (size_t i = d->cli->quiet ? 2 : 1; i < n; i++) {
		const char *a = argv[i];

		/* Show paths relative to the demo and sample folders. */
		if (strncmp(a, d->samples, strlen(d->samples)) == 0)
			kmv_buf_printf(&shown, " samples%s",
				       a + strlen(d->samples));
		else if (strncmp(a, d->dir, strlen(d->dir)) == 0)
			kmv_buf_printf(&shown, " $DEMO%s", a + strlen(d->dir));
		else if (strpbrk(a, " \t'\"$"))
			kmv_buf_printf(&shown, " '%s'", a);
		else
			kmv_buf_printf(&shown, " %s", a);
	}
	printf("\n== %d. %s\n$ kmvault%s\n", ++d->step, _(comment), shown.ptr);
	kmv_buf_dispose(&shown);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return cli_error("cannot run demo step: %s", strerror(errno));
	if (pid == 0) {
		execv(d->self, (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		cli_error("demo step %d failed (exit %d)", d->step,
			  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return KMV_EXIT_ERROR;
	}
	return KMV_EXIT_OK;
}

/*
 * The walk-through.  "@S/" in an argument stands for the samples folder,
 * "@D/" for the demo folder.  Each issue that lands adds its steps here.
 */
struct step {
	const char *comment; /* N_(): printed in the user's language */
	const char *args[12];
};

static const struct step steps[] = {
	{ N_("create an encrypted vault (recovery key saved to a file)"),
	  { "init", "--kdf", "interactive", "--recovery-key-out",
	    "@D/recovery-key.txt" } },
	{ N_("import the Alipay statement as mailed: an AES-256 ZIP (password from a file)"),
	  { "import", "--zip-password-file", "@S/alipay_2024-03.zip.password",
	    "@S/alipay_2024-03.zip" } },
	{ N_("import WeChat Pay bills: the old CSV export and the 2026 XLSX export"),
	  { "import", "@S/wechat_2024-03.csv", "@S/wechat_2026-04.xlsx" } },
	{ N_("import the same statement again: nothing is added twice"),
	  { "import", "@S/alipay_2024-03.csv" } },
	{ N_("import a card shop's own order list (Chinese headers guessed; card secrets kept)"),
	  { "import", "--platform", "示例卡盟",
	    "@S/orders_example-shop.csv" } },
	{ N_("import a dujiaoka shop's orders table (its built-in profile is recognized from the columns)"),
	  { "import", "--platform", "示例小铺", "@S/dujiaoka_orders.csv" } },
	{ N_("import the shop's receipt e-mail (MIME, base64, RFC 2047 subject)"),
	  { "import", "@S/receipt_dujiaoka.eml" } },
	{ N_("cross-match orders, payments and receipts (order numbers first, then amount + time)"),
	  { "match" } },
	{ N_("the imported files, each with its SHA-256"), { "sources" } },
	{ N_("query: card purchases in March 2024 (CJK substring search)"),
	  { "query", "--from", "2024-03-01", "--to", "2024-03-31", "--text",
	    "卡" } },
	{ N_("query as JSON, for programs"),
	  { "--json", "query", "--order-no", "KM20240315000101" } },
	{ N_("one order with its provenance, status timeline and related records (card secret masked)"),
	  { "show", "Q7M2K9X4T1B8C5D3" } },
	{ N_("a monthly PDF report (CJK text, totals, a chart; card secrets never included)"),
	  { "export", "--month", "2024-03", "--format", "pdf", "-o",
	    "@D/report-2024-03.pdf" } },
	{ N_("the same month as Excel-ready CSV (BOM, CRLF, long IDs kept as text)"),
	  { "export", "--month", "2024-03", "--format", "csv", "-o",
	    "@D/report-2024-03.csv" } },
	{ N_("a signed BagIt evidence bundle for one order, with a dispute letter draft"),
	  { "evidence", "create", "KM20240315000101", "-o",
	    "@D/evidence-KM20240315000101.zip", "--claim",
	    "退还货款 48.50 元" } },
	{ N_("the vault's signing key (minisign format), for whoever receives the bundle"),
	  { "evidence", "pubkey" } },
	{ N_("anyone can verify the bundle: manifests, hashes, signature (no passphrase needed)"),
	  { "evidence", "verify", "@D/evidence-KM20240315000101.zip" } },
	{ N_("back up the encrypted vault (no passphrase needed: cron can do it), with retention"),
	  { "backup", "create", "--to", "@D/backups", "--keep-daily", "7",
	    "--keep-weekly", "4", "--keep-monthly", "12" } },
	{ N_("the backups, with their generation"),
	  { "backup", "list", "--to", "@D/backups" } },
	{ N_("a full decrypt-and-check of the newest backup"),
	  { "backup", "verify", "@LATEST_BACKUP" } },
	{ N_("a membership that expires in 3 days, paid by one of the orders"),
	  { "member", "add", "--platform", "示例卡盟", "--level", "月卡",
	    "--expiry", "@DATE+3", "--price", "25", "--order",
	    "KM20240320000202" } },
	{ N_("open a dispute case for the paid-but-undelivered dujiaoka order (3 working days to reply)"),
	  { "case", "open", "H3N8P2Q6R9S4T7V1", "--reason", "undelivered",
	    "--reply-days", "3", "--note", "已付款 30.00 元，未收到游戏币" } },
	{ N_("what is due in the next 7 days"), { "remind", "--days", "7" } },
	{ N_("crontab lines for the nightly backup and the morning reminder"),
	  { "cron", "--to", "@D/backups" } },
	{ N_("verify envelope, integrity and audit chain"), { "check" } },
	{ N_("the audit log, hash-chained"), { "log" } },
	{ N_("what went wrong in these records: anomalies with evidence and a next step"),
	  { "anomalies" } },
};

/* The newest kmvault-*.kmv in DIR/backups (names sort by time). */
static void latest_backup(kmv_buf *out, const char *dir)
{
	kmv_buf path = KMV_BUF_INIT;
	char best[256] = "";
	struct dirent *e;
	DIR *dh;

	kmv_buf_printf(&path, "%s/backups", dir);
	if ((dh = opendir(path.ptr)) != NULL) {
		while ((e = readdir(dh)) != NULL)
			if (strncmp(e->d_name, "kmvault-", 8) == 0 &&
			    strcmp(e->d_name, best) > 0)
				snprintf(best, sizeof(best), "%s", e->d_name);
		closedir(dh);
	}
	kmv_buf_printf(out, "%s/%s", path.ptr, best);
	kmv_buf_dispose(&path);
}

/*
 * The letter inside the bundle just written (the step's "-o" file), as
 * the user would send it.
 */
static int show_letter(struct demo *d, const char *const *argv, size_t n)
{
	kmv_buf text = KMV_BUF_INIT;
	const char *bundle = NULL;
	int ret = KMV_EXIT_OK, error;

	for (size_t i = 0; i + 1 < n; i++)
		if (strcmp(argv[i], "-o") == 0)
			bundle = argv[i + 1];
	if (!bundle)
		return KMV_EXIT_OK;
	if ((error = kmv_evidence_letter_text(&text, bundle)) < 0) {
		ret = cli_error_lib(error);
		goto done;
	}
	printf(_("\n== %d. the dispute letter in the bundle, ready to sign "
		 "and send\n"),
	       ++d->step);
	fwrite(text.ptr, 1, text.size, stdout);
	if (text.size && text.ptr[text.size - 1] != '\n')
		putchar('\n');
	fflush(stdout);
done:
	kmv_buf_dispose(&text);
	return ret;
}

static int walk(struct demo *d)
{
	kmv_buf args[12];
	int ret = 0;

	for (size_t i = 0; i < 12; i++)
		kmv_buf_init(&args[i], 0);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]) && ret == 0;
	     i++) {
		const char *argv[13];
		size_t n = 0;

		for (; n < 12 && steps[i].args[n]; n++) {
			const char *a = steps[i].args[n];

			kmv_buf_clear(&args[n]);
			if (strncmp(a, "@DATE+", 6) == 0) {
				kmv_time t = kmv_time_now();
				char day[KMV_TIME_BUFSZ];

				t.epoch += atoi(a + 6) * 86400;
				kmv_time_format_plain(day, &t);
				day[10] = '\0';
				kmv_buf_puts(&args[n], day);
			} else if (strcmp(a, "@LATEST_BACKUP") == 0) {
				latest_backup(&args[n], d->dir);
			} else if (strncmp(a, "@S/", 3) == 0)
				kmv_buf_printf(&args[n], "%s/%s", d->samples,
					       a + 3);
			else if (strncmp(a, "@D/", 3) == 0)
				kmv_buf_printf(&args[n], "%s/%s", d->dir,
					       a + 3);
			else
				kmv_buf_puts(&args[n], a);
			argv[n] = args[n].ptr;
		}
		argv[n] = NULL;
		ret = run(d, steps[i].comment, argv);
		/* a bundle made: what its letter says */
		if (ret == 0 && strcmp(argv[0], "evidence") == 0 &&
		    strcmp(argv[1], "create") == 0)
			ret = show_letter(d, argv, n);
	}
	for (size_t i = 0; i < 12; i++)
		kmv_buf_dispose(&args[i]);
	return ret;
}

/* The demo's folder: --dir (made if need be), else a new one in $TMPDIR. */
static int make_dir(struct demo *d, const char *dir_opt)
{
	const char *tmp = getenv("TMPDIR");

	if (dir_opt) {
		if (mkdir(dir_opt, 0700) < 0 && errno != EEXIST)
			return cli_error_os(dir_opt);
		if (!realpath(dir_opt, d->dir))
			return cli_error_os(dir_opt);
		return KMV_EXIT_OK;
	}
	snprintf(d->dir, sizeof(d->dir), "%s/kmvault-demo-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(d->dir))
		return cli_error_os(d->dir);
	return KMV_EXIT_OK;
}

/* A random passphrase for the throwaway vault, passed by file. */
static int write_passphrase(const struct demo *d)
{
	kmv_buf path = KMV_BUF_INIT, pass = KMV_BUF_INIT;
	unsigned char rnd[18];
	char passtext[64];
	int ret = KMV_EXIT_OK;

	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2base64(passtext, sizeof(passtext), rnd, sizeof(rnd),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	kmv_buf_printf(&path, "%s/passphrase", d->dir);
	kmv_buf_printf(&pass, "%s\n", passtext);
	unlink(path.ptr);
	if (kmv_file_write(path.ptr, pass.ptr, pass.size, false) < 0)
		ret = cli_error_lib(KMV_ERROR);
	else
		setenv("KMVAULT_PASSPHRASE_FILE", path.ptr, 1);
	sodium_memzero(rnd, sizeof(rnd));
	sodium_memzero(passtext, sizeof(passtext));
	kmv_buf_dispose_secure(&pass);
	kmv_buf_dispose(&path);
	return ret;
}

/* Point the steps at the demo's vault, config and state, nothing of yours. */
static int set_environment(const struct demo *d)
{
	kmv_buf path = KMV_BUF_INIT;
	int ret = KMV_EXIT_OK;

	kmv_buf_printf(&path, "%s/vault.kmv", d->dir);
	if (access(path.ptr, F_OK) == 0) {
		ret = cli_error("'%s' already holds a demo vault; use another "
				"--dir",
				d->dir);
		goto done;
	}
	setenv("KMVAULT_VAULT", path.ptr, 1);
	/* Your config file and categorising rules stay out of the demo (the
	 * language they chose is already in LC_MESSAGES). */
	kmv_buf_clear(&path);
	kmv_buf_printf(&path, "%s/config", d->dir);
	setenv("XDG_CONFIG_HOME", path.ptr, 1);
	/* The throwaway vault's rollback mark stays in its folder too. */
	kmv_buf_clear(&path);
	kmv_buf_printf(&path, "%s/state", d->dir);
	setenv("XDG_STATE_HOME", path.ptr, 1);
	unsetenv("KMVAULT_PASSPHRASE_COMMAND");
	unsetenv("KMVAULT_PASSPHRASE");
done:
	kmv_buf_dispose(&path);
	return ret;
}

int cmd_demo(int argc, char **argv, cli_state *cli)
{
	struct demo d;
	const char *dir_opt = NULL;
	int c, ret;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'd': dir_opt = optarg; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind < argc)
		return cli_error_extra_arg(argv[optind]);
	memset(&d, 0, sizeof(d));
	d.cli = cli;
	if ((ret = cli_self_path(d.self, sizeof(d.self))) != 0)
		return ret;
	if (!(d.samples = samples_dir()))
		return cli_error("cannot find the bundled sample files (set "
				 "KMVAULT_SAMPLES to the samples folder)");
	if ((ret = make_dir(&d, dir_opt)) != 0 ||
	    (ret = write_passphrase(&d)) != 0 ||
	    (ret = set_environment(&d)) != 0)
		return ret;
	printf(_("kmvault demo: a throwaway vault in %s\n"
		 "(DEMO=%s; passphrase in $DEMO/passphrase; samples from %s)\n"),
	       d.dir, d.dir, d.samples);
	ret = walk(&d);
	if (ret == 0)
		printf(_("\ndemo finished: everything above ran against %s/vault.kmv\n"),
		       d.dir);
	return ret;
}
