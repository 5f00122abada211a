/* SPDX-License-Identifier: MIT */
/*
 * User corrections: edit, tag, void, unvoid (kmv/edit.h).  Each call is
 * one transaction and one audit event; the history `show` prints is read
 * back from those events, so it is covered by the hash chain `check`
 * verifies.
 */
#include "common.h"

#include "kmv/i18n.h"
#include "kmvutil/datetime.h"
#include "kmv/edit.h"
#include "kmvutil/json.h"
#include "store/vault.h"
#include "store/db.h"

#define VALUE_MAX 512
#define TAG_MAX 64

/* Text a user may store: bounded, no control characters. */
static int check_value(const char *what, const char *v, size_t max)
{
	size_t n = strlen(v);

	if (n > max) {
		kmv_error_set(KMV_ERROR_INPUT, "%s is longer than %zu bytes",
			      _(what), max);
		return KMV_EUSAGE;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) {
			kmv_error_set(KMV_ERROR_INPUT,
				      "%s holds a control "
				      "character",
				      _(what));
			return KMV_EUSAGE;
		}
	return 0;
}

static int record_exists(sqlite3 *db, int64_t id)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(&st, db, "SELECT 1 FROM records WHERE id = ?"));
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		kmv_error_set(KMV_ERROR_INPUT, "no record #%lld",
			      (long long)id);
		error = KMV_ENOTFOUND;
	} else if (rc != SQLITE_ROW) {
		error = kmv_db__error(db, "cannot look up a record");
	}
done:
	sqlite3_finalize(st);
	return error;
}

/* The current value of a field: a column, or extra.note for the note. */
static int current_value(char **out, sqlite3 *db, int64_t id, const char *field)
{
	sqlite3_stmt *st = NULL;
	char sql[160];
	int error = 0;

	*out = NULL;
	if (strcmp(field, "note") == 0)
		snprintf(sql, sizeof(sql),
			 "SELECT json_extract(extra, '$.note') "
			 "FROM records WHERE id = ?");
	else
		snprintf(sql, sizeof(sql),
			 "SELECT %s FROM records WHERE id = ?", field);
	KMV_TRY(kmv_db__prepare(&st, db, sql));
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW && kmv_db__text(st, 0) &&
	    !(*out = strdup(kmv_db__text(st, 0))))
		error = kmv_error_nomem();
done:
	sqlite3_finalize(st);
	return error;
}

