/* SPDX-License-Identifier: MIT */
/*
 * Memberships and their renewal history.  The schema keeps the current
 * state in `memberships` and every change of expiry in
 * `membership_renewals`; the orders that paid for the first period are
 * renewal rows with no old expiry, so "which orders paid for this" is one
 * query over the history.
 */
#include "common.h"
#include "followup/internal.h"
#include "kmvutil/json.h"
#include "kmv/member.h"
#include "kmv/resolve.h"
#include "store/vault.h"
#include "store/db.h"

/* Normalize an optional date argument to "YYYY-MM-DD". */
static int norm_date(char out[KMV_DATE_BUFSZ], int64_t *days, const char *text,
		     const char *what)
{
	int64_t d;
	int error = kmv_date__parse(&d, text, what);

	if (error < 0)
		return error;
	kmv_date__format(out, d);
	if (days)
		*days = d;
	return 0;
}

static int bind_price(sqlite3_stmt *st, int idx, int64_t price)
{
	return (price >= 0 ? sqlite3_bind_int64(st, idx, price)
			   : sqlite3_bind_null(st, idx)) == SQLITE_OK
		       ? 0
		       : KMV_ERROR;
}

static int audit(kmv_vault *vault, const char *action, int64_t id,
		 const char *key, const char *value)
{
	kmv_buf detail = KMV_BUF_INIT;
	kmv_json j;
	int error;

	kmv_json_init(&j, &detail, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_int(&j, "membership", id);
	if (key)
		kmv_json_kv_string(&j, key, value);
	kmv_json_object_end(&j);
	error = kmv_json_finish(&j);
	if (error == 0)
		error = kmv_audit_append(vault, action, detail.ptr);
	kmv_buf_dispose(&detail);
	return error;
}

static int add_history(sqlite3 *db, int64_t id, const char *old_expiry,
		       const char *new_expiry, int64_t price, int64_t order_id,
		       const char *now)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	KMV_TRY(kmv_db__prepare(
		&st, db,
		"INSERT INTO membership_renewals(membership_id, old_expiry, "
		"new_expiry, price, order_record_id, created_at) "
		"VALUES (?,?,?,?,?,?)"));
	sqlite3_bind_int64(st, 1, id);
	kmv_db__bind_text(st, 2, old_expiry);
	kmv_db__bind_text(st, 3, new_expiry);
	bind_price(st, 4, price);
	if (order_id > 0)
		sqlite3_bind_int64(st, 5, order_id);
	kmv_db__bind_text(st, 6, now);
	if (sqlite3_step(st) != SQLITE_DONE)
		error = kmv_db__error(db, "cannot record renewal");
done:
	sqlite3_finalize(st);
	return error;
}

/* A membership's dates, as the user gave them, checked and normalised. */
struct member_dates {
	char start[KMV_DATE_BUFSZ], expiry[KMV_DATE_BUFSZ],
		login[KMV_DATE_BUFSZ];
};

static int check_spec(struct member_dates *d, const kmv_member_spec *spec)
{
	int64_t start_d = 0, expiry_d = 0;
	int error = 0;

	if (!spec->platform || !*spec->platform) {
		kmv_error_set(KMV_ERROR_INPUT, "a membership needs --platform");
		return KMV_EUSAGE;
	}
	if (!spec->expiry_date) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "a membership needs --expiry DATE");
		return KMV_EUSAGE;
	}
	KMV_TRY(norm_date(d->expiry, &expiry_d, spec->expiry_date, "--expiry"));
	if (spec->start_date) {
		KMV_TRY(norm_date(d->start, &start_d, spec->start_date,
				  "--start"));
		if (start_d > expiry_d) {
			kmv_error_set(KMV_ERROR_INPUT,
				      "--expiry %s is before "
				      "--start %s",
				      d->expiry, d->start);
			return KMV_EUSAGE;
		}
	}
	if (spec->inactivity_days > 0 && !spec->last_login) {
		kmv_error_set(KMV_ERROR_INPUT, "--inactivity-days needs "
					       "--last-login DATE");
		return KMV_EUSAGE;
	}
	if (spec->last_login)
		KMV_TRY(norm_date(d->login, NULL, spec->last_login,
				  "--last-login"));
done:
	return error;
}

