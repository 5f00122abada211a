/* SPDX-License-Identifier: MIT */
/* kmvault tag: add or remove a record's tags (audited). */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kmv/edit.h"
#include "kmv/i18n.h"
#include "kmvutil/json.h"

/*
 * "-TAG" removes a tag but looks like an option, so the words are sorted
 * before cli_getopt sees them: "--NAME" words and, before the record,
 * "-X" words are options (so "--bogus" and "tag -x 42" are named as
 * unknown options, "-h" is help); after the record every "-TAG" is a
 * removal; after "--" every word is the record or a tag change.
 * Returns the number of option words put in opts[1..].
 */
static int split_words(int argc, char **argv, char **opts, const char **words,
		       int *nwords)
{
	int nopts = 1;
	bool literal = false;

	opts[0] = argv[0];
	*nwords = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!literal && strcmp(a, "--") == 0) {
			literal = true;
			continue;
		}
		if (!literal && a[0] == '-' && (a[1] == '-' || *nwords == 0))
			opts[nopts++] = argv[i];
		else
			words[(*nwords)++] = a;
	}
	opts[nopts] = NULL;
	return nopts;
}

int cmd_tag(int argc, char **argv, cli_state *cli)
{
	kmv_vault *vault = NULL;
	char **opts = NULL;
	const char **words = NULL, **add = NULL, **del = NULL;
	size_t nadd = 0, ndel = 0;
	int64_t id;
	int c, nopts, nwords, ret, error, changed = 0;

	opts = calloc((size_t)argc + 1, sizeof(*opts));
	words = calloc((size_t)argc, sizeof(*words));
	add = calloc((size_t)argc, sizeof(*add));
	del = calloc((size_t)argc, sizeof(*del));
	if (!opts || !words || !add || !del) {
		ret = cli_error(_("out of memory"));
		goto done;
	}
	nopts = split_words(argc, argv, opts, words, &nwords);
	while ((c = cli_getopt(nopts, opts, cli)) != -1) {
		ret = cli_opt_done(c, cli);
		goto done;
	}
	if (nwords < 2) {
		ret = cli_error_usage(
			_("tag wants a record and +TAG or -TAG (see "
			  "'kmvault help tag')"));
		goto done;
	}
	for (int i = 1; i < nwords; i++) {
		if (words[i][0] == '+')
			add[nadd++] = words[i] + 1;
		else if (words[i][0] == '-')
			del[ndel++] = words[i] + 1;
		else {
			ret = cli_error_usage(
				_("'%s': write +%s to add the tag or "
				  "-%s to remove it"),
				words[i], words[i], words[i]);
			goto done;
		}
	}
	if ((ret = cli_vault(cli, &vault)) != 0)
		goto done;
	if ((ret = cli_resolve_record_flags(&id, vault, words[0],
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
		cli_result r;
		kmv_json *j = cli_result_begin(&r);

		kmv_json_kv_int(j, "id", id);
		kmv_json_kv_int(j, "changed", changed);
		ret = cli_result_print(&r);
	} else {
		cli_note(cli,
			 P_("record #%" PRId64 ": %d tag change",
			    "record #%" PRId64 ": %d tag changes", changed),
			 id, changed);
	}
	ret = KMV_EXIT_OK;
done:
	free(opts);
	free(words);
	free(add);
	free(del);
	return ret;
}
