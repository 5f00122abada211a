/* SPDX-License-Identifier: MIT */
/*
 * Record queries.  The SQL is assembled from fixed fragments only; every
 * user value is bound (never printed into the SQL).  Text search uses the
 * FTS5 trigram index for words of three or more characters: a trigram
 * index cannot answer a shorter pattern, so those fall back to LIKE over
 * the same three columns.
 */
#include "common.h"
#include "kmvutil/datetime.h"
#include "kmv/query.h"
#include "import/profile.h"
#include "import/statement.h"
#include "query/reveal.h"
#include "store/vault.h"
#include "store/db.h"
#include "store/records.h"

#define MAX_BINDS 64

typedef struct binds {
	const char *text[MAX_BINDS];
	int64_t num[MAX_BINDS];
	bool is_text[MAX_BINDS];
	int n;
} binds;

static int bind_text(binds *b, const char *s)
{
	if (b->n >= MAX_BINDS) {
		kmv_error_set(KMV_ERROR_INPUT, "too many query terms");
		return KMV_EUSAGE;
	}
	b->is_text[b->n] = true;
	b->text[b->n++] = s;
	return 0;
}

static int bind_num(binds *b, int64_t v)
{
	if (b->n >= MAX_BINDS) {
		kmv_error_set(KMV_ERROR_INPUT, "too many query terms");
		return KMV_EUSAGE;
	}
	b->is_text[b->n] = false;
	b->num[b->n++] = v;
	return 0;
}

/* Owned strings made for binding (LIKE patterns, FTS phrases). */
typedef struct strings {
	char **items;
	size_t n;
} strings;

static const char *keep(strings *s, kmv_buf *b)
{
	char **items = realloc(s->items, (s->n + 1) * sizeof(*items));
	char *str;

	if (!items)
		return NULL;
	s->items = items;
	if (!(str = kmv_buf_detach(b)))
		return NULL;
	items[s->n++] = str;
	return str;
}

/* %value% with LIKE metacharacters escaped by '\'. */
static const char *like_pattern(strings *s, const char *value, size_t len)
{
	kmv_buf b = KMV_BUF_INIT;

	kmv_buf_putc(&b, '%');
	for (size_t i = 0; i < len; i++) {
		if (value[i] == '%' || value[i] == '_' || value[i] == '\\')
			kmv_buf_putc(&b, '\\');
		kmv_buf_putc(&b, value[i]);
	}
	kmv_buf_putc(&b, '%');
	return keep(s, &b);
}

/* An FTS5 phrase: the word in double quotes, quotes doubled. */
static const char *fts_phrase(strings *s, const char *value, size_t len)
{
	kmv_buf b = KMV_BUF_INIT;

	kmv_buf_putc(&b, '"');
	for (size_t i = 0; i < len; i++) {
		if (value[i] == '"')
			kmv_buf_putc(&b, '"');
		kmv_buf_putc(&b, value[i]);
	}
	kmv_buf_putc(&b, '"');
	return keep(s, &b);
}

