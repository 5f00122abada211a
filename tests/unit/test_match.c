/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <stdio.h>

#include "kmv/match.h"
#include "match/model.h"
#include "match/paid.h"
#include "match_fixture.h"

#define P "示例卡盟"
#define CO "示例卡盟网络科技"

static void run_match(kmv_match_stats *s, const kmv_match_options *o)
{
	kmv_test_vault *f = mfx_global;
	kmv_match_stats local;
	int rc = kmv_match_run(s ? s : &local, f->vault, o);

	if (rc < 0)
		fprintf(stderr, "match: %s\n", kmv_error_last());
	assert_int_equal(rc, 0);
}

static void assert_link(int64_t a, int64_t b, const char *rule)
{
	char got[32] = "";

	if (!mfx_link(a, b, got, sizeof(got), NULL, NULL))
		fail_msg("no link between #%lld and #%lld", (long long)a,
			 (long long)b);
	assert_string_equal(got, rule);
}

static void assert_no_link(int64_t a, int64_t b)
{
	int manual = 0;

	if (mfx_link(a, b, NULL, 0, NULL, &manual) && manual >= 0)
		fail_msg("unexpected link between #%lld and #%lld",
			 (long long)a, (long long)b);
}

static int64_t auto_links(void)
{
	return mfx_count("SELECT count(*) FROM links WHERE manual = 0");
}

static void test_match__order_no_links_and_learns_alias(void **state)
{
	int64_t o = mfx_order("KM20240315000101", P, "2024-03-15 20:10:41",
			      4850, "completed");
	int64_t p = mfx_pay("alipay", "2024031522001", "KM20240315000101", CO,
			    "2024-03-15 20:11:02", 4850, "充值缴费");
	kmv_match_stats s;
	double score = 0;

	(void)state;
	run_match(&s, NULL);
	assert_link(o, p, "order_no");
	assert_true(mfx_link(o, p, NULL, 0, &score, NULL));
	assert_true(score > 0.99);
	assert_int_equal(s.links, 1);
	assert_int_equal(s.by_rule[KMV_MATCH_RULE_ORDER_NO], 1);
	assert_int_equal(s.aliases_learned, 1);
	assert_int_equal(
		mfx_count("SELECT count(*) FROM aliases WHERE merchant = '" CO
			  "' AND platform = '" P "' AND origin = 'learned'"),
		1);
	/* the order is first in the row */
	assert_int_equal(mfx_count("SELECT a FROM links"), o);
	/* and the run is in the audit log */
	assert_int_equal(
		mfx_count(
			"SELECT count(*) FROM events WHERE action = 'match'") >
			0,
		1);
}

static void test_match__trade_no_text_and_receipt(void **state)
{
	kmv_fix_record dj = { .kind = "order",
			      .order_no = "Q7M2K9X4T1B8C5D3",
			      .platform = "dujiaoka",
			      .payment_no = "2024032622001",
			      .time = "2024-03-26 09:12:03",
			      .amount = 990,
			      .status = "completed" };
	kmv_fix_record memo = { .kind = "payment",
				.payment_no = "4200001",
				.merchant = "某发卡",
				.time = "2024-03-27 10:00:00",
				.amount = 3000,
				.direction = "out",
				.status = "success",
				.product = "订单号:H3N8P2Q6R9S4T7V1 游戏币" };
	kmv_fix_record rcpt = { .kind = "receipt",
				.order_no = "Q7M2K9X4T1B8C5D3",
				.amount = 990 };
	int64_t o1 = mfx_add(&dj);
	int64_t o2 = mfx_order("H3N8P2Q6R9S4T7V1", "dujiaoka",
			       "2024-03-27 09:00:00", 3000, "processing");
	int64_t p1 = mfx_pay("alipay", "2024032622001", NULL, "某发卡",
			     "2024-03-26 09:12:30", 990, NULL);
	int64_t p2 = mfx_add(&memo);
	int64_t r = mfx_add(&rcpt);
	double score = 0;

	(void)state;
	run_match(NULL, NULL);
	assert_link(o1, p1, "order_no");
	assert_true(mfx_link(o1, p1, NULL, 0, &score, NULL));
	assert_true(score > 0.94 && score < 0.96);
	assert_link(o2, p2, "order_no");
	assert_true(mfx_link(o2, p2, NULL, 0, &score, NULL));
	assert_true(score > 0.89 && score < 0.91);
	assert_link(o1, r, "order_no");
	assert_int_equal(auto_links(), 3);
}