static int set_value(sqlite3 *db, int64_t id, const char *field,
		     const char *value, const char *now, const char *rule)
{
	sqlite3_stmt *st = NULL;
	char sql[768];
	int error = 0;

	if (strcmp(field, "note") == 0)
		snprintf(sql, sizeof(sql),
			 "UPDATE records SET extra = CASE WHEN "
			 "?1 IS NULL THEN json_remove(coalesce(extra, '{}'), "
			 "'$.note') ELSE json_set(coalesce(extra, '{}'), '$.note', "
			 "?1) END, updated_at = ?2 WHERE id = ?3");
	else
		/* The imported value is kept once, at the first edit. */
		snprintf(
			sql, sizeof(sql),
			"UPDATE records SET extra = CASE WHEN "
			"json_type(extra, '$.imported.%1$s') IS NULL THEN "
			"json_set(coalesce(extra, '{}'), '$.imported.%1$s', %1$s) "
			"ELSE extra END, %1$s = ?1, updated_at = ?2 WHERE id = ?3",
			field);
	KMV_TRY(kmv_db__prepare(&st, db, sql));
	kmv_db__bind_text(st, 1, value);
	kmv_db__bind_text(st, 2, now);
	sqlite3_bind_int64(st, 3, id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		error = kmv_db__error(db, "cannot edit the record");
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;
	/* Who owns the value now: a rule (later runs may change it) or you. */
	snprintf(sql, sizeof(sql),
		 "UPDATE records SET extra = CASE WHEN ?1 IS "
		 "NULL THEN json_remove(extra, '$.rules.%1$s') ELSE json_set("
		 "extra, '$.rules.%1$s', ?1) END WHERE id = ?2",
		 field);
	KMV_TRY(kmv_db__prepare(&st, db, sql));
	kmv_db__bind_text(st, 1, rule);
	sqlite3_bind_int64(st, 2, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		error = kmv_db__error(db, "cannot edit the record");
done:
	sqlite3_finalize(st);
	return error;
}

static void now_text(char out[KMV_TIME_BUFSZ])
{
	kmv_time now = kmv_time_now();

	kmv_time_format(out, &now);
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int kmv_record_edit(kmv_vault *vault, int64_t id, const kmv_edit_fields *f,
		    const char *who, int *changed_out)
{
	const char *fields[] = { "platform", "merchant", "category", "note" };
	const char *values[4];
	char now[KMV_TIME_BUFSZ];
	kmv_buf detail = KMV_BUF_INIT;
	kmv_json j;
	sqlite3 *db;
	bool began = false, any = false;
	int changed = 0, error = 0;

	KMV_ASSERT_ARG(vault && f);
	db = kmv_vault__db(vault);
	values[0] = f->platform;
	values[1] = f->merchant;
	values[2] = f->category;
	values[3] = f->note;
	for (size_t i = 0; i < KMV_ARRAY_SIZE(values); i++) {
		if (!values[i])
			continue;
		any = true;
		KMV_TRY(check_value(fields[i], values[i], VALUE_MAX));
	}
	if (f->rule)
		KMV_TRY(check_value("rule", f->rule, VALUE_MAX));
	if (!any) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "nothing to change (give --platform, "
			      "--merchant, --category or --note)");
		return KMV_EUSAGE;
	}
	KMV_TRY(record_exists(db, id));
	now_text(now);
	KMV_TRY(kmv_db__begin(db));
	began = true;
	kmv_json_init(&j, &detail, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_int(&j, "record", id);
	kmv_json_kv_string(&j, "user", who);
	if (f->rule)
		kmv_json_kv_string(&j, "rule", f->rule);
	kmv_json_key(&j, "changes");
	kmv_json_object_begin(&j);
	for (size_t i = 0; i < KMV_ARRAY_SIZE(values); i++) {
		const char *v = values[i] && *values[i] ? values[i] : NULL;
		char *old = NULL;

		if (!values[i])
			continue;
		KMV_TRY(current_value(&old, db, id, fields[i]));
		if (same(old, v)) {
			free(old);
			continue;
		}
		error = set_value(db, id, fields[i], v, now, f->rule);
		kmv_json_key(&j, fields[i]);
		kmv_json_object_begin(&j);
		kmv_json_kv_string(&j, "old", old);
		kmv_json_kv_string(&j, "new", v);
		kmv_json_object_end(&j);
		free(old);
		KMV_TRY(error);
		changed++;
	}
	kmv_json_object_end(&j);
	kmv_json_object_end(&j);
	KMV_TRY(kmv_json_finish(&j));
	if (changed)
		KMV_TRY(kmv_audit_append(vault, "edit", detail.ptr));
	KMV_TRY(kmv_db__commit(db));
	began = false;
	if (changed_out)
		*changed_out = changed;
done:
	if (began)
		kmv_db__rollback(db);
	kmv_buf_dispose(&detail);
	return error;
}

/* ---- tags ---------------------------------------------------------- */

typedef struct tag_set {
	char **v;
	size_t n, cap;
} tag_set;

static void tags_dispose(tag_set *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
}

static bool tags_has(const tag_set *t, const char *tag)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i], tag) == 0)
			return true;
	return false;
}

static int tags_add(tag_set *t, const char *tag)
{
	if (tags_has(t, tag))
		return 0;
	if (KMV_ARRAY_GROW(t->v, t->cap, t->n + 1) < 0)
		return kmv_error_nomem();
	if (!(t->v[t->n] = strdup(tag)))
		return kmv_error_nomem();
	t->n++;
	return 0;
}

