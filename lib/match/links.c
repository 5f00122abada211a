/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "kmv/match.h"
#include "kmv/resolve.h"

#include <ctype.h>
#include <inttypes.h>

#include "kmvutil/datetime.h"
#include "kmvutil/json.h"
#include "match/explain.h"
#include "store/vault.h"
#include "store/db.h"

/*
 * Manual overrides.  A manual link is a links row with manual = 1 and
 * rule "manual"; a veto is manual = -1 and rule "veto".  Both are keyed
 * on the unordered pair, so `link 7 3` and `link 3 7` are the same link.
 * Rows are written the way runs write them: the order first, else the
 * payment, else the receipt; between two records of one kind, the older
 * (smaller id) first.
 */

static int kind_rank(const char *kind)
{
	if (!kind)
		return 3;
	if (!strcmp(kind, "order"))
		return 0;
	if (!strcmp(kind, "payment"))
		return 1;
	return 2;
}

/* Kind rank of a record; KMV_ENOTFOUND naming the id. */
static int record_rank(int *rank_out, sqlite3 *db, int64_t id, bool live)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	KMV_TRY(kmv_db__prepare(
		&st, db, "SELECT kind, deleted_at FROM records WHERE id = ?"));
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW ||
	    (live && sqlite3_column_type(st, 1) != SQLITE_NULL)) {
		kmv_error_set(KMV_ERROR_INPUT, "no record #%" PRId64 "%s", id,
			      live ? " (or it was deleted)" : "");
		error = KMV_ENOTFOUND;
		goto done;
	}
	*rank_out = kind_rank((const char *)sqlite3_column_text(st, 0));
done:
	sqlite3_finalize(st);
	return error;
}

/* Both records exist; put them in link order. */
static int order_pair(int64_t *a, int64_t *b, sqlite3 *db, bool live)
{
	int ra, rb, error = 0;

	if (*a == *b) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "cannot link record #%" PRId64 " to itself", *a);
		return KMV_EUSAGE;
	}
	KMV_TRY(record_rank(&ra, db, *a, live));
	KMV_TRY(record_rank(&rb, db, *b, live));
	if (rb < ra || (rb == ra && *b < *a)) {
		int64_t t = *a;

		*a = *b;
		*b = t;
	}
done:
	return error;
}

/* The links row of the pair, either way round: id and manual, or 0. */
static int find_link(int64_t *id_out, int *manual_out, char **rule_out,
		     sqlite3 *db, int64_t a, int64_t b)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	*id_out = 0;
	*manual_out = 0;
	if (rule_out)
		*rule_out = NULL;
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT id, manual, rule FROM links WHERE (a = ?1 AND b = ?2) "
		"OR (a = ?2 AND b = ?1) ORDER BY id LIMIT 1"));
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*id_out = sqlite3_column_int64(st, 0);
		*manual_out = sqlite3_column_int(st, 1);
		if (rule_out && sqlite3_column_text(st, 2) &&
		    !(*rule_out = strdup(
			      (const char *)sqlite3_column_text(st, 2))))
			error = kmv_error_nomem();
	}
done:
	sqlite3_finalize(st);
	return error;
}

