/* SPDX-License-Identifier: MIT */
/* The record resolver and the corrections (kmv/resolve.h, kmv/edit.h). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "kmv/edit.h"
#include "kmv/import.h"
#include "kmv/resolve.h"
#include "kmv/vault.h"

static const char orders[] =
	"订单号,商品名称,订单金额,下单时间,订单状态,店铺\n"
	"KM1,月卡,25.00,2024-01-02 03:04:05,已完成,示例卡盟\n"
	"KM2,季卡,60.00,2024-01-03 03:04:05,已完成,示例卡盟\n"
	"123456789012345678,年卡,99.00,2024-01-04 03:04:05,已完成,示例卡盟\n";

static void load(kmv_test_vault *f)
{
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;

	assert_int_equal(kmv_test_import(f, kmv_test_put(f, "o.csv", orders),
					 NULL, NULL, &res),
			 0);
	kmv_import_results_dispose(&res);
	assert_int_equal(kmv_test_import(f, kmv_test_put(f, "o2.csv", orders),
					 NULL, "另一家", &res),
			 0);
	kmv_import_results_dispose(&res);
}

static void test_resolve__one_rule_for_ids(void **state)
{
	(void)state;
	assert_true(kmv_record_text_is_id("42"));
	assert_true(kmv_record_text_is_id("#42"));
	assert_false(kmv_record_text_is_id("042"));
	assert_false(kmv_record_text_is_id("1234567890123456"));
	assert_false(kmv_record_text_is_id("KM1"));
	assert_false(kmv_record_text_is_id(""));
	assert_false(kmv_record_text_is_id("#"));
}

static void test_resolve__numbers_ids_and_ambiguity(void **state)
{
	kmv_test_vault *f = *state;
	int64_t id = 0;

	load(f);
	assert_int_equal(kmv_record_resolve(f->vault, "2", 0, &id), 0);
	assert_int_equal(id, 2);
	assert_int_equal(kmv_record_resolve(f->vault, "#3", 0, &id), 0);
	assert_int_equal(id, 3);
	assert_int_equal(kmv_record_resolve(f->vault, "#99", 0, &id),
			 KMV_ENOTFOUND);
	/* Two shops' KM1: one error listing both. */
	assert_int_equal(kmv_record_resolve(f->vault, "KM1", 0, &id),
			 KMV_EAMBIGUOUS);
	assert_non_null(
		strstr(kmv_error_last(),
		       "'KM1' names 2 records "
		       "(#1 order 25.00, #4 order 25.00): give the id"));
	/* A long number is never an id. */
	assert_int_equal(kmv_record_resolve(f->vault, "123456789012345678", 0,
					    &id),
			 KMV_EAMBIGUOUS);
	assert_int_equal(kmv_record_resolve(f->vault, "nope", 0, &id),
			 KMV_ENOTFOUND);
}

static void test_resolve__order_records_and_void(void **state)
{
	kmv_test_vault *f = *state;
	kmv_record_ids ids = KMV_RECORD_IDS_INIT;
	int64_t id = 0;
	int changed = 0;

	load(f);
	assert_int_equal(kmv_order_records(f->vault, "KM2", &ids), 0);
	assert_int_equal(ids.n, 2);
	assert_int_equal(ids.v[0], 2);
	assert_int_equal(ids.v[1], 5);
	/* Voided: left out of lookups unless asked for. */
	ids.n = 1;
	ids.v[0] = 5;
	assert_int_equal(kmv_record_void(f->vault, &ids, false, "test", 0, "me",
					 &changed),
			 0);
	assert_int_equal(changed, 1);
	assert_int_equal(kmv_record_resolve(f->vault, "KM2", 0, &id), 0);
	assert_int_equal(id, 2);
	assert_int_equal(kmv_record_resolve(f->vault, "5", 0, &id),
			 KMV_ENOTFOUND);
	assert_int_equal(kmv_record_resolve(f->vault, "5",
					    KMV_RESOLVE_INCLUDE_VOID, &id),
			 0);
	assert_int_equal(kmv_order_records(f->vault, "KM2", &ids), 0);
	assert_int_equal(ids.n, 1);
	assert_int_equal(kmv_record_void(f->vault, &ids, false, NULL, 0, NULL,
					 &changed),
			 0);
	assert_int_equal(kmv_order_records(f->vault, "KM2", &ids),
			 KMV_ENOTFOUND);
	ids.n = 2;
	ids.v[0] = 2;
	ids.v[1] = 5;
	assert_int_equal(kmv_record_void(f->vault, &ids, true, NULL, 0, NULL,
					 &changed),
			 0);
	assert_int_equal(changed, 2);
	kmv_record_ids_dispose(&ids);
}

