/* SPDX-License-Identifier: MIT */
/*
 * kmvault backup: copy the encrypted vault into a backup directory (no
 * passphrase: cron has none), list, verify and restore backups.  One
 * static function per verb, dispatched by the small table at the end.
 */
#include "cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>

#include "kmv/agent.h"
#include "kmv/backup.h"
#include "kmv/datetime.h"
#include "kmv/json.h"

#define USAGE_CREATE \
	"usage: kmvault backup create --to DIR [--keep-daily N] [--keep-weekly N] [--keep-monthly N]\n"
#define USAGE_LIST "       kmvault backup list --to DIR\n"
#define USAGE_VERIFY "       kmvault backup verify FILE\n"
#define USAGE_RESTORE "       kmvault backup restore FILE [--force]\n"

static const char usage[] =
	USAGE_CREATE USAGE_LIST USAGE_VERIFY USAGE_RESTORE
	"\n"
	"create   copy the encrypted vault into DIR as\n"
	"         kmvault-YYYYMMDDTHHMMSSZ-gGENERATION.kmv (mode 0600, fsynced).\n"
	"         Needs no passphrase.  Nothing is copied when the newest backup\n"
	"         already holds the current save.  The keep rules then prune DIR\n"
	"         like restic's forget: the newest backup of each of the last N\n"
	"         days / ISO weeks / months (UTC) is kept, rules are ORed, and\n"
	"         the newest backup is always kept.  Without a keep rule nothing\n"
	"         is pruned.\n"
	"list     backups in DIR, oldest first: file, created, size, generation\n"
	"verify   full decrypt, integrity check and audit chain of one backup\n"
	"         (asks for the passphrase; exit 4 when it is damaged)\n"
	"restore  verify FILE, keep the current vault aside as\n"
	"         VAULT.before-restore-TIME and put FILE in its place; --force is\n"
	"         needed when a vault exists\n"
	"\n"
	"DIR may be rclone:REMOTE:PATH and FILE rclone:REMOTE:PATH/NAME: the\n"
	"backups then live on any rclone remote (WebDAV, S3, SFTP, ...), with the\n"
	"same names and rules.  Uploads go to a temporary name, are checked by\n"
	"size and SHA-256, then renamed.  $KMVAULT_RCLONE names the program and\n"
	"its leading flags (default: rclone), e.g. \"rclone --config F\".\n";

static int verb_usage(const char *verb)
{
	return cli_error_usage("see 'kmvault backup --help' (%s)", verb);
}

static void format_created(char out[KMV_TIME_BUFSZ], int64_t epoch)
{
	kmv_time t = { epoch, KMV_TZ_CST };

	kmv_time_format(out, &t);
}

static int backup_create(int argc, char **argv, kmv_cli *cli)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "keep-daily", required_argument, NULL, 'd' },
		{ "keep-weekly", required_argument, NULL, 'w' },
		{ "keep-monthly", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	kmv_backup_options bo = KMV_BACKUP_OPTIONS_INIT;
	kmv_backup_result res = KMV_BACKUP_RESULT_INIT;
	kmv_buf out = KMV_BUF_INIT;
	const char *dir = NULL, *vault;
	int64_t n;
	int c, ret = 0, error;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't': dir = optarg; break;
		case 'd': case 'w': case 'm':
			if ((ret = cli_parse_int(&n, opts[c == 'd' ? 1 : c == 'w'
							 ? 2 : 3].name,
						 optarg)) != 0)
				return ret;
			if (n > 100000)
				n = 100000;
			if (c == 'd')
				bo.retention.keep_daily = (int)n;
			else if (c == 'w')
				bo.retention.keep_weekly = (int)n;
			else
				bo.retention.keep_monthly = (int)n;
			break;
		case 'h': fputs(usage, stdout); return KMV_EXIT_OK;
		default: return verb_usage("create");
		}
	}
	if (optind < argc)
		return cli_error_usage("unexpected argument '%s'", argv[optind]);
	if (!dir)
		return cli_error_usage("backup create needs --to DIR");
	if (!(vault = cli_vault_path(cli)))
		return KMV_EXIT_ERROR;
	error = kmv_backup_create(&res, vault, dir, &bo);
	if (error == KMV_ENOTFOUND) {
		cli_error("no vault at '%s' (create one with 'kmvault init', "
			  "or pass --vault)", vault);
		return KMV_EXIT_NOTFOUND;
	}
	if (error < 0)
		return cli_error_lib(error);
	if (cli->json) {
		kmv_json j;

		kmv_json_init(&j, &out, false);
		kmv_json_object_begin(&j);
		kmv_json_kv_string(&j, "file", res.file);
		kmv_json_kv_bool(&j, "skipped", res.skipped);
		kmv_json_kv_int(&j, "generation", (int64_t)res.generation);
		kmv_json_kv_int(&j, "size", res.size);
		kmv_json_key(&j, "pruned");
		kmv_json_array_begin(&j);
		for (size_t i = 0; i < res.npruned; i++)
			kmv_json_string(&j, res.pruned[i]);
		kmv_json_array_end(&j);
		kmv_json_object_end(&j);
		kmv_buf_putc(&out, '\n');
		if (kmv_json_finish(&j) < 0) {
			ret = cli_error_lib(KMV_ERROR);
			goto done;
		}
		cli_write(&out);
	} else if (!cli->quiet) {
		/* Silent with --quiet: cron mails any output. */
		if (res.skipped)
			printf("unchanged: %s/%s already holds generation %" PRIu64
			       "\n", dir, res.file, res.generation);
		else
			printf("created %s/%s (generation %" PRIu64 ", %" PRId64
			       " bytes)\n", dir, res.file, res.generation, res.size);
		for (size_t i = 0; i < res.npruned; i++)
			printf("pruned %s/%s\n", dir, res.pruned[i]);
	}
