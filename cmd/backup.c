/* SPDX-License-Identifier: MIT */
/*
 * kmvault backup: copy the encrypted vault into a backup directory (no
 * passphrase: cron has none), list, verify and restore backups.  One
 * static function per verb, dispatched by the small table at the end.
 */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "kmv/agent.h"
#include "kmv/backup.h"
#include "kmvutil/datetime.h"
#include "kmvutil/json.h"

static void format_created(char out[KMV_TIME_BUFSZ], int64_t epoch)
{
	kmv_time t = { epoch, KMV_TZ_CST };

	kmv_time_format(out, &t);
}

/*
 * backup create --dry-run: what create would copy and what the keep rules
 * would then prune, by the same rules (kmv_retention_apply over the
 * backups in DIR plus the new one), touching nothing.
 */
static int create_dry_run(cli_state *cli, const char *vault, const char *dir,
			  const kmv_retention *rules)
{
	kmv_backup_list list = { NULL, 0 };
	kmv_time now = kmv_time_now();
	int64_t *created = NULL;
	bool *keep = NULL, skip;
	uint64_t generation;
	char name[64];
	struct tm tm;
	time_t t = (time_t)now.epoch;
	size_t n;
	int ret = KMV_EXIT_OK, error;

	if ((error = kmv_vault_peek(vault, &generation)) == KMV_ENOTFOUND)
		return cli_error_no_vault(vault);
	if (error < 0)
		return cli_error_lib(error);
	error = kmv_backup_list_dir(&list, dir);
	if (error < 0 && error != KMV_ENOTFOUND)
		return cli_error_lib(error);
	skip = list.count &&
	       list.items[list.count - 1].generation == generation;
	n = list.count + (skip ? 0 : 1);
	created = calloc(n + 1, sizeof(*created));
	keep = calloc(n + 1, sizeof(*keep));
	if (!created || !keep) {
		ret = cli_error_lib(kmv_error_nomem());
		goto done;
	}
	for (size_t i = 0; i < list.count; i++)
		created[i] = list.items[i].created;
	if (!skip)
		created[list.count] = now.epoch;
	if ((error = kmv_retention_apply(keep, created, n, rules)) < 0) {
		ret = cli_error_lib(error);
		goto done;
	}
	gmtime_r(&t, &tm);
	snprintf(name, sizeof(name),
		 "kmvault-%04d%02d%02dT%02d%02d%02dZ-g%" PRIu64 ".kmv",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, generation);
	if (cli->json) {
		cli_result r;
		kmv_json *j = cli_result_begin(&r);

		kmv_json_kv_bool(j, "dry_run", true);
		kmv_json_kv_string(j, "file",
				   skip ? list.items[list.count - 1].file
					: name);
		kmv_json_kv_bool(j, "skipped", skip);
		kmv_json_kv_int(j, "generation", (int64_t)generation);
		kmv_json_key(j, "pruned");
		kmv_json_array_begin(j);
		for (size_t i = 0; i < list.count; i++)
			if (!keep[i])
				kmv_json_string(j, list.items[i].file);
		kmv_json_array_end(j);
		ret = cli_result_print(&r);
		goto done;
	}
	if (skip)
		printf(_("would copy nothing: %s/%s already holds generation %" PRIu64
			 "\n"),
		       dir, list.items[list.count - 1].file, generation);
	else
		printf(_("would create %s/%s (generation %" PRIu64 ")\n"), dir,
		       name, generation);
	for (size_t i = 0; i < list.count; i++)
		if (!keep[i])
			printf(_("would prune %s/%s\n"), dir,
			       list.items[i].file);
	cli_note(cli, "dry run: nothing was copied or removed");
done:
	free(created);
	free(keep);
	kmv_backup_list_free(&list);
	return ret;
}

/* --keep-daily/--keep-weekly/--keep-monthly N, capped at 100000. */
static int parse_keep(kmv_retention *rules, int c, const char *arg)
{
	int64_t n;
	int ret;

	ret = cli_parse_int(&n,
			    c == 'd'   ? "--keep-daily"
			    : c == 'w' ? "--keep-weekly"
				       : "--keep-monthly",
			    arg);
	if (ret != 0)
		return ret;
	if (n > 100000)
		n = 100000;
	if (c == 'd')
		rules->keep_daily = (int)n;
	else if (c == 'w')
		rules->keep_weekly = (int)n;
	else
		rules->keep_monthly = (int)n;
	return KMV_EXIT_OK;
}

