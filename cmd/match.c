/* SPDX-License-Identifier: MIT */
/*
 * kmvault match: link orders to payments and receipts by order number,
 * by amount and time, and refunds to their payments; print the counts.
 */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include <math.h>

#include "kmv/i18n.h"
#include "kmvutil/json.h"
#include "kmv/match.h"

static void print_stats(const cli_state *cli, const kmv_match_stats *s)
{
	kmv_buf out = KMV_BUF_INIT;
	kmv_json j;

	if (!cli->json && cli->quiet)
		return; /* the counts are a success report */
	if (!cli->json) {
		printf(_("links: %" PRId64 " (order_no %" PRId64
			 ", amount_time %" PRId64 ", refund %" PRId64 ")\n"),
		       s->links, s->by_rule[KMV_MATCH_RULE_ORDER_NO],
		       s->by_rule[KMV_MATCH_RULE_AMOUNT_TIME],
		       s->by_rule[KMV_MATCH_RULE_REFUND]);
		/* receipts found by their buyer's contact (acg-faka's mail) */
		if (s->by_rule[KMV_MATCH_RULE_CONTACT_TIME])
			printf(_("links by the buyer's contact (contact_time): "
				 "%" PRId64 "\n"),
			       s->by_rule[KMV_MATCH_RULE_CONTACT_TIME]);
		printf(_("this run: %" PRId64 " added, %" PRId64
			 " updated, %" PRId64 " removed; kept %" PRId64
			 " manual links and %" PRId64
			 " vetoes; learned %" PRId64 " aliases\n"),
		       s->added, s->updated, s->removed, s->manual, s->vetoed,
		       s->aliases_learned);
		return;
	}
	kmv_json_init(&j, &out, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_int(&j, "links", s->links);
	kmv_json_key(&j, "by_rule");
	kmv_json_object_begin(&j);
	for (int i = 0; i < KMV_MATCH_RULE_COUNT; i++)
		kmv_json_kv_int(&j, kmv_match_rule_name((kmv_match_rule)i),
				s->by_rule[i]);
	kmv_json_object_end(&j);
	kmv_json_kv_int(&j, "added", s->added);
	kmv_json_kv_int(&j, "updated", s->updated);
	kmv_json_kv_int(&j, "removed", s->removed);
	kmv_json_kv_int(&j, "manual", s->manual);
	kmv_json_kv_int(&j, "vetoed", s->vetoed);
	kmv_json_kv_int(&j, "aliases_learned", s->aliases_learned);
	kmv_json_object_end(&j);
	kmv_buf_putc(&out, '\n');
	cli_write(&out);
	kmv_buf_dispose(&out);
}

int cmd_match(int argc, char **argv, cli_state *cli)
{
	kmv_match_options mopts = KMV_MATCH_OPTIONS_INIT;
	kmv_match_stats stats;
	kmv_vault *vault = NULL;
	char *end;
	double hours;
	const char *window = cli_config_get("match.window_hours");
	bool dry_run = false;
	int c, ret, error;

	if (window) /* checked when the config was read */
		mopts.window_after_s = (int64_t)llround(strtod(window, NULL) *
							3600.0);

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'n': dry_run = true; break;
		case 'w':
			hours = strtod(optarg, &end);
			if (end == optarg || *end || !isfinite(hours) ||
			    hours <= 0 || hours > 24.0 * 366)
				return cli_error_usage(
					"--window wants hours between 0 "
					"and 8784, not '%s'",
					optarg);
			mopts.window_after_s = (int64_t)llround(hours * 3600.0);
			break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind < argc)
		return cli_error_extra_arg(argv[optind]);
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	error = kmv_match_run(&stats, vault, &mopts);
	if (error < 0) {
		ret = cli_error_lib(error);
		cli_error("nothing was linked; the vault is unchanged");
		return ret;
	}
	/* Nothing new since the last match: leave the file as it is.  A dry
	 * run matches the copy in memory and never saves it. */
	if (stats.unchanged)
		cli_note(cli,
			 _("nothing new since the last match; the vault is "
			   "unchanged"));
	else if (!dry_run && (ret = cli_save(cli)) != 0)
		return ret;
	print_stats(cli, &stats);
	if (dry_run)
		cli_note(cli, _("dry run: 'this run' is what match would add, "
				"update and remove; nothing was linked"));
	return KMV_EXIT_OK;
}
