/* SPDX-License-Identifier: MIT */
/* kmvault init: create a vault and hand out its recovery key once. */
#include "cli.h"

#include <getopt.h>
#include <sodium.h>
#include <string.h>

#include "kmv/json.h"
#include "kmv/util.h"

static const char usage[] =
	"usage: kmvault init [--kdf interactive|moderate|sensitive] [--recovery-key-out F]\n"
	"\n"
	"Create a new encrypted vault (refuses to overwrite one).  The passphrase\n"
	"comes from the usual sources (see 'kmvault --help'); a terminal asks twice.\n"
	"The recovery key is printed once, or written to F (mode 0600): keep it\n"
	"apart from the passphrase; it unlocks the vault with --recovery-key-file.\n"
	"\n"
	"  --kdf PRESET           Argon2id cost: interactive (64 MiB), moderate\n"
	"                         (256 MiB, default), sensitive (1 GiB)\n"
	"  --recovery-key-out F   write the recovery key to F instead of stdout\n";

int cmd_init(int argc, char **argv, kmv_cli *cli)
{
	static const struct option opts[] = {
		{ "kdf", required_argument, NULL, 'k' },
		{ "recovery-key-out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	kmv_vault_create_options copts = KMV_VAULT_CREATE_OPTIONS_INIT;
	char recovery[KMV_RECOVERY_KEY_BUFSZ] = "";
	const char *key_out = NULL, *path;
	kmv_secret *pass = NULL;
	kmv_buf line = KMV_BUF_INIT;
	int c, ret = KMV_EXIT_OK, error;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			if (kmv_kdf_preset_parse(&copts.kdf, optarg) < 0)
				return cli_error_usage("%s", kmv_error_last());
			break;
		case 'o': key_out = optarg; break;
		case 'h': fputs(usage, stdout); return KMV_EXIT_OK;
		default: return cli_error_usage("see 'kmvault init --help'");
		}
	}
	if (optind < argc)
		return cli_error_usage("unexpected argument '%s'", argv[optind]);
	if (!(path = cli_vault_path(cli)))
		return KMV_EXIT_ERROR;
	if (kmv_vault_peek(path, NULL) != KMV_ENOTFOUND)
		return cli_error("a vault already exists at '%s'; refusing to "
				 "overwrite it", path);
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
	if (key_out) {
		if (kmv_buf_printf(&line, "%s\n", recovery) < 0 ||
		    (error = kmv_file_write(key_out, line.ptr, line.size, false)) < 0) {
			ret = cli_error_lib(error < 0 ? error : KMV_ERROR);
			cli_error("the vault was created at '%s' but its recovery "
				  "key could not be saved; remove the vault and run "
				  "init again", path);
			goto done;
		}
	}
	if (cli->json) {
		kmv_buf out = KMV_BUF_INIT;
		kmv_json j;

		kmv_json_init(&j, &out, false);
		kmv_json_object_begin(&j);
		kmv_json_kv_string(&j, "vault", path);
		kmv_json_kv_string(&j, "recovery_key_file", key_out);
		if (!key_out)
			kmv_json_kv_string(&j, "recovery_key", recovery);
		kmv_json_object_end(&j);
		kmv_buf_putc(&out, '\n');
		cli_write(&out);
		kmv_buf_dispose_secure(&out);
	} else if (!key_out) {
		printf("Recovery key (shown once; store it apart from the "
		       "passphrase):\n\n    %s\n\n", recovery);
	}
	cli_note(cli, "created vault '%s'", path);
done:
	sodium_memzero(recovery, sizeof(recovery));
	kmv_buf_dispose_secure(&line);
	kmv_secret_free(pass);
	return ret;
}
