/* SPDX-License-Identifier: MIT */
/*
 * Evidence bundles: everything the vault knows about one order (or every
 * order of a case) as a signed BagIt bag (docs/evidence.md).
 *
 * Which records: the order's own records (order number, merchant order
 * number or payment number equal to the target), everything linked to
 * them (links with manual >= 0, two hops: order -> payment -> refund) and
 * refunds pointing at any of them.  For a case, the case's records are
 * the seeds.  Card secrets appear masked only (kmv_mask_secret).
 */
#include "common.h"
#include "evidence/bag.h"
#include "evidence/letter.h"
#include "store/refunds.h"
#include "report/report.h"
#include "store/vault.h"
#include "store/db.h"
#include "store/records.h"

#include <errno.h>
#include <iconv.h>
#include <unistd.h>
#include <sodium.h>

#include "kmv/anomaly.h"
#include "kmvutil/json.h"
#include "kmv/match.h"
#include "kmvutil/money.h"
#include "kmv/record.h"
#include "kmv/report.h"
#include "kmv/sources.h"
#include "kmvutil/file.h"
#include "kmvutil/hash.h"
#include "kmvutil/text.h"

struct ids {
	int64_t *v;
	size_t n, alloc;
};

struct bundle {
	kmv_vault *vault;
	sqlite3 *db;
	kmv_strpool pool;
	kmv_evidence_target target;
	struct ids ids;
	kmv_refunds refunds; /* the live refunds of a charge */
	struct brec *recs;
	size_t nrecs;
	kmv_buf anomalies_json; /* array body, comma-separated objects */
	kmv_buf anomalies_text; /* for the timeline */
	size_t nanomalies;
	struct letter_anomaly *lanoms; /* for the letter, nanomalies of them */
	kmv_bag bag;
	kmv_buf evidence_list; /* "file  sha256" lines for the letter */
	const char **secrets;  /* the records' card secrets, longest first */
	size_t nsecrets, secrets_alloc;
	const kmv_evidence_options *opts;
	kmv_time now;
	int64_t sources_included, secrets_masked;
};

static bool ids_has(const struct ids *s, int64_t id)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == id)
			return true;
	return false;
}

static int ids_add(struct ids *s, int64_t id)
{
	if (ids_has(s, id))
		return 0;
	if (KMV_ARRAY_GROW(s->v, s->alloc, s->n + 1) < 0)
		return kmv_error_nomem();
	s->v[s->n++] = id;
	return 0;
}

/* The bundle's documents are Chinese unless --lang en. */
static kmv_lang bundle_lang(const struct bundle *b)
{
	return b->opts->version >= 2 && b->opts->lang == KMV_LANG_EN
		       ? KMV_LANG_EN
		       : KMV_LANG_ZH;
}

/* ---- selecting the records ------------------------------------------- */

/* Column `i` of the current row, copied into the bundle's string pool. */
static int pool_text(struct bundle *b, const char **out, sqlite3_stmt *st,
		     int i)
{
	return kmv_strpool__dup(&b->pool, out, kmv_db__text(st, i));
}

/* kmv_refunds__each's callback: a live refund joins the bundle. */
static int add_refund(void *ids, int64_t refund)
{
	return ids_add(ids, refund);
}

/*
 * Two hops from b->ids[from..]: each record's partners by `hop_sql`
 * (bound to the record's id) and its live refunds.
 */
static int follow(struct bundle *b, const char *hop_sql, size_t from)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	if (!b->refunds.st)
		KMV_TRY(kmv_refunds__open(&b->refunds, b->db, true));
	KMV_TRY(kmv_db__prepare(&st, b->db, hop_sql));
	for (int hop = 0; hop < 2; hop++) {
		size_t to = b->ids.n;

		for (size_t i = from; i < to; i++) {
			int64_t id = b->ids.v[i];
			int rc;

			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, id);
			while ((rc = sqlite3_step(st)) == SQLITE_ROW)
				KMV_TRY(ids_add(&b->ids,
						sqlite3_column_int64(st, 0)));
			if (rc != SQLITE_DONE) {
				error = kmv_db__error(b->db,
						      "cannot follow links");
				goto done;
			}
			KMV_TRY(kmv_refunds__each(&b->refunds, id, add_refund,
						  &b->ids));
		}
		from = to;
	}
done:
	sqlite3_finalize(st);
	return error;
}

/* A record's partners by its links (vetoes not followed), live ones. */
#define LINKED_SQL                                                           \
	"SELECT CASE WHEN l.a = ?1 THEN l.b ELSE l.a END FROM links l"       \
	" JOIN records r ON r.id = CASE WHEN l.a = ?1 THEN l.b ELSE l.a END" \
	" WHERE (l.a = ?1 OR l.b = ?1) AND l.manual >= 0"                    \
	" AND r.deleted_at IS NULL"

/*
 * The records of one order, the set kmv_order_records (kmv/resolve.h)
 * finds: the records carrying the number, then two hops of links,
 * refunds and (live) charges refunded.
 */
static int order_seeds(struct bundle *b)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(
		&st, b->db,
		"SELECT id FROM records WHERE deleted_at IS NULL AND"
		" (order_no = ?1 OR merchant_order_no = ?1 OR payment_no = ?1)"
		" ORDER BY id"));
	kmv_db__bind_text(st, 1, b->target.order_no);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		KMV_TRY(ids_add(&b->ids, sqlite3_column_int64(st, 0)));
	if (rc != SQLITE_DONE) {
		error = kmv_db__error(b->db, "cannot select the records");
		goto done;
	}
	if (b->ids.n)
		error = follow(b,
			       LINKED_SQL
			       " UNION SELECT o.id FROM records r"
			       " JOIN records o ON o.id = r.refund_of"
			       " WHERE r.id = ?1"
			       " AND o.deleted_at IS NULL",
			       0);
done:
	sqlite3_finalize(st);
	return error;
}

static int seeds(struct bundle *b)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	if (!b->target.case_id)
		return order_seeds(b);
	KMV_TRY(kmv_db__prepare(
		&st, b->db,
		"SELECT record_id FROM case_records WHERE case_id = ?"
		" ORDER BY record_id"));
	sqlite3_bind_int64(st, 1, b->target.case_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		KMV_TRY(ids_add(&b->ids, sqlite3_column_int64(st, 0)));
	if (rc != SQLITE_DONE)
		error = kmv_db__error(b->db, "cannot select the records");
done:
	sqlite3_finalize(st);
	return error;
}

/* Two more hops from the seeds: links, refunds, the charge refunded. */
static int expand(struct bundle *b)
{
	return follow(b,
		      LINKED_SQL " UNION SELECT refund_of FROM records"
				 " WHERE id = ?1 AND refund_of IS NOT NULL",
		      0);
}

static int load_records(struct bundle *b)
{
	kmv_buf sql = KMV_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int error = 0;

	if (!(b->recs = calloc(b->ids.n + 1, sizeof(*b->recs))))
		return kmv_error_nomem();
	/* the one read path (store/records.h): card secrets come masked */
	KMV_TRY(kmv_record__select(&sql, 0, "s.sha256, s.kind"));
	KMV_TRY(kmv_buf_puts(&sql, " WHERE r.id = ?"));
	KMV_TRY(kmv_db__prepare(&st, b->db, sql.ptr));
	for (size_t i = 0; i < b->ids.n; i++) {
		struct brec *r = &b->recs[b->nrecs];
		char when[KMV_TIME_BUFSZ];

		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, b->ids.v[i]);
		if (sqlite3_step(st) != SQLITE_ROW)
			continue;
		b->nrecs++; /* disposed with the bundle from here on */
		KMV_TRY(kmv_record__from_row(&r->rec, st, 0, false));
		if (r->rec.has_time)
			KMV_TRY(kmv_strpool__dup(
				&b->pool, &r->time,
				kmv_time_format(when, &r->rec.time)));
		KMV_TRY(pool_text(b, &r->source_sha, st, KMV_RECORD__NCOLS));
		KMV_TRY(pool_text(b, &r->source_file_kind, st,
				  KMV_RECORD__NCOLS + 1));
	}
