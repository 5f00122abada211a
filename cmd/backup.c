/* SPDX-License-Identifier: MIT */
/* kmvault backup: placeholder until its issue lands. */
#include "cli.h"

int cmd_backup(int argc, char **argv, kmv_cli *cli)
{
	(void)cli;
	if (cli_wants_help(argc, argv)) {
		puts("usage: kmvault backup ...\n\nNot implemented yet.");
		return KMV_EXIT_OK;
	}
	return cli_error("'backup' is not implemented yet");
}
