/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "kmv/error.h"
#include "kmv/import.h"
#include "kmv/secret.h"
#include "kmv/vault.h"
#include "kmv/show.h"

static void load(kmv_test_vault *f)
{
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	const char *p = kmv_test_put(
		f, "o.csv",
		"订单号,订单金额,下单时间,订单状态,卡密\n"
		"N1,9.90,2024-01-01 00:00:00,已完成,ABCD-EFGH-IJKL\n"
		"N2,1.00,2024-01-02 00:00:00,待支付,\n");

	assert_int_equal(kmv_test_import(f, p, NULL, "shopA", &res), 0);
	kmv_import_results_dispose(&res);
	assert_int_equal(kmv_test_import(f, p, NULL, "shopB", &res), 0);
	kmv_import_results_dispose(&res);
	/* shopA's N1 and shopB's N1 linked by hand; a screenshot on N1. */
	kmv_fix_link(f->vault, 3, 1, "same number");
	assert_int_equal(kmv_fix_attach(f->vault, f->dir, "N1", "shot.png",
					"\x01\x02", 2),
			 1);
}

static void test_show__masked_by_default(void **state)
{
	kmv_test_vault *f = *state;
	kmv_show_result *res = NULL;

	load(f);
	assert_int_equal(kmv_show_lookup(&res, f->vault, "1", NULL), 0);
	assert_int_equal(res->matched, 1);
	assert_false(res->by_number);
	assert_string_equal(res->items[0].rec.order_no, "N1");
	assert_string_equal(res->items[0].rec.card_secret,
			    "ABCD\xE2\x80\xA6IJKL");
	assert_true(res->items[0].has_card_secret);
	assert_string_equal(res->items[0].source.name, "o.csv");
	assert_int_equal(res->items[0].source.line, 2);
	assert_int_equal(res->items[0].ntimeline, 1);
	assert_string_equal(res->items[0].timeline[0].state, "completed");
	/* A link is stored lower id first between two orders: 1 -> 3. */
	assert_int_equal(res->items[0].nlinks, 1);
	assert_true(res->items[0].links[0].outgoing);
	assert_int_equal(res->items[0].links[0].other_id, 3);
	assert_int_equal(res->items[0].nattachments, 1);
	assert_string_equal(res->items[0].attachments[0].name, "shot.png");
	/* Related: shopB's N1, the link's other side. */
	assert_int_equal(res->count, 2);
	assert_int_equal(res->items[1].rec.id, 3);
	assert_int_equal(res->items[1].nlinks, 1);
	assert_false(res->items[1].links[0].outgoing);
	assert_int_equal(res->items[1].links[0].other_id, 1);
	assert_int_equal(res->items[1].nattachments, 0);
	kmv_show_result_free(res);
}

static void test_show__order_no_lists_all_and_reveal(void **state)
{
	kmv_test_vault *f = *state;
	kmv_show_result *res = NULL;
	kmv_show_options o = KMV_SHOW_OPTIONS_INIT;

	load(f);
	o.reveal = true;
	assert_int_equal(kmv_show_lookup(&res, f->vault, "N1", &o), 0);
	assert_true(res->by_number);
	assert_int_equal(res->matched, 2);
	assert_string_equal(res->items[0].rec.card_secret, "ABCD-EFGH-IJKL");
	/* The lookup audited the reveal itself. */
	assert_int_equal(
		kmv_test_count(f, "SELECT count(*) FROM events WHERE action = "
				  "'reveal'"),
		2);
	kmv_show_result_free(res);
}

static void test_show__not_found(void **state)
{
	kmv_test_vault *f = *state;
	kmv_show_result *res = NULL;

	load(f);
	assert_int_equal(kmv_show_lookup(&res, f->vault, "999", NULL),
			 KMV_ENOTFOUND);
	assert_null(res);
	assert_int_equal(kmv_show_lookup(&res, f->vault, "nope", NULL),
			 KMV_ENOTFOUND);
	kmv_show_result_free(NULL);
}

/* One rule for "is it an id" (kmv/resolve.h): `#2` is record 2; `02`,
 * with its leading zero, is an order number, never record 2. */
