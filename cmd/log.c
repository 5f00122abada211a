/* SPDX-License-Identifier: MIT */
/* kmvault log: the hash-chained audit log, newest first. */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <inttypes.h>

#include "kmv/json.h"


struct log_out {
	kmv_json *json;
	cli_table *table;
};

static int print_event(const kmv_audit_event *ev, void *payload)
{
	struct log_out *o = payload;
	char id[32];

	if (o->json) {
		kmv_json_object_begin(o->json);
		kmv_json_kv_int(o->json, "id", ev->id);
		kmv_json_kv_string(o->json, "time", ev->time);
		kmv_json_kv_string(o->json, "command", ev->command);
		kmv_json_kv_string(o->json, "action", ev->action);
		kmv_json_key(o->json, "detail");
		kmv_json_raw(o->json, ev->detail);
		kmv_json_kv_string(o->json, "hash", ev->hash);
		kmv_json_object_end(o->json);
	} else {
		const char *row[5];
		char hash[17];

		snprintf(id, sizeof(id), "%" PRId64, ev->id);
		snprintf(hash, sizeof(hash), "%.16s", ev->hash);
		row[0] = id;
		row[1] = ev->time;
		row[2] = ev->action;
		row[3] = ev->detail;
		row[4] = hash;
		cli_table_add(o->table, row);
	}
	return 0;
}

int cmd_log(int argc, char **argv, cli_state *cli)
{
	static const char *const headers[] = { N_("ID"), N_("TIME"), N_("ACTION"), N_("DETAIL"), N_("HASH") };
	kmv_vault *vault = NULL;
	kmv_buf out = KMV_BUF_INIT;
	kmv_json j;
	cli_table table;
	struct log_out o = { NULL, NULL };
	int64_t limit = 0;
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'n':
			if ((ret = cli_parse_int(&limit, "--limit", optarg)) != 0)
				return ret;
			break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind < argc)
		return cli_error_usage("unexpected argument '%s'", argv[optind]);
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	cli_table_init(&table, 5, headers);
	table.shrink[3] = true;   /* the detail is cut on a narrow terminal */
	if (cli->json) {
		kmv_json_init(&j, &out, false);
		kmv_json_array_begin(&j);
		o.json = &j;
	} else {
		o.table = &table;
	}
	error = kmv_audit_foreach(vault, limit, print_event, &o);
	if (error < 0) {
		ret = cli_error_lib(error);
		goto done;
	}
	if (cli->json) {
		kmv_json_array_end(&j);
		kmv_buf_putc(&out, '\n');
		cli_write(&out);
	} else {
		cli_pager_start(cli);
		cli_table_print_tty(&table, stdout, 80, cli);
		cli_pager_end();
	}
done:
	cli_table_dispose(&table);
	kmv_buf_dispose(&out);
	return ret;
}
