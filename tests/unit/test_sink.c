/* SPDX-License-Identifier: MIT */
/* The import sink (lib/import/sink.h): what importers may do. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "fixture.h"
#include "import/session.h"
#include "kmv/import.h"
#include "kmv/vault.h"

struct warned {
	char text[512];
	int n;
};

static void on_warn(const char *file, int64_t line, const char *msg,
		    void *payload)
{
	struct warned *w = payload;

	snprintf(w->text, sizeof(w->text), "%s:%lld: %s", file, (long long)line,
		 msg);
	w->n++;
}

static void order(kmv_record *r, const char *key, const char *no,
		  const char *status)
{
	memset(r, 0, sizeof(*r));
	r->kind = KMV_KIND_ORDER;
	r->source_kind = (char *)"orders";
	r->dedup_key = (char *)key;
	r->order_no = (char *)no;
	r->status = (char *)status;
	r->has_amount = true;
	r->amount = 2500;
}

static void test_sink__records_sources_and_counts(void **state)
{
	kmv_test_vault *f = *state;
	kmv_import_result line;
	kmv_import_ctx *ctx = NULL;
	kmv_record r;
	int64_t src = 0, again = 0, member = 0, id1 = 0, id2 = 0;

	memset(&line, 0, sizeof(line));
	assert_int_equal(kmv_session__begin(&ctx, f->vault, NULL, NULL), 0);
	ctx->result = &line;
	/* One source per content and parent. */
	assert_int_equal(kmv_sink__add_source(&src, ctx, "unknown", "a.csv",
					      "x,y\n", 4, 0),
			 0);
	assert_int_equal(kmv_sink__add_source(&again, ctx, "unknown", "b.csv",
					      "x,y\n", 4, 0),
			 0);
	assert_int_equal(again, src);
	assert_int_equal(kmv_sink__add_source(&member, ctx, "unknown", "a.csv",
					      "x,y\n", 4, src),
			 0);
	assert_true(member != src);
	assert_int_equal(kmv_sink__set_source_info(ctx, src, "orders", 2,
						   "{\"k\":1}"),
			 0);
	/* A record, its duplicate, and what the line counts. */
	order(&r, "o1", "KM1", "paid");
	assert_int_equal(kmv_sink__add_record(&id1, ctx, &r), 0);
	order(&r, "o1", "KM1", "paid");
	assert_int_equal(kmv_sink__add_record(&id2, ctx, &r), KMV_EEXISTS);
	assert_int_equal(id2, id1);
	kmv_sink__count_duplicate(ctx);
	kmv_sink__count_update(ctx);
	kmv_sink__count_unrecognized(ctx);
	assert_int_equal(line.rows, 4);
	assert_int_equal(line.added, 1);
	assert_int_equal(line.duplicates, 1);
	assert_int_equal(line.updated, 1);
	assert_int_equal(line.unrecognized, 1);
	/* A record without its key is the importer's bug, not input. */
	order(&r, NULL, "KM2", "paid");
	assert_int_equal(kmv_sink__add_record(&id2, ctx, &r), KMV_ERROR);
	/* Kind and detail: the first wins; add_detail appends per file. */
	assert_int_equal(kmv_sink__set_kind(ctx, "orders"), 0);
	assert_int_equal(kmv_sink__set_kind(ctx, "zip"), 0);
	assert_string_equal(line.kind, "orders");
	assert_int_equal(kmv_sink__set_detail(ctx, "first"), 0);
	assert_int_equal(kmv_sink__set_detail(ctx, "second"), 0);
	assert_string_equal(line.detail, "first");
	assert_int_equal(kmv_sink__add_detail(ctx, "b.csv", "more"), 0);
	assert_string_equal(line.detail, "first; b.csv: more");
	ctx->result = NULL;
	assert_int_equal(kmv_session__end(ctx, 0), 0);
	free(line.kind);
	free(line.detail);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records"), 1);
	assert_int_equal(kmv_test_count(f, "SELECT rows FROM sources WHERE "
					   "kind = 'orders' AND "
					   "json_extract(meta, '$.k') = 1"),
			 2);
	/* The session writes no audit event of its own. */
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM events "
					   "WHERE action = 'import'"),
			 0);
}

static void test_sink__failure_rolls_back(void **state)
{
	kmv_test_vault *f = *state;
	kmv_import_ctx *ctx = NULL;
	kmv_record r;
	int64_t id = 0;

	assert_int_equal(kmv_session__begin(&ctx, f->vault, NULL, NULL), 0);
	order(&r, "o9", "KM9", "paid");
	assert_int_equal(kmv_batch__queue_record(ctx, &r), 0);
	order(&r, "o8", "KM8", "paid");
	assert_int_equal(kmv_sink__add_record(&id, ctx, &r), 0);
	assert_int_equal(kmv_session__end(ctx, KMV_EINPUT), KMV_EINPUT);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records"), 0);
	/* Queued records are stored at the end of a good session. */
	assert_int_equal(kmv_session__begin(&ctx, f->vault, NULL, NULL), 0);
	order(&r, "o9", "KM9", "paid");
	assert_int_equal(kmv_batch__queue_record(ctx, &r), 0);
	assert_int_equal(kmv_session__end(ctx, 0), 0);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records"), 1);
}

