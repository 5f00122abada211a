/* SPDX-License-Identifier: MIT */
/* kmvault unlink: remove a link and veto it for later match runs. */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <inttypes.h>

#include "kmvutil/json.h"
#include "kmv/match.h"

int cmd_unlink(int argc, char **argv, cli_state *cli)
{
	kmv_vault *vault = NULL;
	bool existed = false;
	int64_t a, b;
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		default: return cli_opt_done(c, cli);
		}
	}
	if (argc - optind != 2)
		return cli_error_usage("unlink wants two record ids (see "
				       "'kmvault unlink --help')");
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	if ((ret = cli_resolve_record(&a, vault, argv[optind])) != 0 ||
	    (ret = cli_resolve_record(&b, vault, argv[optind + 1])) != 0)
		return ret;
	error = kmv_match_unlink(vault, a, b, &existed);
	if (error < 0)
		return cli_error_lib(error);
	if ((ret = cli_save(cli)) != 0)
		return ret;
	if (cli->json) {
		cli_result r;
		kmv_json *j = cli_result_begin(&r);

		kmv_json_kv_int(j, "a", a);
		kmv_json_kv_int(j, "b", b);
		kmv_json_kv_bool(j, "existed", existed);
		kmv_json_kv_bool(j, "vetoed", true);
		if ((ret = cli_result_print(&r)) != 0)
			return ret;
	} else if (existed) {
		cli_note(cli,
			 "unlinked #%" PRId64 " and #%" PRId64 "; match "
			 "will keep them apart",
			 a, b);
	} else {
		cli_note(cli,
			 "no link between #%" PRId64 " and #%" PRId64
			 "; match will never link them",
			 a, b);
	}
	return KMV_EXIT_OK;
}
