/* SPDX-License-Identifier: MIT */
/* kmvault query: placeholder until its issue lands. */
#include "cli.h"

int cmd_query(int argc, char **argv, kmv_cli *cli)
{
	(void)cli;
	if (cli_wants_help(argc, argv)) {
		puts("usage: kmvault query ...\n\nNot implemented yet.");
		return KMV_EXIT_OK;
	}
	return cli_error("'query' is not implemented yet");
}