static void test_sink__messages(void **state)
{
	kmv_test_vault *f = *state;
	kmv_import_options o = KMV_IMPORT_OPTIONS_INIT;
	kmv_import_file file = { "a.zip:b.csv", "b.csv", NULL, 0, 0, NULL };
	kmv_import_ctx *ctx = NULL;
	struct warned w = { "", 0 };

	o.warn = on_warn;
	o.payload = &w;
	o.platform = "示例卡盟";
	assert_int_equal(kmv_session__begin(&ctx, f->vault, &o, NULL), 0);
	assert_string_equal(kmv_sink__options(ctx)->platform, "示例卡盟");
	assert_int_equal(kmv_sink__reject(&file, 7, "bad %s", "cell"),
			 KMV_EINPUT);
	assert_string_equal(kmv_error_last(), "a.zip:b.csv:7: bad cell");
	assert_int_equal(kmv_sink__reject(&file, 0, "empty"), KMV_EINPUT);
	assert_string_equal(kmv_error_last(), "a.zip:b.csv: empty");
	kmv_sink__warn(ctx, &file, 3, "odd %d", 5);
	assert_int_equal(w.n, 1);
	assert_string_equal(w.text, "a.zip:b.csv:3: odd 5");
	/* "Not ours" only counts at the top level (a ZIP member stays an
	 * error). */
	assert_int_equal(kmv_sink__depth(ctx), 0);
	kmv_sink__unrecognized(ctx, true);
	assert_true(ctx->unrecognized);
	ctx->depth = 1;
	kmv_sink__unrecognized(ctx, true);
	assert_false(ctx->unrecognized);
	ctx->depth = 0;
	assert_int_equal(kmv_session__end(ctx, 0), 0);
}

static void test_sink__orders_and_refunds(void **state)
{
	kmv_test_vault *f = *state;
	kmv_fix_record pay = { .kind = "payment",
			       .payment_no = "P1",
			       .amount = 2500,
			       .direction = "out",
			       .status = "success" };
	kmv_fix_record back = { .kind = "payment",
				.payment_no = "P1-R",
				.amount = 2500,
				.direction = "in",
				.status = "refunded" };
	kmv_import_ctx *ctx = NULL;
	kmv_order_sink *s = NULL;
	kmv_record r;
	int64_t o1 = 0, id = 0, src = 0, p, b;

	/* An order stored without a platform is found again with one. */
	assert_int_equal(kmv_session__begin(&ctx, f->vault, NULL, NULL), 0);
	order(&r, "\x1fKM1", "KM1", "paid");
	assert_int_equal(kmv_sink__add_record(&o1, ctx, &r), 0);
	assert_int_equal(kmv_order_sink__open(&s, ctx), 0);
	order(&r, "示例卡盟\x1fKM1", "KM1", "delivered");
	r.platform = (char *)"示例卡盟";
	assert_int_equal(kmv_order_sink__earlier(s, &r, &id), 2);
	assert_int_equal(id, o1);
	r.id = id;
	assert_int_equal(kmv_order_sink__update(s, &r), 1);
	assert_int_equal(kmv_order_sink__update(s, &r), 0); /* unchanged */
	assert_int_equal(kmv_sink__add_source(&src, ctx, "orders", "o.csv",
					      "o\n", 2, 0),
			 0);
	assert_int_equal(kmv_order_sink__ensure_state(s, id, "paid", NULL, NULL,
						      src),
			 0);
	assert_int_equal(kmv_order_sink__ensure_state(s, id, "paid", NULL, NULL,
						      src),
			 0);
	kmv_order_sink__free(s);
	assert_int_equal(kmv_session__end(ctx, 0), 0);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records WHERE "
					   "platform = '示例卡盟' AND "
					   "status = 'delivered'"),
			 1);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM timeline"), 1);
	/* The fixture's records go the same way; a refund's pair is set. */
	p = kmv_fix_record_add(f->vault, &pay);
	back.refund_of = p;
	b = kmv_fix_record_add(f->vault, &back);
	assert_true(b > p);
	assert_int_equal(kmv_test_count(f, "SELECT refund_of FROM records "
					   "WHERE payment_no = 'P1-R'"),
			 p);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records "
					   "WHERE source_kind = 'alipay'"),
			 2);
}

static void test_sink__bulk_mode_restores_the_schema(void **state)
{
	kmv_test_vault *f = *state;
	const char *objects = "SELECT count(*) FROM sqlite_master WHERE "
			      "name IN ('records_fts_ai', 'records_amount_ts', "
			      "'records_ts', 'records_payment_no', "
			      "'records_merchant_order_no')";
	int64_t before = kmv_test_count(f, objects);
	kmv_import_ctx *ctx = NULL;
	kmv_bulk *bulk = NULL;
	kmv_record r;

	assert_true(before >= 2);
	assert_int_equal(kmv_session__begin(&ctx, f->vault, NULL, NULL), 0);
	assert_int_equal(kmv_bulk__begin(&bulk, ctx), 0);
	assert_int_equal(kmv_bulk__expect(bulk, 1000), 0);
	assert_true(kmv_test_count(f, objects) < before);
	order(&r, "b1", "KB1", "paid");
	r.product = (char *)"会员月卡";
	assert_int_equal(kmv_batch__queue_record(ctx, &r), 0);
	assert_int_equal(kmv_batch__flush_records(ctx), 0);
	assert_int_equal(kmv_bulk__end(bulk), 0);
	kmv_bulk__free(bulk);
	assert_int_equal(kmv_session__end(ctx, 0), 0);
	assert_int_equal(kmv_test_count(f, objects), before);
	/* The rows inserted meanwhile are in the text index. */
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records_fts "
					   "WHERE records_fts MATCH '会员月'"),
			 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_sink__records_sources_and_counts,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(test_sink__failure_rolls_back,
						kmv_test_vault_setup,
						kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(test_sink__messages,
						kmv_test_vault_setup,
						kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(test_sink__orders_and_refunds,
						kmv_test_vault_setup,
						kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(
			test_sink__bulk_mode_restores_the_schema,
			kmv_test_vault_setup, kmv_test_vault_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
