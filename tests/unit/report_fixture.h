/* SPDX-License-Identifier: MIT */
#ifndef KMV_TEST_REPORT_FIXTURE_H
#define KMV_TEST_REPORT_FIXTURE_H

/*
 * The report and evidence tests' vault: testutil.h's kmv_test_vault
 * filled with fixture.h's report vault (kmv_fix_report_vault, where its
 * rows and expected totals are described), as cmocka setup/teardown.
 */
#include "testutil.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "kmv/match.h"
#include "kmv/secret.h"
#include "kmvutil/hash.h"
#include "kmvutil/compress.h"
#include "kmv/vault.h"
#include "store/vault.h"

/* Create + open (write) a vault with the fixture rows. */
static inline int fix_setup(void **state)
{
	if (kmv_test_vault_setup(state) < 0)
		return -1;
	kmv_fix_report_vault(((kmv_test_vault *)*state)->vault, true);
	return 0;
}

/* The same before match ran: no links. */
static inline int fix_setup_unmatched(void **state)
{
	if (kmv_test_vault_setup(state) < 0)
		return -1;
	kmv_fix_report_vault(((kmv_test_vault *)*state)->vault, false);
	return 0;
}

static inline int fix_teardown(void **state)
{
	return kmv_test_vault_teardown(state);
}

#endif
