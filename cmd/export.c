/* SPDX-License-Identifier: MIT */
/* kmvault export: placeholder until its issue lands. */
#include "cli.h"

int cmd_export(int argc, char **argv, kmv_cli *cli)
{
	(void)cli;
	if (cli_wants_help(argc, argv)) {
		puts("usage: kmvault export ...\n\nNot implemented yet.");
		return KMV_EXIT_OK;
	}
	return cli_error("'export' is not implemented yet");
}
