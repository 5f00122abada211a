/* SPDX-License-Identifier: MIT */
/*
 * kmv_vault_merge: the other copy's database is attached to this vault's
 * connection as schema "o" (deserialized from the other copy's own
 * authenticated image) and copied over table by table, inside one
 * transaction.  Row ids differ between the copies, so every table that
 * others refer to gets a map (o.id -> id) in a temporary table, and every
 * reference column is translated through its map before a row is looked
 * up or added.
 *
 * Identities (what makes a row of the other copy "already here"):
 *   sources       sha256 (the bytes of the original file)
 *   records       (source_kind, dedup_key), the import's own identity;
 *                 the later updated_at wins (edits, tags, voids)
 *   cases         (opened_at, reason, counterparty, claim)
 *   memberships   (platform, created_at)
 *   every other   all its columns but the id, after translation
 * Tables merged by hand: events (see merge_events), settings (the vault's
 * own keys, identical in both copies), the FTS index (kept by triggers).
 */
#include "common.h"

#include <inttypes.h>
#include <stddef.h>
#include <sodium.h>
#include <sqlite3.h>

#include "kmvutil/json.h"
#include "kmv/merge.h"
#include "kmvutil/file.h"
#include "store/vault.h"
#include "store/db.h"
#include "store/schema.h"
#include "store/audit.h"

#define MAX_COLS 64

/* A column of a table that refers to a mapped table's ids. */
struct ref {
	const char *column;
	const char *map; /* temp map table */
};

struct table {
	const char *name;
	const char *map;        /* rows others refer to: keep o.id -> id */
	const char *const *key; /* identity columns; NULL: all columns */
	const char *updated;    /* later change wins: the "updated_at" column */
	int64_t *count;
};

static const struct ref refs[] = {
	{ "source_id", "m_sources" },
	{ "parent_id", "m_sources" },
	{ "record_id", "m_records" },
	{ "order_record_id", "m_records" },
	{ "refund_of", "m_records" },
	{ "a", "m_records" },
	{ "b", "m_records" },
	{ "case_id", "m_cases" },
	{ "membership_id", "m_memberships" },
};

/* Tables copied by hand or not at all. */
static bool skipped(const char *t)
{
	return !strcmp(t, "events") || !strcmp(t, "settings") ||
	       !strncmp(t, "records_fts", 11) || !strncmp(t, "sqlite_", 7);
}

static const char *ref_map(const char *table, const char *column)
{
	/* a/b are record references only in links. */
	if ((!strcmp(column, "a") || !strcmp(column, "b")) &&
	    strcmp(table, "links") != 0)
		return NULL;
	/* parent_id is a source reference only in sources. */
	if (!strcmp(column, "parent_id") && strcmp(table, "sources") != 0)
		return NULL;
	for (size_t i = 0; i < KMV_ARRAY_SIZE(refs); i++)
		if (!strcmp(refs[i].column, column))
			return refs[i].map;
	return NULL;
}

/* The columns both copies' `table` have, "id" apart. */
static int common_columns(char **cols, size_t *ncols, bool *has_id, sqlite3 *db,
			  const char *table)
{
	sqlite3_stmt *st = NULL;
	char *sql = sqlite3_mprintf(
		"SELECT m.name FROM pragma_table_info(%Q, 'main') m "
		"JOIN pragma_table_info(%Q, 'o') o ON o.name = m.name "
		"ORDER BY m.cid",
		table, table);
	int error = 0;

	*ncols = 0;
	*has_id = false;
	if (!sql)
		return kmv_error_nomem();
	KMV_TRY(kmv_db__prepare(&st, db, sql));
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *c = kmv_db__text_or_empty(st, 0);

		if (!strcmp(c, "id")) {
			*has_id = true;
			continue;
		}
		if (*ncols == MAX_COLS) {
			kmv_error_set(KMV_ERROR_INTERNAL,
				      "table %s has too many "
				      "columns to merge",
				      table);
			error = KMV_ERROR;
			goto done;
		}
		if (!(cols[(*ncols)++] = strdup(c))) {
			error = kmv_error_nomem();
			goto done;
		}
	}
