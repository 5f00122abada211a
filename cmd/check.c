/* SPDX-License-Identifier: MIT */
/* kmvault check: the envelope, SQLite integrity and the audit chain. */
#include "cli.h"
#include "opt.h"

#include <inttypes.h>

#include "kmvutil/json.h"

/* "conflict_copies": the sync-conflict copies the notice named. */
static void json_conflict_copies(kmv_json *j, const char *vault_path)
{
	char **copies = NULL;
	size_t n = 0;

	kmv_json_key(j, "conflict_copies");
	kmv_json_array_begin(j);
	if (kmv_vault_conflict_copies(&copies, &n, vault_path) == 0)
		for (size_t i = 0; i < n; i++)
			kmv_json_string(j, copies[i]);
	kmv_json_array_end(j);
	kmv_vault_conflict_copies_free(copies, n);
}

/*
 * "rollback_mark": {"status": "ok|new|off|rollback|untrusted", "file",
 * "seen_generation" (rollback)}.
 */
static void json_mark(kmv_json *j, const kmv_mark_report *m)
{
	static const char *const names[] = {
		[KMV_MARK_OFF] = "off",
		[KMV_MARK_OK] = "ok",
		[KMV_MARK_NEW] = "new",
		[KMV_MARK_ROLLBACK] = "rollback",
		[KMV_MARK_UNTRUSTED] = "untrusted",
	};

	kmv_json_key(j, "rollback_mark");
	kmv_json_object_begin(j);
	kmv_json_kv_string(j, "status", names[m->status]);
	if (m->path)
		kmv_json_kv_string(j, "file", m->path);
	if (m->status == KMV_MARK_ROLLBACK)
		kmv_json_kv_int(j, "seen_generation", (int64_t)m->seen);
	kmv_json_object_end(j);
}

int cmd_check(int argc, char **argv, cli_state *cli)
{
	kmv_vault *vault = NULL;
	int64_t events = 0;
	bool rolled_back;
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1)
		return cli_opt_done(c, cli);
	if (argc > 1)
		return cli_error_extra_arg(argv[1]);
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	error = kmv_vault_check(vault, &events);
	if (error < 0)
		return cli_error_lib(error);
	/* Authentic and intact, but maybe an older copy (cli.c vault_mark). */
	rolled_back = cli->mark.status == KMV_MARK_ROLLBACK ||
		      cli->mark.status == KMV_MARK_UNTRUSTED;
	if (cli->json) {
		cli_result r;
		kmv_json *j = cli_result_begin(&r);

		kmv_json_kv_string(j, "vault", kmv_vault_path(vault));
		kmv_json_kv_int(j, "generation",
				(int64_t)kmv_vault_generation(vault));
		kmv_json_kv_int(j, "events", events);
		kmv_json_kv_string(j, "status",
				   rolled_back ? "rollback" : "ok");
		json_mark(j, &cli->mark);
		json_conflict_copies(j, kmv_vault_path(vault));
		if ((ret = cli_result_print(&r)) != 0)
			return ret;
	}
	if (rolled_back) {
		cli_mark_problem(cli, true);
		return KMV_EXIT_CORRUPT;
	}
	if (!cli->json) {
		cli_note(cli,
			 "vault %s: ok (generation %" PRIu64 ", envelope "
			 "verified, integrity ok, audit chain of %" PRId64
			 " events intact)",
			 kmv_vault_path(vault), kmv_vault_generation(vault),
			 events);
	}
	return KMV_EXIT_OK;
}