done:
	sqlite3_finalize(st);
	kmv_buf_dispose(&sql);
	return error;
}

static int by_time(const void *x, const void *y)
{
	const struct brec *a = x, *b = y;

	if (a->rec.time.epoch != b->rec.time.epoch)
		return a->rec.time.epoch < b->rec.time.epoch ? -1 : 1;
	return a->rec.id < b->rec.id ? -1 : a->rec.id > b->rec.id;
}

/* ---- anomalies -------------------------------------------------------- */

static int take_anomaly(const kmv_anomaly *a, void *payload)
{
	struct bundle *b = payload;
	kmv_json j;
	char money[KMV_MONEY_BUFSZ];

	if (b->anomalies_json.size)
		kmv_buf_putc(&b->anomalies_json, ',');
	kmv_json_init(&j, &b->anomalies_json, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_string(&j, "type", a->type);
	kmv_json_kv_string(&j, "order_no", a->order_no);
	kmv_json_key(&j, "records");
	kmv_json_array_begin(&j);
	for (size_t i = 0; i < a->nrecords; i++)
		kmv_json_int(&j, a->records[i]);
	kmv_json_array_end(&j);
	kmv_json_kv_money(&j, "amount", a->amount);
	kmv_json_kv_string(&j, "detail", a->detail);
	if (a->suggestion)
		kmv_json_kv_string(&j, "suggestion", a->suggestion);
	kmv_json_object_end(&j);
	{
		/* a copy for the letter: the callback's strings are borrowed */
		struct letter_anomaly *la = realloc(b->lanoms,
						    (b->nanomalies + 1) *
							    sizeof(*la));

		if (!la)
			return kmv_error_nomem();
		b->lanoms = la;
		la += b->nanomalies;
		memset(la, 0, sizeof(*la));
		la->amount = a->amount;
		la->ts = a->ts;
		if (kmv_strpool__dup(&b->pool, &la->type, a->type) < 0 ||
		    kmv_strpool__dup(&b->pool, &la->order_no, a->order_no) < 0)
			return kmv_error_nomem();
		if (a->nrecords) {
			if (!(la->records = malloc(a->nrecords *
						   sizeof(*la->records))))
				return kmv_error_nomem();
			memcpy(la->records, a->records,
			       a->nrecords * sizeof(*la->records));
			la->nrecords = a->nrecords;
		}
	}
	b->nanomalies++;
	/* the timeline is a document too: the type in Chinese, no advice */
	kmv_buf_printf(&b->anomalies_text, "%zu. %s：订单 %s，涉及金额 %s 元\n",
		       b->nanomalies,
		       kmv_label_lang(KMV_LABEL_ANOMALY, a->type, KMV_LANG_ZH),
		       a->order_no ? a->order_no : "（无订单号）",
		       kmv_money_format(money, a->amount));
	return kmv_json_finish(&j);
}

static int anomalies(struct bundle *b)
{
	struct ids seen_nos = { 0 };
	int error = 0;

	for (size_t i = 0; i < b->nrecs; i++) {
		const char *no = b->recs[i].rec.order_no
					 ? b->recs[i].rec.order_no
					 : b->recs[i].rec.merchant_order_no;
		kmv_anomaly_options o = KMV_ANOMALY_OPTIONS_INIT;
		bool dup = false;

		if (!no)
			continue;
		/* anomalies.json speaks the bundle's language */
		o.lang = b->opts->version >= 2 && b->opts->lang == KMV_LANG_EN
				 ? KMV_LANG_EN
				 : KMV_LANG_ZH;
		for (size_t k = 0; k < i; k++) {
			const char *other =
				b->recs[k].rec.order_no
					? b->recs[k].rec.order_no
					: b->recs[k].rec.merchant_order_no;
			if (other && strcmp(other, no) == 0)
				dup = true;
		}
		if (dup)
			continue;
		o.order_no = no;
		KMV_TRY(kmv_anomalies_foreach(b->vault, &o, take_anomaly, b));
	}
done:
	free(seen_nos.v);
	return error;
}

/* ---- payload files ---------------------------------------------------- */

/*
 * Every payload is masked as it is made, before it is hashed and listed:
 * each card secret of the bundle's records becomes its masked form
 * (kmv_mask_secret).  Only an original the user asked for unmasked
 * (--include-unmasked-sources) goes in as it is.
 */
static int add_payload_as_is(struct bundle *b, const char *path,
			     const void *data, size_t len)
{
	char sha[KMV_SHA256_HEX_BUFSZ];
	int error;

	if ((error = kmv_bag__add(&b->bag, path, data, len)) < 0)
		return error;
	kmv_sha256_hex(sha, data, len);
	return kmv_buf_printf(&b->evidence_list,
			      "- %s（%zu 字节）\n  SHA-256: %s\n", path, len,
			      sha);
}

static int add_payload(struct bundle *b, const char *path, const void *data,
		       size_t len)
{
	kmv_buf masked = KMV_BUF_INIT, pass = KMV_BUF_INIT;
	const void *text = data;
	size_t text_len = len;
	int error = 0;

	for (size_t i = 0; i < b->nsecrets; i++) {
		const char *secret = b->secrets[i];
		size_t slen = strlen(secret);
		const char *p = text, *end = p + text_len, *hit;
		char form[256];

		if (!memmem(p, text_len, secret, slen))
			continue;
		kmv_mask_secret(form, sizeof(form), secret);
		kmv_buf_clear(&pass);
		while ((hit = memmem(p, (size_t)(end - p), secret, slen))) {
			KMV_TRY(kmv_buf_put(&pass, p, (size_t)(hit - p)));
			KMV_TRY(kmv_buf_puts(&pass, form));
			p = hit + slen;
		}
		KMV_TRY(kmv_buf_put(&pass, p, (size_t)(end - p)));
		{
			kmv_buf t = masked;

			masked = pass;
			pass = t;
		}
		text = masked.ptr;
		text_len = masked.size;
	}
	error = add_payload_as_is(b, path, text, text_len);
done:
	kmv_buf_dispose(&masked);
	kmv_buf_dispose(&pass);
	return error;
}

static void json_record(kmv_json *j, const struct brec *r, kmv_lang lang)
{
	kmv_record_source_more more = { r->source_file_kind, r->source_sha, 0,
					NULL };

	kmv_json_object_begin(j);
	/* the one record shape (kmv_record_json), words in the bundle's
	 * language, then what a bundle adds */
	kmv_record_json_fields(j, &r->rec, &more, lang);
	if (r->rec.card_secret) /* the name bundles have always used */
		kmv_json_kv_string(j, "card_secret_masked", r->rec.card_secret);
	if (r->rec.refund_of)
		kmv_json_kv_int(j, "refund_of", r->rec.refund_of);
	kmv_json_object_end(j);
}

static bool in_set(const struct bundle *b, int64_t id)
{
	return ids_has(&b->ids, id);
}

/* records.json's "bundle" object: what the bundle is of, when, by what. */
static void json_bundle_head(kmv_json *j, const struct bundle *b)
{
	char when[KMV_TIME_BUFSZ];

	kmv_json_key(j, "bundle");
	kmv_json_object_begin(j);
	if (b->target.case_id)
		kmv_json_kv_int(j, "case", b->target.case_id);
	else
		kmv_json_kv_string(j, "order_no", b->target.order_no);
	kmv_json_kv_string(j, "created", kmv_time_format(when, &b->now));
	kmv_json_kv_string(j, "generator", "kmvault " KMV_VERSION);
	kmv_json_object_end(j);
}

/* One link row (a, b, rule, score, explanation, manual) as an object. */
static int json_link(kmv_json *j, const struct bundle *b, sqlite3_stmt *st,
		     kmv_buf *words)
{
	int error;

	kmv_json_object_begin(j);
	kmv_json_kv_int(j, "a", sqlite3_column_int64(st, 0));
	kmv_json_kv_int(j, "b", sqlite3_column_int64(st, 1));
	kmv_json_kv_string(j, "rule", kmv_db__text(st, 2));
	kmv_json_key(j, "score");
	kmv_json_double(j, sqlite3_column_double(st, 3));
	/* the words in the bundle's language, the code and facts too */
	error = kmv_match_explain(words, kmv_db__text(st, 4),
				  kmv_db__text(st, 2),
				  sqlite3_column_int(st, 5), bundle_lang(b));
	if (error < 0)
		return error;
	kmv_json_kv_string(j, "explanation", words->ptr);
	kmv_json_key(j, "reason");
	if (kmv_match_explain_coded(kmv_db__text(st, 4)))
		kmv_json_raw(j, kmv_db__text(st, 4));
	else
		kmv_json_null(j);
	kmv_json_kv_bool(j, "manual", sqlite3_column_int(st, 5) > 0);
	kmv_json_object_end(j);
	return 0;
}

/* "links": the links (vetoes left out) between two of the bundle's
 * records, in the order they were made. */
static int json_links(kmv_json *j, const struct bundle *b)
{
	kmv_buf words = KMV_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int error = 0;

	kmv_json_key(j, "links");
	kmv_json_array_begin(j);
	KMV_TRY(kmv_db__prepare(
		&st, b->db,
		"SELECT a, b, rule, score, explanation,"
		" manual FROM links WHERE manual >= 0 ORDER BY id"));
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!in_set(b, sqlite3_column_int64(st, 0)) ||
		    !in_set(b, sqlite3_column_int64(st, 1)))
			continue;
		KMV_TRY(json_link(j, b, st, &words));
	}
	kmv_json_array_end(j);
