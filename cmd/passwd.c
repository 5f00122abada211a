/* SPDX-License-Identifier: MIT */
/* kmvault passwd: rewrap the data key under a new passphrase. */
#include "cli.h"

#include <string.h>

#include "kmv/agent.h"
#include "kmv/i18n.h"

static const char usage[] =
	"usage: kmvault passwd [--new-passphrase-file F]\n"
	"\n"
	"Change the vault passphrase.  Only the passphrase keyslot is rewritten:\n"
	"the data key, the recovery key and the encrypted records stay as they are.\n"
	"Unlock with the current passphrase (or --recovery-key-file F); the new one\n"
	"comes from --new-passphrase-file F, $KMVAULT_NEW_PASSPHRASE_FILE or a prompt.\n";

int cmd_passwd(int argc, char **argv, kmv_cli *cli)
{
	kmv_vault *vault = NULL;
	kmv_secret *fresh = NULL;
	unsigned int forgotten = 0;
	int ret, error;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return KMV_EXIT_OK;
	}
	if (argc > 1)
		return cli_error_usage("unexpected argument '%s' (see 'kmvault "
				       "passwd --help')", argv[1]);
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
