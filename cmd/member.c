/* SPDX-License-Identifier: MIT */
/*
 * kmvault member: memberships (platform, level, expiry, price, auto-renew,
 * inactivity clause) and their renewal history.  One static function per
 * verb; mutating verbs append an audit event (in the library) and save.
 */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include "kmvutil/datetime.h"
#include "kmvutil/json.h"
#include "kmv/member.h"
#include "kmvutil/money.h"

#define MAX_ORDERS 64

static int parse_id(int64_t *id, int argc, char **argv, const char *verb)
{
	if (optind >= argc)
		return cli_error_usage("member %s needs an ID", verb);
	if (optind + 1 < argc)
		return cli_error_extra_arg(argv[optind + 1]);
	return cli_parse_int(id, "ID", argv[optind]);
}

static int parse_price(int64_t *fen, const char *text)
{
	if (kmv_money_parse(fen, text) < 0 || *fen < 0)
		return cli_error_usage("--price: '%s' is not an amount in yuan "
				       "(e.g. 25.00)",
				       text);
	return KMV_EXIT_OK;
}

/* Run a library call on the open vault, then save. */
static int finish(cli_state *cli, int error)
{
	if (error < 0)
		return cli_error_lib(error);
	return cli_save(cli);
}

static int member_add(int argc, char **argv, cli_state *cli)
{
	kmv_member_spec spec = KMV_MEMBER_SPEC_INIT;
	const char *orders[MAX_ORDERS];
	kmv_vault *vault = NULL;
	int64_t id = 0;
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'p': spec.platform = optarg; break;
		case 'l': spec.level = optarg; break;
		case 's': spec.start_date = optarg; break;
		case 'e': spec.expiry_date = optarg; break;
		case 'P':
			if ((ret = parse_price(&spec.price, optarg)) != 0)
				return ret;
			break;
		case 'a': spec.auto_renew = true; break;
		case 'i':
			if ((ret = cli_parse_int(&spec.inactivity_days,
						 "--inactivity-days",
						 optarg)) != 0)
				return ret;
			break;
		case 'L': spec.last_login = optarg; break;
		case 'o':
			if (spec.norders == MAX_ORDERS)
				return cli_error_usage("at most %d --order",
						       MAX_ORDERS);
			orders[spec.norders++] = optarg;
			break;
		default: return cli_opt_done(c, cli);
		}
	}
	/* "--order A B C": further order numbers may follow as arguments. */
	while (optind < argc && spec.norders > 0 && spec.norders < MAX_ORDERS)
		orders[spec.norders++] = argv[optind++];
	if (optind < argc)
		return cli_error_extra_arg(argv[optind]);
	if (!spec.platform)
		return cli_error_usage("member add needs --platform P");
	if (!spec.expiry_date)
		return cli_error_usage("member add needs --expiry DATE");
	if (spec.inactivity_days > 0 && !spec.last_login)
		return cli_error_usage(
			"--inactivity-days needs --last-login DATE");
	spec.orders = orders;
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	error = kmv_member_add(&id, vault, &spec);
	if ((ret = finish(cli, error)) != 0)
		return ret;
	if (cli->json)
		printf("{\"id\":%" PRId64 "}\n", id);
	else
		cli_note(cli, "added membership %" PRId64, id);
	return KMV_EXIT_OK;
}

struct list_out {
	cli_list list;
	char today[16];
};

static const char *shown_status(const struct list_out *o, const kmv_member *m)
{
	if (strcmp(m->status, "active") == 0 && m->expiry_date &&
	    strcmp(m->expiry_date, o->today) < 0)
		return "expired";
	return m->status;
}

/* A membership status in words (active, expired, ended). */
static const char *status_words(const char *status)
{
	if (strcmp(status, "active") == 0)
		return _("active");
	if (strcmp(status, "expired") == 0)
		return _("expired");
	if (strcmp(status, "ended") == 0)
		return _("ended");
	return status;
}

