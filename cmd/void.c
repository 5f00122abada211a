/* SPDX-License-Identifier: MIT */
/*
 * kmvault void / unvoid: hide mistaken records from everything but
 * `show` and `query --include-void`, and bring them back (audited).
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>

#include "kmv/edit.h"
#include "kmv/json.h"

static const char void_usage[] =
	"usage: kmvault void ID|NUMBER... [--reason TEXT]\n"
	"       kmvault void --source N [--reason TEXT]\n"
	"\n"
	"Void records imported by mistake: they are hidden from query, match,\n"
	"anomalies, reports, reminders and evidence, but never deleted; 'show'\n"
	"and 'query --include-void' still show them, marked.  'kmvault unvoid'\n"
	"brings them back.  Links to a voided record go at the next 'match' and\n"
	"come back after 'unvoid'.  Each call is one audit event.\n"
	"\n"
	"  --source N      every record source N (see 'kmvault sources')\n"
	"                  introduced and no other source also holds\n"
	"  --reason TEXT   why (kept in the audit log, shown by 'show')\n";

static const char unvoid_usage[] =
	"usage: kmvault unvoid ID|NUMBER...\n"
	"\n"
	"Bring voided records back (see 'kmvault void').  One audit event.\n";

static int add_id(kmv_record_ids *ids, int64_t id)
{
	for (size_t i = 0; i < ids->n; i++)
		if (ids->v[i] == id)
			return 0;
	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? ids->cap * 2 : 16;
		int64_t *v = realloc(ids->v, cap * sizeof(*v));

		if (!v)
			return -1;
		ids->v = v;
		ids->cap = cap;
	}
	ids->v[ids->n++] = id;
	return 0;
}

static int run(int argc, char **argv, kmv_cli *cli, bool unvoid)
{
	static const struct option void_opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "source", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const struct option unvoid_opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *name = unvoid ? "unvoid" : "void";
	kmv_record_ids ids = KMV_RECORD_IDS_INIT;
	kmv_vault *vault = NULL;
	const char *reason = NULL, *source = NULL;
	int64_t source_id = 0;
	int c, ret, error, changed = 0;

	while ((c = getopt_long(argc, argv, "h", unvoid ? unvoid_opts : void_opts,
				NULL)) != -1) {
		switch (c) {
		case 'r': reason = optarg; break;
		case 's': source = optarg; break;
		case 'h':
			fputs(unvoid ? unvoid_usage : void_usage, stdout);
			return KMV_EXIT_OK;
		default:
			return cli_error_usage("see 'kmvault %s --help'", name);
		}
	}
	if (source) {
		char *end;

		errno = 0;
		source_id = strtoll(source, &end, 10);
		if (errno || *end || source_id <= 0)
			return cli_error_usage("--source wants a source number "
					       "(see 'kmvault sources'), not '%s'",
					       source);
		if (argc > optind)
			return cli_error_usage("give records or --source, not both");
	} else if (argc == optind) {
		return cli_error_usage("%s wants one or more records (see "
				       "'kmvault %s --help')", name, name);
	}
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	if (source) {
		if ((error = kmv_source_records(vault, source_id, &ids)) < 0) {
			ret = cli_error_lib(error);
			goto done;
		}
	}
	for (int i = optind; i < argc; i++) {
		int64_t id;

		if ((ret = cli_resolve_record_flags(&id, vault, argv[i],
						    KMV_RESOLVE_INCLUDE_VOID)) != 0)
			goto done;
		if (add_id(&ids, id) < 0) {
			ret = cli_error("out of memory");
			goto done;
		}
	}
	error = kmv_record_void(vault, &ids, unvoid, reason, source_id,
				cli_user(), &changed);
	if (error < 0) {
		ret = cli_error_lib(error);
		goto done;
	}
	if (changed && (ret = cli_save(cli)) != 0)
		goto done;
	if (cli->json) {
		kmv_buf out = KMV_BUF_INIT;
		kmv_json j;

		kmv_json_init(&j, &out, false);
		kmv_json_object_begin(&j);
		kmv_json_kv_int(&j, unvoid ? "unvoided" : "voided", changed);
		kmv_json_kv_int(&j, "records", (int64_t)ids.n);
		kmv_json_object_end(&j);
		kmv_buf_putc(&out, '\n');
		cli_write(&out);
		kmv_buf_dispose(&out);
	} else {
		printf("%s %d of %zu record%s%s\n", unvoid ? "unvoided" : "voided",
		       changed, ids.n, ids.n == 1 ? "" : "s",
		       changed < (int)ids.n ? unvoid ? " (the others were not "
		       "voided)" : " (the others were voided already)" : "");
	}
	ret = KMV_EXIT_OK;
done:
	kmv_record_ids_dispose(&ids);
	return ret;
}

int cmd_void(int argc, char **argv, kmv_cli *cli)
{
	return run(argc, argv, cli, false);
}

int cmd_unvoid(int argc, char **argv, kmv_cli *cli)
{
	return run(argc, argv, cli, true);
}
