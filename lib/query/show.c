/* SPDX-License-Identifier: MIT */
/*
 * kmv_show_*: one record with provenance, timeline, links, attachments
 * and the records sharing its number.  Read-only except for the reveal
 * audit event.  Masking happens here, at load time, so the CLI (or any
 * later caller) cannot print a card secret by accident.
 */
#include "common.h"
#include "kmv/i18n.h"
#include "kmv/label.h"
#include "kmvutil/json.h"
#include "kmv/resolve.h"
#include "kmv/show.h"
#include "query/reveal.h"
#include "store/vault.h"
#include "store/db.h"
#include "store/records.h"

#include <ctype.h>
#include <jansson.h>

static int dup_col(char **out, sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	*out = NULL;
	if (!s)
		return 0;
	if (!(*out = strdup(s)))
		return kmv_error_nomem();
	return 0;
}

static void item_dispose(kmv_show_item *it)
{
	kmv_record_dispose(&it->rec);
	free(it->source.name);
	free(it->source.kind);
	free(it->source.sha256);
	free(it->source.parent_name);
	for (size_t i = 0; i < it->ntimeline; i++) {
		kmv_show_state *s = &it->timeline[i];

		free(s->state);
		free(s->state_raw);
		free(s->event_time);
		free(s->seen_at);
		free(s->source_name);
	}
	free(it->timeline);
	for (size_t i = 0; i < it->nlinks; i++) {
		kmv_show_link *l = &it->links[i];

		free(l->rule);
		free(l->explanation);
		free(l->created_at);
		free(l->other_kind);
		free(l->other_order_no);
		free(l->other_time);
		free(l->other_merchant);
	}
	free(it->links);
	for (size_t i = 0; i < it->nattachments; i++) {
		kmv_show_attachment *a = &it->attachments[i];

		free(a->name);
		free(a->mime);
		free(a->sha256);
		free(a->note);
		free(a->created_at);
	}
	free(it->attachments);
	memset(it, 0, sizeof(*it));
}

bool kmv_show_unverified(const kmv_record *rec, const char *field)
{
	json_t *extra, *list, *v;
	bool found = false;
	size_t i;

	if (!rec || !rec->extra_json || !field ||
	    !strstr(rec->extra_json, "unverified"))
		return false;
	extra = json_loads(rec->extra_json, 0, NULL);
	list = json_object_get(extra, "unverified");
	json_array_foreach(list, i, v) if (json_is_string(v) &&
					   strcmp(json_string_value(v),
						  field) == 0) found = true;
	json_decref(extra);
	return found;
}

/* A value of extra as text; an object's keys are words too. */
static int extra_value(kmv_buf *out, json_t *v, int depth)
{
	const char *key;
	json_t *item;
	size_t i;
	int error = 0;

	switch (json_typeof(v)) {
	case JSON_STRING: return kmv_buf_puts(out, json_string_value(v));
	case JSON_INTEGER:
		return kmv_buf_printf(out, "%lld",
				      (long long)json_integer_value(v));
	case JSON_REAL: return kmv_buf_printf(out, "%g", json_real_value(v));
	case JSON_TRUE: return kmv_buf_puts(out, _("yes"));
	case JSON_FALSE: return kmv_buf_puts(out, _("no"));
	case JSON_NULL: return kmv_buf_puts(out, _("(none)"));
	case JSON_ARRAY:
		json_array_foreach(v, i, item)
		{
			if (i)
				KMV_TRY(kmv_buf_puts(out, ", "));
			/* a list of field names (unverified) reads as words */
			if (json_is_string(item) &&
			    kmv_label_known(KMV_LABEL_EXTRA,
					    json_string_value(item)))
				KMV_TRY(kmv_buf_puts(
					out,
					kmv_label(KMV_LABEL_EXTRA,
						  json_string_value(item))));
			else
				KMV_TRY(extra_value(out, item, depth + 1));
		}
		break;
	case JSON_OBJECT:
		if (depth > 2)
			return kmv_buf_puts(out, "…");
		i = 0;
		json_object_foreach(v, key, item)
		{
			KMV_TRY(kmv_buf_printf(out, "%s%s: ", i++ ? "; " : "",
					       kmv_label(KMV_LABEL_EXTRA,
							 key)));
			KMV_TRY(extra_value(out, item, depth + 1));
		}
		break;
	}
done:
	return error;
}

