/* SPDX-License-Identifier: MIT */
/*
 * test_helper: what the scenario tests need that the CLI does not offer,
 * one subcommand per job (git's t/helper/test-tool habit), so no unit-test
 * binary grows a hidden mode.
 *
 * Adding a subcommand: write `static int helper_<name>(int argc, char
 * **argv)` (argv[0] is the subcommand; return 0 on success, print why on
 * stderr otherwise) and add a row to `helpers` below (alphabetical).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "kmv/error.h"
#include "kmv/secret.h"
#include "kmv/vault.h"
#include "kmv/init.h"

/*
 * fill-vault PATH: put the report/evidence fixture rows
 * (kmv_fix_report_vault, tests/unit/fixture.h) into the existing vault PATH, unlocked
 * with the passphrase of $KMVAULT_PASSPHRASE_FILE.
 */
static int helper_fill_vault(int argc, char **argv)
{
	kmv_vault_open_options oopts = KMV_VAULT_OPEN_OPTIONS_INIT;
	kmv_vault *v = NULL;
	kmv_secret *pass = NULL;
	unsigned char *pw = NULL;
	size_t len;
	const char *pf = getenv("KMVAULT_PASSPHRASE_FILE");
	int ret = 1;

	if (argc != 2) {
		fputs("usage: test_helper fill-vault PATH\n", stderr);
		return 2;
	}
	if (kmv_global_init() < 0 || !pf || !(pw = kmv_test_slurp(pf, &len))) {
		fputs("test_helper: no passphrase (KMVAULT_PASSPHRASE_FILE)\n",
		      stderr);
		goto done;
	}
	while (len && (pw[len - 1] == '\n' || pw[len - 1] == '\r'))
		len--;
	if (kmv_secret_new(&pass, pw, len) < 0)
		goto done;
	oopts.write = true;
	oopts.command = "test-fixture";
	if (kmv_vault_open(&v, argv[1], KMV_UNLOCK_PASSPHRASE, pass, &oopts) <
	    0) {
		fprintf(stderr, "test_helper: cannot open %s: %s\n", argv[1],
			kmv_error_last());
		goto done;
	}
	kmv_fix_report_vault(v, true);
	if (kmv_vault_save(v) < 0) {
		fprintf(stderr, "test_helper: cannot save %s: %s\n", argv[1],
			kmv_error_last());
		goto done;
	}
	ret = 0;
done:
	kmv_vault_free(v);
	kmv_secret_free(pass);
	free(pw);
	return ret;
}

static const struct helper {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *synopsis;
} helpers[] = {
	{ "fill-vault", helper_fill_vault,
	  "PATH  the report/evidence fixture rows" },
};

int main(int argc, char **argv)
{
	for (size_t i = 0;
	     argc >= 2 && i < sizeof(helpers) / sizeof(helpers[0]); i++) {
		if (strcmp(argv[1], helpers[i].name) == 0)
			return helpers[i].fn(argc - 1, argv + 1);
	}
	fputs("usage: test_helper SUBCOMMAND [ARGS]\n", stderr);
	for (size_t i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++)
		fprintf(stderr, "  %s %s\n", helpers[i].name,
			helpers[i].synopsis);
	return 2;
}