static int print_member(const kmv_member *m, void *payload)
{
	struct list_out *o = payload;
	char money[KMV_MONEY_BUFSZ], id[32], inact[32], ren[32];

	if (o->list.as_json) {
		kmv_json *j = &o->list.json;

		kmv_json_object_begin(j);
		kmv_json_kv_int(j, "id", m->id);
		kmv_json_kv_string(j, "platform", m->platform);
		kmv_json_kv_string(j, "level", m->level);
		kmv_json_kv_string(j, "start", m->start_date);
		kmv_json_kv_string(j, "expiry", m->expiry_date);
		kmv_json_kv_money_or_null(j, "price", m->price >= 0, m->price);
		kmv_json_kv_bool(j, "auto_renew", m->auto_renew);
		kmv_json_kv_int_or_null(j, "inactivity_days",
					m->inactivity_days > 0,
					m->inactivity_days);
		kmv_json_kv_string(j, "last_login", m->last_login);
		kmv_json_kv_string(j, "status", shown_status(o, m));
		kmv_json_kv_int(j, "renewals", m->renewals);
		kmv_json_kv_string(j, "orders", m->orders);
		kmv_json_kv_string(j, "status_label",
				   status_words(shown_status(o, m)));
		kmv_json_object_end(j);
		return 0;
	}
	snprintf(id, sizeof(id), "%" PRId64, m->id);
	snprintf(inact, sizeof(inact),
		 m->inactivity_days > 0 ? _("%" PRId64 "d") : "-",
		 m->inactivity_days);
	snprintf(ren, sizeof(ren), "%" PRId64, m->renewals);
	{
		const char *row[] = {
			id,
			m->platform,
			m->level ? m->level : "-",
			m->start_date ? m->start_date : "-",
			m->expiry_date ? m->expiry_date : "-",
			m->price >= 0 ? kmv_money_format(money, m->price) : "-",
			m->auto_renew ? _("yes") : _("no"),
			inact,
			m->last_login ? m->last_login : "-",
			status_words(shown_status(o, m)),
			ren,
		};

		cli_table_add(&o->list.table, row);
	}
	return 0;
}

static int member_list(int argc, char **argv, cli_state *cli)
{
	static const char *const headers[] = {
		N_("ID"),     N_("PLATFORM"),   N_("LEVEL"),
		N_("START"),  N_("EXPIRY"),     N_("PRICE"),
		N_("AUTO"),   N_("INACTIVITY"), N_("LAST_LOGIN"),
		N_("STATUS"), N_("RENEWALS")
	};
	struct list_out o;
	kmv_vault *vault = NULL;
	kmv_time now = kmv_time_now();
	char when[KMV_TIME_BUFSZ];
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1)
		return cli_opt_done(c, cli);
	if (argc > 1)
		return cli_error_extra_arg(argv[1]);
	/* A listing only reads: no writer lock (the table row is for the
	 * verbs that change memberships). */
	cli->mode = CLI_CMD_VAULT_RO;
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	memset(&o, 0, sizeof(o));
	kmv_time_format(when, &now);
	snprintf(o.today, sizeof(o.today), "%.10s", when);
	cli_list_init(&o.list, cli, sizeof(headers) / sizeof(headers[0]),
		      headers);
	o.list.table.right[5] = o.list.table.right[10] = true;
	error = kmv_member_foreach(vault, print_member, &o);
	ret = error < 0 ? cli_error_lib(error)
			: cli_list_print(&o.list, cli, 40,
					 _("no memberships (add one with "
					   "'kmvault member add')"));
	cli_list_dispose(&o.list);
	return ret;
}

static int member_renew(int argc, char **argv, cli_state *cli)
{
	const char *expiry = NULL, *order = NULL;
	kmv_vault *vault = NULL;
	int64_t id, price = -1;
	int c, ret;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'e': expiry = optarg; break;
		case 'P':
			if ((ret = parse_price(&price, optarg)) != 0)
				return ret;
			break;
		case 'o': order = optarg; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if ((ret = parse_id(&id, argc, argv, "renew")) != 0)
		return ret;
	if (!expiry)
		return cli_error_usage("member renew needs --expiry DATE");
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	if ((ret = finish(cli, kmv_member_renew(vault, id, expiry, price,
						order))) != 0)
		return ret;
	cli_note(cli, "membership %" PRId64 " renewed until %s", id, expiry);
	return KMV_EXIT_OK;
}

static int member_end(int argc, char **argv, cli_state *cli)
{
	kmv_vault *vault = NULL;
	int64_t id;
	int c, ret;

	while ((c = cli_getopt(argc, argv, cli)) != -1)
		return cli_opt_done(c, cli);
	optind = 1;
	if ((ret = parse_id(&id, argc, argv, "end")) != 0)
		return ret;
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	if ((ret = finish(cli, kmv_member_end(vault, id))) != 0)
		return ret;
	cli_note(cli, "membership %" PRId64 " ended", id);
	return KMV_EXIT_OK;
}

static int member_login(int argc, char **argv, cli_state *cli)
{
	const char *date = NULL;
	kmv_vault *vault = NULL;
	int64_t id;
	int c, ret;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'd': date = optarg; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if ((ret = parse_id(&id, argc, argv, "login")) != 0)
		return ret;
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	if ((ret = finish(cli, kmv_member_login(vault, id, date))) != 0)
		return ret;
	cli_note(cli, "membership %" PRId64 ": login recorded", id);
	return KMV_EXIT_OK;
}

int cmd_member(int argc, char **argv, cli_state *cli)
{
	static const cli_verb verbs[] = {
		{ "add", member_add },     { "end", member_end },
		{ "list", member_list },   { "login", member_login },
		{ "renew", member_renew },
	};

	return cli_dispatch_verbs(argc, argv, cli, verbs,
				  sizeof(verbs) / sizeof(verbs[0]));
}
