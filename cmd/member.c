/* SPDX-License-Identifier: MIT */
/* kmvault member: placeholder until its issue lands. */
#include "cli.h"

int cmd_member(int argc, char **argv, kmv_cli *cli)
{
	(void)cli;
	if (cli_wants_help(argc, argv)) {
		puts("usage: kmvault member ...\n\nNot implemented yet.");
		return KMV_EXIT_OK;
	}
	return cli_error("'member' is not implemented yet");
}
