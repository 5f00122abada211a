/* SPDX-License-Identifier: MIT */
/* kmvault cron: placeholder until its issue lands. */
#include "cli.h"

int cmd_cron(int argc, char **argv, kmv_cli *cli)
{
	(void)cli;
	if (cli_wants_help(argc, argv)) {
		puts("usage: kmvault cron ...\n\nNot implemented yet.");
		return KMV_EXIT_OK;
	}
	return cli_error("'cron' is not implemented yet");
}