int kmv_show_extra_foreach(const kmv_record *rec, kmv_show_extra_cb cb,
			   void *payload)
{
	kmv_buf text = KMV_BUF_INIT;
	json_t *extra;
	const char *key;
	json_t *v;
	int error = 0;

	KMV_ASSERT_ARG(rec && cb);
	if (!rec->extra_json)
		return 0;
	if (!(extra = json_loads(rec->extra_json, 0, NULL)))
		return 0; /* not an object: nothing a reader could use */
	json_object_foreach(extra, key, v)
	{
		kmv_buf_clear(&text);
		KMV_TRY(extra_value(&text, v, 0));
		if (text.size == 0)
			continue;
		if ((error = cb(kmv_label(KMV_LABEL_EXTRA, key), text.ptr,
				payload)) != 0)
			break;
	}
done:
	json_decref(extra);
	kmv_buf_dispose(&text);
	return error;
}

void kmv_show_result_free(kmv_show_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->count; i++)
		item_dispose(&res->items[i]);
	free(res->items);
	free(res);
}

/* Grow an array of `size`-byte elements by one zeroed element. */
static void *push(void *arr, size_t *n, size_t size)
{
	char *p = realloc(arr, (*n + 1) * size);

	if (!p)
		return NULL;
	memset(p + *n * size, 0, size);
	(*n)++;
	return p;
}

static int load_record(kmv_show_item *it, sqlite3_stmt *st, bool reveal)
{
	const char *secret = kmv_db__text(st, KMV_RECORD_FIELD_CARD_SECRET);

	it->has_card_secret = secret && *secret;
	return kmv_record__from_row(&it->rec, st, 0, reveal);
}

static int load_source(kmv_show_item *it, sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	it->source.id = it->rec.source_id;
	it->source.line = it->rec.source_line;
	if (!it->rec.source_id)
		return 0;
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT s.name, s.kind, s.sha256, "
		"coalesce(s.parent_id, 0), p.name FROM sources s "
		"LEFT JOIN sources p ON p.id = s.parent_id "
		"WHERE s.id = ?"));
	sqlite3_bind_int64(st, 1, it->rec.source_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		KMV_TRY(dup_col(&it->source.name, st, 0));
		KMV_TRY(dup_col(&it->source.kind, st, 1));
		KMV_TRY(dup_col(&it->source.sha256, st, 2));
		it->source.parent_id = sqlite3_column_int64(st, 3);
		KMV_TRY(dup_col(&it->source.parent_name, st, 4));
	}
done:
	sqlite3_finalize(st);
	return error;
}

static int load_timeline(kmv_show_item *it, sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(&st, db,
				"SELECT t.state, t.state_raw, t.event_time, "
				"t.seen_at, coalesce(t.source_id, 0), s.name "
				"FROM timeline t LEFT JOIN sources s ON "
				"s.id = t.source_id WHERE t.record_id = ? "
				"ORDER BY t.id"));
	sqlite3_bind_int64(st, 1, it->rec.id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kmv_show_state *arr = push(it->timeline, &it->ntimeline,
					   sizeof(*arr)),
			       *s;

		if (!arr) {
			error = kmv_error_nomem();
			goto done;
		}
		it->timeline = arr;
		s = &arr[it->ntimeline - 1];
		KMV_TRY(dup_col(&s->state, st, 0));
		KMV_TRY(dup_col(&s->state_raw, st, 1));
		KMV_TRY(dup_col(&s->event_time, st, 2));
		KMV_TRY(dup_col(&s->seen_at, st, 3));
		s->source_id = sqlite3_column_int64(st, 4);
		KMV_TRY(dup_col(&s->source_name, st, 5));
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read the timeline");
done:
	sqlite3_finalize(st);
	return error;
}