/* The keep rules from the config, when none is on the command line. */
static void config_retention(kmv_retention *rules)
{
	const char *v;

	if (kmv_retention_active(rules))
		return;
	v = cli_config_get("backup.keep_daily");
	if (v)
		rules->keep_daily = atoi(v);
	v = cli_config_get("backup.keep_weekly");
	if (v)
		rules->keep_weekly = atoi(v);
	v = cli_config_get("backup.keep_monthly");
	if (v)
		rules->keep_monthly = atoi(v);
}

/* What backup create did: JSON on stdout, else notes on stderr. */
static int report_created(cli_state *cli, const char *dir,
			  const kmv_backup_result *res)
{
	if (cli->json) {
		cli_result r;
		kmv_json *j = cli_result_begin(&r);

		kmv_json_kv_string(j, "file", res->file);
		kmv_json_kv_bool(j, "skipped", res->skipped);
		kmv_json_kv_int(j, "generation", (int64_t)res->generation);
		kmv_json_kv_int(j, "size", res->size);
		kmv_json_key(j, "pruned");
		kmv_json_array_begin(j);
		for (size_t i = 0; i < res->npruned; i++)
			kmv_json_string(j, res->pruned[i]);
		kmv_json_array_end(j);
		return cli_result_print(&r);
	}
	/* Confirmations: stderr, silent with --quiet (cron mails output). */
	if (res->skipped)
		cli_note(cli,
			 "unchanged: %s/%s already holds generation %" PRIu64,
			 dir, res->file, res->generation);
	else
		cli_note(cli,
			 "created %s/%s (generation %" PRIu64 ", %" PRId64
			 " bytes)",
			 dir, res->file, res->generation, res->size);
	for (size_t i = 0; i < res->npruned; i++)
		cli_note(cli, "pruned %s/%s", dir, res->pruned[i]);
	return KMV_EXIT_OK;
}

static int backup_create(int argc, char **argv, cli_state *cli)
{
	kmv_backup_options bo = KMV_BACKUP_OPTIONS_INIT;
	kmv_backup_result res = KMV_BACKUP_RESULT_INIT;
	const char *dir = NULL, *vault;
	bool dry_run = false;
	int c, ret = 0, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 't': dir = optarg; break;
		case 'n': dry_run = true; break;
		case 'd':
		case 'w':
		case 'm':
			if ((ret = parse_keep(&bo.retention, c, optarg)) != 0)
				return ret;
			break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind < argc)
		return cli_error_extra_arg(argv[optind]);
	if (!dir)
		dir = cli_config_get("backup.dir");
	if (!dir)
		return cli_error_usage("backup create needs --to DIR");
	config_retention(&bo.retention);
	if (!(vault = cli_vault_path(cli)))
		return KMV_EXIT_ERROR;
	if (dry_run)
		return create_dry_run(cli, vault, dir, &bo.retention);
	error = kmv_backup_create(&res, vault, dir, &bo);
	if (error == KMV_ENOTFOUND)
		return cli_error_no_vault(vault);
	if (error < 0)
		return cli_error_lib(error);
	ret = report_created(cli, dir, &res);
	kmv_backup_result_dispose(&res);
	return ret;
}

