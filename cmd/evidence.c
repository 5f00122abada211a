/* SPDX-License-Identifier: MIT */
/* kmvault evidence: placeholder until its issue lands. */
#include "cli.h"

int cmd_evidence(int argc, char **argv, kmv_cli *cli)
{
	(void)cli;
	if (cli_wants_help(argc, argv)) {
		puts("usage: kmvault evidence ...\n\nNot implemented yet.");
		return KMV_EXIT_OK;
	}
	return cli_error("'evidence' is not implemented yet");
}