static int load_links(kmv_show_item *it, sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(&st, db,
				"SELECT l.id, l.a, l.b, l.rule, l.score, "
				"l.explanation, l.manual, l.created_at, r.kind, "
				"r.order_no, r.time, r.merchant, r.amount "
				"FROM links l JOIN records r ON r.id = "
				"(CASE WHEN l.a = ?1 THEN l.b ELSE l.a END) "
				"WHERE l.a = ?1 OR l.b = ?1 ORDER BY l.id"));
	sqlite3_bind_int64(st, 1, it->rec.id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kmv_show_link *arr = push(it->links, &it->nlinks, sizeof(*arr)),
			      *l;

		if (!arr) {
			error = kmv_error_nomem();
			goto done;
		}
		it->links = arr;
		l = &arr[it->nlinks - 1];
		l->id = sqlite3_column_int64(st, 0);
		l->outgoing = sqlite3_column_int64(st, 1) == it->rec.id;
		l->other_id = sqlite3_column_int64(st, l->outgoing ? 2 : 1);
		KMV_TRY(dup_col(&l->rule, st, 3));
		l->score = sqlite3_column_double(st, 4);
		KMV_TRY(dup_col(&l->explanation, st, 5));
		l->manual = sqlite3_column_int(st, 6);
		KMV_TRY(dup_col(&l->created_at, st, 7));
		KMV_TRY(dup_col(&l->other_kind, st, 8));
		KMV_TRY(dup_col(&l->other_order_no, st, 9));
		KMV_TRY(dup_col(&l->other_time, st, 10));
		KMV_TRY(dup_col(&l->other_merchant, st, 11));
		l->other_has_amount = sqlite3_column_type(st, 12) !=
				      SQLITE_NULL;
		l->other_amount = sqlite3_column_int64(st, 12);
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read links");
done:
	sqlite3_finalize(st);
	return error;
}

static int load_attachments(kmv_show_item *it, sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT id, name, mime, sha256, size, note, "
		"created_at FROM attachments WHERE record_id = ? "
		"ORDER BY id"));
	sqlite3_bind_int64(st, 1, it->rec.id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kmv_show_attachment *arr = push(it->attachments,
						&it->nattachments,
						sizeof(*arr)),
				    *a;

		if (!arr) {
			error = kmv_error_nomem();
			goto done;
		}
		it->attachments = arr;
		a = &arr[it->nattachments - 1];
		a->id = sqlite3_column_int64(st, 0);
		KMV_TRY(dup_col(&a->name, st, 1));
		KMV_TRY(dup_col(&a->mime, st, 2));
		KMV_TRY(dup_col(&a->sha256, st, 3));
		a->size = sqlite3_column_int64(st, 4);
		KMV_TRY(dup_col(&a->note, st, 5));
		KMV_TRY(dup_col(&a->created_at, st, 6));
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read attachments");
done:
	sqlite3_finalize(st);
	return error;
}

static bool already(const kmv_show_result *res, int64_t id)
{
	for (size_t i = 0; i < res->count; i++)
		if (res->items[i].rec.id == id)
			return true;
	return false;
}

/* Run a record query (parameters bound by the caller) and add new rows. */
static int collect(kmv_show_result *res, sqlite3 *db, sqlite3_stmt *st,
		   bool reveal)
{
	int error = 0, rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kmv_show_item *arr, *it;

		if (already(res, sqlite3_column_int64(st, 0)))
			continue;
		arr = push(res->items, &res->count, sizeof(*arr));
		if (!arr) {
			error = kmv_error_nomem();
			goto done;
		}
		res->items = arr;
		it = &arr[res->count - 1];
		KMV_TRY(load_record(it, st, reveal));
		KMV_TRY(load_source(it, db));
		KMV_TRY(load_timeline(it, db));
		KMV_TRY(load_links(it, db));
		KMV_TRY(load_attachments(it, db));
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read records");
done:
	return error;
}

