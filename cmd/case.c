/* SPDX-License-Identifier: MIT */
/*
 * kmvault case: dispute cases for an order, with a reply deadline in
 * working days (Mon-Fri, plus the user's holiday calendar when there is
 * one).  One static function per verb; mutating verbs append an audit
 * event (library) and save.
 */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kmv/case.h"
#include "kmvutil/json.h"
#include "kmvutil/money.h"

/*
 * The holiday calendar for working days: $KMVAULT_HOLIDAYS (must exist),
 * else the per-user file when present.  Exit code.
 */
static int load_holidays(void)
{
	const char *env = getenv("KMVAULT_HOLIDAYS");
	char *path;
	int error;

	if (env && *env) {
		error = kmv_workdays_load_calendar(env);
		return error < 0 ? cli_error_lib(error) : KMV_EXIT_OK;
	}
	if (!(path = cli_config_path("holidays")))
		return KMV_EXIT_OK;
	error = kmv_workdays_load_calendar(path);
	free(path);
	if (error == KMV_ENOTFOUND)
		return KMV_EXIT_OK;
	return error < 0 ? cli_error_lib(error) : KMV_EXIT_OK;
}

static int parse_reply_days(int *out, const char *value)
{
	int64_t n;
	int ret = cli_parse_int(&n, "--reply-days", value);

	if (ret)
		return ret;
	if (n < 1 || n > 365)
		return cli_error_usage("--reply-days must be 1 to 365 working "
				       "days, not %s",
				       value);
	*out = (int)n;
	return KMV_EXIT_OK;
}

static int case_open(int argc, char **argv, cli_state *cli)
{
	kmv_case_open_options co = KMV_CASE_OPEN_OPTIONS_INIT;
	kmv_vault *vault = NULL;
	int64_t id = 0;
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'r': co.reason = optarg; break;
		case 'd':
			if ((ret = parse_reply_days(&co.reply_days, optarg)) !=
			    0)
				return ret;
			break;
		case 'n': co.note = optarg; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (argc - optind != 1)
		return cli_error_usage("case open needs one ORDER_NO");
	co.order_no = argv[optind];
	if (!co.reason)
		return cli_error_usage("case open needs --reason TYPE (%s)",
				       KMV_CASE_REASONS);
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	error = kmv_case_open(&id, vault, &co);
	if (error < 0)
		return cli_error_lib(error);
	if ((ret = cli_save(cli)) != 0)
		return ret;
	if (cli->json)
		printf("{\"id\":%" PRId64 "}\n", id);
	else
		cli_note(cli, "opened case %" PRId64 " for order %s", id,
			 co.order_no);
	return KMV_EXIT_OK;
}

static int print_case(const kmv_case *k, void *payload)
{
	cli_list *l = payload;
	char id[32], money[KMV_MONEY_BUFSZ];

	if (l->as_json) {
		kmv_json *j = &l->json;

		kmv_json_object_begin(j);
		kmv_json_kv_int(j, "id", k->id);
		kmv_json_kv_string(j, "order_no", k->order_no);
		kmv_json_kv_string(j, "reason", k->reason);
		kmv_json_kv_string(j, "status", k->status);
		kmv_json_kv_string(j, "opened_at", k->opened_at);
		kmv_json_kv_int(j, "reply_days", k->reply_days);
		kmv_json_kv_string(j, "deadline", k->deadline);
		kmv_json_kv_string(j, "counterparty", k->counterparty);
		kmv_json_kv_money_or_null(j, "amount", k->amount >= 0,
					  k->amount);
		kmv_json_kv_int(j, "records", k->nrecords);
		kmv_json_kv_string(j, "closed_at", k->closed_at);
		kmv_json_kv_string(j, "note", k->last_note);
		kmv_json_kv_string(j, "reason_label",
				   kmv_label(KMV_LABEL_CASE_REASON, k->reason));
		kmv_json_kv_string(j, "status_label",
				   kmv_label(KMV_LABEL_CASE_STATUS, k->status));
		kmv_json_object_end(j);
		return 0;
	}
	snprintf(id, sizeof(id), "%" PRId64, k->id);
	{
		const char *row[] = {
			id,
			k->order_no ? k->order_no : "-",
			kmv_label(KMV_LABEL_CASE_REASON, k->reason),
			kmv_label(KMV_LABEL_CASE_STATUS, k->status),
			k->deadline ? k->deadline : "-",
			k->counterparty ? k->counterparty : "-",
			k->amount >= 0 ? kmv_money_format(money, k->amount)
				       : "-",
			k->last_note ? k->last_note : "",
		};

		cli_list_add(l, row);
	}
	return 0;
}

static int case_list(int argc, char **argv, cli_state *cli)
{
	static const char *const headers[] = {
		N_("ID"),       N_("ORDER"),        N_("REASON"), N_("STATUS"),
		N_("DEADLINE"), N_("COUNTERPARTY"), N_("AMOUNT"), N_("NOTE")
	};
	kmv_vault *vault = NULL;
	cli_list l;
	bool all = false;
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'a': all = true; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind < argc)
		return cli_error_extra_arg(argv[optind]);
	/* A listing only reads: no writer lock (the table row is for the
	 * verbs that change cases). */
	cli->mode = CLI_CMD_VAULT_RO;
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	cli_list_init(&l, cli, NELEM(headers), headers);
	l.table.right[6] = true;
	error = kmv_case_foreach(vault, all, print_case, &l);
	ret = error < 0 ? cli_error_lib(error)
			: cli_list_print(&l, cli, 40,
					 all ? _("no cases")
					     : _("no open cases"));
	cli_list_dispose(&l);
	return ret;
}

static int case_change(int argc, char **argv, cli_state *cli, bool close)
{
	const char *status = NULL, *note = NULL;
	kmv_vault *vault = NULL;
	int64_t id;
	int reply_days = 0;
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 's': status = optarg; break;
		case 'n': note = optarg; break;
		case 'd':
			if (close)
				return cli_error_usage("case close takes no "
						       "--reply-days");
			if ((ret = parse_reply_days(&reply_days, optarg)) != 0)
				return ret;
			break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (argc - optind != 1)
		return cli_error_usage("case %s needs one case ID",
				       close ? "close" : "update");
	if ((ret = cli_parse_int(&id, "ID", argv[optind])) != 0)
		return ret;
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	error = close ? kmv_case_close(vault, id, status, note)
		      : kmv_case_update(vault, id, status, note, reply_days);
	if (error < 0)
		return cli_error_lib(error);
	if ((ret = cli_save(cli)) != 0)
		return ret;
	if (close)
		cli_note(cli, "case %" PRId64 " closed", id);
	else
		cli_note(cli, "case %" PRId64 " updated", id);
	return KMV_EXIT_OK;
}

static int case_update(int argc, char **argv, cli_state *cli)
{
	return case_change(argc, argv, cli, false);
}

static int case_close(int argc, char **argv, cli_state *cli)
{
	return case_change(argc, argv, cli, true);
}

int cmd_case(int argc, char **argv, cli_state *cli)
{
	static const cli_verb verbs[] = {
		{ "close", case_close },
		{ "list", case_list },
		{ "open", case_open },
		{ "update", case_update },
	};
	int ret = load_holidays();

	if (ret != KMV_EXIT_OK)
		return ret;

	return cli_dispatch_verbs(argc, argv, cli, verbs,
				  sizeof(verbs) / sizeof(verbs[0]));
}
