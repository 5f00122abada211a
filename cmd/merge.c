/* SPDX-License-Identifier: MIT */
/* kmvault merge: bring a diverged copy of this vault (a sync conflict) in. */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <inttypes.h>

#include "kmv/i18n.h"
#include "kmvutil/json.h"
#include "kmv/merge.h"

static int print_result(const kmv_merge_result *m, const char *other)
{
	cli_result r;
	kmv_json *j = cli_result_begin(&r);

	kmv_json_kv_string(j, "file", other);
	kmv_json_kv_bool(j, "changed", !kmv_merge_result_empty(m));
	kmv_json_kv_int(j, "records", m->records);
	kmv_json_kv_int(j, "sources", m->sources);
	kmv_json_kv_int(j, "links", m->links);
	kmv_json_kv_int(j, "timeline", m->timeline);
	kmv_json_kv_int(j, "aliases", m->aliases);
	kmv_json_kv_int(j, "cases", m->cases);
	kmv_json_kv_int(j, "case_notes", m->case_notes);
	kmv_json_kv_int(j, "memberships", m->memberships);
	kmv_json_kv_int(j, "attachments", m->attachments);
	kmv_json_kv_int(j, "other_rows", m->other_rows);
	kmv_json_kv_int(j, "events", m->events);
	kmv_json_kv_int(j, "common_event", m->common_event);
	kmv_json_kv_string(j, "other_head", m->other_head);
	return cli_result_print(&r);
}

int cmd_merge(int argc, char **argv, cli_state *cli)
{
	kmv_merge_result r;
	kmv_vault *vault = NULL;
	kmv_secret *secret = NULL;
	kmv_unlock_kind kind = KMV_UNLOCK_PASSPHRASE;
	const char *pass_file = NULL, *other;
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'p': pass_file = optarg; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (argc - optind != 1)
		return cli_error_usage(_("merge wants one OTHER.kmv (see "
					 "'kmvault merge --help')"));
	other = argv[optind];
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	if (pass_file) {
		ret = cli_secret_from_file(&secret, pass_file,
					   N_("passphrase"));
	} else {
		ret = cli_unlock_secret(cli, &secret, &kind);
	}
	if (ret != 0)
		return ret;
	error = kmv_vault_merge(&r, vault, other, kind, secret);
	kmv_secret_free(secret);
	if (error == KMV_EAUTH)
		cli_error(_("'%s' does not open with this vault's passphrase: "
			    "give its own with --other-passphrase-file F"),
			  other);
	if (error < 0)
		return cli_error_lib(error);
	if (!kmv_merge_result_empty(&r) && (ret = cli_save(cli)) != 0)
		return ret;
	if (cli->json)
		return print_result(&r, other);
	if (kmv_merge_result_empty(&r)) {
		if (!cli->quiet)
			fprintf(stderr,
				_("nothing to merge: everything in '%s' "
				  "is already in the vault\n"),
				other);
	} else if (!cli->quiet) {
		fprintf(stderr,
			_("merged '%s': %" PRId64 " records, %" PRId64
			  " sources, %" PRId64 " links, %" PRId64
			  " cases, %" PRId64 " of its audit events "
			  "(the copies parted after event %" PRId64 ")\n"),
			other, r.records, r.sources, r.links, r.cases, r.events,
			r.common_event);
	}
	return KMV_EXIT_OK;
}