done:
	sqlite3_finalize(st);
	sqlite3_free(sql);
	return error;
}

/* The id `map` gives `o_id`, or 0 when it has none. */
static int64_t mapped(sqlite3_stmt *lookup, int64_t o_id)
{
	int64_t id = 0;

	sqlite3_bind_int64(lookup, 1, o_id);
	if (sqlite3_step(lookup) == SQLITE_ROW)
		id = sqlite3_column_int64(lookup, 0);
	sqlite3_reset(lookup);
	return id;
}

/* Bind a row's values, references translated, as ?1..?ncols of `dst`. */
static void bind_row(sqlite3_stmt *dst, sqlite3_stmt *rows, size_t ncols,
		     sqlite3_stmt **lookups)
{
	for (size_t i = 0; i < ncols; i++) {
		sqlite3_value *v = sqlite3_column_value(rows, (int)i + 1);
		int p = (int)i + 1;

		if (lookups[i] && sqlite3_value_type(v) != SQLITE_NULL) {
			/* A reference not (yet) mapped is left empty. */
			int64_t n = mapped(lookups[i], sqlite3_value_int64(v));

			if (n)
				sqlite3_bind_int64(dst, p, n);
			else
				sqlite3_bind_null(dst, p);
		} else {
			sqlite3_bind_value(dst, p, v);
		}
	}
}