static bool tags_remove(tag_set *t, const char *tag)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i], tag) == 0) {
			free(t->v[i]);
			memmove(&t->v[i], &t->v[i + 1],
				(t->n - i - 1) * sizeof(*t->v));
			t->n--;
			return true;
		}
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int check_tag(const char *tag)
{
	int error;

	if (!*tag) {
		kmv_error_set(KMV_ERROR_INPUT, "empty tag");
		return KMV_EUSAGE;
	}
	if ((error = check_value(N_("tag"), tag, TAG_MAX)) < 0)
		return error;
	if (strpbrk(tag, " ,")) {
		kmv_error_set(KMV_ERROR_INPUT, "tag '%s' has a space or comma",
			      tag);
		return KMV_EUSAGE;
	}
	return 0;
}

static void json_tags(kmv_json *j, const char *key, const tag_set *t)
{
	kmv_json_key(j, key);
	kmv_json_array_begin(j);
	for (size_t i = 0; i < t->n; i++)
		kmv_json_string(j, t->v[i]);
	kmv_json_array_end(j);
}

static int read_tags(tag_set *t, sqlite3 *db, int64_t id)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(&st, db,
				"SELECT value FROM records, "
				"json_each(records.extra, '$.tags') WHERE "
				"records.id = ?"));
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (kmv_db__text(st, 0))
			KMV_TRY(tags_add(t, kmv_db__text(st, 0)));
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read the tags");
done:
	sqlite3_finalize(st);
	return error;
}

/* +TAG and -TAG arguments: at least one, each a valid tag. */
static int check_tag_changes(const char *const *add, size_t nadd,
			     const char *const *remove, size_t nremove)
{
	int error = 0;

	if (nadd + nremove == 0) {
		kmv_error_set(KMV_ERROR_INPUT, "no tags given (+TAG adds, -TAG "
					       "removes)");
		return KMV_EUSAGE;
	}
	for (size_t i = 0; i < nadd; i++)
		KMV_TRY(check_tag(add[i]));
	for (size_t i = 0; i < nremove; i++)
		KMV_TRY(check_tag(remove[i]));
done:
	return error;
}

/* `after` = `before` less `remove` plus `add`; *changed counts the edits. */
static int change_tags(tag_set *after, int *changed, const tag_set *before,
		       const char *const *add, size_t nadd,
		       const char *const *remove, size_t nremove)
{
	int error = 0;

	for (size_t i = 0; i < before->n; i++)
		KMV_TRY(tags_add(after, before->v[i]));
	for (size_t i = 0; i < nremove; i++)
		*changed += tags_remove(after, remove[i]);
	for (size_t i = 0; i < nadd; i++)
		if (!tags_has(after, add[i])) {
			KMV_TRY(tags_add(after, add[i]));
			(*changed)++;
		}
done:
	return error;
}

