/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "evidence/bag.h"
#include "kmvutil/file.h"
#include "kmv/init.h"

/*
 * RFC 3161: our query answered by a local `openssl ts` TSA (made by
 * tests/cli/tsa.sh, no network), checked by our verifier.
 */

static char *dir;

static int setup(void **state)
{
	char cmd[4400];

	(void)state;
	assert_int_equal(kmv_global_init(), 0);
	dir = kmv_test_tmpdir();
	snprintf(cmd, sizeof(cmd),
		 ". '%s/tests/cli/tsa.sh' && tsa_setup '%s/tsa'",
		 KMV_SAMPLES_DIR "/..", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kmv_test_rmdir(dir);
	free(dir);
	return 0;
}

static unsigned char *answer(const kmv_buf *tsq, size_t *len)
{
	char q[4300], r[4300], cmd[9000];

	snprintf(q, sizeof(q), "%s/q.tsq", dir);
	snprintf(r, sizeof(r), "%s/r.tsr", dir);
	assert_int_equal(kmv_file_write(q, tsq->ptr, tsq->size, true), 0);
	snprintf(cmd, sizeof(cmd),
		 ". '%s/tests/cli/tsa.sh' && "
		 "tsa_reply '%s/tsa' '%s' '%s'",
		 KMV_SAMPLES_DIR "/..", dir, q, r);
	assert_int_equal(system(cmd), 0);
	return kmv_test_slurp(r, len);
}

static void test_tsa__reply_checks(void **state)
{
	static const char data[] = "the tag manifest\n";
	kmv_buf tsq = KMV_BUF_INIT, when = KMV_BUF_INIT, other = KMV_BUF_INIT;
	unsigned char *tsr;
	size_t len;
	char ca[4300];

	(void)state;
	assert_int_equal(kmv_tsa__query(&tsq, data, strlen(data)), 0);
	tsr = answer(&tsq, &len);
	assert_non_null(tsr);
	assert_true(len > 100);
	/* signature against the embedded certificate */
	assert_int_equal(kmv_tsa__check(&when, tsq.ptr, tsq.size, tsr, len,
					data, strlen(data), NULL),
			 0);
	assert_int_equal(strlen(when.ptr), 20);
	/* and the chain, with the CA */
	snprintf(ca, sizeof(ca), "%s/tsa/ca.pem", dir);
	assert_int_equal(kmv_tsa__check(NULL, tsq.ptr, tsq.size, tsr, len, data,
					strlen(data), ca),
			 0);
	/* other data: the query is not about it */
	assert_int_equal(kmv_tsa__check(NULL, tsq.ptr, tsq.size, tsr, len,
					"other", 5, NULL),
			 KMV_EINPUT);
	/* a reply to another query (other nonce, other imprint) */
	assert_int_equal(kmv_tsa__query(&other, data, strlen(data)), 0);
	assert_int_equal(kmv_tsa__check(NULL, other.ptr, other.size, tsr, len,
					data, strlen(data), NULL),
			 KMV_EINPUT);
	/* a flipped byte in the signed token */
	tsr[len - 40] ^= 1;
	assert_int_equal(kmv_tsa__check(NULL, tsq.ptr, tsq.size, tsr, len, data,
					strlen(data), NULL),
			 KMV_EINPUT);
	/* garbage */
	assert_int_equal(kmv_tsa__check(NULL, tsq.ptr, tsq.size, "xx", 2, data,
					strlen(data), NULL),
			 KMV_EINPUT);
	free(tsr);
	kmv_buf_dispose(&tsq);
	kmv_buf_dispose(&other);
	kmv_buf_dispose(&when);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tsa__reply_checks, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
