/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmv/error.h"
#include "kmv/import.h"
#include "kmv/secret.h"
#include "kmv/vault.h"
#include "store/vault.h"

#include "import/import.h"

static const char gb_mail[] =
	"From: =?big5?b?tPq41bDTqbE=?= <s@tw.example>\n"
	"Subject: =?big5?b?tPq41bDTqbE=?= receipt\n"
	"Date: Sat, 06 Apr 2024 10:00:00 +0800\n"
	"Message-ID: <gb-1@tw.example>\n"
	"MIME-Version: 1.0\n"
	"Content-Type: multipart/mixed; boundary=\"B\"\n\n"
	"--B\n"
	"Content-Type: text/plain; charset=GBK\n"
	"Content-Transfer-Encoding: quoted-printable\n\n"
	"=B6=A9=B5=A5=B1=E0=BA=C5=A3=BAGB123456\n"
	"=CA=B5=B8=B6=BD=F0=B6=EE=A3=BA=A3=A48.80\n"
	"=C9=CC=C6=B7=C3=FB=B3=C6=A3=BA=B7=B1=F3w=9Cy=D4=87\n"
	"--B\n"
	"Content-Type: application/octet-stream; name=\"a.bin\"\n"
	"Content-Disposition: attachment; filename=\"a.bin\"\n"
	"Content-Transfer-Encoding: base64\n\n"
	"5Y2h5a+G77yaCkJJRy1DQVJELTAwMDAwMQo=\n"
	"--B--\n";

static void test_mail__sniff(void **state)
{
	const char *yes[] = {
		"From: a@b\nTo: c@d\n\nbody",
		"Received: x\n y\nSubject: s\r\n\r\n",
		"From MAILER-DAEMON Thu Apr  4 08:00:00 2024\nFrom: a@b\nDate: x\n\nb",
	};
	const char *no[] = {
		"订单号,金额\n1,2\n",
		"From: a@b\n",
		"X-Only: 1\n\n",
		"just text\n\n",
		"From: a@b\nnot a header\n\n",
		"",
		" folded: first\nFrom: a\n\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(kmv_mail__sniff((const uint8_t *)yes[i],
					    strlen(yes[i])));
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(
			kmv_mail__sniff((const uint8_t *)no[i], strlen(no[i])));
}

static void test_mail__gbk_qp_big5_subject_attachment(void **state)
{
	kmv_test_vault *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	kmv_import_options o = KMV_IMPORT_OPTIONS_INIT;
	const char *paths[1];

	paths[0] = kmv_test_put(f, "m.eml", gb_mail);
	assert_int_equal(kmv_import_files(&res, f->vault, paths, 1, &o), 0);
	assert_string_equal(res.items[0].kind, "email");
	assert_int_equal(res.items[0].added, 1);
	kmv_import_results_dispose(&res);
	assert_int_equal(
		kmv_test_count(
			f, "SELECT amount FROM records WHERE order_no = "
			   "'GB123456' AND product = '繁體測試' AND memo = "
			   "'測試商店 receipt' AND kind = 'receipt' AND "
			   "dedup_key = '<gb-1@tw.example>' AND card_secret "
			   "IS NULL AND time = '2024-04-06T10:00:00+08:00'"),
		880);
	/* Again: idempotent by Message-ID. */
	assert_int_equal(kmv_import_files(&res, f->vault, paths, 1, &o), 0);
	assert_int_equal(res.items[0].added, 0);
	assert_int_equal(res.items[0].duplicates, 1);
	kmv_import_results_dispose(&res);
}

static void test_mail__no_message_id_hashes_and_unrecognized(void **state)
{
	kmv_test_vault *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	kmv_import_options o = KMV_IMPORT_OPTIONS_INIT;
	const char *paths[2];

	paths[0] = kmv_test_put(f, "a.eml",
				"From: a@b\nSubject: hi\n\n订单号: NOID12345\n"
				"金额: 3.00元\n");
	paths[1] = kmv_test_put(f, "b.eml",
				"From: a@b\nSubject: hi\n\nnothing\n");
	assert_int_equal(kmv_import_files(&res, f->vault, paths, 2, &o), 0);
	assert_int_equal(res.items[0].added, 1);
	assert_int_equal(res.items[1].unrecognized, 1);
	assert_int_equal(res.items[1].added, 0);
	kmv_import_results_dispose(&res);
	assert_int_equal(
		kmv_test_count(f,
			       "SELECT count(*) FROM records WHERE dedup_key "
			       "LIKE 'sha256:%' AND amount = 300 AND platform "
			       "= 'b'"),
		1);
	assert_int_equal(
		kmv_test_count(f, "SELECT count(*) FROM sources WHERE kind = "
				  "'email'"),
		2);
}

static void test_mail__forced_non_mail_rejected(void **state)
{
	kmv_test_vault *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	kmv_import_options o = KMV_IMPORT_OPTIONS_INIT;
	const char *paths[1];

	o.kind = KMV_IMPORT_EMAIL;
	paths[0] = kmv_test_put(f, "n.txt", "not mail\n");
	assert_int_equal(kmv_import_files(&res, f->vault, paths, 1, &o),
			 KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(), "not an e-mail message"));
	kmv_import_results_dispose(&res);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM sources"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mail__sniff),
		cmocka_unit_test_setup_teardown(
			test_mail__gbk_qp_big5_subject_attachment,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_mail__no_message_id_hashes_and_unrecognized,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_mail__forced_non_mail_rejected,
			kmv_test_vault_setup, kmv_test_vault_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