static int put_link(sqlite3 *db, int64_t existing, int64_t a, int64_t b,
		    const char *rule, double score, const char *expl,
		    int manual)
{
	sqlite3_stmt *st = NULL;
	kmv_time now = kmv_time_now();
	char when[KMV_TIME_BUFSZ];
	int error = 0;

	kmv_time_format(when, &now);
	if (existing) {
		KMV_TRY(kmv_db__prepare(
			&st, db,
			"UPDATE links SET a = ?, b = ?, rule = ?, score = ?, "
			"explanation = ?, manual = ?, created_at = ? WHERE id = ?"));
		sqlite3_bind_int64(st, 8, existing);
	} else {
		KMV_TRY(kmv_db__prepare(
			&st, db,
			"INSERT INTO links(a, b, rule, score, explanation, manual, "
			"created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
	}
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	kmv_db__bind_text(st, 3, rule);
	sqlite3_bind_double(st, 4, score);
	kmv_db__bind_text(st, 5, expl);
	sqlite3_bind_int(st, 6, manual);
	kmv_db__bind_text(st, 7, when);
	if (sqlite3_step(st) != SQLITE_DONE)
		error = kmv_db__error(db, "cannot write the link");
done:
	sqlite3_finalize(st);
	return error;
}

static int audit_pair(kmv_vault *vault, const char *action, int64_t a,
		      int64_t b, const char *note)
{
	kmv_buf buf = KMV_BUF_INIT;
	kmv_json j;
	int error = 0;

	kmv_json_init(&j, &buf, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_int(&j, "a", a);
	kmv_json_kv_int(&j, "b", b);
	if (note)
		kmv_json_kv_string(&j, "note", note);
	kmv_json_object_end(&j);
	KMV_TRY(kmv_json_finish(&j));
	KMV_TRY(kmv_audit_append(vault, action, buf.ptr));
done:
	kmv_buf_dispose(&buf);
	return error;
}

int kmv_match_link(kmv_vault *vault, int64_t a, int64_t b, const char *note)
{
	sqlite3 *db;
	char *line = NULL;
	kmv_explain e = KMV_EXPLAIN_INIT;
	int64_t existing;
	int manual, error = 0;
	bool began = false;

	KMV_ASSERT_ARG(vault);
	db = kmv_vault__db(vault);
	KMV_TRY(order_pair(&a, &b, db, true));
	if (note && *note) {
		/* the explanation is one line */
		if (!(line = strdup(note))) {
			error = kmv_error_nomem();
			goto done;
		}
		for (char *c = line; *c; c++)
			if (*c == '\n' || *c == '\r' || *c == '\t')
				*c = ' ';
	}
	kmv_explain__begin(&e, "manual");
	if (line)
		kmv_explain__str(&e, "note", line);
	KMV_TRY(kmv_explain__end(&e));
	KMV_TRY(kmv_db__begin(db));
	began = true;
	KMV_TRY(find_link(&existing, &manual, NULL, db, a, b));
	KMV_TRY(put_link(db, existing, a, b, "manual", 1.0, e.buf.ptr, 1));
	KMV_TRY(audit_pair(vault, "link", a, b, line));
	KMV_TRY(kmv_db__commit(db));
	began = false;
done:
	if (began)
		kmv_db__rollback(db);
	kmv_explain__dispose(&e);
	free(line);
	return error;
}

int kmv_match_link_amounts(kmv_vault *vault, int64_t a, int64_t b,
			   kmv_link_amounts *out)
{
	sqlite3_stmt *st = NULL;
	int64_t ids[2] = { a, b }, amounts[2] = { 0, 0 };
	bool has[2] = { false, false }, order[2] = { false, false },
	     payment[2] = { false, false };
	int error = 0;

	KMV_ASSERT_ARG(vault && out);
	memset(out, 0, sizeof(*out));
	KMV_TRY(kmv_db__prepare(
		&st, kmv_vault__db(vault),
		"SELECT kind, amount FROM records WHERE id = ? AND deleted_at "
		"IS NULL"));
	for (int i = 0; i < 2; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, ids[i]);
		if (sqlite3_step(st) != SQLITE_ROW) {
			kmv_error_set(KMV_ERROR_INPUT, "no record #%" PRId64,
				      ids[i]);
			error = KMV_ENOTFOUND;
			goto done;
		}
		order[i] = strcmp(kmv_db__text_or_empty(st, 0), "order") == 0;
		payment[i] = strcmp(kmv_db__text_or_empty(st, 0), "payment") ==
			     0;
		has[i] = sqlite3_column_type(st, 1) != SQLITE_NULL;
		amounts[i] = sqlite3_column_int64(st, 1);
	}
	for (int i = 0; i < 2; i++) {
		int o = i, p = 1 - i;

		if (order[o] && payment[p] && has[o] && has[p] &&
		    amounts[o] != amounts[p]) {
			out->differs = true;
			out->order_id = ids[o];
			out->order_amount = amounts[o];
			out->payment_id = ids[p];
			out->payment_amount = amounts[p];
		}
	}
done:
	sqlite3_finalize(st);
	return error;
}

int kmv_match_unlink(kmv_vault *vault, int64_t a, int64_t b, bool *existed_out)
{
	sqlite3 *db;
	kmv_explain e = KMV_EXPLAIN_INIT;
	char *rule = NULL;
	int64_t existing;
	int manual, error = 0;
	bool began = false;

	KMV_ASSERT_ARG(vault);
	db = kmv_vault__db(vault);
	if (existed_out)
		*existed_out = false;
	KMV_TRY(order_pair(&a, &b, db, false));
	KMV_TRY(kmv_db__begin(db));
	began = true;
	KMV_TRY(find_link(&existing, &manual, &rule, db, a, b));
	if (existing && manual >= 0) {
		kmv_explain__begin(&e, "removed");
		kmv_explain__str(&e, "was", rule ? rule : "?");
		if (existed_out)
			*existed_out = true;
	} else {
		kmv_explain__begin(&e, "vetoed");
	}
	KMV_TRY(kmv_explain__end(&e));
	KMV_TRY(put_link(db, existing, a, b, "veto", 0.0, e.buf.ptr, -1));
	KMV_TRY(audit_pair(vault, "unlink", a, b, NULL));
	KMV_TRY(kmv_db__commit(db));
	began = false;
done:
	if (began)
		kmv_db__rollback(db);
	free(rule);
	kmv_explain__dispose(&e);
	return error;
}

int kmv_match_resolve(int64_t *id_out, kmv_vault *vault, const char *text)
{
	return kmv_record_resolve(vault, text, 0, id_out);
}
