/* SPDX-License-Identifier: MIT */
/* kmvault init: create a vault and hand out its recovery key once. */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "kmv/i18n.h"
#include "kmvutil/json.h"
#include "kmvutil/file.h"

#define CONFIRM_TRIES 3

/*
 * On a terminal the user proves the key was written down by typing its
 * last group (as restic and many wallets ask): a key only seen scroll by
 * is a key lost.
 */
static int confirm_recovery(const char *recovery)
{
	const char *last = strrchr(recovery, '-');
	char typed[64];

	last = last ? last + 1 : recovery;
	fflush(stdout);
	for (int attempt = 1; attempt <= CONFIRM_TRIES; attempt++) {
		int ret =
			cli_prompt_line(typed, sizeof(typed),
					_("Type the last group of the recovery "
					  "key to confirm you have kept it: "));
		bool same;

		if (ret != 0)
			return ret;
		same = strcasecmp(typed, last) == 0;
		sodium_memzero(typed, sizeof(typed));
		if (same)
			return KMV_EXIT_OK;
		cli_warn(_("that is not the last group of the key above"));
	}
	return KMV_EXIT_ERROR;
}

/* Undo a vault just created (nothing is in it yet). */
static void remove_vault(const char *path)
{
	static const char *const suffixes[] = { "", ".prev", ".lock" };
	kmv_buf name = KMV_BUF_INIT;

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		kmv_buf_clear(&name);
		if (kmv_buf_printf(&name, "%s%s", path, suffixes[i]) == 0)
			unlink(name.ptr);
	}
	kmv_buf_dispose(&name);
}

/* -1 to go on, else the exit code; vault.kdf is the default preset. */
static int parse_args(kmv_vault_create_options *copts, const char **key_out,
		      int argc, char **argv, cli_state *cli)
{
	const char *kdf = cli_config_get("vault.kdf");
	int c;

	if (kdf && kmv_kdf_preset_parse(&copts->kdf, kdf) < 0)
		return cli_error_usage("vault.kdf: %s", kmv_error_last());
	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'k':
			if (kmv_kdf_preset_parse(&copts->kdf, optarg) < 0)
				return cli_error_usage("%s", kmv_error_last());
			break;
		case 'o': *key_out = optarg; break;
		case 'W': cli->weak_passphrase = true; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind < argc)
		return cli_error_extra_arg(argv[optind]);
	return -1;
}

/* --recovery-key-out F: the key in a new file (0600, never replaced). */
static int save_recovery_key(const char *key_out, const char *recovery,
			     const char *path)
{
	kmv_buf line = KMV_BUF_INIT;
	int ret = KMV_EXIT_OK, error = KMV_ERROR;

	if (kmv_buf_printf(&line, "%s\n", recovery) < 0 ||
	    (error = kmv_file_write(key_out, line.ptr, line.size, false)) < 0) {
		ret = cli_error_lib(error);
		cli_error("the vault was created at '%s' but its recovery "
			  "key could not be saved; remove the vault and run "
			  "init again",
			  path);
	}
	kmv_buf_dispose_secure(&line);
	return ret;
}

/* Give the key to the user: JSON, or shown once and typed back. */
static int hand_over_key(cli_state *cli, const char *path, const char *key_out,
			 const char *recovery)
{
	int ret;

	if (cli->json) {
		cli_result r;
		kmv_json *j = cli_result_begin(&r);

		kmv_json_kv_string(j, "vault", path);
		kmv_json_kv_string(j, "recovery_key_file", key_out);
		if (!key_out)
			kmv_json_kv_string(j, "recovery_key", recovery);
		(void)cli_result_print(&r);
	} else if (!key_out) {
		printf(_("Recovery key (shown once; store it apart from the "
			 "passphrase):\n\n    %s\n\n"),
		       recovery);
		if (cli->tty_out && (ret = confirm_recovery(recovery)) != 0) {
			remove_vault(path);
			cli_error(_(
				"the recovery key was not confirmed: no vault was "
				"created (run init again, or write the key to a "
				"file with --recovery-key-out F)"));
			return ret;
		}
	}
	return KMV_EXIT_OK;
}

int cmd_init(int argc, char **argv, cli_state *cli)
{
	kmv_vault_create_options copts = KMV_VAULT_CREATE_OPTIONS_INIT;
	char recovery[KMV_RECOVERY_KEY_BUFSZ] = "";
	const char *key_out = NULL, *path;
	kmv_secret *pass = NULL;
	int ret, error;

	if ((ret = parse_args(&copts, &key_out, argc, argv, cli)) >= 0)
		return ret;
	if (!(path = cli_vault_path(cli)))
		return KMV_EXIT_ERROR;
	if (kmv_vault_peek(path, NULL) != KMV_ENOTFOUND)
		return cli_error("a vault already exists at '%s'; refusing to "
				 "overwrite it",
				 path);
	if ((ret = cli_passphrase(cli, &pass, true)) != 0)
		return ret;
	if (kmv_secret_len(pass) == 0) {
		ret = cli_error_usage("the passphrase must not be empty");
		goto done;
	}
	error = kmv_vault_create(recovery, path, pass, &copts);
	if (error < 0) {
		ret = cli_error_lib(error);
		goto done;
	}
	if (key_out && (ret = save_recovery_key(key_out, recovery, path)) != 0)
		goto done;
	if ((ret = hand_over_key(cli, path, key_out, recovery)) != 0)
		goto done;
	cli_note(cli, "created vault '%s'", path);
done:
	sodium_memzero(recovery, sizeof(recovery));
	kmv_secret_free(pass);
	return ret;
}