/* The memberships row itself; *id its rowid. */
static int insert_membership(int64_t *id, sqlite3 *db,
			     const kmv_member_spec *spec,
			     const struct member_dates *d, const char *now)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	KMV_TRY(kmv_db__prepare(
		&st, db,
		"INSERT INTO memberships(platform, level, start_date, "
		"expiry_date, price, auto_renew, inactivity_days, last_login, "
		"status, created_at, updated_at) "
		"VALUES (?,?,?,?,?,?,?,?,'active',?,?)"));
	kmv_db__bind_text(st, 1, spec->platform);
	kmv_db__bind_text(st, 2,
			  spec->level && *spec->level ? spec->level : NULL);
	kmv_db__bind_text(st, 3, spec->start_date ? d->start : NULL);
	kmv_db__bind_text(st, 4, d->expiry);
	bind_price(st, 5, spec->price);
	sqlite3_bind_int(st, 6, spec->auto_renew);
	if (spec->inactivity_days > 0)
		sqlite3_bind_int64(st, 7, spec->inactivity_days);
	kmv_db__bind_text(st, 8, spec->last_login ? d->login : NULL);
	kmv_db__bind_text(st, 9, now);
	kmv_db__bind_text(st, 10, now);
	if (sqlite3_step(st) != SQLITE_DONE) {
		error = kmv_db__error(db, "cannot add membership");
		goto done;
	}
	*id = sqlite3_last_insert_rowid(db);
done:
	sqlite3_finalize(st);
	return error;
}

int kmv_member_add(int64_t *id_out, kmv_vault *vault,
		   const kmv_member_spec *spec)
{
	sqlite3 *db;
	struct member_dates d;
	char now[64];
	int64_t id = 0;
	int64_t *orders = NULL;
	bool began = false;
	int error = 0;

	KMV_ASSERT_ARG(id_out && vault && spec);
	db = kmv_vault__db(vault);
	KMV_TRY(check_spec(&d, spec));
	if (spec->norders) {
		orders = calloc(spec->norders, sizeof(*orders));
		if (!orders)
			return kmv_error_nomem();
		for (size_t i = 0; i < spec->norders; i++)
			KMV_TRY(kmv_order_resolve(vault, spec->orders[i],
						  &orders[i]));
	}
	kmv_date__now_text(now);
	KMV_TRY(kmv_db__begin(db));
	began = true;
	KMV_TRY(insert_membership(&id, db, spec, &d, now));
	/* The first paying order carries the price; further ones are linked. */
	for (size_t i = 0; i < spec->norders; i++)
		KMV_TRY(add_history(db, id, NULL, d.expiry,
				    i ? -1 : spec->price, orders[i], now));
	KMV_TRY(audit(vault, "member_add", id, "platform", spec->platform));
	KMV_TRY(kmv_db__commit(db));
	began = false;
	*id_out = id;
done:
	if (began)
		kmv_db__rollback(db);
	free(orders);
	return error;
}

/* The current expiry of a membership (heap string) or KMV_ENOTFOUND. */
static int current_expiry(char **out, sqlite3 *db, int64_t id)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	*out = NULL;
	KMV_TRY(kmv_db__prepare(
		&st, db, "SELECT expiry_date FROM memberships WHERE id = ?"));
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *e = (const char *)sqlite3_column_text(st, 0);

		*out = strdup(e ? e : "");
		if (!*out)
			error = kmv_error_nomem();
	} else if (rc == SQLITE_DONE) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "no membership %lld "
			      "(see 'kmvault member list')",
			      (long long)id);
		error = KMV_ENOTFOUND;
	} else {
		error = kmv_db__error(db, "cannot read membership");
	}
done:
	sqlite3_finalize(st);
	return error;
}

int kmv_member_renew(kmv_vault *vault, int64_t id, const char *expiry_date,
		     int64_t price, const char *order_no)
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	char expiry[KMV_DATE_BUFSZ], now[64];
	char *old = NULL;
	int64_t new_d, old_d, order_id = 0;
	bool began = false;
	int error = 0;

	KMV_ASSERT_ARG(vault);
	db = kmv_vault__db(vault);
	KMV_TRY(current_expiry(&old, db, id));
	KMV_TRY(norm_date(expiry, &new_d, expiry_date, "--expiry"));
	if (*old && kmv_date__parse(&old_d, old, "expiry") == 0 &&
	    new_d < old_d) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "--expiry %s is before the "
			      "current expiry %s",
			      expiry, old);
		error = KMV_EUSAGE;
		goto done;
	}
	if (order_no)
		KMV_TRY(kmv_order_resolve(vault, order_no, &order_id));
	kmv_date__now_text(now);
	KMV_TRY(kmv_db__begin(db));
	began = true;
	KMV_TRY(add_history(db, id, *old ? old : NULL, expiry, price, order_id,
			    now));
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"UPDATE memberships SET expiry_date = ?, price = COALESCE(?, "
		"price), status = 'active', updated_at = ? WHERE id = ?"));
	kmv_db__bind_text(st, 1, expiry);
	bind_price(st, 2, price);
	kmv_db__bind_text(st, 3, now);
	sqlite3_bind_int64(st, 4, id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		error = kmv_db__error(db, "cannot renew membership");
		goto done;
	}
	KMV_TRY(audit(vault, "member_renew", id, "expiry", expiry));
	KMV_TRY(kmv_db__commit(db));
	began = false;