static int tag_record(kmv_vault *vault, int64_t id, const char *const *add,
		      size_t nadd, const char *const *remove, size_t nremove,
		      const char *who, const char *rule, int *changed_out)
{
	tag_set before = { NULL, 0, 0 }, after = { NULL, 0, 0 };
	kmv_buf detail = KMV_BUF_INIT, array = KMV_BUF_INIT;
	char now[KMV_TIME_BUFSZ];
	sqlite3_stmt *st = NULL;
	kmv_json j;
	sqlite3 *db;
	bool began = false;
	int changed = 0, error = 0;

	KMV_ASSERT_ARG(vault && (add || !nadd) && (remove || !nremove));
	db = kmv_vault__db(vault);
	KMV_TRY(check_tag_changes(add, nadd, remove, nremove));
	KMV_TRY(record_exists(db, id));
	KMV_TRY(read_tags(&before, db, id));
	KMV_TRY(change_tags(&after, &changed, &before, add, nadd, remove,
			    nremove));
	if (changed_out)
		*changed_out = changed;
	if (!changed)
		goto done;
	qsort(after.v, after.n, sizeof(*after.v), cmp_str);
	kmv_json_init(&j, &array, false);
	kmv_json_array_begin(&j);
	for (size_t i = 0; i < after.n; i++)
		kmv_json_string(&j, after.v[i]);
	kmv_json_array_end(&j);
	KMV_TRY(kmv_json_finish(&j));
	kmv_json_init(&j, &detail, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_int(&j, "record", id);
	kmv_json_kv_string(&j, "user", who);
	if (rule)
		kmv_json_kv_string(&j, "rule", rule);
	json_tags(&j, "old", &before);
	json_tags(&j, "new", &after);
	kmv_json_object_end(&j);
	KMV_TRY(kmv_json_finish(&j));
	now_text(now);
	KMV_TRY(kmv_db__begin(db));
	began = true;
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"UPDATE records SET extra = CASE WHEN "
		"json_array_length(?1) = 0 THEN json_remove("
		"coalesce(extra, '{}'), '$.tags') ELSE json_set("
		"coalesce(extra, '{}'), '$.tags', json(?1)) END, "
		"updated_at = ?2 WHERE id = ?3"));
	kmv_db__bind_text(st, 1, array.ptr);
	kmv_db__bind_text(st, 2, now);
	sqlite3_bind_int64(st, 3, id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		error = kmv_db__error(db, "cannot tag the record");
		goto done;
	}
	KMV_TRY(kmv_audit_append(vault, "tag", detail.ptr));
	KMV_TRY(kmv_db__commit(db));
	began = false;
done:
	sqlite3_finalize(st);
	if (began)
		kmv_db__rollback(db);
	tags_dispose(&before);
	tags_dispose(&after);
	kmv_buf_dispose(&detail);
	kmv_buf_dispose(&array);
	return error;
}

int kmv_record_tag(kmv_vault *vault, int64_t id, const char *const *add,
		   size_t nadd, const char *const *remove, size_t nremove,
		   const char *who, int *changed_out)
{
	return tag_record(vault, id, add, nadd, remove, nremove, who, NULL,
			  changed_out);
}

int kmv_record_tag_by_rule(kmv_vault *vault, int64_t id, const char *const *add,
			   size_t nadd, const char *rule, const char *who,
			   int *changed_out)
{
	int error;

	KMV_ASSERT_ARG(rule);
	if ((error = check_value("rule", rule, VALUE_MAX)) < 0)
		return error;
	return tag_record(vault, id, add, nadd, NULL, 0, who, rule,
			  changed_out);
}

/* ---- void / unvoid ------------------------------------------------- */