done:
	kmv_buf_dispose(&out);
	kmv_backup_result_dispose(&res);
	return ret;
}

static int backup_list(int argc, char **argv, kmv_cli *cli)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const headers[] = {
		N_("FILE"), N_("CREATED"), N_("SIZE"), N_("GENERATION")
	};
	kmv_backup_list list = { NULL, 0 };
	kmv_buf out = KMV_BUF_INIT;
	const char *dir = NULL;
	cli_table table;
	int c, ret = 0, error;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 't': dir = optarg; break;
		case 'h': fputs(usage, stdout); return KMV_EXIT_OK;
		default: return verb_usage("list");
		}
	}
	if (optind < argc)
		return cli_error_usage("unexpected argument '%s'", argv[optind]);
	if (!dir)
		return cli_error_usage("backup list needs --to DIR");
	error = kmv_backup_list_dir(&list, dir);
	if (error < 0)
		return cli_error_lib(error);
	cli_table_init(&table, 4, headers);
	table.right[2] = table.right[3] = true;
	if (cli->json) {
		kmv_json j;

		kmv_json_init(&j, &out, false);
		kmv_json_array_begin(&j);
		for (size_t i = 0; i < list.count; i++) {
			char when[KMV_TIME_BUFSZ];

			format_created(when, list.items[i].created);
			kmv_json_object_begin(&j);
			kmv_json_kv_string(&j, "file", list.items[i].file);
			kmv_json_kv_string(&j, "created", when);
			kmv_json_kv_int(&j, "size", list.items[i].size);
			kmv_json_kv_int(&j, "generation",
					(int64_t)list.items[i].generation);
			kmv_json_object_end(&j);
		}
		kmv_json_array_end(&j);
		kmv_buf_putc(&out, '\n');
		if (kmv_json_finish(&j) < 0) {
			ret = cli_error_lib(KMV_ERROR);
			goto done;
		}
		cli_write(&out);
	} else {
		for (size_t i = 0; i < list.count; i++) {
			char when[KMV_TIME_BUFSZ], size[32], gen[32];
			const char *row[4];

			format_created(when, list.items[i].created);
			snprintf(size, sizeof(size), "%" PRId64, list.items[i].size);
			snprintf(gen, sizeof(gen), "%" PRIu64,
				 list.items[i].generation);
			row[0] = list.items[i].file;
			row[1] = when;
			row[2] = size;
			row[3] = gen;
			cli_table_add(&table, row);
		}
		if (list.count)
			cli_table_print(&table, stdout, 60);
		else
			cli_note(cli, "no backups in '%s'", dir);
	}
done:
	cli_table_dispose(&table);
	kmv_buf_dispose(&out);
	kmv_backup_list_free(&list);
	return ret;
}

/* The secret for a backup: recovery key file or the passphrase sources. */
static int backup_secret(kmv_cli *cli, kmv_secret **secret,
			 kmv_unlock_kind *kind)
{
	*kind = KMV_UNLOCK_PASSPHRASE;
	if (cli->recovery_key_file) {
		*kind = KMV_UNLOCK_RECOVERY;
		return cli_secret_from_file(secret, cli->recovery_key_file,
					    "recovery key");
	}
	return cli_passphrase(cli, secret, false);
}

/* Fail fast (exit 7 / 4) before asking for a passphrase. */
static int backup_exists(const char *file)
{
	int error = kmv_vault_peek(file, NULL);

	if (error == KMV_ENOTFOUND) {
		cli_error("no backup file '%s'", file);
		return KMV_EXIT_NOTFOUND;
	}
	if (error < 0)
		return cli_error_lib(error);
	return KMV_EXIT_OK;
}

