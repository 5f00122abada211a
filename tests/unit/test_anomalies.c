/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <stdio.h>

#include "kmv/anomaly.h"
#include "kmv/match.h"
#include "match/anomalies.h"
#include "match/model.h"
#include "match_fixture.h"

#define P "示例卡盟"
#define CO "示例卡盟网络科技"
#define NOW "2024-04-20T12:00:00+08:00"

struct got {
	char type[32];
	char order_no[64];
	int64_t amount;
	int64_t records[8];
	size_t nrecords;
	char detail[1024];
	char suggestion[1024];
};

struct findings {
	struct got f[32];
	size_t n;
};

static int collect(const kmv_anomaly *a, void *payload)
{
	struct findings *fs = payload;
	struct got *g;

	if (fs->n >= 32)
		return -1;
	g = &fs->f[fs->n++];
	memset(g, 0, sizeof(*g));
	snprintf(g->type, sizeof(g->type), "%s", a->type);
	snprintf(g->order_no, sizeof(g->order_no), "%s",
		 a->order_no ? a->order_no : "-");
	g->amount = a->amount;
	g->nrecords = a->nrecords < 8 ? a->nrecords : 8;
	memcpy(g->records, a->records, g->nrecords * sizeof(int64_t));
	snprintf(g->detail, sizeof(g->detail), "%s", a->detail);
	snprintf(g->suggestion, sizeof(g->suggestion), "%s", a->suggestion);
	return 0;
}

static void find_all(struct findings *fs, const kmv_anomaly_options *o)
{
	int rc;

	memset(fs, 0, sizeof(*fs));
	rc = kmv_anomalies_foreach(mfx_global->vault, o, collect, fs);
	if (rc < 0)
		fprintf(stderr, "anomalies: %s\n", kmv_error_last());
	assert_int_equal(rc, 0);
}

static void match(void)
{
	assert_int_equal(kmv_match_run(NULL, mfx_global->vault, NULL), 0);
}

static void print_all(const struct findings *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		fprintf(stderr, "  %s %s %lld: %s\n", fs->f[i].type,
			fs->f[i].order_no, (long long)fs->f[i].amount,
			fs->f[i].detail);
}

