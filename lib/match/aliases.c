/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "kmv/match.h"

#include "kmvutil/datetime.h"
#include "kmvutil/json.h"
#include "kmvutil/text.h"
#include "store/vault.h"
#include "store/db.h"

/*
 * The aliases table: (merchant, platform) with origin "learned" (written
 * by match runs), "user" (alias add) or "removed" (alias remove).  A
 * removed row stays as a tombstone: runs skip pairs that have any row, so
 * the user's "no" outlives later runs; matching treats it as "not
 * compatible", even when the names look alike.
 */

struct alias_walk {
	kmv_alias_cb cb;
	void *payload;
};

static int alias_row(sqlite3_stmt *st, void *payload)
{
	const struct alias_walk *w = payload;
	kmv_alias a;

	a.merchant = kmv_db__text(st, 0);
	a.platform = kmv_db__text(st, 1);
	a.origin = kmv_db__text(st, 2);
	a.created_at = kmv_db__text(st, 3);
	return w->cb(&a, w->payload);
}

int kmv_alias_foreach(kmv_vault *vault, kmv_alias_cb cb, void *payload)
{
	struct alias_walk w = { cb, payload };
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	int error;

	KMV_ASSERT_ARG(vault && cb);
	db = kmv_vault__db(vault);
	error = kmv_db__prepare(
		&st, db,
		"SELECT merchant, platform, origin, created_at FROM aliases "
		"WHERE origin <> 'removed' ORDER BY merchant, platform");
	if (error < 0)
		return error;
	return kmv_db__each(db, st, alias_row, &w, "cannot read aliases");
}

static int check_names(char **m, char **p, const char *merchant,
		       const char *platform)
{
	*m = merchant ? strdup(merchant) : NULL;
	*p = platform ? strdup(platform) : NULL;
	if ((merchant && !*m) || (platform && !*p))
		return kmv_error_nomem();
	if (!*m || !*kmv_trim(*m) || !*p || !*kmv_trim(*p)) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "an alias needs a merchant and a "
			      "platform name");
		return KMV_EUSAGE;
	}
	return 0;
}

static int audit_alias(kmv_vault *vault, const char *action, const char *m,
		       const char *p)
{
	kmv_buf buf = KMV_BUF_INIT;
	kmv_json j;
	int error = 0;

	kmv_json_init(&j, &buf, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_string(&j, "merchant", m);
	kmv_json_kv_string(&j, "platform", p);
	kmv_json_object_end(&j);
	KMV_TRY(kmv_json_finish(&j));
	KMV_TRY(kmv_audit_append(vault, action, buf.ptr));
done:
	kmv_buf_dispose(&buf);
	return error;
}

int kmv_alias_add(kmv_vault *vault, const char *merchant, const char *platform)
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	kmv_time now = kmv_time_now();
	char when[KMV_TIME_BUFSZ];
	char *m = NULL, *p = NULL;
	bool began = false;
	int error = 0;

	KMV_ASSERT_ARG(vault);
	db = kmv_vault__db(vault);
	KMV_TRY(check_names(&m, &p, merchant, platform));
	kmv_time_format(when, &now);
	KMV_TRY(kmv_db__begin(db));
	began = true;
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"INSERT INTO aliases(merchant, platform, origin, created_at) "
		"VALUES (?, ?, 'user', ?) ON CONFLICT(merchant, platform) "
		"DO UPDATE SET origin = 'user'"));
	kmv_db__bind_text(st, 1, m);
	kmv_db__bind_text(st, 2, p);
	kmv_db__bind_text(st, 3, when);
	if (sqlite3_step(st) != SQLITE_DONE) {
		error = kmv_db__error(db, "cannot add the alias");
		goto done;
	}
	KMV_TRY(audit_alias(vault, "alias-add", m, p));
	KMV_TRY(kmv_db__commit(db));
	began = false;
done:
	sqlite3_finalize(st);
	if (began)
		kmv_db__rollback(db);
	free(m);
	free(p);
	return error;
}

int kmv_alias_remove(kmv_vault *vault, const char *merchant,
		     const char *platform)
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	char *m = NULL, *p = NULL;
	bool began = false;
	int error = 0;

	KMV_ASSERT_ARG(vault);
	db = kmv_vault__db(vault);
	KMV_TRY(check_names(&m, &p, merchant, platform));
	KMV_TRY(kmv_db__begin(db));
	began = true;
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"UPDATE aliases SET origin = 'removed' WHERE merchant = ? AND "
		"platform = ? AND origin <> 'removed'"));
	kmv_db__bind_text(st, 1, m);
	kmv_db__bind_text(st, 2, p);
	if (sqlite3_step(st) != SQLITE_DONE) {
		error = kmv_db__error(db, "cannot remove the alias");
		goto done;
	}
	if (sqlite3_changes(db) == 0) {
		kmv_error_set(KMV_ERROR_INPUT, "no alias '%s' -> '%s'", m, p);
		error = KMV_ENOTFOUND;
		goto done;
	}
	KMV_TRY(audit_alias(vault, "alias-remove", m, p));
	KMV_TRY(kmv_db__commit(db));
	began = false;
done:
	sqlite3_finalize(st);
	if (began)
		kmv_db__rollback(db);
	free(m);
	free(p);
	return error;
}
