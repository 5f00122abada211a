/* SPDX-License-Identifier: MIT */
/* kmvault case: placeholder until its issue lands. */
#include "cli.h"

int cmd_case(int argc, char **argv, kmv_cli *cli)
{
	(void)cli;
	if (cli_wants_help(argc, argv)) {
		puts("usage: kmvault case ...\n\nNot implemented yet.");
		return KMV_EXIT_OK;
	}
	return cli_error("'case' is not implemented yet");
}
