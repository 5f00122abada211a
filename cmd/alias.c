/* SPDX-License-Identifier: MIT */
/* kmvault alias: placeholder until its issue lands. */
#include "cli.h"

int cmd_alias(int argc, char **argv, kmv_cli *cli)
{
	(void)cli;
	if (cli_wants_help(argc, argv)) {
		puts("usage: kmvault alias ...\n\nNot implemented yet.");
		return KMV_EXIT_OK;
	}
	return cli_error("'alias' is not implemented yet");
}
