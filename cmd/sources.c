/* SPDX-License-Identifier: MIT */
/* kmvault sources: the files imported into the vault. */
#include "cli.h"
#include "opt.h"

#include <inttypes.h>

#include "kmv/json.h"
#include "kmv/sources.h"


struct src_out {
	kmv_json *json;
	cli_table *table;
};

static int print_source(const kmv_source_info *s, void *payload)
{
	struct src_out *o = payload;

	if (o->json) {
		kmv_json_object_begin(o->json);
		kmv_json_kv_int(o->json, "id", s->id);
		kmv_json_kv_string(o->json, "kind", s->kind);
		kmv_json_kv_string(o->json, "name", s->name);
		kmv_json_kv_string(o->json, "sha256", s->sha256);
		kmv_json_kv_int(o->json, "size", s->size);
		kmv_json_kv_int(o->json, "rows", s->rows);
		kmv_json_kv_string(o->json, "imported_at", s->imported_at);
		kmv_json_key(o->json, "parent");
		if (s->parent_id)
			kmv_json_int(o->json, s->parent_id);
		else
			kmv_json_null(o->json);
		kmv_json_key(o->json, "meta");
		kmv_json_raw(o->json, s->meta);
		kmv_json_object_end(o->json);
	} else {
		char id[32], rows[32], parent[32];
		const char *row[7];

		snprintf(id, sizeof(id), "%" PRId64, s->id);
		snprintf(rows, sizeof(rows), "%" PRId64, s->rows);
		snprintf(parent, sizeof(parent), s->parent_id ? "%" PRId64 : "-",
			 s->parent_id);
		row[0] = id;
		row[1] = s->kind;
		row[2] = s->name;
		row[3] = s->sha256;
		row[4] = rows;
		row[5] = s->imported_at;
		row[6] = parent;
		cli_table_add(o->table, row);
	}
	return 0;
}

int cmd_sources(int argc, char **argv, cli_state *cli)
{
	static const char *const headers[] = {
		N_("ID"), N_("KIND"), N_("NAME"), N_("SHA256"), N_("ROWS"), N_("IMPORTED_AT"), N_("PARENT")
	};
	kmv_vault *vault = NULL;
	kmv_buf out = KMV_BUF_INIT;
	kmv_json j;
	cli_table table;
	struct src_out o = { NULL, NULL };
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1)
		return cli_opt_done(c, cli);
	if (argc > 1)
		return cli_error_usage("unexpected argument '%s'", argv[1]);
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	cli_table_init(&table, 7, headers);
	table.right[4] = true;
	table.shrink[2] = true;   /* the file name is cut on a narrow terminal */
	if (cli->json) {
		kmv_json_init(&j, &out, false);
		kmv_json_array_begin(&j);
		o.json = &j;
	} else {
		o.table = &table;
	}
	error = kmv_sources_foreach(vault, print_source, &o);
	if (error < 0) {
		ret = cli_error_lib(error);
		goto done;
	}
	if (cli->json) {
		kmv_json_array_end(&j);
		kmv_buf_putc(&out, '\n');
		cli_write(&out);
	} else if (table.nrows == 1) {
		cli_note(cli, "no sources imported yet (see 'kmvault import')");
	} else {
		cli_pager_start(cli);
		cli_table_print_tty(&table, stdout, 0, cli);
		cli_pager_end();
	}
done:
	cli_table_dispose(&table);
	kmv_buf_dispose(&out);
	return ret;
}
