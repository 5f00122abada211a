/* SPDX-License-Identifier: MIT */
/* kmvault remind: placeholder until its issue lands. */
#include "cli.h"

int cmd_remind(int argc, char **argv, kmv_cli *cli)
{
	(void)cli;
	if (cli_wants_help(argc, argv)) {
		puts("usage: kmvault remind ...\n\nNot implemented yet.");
		return KMV_EXIT_OK;
	}
	return cli_error("'remind' is not implemented yet");
}
