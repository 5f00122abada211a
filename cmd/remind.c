/* SPDX-License-Identifier: MIT */
/*
 * kmvault remind: what is due within N days, most urgent first.  Meant
 * for a login shell or a morning cron job (with --quiet, nothing is
 * printed when nothing is due, so cron sends no empty mail).  Exit 0 even
 * when items are due: being reminded is not a failure.
 */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kmvutil/datetime.h"
#include "kmv/i18n.h"
#include "kmvutil/json.h"
#include "kmvutil/money.h"
#include "kmv/remind.h"
#include "kmvutil/text.h"

struct out {
	cli_state *cli;
	cli_list list; /* streamed: one line per item */
};

static int print_item(const kmv_reminder *r, void *payload)
{
	struct out *o = payload;
	const char *type;
	size_t width;

	o->list.count++;
	if (o->list.as_json) {
		kmv_json *j = &o->list.json;

		kmv_json_object_begin(j);
		kmv_json_kv_string(j, "type", r->type);
		kmv_json_kv_string(j, "due", r->due);
		kmv_json_kv_int(j, "days_left", r->days_left);
		kmv_json_kv_int(j, "ref", r->ref);
		kmv_json_kv_string(j, "subject", r->subject);
		kmv_json_kv_money_or_null(j, "amount", r->amount >= 0,
					  r->amount);
		kmv_json_kv_string(j, "detail", r->detail);
		kmv_json_kv_string(j, "item", r->item);
		kmv_json_kv_string(j, "type_label",
				   kmv_label(KMV_LABEL_REMINDER, r->type));
		kmv_json_object_end(j);
		return 0;
	}
	/* overdue in red, due today in yellow (a terminal, --color) */
	if (r->days_left <= 0)
		fputs(cli_color(o->cli, r->days_left < 0 ? CLI_SGR_RED
							 : CLI_SGR_YELLOW),
		      stdout);
	if (r->days_left < 0)
		printf(_("[OVERDUE %3" PRId64 "d] "), -r->days_left);
	else if (r->days_left == 0)
		printf("%s", _("[TODAY       ] "));
	else
		printf(_("[in %3" PRId64 " days] "), r->days_left);
	/* the type's words, padded by display width (CJK is two columns) */
	type = kmv_label(KMV_LABEL_REMINDER, r->type);
	width = kmv_utf8_width(type);
	printf("%s%*s ", type, width < 21 ? (int)(21 - width) : 0, "");
	/* The detail quotes merchants and products: cli_printf.  The item
	 * stays as typed: it is what --ack takes. */
	cli_printf(_("%s (ack: %s)"), r->detail, r->item);
	if (r->days_left <= 0)
		fputs(cli_color(o->cli, CLI_SGR_RESET), stdout);
	putchar('\n');
	return 0;
}

/* remind --ack ITEM [--until DATE]: the one writing form of remind. */
static int ack(cli_state *cli, const char *item, const char *until)
{
	kmv_vault *vault = NULL;
	char *due = NULL;
	int ret, error;

	cli->mode = CLI_CMD_VAULT_RW; /* audited: needs the lock */
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	error = kmv_remind_ack(vault, item, until, &due);
	if (error < 0)
		return cli_error_lib(error);
	if ((ret = cli_save(cli)) != 0)
		goto done;
	if (cli->json) {
		cli_result r;
		kmv_json *j = cli_result_begin(&r);

		kmv_json_kv_string(j, "item", item);
		kmv_json_kv_string(j, "due", due);
		kmv_json_kv_string(j, "until", until);
		ret = cli_result_print(&r);
	} else if (until)
		cli_printf(_("silenced %s through %s\n"), item, until);
	else
		cli_printf(_("silenced %s while it stays due on %s\n"), item,
			   due);
done:
	free(due);
	return ret;
}

int cmd_remind(int argc, char **argv, cli_state *cli)
{
	kmv_remind_options ro = KMV_REMIND_OPTIONS_INIT;
	struct out o;
	kmv_vault *vault = NULL;
	kmv_time now = kmv_time_now();
	char today[KMV_TIME_BUFSZ];
	const char *ack_item = NULL, *until = NULL;
	int64_t days;
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'd':
			if ((ret = cli_parse_int(&days, "--days", optarg)) != 0)
				return ret;
			ro.days = days > 3650 ? 3650 : (int)days;
			break;
		case 'a': ack_item = optarg; break;
		case 'u': until = optarg; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind < argc)
		return cli_error_extra_arg(argv[optind]);
	if (until && !ack_item)
		return cli_error_usage(_("--until goes with --ack ITEM"));
	if (ack_item)
		return ack(cli, ack_item, until);
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	kmv_time_format(today, &now);
	today[10] = '\0';
	o.cli = cli;
	cli_list_init(&o.list, cli, 0, NULL);
	if (!cli->json && !cli->quiet)
		printf(_("kmvault reminders for %s (next %d days)\n"), today,
		       ro.days);
	error = kmv_remind_foreach(vault, &ro, print_item, &o);
	ret = error < 0 ? cli_error_lib(error)
			: cli_list_print(&o.list, cli, 0,
					 cli->quiet ? NULL : _("nothing due"));
	cli_list_dispose(&o.list);
	return ret;
}