done:
	sqlite3_finalize(st);
	if (began)
		kmv_db__rollback(db);
	free(old);
	return error;
}

/* UPDATE one membership column; KMV_ENOTFOUND when the id is unknown. */
static int set_field(kmv_vault *vault, int64_t id, const char *sql,
		     const char *value, const char *action, const char *key)
{
	sqlite3 *db = kmv_vault__db(vault);
	sqlite3_stmt *st = NULL;
	char now[64];
	bool began = false;
	int error = 0;

	kmv_date__now_text(now);
	KMV_TRY(kmv_db__begin(db));
	began = true;
	KMV_TRY(kmv_db__prepare(&st, db, sql));
	kmv_db__bind_text(st, 1, value);
	kmv_db__bind_text(st, 2, now);
	sqlite3_bind_int64(st, 3, id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		error = kmv_db__error(db, "cannot update membership");
		goto done;
	}
	if (sqlite3_changes(db) == 0) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "no membership %lld "
			      "(see 'kmvault member list')",
			      (long long)id);
		error = KMV_ENOTFOUND;
		goto done;
	}
	KMV_TRY(audit(vault, action, id, key, value));
	KMV_TRY(kmv_db__commit(db));
	began = false;
done:
	sqlite3_finalize(st);
	if (began)
		kmv_db__rollback(db);
	return error;
}

int kmv_member_end(kmv_vault *vault, int64_t id)
{
	KMV_ASSERT_ARG(vault);
	return set_field(vault, id,
			 "UPDATE memberships SET status = ?1, updated_at = ?2 "
			 "WHERE id = ?3",
			 "ended", "member_end", "status");
}

int kmv_member_login(kmv_vault *vault, int64_t id, const char *date)
{
	char day[KMV_DATE_BUFSZ];
	int error;

	KMV_ASSERT_ARG(vault);
	if (date) {
		if ((error = norm_date(day, NULL, date, "--date")) < 0)
			return error;
	} else {
		kmv_date__format(day, kmv_date__today());
	}
	return set_field(
		vault, id,
		"UPDATE memberships SET last_login = ?1, updated_at = ?2 "
		"WHERE id = ?3",
		day, "member_login", "last_login");
}

struct member_walk {
	kmv_member_cb cb;
	void *payload;
};

static int member_row(sqlite3_stmt *st, void *payload)
{
	const struct member_walk *w = payload;
	kmv_member m;

	m.id = sqlite3_column_int64(st, 0);
	m.platform = kmv_db__text(st, 1);
	m.level = kmv_db__text(st, 2);
	m.start_date = kmv_db__text(st, 3);
	m.expiry_date = kmv_db__text(st, 4);
	m.price = kmv_db__int64_or(st, 5, -1);
	m.auto_renew = sqlite3_column_int(st, 6) != 0;
	m.inactivity_days = sqlite3_column_int64(st, 7);
	m.last_login = kmv_db__text(st, 8);
	m.status = kmv_db__text(st, 9);
	m.renewals = sqlite3_column_int64(st, 10);
	m.orders = kmv_db__text(st, 11);
	return w->cb(&m, w->payload);
}

int kmv_member_foreach(kmv_vault *vault, kmv_member_cb cb, void *payload)
{
	struct member_walk w = { cb, payload };
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	int error;

	KMV_ASSERT_ARG(vault && cb);
	db = kmv_vault__db(vault);
	error = kmv_db__prepare(
		&st, db,
		"SELECT m.id, m.platform, m.level, m.start_date, m.expiry_date,"
		" m.price, m.auto_renew, m.inactivity_days, m.last_login,"
		" m.status,"
		" (SELECT count(*) FROM membership_renewals r"
		"   WHERE r.membership_id = m.id AND r.old_expiry IS NOT NULL),"
		" (SELECT group_concat(rec.order_no, ', ')"
		"   FROM membership_renewals r JOIN records rec"
		"   ON rec.id = r.order_record_id WHERE r.membership_id = m.id)"
		" FROM memberships m"
		" ORDER BY m.status = 'ended', m.expiry_date, m.id");
	if (error < 0)
		return error;
	return kmv_db__each(db, st, member_row, &w, "cannot list memberships");
}
