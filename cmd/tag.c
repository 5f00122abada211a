/* SPDX-License-Identifier: MIT */
/* kmvault tag: add or remove a record's tags (audited). */
#include "cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kmv/edit.h"
#include "kmv/json.h"

static const char usage[] =
	"usage: kmvault tag ID|NUMBER +TAG|-TAG...\n"
	"\n"
	"Add (+TAG) or remove (-TAG) tags of a record; 'query --tag TAG' lists\n"
	"the records carrying one.  A tag is one word (no spaces or commas).\n"
	"Each call is one audit event; 'show' prints the changes.\n";

int cmd_tag(int argc, char **argv, kmv_cli *cli)
{
	kmv_vault *vault = NULL;
	const char **add = NULL, **del = NULL;
	size_t nadd = 0, ndel = 0;
	int64_t id;
	int ret, error, changed = 0, first = 1;

	/* No getopt: "-TAG" is an argument, not an option. */
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
			  strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return KMV_EXIT_OK;
	}
	if (argc >= 2 && strcmp(argv[1], "--") == 0)
		first = 2;
	if (argc - first < 2)
		return cli_error_usage("tag wants a record and +TAG or -TAG (see "
				       "'kmvault tag --help')");
	add = calloc((size_t)argc, sizeof(*add));
	del = calloc((size_t)argc, sizeof(*del));
	if (!add || !del) {
		ret = cli_error("out of memory");
		goto done;
	}
	for (int i = first + 1; i < argc; i++) {
		if (argv[i][0] == '+')
			add[nadd++] = argv[i] + 1;
		else if (argv[i][0] == '-')
			del[ndel++] = argv[i] + 1;
		else {
			ret = cli_error_usage("'%s': write +%s to add the tag or "
					      "-%s to remove it", argv[i], argv[i],
					      argv[i]);
			goto done;
		}
	}
	if ((ret = cli_vault(cli, &vault)) != 0)
		goto done;
	if ((ret = cli_resolve_record_flags(&id, vault, argv[first],
					    KMV_RESOLVE_INCLUDE_VOID)) != 0)
		goto done;
	error = kmv_record_tag(vault, id, add, nadd, del, ndel, cli_user(),
			       &changed);
	if (error < 0) {
		ret = cli_error_lib(error);
		goto done;
	}
	if (changed && (ret = cli_save(cli)) != 0)
		goto done;
	if (cli->json) {
		kmv_buf out = KMV_BUF_INIT;
		kmv_json j;

		kmv_json_init(&j, &out, false);
		kmv_json_object_begin(&j);
		kmv_json_kv_int(&j, "id", id);
		kmv_json_kv_int(&j, "changed", changed);
		kmv_json_object_end(&j);
		kmv_buf_putc(&out, '\n');
		cli_write(&out);
		kmv_buf_dispose(&out);
	} else {
		printf("record #%" PRId64 ": %d tag change%s\n", id, changed,
		       changed == 1 ? "" : "s");
	}
	ret = KMV_EXIT_OK;
done:
	free(add);
	free(del);
	return ret;
}