static size_t utf8_chars(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

static int add_text_terms(kmv_buf *sql, binds *b, strings *s, const char *text)
{
	const char *p = text;
	int error = 0;

	while (*p) {
		size_t n;
		const char *arg;

		while (*p == ' ' || *p == '\t')
			p++;
		n = strcspn(p, " \t");
		if (n == 0)
			break;
		if (utf8_chars(p, n) >= 3) {
			if (!(arg = fts_phrase(s, p, n)))
				return kmv_error_nomem();
			KMV_TRY(kmv_buf_puts(
				sql, " AND r.id IN (SELECT rowid FROM "
				     "records_fts WHERE records_fts MATCH ?)"));
			KMV_TRY(bind_text(b, arg));
		} else {
			if (!(arg = like_pattern(s, p, n)))
				return kmv_error_nomem();
			KMV_TRY(kmv_buf_puts(
				sql, " AND (r.merchant LIKE ? ESCAPE '\\'"
				     " OR r.product LIKE ? ESCAPE '\\'"
				     " OR r.memo LIKE ? ESCAPE '\\')"));
			KMV_TRY(bind_text(b, arg));
			KMV_TRY(bind_text(b, arg));
			KMV_TRY(bind_text(b, arg));
		}
		p += n;
	}
done:
	return error;
}

/* The filters on what a record names: its platform, merchant, status. */
static int build_names(kmv_buf *sql, binds *b, strings *s,
		       const kmv_query_options *o)
{
	int error = 0;

	if (o->platform) {
		KMV_TRY(kmv_buf_puts(sql,
				     " AND (r.platform = ? COLLATE NOCASE"
				     " OR r.source_kind = ? COLLATE NOCASE)"));
		KMV_TRY(bind_text(b, o->platform));
		KMV_TRY(bind_text(b, o->platform));
	}
	if (o->merchant) {
		const char *pat = like_pattern(s, o->merchant,
					       strlen(o->merchant));

		if (!pat)
			return kmv_error_nomem();
		KMV_TRY(kmv_buf_puts(sql,
				     " AND r.merchant LIKE ? ESCAPE '\\'"));
		KMV_TRY(bind_text(b, pat));
	}
	if (o->status) {
		KMV_TRY(kmv_buf_puts(
			sql, " AND (r.status = ? OR r.status_raw = ?)"));
		KMV_TRY(bind_text(b, o->status));
		KMV_TRY(bind_text(b, o->status));
	}
done:
	return error;
}

static int build(kmv_buf *sql, binds *b, strings *s, const kmv_query_options *o)
{
	int error = 0;

	KMV_TRY(kmv_record__select(sql, 0, "json_extract(r.extra, '$.tags')"));
	KMV_TRY(kmv_buf_puts(sql, " WHERE 1"));
	if (!o->include_void)
		KMV_TRY(kmv_buf_puts(sql, " AND r.deleted_at IS NULL"));
	if (o->tag) {
		KMV_TRY(kmv_buf_puts(sql,
				     " AND EXISTS (SELECT 1 FROM json_each("
				     "r.extra, '$.tags') WHERE value = ?)"));
		KMV_TRY(bind_text(b, o->tag));
	}
	if (o->kind) {
		KMV_TRY(kmv_buf_puts(sql, " AND r.kind = ?"));
		KMV_TRY(bind_text(b, o->kind));
	}
	if (o->has_from) {
		KMV_TRY(kmv_buf_puts(sql, " AND r.ts >= ?"));
		KMV_TRY(bind_num(b, o->from_ts));
	}
	if (o->has_to) {
		KMV_TRY(kmv_buf_puts(sql, " AND r.ts <= ?"));
		KMV_TRY(bind_num(b, o->to_ts));
	}
	KMV_TRY(build_names(sql, b, s, o));
	if (o->has_min) {
		KMV_TRY(kmv_buf_puts(sql, " AND r.amount >= ?"));
		KMV_TRY(bind_num(b, o->min_fen));
	}
	if (o->has_max) {
		KMV_TRY(kmv_buf_puts(sql, " AND r.amount <= ?"));
		KMV_TRY(bind_num(b, o->max_fen));
	}
	if (o->order_no) {
		KMV_TRY(kmv_buf_puts(
			sql, " AND ((r.kind <> 'payment' AND "
			     "r.order_no = ?) OR (r.kind = 'payment' AND "
			     "r.merchant_order_no = ?))"));
		KMV_TRY(bind_text(b, o->order_no));
		KMV_TRY(bind_text(b, o->order_no));
	}
	if (o->text)
		KMV_TRY(add_text_terms(sql, b, s, o->text));
	/*
	 * Newest first, records without a time last.  SQLite sorts NULL
	 * below every value, so "ts DESC" already puts them last: this is
	 * the order of records_ts (ts, rowid) read backwards, which the
	 * planner then walks instead of sorting every matching row in a
	 * temporary B-tree ("ORDER BY ts IS NULL, ..." forced that sort).
	 */
	KMV_TRY(kmv_buf_puts(sql, " ORDER BY r.ts DESC, r.id DESC"));
	if (o->limit > 0) {
		KMV_TRY(kmv_buf_puts(sql, " LIMIT ?"));
		KMV_TRY(bind_num(b, o->limit));
	}
done:
	return error;
}

/* The normalized statuses of statements (docs/importers.md). */
static const char *const payment_statuses[] = {
	"success", "closed", "refunded", "partially_refunded",
	"pending", "failed", "other",
};

/* The normalized order states (profiles.md), in the order users meet them. */
static const char *const order_states[] = {
	"pending_payment", "paid",     "processing", "delivered",
	"completed",       "refunded", "cancelled",  "failed",
	"expired",         "frozen",   "unknown",
};

static bool in_list(const char *word, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(word, list[i]) == 0)
			return true;
	return false;
}

/*
 * A --status word is known when it is a normalized name, a raw word the
 * importers understand (交易成功, 已发卡 ...) or a raw status some record
 * of this vault carries.  Anything else is a typo: a silent "no records
 * match" would read as an answer.
 */
