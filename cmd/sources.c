/* SPDX-License-Identifier: MIT */
/* kmvault sources: the files imported into the vault. */
#include "cli.h"
#include "opt.h"

#include <inttypes.h>

#include "kmvutil/json.h"
#include "kmv/label.h"
#include "kmv/sources.h"

static int print_source(const kmv_source_info *s, void *payload)
{
	cli_list *l = payload;

	if (l->as_json) {
		kmv_json *j = &l->json;

		kmv_json_object_begin(j);
		kmv_json_kv_int(j, "id", s->id);
		kmv_json_kv_string(j, "kind", s->kind);
		kmv_json_kv_string(j, "name", s->name);
		kmv_json_kv_string(j, "sha256", s->sha256);
		kmv_json_kv_int(j, "size", s->size);
		kmv_json_kv_int(j, "rows", s->rows);
		kmv_json_kv_string(j, "imported_at", s->imported_at);
		kmv_json_key(j, "parent");
		if (s->parent_id)
			kmv_json_int(j, s->parent_id);
		else
			kmv_json_null(j);
		kmv_json_key(j, "meta");
		kmv_json_raw(j, s->meta);
		kmv_json_kv_string(j, "kind_label",
				   kmv_label(KMV_LABEL_SOURCE, s->kind));
		kmv_json_object_end(j);
	} else {
		char id[32], rows[32], parent[32];
		const char *row[7];

		snprintf(id, sizeof(id), "%" PRId64, s->id);
		snprintf(rows, sizeof(rows), "%" PRId64, s->rows);
		snprintf(parent, sizeof(parent),
			 s->parent_id ? "%" PRId64 : "-", s->parent_id);
		row[0] = id;
		row[1] = kmv_label(KMV_LABEL_SOURCE, s->kind);
		row[2] = s->name;
		row[3] = s->sha256;
		row[4] = rows;
		row[5] = s->imported_at;
		row[6] = parent;
		cli_table_add(&l->table, row);
	}
	return 0;
}

int cmd_sources(int argc, char **argv, cli_state *cli)
{
	static const char *const headers[] = { N_("ID"),    N_("KIND"),
					       N_("NAME"),  N_("SHA256"),
					       N_("ROWS"),  N_("IMPORTED_AT"),
					       N_("PARENT") };
	kmv_vault *vault = NULL;
	cli_list l;
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1)
		return cli_opt_done(c, cli);
	if (argc > 1)
		return cli_error_extra_arg(argv[1]);
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	cli_list_init(&l, cli, 7, headers);
	l.table.right[4] = true;
	l.table.shrink[2] = true; /* the file name is cut on a narrow terminal */
	error = kmv_sources_foreach(vault, print_source, &l);
	ret = error < 0 ? cli_error_lib(error)
			: cli_list_print(&l, cli, 0,
					 _("no sources imported yet "
					   "(see 'kmvault import')"));
	cli_list_dispose(&l);
	return ret;
}