static void test_match__amount_time_needs_compatible_merchant(void **state)
{
	int64_t o = mfx_order("KM2", P, "2024-03-20 19:44:52", 2500,
			      "completed");
	int64_t other = mfx_pay("wechat", "w1", NULL, "示例早餐店",
				"2024-03-20 19:45:10", 2500, NULL);
	int64_t p = mfx_pay("wechat", "w2", NULL, P, "2024-03-20 19:46:10",
			    2500, NULL);
	double score = 0;

	(void)state;
	run_match(NULL, NULL);
	assert_link(o, p, "amount_time");
	assert_no_link(o, other);
	assert_true(mfx_link(o, p, NULL, 0, &score, NULL));
	assert_true(score > 0.8 && score <= 0.85);
}

static void test_match__amount_time_window(void **state)
{
	kmv_match_options opts = KMV_MATCH_OPTIONS_INIT;
	int64_t o = mfx_order("KM3", P, "2024-03-20 10:00:00", 1000,
			      "completed");
	int64_t late = mfx_pay("alipay", "a1", NULL, P, "2024-03-21 12:00:00",
			       1000, NULL);
	int64_t early = mfx_pay("alipay", "a2", NULL, P, "2024-03-20 09:40:00",
				1000, NULL);

	(void)state;
	run_match(NULL, NULL);
	/* 26 h after and 20 min before are both outside the default window */
	assert_no_link(o, late);
	assert_no_link(o, early);
	opts.window_after_s = 48 * 3600;
	run_match(NULL, &opts);
	assert_link(o, late, "amount_time");
	/* back to 24 h: the link's evidence is gone */
	run_match(NULL, NULL);
	assert_no_link(o, late);
	assert_int_equal(auto_links(), 0);
}

static void test_match__alias_makes_merchant_compatible(void **state)
{
	kmv_test_vault *f = mfx_global;
	int64_t o = mfx_order("KM4", "shopA", "2024-03-20 10:00:00", 1234,
			      "completed");
	int64_t p = mfx_pay("alipay", "a1", NULL, "杭州某某网络",
			    "2024-03-20 10:03:00", 1234, NULL);

	(void)state;
	run_match(NULL, NULL);
	assert_no_link(o, p);
	assert_int_equal(kmv_alias_add(f->vault, "杭州某某网络", "shopA"), 0);
	run_match(NULL, NULL);
	assert_link(o, p, "amount_time");
	assert_int_equal(kmv_alias_remove(f->vault, "杭州某某网络", "shopA"),
			 0);
	run_match(NULL, NULL);
	assert_no_link(o, p);
	assert_int_equal(kmv_alias_remove(f->vault, "杭州某某网络", "shopA"),
			 KMV_ENOTFOUND);
}

static void test_match__learned_alias_enables_amount_time(void **state)
{
	int64_t o1 = mfx_order("KM5", P, "2024-03-01 10:00:00", 5000,
			       "completed");
	int64_t p1 = mfx_pay("alipay", "a1", "KM5", "某某科技",
			     "2024-03-01 10:01:00", 5000, NULL);
	int64_t o2 = mfx_order("KM6", P, "2024-03-02 10:00:00", 700,
			       "completed");
	int64_t p2 = mfx_pay("alipay", "a2", NULL, "某某科技",
			     "2024-03-02 10:02:00", 700, NULL);
	kmv_match_stats s;

	(void)state;
	run_match(&s, NULL);
	assert_link(o1, p1, "order_no");
	assert_link(o2, p2, "amount_time");
	assert_int_equal(s.by_rule[KMV_MATCH_RULE_AMOUNT_TIME], 1);
}

