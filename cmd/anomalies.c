/* SPDX-License-Identifier: MIT */
/* kmvault anomalies: placeholder until its issue lands. */
#include "cli.h"

int cmd_anomalies(int argc, char **argv, kmv_cli *cli)
{
	(void)cli;
	if (cli_wants_help(argc, argv)) {
		puts("usage: kmvault anomalies ...\n\nNot implemented yet.");
		return KMV_EXIT_OK;
	}
	return cli_error("'anomalies' is not implemented yet");
}
