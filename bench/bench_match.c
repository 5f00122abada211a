/* SPDX-License-Identifier: MIT */
/*
 * Benchmark of kmvault match and anomalies (bench/match.sh drives it).
 *
 *   bench_match gen FILE ORDERS PAYMENTS   write a plain SQLite database
 *                                          with the vault schema and
 *                                          synthetic records
 *   bench_match join FILE                  baseline: load it into memory,
 *                                          plain SQL join on merchant
 *                                          order number (indexed), then
 *                                          the scan floor (scan_floor)
 *   bench_match match FILE                 load it into a vault opened
 *                                          for writing; time match (first
 *                                          run, re-run) and anomalies
 *
 * KMV_BENCH_LINKS=FILE writes the links of the first match to FILE (to
 * compare two builds); KMV_BENCH_LOAD_ONLY=1 loads the model four times
 * more and stops (for perf record).
 *
 * Each timed step prints "name seconds".  Loading is not timed; peak
 * memory is the process's (match.sh runs each under /usr/bin/time -v).
 * Data (deterministic): 50 shops; 90 % of orders paid with their number
 * as merchant order number (10 % of those at a different amount), 5 % paid
 * without it (amount and time only), 5 % unpaid; the other payments go to
 * 5,000 other merchants at random amounts and times, 1 % refunds.
 */
#include "common.h"

#include <sqlite3.h>
#include <time.h>
#include <unistd.h>

#include "kmv/anomaly.h"
#include "kmv/match.h"
#include "kmv/init.h"
#include "match/model.h"
#include "store/vault.h"
#include "store/schema.h"

static uint64_t rng = 20240601;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the process: steadier than wall time on a shared machine
 * (match runs on one thread; the interactive KDF is before the timing). */
static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int die(const char *what, sqlite3 *db)
{
	fprintf(stderr, "bench_match: %s: %s\n", what,
		db ? sqlite3_errmsg(db) : kmv_error_last());
	return 1;
}