static void test_match__removed_alias_is_not_learned_again(void **state)
{
	kmv_test_vault *f = mfx_global;
	kmv_match_stats s;

	(void)state;
	mfx_order("KM7", P, "2024-03-01 10:00:00", 5000, "completed");
	mfx_pay("alipay", "a1", "KM7", "某某科技", "2024-03-01 10:01:00", 5000,
		NULL);
	run_match(&s, NULL);
	assert_int_equal(s.aliases_learned, 1);
	assert_int_equal(kmv_alias_remove(f->vault, "某某科技", P), 0);
	run_match(&s, NULL);
	assert_int_equal(s.aliases_learned, 0);
	assert_int_equal(
		mfx_count(
			"SELECT count(*) FROM aliases WHERE origin = 'removed'"),
		1);
}

/* closest pair first, not the first order that asks */
static void test_match__global_assignment_closest_wins(void **state)
{
	int64_t a = mfx_order("A1", P, "2024-03-20 10:00:00", 1000,
			      "completed");
	int64_t b = mfx_order("B1", P, "2024-03-20 10:05:00", 1000,
			      "completed");
	int64_t p1 = mfx_pay("alipay", "p1", NULL, P, "2024-03-20 10:06:00",
			     1000, NULL);
	int64_t p2 = mfx_pay("alipay", "p2", NULL, P, "2024-03-20 10:20:00",
			     1000, NULL);

	(void)state;
	run_match(NULL, NULL);
	assert_link(b, p1, "amount_time");
	assert_link(a, p2, "amount_time");
	assert_no_link(a, p1);
	assert_no_link(b, p2);
}

static void test_match__one_payment_pays_one_order(void **state)
{
	int64_t a = mfx_order("A2", P, "2024-03-20 10:00:00", 1000,
			      "completed");
	int64_t b = mfx_order("B2", P, "2024-03-20 11:00:00", 1000,
			      "completed");
	int64_t p = mfx_pay("alipay", "p1", NULL, P, "2024-03-20 11:01:00",
			    1000, NULL);

	(void)state;
	run_match(NULL, NULL);
	assert_link(b, p, "amount_time");
	assert_no_link(a, p);
	assert_int_equal(auto_links(), 1);
}

static void test_match__exact_tie_picks_older_and_says_so(void **state)
{
	int64_t a = mfx_order("A3", P, "2024-03-20 10:00:00", 1000,
			      "completed");
	int64_t b = mfx_order("B3", P, "2024-03-20 10:00:00", 1000,
			      "completed");
	int64_t p = mfx_pay("alipay", "p1", NULL, P, "2024-03-20 10:02:00",
			    1000, NULL);

	(void)state;
	run_match(NULL, NULL);
	assert_link(a, p, "amount_time");
	assert_no_link(b, p);
	assert_int_equal(mfx_count("SELECT count(*) FROM links WHERE "
				   "explanation LIKE '%\"tie_order\":%'"),
			 1);
}

static void test_match__pending_order_only_while_payment_page_open(void **state)
{
	int64_t o = mfx_order("PD1", P, "2024-03-20 10:00:00", 1990,
			      "pending_payment");
	int64_t late = mfx_pay("alipay", "p1", NULL, P, "2024-03-20 13:00:00",
			       1990, NULL);
	int64_t o2 = mfx_order("PD2", P, "2024-03-21 10:00:00", 2990,
			       "pending_payment");
	int64_t soon = mfx_pay("alipay", "p2", NULL, P, "2024-03-21 10:04:00",
			       2990, NULL);

	(void)state;
	run_match(NULL, NULL);
	assert_no_link(o, late);
	assert_link(o2, soon, "amount_time");
}

