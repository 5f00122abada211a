/* SPDX-License-Identifier: MIT */
/*
 * The records that decide the anomalies of one order number (issue 17
 * point 5): `evidence create` and `anomalies --order` ask about one
 * order, and loading the whole vault's model for it cost a third of the
 * command on a large vault.
 *
 * What ties records together in the model (model.c, paid.c) is closed
 * under three relations: equal numbers (an order's number is a payment's
 * merchant order number, its trade_no a payment's transaction number,
 * receipts of one number make or join one order), links (match's, the
 * user's, vetoes) and a refund's refund_of.  The scope is the connected
 * component of the seeds (every live record carrying the number as its
 * order number or merchant order number) under those relations, so each
 * record in it sees exactly the partners it has in the whole vault, and
 * the findings about the number come out the same.  What is not local
 * (a merchant's first payment, the names of every shop, how far a
 * channel's statements reach) anomalies.c asks SQLite for when needed.
 *
 * Placeholder numbers ('', '/', '-': Alipay's "no merchant order no")
 * would join thousands of unrelated payments.  They tie nothing as long
 * as no order or receipt carries one as its number or trade_no; when one
 * does, or the component grows past SCOPE_MAX records, the caller loads
 * the whole vault as before.
 */
#include "common.h"
#include "match/model.h"
#include "store/refunds.h"

#include <stdlib.h>
#include <string.h>

#include "kmvutil/array.h"
#include "store/db.h"

#define SCOPE_MAX 20000

#define JUNK "('', '/', '-')"

struct scope {
	sqlite3 *db;
	sqlite3_stmt *row, *by_no[3], *link_a, *link_b;
	kmv_pairmap seen_ids;
	kmv_strmap seen_nos;
	int64_t *queue;
	size_t nqueue, aqueue;
	kmv_refunds refunds;
	bool too_big;
};

static bool junk(const char *s)
{
	return !s || !*s || !strcmp(s, "/") || !strcmp(s, "-");
}

static int push(struct scope *s, int64_t id)
{
	int error = 0;

	if (id <= 0 || kmv_pairmap__get(&s->seen_ids, id, 0, NULL))
		return 0;
	if (s->seen_ids.count >= SCOPE_MAX) {
		s->too_big = true;
		return 0;
	}
	KMV_TRY(kmv_pairmap__put(&s->seen_ids, id, 0, 1));
	KMV_TRY(KMV_ARRAY_GROW(s->queue, s->aqueue, s->nqueue + 1));
	s->queue[s->nqueue++] = id;
done:
	return error;
}

/* Every id the statement gives in column 0 (after binding ?1). */
static int push_rows(struct scope *s, sqlite3_stmt *st, const char *no,
		     int64_t id)
{
	int error = 0, rc;

	sqlite3_reset(st);
	if (no)
		sqlite3_bind_text(st, 1, no, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && !s->too_big)
		KMV_TRY(push(s, sqlite3_column_int64(st, 0)));
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		error = kmv_db__error(s->db, "cannot read records");
done:
	sqlite3_reset(st);
	return error;
}

/* A number seen for the first time joins every record that carries it. */
static int push_number(struct scope *s, const char *no, bool seed)
{
	int32_t idx;
	size_t before = s->seen_nos.count;
	int error = 0;

	if ((!seed && junk(no)) || !no)
		return 0;
	KMV_TRY(kmv_strmap__intern(&s->seen_nos, no, &idx));
	if (s->seen_nos.count == before)
		return 0;
	for (size_t k = 0; k < KMV_ARRAY_SIZE(s->by_no) && !s->too_big; k++)
		KMV_TRY(push_rows(s, s->by_no[k], no, 0));
done:
	return error;
}

/* kmv_refunds__each's callback: a refund joins the scope. */
static int push_refund(void *s, int64_t refund)
{
	return push(s, refund);
}

/* One record's neighbours: its numbers, its links, its refunds. */
static int visit(struct scope *s, int64_t id)
{
	int error = 0, rc;

	sqlite3_reset(s->row);
	sqlite3_bind_int64(s->row, 1, id);
	rc = sqlite3_step(s->row);
	if (rc == SQLITE_ROW) {
		char *nos[3] = { NULL, NULL, NULL };
		int64_t refund_of = sqlite3_column_int64(s->row, 3);

		for (int k = 0; k < 3; k++) {
			const char *t = (const char *)
				sqlite3_column_text(s->row, k);

			if (t && !(nos[k] = strdup(t)))
				error = kmv_error_nomem();
		}
		sqlite3_reset(s->row);
		for (int k = 0; k < 3 && !error; k++)
			error = push_number(s, nos[k], false);
		for (int k = 0; k < 3; k++)
			free(nos[k]);
		if (error < 0)
			goto done;
		KMV_TRY(push(s, refund_of));
	} else if (rc != SQLITE_DONE) {
		error = kmv_db__error(s->db, "cannot read records");
		goto done;
	}
	KMV_TRY(kmv_refunds__each(&s->refunds, id, push_refund, s));
	KMV_TRY(push_rows(s, s->link_a, NULL, id));
	KMV_TRY(push_rows(s, s->link_b, NULL, id));
done:
	sqlite3_reset(s->row);
	return error;
}