static void expect(const struct got *g, const char *type, const char *no,
		   int64_t amount, size_t n, const int64_t *ids)
{
	assert_string_equal(g->type, type);
	assert_string_equal(g->order_no, no);
	assert_int_equal(g->amount, amount);
	assert_int_equal(g->nrecords, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(g->records[i], ids[i]);
	assert_true(strlen(g->detail) > 20);
	assert_true(strlen(g->suggestion) > 20);
}

/* Clean orders and payments: nothing may be reported for any of them. */
static void plant_clean(void)
{
	kmv_fix_record meal = { .kind = "payment",
				.payment_no = "a-meal",
				.merchant = "示例面馆",
				.time = "2024-03-12 12:05:33",
				.amount = 3350,
				.direction = "out",
				.status_raw = "交易成功",
				.category = "餐饮美食" };
	kmv_fix_record income = { .kind = "payment",
				  .payment_no = "a-inc",
				  .merchant = "示例公司",
				  .time = "2024-03-16 08:30:00",
				  .amount = 20000,
				  .direction = "in",
				  .status_raw = "交易成功",
				  .category = "收入" };
	int64_t p;

	/* paid by order number, delivered */
	mfx_order("C1", P, "2024-03-01 10:00:00", 4850, "completed");
	mfx_pay("alipay", "a-c1", "C1", CO, "2024-03-01 10:01:00", 4850,
		"充值缴费");
	/* paid by amount and time on WeChat, delivered */
	mfx_order("C2", P, "2024-03-02 19:44:52", 2500, "completed");
	mfx_pay("wechat", "w-c2", NULL, P, "2024-03-02 19:45:10", 2500, NULL);
	/* refunded, and the refund is in the statement */
	mfx_order("C3", P, "2024-03-03 10:00:00", 3000, "refunded");
	p = mfx_pay("alipay", "a-c3", "C3", CO, "2024-03-03 10:01:00", 3000,
		    "充值缴费");
	mfx_refund("a-c3_1709600000", "C3", CO, "2024-03-04 10:00:00", 3000, p);
	/* never paid */
	mfx_order("C4", P, "2024-03-25 11:00:00", 19600, "pending_payment");
	/* paid half an hour ago: not late yet */
	mfx_order("C5", P, "2024-04-20 11:30:00", 990, "processing");
	mfx_pay("alipay", "a-c5", "C5", CO, "2024-04-20 11:31:00", 990, NULL);
	/* cancelled before paying */
	mfx_order("C8", P, "2024-03-06 10:00:00", 1500, "cancelled");
	/* not a shop's merchant */
	mfx_add(&meal);
	mfx_add(&income);
	/* a merchant paid every month is one the user knows */
	mfx_pay("alipay", "a-m1", NULL, "中国移动", "2024-03-05 09:00:00", 5000,
		"充值缴费");
	mfx_pay("alipay", "a-m2", NULL, "中国移动", "2024-03-15 09:00:00", 5000,
		"充值缴费");
	mfx_pay("alipay", "a-m3", NULL, "中国移动", "2024-03-25 09:00:00", 5000,
		"充值缴费");
}

static void test_anomalies__clean_orders_have_no_findings(void **state)
{
	struct findings fs;

	(void)state;
	setenv("KMVAULT_NOW", NOW, 1);
	plant_clean();
	match();
	find_all(&fs, NULL);
	if (fs.n)
		print_all(&fs);
	assert_int_equal(fs.n, 0);
}

static void test_anomalies__planted_scenario(void **state)
{
	struct findings fs;
	int64_t d1, d1a, d1b, x9a, x9b, m1, m1p, lost, u2, u2p, u3, r1, r1p;
	int64_t unk, u1, u1p;

	(void)state;
	setenv("KMVAULT_NOW", NOW, 1);
	plant_clean();
	/* charged twice for one order */
	d1 = mfx_order("D1", P, "2024-03-07 10:00:00", 1000, "completed");
	d1a = mfx_pay("alipay", "a-d1a", "D1", CO, "2024-03-07 10:01:00", 1000,
		      NULL);
	d1b = mfx_pay("alipay", "a-d1b", "D1", CO, "2024-03-07 10:03:00", 1000,
		      NULL);
	/* charged twice under one merchant order number, no order at all */
	x9a = mfx_pay("alipay", "a-x9a", "X9", CO, "2024-03-08 10:00:00", 800,
		      NULL);
	x9b = mfx_pay("alipay", "a-x9b", "X9", CO, "2024-03-08 10:02:00", 800,
		      NULL);
	/* paid 55.00 for a 50.00 order */
	m1 = mfx_order("M1", P, "2024-03-09 10:00:00", 5000, "completed");
	m1p = mfx_pay("alipay", "a-m1p", "M1", CO, "2024-03-09 10:01:00", 5500,
		      NULL);
	/* the shop lost the order */
	lost = mfx_pay("alipay", "a-lost", "LOST1", CO, "2024-03-10 10:00:00",
		       20000, "充值缴费");
	/* paid, but the shop still says 待支付 */
	u2 = mfx_order("U2", P, "2024-03-11 10:00:00", 1200, "pending_payment");
	u2p = mfx_pay("alipay", "a-u2", "U2", CO, "2024-03-11 10:01:00", 1200,
		      NULL);
	/* the shop says paid/processing; the payment is not in any statement */
	u3 = mfx_order("U3", P, "2024-03-12 10:00:00", 700, "processing");
	/* refunded by the shop, no refund in the statement by 04-20 */
	r1 = mfx_order("R1", P, "2024-03-13 10:00:00", 2000, "refunded");
	r1p = mfx_pay("alipay", "a-r1", "R1", CO, "2024-03-13 10:01:00", 2000,
		      NULL);
	/* cancelled two days ago: the refund may still come */
	mfx_order("R2", P, "2024-04-18 10:00:00", 1800, "cancelled");
	mfx_pay("alipay", "a-r2", "R2", CO, "2024-04-18 10:01:00", 1800, NULL);
	/* a top-up to a merchant never seen */
	unk = mfx_pay("alipay", "a-unk", NULL, "陌生科技",
		      "2024-03-14 10:00:00", 6800, "充值缴费");
	/* paid six hours ago, still processing */
	u1 = mfx_order("U1", P, "2024-04-20 06:00:00", 3000, "processing");
	u1p = mfx_pay("alipay", "a-u1", "U1", CO, "2024-04-20 06:01:00", 3000,
		      NULL);
	match();
	find_all(&fs, NULL);
	print_all(&fs);
	assert_int_equal(fs.n, 9);
	expect(&fs.f[0], "duplicate_charge", "D1", 1000, 3,
	       (int64_t[]){ d1, d1a, d1b });
	expect(&fs.f[1], "duplicate_charge", "X9", 800, 2,
	       (int64_t[]){ x9a, x9b });
	expect(&fs.f[2], "amount_mismatch", "M1", 500, 2,
	       (int64_t[]){ m1, m1p });
	expect(&fs.f[3], "payment_without_order", "LOST1", 20000, 1,
	       (int64_t[]){ lost });
	expect(&fs.f[4], "undelivered", "U2", 1200, 2, (int64_t[]){ u2, u2p });
	expect(&fs.f[5], "undelivered", "U3", 700, 1, (int64_t[]){ u3 });
	expect(&fs.f[6], "refund_missing", "R1", 2000, 2,
	       (int64_t[]){ r1, r1p });
	expect(&fs.f[7], "unknown_merchant", "-", 6800, 1, (int64_t[]){ unk });
	expect(&fs.f[8], "undelivered", "U1", 3000, 2, (int64_t[]){ u1, u1p });
	assert_non_null(strstr(fs.f[8].suggestion, "a-u1"));
	assert_non_null(strstr(fs.f[3].detail, "LOST1"));
	assert_non_null(strstr(fs.f[1].detail, ": 8.00 each,"));
}

/* Unequal charges under one merchant order number: each amount is named. */
static void test_anomalies__unequal_duplicates_name_each_amount(void **state)
{
	struct findings fs;
	int64_t a, b;

	(void)state;
	setenv("KMVAULT_NOW", NOW, 1);
	plant_clean();
	a = mfx_pay("alipay", "a-y1", "Y7", CO, "2024-03-08 10:00:00", 990,
		    NULL);
	b = mfx_pay("alipay", "a-y2", "Y7", CO, "2024-03-08 10:02:00", 5000,
		    NULL);
	match();
	find_all(&fs, NULL);
	print_all(&fs);
	assert_int_equal(fs.n, 1);
	expect(&fs.f[0], "duplicate_charge", "Y7", 5000, 2,
	       (int64_t[]){ a, b });
	assert_null(strstr(fs.f[0].detail, "each"));
	assert_non_null(strstr(fs.f[0].detail, ": 9.90 and 50.00,"));
}

static void test_anomalies__filters(void **state)
{
	struct findings fs;
	kmv_anomaly_options o = KMV_ANOMALY_OPTIONS_INIT;

	(void)state;
	setenv("KMVAULT_NOW", NOW, 1);
	mfx_order("U1", P, "2024-04-20 06:00:00", 3000, "processing");
	mfx_pay("alipay", "a-u1", "U1", CO, "2024-04-20 06:01:00", 3000, NULL);
	mfx_pay("alipay", "a-unk", NULL, "陌生科技", "2024-03-14 10:00:00",
		6800, "充值缴费");
	match();
	find_all(&fs, NULL);
	assert_int_equal(fs.n, 2);
	o.type = "undelivered";
	find_all(&fs, &o);
	assert_int_equal(fs.n, 1);
	assert_string_equal(fs.f[0].order_no, "U1");
	/* the deadline moves the line */
	o.deadline_hours = 8;
	find_all(&fs, &o);
	assert_int_equal(fs.n, 0);
	o = (kmv_anomaly_options)KMV_ANOMALY_OPTIONS_INIT;
	o.order_no = "U1";
	find_all(&fs, &o);
	assert_int_equal(fs.n, 1);
	o.order_no = NULL;
	o.from_ts = mfx_ts("2024-04-01 00:00:00");
	find_all(&fs, &o);
	assert_int_equal(fs.n, 1);
	assert_string_equal(fs.f[0].type, "undelivered");
	o = (kmv_anomaly_options)KMV_ANOMALY_OPTIONS_INIT;
	o.type = "bogus";
	assert_int_equal(kmv_anomalies_foreach(mfx_global->vault, &o, collect,
					       &fs),
			 KMV_EUSAGE);
	o.type = NULL;
	o.deadline_hours = -1;
	assert_int_equal(kmv_anomalies_foreach(mfx_global->vault, &o, collect,
					       &fs),
			 KMV_EUSAGE);
}

/* The user's unlink turns a second charge into an unexplained payment. */
static void test_anomalies__veto_changes_the_finding(void **state)
{
	struct findings fs;
	int64_t o, a, b;

	(void)state;
	setenv("KMVAULT_NOW", NOW, 1);
	o = mfx_order("D1", P, "2024-03-07 10:00:00", 1000, "completed");
	a = mfx_pay("alipay", "a-d1a", "D1", CO, "2024-03-07 10:01:00", 1000,
		    NULL);
	b = mfx_pay("alipay", "a-d1b", NULL, CO, "2024-03-07 10:03:00", 1000,
		    NULL);
	match();
	find_all(&fs, NULL);
	assert_int_equal(fs.n, 1);
	expect(&fs.f[0], "duplicate_charge", "D1", 1000, 3,
	       (int64_t[]){ o, a, b });
	assert_int_equal(kmv_match_unlink(mfx_global->vault, o, b, NULL), 0);
	match();
	find_all(&fs, NULL);
	assert_int_equal(fs.n, 1);
	expect(&fs.f[0], "payment_without_order", "-", 1000, 1,
	       (int64_t[]){ b });
}

/* The refund came back: no duplicate, no missing refund. */
static void test_anomalies__refunded_duplicate_is_settled(void **state)
{
	struct findings fs;
	int64_t b;

	(void)state;
	setenv("KMVAULT_NOW", NOW, 1);
	mfx_order("D2", P, "2024-03-07 10:00:00", 1000, "completed");
	mfx_pay("alipay", "a-d2a", "D2", CO, "2024-03-07 10:01:00", 1000, NULL);
	b = mfx_pay("alipay", "a-d2b", "D2", CO, "2024-03-07 10:03:00", 1000,
		    NULL);
	mfx_refund("a-d2b_1", "D2", CO, "2024-03-08 10:00:00", 1000, b);
	match();
	find_all(&fs, NULL);
	if (fs.n)
		print_all(&fs);
	assert_int_equal(fs.n, 0);
}

/* Statement coverage from the source's period, not only its rows. */
static void test_anomalies__refund_missing_uses_statement_period(void **state)
{
	kmv_test_vault *f = mfx_global;
	struct findings fs;

	(void)state;
	setenv("KMVAULT_NOW", NOW, 1);
	mfx_order("R3", P, "2024-03-13 10:00:00", 2000, "cancelled");
	mfx_pay("alipay", "a-r3", "R3", CO, "2024-03-13 10:01:00", 2000, NULL);
	match();
	find_all(&fs, NULL);
	assert_int_equal(fs.n, 0); /* statements end 03-13: too early */
	kmv_fix_source_meta(f->vault, "alipay", "a.csv", "x",
			    "{\"period_end\":\"2024-03-31 23:59:59\"}");
	find_all(&fs, NULL);
	assert_int_equal(fs.n, 1);
	assert_string_equal(fs.f[0].type, "refund_missing");
	assert_string_equal(fs.f[0].order_no, "R3");
}

/*
 * Receipts are events on the order's timeline: a later card mail clears
 * the export's 处理中, a failed mail after payment raises undelivered, and
 * receipts with no order record stand for the order.
 */
static void test_anomalies__receipt_events(void **state)
{
	kmv_fix_record card = { .kind = "receipt",
				.order_no = "EV1",
				.platform = P,
				.time = "2024-03-10 12:00:00",
				.amount = 990,
				.status = "delivered" };
	kmv_fix_record fail = { .kind = "receipt",
				.order_no = "EV2",
				.platform = P,
				.time = "2024-03-11 12:00:00",
				.amount = 990,
				.status = "failed" };
	kmv_fix_record plain = { .kind = "receipt",
				 .order_no = "EV3",
				 .platform = P,
				 .time = "2024-03-12 10:01:00",
				 .amount = 1990 };
	kmv_fix_record done = { .kind = "receipt",
				.order_no = "EV4",
				.platform = P,
				.time = "2024-03-13 10:01:00",
				.amount = 2990,
				.status = "completed" };
	struct findings fs;
	int64_t o2, g3;

	(void)state;
	setenv("KMVAULT_NOW", "2024-04-01T12:00:00+08:00", 1);
	mfx_order("EV1", P, "2024-03-10 10:00:00", 990, "processing");
	mfx_pay("alipay", "a-ev1", "EV1", CO, "2024-03-10 10:01:00", 990, NULL);
	mfx_add(&card);
	/* the shop's completed stands against a failed mail */
	mfx_order("EV2", P, "2024-03-11 09:00:00", 990, "completed");
	mfx_pay("alipay", "a-ev2", "EV2", CO, "2024-03-11 09:01:00", 990, NULL);
	mfx_add(&fail);
	o2 = mfx_order("EV2B", P, "2024-03-11 10:00:00", 990, "unknown");
	mfx_pay("alipay", "a-ev2b", "EV2B", CO, "2024-03-11 10:01:00", 990,
		NULL);
	fail.order_no = "EV2B";
	mfx_add(&fail);
	g3 = mfx_add(&plain);
	mfx_pay("alipay", "a-ev3", "EV3", CO, "2024-03-12 10:00:00", 1990,
		NULL);
	mfx_add(&done);
	mfx_pay("alipay", "a-ev4", "EV4", CO, "2024-03-13 10:00:00", 2990,
		NULL);
	match();
	find_all(&fs, NULL);
	print_all(&fs);
	assert_int_equal(fs.n, 2);
	assert_string_equal(fs.f[0].type, "undelivered");
	assert_string_equal(fs.f[0].order_no, "EV2B");
	assert_int_equal(fs.f[0].records[0], o2);
	assert_non_null(
		strstr(fs.f[0].detail, "'failed' in its latest receipt"));
	assert_string_equal(fs.f[1].type, "undelivered");
	assert_string_equal(fs.f[1].order_no, "EV3");
	assert_int_equal(fs.f[1].records[0], g3);
	assert_non_null(strstr(fs.f[1].detail, "no delivery in its receipts"));
}

/*
 * One order number asked about loads only its records (scope.c): the
 * findings must be those of the whole vault filtered by the number, for
 * every number of the vault (each test's vault is checked after it).
 */
static bool same_findings(const struct findings *a, const struct findings *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct got *x = &a->f[i], *y = &b->f[i];

		if (strcmp(x->type, y->type) ||
		    strcmp(x->order_no, y->order_no) ||
		    x->amount != y->amount || x->nrecords != y->nrecords ||
		    memcmp(x->records, y->records,
			   x->nrecords * sizeof(int64_t)) ||
		    strcmp(x->detail, y->detail) ||
		    strcmp(x->suggestion, y->suggestion))
			return false;
	}
	return true;
}