static int status_known(sqlite3 *db, const char *word, bool *known)
{
	sqlite3_stmt *st = NULL;
	int rc, error = 0;

	*known = true;
	if (in_list(word, payment_statuses, KMV_ARRAY_SIZE(payment_statuses)) ||
	    in_list(word, order_states, KMV_ARRAY_SIZE(order_states)) ||
	    strcmp(kmv_statement__status(word), "other") != 0 ||
	    strcmp(kmv_profile__status(NULL, word), "unknown") != 0)
		return 0;
	KMV_TRY(kmv_db__prepare(&st, db,
				"SELECT 1 FROM records WHERE "
				"status = ?1 OR status_raw = ?1 LIMIT 1"));
	kmv_db__bind_text(st, 1, word);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		*known = false;
	else if (rc != SQLITE_ROW)
		error = kmv_db__error(db, "cannot query records");
done:
	sqlite3_finalize(st);
	return error;
}

int kmv_query_status_known(kmv_vault *vault, const char *word, bool *known_out)
{
	KMV_ASSERT_ARG(vault && word && known_out);
	return status_known(kmv_vault__db(vault), word, known_out);
}

static int check_status(sqlite3 *db, const char *word)
{
	bool known;
	int error = status_known(db, word, &known);

	if (error < 0 || known)
		return error;
	kmv_error_set(KMV_ERROR_INPUT,
		      "--status: unknown status '%s' "
		      "(payments: " KMV_QUERY_PAYMENT_STATUSES
		      "; orders: " KMV_QUERY_ORDER_STATES
		      "; or a raw status word such as "
		      "交易成功)",
		      word);
	return KMV_EUSAGE;
}

int kmv_query_run(kmv_vault *vault, const kmv_query_options *opts,
		  kmv_query_cb cb, void *payload)
{
	kmv_query_options defaults = KMV_QUERY_OPTIONS_INIT;
	const kmv_query_options *o = opts ? opts : &defaults;
	kmv_buf sql = KMV_BUF_INIT;
	sqlite3_stmt *st = NULL;
	strings s = { NULL, 0 };
	kmv_query_row row;
	binds b;
	sqlite3 *db;
	int rc, error = 0;

	KMV_ASSERT_ARG(vault && cb);
	memset(&b, 0, sizeof(b));
	memset(&row, 0, sizeof(row));
	db = kmv_vault__db(vault);
	if (o->kind && strcmp(o->kind, "order") != 0 &&
	    strcmp(o->kind, "payment") != 0 &&
	    strcmp(o->kind, "receipt") != 0) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "unknown record kind '%s' (order, "
			      "payment, receipt)",
			      o->kind);
		return KMV_EUSAGE;
	}
	if (o->has_min && o->has_max && o->min_fen > o->max_fen) {
		kmv_error_set(KMV_ERROR_INPUT, "--min is larger than --max");
		return KMV_EUSAGE;
	}
	if (o->has_from && o->has_to && o->from_ts > o->to_ts) {
		kmv_error_set(KMV_ERROR_INPUT, "--from is later than --to");
		return KMV_EUSAGE;
	}
	if (o->status && (error = check_status(db, o->status)) < 0)
		return error;
	KMV_TRY(build(&sql, &b, &s, o));
	KMV_TRY(kmv_db__prepare(&st, db, sql.ptr));
	for (int i = 0; i < b.n; i++) {
		if (b.is_text[i])
			kmv_db__bind_text(st, i + 1, b.text[i]);
		else
			sqlite3_bind_int64(st, i + 1, b.num[i]);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		KMV_TRY(kmv_record__from_row(&row.rec, st, 0,
					     o->reveal_secrets));
		if (o->reveal_secrets && row.rec.card_secret)
			KMV_TRY(kmv_reveal__audit(vault, row.rec.id,
						  kmv_record_kind_name(
							  row.rec.kind),
						  row.rec.order_no, true));
		row.tags_json = kmv_db__text(st, KMV_RECORD__NCOLS);
		error = cb(&row, payload);
		if (error != 0)
			break;
	}
	if (error > 0)
		error = 0;
	else if (error == 0 && rc != SQLITE_ROW && rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot query records");
done:
	kmv_record_dispose(&row.rec);
	sqlite3_finalize(st);
	for (size_t i = 0; i < s.n; i++)
		free(s.items[i]);
	free(s.items);
	kmv_buf_dispose(&sql);
	return error;
}

int kmv_query_parse_time(int64_t *epoch_out, const char *text, bool end_of_day)
{
	kmv_time t;
	size_t n = strlen(text);
	bool date_only = n <= 10 && !strchr(text, ' ') && !strchr(text, 'T');

	if (kmv_time_parse(&t, text, KMV_TZ_CST, NULL) < 0) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "bad date or time '%s' (expected "
			      "YYYY-MM-DD or YYYY-MM-DD HH:MM:SS)",
			      text);
		return KMV_EUSAGE;
	}
	*epoch_out = t.epoch + (date_only && end_of_day ? 86399 : 0);
	return 0;
}
