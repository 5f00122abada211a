/* SPDX-License-Identifier: MIT */
/*
 * kmvault: the command dispatcher.  Parses the global options, finds the
 * command in the one table below, runs it, closes the vault and checks
 * that stdout was written completely (a full disk must not look like
 * success).
 *
 * Adding a command: write cmd/<name>.c with `int cmd_<name>(int, char **,
 * cli_state *)` and a usage text whose first line is its synopsis, list it
 * in CMakeLists.txt, declare it in cli.h, add a row here (alphabetical), add its option table to
 * cmd/usage.c (see opt.h), add tests/cli/tNNNN-<name>-*.sh and
 * docs/kmvault-<name>.md, and run scripts/gen-docs.sh.
 */
#include "cli.h"
#include "opt.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "kmv/i18n.h"
#include "kmv/init.h"

const cli_cmd_spec cli_commands[] = {
	{ "alias", cmd_alias, CLI_CMD_VAULT_RW,
	  N_("list or edit merchant <-> platform aliases") },
	{ "anomalies", cmd_anomalies, CLI_CMD_VAULT_RO,
	  N_("list duplicate charges, undelivered orders and other anomalies") },
	{ "attach", cmd_attach, CLI_CMD_VAULT_RW,
	  N_("keep screenshots, chats and rule pages as evidence") },
	{ "backup", cmd_backup, CLI_CMD_NO_VAULT,
	  N_("create, list, verify and restore encrypted backups") },
	{ "case", cmd_case, CLI_CMD_VAULT_RW,
	  N_("dispute cases with reply deadlines") },
	{ "check", cmd_check, CLI_CMD_VAULT_RO,
	  N_("verify envelope, database integrity and the audit chain") },
	{ "config", cmd_config, CLI_CMD_NO_VAULT,
	  N_("read and set the defaults in the configuration file") },
	{ "cron", cmd_cron, CLI_CMD_NO_VAULT,
	  N_("print crontab lines for backups and reminders") },
	{ "demo", cmd_demo, CLI_CMD_NO_VAULT,
	  N_("run the main flow on bundled samples in a throwaway vault") },
	{ "edit", cmd_edit, CLI_CMD_VAULT_RW,
	  N_("correct a record's platform, merchant, category or note") },
	{ "evidence", cmd_evidence, CLI_CMD_NO_VAULT,
	  N_("create, stamp and verify signed evidence bundles") },
	{ "export", cmd_export, CLI_CMD_VAULT_RW,
	  N_("write a CSV, XLSX or PDF report for a period") },
	{ "help", cmd_help, CLI_CMD_NO_VAULT,
	  N_("the help of kmvault or of one command") },
	{ "import", cmd_import, CLI_CMD_VAULT_RW,
	  N_("import statements, order exports and e-mail receipts") },
	{ "init", cmd_init, CLI_CMD_NO_VAULT, N_("create a new vault") },
	{ "link", cmd_link, CLI_CMD_VAULT_RW, N_("link two records by hand") },
	{ "lock", cmd_lock, CLI_CMD_NO_VAULT,
	  N_("forget the key kept by 'unlock'") },
	{ "log", cmd_log, CLI_CMD_VAULT_RO, N_("show the audit log") },
	{ "match", cmd_match, CLI_CMD_VAULT_RW,
	  N_("cross-match orders, payments and receipts") },
	{ "merge", cmd_merge, CLI_CMD_VAULT_RW,
	  N_("merge a diverged copy of this vault (a sync conflict)") },
	{ "member", cmd_member, CLI_CMD_VAULT_RW,
	  N_("memberships and their renewals") },
	{ "passwd", cmd_passwd, CLI_CMD_VAULT_RW, N_("change the passphrase") },
	{ "query", cmd_query, CLI_CMD_VAULT_RO,
	  N_("list records, newest first") },
	{ "remind", cmd_remind, CLI_CMD_VAULT_RO,
	  N_("what is due: memberships, cases, undelivered orders") },
	{ "rules", cmd_rules, CLI_CMD_VAULT_RW,
	  N_("apply the categorising rules to the records") },
	{ "show", cmd_show, CLI_CMD_VAULT_RW,
	  N_("one record with provenance, timeline and links") },
	{ "sources", cmd_sources, CLI_CMD_VAULT_RO,
	  N_("list imported source files") },
	{ "summary", cmd_summary, CLI_CMD_VAULT_RO,
	  N_("net spending of a period by platform, category, merchant, month or day") },
	{ "tag", cmd_tag, CLI_CMD_VAULT_RW,
	  N_("add or remove a record's tags") },
	{ "unlink", cmd_unlink, CLI_CMD_VAULT_RW,
	  N_("remove a link and keep it removed") },
	{ "unlock", cmd_unlock, CLI_CMD_NO_VAULT,
	  N_("keep the vault key in the kernel keyring for a while") },
	{ "unvoid", cmd_unvoid, CLI_CMD_VAULT_RW,
	  N_("bring voided records back") },
	{ "void", cmd_void, CLI_CMD_VAULT_RW,
	  N_("hide mistaken records (audited, reversible)") },
	{ NULL, NULL, 0, NULL }
};

