/* SPDX-License-Identifier: MIT */
/* kmvault unlink: placeholder until its issue lands. */
#include "cli.h"

int cmd_unlink(int argc, char **argv, kmv_cli *cli)
{
	(void)cli;
	if (cli_wants_help(argc, argv)) {
		puts("usage: kmvault unlink ...\n\nNot implemented yet.");
		return KMV_EXIT_OK;
	}
	return cli_error("'unlink' is not implemented yet");
}
