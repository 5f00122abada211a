/* SPDX-License-Identifier: MIT */
/*
 * kmvault attach: keep screenshots, chat exports and rules pages in the
 * vault as evidence for an order or a case.  All files of one call go in
 * together or not at all (the vault is saved only when every one worked).
 */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "kmv/evidence.h"
#include "kmvutil/json.h"

int cmd_attach(int argc, char **argv, cli_state *cli)
{
	const char *note = NULL;
	kmv_vault *vault = NULL;
	kmv_attach_result *res = NULL;
	kmv_buf out = KMV_BUF_INIT;
	kmv_json j;
	int c, ret, error = 0, nfiles;
	int added = 0;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'n': note = optarg; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (argc - optind < 2)
		return cli_error_usage(
			"attach needs ORDER_NO|CASE_ID and at least one FILE");
	nfiles = argc - optind - 1;
	if (!(res = calloc((size_t)nfiles, sizeof(*res))))
		return cli_error("out of memory");
	if ((ret = cli_vault(cli, &vault)) != 0)
		goto done;
	for (int i = 0; i < nfiles; i++) {
		error = kmv_attach_add(&res[i], vault, argv[optind],
				       argv[optind + 1 + i], note);
		if (error < 0) {
			ret = cli_error_lib(error);
			cli_error("nothing was attached");
			goto done;
		}
		if (!res[i].duplicate)
			added++;
	}
	if (added && (ret = cli_save(cli)) != 0)
		goto done;
	if (cli->json) {
		kmv_json_init(&j, &out, false);
		kmv_json_array_begin(&j);
		for (int i = 0; i < nfiles; i++) {
			kmv_json_object_begin(&j);
			kmv_json_kv_int(&j, "id", res[i].id);
			kmv_json_kv_string(&j, "file", argv[optind + 1 + i]);
			kmv_json_kv_string(&j, "mime", res[i].mime);
			kmv_json_kv_string(&j, "sha256", res[i].sha256);
			kmv_json_kv_int(&j, "size", res[i].size);
			kmv_json_kv_bool(&j, "duplicate", res[i].duplicate);
			kmv_json_object_end(&j);
		}
		kmv_json_array_end(&j);
		kmv_buf_putc(&out, '\n');
		cli_write(&out);
	} else {
		for (int i = 0; i < nfiles; i++)
			cli_note(cli,
				 res[i].duplicate
					 ? N_("already kept as attachment %lld: "
					      "%s (%s, %lld bytes, sha256 "
					      "%.16s…)")
					 : N_("added attachment %lld: %s (%s, "
					      "%lld bytes, sha256 %.16s…)"),
				 (long long)res[i].id, argv[optind + 1 + i],
				 res[i].mime, (long long)res[i].size,
				 res[i].sha256);
	}
	ret = KMV_EXIT_OK;
done:
	free(res);
	kmv_buf_dispose(&out);
	return ret;
}
