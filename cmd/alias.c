/* SPDX-License-Identifier: MIT */
/* kmvault alias: merchant names on statements <-> platforms of orders. */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "kmv/json.h"
#include "kmv/match.h"


struct alias_out {
	kmv_json *json;
	cli_table *table;
};

static int print_alias(const kmv_alias *a, void *payload)
{
	struct alias_out *o = payload;

	if (o->json) {
		kmv_json_object_begin(o->json);
		kmv_json_kv_string(o->json, "merchant", a->merchant);
		kmv_json_kv_string(o->json, "platform", a->platform);
		kmv_json_kv_string(o->json, "origin", a->origin);
		kmv_json_kv_string(o->json, "created_at", a->created_at);
		kmv_json_object_end(o->json);
	} else {
		const char *row[3] = { a->merchant, a->platform, a->origin };

		cli_table_add(o->table, row);
	}
	return 0;
}

static int alias_list(cli_state *cli, kmv_vault *vault)
{
	static const char *const headers[] = { N_("MERCHANT"), N_("PLATFORM"), N_("ORIGIN") };
	kmv_buf out = KMV_BUF_INIT;
	struct alias_out o = { NULL, NULL };
	cli_table table;
	kmv_json j;
	int ret = KMV_EXIT_OK, error;

	cli_table_init(&table, 3, headers);
	if (cli->json) {
		kmv_json_init(&j, &out, false);
		kmv_json_array_begin(&j);
		o.json = &j;
	} else {
		o.table = &table;
	}
	error = kmv_alias_foreach(vault, print_alias, &o);
	if (error < 0) {
		ret = cli_error_lib(error);
		goto done;
	}
	if (cli->json) {
		kmv_json_array_end(&j);
		kmv_buf_putc(&out, '\n');
		cli_write(&out);
	} else {
		cli_table_print(&table, stdout, 60);
	}
done:
	cli_table_dispose(&table);
	kmv_buf_dispose(&out);
	return ret;
}

int cmd_alias(int argc, char **argv, cli_state *cli)
{
	kmv_vault *vault = NULL;
	const char *verb;
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind >= argc)
		return cli_error_usage("alias wants list, add or remove (see "
				       "'kmvault alias --help')");
	verb = argv[optind++];
	if (!strcmp(verb, "list")) {
		if (optind < argc)
			return cli_error_usage("unexpected argument '%s'",
					       argv[optind]);
		if ((ret = cli_vault(cli, &vault)) != 0)
			return ret;
		return alias_list(cli, vault);
	}
	if (strcmp(verb, "add") && strcmp(verb, "remove"))
		return cli_error_usage("unknown alias command '%s' (list, add, "
				       "remove)", verb);
	if (argc - optind != 2)
		return cli_error_usage("alias %s wants MERCHANT PLATFORM", verb);
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	if (!strcmp(verb, "add"))
		error = kmv_alias_add(vault, argv[optind], argv[optind + 1]);
	else
		error = kmv_alias_remove(vault, argv[optind], argv[optind + 1]);
	if (error < 0)
		return cli_error_lib(error);
	if ((ret = cli_save(cli)) != 0)
		return ret;
	if (cli->json) {
		kmv_buf out = KMV_BUF_INIT;
		kmv_json j;

		kmv_json_init(&j, &out, false);
		kmv_json_object_begin(&j);
		kmv_json_kv_string(&j, "action", verb);
		kmv_json_kv_string(&j, "merchant", argv[optind]);
		kmv_json_kv_string(&j, "platform", argv[optind + 1]);
		kmv_json_object_end(&j);
		kmv_buf_putc(&out, '\n');
		cli_write(&out);
		kmv_buf_dispose(&out);
	} else {
		cli_note(cli, "%s alias %s -> %s",
			 !strcmp(verb, "add") ? "added" : "removed", argv[optind],
			 argv[optind + 1]);
	}
	return KMV_EXIT_OK;
}