int kmv_record_void(kmv_vault *vault, const kmv_record_ids *ids, bool unvoid,
		    const char *reason, int64_t source_id, const char *who,
		    int *changed_out)
{
	kmv_buf detail = KMV_BUF_INIT;
	char now[KMV_TIME_BUFSZ];
	sqlite3_stmt *st = NULL;
	kmv_json j;
	sqlite3 *db;
	bool began = false;
	int changed = 0, error = 0;

	KMV_ASSERT_ARG(vault && ids);
	db = kmv_vault__db(vault);
	if (reason)
		KMV_TRY(check_value(N_("reason"), reason, VALUE_MAX));
	for (size_t i = 0; i < ids->n; i++)
		KMV_TRY(record_exists(db, ids->v[i]));
	now_text(now);
	KMV_TRY(kmv_db__begin(db));
	began = true;
	KMV_TRY(kmv_db__prepare(
		&st, db,
		unvoid ? "UPDATE records SET deleted_at = NULL, updated_at = ?1 "
			 "WHERE id = ?2 AND deleted_at IS NOT NULL"
		       : "UPDATE records SET deleted_at = ?1, updated_at = ?1 "
			 "WHERE id = ?2 AND deleted_at IS NULL"));
	kmv_json_init(&j, &detail, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_string(&j, "user", who);
	if (reason && *reason)
		kmv_json_kv_string(&j, "reason", reason);
	if (source_id > 0)
		kmv_json_kv_int(&j, "source", source_id);
	kmv_json_key(&j, "records");
	kmv_json_array_begin(&j);
	for (size_t i = 0; i < ids->n; i++) {
		sqlite3_reset(st);
		kmv_db__bind_text(st, 1, now);
		sqlite3_bind_int64(st, 2, ids->v[i]);
		if (sqlite3_step(st) != SQLITE_DONE) {
			error = kmv_db__error(db, "cannot void the record");
			goto done;
		}
		if (sqlite3_changes(db) > 0) {
			kmv_json_int(&j, ids->v[i]);
			changed++;
		}
	}
	kmv_json_array_end(&j);
	kmv_json_object_end(&j);
	KMV_TRY(kmv_json_finish(&j));
	if (changed)
		KMV_TRY(kmv_audit_append(vault, unvoid ? "unvoid" : "void",
					 detail.ptr));
	KMV_TRY(kmv_db__commit(db));
	began = false;
	if (changed_out)
		*changed_out = changed;
done:
	sqlite3_finalize(st);
	if (began)
		kmv_db__rollback(db);
	kmv_buf_dispose(&detail);
	return error;
}

int kmv_source_records(kmv_vault *vault, int64_t source_id, kmv_record_ids *ids)
{
	sqlite3_stmt *st = NULL;
	sqlite3 *db;
	int error = 0, rc;

	KMV_ASSERT_ARG(vault && ids);
	db = kmv_vault__db(vault);
	ids->n = 0;
	KMV_TRY(kmv_db__prepare(&st, db, "SELECT 1 FROM sources WHERE id = ?"));
	sqlite3_bind_int64(st, 1, source_id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_ROW) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "no source #%lld (see 'kmvault "
			      "sources')",
			      (long long)source_id);
		return KMV_ENOTFOUND;
	}
	/* An order's timeline names every source that showed it. */
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"WITH mine(id) AS (SELECT id FROM sources WHERE id = ?1"
		" UNION SELECT id FROM sources WHERE parent_id = ?1)"
		" SELECT r.id FROM records r WHERE r.source_id IN mine"
		" AND NOT EXISTS (SELECT 1 FROM timeline t WHERE t.record_id = r.id"
		"  AND t.source_id IS NOT NULL AND t.source_id NOT IN mine)"
		" ORDER BY r.id"));
	sqlite3_bind_int64(st, 1, source_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((error = KMV_ARRAY_GROW(ids->v, ids->cap, ids->n + 1)) < 0)
			goto done;
		ids->v[ids->n++] = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot list the source's records");
done:
	sqlite3_finalize(st);
	return error;
}

/* ---- history ------------------------------------------------------- */

struct history_walk {
	kmv_history_cb cb;
	void *payload;
};

static int history_row(sqlite3_stmt *st, void *payload)
{
	const struct history_walk *w = payload;
	kmv_history_entry e;

	e.time = kmv_db__text(st, 0);
	e.who = kmv_db__text(st, 1);
	e.action = kmv_db__text(st, 2);
	e.field = kmv_db__text(st, 3);
	e.old_value = kmv_db__text(st, 4);
	e.new_value = kmv_db__text(st, 5);
	e.rule = kmv_db__text(st, 7);
	return w->cb(&e, w->payload);
}

