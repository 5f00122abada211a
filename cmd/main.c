/* SPDX-License-Identifier: MIT */
/*
 * kmvault: the command dispatcher.  Parses the global options, finds the
 * command in the one table below, runs it, closes the vault and checks
 * that stdout was written completely (a full disk must not look like
 * success).
 *
 * Adding a command: write cmd/<name>.c with `int cmd_<name>(int, char **,
 * kmv_cli *)` and a usage text whose first line is its synopsis, declare
 * it in cli.h, add a row here (alphabetical), add tests/cli/tNNNN-<name>-*.sh
 * and docs/kmvault-<name>.md.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "kmv/i18n.h"
#include "kmv/util.h"

const kmv_cmd_spec kmv_commands[] = {
	{ "alias", cmd_alias, KMV_CMD_VAULT_RW, N_("list or edit merchant <-> platform aliases") },
	{ "anomalies", cmd_anomalies, KMV_CMD_VAULT_RO, N_("list duplicate charges, undelivered orders and other anomalies") },
	{ "attach", cmd_attach, KMV_CMD_VAULT_RW, N_("keep screenshots, chats and rule pages as evidence") },
	{ "backup", cmd_backup, KMV_CMD_NO_VAULT, N_("create, list, verify and restore encrypted backups") },
	{ "case", cmd_case, KMV_CMD_VAULT_RW, N_("dispute cases with reply deadlines") },
	{ "check", cmd_check, KMV_CMD_VAULT_RO, N_("verify envelope, database integrity and the audit chain") },
	{ "cron", cmd_cron, KMV_CMD_NO_VAULT, N_("print crontab lines for backups and reminders") },
	{ "demo", cmd_demo, KMV_CMD_NO_VAULT, N_("run the main flow on bundled samples in a throwaway vault") },
	{ "edit", cmd_edit, KMV_CMD_VAULT_RW, N_("correct a record's platform, merchant, category or note") },
	{ "evidence", cmd_evidence, KMV_CMD_NO_VAULT, N_("create, stamp and verify signed evidence bundles") },
	{ "export", cmd_export, KMV_CMD_VAULT_RW, N_("write a CSV, XLSX or PDF report for a period") },
	{ "import", cmd_import, KMV_CMD_VAULT_RW, N_("import statements, order exports and e-mail receipts") },
	{ "init", cmd_init, KMV_CMD_NO_VAULT, N_("create a new vault") },
	{ "link", cmd_link, KMV_CMD_VAULT_RW, N_("link two records by hand") },
	{ "lock", cmd_lock, KMV_CMD_NO_VAULT, N_("forget the key kept by 'unlock'") },
	{ "log", cmd_log, KMV_CMD_VAULT_RO, N_("show the audit log") },
	{ "match", cmd_match, KMV_CMD_VAULT_RW, N_("cross-match orders, payments and receipts") },
	{ "merge", cmd_merge, KMV_CMD_VAULT_RW, N_("merge a diverged copy of this vault (a sync conflict)") },
	{ "member", cmd_member, KMV_CMD_VAULT_RW, N_("memberships and their renewals") },
	{ "passwd", cmd_passwd, KMV_CMD_VAULT_RW, N_("change the passphrase") },
	{ "query", cmd_query, KMV_CMD_VAULT_RO, N_("list records, newest first") },
	{ "remind", cmd_remind, KMV_CMD_VAULT_RO, N_("what is due: memberships, cases, undelivered orders") },
	{ "show", cmd_show, KMV_CMD_VAULT_RW, N_("one record with provenance, timeline and links") },
	{ "sources", cmd_sources, KMV_CMD_VAULT_RO, N_("list imported source files") },
	{ "summary", cmd_summary, KMV_CMD_VAULT_RO, N_("net spending of a period by platform, category, merchant, month or day") },
	{ "tag", cmd_tag, KMV_CMD_VAULT_RW, N_("add or remove a record's tags") },
	{ "unlink", cmd_unlink, KMV_CMD_VAULT_RW, N_("remove a link and keep it removed") },
	{ "unlock", cmd_unlock, KMV_CMD_NO_VAULT, N_("keep the vault key in the kernel keyring for a while") },
	{ "unvoid", cmd_unvoid, KMV_CMD_VAULT_RW, N_("bring voided records back") },
	{ "void", cmd_void, KMV_CMD_VAULT_RW, N_("hide mistaken records (audited, reversible)") },
	{ NULL, NULL, 0, NULL }
};

static const char usage[] = N_(
	"usage: kmvault [--vault PATH] [--json] [--quiet] [--no-progress] COMMAND [ARGS...]\n"
	"       kmvault --version | --help | COMMAND --help\n"
	"\n"
	"Passphrase sources (first set wins): --passphrase-file F,\n"
	"$KMVAULT_PASSPHRASE_FILE, $KMVAULT_PASSPHRASE_COMMAND, $KMVAULT_PASSPHRASE,\n"
	"else a prompt on the terminal.  --recovery-key-file F unlocks with the\n"
	"recovery key; --wait SECONDS waits for another writer's lock.\n"
	"\n"
	"Commands:\n");

static void print_usage(FILE *out)
{
	fputs(_(usage), out);
	for (const kmv_cmd_spec *c = kmv_commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, _(c->summary));
	fputs(_("\nExit codes: 0 ok, 1 error, 2 usage, 3 authentication failed, "
		"4 corrupt or tampered,\n5 locked, 6 input rejected, 7 not found.\n"),
	      out);
}

static const kmv_cmd_spec *find_command(const char *name)
{
	for (const kmv_cmd_spec *c = kmv_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/*
 * Global options may also follow the command ("kmvault query --json"),
 * and the secret-source options are accepted anywhere.  They are taken out
 * of the command's argv here so every command sees only its own options.
 */