/* An ORDER_NO argument (attach, case, member): never an id, never ambiguous. */
static void test_resolve__order_argument(void **state)
{
	kmv_test_vault *f = *state;
	int64_t id = 0;

	load(f);
	/* Two shops' KM1: the first order, not an ambiguity. */
	assert_int_equal(kmv_order_resolve(f->vault, "KM1", &id), 0);
	assert_int_equal(id, 1);
	/* "2" names no order, although record 2 exists. */
	assert_int_equal(kmv_order_resolve(f->vault, "2", &id), KMV_ENOTFOUND);
	assert_non_null(strstr(kmv_error_last(), "no order '2' in the vault"));
	assert_int_equal(kmv_order_resolve(f->vault, "123456789012345678", &id),
			 0);
	assert_int_equal(id, 3);
}

struct hist {
	char text[1024];
};

static int on_entry(const kmv_history_entry *e, void *payload)
{
	struct hist *h = payload;
	size_t n = strlen(h->text);

	snprintf(h->text + n, sizeof(h->text) - n, "%s %s %s %s>%s|", e->who,
		 e->action, e->field ? e->field : "-",
		 e->old_value ? e->old_value : "-",
		 e->new_value ? e->new_value : "-");
	return 0;
}

static void test_edit__fields_tags_history_and_audit(void **state)
{
	kmv_test_vault *f = *state;
	kmv_edit_fields e = KMV_EDIT_FIELDS_INIT;
	kmv_record_ids ids = KMV_RECORD_IDS_INIT;
	const char *add[] = { "争议", "b" }, *del[] = { "b" };
	struct hist h = { "" };
	int64_t events = 0, before = 0;
	int changed = -1;

	load(f);
	assert_int_equal(kmv_vault_check(f->vault, &before), 0);
	assert_int_equal(kmv_record_edit(f->vault, 1, &e, "me", &changed),
			 KMV_EUSAGE);
	e.platform = "新名字";
	e.note = "笔记";
	assert_int_equal(kmv_record_edit(f->vault, 99, &e, "me", &changed),
			 KMV_ENOTFOUND);
	assert_int_equal(kmv_record_edit(f->vault, 1, &e, "me", &changed), 0);
	assert_int_equal(changed, 2);
	assert_int_equal(
		kmv_test_count(
			f,
			"SELECT count(*) FROM records WHERE id"
			" = 1 AND platform = '新名字' AND json_extract(extra,"
			" '$.imported.platform') = '示例卡盟' AND json_extract(extra,"
			" '$.note') = '笔记'"),
		1);
	/* The same again: nothing changed, no event. */
	assert_int_equal(kmv_record_edit(f->vault, 1, &e, "me", &changed), 0);
	assert_int_equal(changed, 0);
	e.note = "bad\x01";
	assert_int_equal(kmv_record_edit(f->vault, 1, &e, "me", &changed),
			 KMV_EUSAGE);
	assert_int_equal(kmv_record_tag(f->vault, 1, add, 2, NULL, 0, "me",
					&changed),
			 0);
	assert_int_equal(changed, 2);
	assert_int_equal(kmv_record_tag(f->vault, 1, NULL, 0, del, 1, "me",
					&changed),
			 0);
	assert_int_equal(
		kmv_test_count(
			f,
			"SELECT count(*) FROM records WHERE id"
			" = 1 AND json_extract(extra, '$.tags') = '[\"争议\"]'"),
		1);
	add[0] = "a b";
	assert_int_equal(kmv_record_tag(f->vault, 1, add, 1, NULL, 0, "me",
					&changed),
			 KMV_EUSAGE);
	ids.v = calloc(1, sizeof(*ids.v));
	ids.v[0] = 1;
	ids.n = ids.cap = 1;
	assert_int_equal(kmv_record_void(f->vault, &ids, false, "原因", 0, "me",
					 &changed),
			 0);
	assert_int_equal(kmv_record_history(f->vault, 1, on_entry, &h), 0);
	assert_string_equal(
		h.text,
		"me edit platform 示例卡盟>新名字|me edit note ->笔记|"
		"me tag tags ->b, 争议|me tag tags b, 争议>争议|me void - ->原因|");
	/* One event per call, and the chain still verifies. */
	assert_int_equal(kmv_vault_check(f->vault, &events), 0);
	assert_int_equal(events - before, 4);
	kmv_record_ids_dispose(&ids);
}

static void test_edit__source_records(void **state)
{
	kmv_test_vault *f = *state;
	kmv_record_ids ids = KMV_RECORD_IDS_INIT;

	load(f);
	/* o.csv and o2.csv have the same bytes: one source, both platforms. */
	assert_int_equal(kmv_source_records(f->vault, 1, &ids), 0);
	assert_int_equal(ids.n, 6);
	assert_int_equal(kmv_source_records(f->vault, 9, &ids), KMV_ENOTFOUND);
	kmv_record_ids_dispose(&ids);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve__one_rule_for_ids),
		cmocka_unit_test_setup_teardown(test_resolve__order_argument,
						kmv_test_vault_setup,
						kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_resolve__numbers_ids_and_ambiguity,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_resolve__order_records_and_void,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_edit__fields_tags_history_and_audit,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(test_edit__source_records,
						kmv_test_vault_setup,
						kmv_test_vault_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
