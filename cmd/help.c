/* SPDX-License-Identifier: MIT */
/* kmvault help [COMMAND [VERB]]: the same text as COMMAND [VERB] --help. */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <string.h>

#include "kmv/i18n.h"

int cmd_help(int argc, char **argv, cli_state *cli)
{
	const cli_cmd_spec *cmd = NULL;
	int c;

	while ((c = cli_getopt(argc, argv, cli)) != -1)
		return cli_opt_done(c, cli);
	if (optind >= argc) {
		cli_help_global(stdout);
		return KMV_EXIT_OK;
	}
	for (const cli_cmd_spec *s = cli_commands; s->name; s++)
		if (strcmp(s->name, argv[optind]) == 0)
			cmd = s;
	if (!cmd)
		return cli_error_usage(_("unknown command '%s' (see 'kmvault "
					 "help')"),
				       argv[optind]);
	if (optind + 1 < argc) {
		if (!cli_usage_find(cmd->name, argv[optind + 1]))
			return cli_error_usage(
				_("unknown command 'kmvault %s %s' "
				  "(see 'kmvault help %s')"),
				cmd->name, argv[optind + 1], cmd->name);
		if (optind + 2 < argc)
			return cli_error_extra_arg(argv[optind + 2]);
		cli_help_print(stdout, cmd->name, argv[optind + 1]);
		return KMV_EXIT_OK;
	}
	if (cli_usage_find(cmd->name, NULL)) {
		cli_help_print(stdout, cmd->name, NULL);
		return KMV_EXIT_OK;
	}
	/* A command without a table yet prints its own help. */
	{
		char *args[] = { (char *)cmd->name, (char *)"--help", NULL };

		cli->command = cmd->name;
		cli->mode = cmd->mode;
		optind = 0;
		return cmd->fn(2, args, cli);
	}
}