/* An order or receipt numbered like a placeholder: numbers then tie. */
static int junk_orders(sqlite3 *db, bool *found)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT 1 FROM records WHERE order_no IN " JUNK " AND "
		"kind <> 'payment' UNION ALL SELECT 1 FROM records WHERE "
		"payment_no IN " JUNK " AND kind <> 'payment' LIMIT 1"));
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read records");
	*found = rc == SQLITE_ROW;
done:
	sqlite3_finalize(st);
	return error;
}

int kmv_scope__build(sqlite3 *db, const char *order_no, bool *scoped_out)
{
	static const char *const by_no_sql[3] = {
		"SELECT id FROM records WHERE order_no = ?1 AND deleted_at IS NULL",
		"SELECT id FROM records WHERE merchant_order_no = ?1 "
		"AND deleted_at IS NULL",
		"SELECT id FROM records WHERE payment_no = ?1 AND deleted_at IS NULL",
	};
	struct scope s;
	sqlite3_stmt *ins = NULL;
	bool junky = false;
	int error = 0, rc;

	memset(&s, 0, sizeof(s));
	s.db = db;
	s.seen_ids = (kmv_pairmap)KMV_PAIRMAP_INIT;
	s.seen_nos = (kmv_strmap)KMV_STRMAP_INIT;
	*scoped_out = false;
	KMV_TRY(kmv_scope__drop(db));
	KMV_TRY(junk_orders(db, &junky));
	if (junky)
		goto done;
	KMV_TRY(kmv_db__prepare(
		&s.row, db,
		"SELECT order_no, merchant_order_no, "
		"payment_no, refund_of FROM records WHERE id = ?1"));
	for (size_t k = 0; k < KMV_ARRAY_SIZE(s.by_no); k++)
		KMV_TRY(kmv_db__prepare(&s.by_no[k], db, by_no_sql[k]));
	KMV_TRY(kmv_db__prepare(&s.link_a, db,
				"SELECT b FROM links WHERE a = ?1"));
	KMV_TRY(kmv_db__prepare(&s.link_b, db,
				"SELECT a FROM links WHERE b = ?1"));
	KMV_TRY(kmv_refunds__open(&s.refunds, s.db, false));
	/* the seeds: the number as given, placeholder or not */
	KMV_TRY(push_number(&s, order_no, true));
	for (size_t i = 0; i < s.nqueue && !s.too_big; i++)
		KMV_TRY(visit(&s, s.queue[i]));
	if (s.too_big)
		goto done;
	/* kept (empty) afterwards: DROP fails while a caller's query runs */
	KMV_TRY(kmv_db__exec(db,
			     "CREATE TEMP TABLE IF NOT EXISTS " KMV_SCOPE_TABLE
			     " (id INTEGER PRIMARY KEY)"));
	KMV_TRY(kmv_db__prepare(&ins, db,
				"INSERT INTO temp." KMV_SCOPE_TABLE
				" (id) VALUES (?1)"));
	for (size_t i = 0; i < s.nqueue; i++) {
		sqlite3_bind_int64(ins, 1, s.queue[i]);
		rc = sqlite3_step(ins);
		sqlite3_reset(ins);
		if (rc != SQLITE_DONE) {
			error = kmv_db__error(
				db, "cannot note the records of an order");
			goto done;
		}
	}
	*scoped_out = true;
done:
	sqlite3_finalize(ins);
	sqlite3_finalize(s.row);
	for (size_t k = 0; k < KMV_ARRAY_SIZE(s.by_no); k++)
		sqlite3_finalize(s.by_no[k]);
	sqlite3_finalize(s.link_a);
	sqlite3_finalize(s.link_b);
	kmv_pairmap__dispose(&s.seen_ids);
	kmv_strmap__dispose(&s.seen_nos);
	free(s.queue);
	kmv_refunds__dispose(&s.refunds);
	if (error < 0)
		kmv_scope__drop(db);
	return error;
}

int kmv_scope__drop(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	/* no table yet: nothing to empty */
	if (sqlite3_prepare_v2(db, "DELETE FROM temp." KMV_SCOPE_TABLE, -1, &st,
			       NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) != SQLITE_DONE)
		error = kmv_db__error(db,
				      "cannot forget the records of an order");
	sqlite3_finalize(st);
	return error;
}