static void print_usage(FILE *out)
{
	cli_help_global(out);
}

static const cli_cmd_spec *find_command(const char *name)
{
	for (const cli_cmd_spec *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static int parse_color(cli_state *cli, const char *value)
{
	if (strcmp(value, "auto") == 0)
		cli->color = CLI_COLOR_AUTO;
	else if (strcmp(value, "always") == 0)
		cli->color = CLI_COLOR_ALWAYS;
	else if (strcmp(value, "never") == 0)
		cli->color = CLI_COLOR_NEVER;
	else
		return cli_error_usage(
			_("--color: expected auto, always or never, "
			  "not '%s'"),
			value);
	return KMV_EXIT_OK;
}

/*
 * What one global option does, for both places it may stand (before the
 * command: getopt_long over cli_global_opts; after it: take_global_options).
 * `val` is the option's code in cli_global_opts, `value` its argument.
 */
static int apply_global(cli_state *cli, int val, const char *value)
{
	int64_t secs;
	int ret;

	switch (val) {
	case 'V': cli->vault_opt = value; break;
	case 'j': cli->json = true; break;
	case 'q': cli->quiet = true; break;
	case 'P': cli->no_progress = true; break;
	case 'K': kmv_vault_allow_expensive_kdf(true); break;
	case 'N': cli->no_pager = true; break;
	case 'A': cli->accept_rollback = true; break;
	case 'C': return parse_color(cli, value);
	case 'f': cli->passphrase_file = value; break;
	case 'n': cli->new_passphrase_file = value; break;
	case 'r': cli->recovery_key_file = value; break;
	case 'w':
		if ((ret = cli_parse_int(&secs, "--wait", value)) != 0)
			return ret;
		cli->wait_seconds = secs > 86400 ? 86400 : (int)secs;
		break;
	default: return KMV_EXIT_USAGE;
	}
	return 0;
}

/*
 * The global option `arg` names after the command ("--json", "--vault=F",
 * "--vault F", "-q"), or NULL.  --help and --version there are the
 * command's own; of the short forms only -q is global there.
 */
static const cli_opt *global_after_command(const char *arg, size_t *name_len)
{
	for (const cli_opt *o = cli_global_opts; o->type; o++) {
		size_t n = strlen(o->name);

		if (o->val == 'h' || o->val == 'v')
			continue;
		if (o->alias == 'q' && strcmp(arg, "-q") == 0) {
			*name_len = 0;
			return o;
		}
		if (strncmp(arg, "--", 2) != 0 ||
		    strncmp(arg + 2, o->name, n) != 0)
			continue;
		if (arg[n + 2] == '\0' || arg[n + 2] == '=') {
			*name_len = n + 2;
			return o;
		}
	}
	return NULL;
}

/*
 * Global options may also follow the command ("kmvault query --json"),
 * and the secret-source options are accepted anywhere.  They are taken out
 * of the command's argv here so every command sees only its own options.
 */
static int take_global_options(cli_state *cli, int *argc, char **argv)
{
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i], *value = NULL;
		const cli_opt *o;
		size_t n;
		int ret;

		if (strcmp(a, "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!(o = global_after_command(a, &n))) {
			argv[out++] = argv[i];
			continue;
		}
		if (o->type != CLI_OPT_VALUE && a[n] == '=')
			return cli_error_usage(
				_("option '--%s' takes no value"), o->name);
		if (o->type == CLI_OPT_VALUE) {
			if (a[n] == '=')
				value = a + n + 1;
			else if (i + 1 < *argc)
				value = argv[++i];
			else
				return cli_error_usage(
					_("option '--%s' needs a value"),
					o->name);
		}
		if ((ret = apply_global(cli, o->val, value)) != 0)
			return ret;
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
		fprintf(stderr,
			_("kmvault: write error on standard output: %s\n"),
			strerror(errno));
		return ret ? ret : KMV_EXIT_ERROR;
	}
	if (fclose(stdout) != 0 && errno != EPIPE && errno != EBADF) {
		fprintf(stderr,
			_("kmvault: write error on standard output: %s\n"),
			strerror(errno));
		return ret ? ret : KMV_EXIT_ERROR;
	}
	return ret;
}

/*
 * getopt_long over the global table; named errors as for commands
 * ("unknown option '--bogus'"), returned as '?' after the message.
 */
static int next_global(int argc, char **argv, cli_state *cli)
{
	static struct option longopts[32];
	char shortopts[40] = "+:";
	size_t n = 0, s = 2;
	int c;

	(void)cli;
	for (const cli_opt *o = cli_global_opts; o->type && n < 31; o++) {
		longopts[n].name = o->name;
		longopts[n].has_arg = o->type == CLI_OPT_VALUE
					      ? required_argument
					      : no_argument;
		longopts[n].flag = NULL;
		longopts[n].val = o->val;
		n++;
		if (o->alias)
			shortopts[s++] = o->alias;
	}
	memset(&longopts[n], 0, sizeof(longopts[n]));
	shortopts[s] = '\0';
	c = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (c == '?' || c == ':') {
		const char *arg = argv[optind - 1];
		char name[8];

		if (strncmp(arg, "--", 2) != 0) {
			snprintf(name, sizeof(name), "-%c", optopt);
			arg = name;
		}
		if (c == ':')
			cli_error_usage(_("option '%s' needs a value"), arg);
		else
			cli_error_usage(_("unknown option '%.*s' (see 'kmvault "
					  "--help')"),
					(int)strcspn(arg, "="), arg);
		return '?';
	}
	return c;
}

int main(int argc, char **argv)
{
	struct rlimit nocore = { 0, 0 };
	cli_state cli;
	const cli_cmd_spec *cmd;
	int c, ret;
	char *mark_dir;

	/* Core dumps would write the decrypted database to disk; a
	 * non-dumpable process also keeps other users' ptrace and
	 * /proc/PID/mem away from the keys. */
	setrlimit(RLIMIT_CORE, &nocore);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	memset(&cli, 0, sizeof(cli));
	/* Defaults from the config file; its language before messages. */
	ret = cli_config_load();
	cli_config_language();
	kmv_i18n_init();
	if (ret != 0)
		return ret;
	if (kmv_global_init() < 0)
		return cli_error_lib(KMV_ERROR);
	mark_dir = kmv_vault_mark_default_dir(); /* rollback marks (cli.c) */
	if (kmv_vault_mark_dir_set(mark_dir) < 0)
		return cli_error_lib(KMV_ERROR);
	free(mark_dir);

	cli.command = "";
	opterr = 0;
	while ((c = next_global(argc, argv, &cli)) != -1) {
		switch (c) {
		case 'v':
			printf("kmvault %s\n", KMV_VERSION);
			return check_stdout(KMV_EXIT_OK);
		case 'h': print_usage(stdout); return check_stdout(KMV_EXIT_OK);
		case '?': return KMV_EXIT_USAGE;
		default:
			if ((ret = apply_global(&cli, c, optarg)) != 0)
				return ret;
			break;
		}
	}
	if (optind >= argc) {
		print_usage(stderr);
		return KMV_EXIT_USAGE;
	}
	/* The man page and completion generator (scripts/gen-docs.sh). */
	if (strcmp(argv[optind], "__docs") == 0)
		return check_stdout(cli_docs(argc - optind, argv + optind));
	cmd = find_command(argv[optind]);
	if (!cmd)
		return cli_error_usage(_("unknown command '%s' (see "
					 "'kmvault --help')"),
				       argv[optind]);
	cli.command = cmd->name;
	cli.mode = cmd->mode;
	argc -= optind;
	argv += optind;
	if ((ret = take_global_options(&cli, &argc, argv)) != 0)
		return ret;
	optind = 0; /* glibc: full reinitialization for the command's getopt */
	cli.tty_out = isatty(STDOUT_FILENO);
	ret = cmd->fn(argc, argv, &cli);
	cli_pager_end();
	cli_config_free();
	kmv_vault_free(cli.vault);
	kmv_mark_report_dispose(&cli.mark);
	free(cli.vault_path);
	return check_stdout(ret);
}
