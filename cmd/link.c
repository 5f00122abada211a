/* SPDX-License-Identifier: MIT */
/* kmvault link: placeholder until its issue lands. */
#include "cli.h"

int cmd_link(int argc, char **argv, kmv_cli *cli)
{
	(void)cli;
	if (cli_wants_help(argc, argv)) {
		puts("usage: kmvault link ...\n\nNot implemented yet.");
		return KMV_EXIT_OK;
	}
	return cli_error("'link' is not implemented yet");
}