done:
	sqlite3_finalize(st);
	kmv_buf_dispose(&words);
	return error;
}

/* "timeline": the state changes of the bundle's records. */
static int json_timeline(kmv_json *j, const struct bundle *b)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	kmv_json_key(j, "timeline");
	kmv_json_array_begin(j);
	KMV_TRY(kmv_db__prepare(
		&st, b->db,
		"SELECT record_id, state, state_raw,"
		" event_time, seen_at FROM timeline ORDER BY id"));
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!in_set(b, sqlite3_column_int64(st, 0)))
			continue;
		kmv_json_object_begin(j);
		kmv_json_kv_int(j, "record", sqlite3_column_int64(st, 0));
		kmv_json_kv_string(j, "state", kmv_db__text(st, 1));
		kmv_json_kv_string(j, "state_raw", kmv_db__text(st, 2));
		kmv_json_kv_string(j, "event_time", kmv_db__text(st, 3));
		kmv_json_kv_string(j, "seen_at", kmv_db__text(st, 4));
		kmv_json_object_end(j);
	}
	kmv_json_array_end(j);
done:
	sqlite3_finalize(st);
	return error;
}

/* "case": the case a case's bundle is of. */
static int json_case(kmv_json *j, const struct bundle *b)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	KMV_TRY(kmv_db__prepare(&st, b->db,
				"SELECT id, reason, status,"
				" opened_at, deadline, counterparty, claim,"
				" closed_at FROM cases WHERE id = ?"));
	sqlite3_bind_int64(st, 1, b->target.case_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		kmv_json_key(j, "case");
		kmv_json_object_begin(j);
		kmv_json_kv_int(j, "id", sqlite3_column_int64(st, 0));
		kmv_json_kv_string(j, "reason", kmv_db__text(st, 1));
		kmv_json_kv_string(j, "status", kmv_db__text(st, 2));
		kmv_json_kv_string(j, "opened_at", kmv_db__text(st, 3));
		kmv_json_kv_string(j, "deadline", kmv_db__text(st, 4));
		kmv_json_kv_string(j, "counterparty", kmv_db__text(st, 5));
		kmv_json_kv_string(j, "claim", kmv_db__text(st, 6));
		kmv_json_kv_string(j, "closed_at", kmv_db__text(st, 7));
		kmv_json_object_end(j);
	}
done:
	sqlite3_finalize(st);
	return error;
}

static int records_json(struct bundle *b)
{
	kmv_buf out = KMV_BUF_INIT;
	kmv_json j;
	int error = 0;

	kmv_json_init(&j, &out, true);
	kmv_json_object_begin(&j);
	json_bundle_head(&j, b);
	kmv_json_key(&j, "records");
	kmv_json_array_begin(&j);
	for (size_t i = 0; i < b->nrecs; i++)
		json_record(&j, &b->recs[i], bundle_lang(b));
	kmv_json_array_end(&j);
	KMV_TRY(json_links(&j, b));
	kmv_json_key(&j, "anomalies");
	kmv_json_array_begin(&j);
	if (b->anomalies_json.size)
		kmv_json_raw(&j, b->anomalies_json.ptr);
	kmv_json_array_end(&j);
	KMV_TRY(json_timeline(&j, b));
	if (b->target.case_id)
		KMV_TRY(json_case(&j, b));
	kmv_json_object_end(&j);
	KMV_TRY(kmv_json_finish(&j));
	KMV_TRY(kmv_buf_putc(&out, '\n'));
	KMV_TRY(add_payload(b, "data/records.json", out.ptr, out.size));
done:
	kmv_buf_dispose(&out);
	return error;
}

static int records_csv(struct bundle *b)
{
	static const char *const head[] = {
		"ID",     "类型",        "时间",         "平台",
		"商户",   "订单号",      "交易单号",     "商户单号",
		"商品",   "数量",        "金额",         "收支",
		"状态",   "原始状态",    "卡密(已遮盖)", "来源文件",
		"来源行", "来源SHA-256",
	};
	static const kmv_record_field fields[] = {
		KMV_RECORD_FIELD_ID,
		KMV_RECORD_FIELD_KIND,
		KMV_RECORD_FIELD_TIME,
		KMV_RECORD_FIELD_PLATFORM,
		KMV_RECORD_FIELD_MERCHANT,
		KMV_RECORD_FIELD_ORDER_NO,
		KMV_RECORD_FIELD_PAYMENT_NO,
		KMV_RECORD_FIELD_MERCHANT_ORDER_NO,
		KMV_RECORD_FIELD_PRODUCT,
		KMV_RECORD_FIELD_QUANTITY,
		KMV_RECORD_FIELD_AMOUNT,
		KMV_RECORD_FIELD_DIRECTION,
		KMV_RECORD_FIELD_STATUS,
		KMV_RECORD_FIELD_STATUS_RAW,
		KMV_RECORD_FIELD_CARD_SECRET,
		KMV_RECORD_FIELD_SOURCE_FILE,
		KMV_RECORD_FIELD_SOURCE_LINE,
		KMV_RECORD_FIELD_NONE,
	};
	kmv_buf out = KMV_BUF_INIT;
	int error = 0;

	KMV_TRY(kmv_buf_puts(&out, "\xEF\xBB\xBF"));
	KMV_TRY(kmv_report_csv_line(&out, head, NULL, KMV_ARRAY_SIZE(head)));
	for (size_t i = 0; i < b->nrecs; i++) {
		kmv_record_cells cells;

		/* a document for the shop: words, never codes (Chinese) */
		KMV_TRY(kmv_record_cells_fill(&cells, &b->recs[i].rec, fields,
					      KMV_ARRAY_SIZE(fields),
					      KMV_RECORD_CELLS_DOCUMENT));
		cells.text[17] = b->recs[i].source_sha;
		KMV_TRY(kmv_report_csv_line(&out, cells.text, cells.is_id,
					    cells.count));
	}
	KMV_TRY(add_payload(b, "data/records.csv", out.ptr, out.size));
done:
	kmv_buf_dispose(&out);
	return error;
}