static bool in_list(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

/* One table's merge: its common columns and the statements over them. */
struct merger {
	sqlite3 *db;
	const struct table *t;
	char *cols[MAX_COLS];
	size_t ncols;
	bool has_id;
	sqlite3_stmt *rows, *find, *add, *map, *update;
	sqlite3_stmt *lookups[MAX_COLS]; /* a reference's o.id -> id */
};

/* The SQL of the merger's statements, built column by column. */
struct merger_sql {
	kmv_buf sel;    /* the rows of o.<table> */
	kmv_buf find;   /* a row here by its identity columns */
	kmv_buf insert; /* a row added */
	kmv_buf update; /* a later change taken */
	size_t nkey;
	int updated_col; /* -1: the table keeps no change time */
};

/* A statement from SQL made by sqlite3_mprintf (NULL: out of memory). */
static int prepare_printed(sqlite3_stmt **st, sqlite3 *db, char *q)
{
	int error;

	if (!q)
		return kmv_error_nomem();
	error = kmv_db__prepare(st, db, q);
	sqlite3_free(q);
	return error;
}

/* Column `i` in every statement's SQL, and its reference look-up. */
static int merger_column(struct merger *m, struct merger_sql *q, size_t i)
{
	const char *col = m->cols[i];
	const char *ref = ref_map(m->t->name, col);
	bool key = m->t->key ? in_list(m->t->key, col) : true;
	int error = 0;

	KMV_TRY(kmv_buf_printf(&q->sel, ", \"%s\"", col));
	KMV_TRY(kmv_buf_printf(&q->insert, "%s\"%s\"", i ? ", " : "", col));
	KMV_TRY(kmv_buf_printf(&q->update, "%s\"%s\" = ?%zu", i ? ", " : "",
			       col, i + 1));
	if (key) {
		KMV_TRY(kmv_buf_printf(&q->find, "%s\"%s\" IS ?%zu",
				       q->nkey ? " AND " : "", col, i + 1));
		q->nkey++;
	}
	if (m->t->updated && !strcmp(col, m->t->updated))
		q->updated_col = (int)i;
	if (ref)
		KMV_TRY(prepare_printed(
			&m->lookups[i], m->db,
			sqlite3_mprintf("SELECT n FROM temp.%s WHERE o = ?",
					ref)));
done:
	return error;
}

/* The statements' SQL before the columns. */
static int merger_heads(struct merger *m, struct merger_sql *q)
{
	const struct table *t = m->t;
	int error = 0;

	KMV_TRY(kmv_buf_puts(&q->sel, m->has_id ? "SELECT id" : "SELECT NULL"));
	KMV_TRY(kmv_buf_printf(&q->find, "SELECT %s FROM main.\"%s\" WHERE ",
			       m->has_id ? "id" : "rowid", t->name));
	/*
	 * Rows others refer to must be added (their new id is needed); the
	 * rest may meet a UNIQUE constraint of their own (a link made on both
	 * sides at different times): already here, then.
	 */
	KMV_TRY(kmv_buf_printf(&q->insert, "INSERT %sINTO main.\"%s\" (",
			       t->map ? "" : "OR IGNORE ", t->name));
	KMV_TRY(kmv_buf_printf(&q->update, "UPDATE main.\"%s\" SET ", t->name));
done:
	return error;
}

/* The statements' SQL after the columns. */
static int merger_tails(struct merger *m, struct merger_sql *q)
{
	const struct table *t = m->t;
	const char *id = m->has_id ? "id" : "rowid";
	const char *updated = t->updated ? t->updated : "id";
	int error = 0;

	KMV_TRY(kmv_buf_printf(&q->sel, " FROM o.\"%s\" ORDER BY %s", t->name,
			       id));
	KMV_TRY(kmv_buf_puts(&q->find, " LIMIT 1"));
	KMV_TRY(kmv_buf_puts(&q->insert, ") VALUES ("));
	for (size_t i = 0; i < m->ncols; i++)
		KMV_TRY(kmv_buf_printf(&q->insert, "%s?%zu", i ? ", " : "",
				       i + 1));
	KMV_TRY(kmv_buf_putc(&q->insert, ')'));
	KMV_TRY(kmv_buf_printf(&q->update,
			       " WHERE %s = ?%zu AND (\"%s\" IS NULL "
			       "OR \"%s\" < ?%d)",
			       id, m->ncols + 1, updated, updated,
			       q->updated_col + 1));
done:
	return error;
}

static int merger_prepare(struct merger *m)
{
	struct merger_sql q = {
		KMV_BUF_INIT, KMV_BUF_INIT, KMV_BUF_INIT, KMV_BUF_INIT, 0, -1
	};
	int error = 0;

	KMV_TRY(merger_heads(m, &q));
	for (size_t i = 0; i < m->ncols; i++)
		KMV_TRY(merger_column(m, &q, i));
	if (q.nkey == 0) {
		kmv_error_set(KMV_ERROR_INTERNAL, "no identity for table %s",
			      m->t->name);
		error = KMV_ERROR;
		goto done;
	}
	KMV_TRY(merger_tails(m, &q));
	KMV_TRY(kmv_db__prepare(&m->rows, m->db, q.sel.ptr));
	KMV_TRY(kmv_db__prepare(&m->find, m->db, q.find.ptr));
	KMV_TRY(kmv_db__prepare(&m->add, m->db, q.insert.ptr));
	if (q.updated_col >= 0)
		KMV_TRY(kmv_db__prepare(&m->update, m->db, q.update.ptr));
	if (m->t->map)
		KMV_TRY(prepare_printed(&m->map, m->db,
					sqlite3_mprintf("INSERT OR REPLACE INTO "
							"temp.%s (o, n) "
							"VALUES (?, ?)",
							m->t->map)));
done:
	kmv_buf_dispose(&q.sel);
	kmv_buf_dispose(&q.find);
	kmv_buf_dispose(&q.insert);
	kmv_buf_dispose(&q.update);
	return error;
}

/* The row m->rows stands on: found (a later change taken) or added. */
static int merger_row(struct merger *m, int64_t *added)
{
	sqlite3 *db = m->db;
	int64_t id = 0;
	int error = 0;

	bind_row(m->find, m->rows, m->ncols, m->lookups);
	bind_row(m->add, m->rows, m->ncols, m->lookups);
	/* Only the identity columns are named in find's WHERE. */
	if (sqlite3_step(m->find) == SQLITE_ROW) {
		id = sqlite3_column_int64(m->find, 0);
		if (m->update) {
			/* Changed on both sides: the later change wins. */
			bind_row(m->update, m->rows, m->ncols, m->lookups);
			sqlite3_bind_int64(m->update, (int)m->ncols + 1, id);
			if (sqlite3_step(m->update) != SQLITE_DONE) {
				error = kmv_db__error(db,
						      "cannot merge a change");
				goto done;
			}
			if (sqlite3_changes(db) > 0)
				(*added)++;
			sqlite3_reset(m->update);
		}
	} else {
		if (sqlite3_step(m->add) != SQLITE_DONE) {
			error = kmv_db__error(db, "cannot merge a row");
			goto done;
		}
		if (sqlite3_changes(db) > 0) {
			id = sqlite3_last_insert_rowid(db);
			(*added)++;
		}
	}
	sqlite3_reset(m->find);
	sqlite3_reset(m->add);
	if (m->map && m->has_id) {
		sqlite3_bind_int64(m->map, 1, sqlite3_column_int64(m->rows, 0));
		sqlite3_bind_int64(m->map, 2, id);
		if (sqlite3_step(m->map) != SQLITE_DONE) {
			error = kmv_db__error(db, "cannot merge");
			goto done;
		}
		sqlite3_reset(m->map);
	}
done:
	return error;
}

/*
 * Copy one table: each row of o.<table>, references translated, is found
 * by its identity or added; a mapped table records o.id -> id.
 */
static int merge_table(sqlite3 *db, const struct table *t, int64_t *added)
{
	struct merger m = { .db = db, .t = t };
	int rc, error = 0;

	KMV_TRY(common_columns(m.cols, &m.ncols, &m.has_id, db, t->name));
	if (m.ncols == 0)
		goto done;
	KMV_TRY(merger_prepare(&m));
	while ((rc = sqlite3_step(m.rows)) == SQLITE_ROW)
		KMV_TRY(merger_row(&m, added));
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read the other copy");
done:
	for (size_t i = 0; i < m.ncols; i++) {
		free(m.cols[i]);
		sqlite3_finalize(m.lookups[i]);
	}
	sqlite3_finalize(m.rows);
	sqlite3_finalize(m.find);
	sqlite3_finalize(m.add);
	sqlite3_finalize(m.map);
	sqlite3_finalize(m.update);
	return error;
}

/*
 * A record's refund_of may name a record that came later in the other
 * copy: fill the references the first pass had to leave empty.
 */
static int fix_refunds(sqlite3 *db)
{
	return kmv_db__exec(db,
			    "UPDATE main.records SET refund_of = ("
			    "  SELECT mr.n FROM o.records orec"
			    "  JOIN temp.m_records me ON me.o = orec.id"
			    "  JOIN temp.m_records mr ON mr.o = orec.refund_of"
			    "  WHERE me.n = main.records.id)"
			    " WHERE refund_of IS NULL AND id IN ("
			    "  SELECT me.n FROM o.records orec"
			    "  JOIN temp.m_records me ON me.o = orec.id"
			    "  WHERE orec.refund_of IS NOT NULL)");
}

/* Every table of the other copy, the mapped ones first, in that order. */
/*
 * The tables merged after sources, records, cases and memberships, by the
 * columns that make a row the same row in both copies (NULL: the whole
 * row), and the count of kmv_merge_result each adds to.  A table of both
 * copies not named here is merged whole into other_rows.
 */
static const char *const timeline_key[] = { "record_id", "state",
					    "state_raw", "event_time",
					    "source_id", NULL };
static const char *const note_key[] = { "case_id", "created_at", "note", NULL };
static const char *const renewal_key[] = { "membership_id", "created_at",
					   "new_expiry", NULL };
static const char *const attachment_key[] = { "record_id", "case_id", "sha256",
					      "name", NULL };
static const char *const link_key[] = { "a", "b", NULL };
static const char *const alias_key[] = { "merchant", "platform", NULL };
static const struct {
	const char *name;
	const char *const *key;
	size_t count_at; /* offsetof(kmv_merge_result, ...) */
} keyed_tables[] = {
	{ "links", link_key, offsetof(kmv_merge_result, links) },
	{ "timeline", timeline_key, offsetof(kmv_merge_result, timeline) },
	{ "aliases", alias_key, offsetof(kmv_merge_result, aliases) },
	{ "case_records", NULL, offsetof(kmv_merge_result, case_records) },
	{ "case_notes", note_key, offsetof(kmv_merge_result, case_notes) },
	{ "membership_renewals", renewal_key,
	  offsetof(kmv_merge_result, renewals) },
	{ "attachments", attachment_key,
	  offsetof(kmv_merge_result, attachments) },
};

static int merge_tables(sqlite3 *db, kmv_merge_result *r)
{
	static const char *const source_key[] = { "sha256", NULL };
	static const char *const record_key[] = { "source_kind", "dedup_key",
						  NULL };
	static const char *const case_key[] = { "opened_at", "reason",
						"counterparty", "claim", NULL };
	static const char *const member_key[] = { "platform", "created_at",
						  NULL };
	const struct table first[] = {
		{ "sources", "m_sources", source_key, NULL, &r->sources },
		/*
		 * A record changed on one side only (edit, tag, void, a newer
		 * status from a later import) has the later updated_at there:
		 * its values come over.  Changed on both sides, the later
		 * change wins for the whole record.
		 */
		{ "records", "m_records", record_key, "updated_at",
		  &r->records },
		{ "cases", "m_cases", case_key, "updated_at", &r->cases },
		{ "memberships", "m_memberships", member_key, "updated_at",
		  &r->memberships },
	};
	sqlite3_stmt *st = NULL;
	int error = 0;

	KMV_TRY(kmv_db__exec(
		db,
		"CREATE TEMP TABLE m_sources (o INTEGER PRIMARY KEY, n INTEGER);"
		"CREATE TEMP TABLE m_records (o INTEGER PRIMARY KEY, n INTEGER);"
		"CREATE TEMP TABLE m_cases (o INTEGER PRIMARY KEY, n INTEGER);"
		"CREATE TEMP TABLE m_memberships (o INTEGER PRIMARY KEY, n INTEGER);"));
	for (size_t i = 0; i < KMV_ARRAY_SIZE(first); i++)
		KMV_TRY(merge_table(db, &first[i], first[i].count));
	KMV_TRY(fix_refunds(db));
	/* The rest: every table both copies have, in name order. */
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT name FROM o.sqlite_master WHERE type = 'table' AND name IN"
		" (SELECT name FROM main.sqlite_master WHERE type = 'table')"
		" ORDER BY name"));
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = kmv_db__text_or_empty(st, 0);
		struct table t = { name, NULL, NULL, NULL, &r->other_rows };
		bool done_already = skipped(name);

		for (size_t i = 0; i < KMV_ARRAY_SIZE(first); i++)
			done_already |= !strcmp(first[i].name, name);
		if (done_already)
			continue;
		for (size_t i = 0; i < KMV_ARRAY_SIZE(keyed_tables); i++)
			if (!strcmp(keyed_tables[i].name, name)) {
				t.key = keyed_tables[i].key;
				t.count = (int64_t *)((char *)r +
						      keyed_tables[i].count_at);
			}
		KMV_TRY(merge_table(db, &t, t.count));
	}