static void test_match__refunds(void **state)
{
	int64_t p = mfx_pay("alipay", "2024031022001", "M2", "示例超市",
			    "2024-03-10 09:00:01", 1200, NULL);
	int64_t r = mfx_refund("2024031022001_1710066045", "M2", "示例超市",
			       "2024-03-10 18:20:45", 1200, p);
	int64_t p2 = mfx_pay("alipay", "2024031122002", "M3", "示例超市",
			     "2024-03-11 09:00:01", 800, NULL);
	int64_t r2 = mfx_refund("2024031122002_1710100000", "M3", "示例超市",
				"2024-03-11 18:00:00", 800, 0);
	int64_t p3 = mfx_pay("wechat", "420001", "W9", "示例书店",
			     "2024-03-12 09:00:00", 500, NULL);
	int64_t r3 = mfx_refund("500001", "W9", "示例书店",
				"2024-03-12 10:00:00", 500, 0);
	kmv_match_stats s;
	double score = 0;

	(void)state;
	run_match(&s, NULL);
	assert_link(p, r, "refund");
	assert_link(p2, r2, "refund");
	assert_true(mfx_link(p2, r2, NULL, 0, &score, NULL));
	assert_true(score > 0.89 && score < 0.91);
	assert_link(p3, r3, "refund");
	assert_int_equal(s.by_rule[KMV_MATCH_RULE_REFUND], 3);
	/* refund rows point at the refunded payment: it comes first */
	assert_int_equal(mfx_count("SELECT count(*) FROM links WHERE rule = "
				   "'refund' AND a IN (SELECT id FROM records "
				   "WHERE status = 'success')"),
			 3);
}

static void test_match__second_charge_joins_the_order(void **state)
{
	int64_t o = mfx_order("KM8", P, "2024-03-20 10:00:00", 1000,
			      "completed");
	int64_t p1 = mfx_pay("alipay", "p1", "KM8", CO, "2024-03-20 10:01:00",
			     1000, NULL);
	int64_t p2 = mfx_pay("alipay", "p2", NULL, CO, "2024-03-20 10:04:00",
			     1000, NULL);
	int64_t far = mfx_pay("alipay", "p3", NULL, CO, "2024-03-20 12:00:00",
			      1000, NULL);
	double score = 0;

	(void)state;
	run_match(NULL, NULL);
	assert_link(o, p1, "order_no");
	assert_link(o, p2, "amount_time");
	assert_true(mfx_link(o, p2, NULL, 0, &score, NULL));
	assert_true(score > 0.49 && score < 0.51);
	assert_no_link(o, far);
}

/* Two linked charges equally near: the earlier one's order takes it. */
static void test_match__second_charge_nearest_earlier_wins(void **state)
{
	int64_t o1 = mfx_order("KM81", P, "2024-03-20 10:00:00", 1000,
			       "completed");
	int64_t o2 = mfx_order("KM82", P, "2024-03-20 10:05:00", 1000,
			       "completed");
	int64_t p2;

	(void)state;
	mfx_pay("alipay", "p1", "KM81", CO, "2024-03-20 10:01:00", 1000, NULL);
	p2 = mfx_pay("alipay", "p2", NULL, CO, "2024-03-20 10:04:00", 1000,
		     NULL);
	mfx_pay("alipay", "p3", "KM82", CO, "2024-03-20 10:07:00", 1000, NULL);
	run_match(NULL, NULL);
	assert_link(o1, p2, "amount_time");
	assert_no_link(o2, p2);
}

/*
 * The fingerprint a full run stores counts the live records as its model
 * loaded them (receipts naming no order and voided records included): a
 * re-run with nothing new finds it unchanged.
 */