static const char *kind_zh(const char *kind)
{
	if (kind && strcmp(kind, "order") == 0)
		return "订单";
	if (kind && strcmp(kind, "payment") == 0)
		return "付款记录";
	if (kind && strcmp(kind, "receipt") == 0)
		return "邮件回执";
	return kind ? kind : "";
}

/* A source's status word (交易成功), not a code ("2", "success"). */
static bool is_word(const char *raw)
{
	for (const char *p = raw; p && *p; p++)
		if ((unsigned char)*p >= 0x80)
			return true;
	return false;
}

/*
 * The record's state in words: the source's own word when it is one,
 * the label when the source wrote a code.
 */
static const char *state_zh(const struct brec *r)
{
	if (is_word(r->rec.status_raw))
		return r->rec.status_raw;
	return kmv_label_lang(KMV_LABEL_STATUS,
			      r->rec.status ? r->rec.status : "unknown",
			      KMV_LANG_ZH);
}

/* One sentence per record for the timeline and the letter. */
static int describe(kmv_buf *out, const struct brec *r)
{
	char money[KMV_MONEY_BUFSZ];
	const char *amount = r->rec.has_amount
				     ? kmv_money_format(money, r->rec.amount)
				     : "?";

	if (r->rec.kind == KMV_KIND_ORDER)
		return kmv_buf_printf(
			out, "在“%s”下单“%s”，订单号 %s，金额 %s 元，状态：%s",
			r->rec.platform   ? r->rec.platform
			: r->rec.merchant ? r->rec.merchant
					  : "?",
			r->rec.product ? r->rec.product : "?",
			r->rec.order_no ? r->rec.order_no : "?", amount,
			state_zh(r));
	if (r->rec.kind == KMV_KIND_PAYMENT) {
		bool in = r->rec.direction == KMV_DIR_IN;

		return kmv_buf_printf(
			out, "%s“%s”%s %s 元%s%s%s，交易单号 %s%s%s，状态：%s",
			in ? "收到" : "向",
			r->rec.merchant ? r->rec.merchant : "?",
			in ? "的款项" : "付款", amount,
			r->rec.payment_method ? "（" : "",
			r->rec.payment_method ? r->rec.payment_method : "",
			r->rec.payment_method ? "）" : "",
			r->rec.payment_no ? r->rec.payment_no : "?",
			r->rec.merchant_order_no ? "，商户单号 " : "",
			r->rec.merchant_order_no ? r->rec.merchant_order_no
						 : "",
			state_zh(r));
	}
	return kmv_buf_printf(out,
			      "收到“%s”的邮件回执：%s，订单号 %s，金额 %s 元",
			      r->rec.merchant ? r->rec.merchant : "?",
			      r->rec.product ? r->rec.product : "",
			      r->rec.order_no ? r->rec.order_no : "?", amount);
}

struct tl_line {
	int64_t ts;
	char *text;
};

static int tl_cmp(const void *x, const void *y)
{
	const struct tl_line *a = x, *b = y;

	return a->ts < b->ts ? -1 : a->ts > b->ts;
}

/* The timeline's lines, each made in `line` and then pushed. */
struct tl {
	struct tl_line *lines;
	size_t n, alloc;
	kmv_buf line;
};

/* Take tl->line as the line at time `ts`. */
static int tl_push(struct tl *tl, int64_t ts)
{
	if (KMV_ARRAY_GROW(tl->lines, tl->alloc, tl->n + 1) < 0)
		return kmv_error_nomem();
	tl->lines[tl->n].ts = ts;
	if (!(tl->lines[tl->n].text = kmv_buf_detach(&tl->line)))
		return kmv_error_nomem();
	tl->n++;
	return 0;
}

/* One line per record of the bundle. */
static int tl_records(struct tl *tl, const struct bundle *b)
{
	int error = 0;

	for (size_t i = 0; i < b->nrecs; i++) {
		const struct brec *r = &b->recs[i];

		KMV_TRY(kmv_buf_printf(&tl->line, "%s  [%s #%lld] ",
				       r->time ? r->time : "(无时间)",
				       kind_zh(kmv_record_kind_name(
					       r->rec.kind)),
				       (long long)r->rec.id));
		KMV_TRY(describe(&tl->line, r));
		if (r->rec.source_file)
			KMV_TRY(kmv_buf_printf(&tl->line,
					       "（来源：%s 第 %lld 行）",
					       r->rec.source_file,
					       (long long)r->rec.source_line));
		KMV_TRY(tl_push(tl, r->rec.time.epoch));
	}
done:
	return error;
}

/* One line per state change of the bundle's records. */
static int tl_states(struct tl *tl, const struct bundle *b)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	KMV_TRY(kmv_db__prepare(
		&st, b->db,
		"SELECT record_id, state, state_raw,"
		" event_time, seen_at FROM timeline ORDER BY id"));
	while (sqlite3_step(st) == SQLITE_ROW) {
		kmv_time t = { 0, KMV_TZ_CST };
		const char *when = kmv_db__text(st, 3) ? kmv_db__text(st, 3)
						       : kmv_db__text(st, 4);

		if (!in_set(b, sqlite3_column_int64(st, 0)))
			continue;
		if (when)
			kmv_time_parse(&t, when, KMV_TZ_CST, NULL);
		KMV_TRY(kmv_buf_printf(
			&tl->line, "%s  [状态 #%lld] 订单状态变为“%s”%s%s",
			when ? when : "（无时间）",
			(long long)sqlite3_column_int64(st, 0),
			is_word(kmv_db__text(st, 2))
				? kmv_db__text(st, 2)
				: kmv_label_lang(KMV_LABEL_STATUS,
						 kmv_db__text(st, 1),
						 KMV_LANG_ZH),
			kmv_db__text(st, 3) ? "" : "（记录于导入时）", ""));
		KMV_TRY(tl_push(tl, t.epoch));
	}
done:
	sqlite3_finalize(st);
	return error;
}

