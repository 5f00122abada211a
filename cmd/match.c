/* SPDX-License-Identifier: MIT */
/*
 * kmvault match: link orders to payments and receipts by order number,
 * by amount and time, and refunds to their payments; print the counts.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include <math.h>

#include "kmv/i18n.h"
#include "kmv/json.h"
#include "kmv/match.h"

static const char usage[] =
	"usage: kmvault match [--window HOURS]\n"
	"\n"
	"Cross-match orders, payments and receipts, strongest rule first:\n"
	"  order_no     the payment's merchant order number (or its transaction\n"
	"               number, or a number in its product/memo) is the order's\n"
	"               number; a receipt names the order's number\n"
	"  amount_time  same amount, paid from 10 min before to HOURS after the\n"
	"               order, to a merchant that is the order's platform or an\n"
	"               alias of it; closest in time wins, one payment per order\n"
	"  refund       a refund links to the payment it refunds\n"
	"Re-running changes nothing unless the records changed.  Links made\n"
	"with 'kmvault link' and removed with 'kmvault unlink' are kept.\n"
	"\n"
	"  --window HOURS   how long after the order a payment may come (24)\n";

static void print_stats(const kmv_cli *cli, const kmv_match_stats *s)
{
	kmv_buf out = KMV_BUF_INIT;
	kmv_json j;

	if (!cli->json) {
		printf("links: %" PRId64 " (order_no %" PRId64 ", amount_time %"
		       PRId64 ", refund %" PRId64 ")\n", s->links,
		       s->by_rule[KMV_MATCH_RULE_ORDER_NO],
		       s->by_rule[KMV_MATCH_RULE_AMOUNT_TIME],
		       s->by_rule[KMV_MATCH_RULE_REFUND]);
		printf("this run: %" PRId64 " added, %" PRId64 " updated, %" PRId64
		       " removed; kept %" PRId64 " manual links and %" PRId64
		       " vetoes; learned %" PRId64 " aliases\n", s->added,
		       s->updated, s->removed, s->manual, s->vetoed,
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

int cmd_match(int argc, char **argv, kmv_cli *cli)
{
	static const struct option opts[] = {
		{ "window", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	kmv_match_options mopts = KMV_MATCH_OPTIONS_INIT;
	kmv_match_stats stats;
	kmv_vault *vault = NULL;
	char *end;
	double hours;
	int c, ret, error;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			hours = strtod(optarg, &end);
			if (end == optarg || *end || !isfinite(hours) || hours <= 0 ||
			    hours > 24.0 * 366)
				return cli_error_usage("--window wants hours between 0 "
						       "and 8784, not '%s'", optarg);
			mopts.window_after_s = (int64_t)llround(hours * 3600.0);
			break;
		case 'h': fputs(usage, stdout); return KMV_EXIT_OK;
		default: return cli_error_usage("see 'kmvault match --help'");
		}
	}
	if (optind < argc)
		return cli_error_usage("unexpected argument '%s'", argv[optind]);
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	error = kmv_match_run(&stats, vault, &mopts);
	if (error < 0) {
		ret = cli_error_lib(error);
		cli_error("nothing was linked; the vault is unchanged");
		return ret;
	}
	/* Nothing new since the last match: leave the file as it is. */
	if (stats.unchanged)
		cli_note(cli, _("nothing new since the last match; the vault is "
				"unchanged"));
	else if ((ret = cli_save(cli)) != 0)
		return ret;
	print_stats(cli, &stats);
	return KMV_EXIT_OK;
}
