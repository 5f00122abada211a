/* SPDX-License-Identifier: MIT */
/* kmvault edit: correct a record's user-editable fields (audited). */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <inttypes.h>

#include "kmv/edit.h"
#include "kmv/i18n.h"
#include "kmvutil/json.h"

int cmd_edit(int argc, char **argv, cli_state *cli)
{
	kmv_edit_fields f = KMV_EDIT_FIELDS_INIT;
	kmv_vault *vault = NULL;
	int64_t id;
	int c, ret, error, changed = 0;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'p': f.platform = optarg; break;
		case 'm': f.merchant = optarg; break;
		case 'c': f.category = optarg; break;
		case 'n': f.note = optarg; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (argc - optind != 1)
		return cli_error_usage(_("edit wants one record (see 'kmvault "
					 "help edit')"));
	if (!f.platform && !f.merchant && !f.category && !f.note)
		return cli_error_usage(_("nothing to change: give --platform, "
					 "--merchant, --category or --note"));
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	if ((ret = cli_resolve_record_flags(&id, vault, argv[optind],
					    KMV_RESOLVE_INCLUDE_VOID)) != 0)
		return ret;
	error = kmv_record_edit(vault, id, &f, cli_user(), &changed);
	if (error < 0)
		return cli_error_lib(error);
	if (changed && (ret = cli_save(cli)) != 0)
		return ret;
	if (cli->json) {
		cli_result r;
		kmv_json *j = cli_result_begin(&r);

		kmv_json_kv_int(j, "id", id);
		kmv_json_kv_int(j, "changed", changed);
		if ((ret = cli_result_print(&r)) != 0)
			return ret;
	} else if (changed) {
		cli_note(cli,
			 P_("record #%" PRId64 ": %d field changed (see "
			    "'kmvault show %" PRId64 "')",
			    "record #%" PRId64 ": %d fields changed (see "
			    "'kmvault show %" PRId64 "')",
			    changed),
			 id, changed, id);
	} else {
		cli_note(cli,
			 _("record #%" PRId64 ": already so, nothing changed"),
			 id);
	}
	return KMV_EXIT_OK;
}