/* One line per note of a case's bundle. */
static int tl_case_notes(struct tl *tl, const struct bundle *b)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	KMV_TRY(kmv_db__prepare(
		&st, b->db,
		"SELECT created_at, status, note"
		" FROM case_notes WHERE case_id = ? ORDER BY id"));
	sqlite3_bind_int64(st, 1, b->target.case_id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		kmv_time t = { 0, KMV_TZ_CST };

		if (kmv_db__text(st, 0))
			kmv_time_parse(&t, kmv_db__text(st, 0), KMV_TZ_CST,
				       NULL);
		KMV_TRY(kmv_buf_printf(
			&tl->line, "%s  [案件记录] %s%s%s",
			kmv_db__text(st, 0) ? kmv_db__text(st, 0) : "",
			kmv_db__text(st, 1)
				? kmv_label_lang(KMV_LABEL_CASE_STATUS,
						 kmv_db__text(st, 1),
						 KMV_LANG_ZH)
				: "",
			kmv_db__text(st, 1) && kmv_db__text(st, 2) ? "：" : "",
			kmv_db__text(st, 2) ? kmv_db__text(st, 2) : ""));
		KMV_TRY(tl_push(tl, t.epoch));
	}
done:
	sqlite3_finalize(st);
	return error;
}

/* The lines by time, then the anomalies, as data/timeline.txt. */
static int tl_write(struct tl *tl, struct bundle *b)
{
	kmv_buf out = KMV_BUF_INIT;
	int error = 0;

	qsort(tl->lines, tl->n, sizeof(*tl->lines), tl_cmp);
	KMV_TRY(kmv_buf_puts(
		&out, "时间线（时间为来源文件中的当地时间，含时区）\n\n"));
	for (size_t i = 0; i < tl->n; i++)
		KMV_TRY(kmv_buf_printf(&out, "%s\n", tl->lines[i].text));
	if (b->nanomalies)
		KMV_TRY(kmv_buf_printf(&out, "\n发现的异常：\n%s",
				       b->anomalies_text.ptr));
	KMV_TRY(add_payload(b, "data/timeline.txt", out.ptr, out.size));
done:
	kmv_buf_dispose(&out);
	return error;
}

static int timeline_txt(struct bundle *b)
{
	struct tl tl = { NULL, 0, 0, KMV_BUF_INIT };
	int error = 0;

	KMV_TRY(tl_records(&tl, b));
	KMV_TRY(tl_states(&tl, b));
	if (b->target.case_id)
		KMV_TRY(tl_case_notes(&tl, b));
	KMV_TRY(tl_write(&tl, b));
done:
	for (size_t i = 0; i < tl.n; i++)
		free(tl.lines[i].text);
	free(tl.lines);
	kmv_buf_dispose(&tl.line);
	return error;
}

/* Statements from Alipay are GBK: excerpts are shown as UTF-8. */
static int to_utf8(kmv_buf *out, const char *s, size_t len)
{
	iconv_t cd;
	char *in = (char *)s;
	size_t inleft = len;
	int error = 0;

	if (kmv_utf8_valid(s, len))
		return kmv_buf_put(out, s, len);
	cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return kmv_buf_puts(out, "(无法转换编码)");
	while (inleft > 0) {
		char chunk[1024];
		char *o = chunk;
		size_t oleft = sizeof(chunk);
		size_t rc = iconv(cd, &in, &inleft, &o, &oleft);

		KMV_TRY(kmv_buf_put(out, chunk, sizeof(chunk) - oleft));
		if (rc == (size_t)-1 && errno != E2BIG) {
			KMV_TRY(kmv_buf_puts(out, "?"));
			in++;
			inleft--;
		}
	}
done:
	iconv_close(cd);
	return error;
}

static bool is_binary(const kmv_buf *content)
{
	return (content->size >= 2 && memcmp(content->ptr, "PK", 2) == 0) ||
	       memchr(content->ptr, '\0', content->size) != NULL;
}

static bool has_encoded_parts(const kmv_buf *content)
{
	static const char *const encodings[] = { "base64", "quoted-printable" };
	const char *p = content->ptr, *end = content->ptr + content->size;
	const char *hit;

	while ((hit = memmem(p, (size_t)(end - p), "ransfer-", 8))) {
		const char *line_end = memchr(hit, '\n', (size_t)(end - hit));
		size_t n = line_end ? (size_t)(line_end - hit)
				    : (size_t)(end - hit);

		for (size_t i = 0; i < KMV_ARRAY_SIZE(encodings); i++)
			for (size_t k = 0; k + strlen(encodings[i]) <= n; k++)
				if (strncasecmp(hit + k, encodings[i],
						strlen(encodings[i])) == 0)
					return true;
		p = hit + 8;
	}
	return false;
}

/*
 * The copy of a source file that goes into the bundle: every card secret
 * of every record imported from it (not only this bundle's: a statement
 * holds other orders too) replaced by its masked form.  A secret that may
 * be there in another form -- a binary file, an encoded e-mail part, a
 * secret not found as plain text -- cannot be masked reliably: refused.
 */
static int masked_copy(struct bundle *b, kmv_buf *content, int64_t source_id,
		       const char *name)
{
	sqlite3_stmt *st = NULL;
	kmv_buf fixed = KMV_BUF_INIT;
	bool encoded = is_binary(content) || has_encoded_parts(content);
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(
		&st, b->db,
		"SELECT DISTINCT card_secret FROM records"
		" WHERE source_id = ? AND card_secret IS NOT NULL"
		" AND length(card_secret) >= 4"
		" ORDER BY length(card_secret) DESC"));
	sqlite3_bind_int64(st, 1, source_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *secret = kmv_db__text(st, 0);
		size_t len = strlen(secret);
		const char *p = content->ptr,
			   *end = content->ptr + content->size;
		const char *hit;
		char masked[256];

		if (encoded || !memmem(p, content->size, secret, len)) {
			kmv_error_set(
				KMV_ERROR_INPUT,
				"'%s': its card secrets cannot be "
				"masked (%s); leave out --include-sources, or "
				"give --include-unmasked-sources to put the "
				"original with every card secret in it into the "
				"bundle",
				name,
				encoded ? "binary file or encoded "
					  "e-mail parts"
					: "a secret is not stored as plain text");
			error = KMV_EINPUT;
			goto done;
		}
		kmv_mask_secret(masked, sizeof(masked), secret);
		kmv_buf_clear(&fixed);
		while ((hit = memmem(p, (size_t)(end - p), secret, len))) {
			KMV_TRY(kmv_buf_put(&fixed, p, (size_t)(hit - p)));
			KMV_TRY(kmv_buf_puts(&fixed, masked));
			b->secrets_masked++;
			p = hit + len;
		}
		KMV_TRY(kmv_buf_put(&fixed, p, (size_t)(end - p)));
		kmv_buf_clear(content);
		KMV_TRY(kmv_buf_put(content, fixed.ptr, fixed.size));
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(b->db, "cannot read the card secrets");
done:
	sqlite3_finalize(st);
	kmv_buf_dispose(&fixed);
	return error;
}

