/* SPDX-License-Identifier: MIT */
/* kmvault edit: correct a record's user-editable fields (audited). */
#include "cli.h"

#include <getopt.h>
#include <inttypes.h>

#include "kmv/edit.h"
#include "kmv/json.h"

static const char usage[] =
	"usage: kmvault edit ID|NUMBER [--platform P] [--merchant M] [--category C] [--note TEXT]\n"
	"\n"
	"Correct a record: the shop (platform) of an order imported without one,\n"
	"a merchant or category, or keep a note.  The imported values stay in the\n"
	"record, 'show' prints every change (old -> new, who and when), and each\n"
	"edit is one audit event.  An empty value clears the field.\n"
	"\n"
	"  --platform P    the shop / platform\n"
	"  --merchant M    the merchant (counterparty)\n"
	"  --category C    the category\n"
	"  --note TEXT     your note on the record\n";

int cmd_edit(int argc, char **argv, kmv_cli *cli)
{
	static const struct option opts[] = {
		{ "platform", required_argument, NULL, 'p' },
		{ "merchant", required_argument, NULL, 'm' },
		{ "category", required_argument, NULL, 'c' },
		{ "note", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	kmv_edit_fields f = KMV_EDIT_FIELDS_INIT;
	kmv_vault *vault = NULL;
	int64_t id;
	int c, ret, error, changed = 0;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': f.platform = optarg; break;
		case 'm': f.merchant = optarg; break;
		case 'c': f.category = optarg; break;
		case 'n': f.note = optarg; break;
		case 'h': fputs(usage, stdout); return KMV_EXIT_OK;
		default: return cli_error_usage("see 'kmvault edit --help'");
		}
	}
	if (argc - optind != 1)
		return cli_error_usage("edit wants one record (see 'kmvault edit "
				       "--help')");
	if (!f.platform && !f.merchant && !f.category && !f.note)
		return cli_error_usage("nothing to change: give --platform, "
				       "--merchant, --category or --note");
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
		kmv_buf out = KMV_BUF_INIT;
		kmv_json j;

		kmv_json_init(&j, &out, false);
		kmv_json_object_begin(&j);
		kmv_json_kv_int(&j, "id", id);
		kmv_json_kv_int(&j, "changed", changed);
		kmv_json_object_end(&j);
		kmv_buf_putc(&out, '\n');
		cli_write(&out);
		kmv_buf_dispose(&out);
	} else if (changed) {
		printf("record #%" PRId64 ": %d field%s changed (see 'kmvault show "
		       "%" PRId64 "')\n", id, changed, changed == 1 ? "" : "s", id);
	} else {
		printf("record #%" PRId64 ": already so, nothing changed\n", id);
	}
	return KMV_EXIT_OK;
}
