/* SPDX-License-Identifier: MIT */
/*
 * kmvault void / unvoid: hide mistaken records from everything but
 * `show` and `query --include-void`, and bring them back (audited).
 */
#include "cli.h"
#include "opt.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>

#include "kmv/edit.h"
#include "kmv/i18n.h"
#include "kmvutil/json.h"

/* "voided 1 of 2 records (the others were voided already)" */
static const char *void_summary(kmv_buf *b, bool unvoid, int changed, size_t n)
{
	if (unvoid)
		kmv_buf_printf(b,
			       P_("unvoided %d of %zu record",
				  "unvoided %d of %zu records", n),
			       changed, n);
	else
		kmv_buf_printf(b,
			       P_("voided %d of %zu record",
				  "voided %d of %zu records", n),
			       changed, n);
	if (changed < (int)n)
		kmv_buf_puts(b,
			     unvoid ? _(" (the others were not voided)")
				    : _(" (the others were voided already)"));
	return b->ptr ? b->ptr : "";
}

static int run(int argc, char **argv, cli_state *cli, bool unvoid)
{
	const char *name = unvoid ? "unvoid" : "void";
	kmv_record_ids ids = KMV_RECORD_IDS_INIT;
	kmv_vault *vault = NULL;
	const char *reason = NULL, *source = NULL;
	int64_t source_id = 0;
	kmv_buf sum = KMV_BUF_INIT;
	int c, ret, error, changed = 0;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'r': reason = optarg; break;
		case 's': source = optarg; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (source) {
		char *end;

		errno = 0;
		source_id = strtoll(source, &end, 10);
		if (errno || *end || source_id <= 0)
			return cli_error_usage(
				_("--source wants a source number "
				  "(see 'kmvault sources'), not "
				  "'%s'"),
				source);
		if (argc > optind)
			return cli_error_usage(
				_("give records or --source, not "
				  "both"));
	} else if (argc == optind) {
		return cli_error_usage(_("%s wants one or more records (see "
					 "'kmvault help %s')"),
				       name, name);
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

		if ((ret = cli_resolve_record_flags(
			     &id, vault, argv[i], KMV_RESOLVE_INCLUDE_VOID)) !=
		    0)
			goto done;
		if (kmv_record_ids_add(&ids, id) < 0) {
			ret = cli_error(_("out of memory"));
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
		cli_result r;
		kmv_json *j = cli_result_begin(&r);

		kmv_json_kv_int(j, unvoid ? "unvoided" : "voided", changed);
		kmv_json_kv_int(j, "records", (int64_t)ids.n);
		ret = cli_result_print(&r);
	} else {
		cli_note(cli, "%s", void_summary(&sum, unvoid, changed, ids.n));
		kmv_buf_dispose(&sum);
		ret = KMV_EXIT_OK;
	}
done:
	kmv_record_ids_dispose(&ids);
	return ret;
}

int cmd_void(int argc, char **argv, cli_state *cli)
{
	return run(argc, argv, cli, false);
}

int cmd_unvoid(int argc, char **argv, cli_state *cli)
{
	return run(argc, argv, cli, true);
}
