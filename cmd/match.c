/* SPDX-License-Identifier: MIT */
/* kmvault match: placeholder until its issue lands. */
#include "cli.h"

int cmd_match(int argc, char **argv, kmv_cli *cli)
{
	(void)cli;
	if (cli_wants_help(argc, argv)) {
		puts("usage: kmvault match ...\n\nNot implemented yet.");
		return KMV_EXIT_OK;
	}
	return cli_error("'match' is not implemented yet");
}
