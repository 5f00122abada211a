/* SPDX-License-Identifier: MIT */
/* kmvault alias: merchant names on statements <-> platforms of orders. */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "kmvutil/json.h"
#include "kmv/match.h"

/* Where an alias came from, in words (the stored code is for JSON). */
static const char *origin_words(const char *origin)
{
	static const struct {
		const char *code, *words;
	} origins[] = {
		{ "learned", N_("learned by match") },
		{ "user", N_("added by hand") },
		{ "removed", N_("removed by hand") },
	};

	for (size_t i = 0; origin && i < NELEM(origins); i++)
		if (strcmp(origin, origins[i].code) == 0)
			return _(origins[i].words);
	return origin;
}

static int print_alias(const kmv_alias *a, void *payload)
{
	cli_list *l = payload;

	if (l->as_json) {
		kmv_json *j = &l->json;

		kmv_json_object_begin(j);
		kmv_json_kv_string(j, "merchant", a->merchant);
		kmv_json_kv_string(j, "platform", a->platform);
		kmv_json_kv_string(j, "origin", a->origin);
		kmv_json_kv_string(j, "origin_label", origin_words(a->origin));
		kmv_json_kv_string(j, "created_at", a->created_at);
		kmv_json_object_end(j);
	} else {
		const char *row[3] = { a->merchant, a->platform,
				       origin_words(a->origin) };

		cli_table_add(&l->table, row);
	}
	return 0;
}

static int alias_list(cli_state *cli, kmv_vault *vault)
{
	static const char *const headers[] = { N_("MERCHANT"), N_("PLATFORM"),
					       N_("ORIGIN") };
	cli_list l;
	int ret, error;

	cli_list_init(&l, cli, 3, headers);
	error = kmv_alias_foreach(vault, print_alias, &l);
	ret = error < 0 ? cli_error_lib(error)
			: cli_list_print(&l, cli, 60, NULL);
	cli_list_dispose(&l);
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
			return cli_error_extra_arg(argv[optind]);
		if ((ret = cli_vault(cli, &vault)) != 0)
			return ret;
		return alias_list(cli, vault);
	}
	if (strcmp(verb, "add") && strcmp(verb, "remove"))
		return cli_error_usage("unknown alias command '%s' (list, add, "
				       "remove)",
				       verb);
	if (argc - optind != 2)
		return cli_error_usage("alias %s wants MERCHANT PLATFORM",
				       verb);
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
		cli_result r;
		kmv_json *j = cli_result_begin(&r);

		kmv_json_kv_string(j, "action", verb);
		kmv_json_kv_string(j, "merchant", argv[optind]);
		kmv_json_kv_string(j, "platform", argv[optind + 1]);
		if ((ret = cli_result_print(&r)) != 0)
			return ret;
	} else {
		if (!strcmp(verb, "add"))
			cli_note(cli, "added alias %s -> %s", argv[optind],
				 argv[optind + 1]);
		else
			cli_note(cli, "removed alias %s -> %s", argv[optind],
				 argv[optind + 1]);
	}
	return KMV_EXIT_OK;
}