static int scoped_is_whole(void **state)
{
	sqlite3_stmt *st = NULL;
	int bad = 0, numbers = 0;

	(void)state;
	sqlite3_prepare_v2(
		mfx_global->db,
		"SELECT order_no FROM records WHERE order_no IS NOT NULL UNION "
		"SELECT merchant_order_no FROM records WHERE merchant_order_no "
		"IS NOT NULL",
		-1, &st, NULL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		kmv_anomaly_options o = KMV_ANOMALY_OPTIONS_INIT;
		struct findings scoped, whole;
		char no[64];

		snprintf(no, sizeof(no), "%s", sqlite3_column_text(st, 0));
		o.order_no = no;
		memset(&scoped, 0, sizeof(scoped));
		memset(&whole, 0, sizeof(whole));
		if (kmv_anomalies_foreach(mfx_global->vault, &o, collect,
					  &scoped) < 0 ||
		    kmv_anomalies__foreach_whole(mfx_global->vault, &o, collect,
						 &whole) < 0 ||
		    !same_findings(&scoped, &whole)) {
			fprintf(stderr,
				"order %s: scoped findings differ (%s)\n"
				"scoped:\n",
				no, kmv_error_last());
			print_all(&scoped);
			fprintf(stderr, "whole vault:\n");
			print_all(&whole);
			bad = 1;
		}
		numbers++;
	}
	sqlite3_finalize(st);
	/* nothing is left in the scope table */
	if (numbers &&
	    mfx_count("SELECT count(*) FROM temp." KMV_SCOPE_TABLE) > 0)
		bad = 1;
	return bad ? -1 : 0;
}