static void test_show__id_rule_is_the_resolvers(void **state)
{
	kmv_test_vault *f = *state;
	kmv_show_result *res = NULL;
	kmv_import_results ir = KMV_IMPORT_RESULTS_INIT;
	const char *p;

	load(f);
	p = kmv_test_put(f, "z.csv",
			 "订单号,订单金额,下单时间,订单状态\n"
			 "02,5.00,2024-01-03 00:00:00,已完成\n");
	assert_int_equal(kmv_test_import(f, p, NULL, "shopC", &ir), 0);
	kmv_import_results_dispose(&ir);
	assert_int_equal(kmv_show_lookup(&res, f->vault, "#2", NULL), 0);
	assert_false(res->by_number);
	assert_string_equal(res->items[0].rec.order_no, "N2");
	kmv_show_result_free(res);
	assert_int_equal(kmv_show_lookup(&res, f->vault, "02", NULL), 0);
	assert_true(res->by_number);
	assert_int_equal(res->matched, 1);
	assert_string_equal(res->items[0].rec.order_no, "02");
	kmv_show_result_free(res);
	res = NULL;
	/* `#` names an id only: no fallback to a number. */
	assert_int_equal(kmv_show_lookup(&res, f->vault, "#99", NULL),
			 KMV_ENOTFOUND);
	assert_null(res);
}

/* The fields OCR was unsure of are read from the record's extra. */
static void test_show__unverified_fields(void **state)
{
	kmv_record rec = KMV_RECORD_INIT;

	(void)state;
	assert_false(kmv_show_unverified(&rec, "amount"));
	rec.extra_json = strdup(
		"{\"ocr_confidence\":{\"amount\":41,"
		"\"order_no\":93},\"unverified\":[\"amount\"]}");
	assert_non_null(rec.extra_json);
	assert_true(kmv_show_unverified(&rec, "amount"));
	assert_false(kmv_show_unverified(&rec, "order_no"));
	assert_false(kmv_show_unverified(&rec, "time"));
	free(rec.extra_json);
	rec.extra_json = strdup("{\"unverified\":\"amount\"}"); /* not a list */
	assert_false(kmv_show_unverified(&rec, "amount"));
	free(rec.extra_json);
	rec.extra_json = strdup("not json unverified");
	assert_false(kmv_show_unverified(&rec, "amount"));
	free(rec.extra_json);
}

struct lines {
	char text[1024];
};

static int add_line(const char *label, const char *value, void *payload)
{
	struct lines *l = payload;
	size_t n = strlen(l->text);

	snprintf(l->text + n, sizeof(l->text) - n, "%s=%s|", label, value);
	return 0;
}

/* show prints extra as words and values, never as raw JSON (issue 16.1). */
static void test_show__extra_as_words(void **state)
{
	kmv_record rec = KMV_RECORD_INIT;
	struct lines l = { "" };

	(void)state;
	assert_int_equal(kmv_show_extra_foreach(&rec, add_line, &l), 0);
	assert_string_equal(l.text, "");
	rec.extra_json = strdup(
		"{\"card_tails\":[\"0000\",\"1234\"],\"email\":\"a@b.cn\","
		"\"unverified\":[\"order_no\",\"amount\"],"
		"\"imported\":{\"platform\":null},\"rows\":3,\"new_key\":true,"
		"\"empty\":[]}");
	assert_int_equal(kmv_show_extra_foreach(&rec, add_line, &l), 0);
	assert_string_equal(l.text,
			    "card ends=0000, 1234|buyer contact=a@b.cn|"
			    "unverified (OCR unsure)=order number, amount|"
			    "as imported (before edits)=platform: (none)|"
			    "rows=3|new_key=yes|");
	free(rec.extra_json);
	rec.extra_json = strdup("not json");
	l.text[0] = '\0';
	assert_int_equal(kmv_show_extra_foreach(&rec, add_line, &l), 0);
	assert_string_equal(l.text, "");
	free(rec.extra_json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_show__unverified_fields),
		cmocka_unit_test(test_show__extra_as_words),
		cmocka_unit_test_setup_teardown(test_show__masked_by_default,
						kmv_test_vault_setup,
						kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_show__order_no_lists_all_and_reveal,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_show__id_rule_is_the_resolvers,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(test_show__not_found,
						kmv_test_vault_setup,
						kmv_test_vault_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