static void test_match__rerun_unchanged_counts_every_record(void **state)
{
	kmv_fix_record lone = { .kind = "receipt",
				.platform = "示例小铺",
				.time = "2024-03-26 10:01:00",
				.amount = 1990,
				.status = "processing" };
	kmv_match_stats s1, s2;
	int64_t gone;

	(void)state;
	mfx_order("KM90", P, "2024-03-20 10:00:00", 1000, "completed");
	mfx_pay("alipay", "p1", "KM90", CO, "2024-03-20 10:01:00", 1000, NULL);
	mfx_add(&lone);
	gone = mfx_pay("alipay", "p2", NULL, CO, "2024-03-22 10:01:00", 500,
		       NULL);
	assert_true(gone > 0);
	kmv_fix_void(mfx_global->vault, gone);
	run_match(&s1, NULL);
	assert_false(s1.unchanged);
	run_match(&s2, NULL);
	assert_true(s2.unchanged);
	assert_int_equal(s2.links, s1.links);
}

static void test_match__rerun_is_idempotent(void **state)
{
	kmv_match_stats s1, s2;
	int64_t n;

	(void)state;
	mfx_order("KM9", P, "2024-03-20 10:00:00", 1000, "completed");
	mfx_pay("alipay", "p1", "KM9", CO, "2024-03-20 10:01:00", 1000, NULL);
	mfx_order("KM10", P, "2024-03-21 10:00:00", 2000, "completed");
	mfx_pay("alipay", "p2", NULL, CO, "2024-03-21 10:01:00", 2000, NULL);
	run_match(&s1, NULL);
	n = mfx_count("SELECT count(*) FROM links");
	run_match(&s2, NULL);
	assert_int_equal(s1.links, 2);
	assert_int_equal(s1.added, 2);
	assert_int_equal(s2.links, 2);
	assert_int_equal(s2.added, 0);
	assert_int_equal(s2.updated, 0);
	assert_int_equal(s2.removed, 0);
	assert_int_equal(s2.aliases_learned, 0);
	assert_int_equal(mfx_count("SELECT count(*) FROM links"), n);
}

static void test_match__vanished_evidence_removes_link(void **state)
{
	kmv_match_stats s;
	int64_t o, p;

	(void)state;
	o = mfx_order("KM11", P, "2024-03-20 10:00:00", 1000, "completed");
	p = mfx_pay("alipay", "p1", "KM11", CO, "2024-03-20 10:01:00", 1000,
		    NULL);
	run_match(NULL, NULL);
	assert_link(o, p, "order_no");
	kmv_fix_void(mfx_global->vault, p);
	run_match(&s, NULL);
	assert_int_equal(s.removed, 1);
	assert_int_equal(s.links, 0);
	assert_no_link(o, p);
}

static void test_match__unlink_veto_survives_reruns(void **state)
{
	kmv_test_vault *f = mfx_global;
	kmv_match_stats s;
	bool existed = false;
	int64_t o, p;
	int manual = 0;

	(void)state;
	o = mfx_order("KM12", P, "2024-03-20 10:00:00", 1000, "completed");
	p = mfx_pay("alipay", "p1", "KM12", CO, "2024-03-20 10:01:00", 1000,
		    NULL);
	run_match(NULL, NULL);
	assert_int_equal(kmv_match_unlink(f->vault, p, o, &existed), 0);
	assert_true(existed);
	run_match(&s, NULL);
	assert_int_equal(s.links, 0);
	assert_int_equal(s.vetoed, 1);
	/* neither order_no nor amount_time links the pair again */
	assert_true(mfx_link(o, p, NULL, 0, NULL, &manual));
	assert_int_equal(manual, -1);
	/* link undoes the veto */
	assert_int_equal(kmv_match_link(f->vault, o, p,
					"checked the order page"),
			 0);
	run_match(&s, NULL);
	assert_true(mfx_link(o, p, NULL, 0, NULL, &manual));
	assert_int_equal(manual, 1);
	assert_int_equal(s.manual, 1);
	assert_int_equal(s.links, 0);
	assert_int_equal(mfx_count("SELECT count(*) FROM links"), 1);
}