/* The scope of one order is its records, not the vault. */
static void test_anomalies__scope_is_the_orders_records(void **state)
{
	int64_t o, p1, p3, r;
	bool scoped = false;
	char sql[512];

	(void)state;
	setenv("KMVAULT_NOW", NOW, 1);
	plant_clean();
	o = mfx_order("S1", P, "2024-03-07 10:00:00", 1000, "refunded");
	p1 = mfx_pay("alipay", "a-s1", "S1", CO, "2024-03-07 10:01:00", 1000,
		     NULL);
	mfx_order("S2", P, "2024-03-08 10:00:00", 900, "completed");
	mfx_pay("alipay", "a-s2", "S2", CO, "2024-03-08 10:01:00", 900, NULL);
	/* tied to the charge by refund_of alone */
	r = mfx_refund("a-s1r", NULL, CO, "2024-03-20 10:00:00", 1000, p1);
	/* tied to the order by a link alone (the user's `link`) */
	p3 = mfx_pay("alipay", "a-s3", NULL, CO, "2024-03-07 10:05:00", 1000,
		     NULL);
	match();
	assert_int_equal(kmv_match_link(mfx_global->vault, o, p3, "by hand"),
			 0);
	assert_int_equal(kmv_scope__build(mfx_global->db, "S1", &scoped), 0);
	assert_true(scoped);
	assert_int_equal(mfx_count(
				 "SELECT count(*) FROM temp." KMV_SCOPE_TABLE),
			 4);
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM temp." KMV_SCOPE_TABLE
		 " WHERE id IN (%lld, %lld, %lld, %lld)",
		 (long long)o, (long long)p1, (long long)r, (long long)p3);
	assert_int_equal(mfx_count(sql), 4);
	assert_int_equal(kmv_scope__drop(mfx_global->db), 0);
	/* a placeholder number on an order could tie anything: whole vault */
	mfx_order("/", P, "2024-03-09 10:00:00", 100, "completed");
	assert_int_equal(kmv_scope__build(mfx_global->db, "S1", &scoped), 0);
	assert_false(scoped);
	assert_int_equal(mfx_count(
				 "SELECT count(*) FROM temp." KMV_SCOPE_TABLE),
			 0);
}

