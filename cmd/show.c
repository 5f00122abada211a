/* SPDX-License-Identifier: MIT */
/* kmvault show: placeholder until its issue lands. */
#include "cli.h"

int cmd_show(int argc, char **argv, kmv_cli *cli)
{
	(void)cli;
	if (cli_wants_help(argc, argv)) {
		puts("usage: kmvault show ...\n\nNot implemented yet.");
		return KMV_EXIT_OK;
	}
	return cli_error("'show' is not implemented yet");
}