static void test_match__manual_link_holds_payment(void **state)
{
	kmv_test_vault *f = mfx_global;
	int64_t a, b, p;
	int manual = 0;

	(void)state;
	a = mfx_order("KM13", P, "2024-03-20 10:00:00", 1000, "completed");
	b = mfx_order("KM14", P, "2024-03-20 10:30:00", 1000, "completed");
	p = mfx_pay("alipay", "p1", NULL, P, "2024-03-20 10:31:00", 1000, NULL);
	assert_int_equal(kmv_match_link(f->vault, p, a, NULL), 0);
	run_match(NULL, NULL);
	assert_true(mfx_link(a, p, NULL, 0, NULL, &manual));
	assert_int_equal(manual, 1);
	/* the payment is taken: B stays unpaid rather than sharing it */
	assert_no_link(b, p);
}

static void test_match__link_errors(void **state)
{
	kmv_test_vault *f = mfx_global;
	int64_t o;

	(void)state;
	o = mfx_order("KM15", P, "2024-03-20 10:00:00", 1000, "completed");
	assert_int_equal(kmv_match_link(f->vault, o, o, NULL), KMV_EUSAGE);
	assert_int_equal(kmv_match_link(f->vault, o, 999999, NULL),
			 KMV_ENOTFOUND);
	assert_int_equal(kmv_match_unlink(f->vault, 999999, o, NULL),
			 KMV_ENOTFOUND);
	assert_int_equal(mfx_count("SELECT count(*) FROM links"), 0);
}

static void test_match__resolve(void **state)
{
	kmv_test_vault *f = mfx_global;
	int64_t o, p, id = 0;
	char txt[32];

	(void)state;
	o = mfx_order("KM16", P, "2024-03-20 10:00:00", 1000, "completed");
	p = mfx_pay("alipay", "2024032022001", "KM16", CO,
		    "2024-03-20 10:01:00", 1000, NULL);
	mfx_pay("alipay", "x1", "DUP", CO, "2024-03-20 10:01:00", 1000, NULL);
	mfx_pay("alipay", "x2", "DUP", CO, "2024-03-20 10:01:00", 1000, NULL);
	snprintf(txt, sizeof(txt), "%lld", (long long)p);
	assert_int_equal(kmv_match_resolve(&id, f->vault, txt), 0);
	assert_int_equal(id, p);
	/* the order number names the order, not the payment that carries it */
	assert_int_equal(kmv_match_resolve(&id, f->vault, "KM16"), 0);
	assert_int_equal(id, o);
	assert_int_equal(kmv_match_resolve(&id, f->vault, "2024032022001"), 0);
	assert_int_equal(id, p);
	assert_int_equal(kmv_match_resolve(&id, f->vault, "DUP"),
			 KMV_EAMBIGUOUS);
	assert_int_equal(kmv_match_resolve(&id, f->vault, "nope"),
			 KMV_ENOTFOUND);
}

static void test_match__negative_window_is_usage(void **state)
{
	kmv_match_options opts = KMV_MATCH_OPTIONS_INIT;

	(void)state;
	opts.window_after_s = -1;
	assert_int_equal(kmv_match_run(NULL, mfx_global->vault, &opts),
			 KMV_EUSAGE);
}

