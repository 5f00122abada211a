/* SPDX-License-Identifier: MIT */
/* kmvault link: link two records by hand; later match runs keep it. */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <inttypes.h>

#include "kmvutil/json.h"
#include "kmv/match.h"
#include "kmvutil/money.h"

int cmd_link(int argc, char **argv, cli_state *cli)
{
	kmv_vault *vault = NULL;
	const char *note = NULL;
	kmv_link_amounts amounts;
	int64_t a, b;
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'n': note = optarg; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (argc - optind != 2)
		return cli_error_usage(
			"link wants two record ids (see 'kmvault "
			"link --help')");
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	if ((ret = cli_resolve_record(&a, vault, argv[optind])) != 0 ||
	    (ret = cli_resolve_record(&b, vault, argv[optind + 1])) != 0)
		return ret;
	error = kmv_match_link(vault, a, b, note);
	if (error >= 0)
		error = kmv_match_link_amounts(vault, a, b, &amounts);
	if (error < 0)
		return cli_error_lib(error);
	if ((ret = cli_save(cli)) != 0)
		return ret;
	if (amounts.differs) {
		char pay[KMV_MONEY_BUFSZ], ord[KMV_MONEY_BUFSZ];

		/* linked as asked, but a 66.00 payment for a 20.00 order is news */
		cli_warn("payment #%" PRId64 " is %s but order #%" PRId64
			 " is %s; "
			 "'kmvault anomalies' will list it as amount_mismatch "
			 "unless other payments or refunds explain it",
			 amounts.payment_id,
			 kmv_money_format(pay, amounts.payment_amount),
			 amounts.order_id,
			 kmv_money_format(ord, amounts.order_amount));
	}
	if (cli->json) {
		cli_result r;
		kmv_json *j = cli_result_begin(&r);

		kmv_json_kv_int(j, "a", a);
		kmv_json_kv_int(j, "b", b);
		kmv_json_kv_bool(j, "manual", true);
		kmv_json_kv_bool(j, "amounts_differ", amounts.differs);
		if ((ret = cli_result_print(&r)) != 0)
			return ret;
	} else {
		cli_note(cli, "linked #%" PRId64 " and #%" PRId64 " by hand", a,
			 b);
	}
	return KMV_EXIT_OK;
}
