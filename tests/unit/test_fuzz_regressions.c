/* SPDX-License-Identifier: MIT */
/*
 * Every input a fuzz target ever crashed on (tests/data/fuzz-regressions/,
 * named <area>-<what>.bin) replayed through the same code, in a heap copy of
 * exactly its length so the ASan build catches any overread.  Areas: mail,
 * statement, xlsx, profile, evidence.
 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "import/import.h"
#include "import/profile.h"
#include "import/readers.h"
#include "import/rules.h"
#include "kmv/evidence.h"
#include "kmv/import.h"
#include "kmv/init.h"
#include "store/vault.h"
#include "store/schema.h"

static struct kmv_vault vault;

static int ignore_row(const kmv_row *row, void *payload)
{
	(void)row;
	(void)payload;
	return 0;
}

static void import_as(const char *path, kmv_import_kind kind,
		      const char *profile)
{
	kmv_import_options opts = KMV_IMPORT_OPTIONS_INIT;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	const char *paths[1] = { path };

	opts.kind = kind;
	opts.profile = profile;
	opts.platform = profile ? "fuzz" : NULL;
	opts.zip_password = "secret";
	kmv_import_files(&res, &vault, paths, 1, &opts);
	kmv_import_results_dispose(&res);
}

static void replay(const char *path, const char *name)
{
	size_t len = 0;
	unsigned char *file = kmv_test_slurp(path, &len);
	char *exact = malloc(len ? len : 1);

	assert_non_null(file);
	memcpy(exact, file, len);
	if (strncmp(name, "mail-", 5) == 0) {
		kmv_buf text = KMV_BUF_INIT;

		kmv_page__html_text(&text, NULL, exact, len, "UTF-8");
		kmv_buf_dispose(&text);
		import_as(path, KMV_IMPORT_EMAIL, NULL);
	} else if (strncmp(name, "statement-", 10) == 0) {
		import_as(path, KMV_IMPORT_AUTO, NULL);
	} else if (strncmp(name, "xlsx-", 5) == 0) {
		kmv_xlsx__read((const uint8_t *)exact, len, NULL, name,
			       ignore_row, NULL);
	} else if (strncmp(name, "profile-", 8) == 0) {
		import_as(path, KMV_IMPORT_ORDERS, "generic");
	} else if (strncmp(name, "evidence-", 9) == 0) {
		kmv_evidence_verify_result res = KMV_EVIDENCE_VERIFY_RESULT_INIT;

		kmv_evidence_verify(&res, path, NULL, NULL);
		kmv_evidence_verify_result_dispose(&res);
	}
	free(exact);
	free(file);
}

static void test_fuzz_regressions__replay_all(void **state)
{
	char dir[4096];
	DIR *d;
	struct dirent *e;
	int n = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/fuzz-regressions", KMV_TEST_DATA);
	d = opendir(dir);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[8192];

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		replay(path, e->d_name);
		n++;
	}
	closedir(d);
	assert_true(n > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fuzz_regressions__replay_all),
	};
	int rc;

	kmv_global_init();
	vault.lock_fd = -1;
	vault.command = strdup("test");
	vault.path = strdup("test.kmv");
	sqlite3_open(":memory:", &vault.db);
	kmv_schema__apply(vault.db);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	sqlite3_close(vault.db);
	free(vault.command);
	free(vault.path);
	return rc;
}