static int gen(const char *path, long norders, long npays)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL, *q = NULL;
	const int64_t base = 1704038400; /* 2024-01-01 +08:00 */
	long made = 0;

	remove(path);
	if (sqlite3_open(path, &db) != SQLITE_OK || kmv_schema__apply(db) < 0)
		return die("schema", db);
	/* the FTS index is not what is measured */
	sqlite3_exec(db,
		     "DROP TRIGGER records_fts_ai; PRAGMA journal_mode=OFF; "
		     "PRAGMA synchronous=OFF; BEGIN",
		     NULL, NULL, NULL);
	if (sqlite3_prepare_v2(
		    db,
		    "INSERT INTO records(kind, source_kind, dedup_key, order_no, "
		    "platform, merchant, payment_no, merchant_order_no, ts, amount, "
		    "direction, status, status_raw, category, refund_of, created_at, "
		    "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?, 'x', 'x')",
		    -1, &st, NULL) != SQLITE_OK)
		return die("prepare", db);
	if (sqlite3_prepare_v2(db,
			       "SELECT amount, ts FROM records WHERE id = ?",
			       -1, &q, NULL) != SQLITE_OK)
		return die("prepare", db);
	for (long i = 0; i < norders + npays; i++) {
		char key[32], no[32], plat[32], mer[64], pno[32], mon[32];
		bool order = i < norders;
		int64_t ts, amount;
		long o = 0;
		uint64_t r = next() % 100;

		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		snprintf(key, sizeof(key), "k%ld", i);
		if (order) {
			ts = base + i * 120 + (int64_t)(next() % 60);
			amount = 100 + (int64_t)(next() % 50000);
			snprintf(no, sizeof(no), "KM%010ld", i);
			snprintf(plat, sizeof(plat), "卡盟%02ld", i % 50);
			sqlite3_bind_text(st, 1, "order", -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, "orders", -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 4, no, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 5, plat, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 12,
					  r < 95 ? "completed"
						 : "pending_payment",
					  -1, SQLITE_STATIC);
		} else {
			long j = i - norders;
			bool paying = j < norders;

			o = j;
			snprintf(pno, sizeof(pno), "P%018ld", j);
			if (paying && r < 95) {
				/* pays order o (record id o + 1): its amount, soon after */
				sqlite3_reset(q);
				sqlite3_bind_int64(q, 1, o + 1);
				if (sqlite3_step(q) != SQLITE_ROW)
					return die("order", db);
				amount = sqlite3_column_int64(q, 0);
				ts = sqlite3_column_int64(q, 1) + 30 +
				     (int64_t)(next() % 570);
				if (r % 10 == 3)
					amount +=
						100; /* a mismatch now and then */
				snprintf(mer, sizeof(mer),
					 "卡盟%02ld网络科技有限公司", o % 50);
				if (r < 90) {
					snprintf(mon, sizeof(mon), "KM%010ld",
						 o);
					sqlite3_bind_text(st, 8, mon, -1,
							  SQLITE_TRANSIENT);
				}
			} else {
				ts = base +
				     (int64_t)(next() %
					       (uint64_t)(norders * 120));
				amount = 100 + (int64_t)(next() % 50000);
				snprintf(mer, sizeof(mer), "商户%05d",
					 (int)(next() % 5000));
				if (next() % 2)
					sqlite3_bind_text(st, 14, "充值缴费",
							  -1, SQLITE_STATIC);
			}
			sqlite3_bind_text(st, 1, "payment", -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2,
					  next() % 3 ? "alipay" : "wechat", -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(st, 6, mer, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 7, pno, -1, SQLITE_TRANSIENT);
			if (!paying && r == 0 && j > norders) {
				/* a refund of an earlier payment */
				sqlite3_bind_text(st, 11, "neutral", -1,
						  SQLITE_STATIC);
				sqlite3_bind_text(st, 12, "refunded", -1,
						  SQLITE_STATIC);
				sqlite3_bind_text(st, 13, "退款成功", -1,
						  SQLITE_STATIC);
				sqlite3_bind_int64(
					st, 15,
					norders + 1 +
						(int64_t)(next() %
							  (uint64_t)j));
			} else {
				sqlite3_bind_text(st, 11, "out", -1,
						  SQLITE_STATIC);
				sqlite3_bind_text(st, 12, "success", -1,
						  SQLITE_STATIC);
				sqlite3_bind_text(st, 13, "交易成功", -1,
						  SQLITE_STATIC);
			}
		}
		sqlite3_bind_text(st, 3, key, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 9, ts);
		sqlite3_bind_int64(st, 10, amount);
		if (sqlite3_step(st) != SQLITE_DONE)
			return die("insert", db);
		made++;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(q);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return die("commit", db);
	sqlite3_close(db);
	fprintf(stderr, "generated %ld orders and %ld payments\n", norders,
		npays);
	return made ? 0 : 1;
}

/* Copy the file database into `into` (an in-memory one). */
static int load(sqlite3 *into, const char *path)
{
	sqlite3 *src = NULL;
	sqlite3_backup *b;
	int rc;

	if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		return die("open", src);
	b = sqlite3_backup_init(into, "main", src, "main");
	if (!b)
		return die("backup", into);
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	sqlite3_close(src);
	return rc == SQLITE_DONE ? 0 : die("backup step", into);
}

/*
 * The read floor of any match over these rules: one scan of the records
 * reading the columns kmv_model__load reads (the orders' and receipts'
 * facts, then the payments' with the product and memo texts the number
 * rule searches), each value fetched once, no work done with it.  The
 * full match cannot cost less than this plus its writes; match.sh prints
 * it beside the join so the join's multiple is put in proportion.
 */
static void scan_floor(sqlite3 *db)
{
	static const char *const sql[] = {
		"SELECT id, kind, ts, amount, order_no, platform, merchant, "
		"status, status_raw, payment_no, card_secret FROM records "
		"WHERE +kind <> 'payment' AND deleted_at IS NULL ORDER BY id",
		"SELECT id, ts, amount, refund_of, merchant, direction, "
		"status, status_raw, category, source_kind, "
		"merchant_order_no, payment_no, product, memo FROM records "
		"WHERE +kind = 'payment' AND deleted_at IS NULL ORDER BY id",
	};
	sqlite3_stmt *st = NULL;
	double t0 = now_s(), c0 = cpu_s(), c1 = c0;
	long long bytes = 0;

	for (size_t i = 0; i < KMV_ARRAY_SIZE(sql); i++) {
		sqlite3_prepare_v2(db, sql[i], -1, &st, NULL);
		while (sqlite3_step(st) == SQLITE_ROW) {
			int n = sqlite3_column_count(st);

			for (int c = 0; c < n; c++) {
				if (sqlite3_column_type(st, c) == SQLITE_TEXT) {
					sqlite3_column_text(st, c);
					bytes += sqlite3_column_bytes(st, c);
				} else {
					bytes += sqlite3_column_int64(st, c) &
						 1;
				}
			}
		}
		sqlite3_finalize(st);
		if (i == 0)
			c1 = cpu_s();
	}
	printf("scan_floor %.3f\n", now_s() - t0);
	printf("scan_floor_payments_cpu %.3f\n", cpu_s() - c1);
	printf("scan_floor_cpu %.3f\n", cpu_s() - c0);
	fprintf(stderr, "scan: %lld bytes read\n", bytes);
}

static int join(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	double t0, c0;

	sqlite3_open(":memory:", &db);
	if (load(db, path))
		return 1;
	t0 = now_s();
	c0 = cpu_s();
	sqlite3_prepare_v2(db,
			   "SELECT count(*) FROM records o JOIN records p "
			   "ON p.merchant_order_no = o.order_no "
			   "WHERE o.kind = 'order' AND p.kind = 'payment' "
			   "AND o.deleted_at IS NULL AND p.deleted_at IS NULL",
			   -1, &st, NULL);
	sqlite3_step(st);
	printf("join_order_no %.3f\n", now_s() - t0);
	printf("join_order_no_cpu %.3f\n", cpu_s() - c0);
	fprintf(stderr, "join: %lld pairs\n",
		(long long)sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	st = NULL;
	scan_floor(db);
	sqlite3_close(db);
	return 0;
}

/* KMV_BENCH_LINKS=FILE: the links a first match wrote, one a line (to
 * compare two builds' results). */
static int dump_links(sqlite3 *db, const char *path)
{
	sqlite3_stmt *st = NULL;
	FILE *f = fopen(path, "w");
	int rc = -1;

	if (!f)
		return -1;
	if (sqlite3_prepare_v2(db,
			       "SELECT id, a, b, rule, score, explanation, "
			       "manual FROM links ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		goto done;
	while (sqlite3_step(st) == SQLITE_ROW)
		fprintf(f, "%lld %lld %lld %s %.17g %s %d\n",
			(long long)sqlite3_column_int64(st, 0),
			(long long)sqlite3_column_int64(st, 1),
			(long long)sqlite3_column_int64(st, 2),
			(const char *)sqlite3_column_text(st, 3),
			sqlite3_column_double(st, 4),
			(const char *)sqlite3_column_text(st, 5),
			sqlite3_column_int(st, 6));
	rc = 0;
done:
	sqlite3_finalize(st);
	fclose(f);
	return rc;
}

static int count_cb(const kmv_anomaly *a, void *payload)
{
	(void)a;
	(*(long *)payload)++;
	return 0;
}

static int match(const char *path)
{
	kmv_vault_create_options co = KMV_VAULT_CREATE_OPTIONS_INIT;
	kmv_vault_open_options oo = KMV_VAULT_OPEN_OPTIONS_INIT;
	char dir[] = "/tmp/kmv-bench-XXXXXX", vpath[256],
	     rk[KMV_RECOVERY_KEY_BUFSZ];
	kmv_secret *pass = NULL;
	kmv_vault *v = NULL;
	kmv_match_stats s;
	kmv_model model = KMV_MODEL_INIT;
	long findings = 0;
	double t0, c0;

	if (!mkdtemp(dir))
		return 1;
	snprintf(vpath, sizeof(vpath), "%s/v.kmv", dir);
	kmv_secret_new(&pass, "bench", 5);
	co.kdf = KMV_KDF_INTERACTIVE;
	oo.write = true;
	if (kmv_vault_create(rk, vpath, pass, &co) < 0 ||
	    kmv_vault_open(&v, vpath, KMV_UNLOCK_PASSPHRASE, pass, &oo) < 0)
		return die("vault", NULL);
	if (load(kmv_vault__db(v), path))
		return 1;
	/* The model alone (what every match and anomalies run loads). */
	t0 = now_s();
	c0 = cpu_s();
	if (kmv_model__load(&model, kmv_vault__db(v), NULL, NULL) < 0)
		return die("model", NULL);
	printf("model_load %.3f\n", now_s() - t0);
	printf("model_load_cpu %.3f\n", cpu_s() - c0);
	kmv_model__dispose(&model);
	if (getenv("KMV_BENCH_LOAD_ONLY")) {
		for (int i = 0; i < 4; i++) {
			model = (kmv_model)KMV_MODEL_INIT;
			kmv_model__load(&model, kmv_vault__db(v), NULL, NULL);
			kmv_model__dispose(&model);
		}
		return 0;
	}
	t0 = now_s();
	c0 = cpu_s();
	if (kmv_match_run(&s, v, NULL) < 0)
		return die("match", NULL);
	printf("match_first %.3f\n", now_s() - t0);
	printf("match_first_cpu %.3f\n", cpu_s() - c0);
	if (getenv("KMV_BENCH_LINKS") &&
	    dump_links(kmv_vault__db(v), getenv("KMV_BENCH_LINKS")) < 0)
		return die("links", kmv_vault__db(v));
	fprintf(stderr,
		"match: %lld links (order_no %lld, amount_time %lld, "
		"refund %lld)\n",
		(long long)s.links, (long long)s.by_rule[0],
		(long long)s.by_rule[1], (long long)s.by_rule[2]);
	t0 = now_s();
	if (kmv_match_run(&s, v, NULL) < 0)
		return die("match", NULL);
	printf("match_rerun %.3f\n", now_s() - t0);
	t0 = now_s();
	if (kmv_anomalies_foreach(v, NULL, count_cb, &findings) < 0)
		return die("anomalies", NULL);
	printf("anomalies %.3f\n", now_s() - t0);
	fprintf(stderr, "anomalies: %ld findings\n", findings);
	kmv_vault_free(v);
	kmv_secret_free(pass);
	remove(vpath);
	snprintf(vpath, sizeof(vpath), "%s/v.kmv.lock", dir);
	remove(vpath);
	rmdir(dir);
	return 0;
}

int main(int argc, char **argv)
{
	if (kmv_global_init() < 0)
		return 1;
	if (argc == 5 && !strcmp(argv[1], "gen"))
		return gen(argv[2], atol(argv[3]), atol(argv[4]));
	if (argc == 3 && !strcmp(argv[1], "join"))
		return join(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "match"))
		return match(argv[2]);
	fprintf(stderr,
		"usage: bench_match gen FILE ORDERS PAYMENTS | join FILE | "
		"match FILE\n");
	return 2;
}
