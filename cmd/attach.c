/* SPDX-License-Identifier: MIT */
/* kmvault attach: placeholder until its issue lands. */
#include "cli.h"

int cmd_attach(int argc, char **argv, kmv_cli *cli)
{
	(void)cli;
	if (cli_wants_help(argc, argv)) {
		puts("usage: kmvault attach ...\n\nNot implemented yet.");
		return KMV_EXIT_OK;
	}
	return cli_error("'attach' is not implemented yet");
}