int kmv_record_history(kmv_vault *vault, int64_t id, kmv_history_cb cb,
		       void *payload)
{
	struct history_walk w = { cb, payload };
	sqlite3_stmt *st = NULL;
	sqlite3 *db;
	int error;

	KMV_ASSERT_ARG(vault && cb);
	db = kmv_vault__db(vault);
	/*
	 * One row per change: the fields of an edit, the tag lists, and the
	 * void/unvoid events naming this record.
	 */
	error = kmv_db__prepare(
		&st, db,
		"SELECT e.time, json_extract(e.detail, '$.user'), e.action, c.key,"
		" json_extract(c.value, '$.old'), json_extract(c.value, '$.new'), e.id,"
		" json_extract(e.detail, '$.rule')"
		" FROM events e, json_each(e.detail, '$.changes') c"
		" WHERE e.action = 'edit' AND json_extract(e.detail, '$.record') = ?1"
		" UNION ALL"
		" SELECT e.time, json_extract(e.detail, '$.user'), e.action, 'tags',"
		" (SELECT group_concat(value, ', ') FROM json_each(e.detail, '$.old')),"
		" (SELECT group_concat(value, ', ') FROM json_each(e.detail, '$.new')),"
		" e.id, json_extract(e.detail, '$.rule') FROM events e WHERE e.action = 'tag'"
		" AND json_extract(e.detail, '$.record') = ?1"
		" UNION ALL"
		" SELECT e.time, json_extract(e.detail, '$.user'), e.action, NULL,"
		" NULL, json_extract(e.detail, '$.reason'), e.id, NULL"
		" FROM events e WHERE e.action IN ('void', 'unvoid')"
		" AND EXISTS (SELECT 1 FROM json_each(e.detail, '$.records')"
		"  WHERE value = ?1)"
		/*
		 * The same changes made on another copy and brought in by
		 * `merge`: carried whole in "merged" events, with the record
		 * ids of this vault beside them (lib/sync/merge.c).
		 */
		" UNION ALL"
		" SELECT json_extract(e.detail, '$.time'),"
		" json_extract(json_extract(e.detail, '$.detail'), '$.user'),"
		" 'edit', c.key, json_extract(c.value, '$.old'),"
		" json_extract(c.value, '$.new'), e.id,"
		" json_extract(json_extract(e.detail, '$.detail'), '$.rule')"
		" FROM events e, json_each(json_extract(e.detail, '$.detail'),"
		"  '$.changes') c"
		" WHERE e.action = 'merged' AND json_extract(e.detail, '$.action') = 'edit'"
		" AND json_extract(e.detail, '$.record') = ?1"
		" UNION ALL"
		" SELECT json_extract(e.detail, '$.time'),"
		" json_extract(json_extract(e.detail, '$.detail'), '$.user'), 'tag', 'tags',"
		" (SELECT group_concat(value, ', ') FROM"
		"  json_each(json_extract(e.detail, '$.detail'), '$.old')),"
		" (SELECT group_concat(value, ', ') FROM"
		"  json_each(json_extract(e.detail, '$.detail'), '$.new')),"
		" e.id, json_extract(json_extract(e.detail, '$.detail'), '$.rule')"
		" FROM events e WHERE e.action = 'merged'"
		" AND json_extract(e.detail, '$.action') = 'tag'"
		" AND json_extract(e.detail, '$.record') = ?1"
		" UNION ALL"
		" SELECT json_extract(e.detail, '$.time'),"
		" json_extract(json_extract(e.detail, '$.detail'), '$.user'),"
		" json_extract(e.detail, '$.action'), NULL, NULL,"
		" json_extract(json_extract(e.detail, '$.detail'), '$.reason'), e.id,"
		" NULL FROM events e WHERE e.action = 'merged'"
		" AND json_extract(e.detail, '$.action') IN ('void', 'unvoid')"
		" AND EXISTS (SELECT 1 FROM json_each(e.detail, '$.records')"
		"  WHERE value = ?1)"
		" ORDER BY 1, 7");
	if (error < 0)
		return error;
	sqlite3_bind_int64(st, 1, id);
	error = kmv_db__each(db, st, history_row, &w,
			     "cannot read the history");
	return error < 0 ? error : 0;
}