/* Record x's line of its source file (content), for the excerpts. */
static int excerpt_line(kmv_buf *out, const kmv_buf *content,
			const struct brec *x)
{
	const char *p = content->ptr, *end = content->ptr + content->size;
	const char *nl;
	size_t len;
	int error = 0;

	if (is_binary(content) || x->rec.source_line <= 0)
		return kmv_buf_printf(out,
				      "   记录 #%lld: 第 %lld 行/条"
				      "（二进制文件，请见原始文件）\n",
				      (long long)x->rec.id,
				      (long long)x->rec.source_line);
	for (int64_t ln = 1; ln < x->rec.source_line && p < end; ln++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	nl = memchr(p, '\n', (size_t)(end - p));
	len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	if (len && p[len - 1] == '\r')
		len--;
	KMV_TRY(kmv_buf_printf(out, "   第 %lld 行（记录 #%lld）: ",
			       (long long)x->rec.source_line,
			       (long long)x->rec.id));
	KMV_TRY(to_utf8(out, p, len));
	KMV_TRY(kmv_buf_putc(out, '\n'));
done:
	return error;
}

/* Record r's source file into the bundle (--include-sources),
 * masked unless --include-unmasked-sources. */
static int source_copy(struct bundle *b, kmv_buf *content, const struct brec *r)
{
	kmv_buf path = KMV_BUF_INIT;
	int error = 0;

	KMV_TRY(kmv_buf_printf(&path, "data/sources/%lld-%s",
			       (long long)r->rec.source_id,
			       r->rec.source_file
				       ? kmv_basename(r->rec.source_file)
				       : "source"));
	if (!b->opts->unmasked_sources)
		KMV_TRY(masked_copy(b, content, r->rec.source_id,
				    r->rec.source_file ? r->rec.source_file
						       : path.ptr));
	/* an original asked for unmasked goes in as is */
	KMV_TRY((b->opts->unmasked_sources ? add_payload_as_is : add_payload)(
		b, path.ptr, content->ptr, content->size));
	b->sources_included++;
done:
	kmv_buf_dispose(&path);
	return error;
}

/* The excerpts of the source file of b->recs[i] (the first record of
 * it), then the file itself when asked for. */
static int source_file(struct bundle *b, kmv_buf *out, kmv_buf *content,
		       size_t i)
{
	const struct brec *r = &b->recs[i];
	int error = 0;

	kmv_buf_clear(content);
	KMV_TRY(kmv_source_content(content, b->vault, r->rec.source_id));
	KMV_TRY(kmv_buf_printf(out, "\n== %s\n   SHA-256: %s\n",
			       r->rec.source_file ? r->rec.source_file : "?",
			       r->source_sha ? r->source_sha : "?"));
	for (size_t k = i; k < b->nrecs; k++)
		if (b->recs[k].rec.source_id == r->rec.source_id)
			KMV_TRY(excerpt_line(out, content, &b->recs[k]));
	if (b->opts->include_sources)
		KMV_TRY(source_copy(b, content, r));
done:
	return error;
}

static int source_files(struct bundle *b)
{
	struct ids done_src = { 0 };
	kmv_buf out = KMV_BUF_INIT, content = KMV_BUF_INIT;
	int error = 0;

	KMV_TRY(kmv_buf_puts(&out,
			     "来源文件摘录：每条记录在其导入文件中的原始行。\n"
			     "原始文件的 SHA-256 可与用户手中的账单文件核对"
			     "（sha256sum 文件名）。\n"));
	for (size_t i = 0; i < b->nrecs; i++) {
		const struct brec *r = &b->recs[i];

		if (!r->rec.source_id || ids_has(&done_src, r->rec.source_id))
			continue;
		KMV_TRY(ids_add(&done_src, r->rec.source_id));
		KMV_TRY(source_file(b, &out, &content, i));
	}
	KMV_TRY(add_payload(b, "data/sources/excerpts.txt", out.ptr, out.size));
done:
	free(done_src.v);
	kmv_buf_dispose(&out);
	kmv_buf_dispose(&content);
	return error;
}

static int attachments(struct bundle *b)
{
	sqlite3_stmt *st = NULL;
	kmv_buf path = KMV_BUF_INIT;
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(&st, b->db,
				"SELECT id, record_id, case_id, name,"
				" content FROM attachments ORDER BY id"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t rec = sqlite3_column_int64(st, 1);
		int64_t cas = sqlite3_column_int64(st, 2);

		if (!((rec && in_set(b, rec)) ||
		      (cas && cas == b->target.case_id)))
			continue;
		kmv_buf_clear(&path);
		KMV_TRY(kmv_buf_printf(&path, "data/attachments/%lld-%s",
				       (long long)sqlite3_column_int64(st, 0),
				       kmv_basename(kmv_db__text(st, 3))));
		KMV_TRY(add_payload(b, path.ptr, sqlite3_column_blob(st, 4),
				    (size_t)sqlite3_column_bytes(st, 4)));
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(b->db, "cannot read attachments");
done:
	sqlite3_finalize(st);
	kmv_buf_dispose(&path);
	return error;
}

static int longest_first(const void *x, const void *y)
{
	size_t a = strlen(*(const char *const *)x);
	size_t b = strlen(*(const char *const *)y);

	return a < b ? 1 : a > b ? -1 : 0;
}

static int by_id(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;

	return (a > b) - (a < b);
}

/*
 * The card secrets add_payload masks: those of the bundle's records, in
 * id order (a walk of the table's ids would meet them so; the sort by
 * length below is not stable), each read by its id.
 */
static int load_secrets(struct bundle *b)
{
	sqlite3_stmt *st = NULL;
	int64_t *ids = NULL;
	int error = 0, rc;

	if (!b->ids.n)
		return 0;
	if (!(ids = malloc(b->ids.n * sizeof(*ids))))
		return kmv_error_nomem();
	memcpy(ids, b->ids.v, b->ids.n * sizeof(*ids));
	qsort(ids, b->ids.n, sizeof(*ids), by_id);
	KMV_TRY(kmv_db__prepare(
		&st, b->db,
		"SELECT card_secret FROM records WHERE id = ?1"
		" AND card_secret IS NOT NULL AND length(card_secret) >= 4"));
	for (size_t i = 0; i < b->ids.n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, ids[i]);
		if ((rc = sqlite3_step(st)) == SQLITE_DONE)
			continue;
		if (rc != SQLITE_ROW) {
			error = kmv_db__error(b->db,
					      "cannot read the card secrets");
			goto done;
		}
		if (KMV_ARRAY_GROW(b->secrets, b->secrets_alloc,
				   b->nsecrets + 1) < 0) {
			error = kmv_error_nomem();
			goto done;
		}
		KMV_TRY(pool_text(b, &b->secrets[b->nsecrets], st, 0));
		b->nsecrets++;
	}
	if (b->nsecrets) /* qsort wants a non-NULL base even for 0 */
		qsort(b->secrets, b->nsecrets, sizeof(*b->secrets),
		      longest_first);
done:
	sqlite3_finalize(st);
	free(ids);
	return error;
}

static int letter(struct bundle *b)
{
	struct letter_input in;
	struct letter_case kase;
	sqlite3_stmt *st = NULL;
	int error = 0;

	memset(&in, 0, sizeof(in));
	memset(&kase, 0, sizeof(kase));
	in.recs = b->recs;
	in.nrecs = b->nrecs;
	in.anomalies = b->lanoms;
	in.nanomalies = b->nanomalies;
	in.order_no = b->target.order_no;
	in.claim = b->opts->claim;
	in.basis = b->opts->version >= 2 ? b->opts->basis : NULL;
	in.lang = bundle_lang(b);
	in.now = b->now;
	if (b->opts->version >= 3) {
		in.sender_name = b->opts->sender_name;
		in.sender_phone = b->opts->sender_phone;
		in.sender_email = b->opts->sender_email;
		in.sender_address = b->opts->sender_address;
		in.sender_id_number = b->opts->sender_id_number;
	}
	if (b->target.case_id) {
		KMV_TRY(kmv_db__prepare(
			&st, b->db,
			"SELECT c.id, c.reason, c.status,"
			" c.deadline, c.counterparty, c.claim, c.opened_at,"
			" (SELECT note FROM case_notes n WHERE n.case_id = c.id AND"
			"  note IS NOT NULL ORDER BY n.id DESC LIMIT 1)"
			" FROM cases c WHERE c.id = ?"));
		sqlite3_bind_int64(st, 1, b->target.case_id);
		if (sqlite3_step(st) == SQLITE_ROW) {
			kase.id = sqlite3_column_int64(st, 0);
			KMV_TRY(pool_text(b, &kase.reason, st, 1));
			KMV_TRY(pool_text(b, &kase.status, st, 2));
			KMV_TRY(pool_text(b, &kase.deadline, st, 3));
			KMV_TRY(pool_text(b, &kase.counterparty, st, 4));
			KMV_TRY(pool_text(b, &kase.claim, st, 5));
			KMV_TRY(pool_text(b, &kase.opened_at, st, 6));
			KMV_TRY(pool_text(b, &kase.note, st, 7));
			in.kase = &kase;
		}
	}
	/* The letter lists the other files, so it is added last. */
	KMV_TRY(kmv_letter__write(&b->bag, &in));
done:
	sqlite3_finalize(st);
	return error;
}

/* ---- create ----------------------------------------------------------- */

static int default_output(kmv_buf *out, const kmv_evidence_target *t,
			  const kmv_time *now)
{
	char when[KMV_TIME_BUFSZ];

	kmv_time_format(when, now);
	if (t->case_id)
		return kmv_buf_printf(out,
				      "evidence-case-%lld-%.4s%.2s%.2s.zip",
				      (long long)t->case_id, when, when + 5,
				      when + 8);
	return kmv_buf_printf(out, "evidence-%s-%.4s%.2s%.2s.zip", t->order_no,
			      when, when + 5, when + 8);
}

static int bag_root(kmv_buf *out, const char *path)
{
	const char *base = kmv_basename(path);
	size_t n = strlen(base);

	if (n > 4 && strcmp(base + n - 4, ".zip") == 0)
		n -= 4;
	else if (n > 7 && strcmp(base + n - 7, ".tar.gz") == 0)
		n -= 7;
	else if (n > 4 && strcmp(base + n - 4, ".tgz") == 0)
		n -= 4;
	return kmv_buf_put(out, base, n);
}

void kmv_evidence_result_dispose(kmv_evidence_result *res)
{
	if (!res)
		return;
	free(res->path);
	free(res->tsq_path);
	free(res->sha256);
	free(res->key_id);
	free(res->target);
	free(res->target_order_no);
	if (res->tmp_path)
		unlink(res->tmp_path);
	if (res->tmp_tsq_path)
		unlink(res->tmp_tsq_path);
	free(res->tmp_path);
	free(res->tmp_tsq_path);
	memset(res, 0, sizeof(*res));
}

int kmv_evidence_publish(kmv_evidence_result *res)
{
	int error;

	KMV_ASSERT_ARG(res && res->tmp_path && res->tmp_tsq_path);
	/* The bundle first: a query without its bundle would be useless. */
	error = kmv_file_publish(res->tmp_path, res->path, false);
	free(res->tmp_path);
	res->tmp_path = NULL;
	if (error < 0)
		return error;
	error = kmv_file_publish(res->tmp_tsq_path, res->tsq_path, true);
	free(res->tmp_tsq_path);
	res->tmp_tsq_path = NULL;
	return error;
}

/* Where kmv_evidence_create writes, and what it signed. */
struct bundle_files {
	kmv_buf path, root;   /* the bundle's name, its bag's root folder */
	kmv_buf tsq_path;     /* PATH.tsq */
	kmv_buf tmp, tmp_tsq; /* both under temporary names until saved */
	kmv_buf tsq;          /* the RFC 3161 timestamp query */
	char sha[KMV_SHA256_HEX_BUFSZ]; /* of the archive written */
	unsigned char keynum[KMV_KEYNUM_BYTES];
	bool key_created;
	bool written;
};

/* Phase 1: the output's name, checked before any work. */
static int bundle_output(struct bundle *b, struct bundle_files *f)
{
	int error = 0;

	if (b->opts->output)
		KMV_TRY(kmv_buf_puts(&f->path, b->opts->output));
	else
		KMV_TRY(default_output(&f->path, &b->target, &b->now));
	KMV_TRY(bag_root(&f->root, f->path.ptr));
	if (f->root.size == 0 ||
	    strcmp(f->root.ptr, kmv_basename(f->path.ptr)) == 0) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "'%s': a bundle must end in .zip, "
			      ".tar.gz or .tgz",
			      f->path.ptr);
		return KMV_EUSAGE;
	}
	if (access(f->path.ptr, F_OK) == 0) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "'%s' already exists (evidence is "
			      "never overwritten: choose another name with -o)",
			      f->path.ptr);
		return KMV_EEXISTS;
	}
