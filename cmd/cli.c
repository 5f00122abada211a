/* SPDX-License-Identifier: MIT */
/* The command's shared state and arguments: the vault path, config paths,
 * records named on the command line, numbers, verbs, --help.  What is said,
 * asked, opened and tabled lives in messages.c, passphrase.c, open.c and
 * table.c. */
#include "cli.h"
#include "opt.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmv/resolve.h"

char *cli_config_path(const char *name)
{
	kmv_buf b = KMV_BUF_INIT;
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int error;

	if (xdg && *xdg == '/')
		error = kmv_buf_printf(&b, "%s/kmvault/%s", xdg, name);
	else if (home && *home)
		error = kmv_buf_printf(&b, "%s/.config/kmvault/%s", home, name);
	else
		return NULL;
	if (error < 0) {
		kmv_buf_dispose(&b);
		return NULL;
	}
	return kmv_buf_detach(&b);
}

int cli_resolve_record_flags(int64_t *id, kmv_vault *vault, const char *text,
			     unsigned flags)
{
	int error = kmv_record_resolve(vault, text, flags, id);

	if (error == KMV_EAMBIGUOUS) {
		cli_error("%s", kmv_error_last());
		return KMV_EXIT_USAGE;
	}
	return error < 0 ? cli_error_lib(error) : KMV_EXIT_OK;
}

int cli_resolve_record(int64_t *id, kmv_vault *vault, const char *text)
{
	return cli_resolve_record_flags(id, vault, text, 0);
}

const char *cli_user(void)
{
	const struct passwd *pw = getpwuid(geteuid());

	return pw && pw->pw_name ? pw->pw_name : "unknown";
}

const char *cli_vault_path(cli_state *cli)
{
	if (cli->vault_path)
		return cli->vault_path;
	const char *env = getenv("KMVAULT_VAULT");
	const char *conf = cli_config_get("vault.path");
	const char *home = getenv("HOME");

	/* --vault, then $KMVAULT_VAULT, then the config file, then XDG */
	if (cli->vault_opt)
		cli->vault_path = strdup(cli->vault_opt);
	else if ((!env || !*env) && conf && strncmp(conf, "~/", 2) == 0 &&
		 home) {
		kmv_buf p = KMV_BUF_INIT;

		if (kmv_buf_printf(&p, "%s/%s", home, conf + 2) == 0)
			cli->vault_path = kmv_buf_detach(&p);
		kmv_buf_dispose(&p);
	} else if ((!env || !*env) && conf)
		cli->vault_path = strdup(conf);
	else
		cli->vault_path = kmv_vault_default_path();
	if (!cli->vault_path)
		cli_error_lib(KMV_ERROR);
	return cli->vault_path;
}

/* ---- output ---------------------------------------------------------- */

bool cli_show_progress(cli_state *cli)
{
	return !cli->quiet && !cli->no_progress && isatty(2);
}

int cli_parse_int(int64_t *out, const char *opt, const char *value)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(value, &end, 10);
	if (errno || end == value || *end || v < 0)
		return cli_error_usage(_("option '%s' expects a non-negative "
					 "number, not '%s'"),
				       opt, value);
	*out = v;
	return KMV_EXIT_OK;
}

int cli_self_path(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);

	if (n <= 0)
		return cli_error("cannot find the kmvault binary: %s",
				 strerror(errno));
	buf[n] = '\0';
	return KMV_EXIT_OK;
}

int cli_dispatch_verbs(int argc, char **argv, cli_state *cli,
		       const cli_verb *verbs, size_t nverbs)
{
	kmv_buf names = KMV_BUF_INIT;
	int ret;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		cli_help_print(argc < 2 ? stderr : stdout, cli->command, NULL);
		return argc < 2 ? KMV_EXIT_USAGE : KMV_EXIT_OK;
	}
	for (size_t i = 0; i < nverbs; i++) {
		if (strcmp(argv[1], verbs[i].name) == 0) {
			optind = 0;
			cli->verb = verbs[i].name;
			return verbs[i].fn(argc - 1, argv + 1, cli);
		}
	}
	for (size_t i = 0; i < nverbs; i++)
		kmv_buf_printf(&names, "%s%s", i ? ", " : "", verbs[i].name);
	ret = cli_error_usage(_("unknown command 'kmvault %s %s' (%s)"),
			      cli->command, argv[1], names.ptr);
	kmv_buf_dispose(&names);
	return ret;
}

bool cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)
			return true;
	}
	return false;
}