static int take_global_options(kmv_cli *cli, int *argc, char **argv)
{
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		const char **target = NULL;
		const char *name = NULL;
		const char *value = NULL;
		bool flag = false;

		if (strcmp(a, "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strcmp(a, "--json") == 0)
			cli->json = flag = true;
		else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0)
			cli->quiet = flag = true;
		else if (strcmp(a, "--no-progress") == 0)
			cli->no_progress = flag = true;
		else if (strcmp(a, "--allow-expensive-kdf") == 0)
			kmv_vault_allow_expensive_kdf(flag = true);
		if (flag)
			continue;
		static const char *const valued[] = {
			"--vault", "--passphrase-file", "--new-passphrase-file",
			"--recovery-key-file", "--wait",
		};
		for (size_t k = 0; k < sizeof(valued) / sizeof(valued[0]); k++) {
			size_t n = strlen(valued[k]);

			if (strncmp(a, valued[k], n) == 0 &&
			    (a[n] == '\0' || a[n] == '=')) {
				name = valued[k];
				if (a[n] == '=')
					value = a + n + 1;
				else if (i + 1 < *argc)
					value = argv[++i];
				else
					return cli_error_usage(_("option '%s' needs "
								 "a value"), name);
				break;
			}
		}
		if (!name) {
			argv[out++] = argv[i];
			continue;
		}
		if (strcmp(name, "--vault") == 0)
			target = &cli->vault_opt;
		else if (strcmp(name, "--passphrase-file") == 0)
			target = &cli->passphrase_file;
		else if (strcmp(name, "--new-passphrase-file") == 0)
			target = &cli->new_passphrase_file;
		else if (strcmp(name, "--recovery-key-file") == 0)
			target = &cli->recovery_key_file;
		if (target) {
			*target = value;
		} else {
			int64_t secs;
			int ret = cli_parse_int(&secs, "--wait", value);

			if (ret)
				return ret;
			cli->wait_seconds = secs > 86400 ? 86400 : (int)secs;
		}
	}
	argv[out] = NULL;
	*argc = out;
	return 0;
}

/* Like git: a write error on stdout (full disk, closed pipe) is a failure. */
static int check_stdout(int ret)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno == EPIPE)
			return ret;
		fprintf(stderr, _("kmvault: write error on standard output: %s\n"),
			strerror(errno));
		return ret ? ret : KMV_EXIT_ERROR;
	}
	if (fclose(stdout) != 0 && errno != EPIPE && errno != EBADF) {
		fprintf(stderr, _("kmvault: write error on standard output: %s\n"),
			strerror(errno));
		return ret ? ret : KMV_EXIT_ERROR;
	}
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "vault", required_argument, NULL, 'V' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "no-progress", no_argument, NULL, 'P' },
		{ "allow-expensive-kdf", no_argument, NULL, 'K' },
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "passphrase-file", required_argument, NULL, 'f' },
		{ "new-passphrase-file", required_argument, NULL, 'n' },
		{ "recovery-key-file", required_argument, NULL, 'r' },
		{ "wait", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	struct rlimit nocore = { 0, 0 };
	kmv_cli cli;
	const kmv_cmd_spec *cmd;
	int c, ret;
	int64_t secs;

	/* Core dumps would write the decrypted database to disk; a
	 * non-dumpable process also keeps other users' ptrace and
	 * /proc/PID/mem away from the keys. */
	setrlimit(RLIMIT_CORE, &nocore);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	memset(&cli, 0, sizeof(cli));
	kmv_i18n_init();
	if (kmv_global_init() < 0)
		return cli_error_lib(KMV_ERROR);

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+hqv", longopts, NULL)) != -1) {
		switch (c) {
		case 'V': cli.vault_opt = optarg; break;
		case 'j': cli.json = true; break;
		case 'q': cli.quiet = true; break;
		case 'P': cli.no_progress = true; break;
		case 'K': kmv_vault_allow_expensive_kdf(true); break;
		case 'f': cli.passphrase_file = optarg; break;
		case 'n': cli.new_passphrase_file = optarg; break;
		case 'r': cli.recovery_key_file = optarg; break;
		case 'w':
			if ((ret = cli_parse_int(&secs, "--wait", optarg)) != 0)
				return ret;
			cli.wait_seconds = secs > 86400 ? 86400 : (int)secs;
			break;
		case 'v':
			printf("kmvault %s\n", KMV_VERSION);
			return check_stdout(KMV_EXIT_OK);
		case 'h':
			print_usage(stdout);
			return check_stdout(KMV_EXIT_OK);
		default:
			return cli_error_usage(_("unknown option '%s' (see "
						 "'kmvault --help')"),
					       argv[optind - 1]);
		}
	}
	if (optind >= argc) {
		print_usage(stderr);
		return KMV_EXIT_USAGE;
	}
	cmd = find_command(argv[optind]);
	if (!cmd)
		return cli_error_usage(_("unknown command '%s' (see "
					 "'kmvault --help')"), argv[optind]);
	cli.command = cmd->name;
	cli.mode = cmd->mode;
	argc -= optind;
	argv += optind;
	if ((ret = take_global_options(&cli, &argc, argv)) != 0)
		return ret;
	optind = 0; /* glibc: full reinitialization for the command's getopt */
	ret = cmd->fn(argc, argv, &cli);
	kmv_vault_free(cli.vault);
	free(cli.vault_path);
	return check_stdout(ret);
}
