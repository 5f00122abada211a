/* SPDX-License-Identifier: MIT */
/* kmvault passwd: rewrap the data key under a new passphrase. */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <string.h>

#include "kmv/agent.h"
#include "kmv/i18n.h"

int cmd_passwd(int argc, char **argv, cli_state *cli)
{
	kmv_vault *vault = NULL;
	kmv_secret *fresh = NULL;
	unsigned int forgotten = 0;
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'W': cli->weak_passphrase = true; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind < argc)
		return cli_error_usage("unexpected argument '%s' (see 'kmvault "
				       "passwd --help')",
				       argv[optind]);
	/* Changing the passphrase asks for the current one, unlocked or not. */
	cli->no_agent = true;
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	if ((ret = cli_new_passphrase(cli, &fresh)) != 0)
		return ret;
	if (kmv_secret_len(fresh) == 0) {
		ret = cli_error_usage("the passphrase must not be empty");
		goto done;
	}
	error = kmv_vault_passwd(vault, fresh);
	if (error < 0) {
		ret = cli_error_lib(error);
		cli_error("the vault on disk was left unchanged");
		goto done;
	}
	cli_note(cli, "passphrase changed");
	/* The keyslots changed, so an unlock could not be found anyway. */
	if (kmv_agent_forget(kmv_vault_path(vault), &forgotten) == 0 &&
	    forgotten)
		cli_note(cli, _("the unlocked key is forgotten (run 'kmvault "
				"unlock' again)"));
done:
	kmv_secret_free(fresh);
	return ret;
}