done:
	sqlite3_finalize(st);
	return error;
}

/* ---- the audit chains -------------------------------------------------- */

/*
 * The other copy's events after the last one both chains share are
 * appended as "merged" events, each carrying the original whole (id,
 * time, command, action, detail, prev_hash, hash): kmv_audit__verify
 * checks that they chain among themselves from an event of this vault.
 * Events already carried by an earlier merge are not carried again.
 */
static int merge_events(kmv_vault *v, sqlite3 *db, kmv_merge_result *r)
{
	sqlite3_stmt *st = NULL, *ours = NULL;
	kmv_buf detail = KMV_BUF_INIT;
	int64_t common = 0;
	int error = 0;

	KMV_TRY(kmv_db__prepare(
		&ours, db,
		"SELECT e.id FROM main.events e JOIN o.events x"
		" ON x.id = e.id AND x.hash = e.hash ORDER BY e.id"));
	/* The shared prefix: ids agree as long as the hashes do. */
	while (sqlite3_step(ours) == SQLITE_ROW &&
	       sqlite3_column_int64(ours, 0) == common + 1)
		common++;
	r->common_event = common;
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"SELECT x.id, x.time, x.command, x.action, x.detail, x.prev_hash,"
		" x.hash,"
		/* The record(s) an edit, tag or void names, as ids of this vault. */
		" (SELECT n FROM temp.m_records"
		"   WHERE o = json_extract(x.detail, '$.record')),"
		" CASE WHEN json_type(x.detail, '$.records') = 'array' THEN"
		"  (SELECT json_group_array(m.n) FROM json_each(x.detail, '$.records') r"
		"   JOIN temp.m_records m ON m.o = r.value) END"
		" FROM o.events x WHERE x.id > ?1"
		" AND x.hash NOT IN (SELECT hash FROM main.events)"
		" AND x.hash NOT IN (SELECT json_extract(detail, '$.hash')"
		"   FROM main.events WHERE action = 'merged')"
		" ORDER BY x.id"));
	sqlite3_bind_int64(st, 1, common);
	while (sqlite3_step(st) == SQLITE_ROW) {
		kmv_json j;

		kmv_buf_clear(&detail);
		kmv_json_init(&j, &detail, false);
		kmv_json_object_begin(&j);
		kmv_json_kv_int(&j, "id", sqlite3_column_int64(st, 0));
		kmv_json_kv_string(&j, "time", kmv_db__text_or_empty(st, 1));
		kmv_json_kv_string(&j, "command", kmv_db__text_or_empty(st, 2));
		kmv_json_kv_string(&j, "action", kmv_db__text_or_empty(st, 3));
		kmv_json_kv_string(&j, "detail", kmv_db__text_or_empty(st, 4));
		kmv_json_kv_string(&j, "prev_hash",
				   kmv_db__text_or_empty(st, 5));
		kmv_json_kv_string(&j, "hash", kmv_db__text_or_empty(st, 6));
		/*
		 * Beside the original (not part of its hash): the records it
		 * names here, so `show` lists the other side's edits too.
		 */
		if (sqlite3_column_type(st, 7) != SQLITE_NULL)
			kmv_json_kv_int(&j, "record",
					sqlite3_column_int64(st, 7));
		if (sqlite3_column_type(st, 8) != SQLITE_NULL) {
			kmv_json_key(&j, "records");
			kmv_json_raw(&j, kmv_db__text_or_empty(st, 8));
		}
		kmv_json_object_end(&j);
		KMV_TRY(kmv_json_finish(&j));
		KMV_TRY(kmv_audit_append(v, "merged", detail.ptr));
		r->events++;
	}
	sqlite3_finalize(st);
	st = NULL;
	KMV_TRY(kmv_db__prepare(
		&st, db, "SELECT hash FROM o.events ORDER BY id DESC LIMIT 1"));
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(r->other_head, sizeof(r->other_head), "%s",
			 kmv_db__text_or_empty(st, 0));