static void test_match__classifiers(void **state)
{
	(void)state;
	assert_int_equal(kmv_model__classify_payment("out", NULL, "交易成功",
						     NULL, false),
			 KMV_MODEL_PAY_CHARGE);
	assert_int_equal(kmv_model__classify_payment("out", "success", NULL,
						     NULL, false),
			 KMV_MODEL_PAY_CHARGE);
	assert_int_equal(kmv_model__classify_payment("out", NULL, "支付成功",
						     NULL, false),
			 KMV_MODEL_PAY_CHARGE);
	assert_int_equal(kmv_model__classify_payment("out", NULL, "交易关闭",
						     NULL, false),
			 KMV_MODEL_PAY_OTHER);
	assert_int_equal(kmv_model__classify_payment("out", NULL, "已全额退款",
						     NULL, false),
			 KMV_MODEL_PAY_CHARGE_REFUNDED);
	assert_int_equal(kmv_model__classify_payment("neutral", NULL,
						     "退款成功", "退款", false),
			 KMV_MODEL_PAY_REFUND);
	assert_int_equal(kmv_model__classify_payment("in", NULL, "交易成功",
						     "收入", false),
			 KMV_MODEL_PAY_OTHER);
	assert_int_equal(kmv_model__classify_payment("out", NULL, NULL, NULL,
						     false),
			 KMV_MODEL_PAY_OTHER);
	assert_int_equal(kmv_model__classify_order("processing", "待处理"),
			 KMV_MODEL_ORD_PROCESSING);
	assert_int_equal(kmv_model__classify_order(NULL, "已完成"),
			 KMV_MODEL_ORD_COMPLETED);
	assert_int_equal(kmv_model__classify_order(NULL, "???"),
			 KMV_MODEL_ORD_UNKNOWN);
	/* card-system's 已冻结: a state of its own, not an unreadable one */
	assert_int_equal(kmv_model__classify_order("frozen", "3"),
			 KMV_MODEL_ORD_FROZEN);
	assert_int_equal(kmv_model__classify_order(NULL, "已冻结"),
			 KMV_MODEL_ORD_FROZEN);
	assert_true(kmv_model__watched_category("充值缴费"));
	assert_false(kmv_model__watched_category("餐饮美食"));
	/* what a non-charge is, for the reports' "why it does not count" */
	assert_int_equal(kmv_model__classify_other("out", "closed", "交易关闭"),
			 KMV_MODEL_OTHER_CLOSED);
	assert_int_equal(kmv_model__classify_other("out", NULL, "已关闭"),
			 KMV_MODEL_OTHER_CLOSED);
	assert_int_equal(kmv_model__classify_other("out", "failed", "支付失败"),
			 KMV_MODEL_OTHER_FAILED);
	assert_int_equal(kmv_model__classify_other("out", "pending",
						   "等待付款"),
			 KMV_MODEL_OTHER_PENDING);
	assert_int_equal(kmv_model__classify_other("in", "success", "交易成功"),
			 KMV_MODEL_OTHER_INCOME);
	assert_int_equal(kmv_model__classify_other("in", "pending", "处理中"),
			 KMV_MODEL_OTHER_PENDING);
	assert_int_equal(kmv_model__classify_other("neutral", "success",
						   "交易成功"),
			 KMV_MODEL_OTHER_NEUTRAL);
	assert_true(kmv_paid__order_state_paid(KMV_MODEL_ORD_COMPLETED));
	assert_false(kmv_paid__order_state_paid(KMV_MODEL_ORD_CANCELLED));
	assert_string_equal(kmv_paid__why_name(KMV_PAID_WHY_CLOSED), "closed");
	assert_string_equal(kmv_paid__why_name(KMV_PAID_WHY_VIA_PAYMENT),
			    "via_payment");
	assert_string_equal(kmv_paid__why_name(KMV_PAID_WHY_ORDER_FROZEN),
			    "order_frozen");
	/* frozen from any state: paid only when a payment says so */
	assert_false(kmv_paid__order_state_paid(KMV_MODEL_ORD_FROZEN));
	assert_string_equal(kmv_paid__why_name(0), "");
}

static void test_match__strmap_grows(void **state)
{
	kmv_strmap m = KMV_STRMAP_INIT;
	char key[32];
	int32_t idx;

	(void)state;
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(kmv_strmap__intern(&m, key, &idx), 0);
		assert_int_equal(idx, i);
	}
	assert_int_equal(kmv_strmap__find(&m, "k4321"), 4321);
	assert_string_equal(kmv_strmap__key(&m, 17), "k17");
	assert_int_equal(kmv_strmap__find(&m, "nope"), -1);
	kmv_strmap__dispose(&m);
}