static int query_number(kmv_show_result *res, sqlite3 *db, const char *no,
			bool reveal)
{
	kmv_buf sql = KMV_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int error = 0;

	/* Orders first, then payments and receipts, each oldest first. */
	KMV_TRY(kmv_record__select(&sql, 0, NULL));
	KMV_TRY(kmv_buf_puts(&sql,
			     " WHERE r.order_no = ?1 OR r.payment_no = ?1 "
			     "OR r.merchant_order_no = ?1 ORDER BY CASE r.kind "
			     "WHEN 'order' THEN 0 WHEN 'payment' THEN 1 ELSE 2 "
			     "END, r.ts, r.id"));
	KMV_TRY(kmv_db__prepare(&st, db, sql.ptr));
	kmv_db__bind_text(st, 1, no);
	error = collect(res, db, st, reveal);
done:
	sqlite3_finalize(st);
	kmv_buf_dispose(&sql);
	return error;
}

int kmv_show_lookup(kmv_show_result **out, kmv_vault *vault, const char *what,
		    const kmv_show_options *opts)
{
	kmv_show_options defaults = KMV_SHOW_OPTIONS_INIT;
	sqlite3 *db;
	kmv_show_result *res;
	kmv_buf sql = KMV_BUF_INIT;
	sqlite3_stmt *st = NULL;
	size_t matched;
	int error = 0;

	KMV_ASSERT_ARG(out && vault && what);
	*out = NULL;
	if (!opts)
		opts = &defaults;
	db = kmv_vault__db(vault);
	if (!(res = calloc(1, sizeof(*res))))
		return kmv_error_nomem();
	/* The resolver's rule for "is it an id" (kmv/resolve.h); a number
	 * shows every record carrying it, so the lookup by number is show's. */
	if (kmv_record_text_is_id(what)) {
		KMV_TRY(kmv_record__select(&sql, 0, NULL));
		KMV_TRY(kmv_buf_puts(&sql, " WHERE r.id = ?"));
		KMV_TRY(kmv_db__prepare(&st, db, sql.ptr));
		sqlite3_bind_int64(st, 1,
				   strtoll(what + (*what == '#'), NULL, 10));
		KMV_TRY(collect(res, db, st, opts->reveal));
	}
	if (res->count == 0 && *what != '#') {
		res->by_number = true;
		KMV_TRY(query_number(res, db, what, opts->reveal));
	}
	if (res->count == 0) {
		kmv_error_set(KMV_ERROR_INPUT, "no record or order number '%s'",
			      what);
		error = KMV_ENOTFOUND;
		goto done;
	}
	/* Related: the other records carrying the matched numbers. */
	res->matched = matched = res->count;
	for (size_t i = 0; i < matched; i++) {
		for (size_t k = 0; k < 2; k++) {
			/* res->items may move while collecting: re-read. */
			const char *src =
				k == 0 ? res->items[i].rec.order_no
				       : res->items[i].rec.merchant_order_no;
			char *no;

			if (!src)
				continue;
			if (!(no = strdup(src))) {
				error = kmv_error_nomem();
				goto done;
			}
			error = query_number(res, db, no, opts->reveal);
			free(no);
			if (error < 0)
				goto done;
		}
	}
	/* A reveal is audited here, for every caller: one event per record. */
	for (size_t i = 0; i < res->count && opts->reveal; i++)
		KMV_TRY(kmv_reveal__audit(vault, res->items[i].rec.id,
					  kmv_record_kind_name(
						  res->items[i].rec.kind),
					  res->items[i].rec.order_no,
					  res->items[i].has_card_secret));
	*out = res;
	res = NULL;
done:
	sqlite3_finalize(st);
	kmv_buf_dispose(&sql);
	kmv_show_result_free(res);
	return error;
}