static int backup_verify(int argc, char **argv, kmv_cli *cli)
{
	kmv_backup_verify_result vr;
	kmv_secret *secret = NULL;
	kmv_unlock_kind kind;
	const char *file;
	int ret, error;

	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return KMV_EXIT_OK;
	}
	if (argc != 2 || argv[1][0] == '-')
		return cli_error_usage("backup verify needs exactly one FILE");
	file = argv[1];
	if (!kmv_backup_is_remote(file) && (ret = backup_exists(file)) != 0)
		return ret;
	if ((ret = backup_secret(cli, &secret, &kind)) != 0)
		return ret;
	error = kmv_backup_verify(&vr, file, kind, secret);
	kmv_secret_free(secret);
	if (error < 0)
		return cli_error_lib(error);
	if (cli->json) {
		kmv_buf out = KMV_BUF_INIT;
		kmv_json j;

		kmv_json_init(&j, &out, false);
		kmv_json_object_begin(&j);
		kmv_json_kv_string(&j, "file", file);
		kmv_json_kv_bool(&j, "ok", true);
		kmv_json_kv_int(&j, "generation", (int64_t)vr.generation);
		kmv_json_kv_int(&j, "events", vr.events);
		kmv_json_object_end(&j);
		kmv_buf_putc(&out, '\n');
		cli_write(&out);
		kmv_buf_dispose(&out);
	} else
		printf("backup '%s' is intact: generation %" PRIu64 ", %" PRId64
		       " audit events verified\n", file, vr.generation, vr.events);
	return KMV_EXIT_OK;
}

static int backup_restore(int argc, char **argv, kmv_cli *cli)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	kmv_restore_options ro = KMV_RESTORE_OPTIONS_INIT;
	kmv_restore_result res = KMV_RESTORE_RESULT_INIT;
	kmv_secret *secret = NULL;
	kmv_unlock_kind kind;
	const char *file, *vault;
	struct stat st;
	int c, ret = 0, error;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': ro.force = true; break;
		case 'h': fputs(usage, stdout); return KMV_EXIT_OK;
		default: return verb_usage("restore");
		}
	}
	if (argc - optind != 1)
		return cli_error_usage("backup restore needs exactly one FILE");
	file = argv[optind];
	if (!(vault = cli_vault_path(cli)))
		return KMV_EXIT_ERROR;
	if (!kmv_backup_is_remote(file) && (ret = backup_exists(file)) != 0)
		return ret;
	if (!ro.force && lstat(vault, &st) == 0)
		return cli_error("a vault already exists at '%s'; use 'backup "
				 "restore --force' to replace it (it is kept "
				 "aside)", vault);
	if ((ret = backup_secret(cli, &secret, &kind)) != 0)
		return ret;
	ro.wait_seconds = cli->wait_seconds;
	/*
	 * A restore revokes 'kmvault unlock' (the replaced vault's key, and
	 * the restored one's if it differs); no keyring is no key to drop.
	 */
	kmv_agent_forget(vault, NULL);
	error = kmv_backup_restore(&res, file, vault, kind, secret, &ro);
	kmv_secret_free(secret);
	if (error == 0)
		kmv_agent_forget(vault, NULL);
	if (error < 0) {
		ret = cli_error_lib(error);
		if (res.aside)
			cli_error("the backup is in place; the previous vault "
				  "was kept as '%s'", res.aside);
		goto done;
	}
	if (cli->json) {
		kmv_buf out = KMV_BUF_INIT;
		kmv_json j;

		kmv_json_init(&j, &out, false);
		kmv_json_object_begin(&j);
		kmv_json_kv_string(&j, "vault", vault);
		kmv_json_kv_string(&j, "restored_from", file);
		kmv_json_kv_string(&j, "aside", res.aside);
		kmv_json_kv_int(&j, "generation", (int64_t)res.generation);
		kmv_json_kv_int(&j, "events", res.events);
		kmv_json_object_end(&j);
		kmv_buf_putc(&out, '\n');
		cli_write(&out);
		kmv_buf_dispose(&out);
	} else {
		printf("restored '%s' from '%s' (generation %" PRIu64 ")\n",
		       vault, file, res.generation);
		if (res.aside)
			printf("the previous vault is kept as '%s'\n", res.aside);
	}
done:
	kmv_restore_result_dispose(&res);
	return ret;
}

int cmd_backup(int argc, char **argv, kmv_cli *cli)
{
	static const cli_verb verbs[] = {
		{ "create", backup_create },
		{ "list", backup_list },
		{ "restore", backup_restore },
		{ "verify", backup_verify },
	};

	return cli_dispatch_verbs(argc, argv, cli, verbs,
				  sizeof(verbs) / sizeof(verbs[0]), usage);
}