static int backup_list(int argc, char **argv, cli_state *cli)
{
	static const char *const headers[] = { N_("FILE"), N_("CREATED"),
					       N_("SIZE"), N_("GENERATION") };
	kmv_backup_list list = { NULL, 0 };
	kmv_buf empty = KMV_BUF_INIT;
	const char *dir = NULL;
	cli_list l;
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 't': dir = optarg; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind < argc)
		return cli_error_extra_arg(argv[optind]);
	if (!dir)
		dir = cli_config_get("backup.dir");
	if (!dir)
		return cli_error_usage("backup list needs --to DIR");
	error = kmv_backup_list_dir(&list, dir);
	if (error < 0)
		return cli_error_lib(error);
	cli_list_init(&l, cli, NELEM(headers), headers);
	l.table.right[2] = l.table.right[3] = true;
	for (size_t i = 0; i < list.count; i++) {
		const kmv_backup_info *it = &list.items[i];
		char when[KMV_TIME_BUFSZ], size[32], gen[32];

		format_created(when, it->created);
		if (l.as_json) {
			kmv_json_object_begin(&l.json);
			kmv_json_kv_string(&l.json, "file", it->file);
			kmv_json_kv_string(&l.json, "created", when);
			kmv_json_kv_int(&l.json, "size", it->size);
			kmv_json_kv_int(&l.json, "generation",
					(int64_t)it->generation);
			kmv_json_object_end(&l.json);
		} else {
			const char *row[4] = { it->file, when, size, gen };

			snprintf(size, sizeof(size), "%" PRId64, it->size);
			snprintf(gen, sizeof(gen), "%" PRIu64, it->generation);
			cli_list_add(&l, row);
		}
	}
	kmv_buf_printf(&empty, _("no backups in '%s'"), dir);
	ret = cli_list_print(&l, cli, 60, empty.ptr);
	cli_list_dispose(&l);
	kmv_buf_dispose(&empty);
	kmv_backup_list_free(&list);
	return ret;
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

static int backup_verify(int argc, char **argv, cli_state *cli)
{
	kmv_backup_verify_result vr;
	kmv_secret *secret = NULL;
	kmv_unlock_kind kind;
	const char *file;
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1)
		return cli_opt_done(c, cli);
	if (argc != 2 || argv[1][0] == '-')
		return cli_error_usage("backup verify needs exactly one FILE");
	file = argv[1];
	if (!kmv_backup_is_remote(file) && (ret = backup_exists(file)) != 0)
		return ret;
	if ((ret = cli_unlock_secret(cli, &secret, &kind)) != 0)
		return ret;
	error = kmv_backup_verify(&vr, file, kind, secret);
	kmv_secret_free(secret);
	if (error < 0)
		return cli_error_lib(error);
	if (cli->json) {
		cli_result r;
		kmv_json *j = cli_result_begin(&r);

		kmv_json_kv_string(j, "file", file);
		kmv_json_kv_bool(j, "ok", true);
		kmv_json_kv_int(j, "generation", (int64_t)vr.generation);
		kmv_json_kv_int(j, "events", vr.events);
		if ((ret = cli_result_print(&r)) != 0)
			return ret;
	} else
		cli_note(cli,
			 "backup '%s' is intact: generation %" PRIu64
			 ", %" PRId64 " audit events verified",
			 file, vr.generation, vr.events);
	return KMV_EXIT_OK;
}

static int backup_restore(int argc, char **argv, cli_state *cli)
{
	kmv_restore_options ro = KMV_RESTORE_OPTIONS_INIT;
	kmv_restore_result res = KMV_RESTORE_RESULT_INIT;
	kmv_secret *secret = NULL;
	kmv_unlock_kind kind;
	const char *file, *vault;
	struct stat st;
	int c, ret = 0, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'f': ro.force = true; break;
		default: return cli_opt_done(c, cli);
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
				 "aside)",
				 vault);
	if ((ret = cli_unlock_secret(cli, &secret, &kind)) != 0)
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
				  "was kept as '%s'",
				  res.aside);
		goto done;
	}
	if (cli->json) {
		cli_result r;
		kmv_json *j = cli_result_begin(&r);

		kmv_json_kv_string(j, "vault", vault);
		kmv_json_kv_string(j, "restored_from", file);
		kmv_json_kv_string(j, "aside", res.aside);
		kmv_json_kv_int(j, "generation", (int64_t)res.generation);
		kmv_json_kv_int(j, "events", res.events);
		ret = cli_result_print(&r);
	} else {
		cli_note(cli,
			 "restored '%s' from '%s' (generation %" PRIu64 ")",
			 vault, file, res.generation);
		if (res.aside)
			cli_note(cli, "the previous vault is kept as '%s'",
				 res.aside);
	}
done:
	kmv_restore_result_dispose(&res);
	return ret;
}

int cmd_backup(int argc, char **argv, cli_state *cli)
{
	static const cli_verb verbs[] = {
		{ "create", backup_create },
		{ "list", backup_list },
		{ "restore", backup_restore },
		{ "verify", backup_verify },
	};

	return cli_dispatch_verbs(argc, argv, cli, verbs,
				  sizeof(verbs) / sizeof(verbs[0]));
}