done:
	sqlite3_finalize(st);
	sqlite3_finalize(ours);
	kmv_buf_dispose(&detail);
	return error;
}

int kmv_merge_result_empty(const kmv_merge_result *r)
{
	return !(r->sources || r->records || r->links || r->timeline ||
		 r->aliases || r->cases || r->case_records || r->case_notes ||
		 r->memberships || r->renewals || r->attachments ||
		 r->other_rows || r->events);
}

/* The merge event: both heads, where they parted, what came over. */
static int merge_event(kmv_vault *v, const char *other_path,
		       const kmv_merge_result *r, const char *our_head)
{
	kmv_buf d = KMV_BUF_INIT;
	kmv_json j;
	int error;

	kmv_json_init(&j, &d, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_string(&j, "file", kmv_basename(other_path));
	kmv_json_kv_string(&j, "head", our_head);
	kmv_json_kv_string(&j, "other_head", r->other_head);
	kmv_json_kv_int(&j, "common_event", r->common_event);
	kmv_json_kv_int(&j, "records", r->records);
	kmv_json_kv_int(&j, "sources", r->sources);
	kmv_json_kv_int(&j, "links", r->links);
	kmv_json_kv_int(&j, "cases", r->cases);
	kmv_json_kv_int(&j, "events", r->events);
	kmv_json_object_end(&j);
	error = kmv_json_finish(&j);
	if (error == 0)
		error = kmv_audit_append(v, "merge", d.ptr);
	kmv_buf_dispose(&d);
	return error;
}

static int head_of(char out[65], sqlite3 *db, const char *schema)
{
	sqlite3_stmt *st = NULL;
	char *sql = sqlite3_mprintf("SELECT hash FROM %s.events ORDER BY id "
				    "DESC LIMIT 1",
				    schema);
	int error;

	out[0] = '\0';
	if (!sql)
		return kmv_error_nomem();
	error = kmv_db__prepare(&st, db, sql);
	if (error == 0 && sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, 65, "%s", kmv_db__text_or_empty(st, 0));
	sqlite3_finalize(st);
	sqlite3_free(sql);
	return error;
}

/* Attach the other copy's checked image as schema "o" (read-only). */
static int attach_other(sqlite3 *db, kmv_vault *other)
{
	sqlite3_int64 size = 0;
	unsigned char *img = sqlite3_serialize(kmv_vault__db(other), "main",
					       &size, 0);
	int error;

	if (!img)
		return kmv_error_nomem();
	error = kmv_db__exec(db, "ATTACH ':memory:' AS o");
	if (error == 0 &&
	    sqlite3_deserialize(db, "o", img, size, size,
				SQLITE_DESERIALIZE_FREEONCLOSE |
					SQLITE_DESERIALIZE_READONLY) !=
		    SQLITE_OK) {
		error = kmv_db__error(db, "cannot read the other copy");
		img = NULL; /* freed by SQLite even on failure */
	}
	if (error < 0 && img) {
		sodium_memzero(img, (size_t)size);
		sqlite3_free(img);
	}
	return error;
}

int kmv_vault_merge(kmv_merge_result *out, kmv_vault *vault,
		    const char *other_path, kmv_unlock_kind kind,
		    const kmv_secret *secret)
{
	kmv_vault_open_options o = KMV_VAULT_OPEN_OPTIONS_INIT;
	sqlite3 *db = kmv_vault__db(vault);
	kmv_vault *other = NULL;
	char our_head[65];
	bool attached = false, began = false;
	int error = 0;

	KMV_ASSERT_ARG(out && vault && other_path && secret);
	memset(out, 0, sizeof(*out));
	/*
	 * Read-only: no lock file appears beside the copy (in a synced folder
	 * it would travel to the other device).
	 */
	o.command = "merge";
	KMV_TRY(kmv_vault_peek(other_path, NULL));
	KMV_TRY(kmv_vault_open(&other, other_path, kind, secret, &o));
	if (memcmp(other->header.vault_id, vault->header.vault_id,
		   sizeof(vault->header.vault_id)) != 0) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "'%s' is another vault (its "
			      "identity differs): only copies of this vault "
			      "can be merged",
			      other_path);
		error = KMV_EINPUT;
		goto done;
	}
	KMV_TRY(kmv_vault_check(other, NULL));
	/*
	 * An older copy's schema is brought up to this one's in memory, as a
	 * writer would (never saved): its records then carry today's dedup
	 * keys (schema v3 rewrote the number-only ones) and match ours.
	 */
	KMV_TRY(kmv_schema__apply(kmv_vault__db(other)));
	KMV_TRY(head_of(our_head, db, "main"));
	KMV_TRY(attach_other(db, other));
	attached = true;
	kmv_vault_free(other);
	other = NULL;
	/* Deferred: BEGIN IMMEDIATE would try to lock the read-only "o". */
	KMV_TRY(kmv_db__exec(db, "BEGIN"));
	began = true;
	KMV_TRY(merge_tables(db, out));
	KMV_TRY(merge_events(vault, db, out));
	if (!kmv_merge_result_empty(out))
		KMV_TRY(merge_event(vault, other_path, out, our_head));
	KMV_TRY(kmv_db__exec(db, "COMMIT"));
	began = false;
done:
	if (began)
		kmv_db__rollback(db);
	kmv_db__exec(db, "DROP TABLE IF EXISTS temp.m_sources;"
			 "DROP TABLE IF EXISTS temp.m_records;"
			 "DROP TABLE IF EXISTS temp.m_cases;"
			 "DROP TABLE IF EXISTS temp.m_memberships;");
	if (attached)
		sqlite3_exec(db, "DETACH o", NULL, NULL, NULL);
	kmv_vault_free(other);
	return error;
}