done:
	return error;
}

/* Phase 2: the records chosen and every payload file of the bag. */
static int bundle_payload(struct bundle *b)
{
	int error = 0;

	KMV_TRY(seeds(b));
	KMV_TRY(expand(b));
	KMV_TRY(load_records(b));
	qsort(b->recs, b->nrecs, sizeof(*b->recs), by_time);
	KMV_TRY(load_secrets(b));
	KMV_TRY(anomalies(b));
	KMV_TRY(records_json(b));
	KMV_TRY(records_csv(b));
	KMV_TRY(timeline_txt(b));
	KMV_TRY(source_files(b));
	KMV_TRY(attachments(b));
	KMV_TRY(letter(b));
done:
	return error;
}

/* Phase 3: key, public key file, bag tag files, signature, timestamp
 * query. */
static int bundle_sign(struct bundle *b, struct bundle_files *f)
{
	kmv_buf desc = KMV_BUF_INIT, sig = KMV_BUF_INIT, pub = KMV_BUF_INIT;
	kmv_buf tc = KMV_BUF_INIT;
	unsigned char pk[32], *sk = NULL;
	char today[11], when[KMV_TIME_BUFSZ];
	const struct kmv_bag_file *tm;
	kmv_bag_info info;
	int error = 0;

	KMV_TRY(kmv_signing__load(b->vault, true, &f->key_created, pk,
				  f->keynum, &sk));
	KMV_TRY(kmv_minisign__pubkey_text(&pub, pk, f->keynum));
	KMV_TRY(kmv_bag__add(&b->bag, KMV_BAG_PUB, pub.ptr, pub.size));
	kmv_time_format(when, &b->now);
	snprintf(today, sizeof(today), "%.10s", when);
	if (b->target.case_id)
		KMV_TRY(kmv_buf_printf(&desc,
				       "kmvault evidence bundle for dispute "
				       "case %lld (%zu records)",
				       (long long)b->target.case_id, b->nrecs));
	else
		KMV_TRY(kmv_buf_printf(&desc,
				       "kmvault evidence bundle for order %s "
				       "(%zu records)",
				       b->target.order_no, b->nrecs));
	info.bagging_date = today;
	info.external_description = desc.ptr;
	info.external_identifier = b->target.case_id ? NULL
						     : b->target.order_no;
	KMV_TRY(kmv_bag__finalize(&b->bag, &info));
	tm = kmv_bag__find(&b->bag, KMV_BAG_TAGMANIFEST);
	KMV_TRY(kmv_buf_printf(&tc, "timestamp:%lld\tfile:%s\thashed",
			       (long long)b->now.epoch, KMV_BAG_TAGMANIFEST));
	KMV_TRY(kmv_minisign__sign(&sig, sk, f->keynum, tm->data, tm->len,
				   tc.ptr));
	KMV_TRY(kmv_tsa__query(&f->tsq, tm->data, tm->len));
	KMV_TRY(kmv_bag__add(&b->bag, KMV_BAG_SIG, sig.ptr, sig.size));
	KMV_TRY(kmv_bag__add(&b->bag, KMV_BAG_TSQ, f->tsq.ptr, f->tsq.size));
done:
	sodium_free(sk);
	kmv_buf_dispose(&desc);
	kmv_buf_dispose(&sig);
	kmv_buf_dispose(&pub);
	kmv_buf_dispose(&tc);
	return error;
}