/* A watched first payment under a merchant order no, asked about alone. */
static void test_anomalies__scoped_unknown_merchant(void **state)
{
	kmv_anomaly_options o = KMV_ANOMALY_OPTIONS_INIT;
	struct findings fs;

	(void)state;
	setenv("KMVAULT_NOW", NOW, 1);
	plant_clean();
	mfx_pay("alipay", "a-n1", "N1", "陌生科技", "2024-03-14 10:00:00", 6800,
		"充值缴费");
	mfx_pay("alipay", "a-n2", "N2", "又一家", "2024-03-01 10:00:00", 100,
		"充值缴费");
	mfx_pay("alipay", "a-n3", "N3", "又一家", "2024-03-02 10:00:00", 100,
		NULL);
	mfx_pay("alipay", "a-n4", "N4", "又一家", "2024-03-03 10:00:00", 100,
		NULL);
	match();
	o.order_no = "N1";
	find_all(&fs, &o);
	assert_int_equal(fs.n, 1);
	assert_string_equal(fs.f[0].type, "unknown_merchant");
	/* three payments to 又一家: not a stranger */
	o.order_no = "N2";
	find_all(&fs, &o);
	assert_int_equal(fs.n, 0);
}

#define T(name) \
	cmocka_unit_test_setup_teardown(name, mfx_reset, scoped_is_whole)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_anomalies__clean_orders_have_no_findings),
		T(test_anomalies__planted_scenario),
		T(test_anomalies__unequal_duplicates_name_each_amount),
		T(test_anomalies__filters),
		T(test_anomalies__veto_changes_the_finding),
		T(test_anomalies__refunded_duplicate_is_settled),
		T(test_anomalies__refund_missing_uses_statement_period),
		T(test_anomalies__receipt_events),
		T(test_anomalies__scope_is_the_orders_records),
		T(test_anomalies__scoped_unknown_merchant),
	};

	return cmocka_run_group_tests(tests, mfx_group_setup,
				      mfx_group_teardown);
}
