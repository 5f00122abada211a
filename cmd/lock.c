/* SPDX-License-Identifier: MIT */
/* kmvault lock: forget the key kept by 'kmvault unlock'. */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <string.h>

#include "kmv/agent.h"
#include "kmv/i18n.h"
#include "kmvutil/json.h"

int cmd_lock(int argc, char **argv, cli_state *cli)
{
	unsigned int forgotten = 0;
	const char *path = NULL;
	bool all = false;
	int c, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'a': all = true; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind < argc)
		return cli_error_extra_arg(argv[optind]);
	if (!all && !(path = cli_vault_path(cli)))
		return KMV_EXIT_ERROR;
	error = kmv_agent_forget(path, &forgotten);
	if (error == KMV_ENOTFOUND) {
		cli_error(
			_("no vault at '%s' (or pass --vault, or 'lock --all')"),
			path);
		return KMV_EXIT_NOTFOUND;
	}
	if (error < 0)
		return cli_error_lib(error);
	if (cli->json) {
		cli_result r;
		kmv_json *j = cli_result_begin(&r);

		kmv_json_kv_int(j, "forgotten", forgotten);
		return cli_result_print(&r);
	} else if (forgotten) {
		cli_note(cli,
			 all ? _("locked: the keys of every vault are forgotten")
			     : _("locked: the vault key is forgotten"));
	} else {
		cli_note(cli, _("nothing to lock (not unlocked, or the unlock "
				"expired)"));
	}
	return KMV_EXIT_OK;
}
