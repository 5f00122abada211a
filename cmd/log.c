/* SPDX-License-Identifier: MIT */
/* kmvault log: the hash-chained audit log, newest first. */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <inttypes.h>

#include "kmvutil/json.h"
#include "kmv/label.h"

struct log_state {
	cli_list list;
	kmv_buf detail;
};

static int print_event(const kmv_audit_event *ev, void *payload)
{
	struct log_state *st = payload;
	cli_list *l = &st->list;
	char id[32];
	int error;

	if (l->as_json) {
		kmv_json *j = &l->json;

		kmv_json_object_begin(j);
		kmv_json_kv_int(j, "id", ev->id);
		kmv_json_kv_string(j, "time", ev->time);
		kmv_json_kv_string(j, "command", ev->command);
		kmv_json_kv_string(j, "action", ev->action);
		kmv_json_key(j, "detail");
		kmv_json_raw(j, ev->detail);
		kmv_json_kv_string(j, "hash", ev->hash);
		kmv_json_kv_string(j, "action_label",
				   kmv_label(KMV_LABEL_ACTION, ev->action));
		kmv_json_object_end(j);
	} else {
		const char *row[5];
		char hash[17];

		snprintf(id, sizeof(id), "%" PRId64, ev->id);
		snprintf(hash, sizeof(hash), "%.16s", ev->hash);
		row[0] = id;
		row[1] = ev->time;
		/* words, not the codes and JSON the chain hashes */
		if ((error = kmv_label_detail(&st->detail, ev->detail,
					      KMV_LANG_LOCALE)) < 0)
			return error;
		row[2] = kmv_label(KMV_LABEL_ACTION, ev->action);
		row[3] = st->detail.ptr;
		row[4] = hash;
		cli_table_add(&l->table, row);
	}
	return 0;
}

int cmd_log(int argc, char **argv, cli_state *cli)
{
	static const char *const headers[] = { N_("ID"), N_("TIME"),
					       N_("ACTION"), N_("DETAIL"),
					       N_("HASH") };
	kmv_vault *vault = NULL;
	struct log_state st = { .detail = KMV_BUF_INIT };
	int64_t limit = 0;
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'n':
			if ((ret = cli_parse_int(&limit, "--limit", optarg)) !=
			    0)
				return ret;
			break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind < argc)
		return cli_error_extra_arg(argv[optind]);
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	cli_list_init(&st.list, cli, 5, headers);
	/* the detail is cut on a narrow terminal */
	st.list.table.shrink[3] = true;
	error = kmv_audit_foreach(vault, limit, print_event, &st);
	ret = error < 0 ? cli_error_lib(error)
			: cli_list_print(&st.list, cli, 80, NULL);
	cli_list_dispose(&st.list);
	kmv_buf_dispose(&st.detail);
	return ret;
}