/*
 * Phase 4: the archive and its query under temporary names until the
 * caller has saved the vault (key and event) and published: a failed
 * save leaves no signed bundle behind.
 */
static int bundle_write(struct bundle *b, struct bundle_files *f)
{
	kmv_buf file = KMV_BUF_INIT;
	int error = 0;

	kmv_file_sweep_temps(f->path.ptr);
	KMV_TRY(kmv_file_temp_name(&f->tmp, f->path.ptr));
	KMV_TRY(kmv_buf_printf(&f->tsq_path, "%s.tsq", f->path.ptr));
	kmv_file_sweep_temps(f->tsq_path.ptr);
	KMV_TRY(kmv_file_temp_name(&f->tmp_tsq, f->tsq_path.ptr));
	/* The archive writer gets the real name for its messages and format. */
	KMV_TRY(kmv_bag__write_archive_to(&b->bag, f->root.ptr, f->path.ptr,
					  f->tmp.ptr));
	f->written = true;
	KMV_TRY(kmv_file_write(f->tmp_tsq.ptr, f->tsq.ptr, f->tsq.size, false));
	KMV_TRY(kmv_file_read(&file, f->tmp.ptr, (size_t)1 << 30));
	kmv_sha256_hex(f->sha, file.ptr, file.size);
done:
	kmv_buf_dispose(&file);
	return error;
}

/* Phase 5: the vault's "evidence" audit event. */
static int bundle_audit(struct bundle *b, const struct bundle_files *f)
{
	kmv_buf detail = KMV_BUF_INIT;
	kmv_json j;
	int error = 0;

	kmv_json_init(&j, &detail, false);
	kmv_json_object_begin(&j);
	if (b->target.case_id)
		kmv_json_kv_int(&j, "case", b->target.case_id);
	else
		kmv_json_kv_string(&j, "order_no", b->target.order_no);
	kmv_json_kv_string(&j, "file", kmv_basename(f->path.ptr));
	kmv_json_kv_string(&j, "sha256", f->sha);
	kmv_json_kv_int(&j, "records", (int64_t)b->nrecs);
	kmv_json_kv_bool(&j, "key_created", f->key_created);
	kmv_json_object_end(&j);
	KMV_TRY(kmv_json_finish(&j));
	KMV_TRY(kmv_audit_append(b->vault, "evidence", detail.ptr));
done:
	kmv_buf_dispose(&detail);
	return error;
}

/* Phase 6: what the caller is told (names, digest, counts). */
static int bundle_result(kmv_evidence_result *out, const struct bundle *b,
			 struct bundle_files *f)
{
	kmv_buf desc = KMV_BUF_INIT;
	char id[17];

	kmv_minisign__key_id(id, f->keynum);
	out->key_created = f->key_created;
	out->path = kmv_buf_detach(&f->path);
	out->tsq_path = kmv_buf_detach(&f->tsq_path);
	out->tmp_path = kmv_buf_detach(&f->tmp);
	out->tmp_tsq_path = kmv_buf_detach(&f->tmp_tsq);
	out->sha256 = strdup(f->sha);
	out->key_id = strdup(id);
	if (b->target.case_id)
		kmv_buf_printf(&desc, "case %lld",
			       (long long)b->target.case_id);
	else
		kmv_buf_printf(&desc, "order %s", b->target.order_no);
	out->target = kmv_buf_detach(&desc);
	out->target_case_id = b->target.case_id;
	if (!b->target.case_id && b->target.order_no)
		out->target_order_no = strdup(b->target.order_no);
	out->records = (int64_t)b->nrecs;
	out->sources_included = b->sources_included;
	out->secrets_masked = b->secrets_masked;
	for (size_t i = 0; i < b->bag.count; i++) {
		if (strncmp(b->bag.files[i].path, "data/", 5) == 0) {
			out->files++;
			out->payload_bytes += (int64_t)b->bag.files[i].len;
		}
	}
	if (!out->path || !out->tsq_path || !out->sha256 || !out->key_id ||
	    !out->target || !out->tmp_path || !out->tmp_tsq_path ||
	    (b->target.order_no && !b->target.case_id && !out->target_order_no))
		return kmv_error_nomem();
	return 0;
}

int kmv_evidence_create(kmv_evidence_result *out, kmv_vault *vault,
			const char *target, const kmv_evidence_options *opts)
{
	static const kmv_evidence_options defaults = KMV_EVIDENCE_OPTIONS_INIT;
	struct bundle b;
	struct bundle_files f;
	int error = 0;

	KMV_ASSERT_ARG(out && vault && target);
	if (!opts)
		opts = &defaults;
	memset(out, 0, sizeof(*out));
	memset(&b, 0, sizeof(b));
	memset(&f, 0, sizeof(f));
	kmv_buf_init(&f.path, 0);
	kmv_buf_init(&f.root, 0);
	kmv_buf_init(&f.tsq_path, 0);
	kmv_buf_init(&f.tmp, 0);
	kmv_buf_init(&f.tmp_tsq, 0);
	kmv_buf_init(&f.tsq, 0);
	b.vault = vault;
	b.db = kmv_vault__db(vault);
	b.opts = opts;
	b.now = kmv_time_now();

	KMV_TRY(kmv_evidence__resolve(&b.target, vault, target));
	KMV_TRY(bundle_output(&b, &f));
	KMV_TRY(bundle_payload(&b));
	KMV_TRY(bundle_sign(&b, &f));
	KMV_TRY(bundle_write(&b, &f));
	KMV_TRY(bundle_audit(&b, &f));
	error = bundle_result(out, &b, &f);
done:
	if (error < 0 && f.written) {
		/* out's copies of the names, or f's when not yet handed on */
		const char *tmp = out->tmp_path ? out->tmp_path : f.tmp.ptr;
		const char *tmp_tsq = out->tmp_tsq_path ? out->tmp_tsq_path
							: f.tmp_tsq.ptr;

		if (tmp && *tmp)
			unlink(tmp);
		if (tmp_tsq && *tmp_tsq)
			unlink(tmp_tsq);
	}
	if (error < 0)
		kmv_evidence_result_dispose(out);
	free(b.secrets);
	kmv_strpool__dispose(&b.pool);
	kmv_evidence__target_dispose(&b.target);
	free(b.ids.v);
	kmv_refunds__dispose(&b.refunds);
	for (size_t i = 0; i < b.nrecs; i++)
		kmv_record_dispose(&b.recs[i].rec);
	free(b.recs);
	kmv_buf_dispose(&b.anomalies_json);
	kmv_buf_dispose(&b.anomalies_text);
	for (size_t i = 0; i < b.nanomalies; i++)
		free(b.lanoms[i].records);
	free(b.lanoms);
	kmv_buf_dispose(&b.evidence_list);
	kmv_bag__dispose(&b.bag);
	kmv_buf_dispose(&f.path);
	kmv_buf_dispose(&f.root);
	kmv_buf_dispose(&f.tsq_path);
	kmv_buf_dispose(&f.tmp);
	kmv_buf_dispose(&f.tmp_tsq);
	kmv_buf_dispose(&f.tsq);
	return error;
}