/* Receipts with no order record stand for the order: they meet payments. */
static void test_match__receipt_group_meets_payments(void **state)
{
	kmv_fix_record r1 = { .kind = "receipt",
			      .order_no = "GROUPNO00000001",
			      .platform = "示例小铺",
			      .time = "2024-03-26 10:01:00",
			      .amount = 1990,
			      .status = "processing" };
	kmv_fix_record r2 = { .kind = "receipt",
			      .order_no = "GROUPNO00000001",
			      .platform = "示例小铺",
			      .time = "2024-03-26 11:00:00",
			      .amount = 1990,
			      .status = "completed" };
	kmv_fix_record r3 = { .kind = "receipt",
			      .order_no = "GROUPNO00000002",
			      .platform = "示例小铺",
			      .time = "2024-03-27 10:00:00",
			      .amount = 990,
			      .status = "delivered" };
	kmv_fix_record r4 = { .kind = "receipt",
			      .order_no = "GROUPNO00000003",
			      .platform = "示例小铺",
			      .time = "2024-03-28 12:01:00",
			      .amount = 2990,
			      .status = "delivered" };
	int64_t a = mfx_add(&r1), b = mfx_add(&r2), c = mfx_add(&r3);
	int64_t d = mfx_add(&r4);
	/* by amount and time: the payment comes just before the receipt */
	int64_t p1 = mfx_pay("alipay", "p1", NULL, "示例小铺",
			     "2024-03-26 10:00:00", 1990, NULL);
	/* by the merchant order number */
	int64_t p2 = mfx_pay("alipay", "p2", "GROUPNO00000002", "示例小铺",
			     "2024-03-27 09:59:00", 990, NULL);
	/* an aggregator: its own number, amount and time only */
	int64_t p3 = mfx_pay("alipay", "p3", "EPAY20240328", "彩虹易支付",
			     "2024-03-28 12:00:00", 2990, NULL);
	/* a receipt long after a payment is another purchase */
	mfx_pay("alipay", "p4", NULL, "示例小铺", "2024-03-20 10:00:00", 990,
		NULL);
	sqlite3_stmt *st = NULL;

	(void)state;
	run_match(NULL, NULL);
	assert_link(a, p1, "amount_time");
	assert_link(a, b, "order_no");
	assert_link(c, p2, "order_no");
	assert_link(d, p3, "amount_time");
	assert_int_equal(
		sqlite3_prepare_v2(
			mfx_global->db,
			"SELECT explanation FROM links WHERE a = ? AND b = ?",
			-1, &st, NULL),
		SQLITE_OK);
	sqlite3_bind_int64(st, 1, d);
	sqlite3_bind_int64(st, 2, p3);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_non_null(strstr((const char *)sqlite3_column_text(st, 0),
			       "\"aggregator\":1"));
	sqlite3_finalize(st);
	assert_int_equal(auto_links(), 4);
}

#define T(name) cmocka_unit_test_setup(name, mfx_reset)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_match__order_no_links_and_learns_alias),
		T(test_match__trade_no_text_and_receipt),
		T(test_match__amount_time_needs_compatible_merchant),
		T(test_match__amount_time_window),
		T(test_match__alias_makes_merchant_compatible),
		T(test_match__learned_alias_enables_amount_time),
		T(test_match__removed_alias_is_not_learned_again),
		T(test_match__global_assignment_closest_wins),
		T(test_match__one_payment_pays_one_order),
		T(test_match__exact_tie_picks_older_and_says_so),
		T(test_match__pending_order_only_while_payment_page_open),
		T(test_match__refunds),
		T(test_match__second_charge_joins_the_order),
		T(test_match__second_charge_nearest_earlier_wins),
		T(test_match__rerun_is_idempotent),
		T(test_match__rerun_unchanged_counts_every_record),
		T(test_match__vanished_evidence_removes_link),
		T(test_match__unlink_veto_survives_reruns),
		T(test_match__manual_link_holds_payment),
		T(test_match__link_errors),
		T(test_match__resolve),
		T(test_match__negative_window_is_usage),
		T(test_match__classifiers),
		T(test_match__strmap_grows),
		T(test_match__receipt_group_meets_payments),
	};

	return cmocka_run_group_tests(tests, mfx_group_setup,
				      mfx_group_teardown);
}
