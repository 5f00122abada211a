/* SPDX-License-Identifier: MIT */
/* kmvault unlock: keep the vault's data key in the kernel keyring a while. */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <string.h>

#include "kmv/agent.h"
#include "kmv/i18n.h"
#include "kmvutil/datetime.h"
#include "kmvutil/json.h"

#define DEFAULT_TIMEOUT (15u * 60u)

int cmd_unlock(int argc, char **argv, cli_state *cli)
{
	unsigned int timeout = DEFAULT_TIMEOUT;
	kmv_agent_info info;
	kmv_vault *vault = NULL;
	char until[KMV_TIME_BUFSZ];
	kmv_time end;
	const char *conf = cli_config_get("unlock.timeout");
	int c, ret, error;

	/* validated when the config file was read */
	if (conf && kmv_agent_parse_timeout(&timeout, conf) < 0)
		return cli_error_usage(_("unlock.timeout: %s"),
				       kmv_error_last());
	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 't':
			if (kmv_agent_parse_timeout(&timeout, optarg) < 0)
				return cli_error_usage(_("--timeout: %s"),
						       kmv_error_last());
			break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind < argc)
		return cli_error_extra_arg(argv[optind]);
	/* The point of unlock is to check the passphrase: never reuse a key. */
	cli->no_agent = true;
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	error = kmv_agent_store(vault, timeout, &info);
	if (error < 0) {
		ret = cli_error_lib(error);
		cli_error(
			_("nothing was unlocked: commands keep asking for the "
			  "passphrase"));
		return ret;
	}
	end = kmv_time_now();
	end.epoch += timeout;
	end.offset_min = KMV_TZ_CST;
	kmv_time_format(until, &end);
	if (cli->json) {
		cli_result r;
		kmv_json *j = cli_result_begin(&r);

		kmv_json_kv_string(j, "vault", kmv_vault_path(vault));
		kmv_json_kv_string(j, "keyring",
				   info.user_keyring ? "user" : "session");
		kmv_json_kv_int(j, "key_id", info.key_id);
		kmv_json_kv_int(j, "timeout_seconds", info.timeout_seconds);
		kmv_json_kv_string(j, "expires", until);
		(void)cli_result_print(&r);
	} else {
		cli_note(cli,
			 _("vault unlocked until %s ('kmvault lock' forgets "
			   "the key now)"),
			 until);
	}
	return KMV_EXIT_OK;
}
