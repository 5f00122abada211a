/* SPDX-License-Identifier: MIT */
/*
 * kmvault anomalies: what looks wrong in the orders, payments and the
 * links between them, each finding with its records, the money at stake
 * and what to do next.
 */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include <math.h>

#include "kmv/anomaly.h"
#include "kmvutil/datetime.h"
#include "kmvutil/json.h"
#include "kmvutil/money.h"

struct an_out {
	cli_list list; /* streamed: each finding is a block of lines */
	const cli_state *cli;
};

static int print_anomaly(const kmv_anomaly *a, void *payload)
{
	struct an_out *o = payload;
	kmv_json *j = &o->list.json;
	char amount[KMV_MONEY_BUFSZ], when[KMV_TIME_BUFSZ];
	kmv_time t = { a->ts, KMV_TZ_CST };

	o->list.count++;
	kmv_time_format(when, &t);
	if (o->list.as_json) {
		kmv_json_object_begin(j);
		kmv_json_kv_string(j, "type", a->type);
		kmv_json_kv_string(j, "order_no", a->order_no);
		kmv_json_key(j, "records");
		kmv_json_array_begin(j);
		for (size_t i = 0; i < a->nrecords; i++)
			kmv_json_int(j, a->records[i]);
		kmv_json_array_end(j);
		kmv_json_kv_money(j, "amount", a->amount);
		kmv_json_kv_string(j, "time", when);
		kmv_json_kv_string(j, "detail", a->detail);
		kmv_json_kv_string(j, "suggestion", a->suggestion);
		kmv_json_kv_string(j, "type_label",
				   kmv_label(KMV_LABEL_ANOMALY, a->type));
		kmv_json_object_end(j);
		return 0;
	}
	/* the finding's headline in red on a terminal (--color); what
	 * comes from input (order number, detail) through cli_printf */
	if (o->list.count > 1)
		putchar('\n');
	fputs(cli_color(o->cli, CLI_SGR_RED), stdout);
	cli_printf("%s", kmv_label(KMV_LABEL_ANOMALY, a->type));
	fputs(cli_color(o->cli, CLI_SGR_RESET), stdout);
	cli_printf("  %s  %s  %s", a->order_no ? a->order_no : "-",
		   kmv_money_format(amount, a->amount),
		   P_("record", "records", a->nrecords));
	for (size_t i = 0; i < a->nrecords; i++)
		printf(" #%" PRId64, a->records[i]);
	cli_printf("\n  %s\n  %s%s\n", a->detail, _("next: "), a->suggestion);
	return 0;
}

int cmd_anomalies(int argc, char **argv, cli_state *cli)
{
	kmv_anomaly_options aopts = KMV_ANOMALY_OPTIONS_INIT;
	kmv_vault *vault = NULL;
	struct an_out o;
	char *end;
	const char *hours = cli_config_get("anomalies.deadline_hours");
	int c, ret = KMV_EXIT_OK, error;

	if (hours) /* checked when the config was read */
		aopts.deadline_hours = strtod(hours, NULL);
	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 't': aopts.type = optarg; break;
		case 'd':
			aopts.deadline_hours = strtod(optarg, &end);
			if (end == optarg || *end ||
			    !isfinite(aopts.deadline_hours) ||
			    aopts.deadline_hours < 0 ||
			    aopts.deadline_hours > 24.0 * 3650)
				return cli_error_usage(
					_("--deadline-hours wants hours "
					  "between 0 and 87600, not '%s'"),
					optarg);
			break;
		case 'o': aopts.order_no = optarg; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind < argc)
		return cli_error_extra_arg(argv[optind]);
	if (aopts.type) {
		/* a bad type is a usage error before any passphrase is asked */
		if (!kmv_label_known(KMV_LABEL_ANOMALY, aopts.type))
			return cli_error_usage(
				_("unknown anomaly type '%s' (see "
				  "'kmvault anomalies --help')"),
				aopts.type);
	}
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	o.cli = cli;
	cli_list_init(&o.list, cli, 0, NULL);
	error = kmv_anomalies_foreach(vault, &aopts, print_anomaly, &o);
	ret = error < 0 ? cli_error_lib(error)
			: cli_list_print(&o.list, cli, 0,
					 _("no anomalies found"));
	cli_list_dispose(&o.list);
	return ret;
}
