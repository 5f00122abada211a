/* SPDX-License-Identifier: MIT */
/*
 * Shop order exports (CSV, XLSX, JSON arrays of objects) -> order records.
 *
 * The container readers deliver rows; the first row that maps the
 * required fields through the profile is the header.  Every later row is
 * one order, deduplicated by (platform, order number).  The platform is
 * the shop's name from the data, never from the file name: --platform,
 * the profile's fixed `platform`, its platform column (站点 …), the shop
 * column (店铺/商户 …); else it is unknown (NULL, shown as 未知店铺) and a
 * later import that knows it fills it in.  Seeing an order
 * again with a new status updates it and appends to its status timeline;
 * the timeline is how `show` tells 待支付 → 已支付 → 已完成 apart from a
 * single snapshot.
 */
#include "common.h"
#include "import/import.h"
#include "import/profile.h"
#include "import/readers.h"
#include "kmv/i18n.h"
#include "kmvutil/array.h"
#include "kmvutil/json.h"
#include "kmvutil/money.h"
#include "kmvutil/text.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <sodium.h>

/* Rows searched for the header before giving up. */
#define HEADER_SEARCH_ROWS 50

struct orders_run {
	kmv_import_ctx *ctx;
	const kmv_import_file *file;
	kmv_profile *profile;
	kmv_profile_map map;
	bool have_header;
	bool is_json;
	char *platform;           /* --platform or the profile's, or NULL */
	int64_t unknown_platform; /* orders of this file without one */
	int64_t scanned;
	int best_score;
	kmv_buf seen;    /* headers of the best candidate row */
	kmv_buf missing; /* what that row lacked */
	kmv_buf columns; /* mapping description */
	int64_t orders;
	kmv_order_sink *sink; /* orders met before, timelines */
};

static const char *cell(const kmv_row *row, const struct orders_run *r,
			kmv_profile_field f)
{
	int c = r->map.col[f];

	if (c < 0 || (size_t)c >= row->ncells || !row->cells[c][0])
		return NULL;
	/* phpMyAdmin writes SQL NULL as a bare NULL in its CSV export */
	if (strcmp(row->cells[c], "NULL") == 0)
		return NULL;
	return row->cells[c];
}

static bool cell_number(const kmv_row *row, const struct orders_run *r,
			kmv_profile_field f, double *v)
{
	int c = r->map.col[f];

	if (c < 0 || (size_t)c >= row->ncells || !row->is_number ||
	    !row->is_number[c])
		return false;
	*v = row->numbers[c];
	return true;
}

static int remember_headers(struct orders_run *r, const kmv_row *row, int score)
{
	int error = 0;

	/* A one-cell line is prose, not a header, and is not quoted back:
	 * it may be the password note that sat next to a ZIP. */
	if (row->ncells < 2 || (score <= r->best_score && r->seen.size))
		return 0;
	r->best_score = score;
	kmv_buf_clear(&r->seen);
	for (size_t i = 0; i < row->ncells && i < 40; i++)
		KMV_TRY(kmv_buf_printf(&r->seen, "%s%s", i ? ", " : "",
				       row->cells[i]));
done:
	return error;
}

static int find_header(struct orders_run *r, const kmv_row *row)
{
	kmv_buf missing = KMV_BUF_INIT;
	bool ok;
	int error = 0;

	r->scanned++;
	if (!r->is_json && r->profile->header_row > 0 &&
	    row->line != r->profile->header_row) {
		if (row->line < r->profile->header_row)
			return 0;
		return kmv_sink__reject(r->file, row->line,
					"no header at "
					"row %d (header_row of profile '%s')",
					r->profile->header_row,
					r->profile->name);
	}
	/* Without --profile, a built-in system's own table is recognized. */
	if (!kmv_sink__options(r->ctx)->profile && r->profile->guess) {
		const char *name = kmv_profile__detect(row->cells, row->ncells);
		kmv_profile *p;

		if (name) {
			KMV_TRY(kmv_profile__load(&p, name));
			kmv_profile__free(r->profile);
			r->profile = p;
		}
	}
	ok = kmv_profile__map_header(&r->map, r->profile, row->cells,
				     row->ncells, &missing);
	if (!ok) {
		int score = kmv_profile__map_score(&r->map);

		KMV_TRY(remember_headers(r, row, score));
		if (score >= r->best_score) {
			kmv_buf_clear(&r->missing);
			KMV_TRY(kmv_buf_puts(&r->missing, missing.ptr));
		}
		if (r->profile->header_row > 0 || r->is_json)
			error = 1; /* stop: reported by the caller */
		else if (r->scanned >= HEADER_SEARCH_ROWS)
			error = 1;
		goto done;
	}
	r->have_header = true;
	KMV_TRY(kmv_profile__describe(&r->columns, &r->map, row->cells));
done:
	kmv_buf_dispose(&missing);
	return error;
}

static int parse_amount(int64_t *out, const kmv_row *row,
			const struct orders_run *r, kmv_profile_field f,
			const char *what)
{
	const char *text = cell(row, r, f);
	double v;

	if (r->profile->amounts_in_fen) {
		char *end;

		if (cell_number(row, r, f, &v)) {
			if (v < 0 || v > 1e15 || v != (double)(int64_t)v)
				return kmv_sink__reject(r->file, row->line,
							_("bad %s %g (fen)"),
							what, v);
			*out = (int64_t)v;
			return 1;
		}
		if (!text)
			return 0;
		errno = 0;
		*out = strtoll(text, &end, 10);
		if (errno || end == text || *end || *out < 0)
			return kmv_sink__reject(r->file, row->line,
						_("bad %s "
						  "'%s' (fen)"),
						what, text);
		return 1;
	}
	if (cell_number(row, r, f, &v))
		return kmv_money_from_double(out, v) < 0
			       ? kmv_sink__reject(r->file, row->line,
						  "bad %s %g", _(what), v)
			       : 1;
	if (!text)
		return 0;
	if (kmv_money_parse(out, text) < 0)
		return kmv_sink__reject(r->file, row->line, "bad %s '%s'",
					_(what), text);
	return 1;
}

/*
 * A second status axis (acg-faka: paid × delivered).  The raw status
 * keeps both ("1/1"); a paid or open order marked delivered is delivered,
 * never undelivered.
 */
static int apply_delivery_status(kmv_record *rec, const kmv_row *row,
				 const struct orders_run *r)
{
	const char *d = cell(row, r, KMV_PF_DELIVERY_STATUS);
	const kmv_profile *p = r->profile;
	kmv_buf raw = KMV_BUF_INIT;
	bool delivered;
	int error = 0;

	if (!d)
		return 0;
	delivered = p->delivered_value ? strcmp(d, p->delivered_value) == 0
				       : strcmp(kmv_profile__status(p, d),
						"delivered") == 0;
	KMV_TRY(kmv_buf_printf(&raw, "%s/%s",
			       rec->status_raw ? rec->status_raw : "", d));
	KMV_TRY(kmv_record_set(&rec->status_raw, raw.ptr));
	if (delivered && (!rec->status || !strcmp(rec->status, "paid") ||
			  !strcmp(rec->status, "processing") ||
			  !strcmp(rec->status, "unknown")))
		KMV_TRY(kmv_record_set(&rec->status, "delivered"));
	else if (!rec->status)
		KMV_TRY(kmv_record_set(&rec->status, "unknown"));
done:
	kmv_buf_dispose(&raw);
	return error;
}

static int parse_time(kmv_time *out, const kmv_row *row,
		      const struct orders_run *r, kmv_profile_field f)
{
	const char *text = cell(row, r, f);
	double v = 0;
	bool num = cell_number(row, r, f, &v);

	if (!text && !num)
		return 0;
	/*
	 * "not yet": zfaka's 0 (text or a numeric cell), MySQL's zero date,
	 * phpMyAdmin's NULL
	 */
	if ((num && v == 0) ||
	    (text && (strcmp(text, "0") == 0 || strcmp(text, "NULL") == 0 ||
		      strncmp(text, "0000-00-00", 10) == 0)))
		return 0;
	if (kmv_profile__time(out, r->profile, text, num, v) < 0)
		return kmv_sink__reject(
			r->file, row->line, "bad %s '%s'%s%s",
			kmv_profile__field_name(f), text ? text : "",
			r->profile->time_format ? _(" for time_format ") : "",
			r->profile->time_format ? r->profile->time_format : "");
	return 1;
}

/* "示例会员月卡 x 2" -> "示例会员月卡" when the quantity is 2. */
static void strip_title_qty(char *title, int64_t qty)
{
	char *x = strrchr(title, 'x');
	char *end;
	long long n;

	if (!x || x == title || (x[-1] != ' ' && x[-1] != '\t'))
		return;
	errno = 0;
	n = strtoll(x + 1, &end, 10);
	while (*end == ' ')
		end++;
	if (errno || *end || n != qty)
		return;
	while (x > title && (x[-1] == ' ' || x[-1] == '\t'))
		x--;
	*x = '\0';
}

static bool is_summary(const char *order_no)
{
	static const char *const words[] = {
		"合计", "总计", "小计", "汇总", "total", "sum",
	};

	for (size_t i = 0; i < KMV_ARRAY_SIZE(words); i++)
		if (strncasecmp(order_no, words[i], strlen(words[i])) == 0)
			return true;
	return false;
}

/* The dates a row may give besides its order time. */
struct row_times {
	kmv_time paid, delivered, updated;
	int has_paid, has_delivered, has_updated;
};

/* import_row, phase 1: who the order is (number, platform, dedup key). */
static int row_identity(struct orders_run *r, const kmv_row *row,
			kmv_record *rec, const char *order_no)
{
	kmv_buf key = KMV_BUF_INIT;
	const char *platform;
	int error = 0;

	rec->kind = KMV_KIND_ORDER;
	KMV_TRY(kmv_record_set(&rec->source_kind, "orders"));
	KMV_TRY(kmv_record_set(&rec->order_no, order_no));
	platform = r->platform;
	if (!platform)
		platform = cell(row, r, KMV_PF_PLATFORM);
	if (!platform)
		platform = cell(row, r, KMV_PF_MERCHANT);
	if (!platform)
		r->unknown_platform++;
	KMV_TRY(kmv_record_set(&rec->platform, platform));
	KMV_TRY(kmv_buf_printf(&key, "%s\x1f%s", platform ? platform : "",
			       order_no));
	KMV_TRY(kmv_record_set(&rec->dedup_key, key.ptr));
done:
	kmv_buf_dispose(&key);
	return error;
}

/* Phase 2: amount, quantity and times (an amount from price × number). */
static int row_amounts_and_times(struct orders_run *r, const kmv_row *row,
				 kmv_record *rec, struct row_times *t)
{
	const char *order_no = rec->order_no;
	const char *qty = cell(row, r, KMV_PF_QUANTITY);
	int error = 0, rc;

	KMV_TRY(rc = parse_amount(&rec->amount, row, r, KMV_PF_AMOUNT,
				  N_("amount")));
	if (!rc && !r->map.amount_from_unit_price)
		return kmv_sink__reject(r->file, row->line,
					"order %s has no amount", order_no);
	rec->has_amount = rc > 0;
	KMV_TRY(rc = parse_time(&rec->time, row, r, KMV_PF_TIME));
	if (!rc)
		return kmv_sink__reject(r->file, row->line,
					"order %s has no time", order_no);
	rec->has_time = true;
	KMV_TRY(t->has_paid = parse_time(&t->paid, row, r, KMV_PF_PAID_TIME));
	KMV_TRY(t->has_delivered = parse_time(&t->delivered, row, r,
					      KMV_PF_DELIVERED_TIME));
	KMV_TRY(t->has_updated = parse_time(&t->updated, row, r,
					    KMV_PF_UPDATED_TIME));
	KMV_TRY(parse_amount(&rec->unit_price, row, r, KMV_PF_UNIT_PRICE,
			     N_("unit price")));
	if (qty) {
		char *end;

		errno = 0;
		rec->quantity = strtoll(qty, &end, 10);
		if (*end == '.')
			end += strspn(end, ".0"); /* "2.0" from spreadsheets */
		if (errno || end == qty || *end || rec->quantity < 0)
			return kmv_sink__reject(r->file, row->line,
						"bad quantity '%s'", qty);
	} else {
		double v;

		if (cell_number(row, r, KMV_PF_QUANTITY, &v) && v >= 0 &&
		    v < 1e9)
			rec->quantity = (int64_t)v;
	}
	if (!rec->has_amount) {
		/* price × num: no amount column, a unit price and a quantity */
		if (rec->unit_price <= 0 || rec->quantity <= 0 ||
		    rec->unit_price > INT64_MAX / rec->quantity)
			return kmv_sink__reject(
				r->file, row->line,
				"order %s has no amount (and no unit price × "
				"quantity to compute it)",
				order_no);
		rec->amount = rec->unit_price * rec->quantity;
		rec->has_amount = true;
	}
done:
	return error;
}

/* Phase 3: the descriptive fields, the card secret and `extra`. */
static int row_fields(struct orders_run *r, const kmv_row *row, kmv_record *rec)
{
	const char *secret = cell(row, r, KMV_PF_CARD_SECRET);
	const char *title = cell(row, r, KMV_PF_PRODUCT);
	kmv_buf extra = KMV_BUF_INIT;
	kmv_json j;
	int error = 0;

	KMV_TRY(kmv_record_set(&rec->product, title));
	if (rec->product && r->profile->strip_title_qty && rec->quantity > 0)
		strip_title_qty(rec->product, rec->quantity);
	KMV_TRY(kmv_record_set(&rec->status_raw, cell(row, r, KMV_PF_STATUS)));
	if (rec->status_raw)
		KMV_TRY(kmv_record_set(&rec->status,
				       kmv_profile__status(r->profile,
							   rec->status_raw)));
	KMV_TRY(apply_delivery_status(rec, row, r));
	KMV_TRY(kmv_record_set(&rec->payment_method,
			       cell(row, r, KMV_PF_PAYMENT_METHOD)));
	KMV_TRY(kmv_record_set(&rec->payment_no,
			       cell(row, r, KMV_PF_PAYMENT_NO)));
	KMV_TRY(kmv_record_set(&rec->merchant, cell(row, r, KMV_PF_MERCHANT)));
	KMV_TRY(kmv_record_set(&rec->memo, cell(row, r, KMV_PF_MEMO)));
	if (secret && r->profile->secret_if_col) {
		int c = r->map.secret_if;
		bool is_card = c >= 0 && (size_t)c < row->ncells &&
			       strcmp(row->cells[c],
				      r->profile->secret_if_val) == 0 &&
			       rec->status &&
			       (strcmp(rec->status, "completed") == 0 ||
				strcmp(rec->status, "delivered") == 0);

		/* Otherwise the column holds the buyer's input or an error. */
		if (!is_card) {
			if (!rec->memo)
				KMV_TRY(kmv_record_set(&rec->memo, secret));
			secret = NULL;
		}
	}
	KMV_TRY(kmv_record_set(&rec->card_secret, secret));
	rec->source_id = r->file->source_id;
	rec->source_line = row->line;

	kmv_json_init(&j, &extra, false);
	kmv_json_object_begin(&j);
	if (cell(row, r, KMV_PF_EMAIL))
		kmv_json_kv_string(&j, "email", cell(row, r, KMV_PF_EMAIL));
	if (title && rec->product && strcmp(title, rec->product) != 0)
		kmv_json_kv_string(&j, "title", title);
	kmv_json_kv_string(&j, "profile", r->profile->name);
	kmv_json_object_end(&j);
	KMV_TRY(kmv_json_finish(&j));
	KMV_TRY(kmv_record_set(&rec->extra_json, extra.ptr));
done:
	kmv_buf_dispose(&extra);
	return error;
}

/* Phase 4: stored, or the order met before updated; its id in *id. */
static int row_store(struct orders_run *r, kmv_record *rec, int64_t *id)
{
	kmv_import_ctx *ctx = r->ctx;
	int error = 0, rc, earlier;

	KMV_TRY(earlier = kmv_order_sink__earlier(r->sink, rec, id));
	if (earlier > 0)
		kmv_sink__count_duplicate(ctx);
	rc = earlier > 0 ? KMV_EEXISTS : kmv_sink__add_record(id, ctx, rec);
	if (rc == KMV_EEXISTS) {
		/* A status this profile cannot read never overwrites a known one. */
		if (rec->status && strcmp(rec->status, "unknown") == 0) {
			free(rec->status);
			rec->status = NULL;
			rc = 0;
		} else {
			rec->id = *id;
			KMV_TRY(rc = kmv_order_sink__update(r->sink, rec));
		}
		/* The platform filled in is an update too. */
		if (earlier == 2 && rc == 0)
			kmv_sink__count_update(ctx);
	} else {
		KMV_TRY(rc);
	}
	r->orders++;
	error = 0; /* earlier and update count in positives */
done:
	return error;
}

/* Phase 5: the states the row shows, on the order's timeline. */
static int row_timeline(struct orders_run *r, int64_t id, const kmv_record *rec,
			const struct row_times *t)
{
	int64_t source = r->file->source_id;
	int error = 0;

	if (t->has_paid)
		KMV_TRY(kmv_order_sink__ensure_state(r->sink, id, "paid", NULL,
						     &t->paid, source));
	if (t->has_delivered)
		KMV_TRY(kmv_order_sink__ensure_state(r->sink, id, "delivered",
						     NULL, &t->delivered,
						     source));
	if (rec->status) {
		const kmv_time *when = NULL;

		if (strcmp(rec->status, "pending_payment") == 0)
			when = &rec->time;
		else if (strcmp(rec->status, "paid") == 0 && t->has_paid)
			when = &t->paid;
		else if (strcmp(rec->status, "delivered") == 0 &&
			 t->has_delivered)
			when = &t->delivered;
		else if (t->has_updated)
			when = &t->updated;
		KMV_TRY(kmv_order_sink__ensure_state(r->sink, id, rec->status,
						     rec->status_raw, when,
						     source));
	}
done:
	return error;
}

/* One data row of an order export, in the five phases above. */
static int import_row(struct orders_run *r, const kmv_row *row)
{
	kmv_record rec = KMV_RECORD_INIT;
	const char *order_no = cell(row, r, KMV_PF_ORDER_NO);
	struct row_times times;
	int64_t id = 0;
	int error = 0;

	if (!order_no || is_summary(order_no)) {
		/* Summary lines ("合计") and blank rows carry no order. */
		kmv_sink__warn(r->ctx, r->file, row->line,
			       "row without an order number skipped");
		return 0;
	}
	memset(&times, 0, sizeof(times));
	KMV_TRY(row_identity(r, row, &rec, order_no));
	KMV_TRY(row_amounts_and_times(r, row, &rec, &times));
	KMV_TRY(row_fields(r, row, &rec));
	KMV_TRY(row_store(r, &rec, &id));
	KMV_TRY(row_timeline(r, id, &rec, &times));
done:
	kmv_record_dispose(&rec);
	return error;
}

static int on_row(const kmv_row *row, void *payload)
{
	struct orders_run *r = payload;

	if (!r->have_header)
		return find_header(r, row);
	return import_row(r, row);
}

/* Tabs rather than commas in the first line: a tab-separated export. */
static char sniff_delimiter(const char *text)
{
	size_t n = strcspn(text, "\n"), tabs = 0, commas = 0;

	for (size_t i = 0; i < n; i++) {
		tabs += text[i] == '\t';
		commas += text[i] == ',';
	}
	return tabs > commas ? '\t' : ',';
}

static int read_csv(struct orders_run *r)
{
	kmv_buf text = KMV_BUF_INIT;
	char delim = r->profile->delimiter;
	int error = 0;

	KMV_TRY(kmv_text__to_utf8(&text, r->file->data, r->file->len,
				  r->profile->encoding ? r->profile->encoding
						       : "auto",
				  r->file->display));
	if (!delim)
		delim = sniff_delimiter(text.ptr);
	error = kmv_csv__read(text.ptr, text.size, delim, r->file->display,
			      on_row, r);
done:
	kmv_buf_dispose_secure(&text);
	return error;
}

/*
 * JSON order files through jansson.  A row object is flattened into
 * cells: a member is a column under its own key, and the members of a
 * nested object or array are columns too, under their path
 * (`commodity.name`, `items[0].name`; profiles.md's nested fields), so a
 * profile names a nested field like any column.  A nested value's own
 * key holds its compact JSON text, as before.
 */
#define JSON_MAX_DEPTH 8      /* nesting flattened into paths */
#define JSON_MAX_ITEMS 32     /* array elements flattened per array */
#define JSON_MAX_COLUMNS 1024 /* distinct paths; later ones are ignored */

struct json_cells {
	char **keys;
	size_t nkeys, akeys;
	char **vals;
	bool collecting; /* pass 1: learn the keys */
};

static int key_index(struct json_cells *c, const char *key, bool add)
{
	for (size_t i = 0; i < c->nkeys; i++)
		if (strcmp(c->keys[i], key) == 0)
			return (int)i;
	if (!add || c->nkeys >= JSON_MAX_COLUMNS)
		return -1;
	if (KMV_ARRAY_GROW(c->keys, c->akeys, c->nkeys + 1) < 0)
		return KMV_ERROR;
	if (!(c->keys[c->nkeys] = strdup(key)))
		return kmv_error_nomem();
	return (int)c->nkeys++;
}

static int json_cell_text(kmv_buf *out, const json_t *v)
{
	char *dump;
	int error;

	switch (json_typeof(v)) {
	case JSON_STRING:
		return kmv_buf_put(out, json_string_value(v),
				   json_string_length(v));
	case JSON_INTEGER:
		return kmv_buf_printf(out, "%" JSON_INTEGER_FORMAT,
				      json_integer_value(v));
	case JSON_REAL:
		/* 9.9 stays "9.9": the shortest form that reads back */
		return kmv_buf_printf(out, "%.15g", json_real_value(v));
	case JSON_TRUE: return kmv_buf_puts(out, "1");
	case JSON_FALSE: return kmv_buf_puts(out, "0");
	case JSON_NULL: return 0;
	case JSON_OBJECT:
	case JSON_ARRAY: break;
	}
	dump = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!dump)
		return kmv_error_nomem();
	error = kmv_buf_puts(out, dump);
	free(dump);
	return error;
}

static int json_flatten(struct json_cells *c, kmv_buf *path, const json_t *v,
			int depth)
{
	size_t mark = path->size;
	int error = 0, k;

	if (path->size) {
		KMV_TRY(k = key_index(c, path->ptr, c->collecting));
		if (k >= 0 && !c->collecting) {
			kmv_buf text = KMV_BUF_INIT;

			error = json_cell_text(&text, v);
			if (error == 0) {
				sodium_memzero(c->vals[k], strlen(c->vals[k]));
				free(c->vals[k]);
				c->vals[k] = kmv_buf_detach(&text);
				if (!c->vals[k])
					error = kmv_error_nomem();
				else
					kmv_trim(c->vals[k]);
			}
			kmv_buf_dispose_secure(&text);
			KMV_TRY(error);
		}
	}
	if (depth >= JSON_MAX_DEPTH)
		goto done;
	if (json_is_object(v)) {
		const char *key;
		json_t *m;

		json_object_foreach((json_t *)v, key, m)
		{
			path->size = mark;
			path->ptr[mark] = '\0';
			KMV_TRY(kmv_buf_printf(path, "%s%s", mark ? "." : "",
					       key));
			KMV_TRY(json_flatten(c, path, m, depth + 1));
		}
	} else if (json_is_array(v) && mark) {
		for (size_t i = 0; i < json_array_size(v) && i < JSON_MAX_ITEMS;
		     i++) {
			path->size = mark;
			path->ptr[mark] = '\0';
			KMV_TRY(kmv_buf_printf(path, "[%zu]", i));
			KMV_TRY(json_flatten(c, path, json_array_get(v, i),
					     depth + 1));
		}
	}
done:
	if (path->ptr) {
		path->size = mark;
		path->ptr[mark] = '\0';
	}
	return error;
}

static int emit_json_row(struct orders_run *r, struct json_cells *c,
			 int64_t line)
{
	kmv_row row;
	int rc;

	memset(&row, 0, sizeof(row));
	row.line = line;
	row.ncells = c->nkeys;
	row.cells = (const char *const *)c->vals;
	rc = on_row(&row, r);
	for (size_t i = 0; i < c->nkeys; i++) {
		sodium_memzero(c->vals[i], strlen(c->vals[i]));
		free(c->vals[i]);
		c->vals[i] = strdup("");
		if (!c->vals[i])
			return kmv_error_nomem();
	}
	return rc;
}

/*
 * Where the order objects are: the document itself when it is an array
 * (phpMyAdmin's JSON export: the `data` of its table object), else the
 * first array member of the object, else one inside a nested object (the
 * shops' query APIs answer {"code": 200, "data": {"list": [...]}}).
 */
static json_t *json_rows(json_t *doc, int depth)
{
	const char *key;
	json_t *m, *found;

	if (json_is_array(doc)) {
		for (size_t i = 0; i < json_array_size(doc); i++) {
			json_t *t = json_array_get(doc, i);
			const char *type = json_string_value(
				json_object_get(t, "type"));

			if (type && strcmp(type, "table") == 0 &&
			    json_is_array(json_object_get(t, "data")))
				return json_object_get(t, "data");
		}
		return doc;
	}
	if (!json_is_object(doc) || depth > 3)
		return NULL;
	json_object_foreach(doc, key, m) if (json_is_array(m)) return m;
	json_object_foreach(doc, key,
			    m) if (json_is_object(m) &&
				   (found = json_rows(m,
						      depth + 1))) return found;
	return NULL;
}

/* The shop's own words in an answer without orders ({"msg": "无数据"}). */
static const char *json_message(const json_t *doc)
{
	static const char *const keys[] = { "msg", "message", "error" };

	for (size_t i = 0; i < KMV_ARRAY_SIZE(keys); i++) {
		const char *s = json_string_value(
			json_object_get(doc, keys[i]));

		if (s && *s && strcmp(s, "success") != 0)
			return s;
	}
	return NULL;
}

/*
 * A JSON answer without orders: the shop's own words when it gave some,
 * else what is missing (`rows`: there was a list, of no order objects).
 */
static int reject_no_orders(const struct orders_run *r, const json_t *root,
			    bool rows)
{
	const char *said = json_message(root);

	if (said)
		return kmv_sink__reject(r->file, 0,
					_("JSON holds no "
					  "orders; the shop answered: "
					  "%s"),
					said);
	if (!rows)
		return kmv_sink__reject(r->file, 0,
					_("JSON export must "
					  "be an array of order "
					  "objects"));
	return kmv_sink__reject(r->file, 0,
				_("JSON export "
				  "holds no order objects"));
}

/* The header row, the keys themselves (> 0: the reader wants no more). */
static int emit_json_header(struct orders_run *r, struct json_cells *c)
{
	if (!(c->vals = calloc(c->nkeys, sizeof(*c->vals))))
		return kmv_error_nomem();
	for (size_t i = 0; i < c->nkeys; i++)
		if (!(c->vals[i] = strdup(c->keys[i])))
			return kmv_error_nomem();
	return emit_json_row(r, c, 0);
}

static void json_cells_dispose(struct json_cells *c)
{
	for (size_t i = 0; i < c->nkeys; i++) {
		free(c->keys[i]);
		if (c->vals) {
			if (c->vals[i])
				sodium_memzero(c->vals[i], strlen(c->vals[i]));
			free(c->vals[i]);
		}
	}
	free(c->keys);
	free(c->vals);
}

/*
 * JSON: an array of objects, or an object holding one.  Pass 1 collects
 * the keys (paths) in order of first appearance (they become the header),
 * pass 2 delivers one row per object; the "line" of a row is its 1-based
 * index in the list (jansson keeps no positions of values; a syntax
 * error is reported at its real line and column).
 */
static int read_json(struct orders_run *r)
{
	struct json_cells c = { NULL, 0, 0, NULL, true };
	kmv_buf doc = KMV_BUF_INIT, path = KMV_BUF_INIT;
	json_t *root = NULL, *rows;
	json_error_t jerr;
	int error = 0, rc;

	r->is_json = true;
	KMV_TRY(kmv_text__to_utf8(&doc, r->file->data, r->file->len, "utf-8",
				  r->file->display));
	root = json_loadb(doc.ptr, doc.size, 0, &jerr);
	if (!root) {
		error = kmv_sink__reject(r->file, jerr.line,
					 _("malformed JSON "
					   "at column %d: %s"),
					 jerr.column, jerr.text);
		goto done;
	}
	rows = json_rows(root, 0);
	if (!rows) {
		error = reject_no_orders(r, root, false);
		goto done;
	}
	for (size_t i = 0; i < json_array_size(rows); i++)
		if (json_is_object(json_array_get(rows, i)))
			KMV_TRY(json_flatten(&c, &path, json_array_get(rows, i),
					     0));
	if (c.nkeys == 0) {
		error = reject_no_orders(r, root, true);
		goto done;
	}
	KMV_TRY(rc = emit_json_header(r, &c));
	if (rc > 0)
		goto done;
	c.collecting = false;
	for (size_t i = 0; i < json_array_size(rows); i++) {
		json_t *o = json_array_get(rows, i);

		if (!json_is_object(o))
			continue;
		KMV_TRY(json_flatten(&c, &path, o, 0));
		KMV_TRY(emit_json_row(r, &c, (int64_t)i + 1));
	}
done:
	json_decref(root);
	json_cells_dispose(&c);
	kmv_buf_dispose(&path);
	kmv_buf_dispose_secure(&doc);
	return error;
}

static bool json_start(const uint8_t *d, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && isspace(d[i]))
		i++;
	return i < len && (d[i] == '[' || d[i] == '{');
}

static int finish(struct orders_run *r)
{
	kmv_import_ctx *ctx = r->ctx;
	kmv_buf detail = KMV_BUF_INIT, meta = KMV_BUF_INIT;
	kmv_json j;
	int error = 0;

	KMV_TRY(kmv_buf_printf(&detail, _("profile %s, platform %s, %s"),
			       r->profile->name,
			       r->platform ? r->platform
			       : r->map.col[KMV_PF_PLATFORM] >= 0 ||
					       r->map.col[KMV_PF_MERCHANT] >= 0
				       ? _("from the shop column")
				       : _("未知店铺 (unknown)"),
			       r->columns.ptr));
	if (r->unknown_platform > 0)
		kmv_sink__warn(ctx, r->file, 0,
			       "%lld orders name no shop: "
			       "kept as 未知店铺 (unknown shop); set it with "
			       "'kmvault import --platform NAME' on this file, "
			       "or 'kmvault edit ID --platform NAME'",
			       (long long)r->unknown_platform);
	KMV_TRY(kmv_sink__set_kind(ctx, "orders"));
	KMV_TRY(kmv_sink__add_detail(ctx, r->file->name, detail.ptr));
	kmv_json_init(&j, &meta, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_string(&j, "profile", r->profile->name);
	if (r->platform)
		kmv_json_kv_string(&j, "platform", r->platform);
	kmv_json_kv_string(&j, "columns", r->columns.ptr);
	kmv_json_object_end(&j);
	KMV_TRY(kmv_json_finish(&j));
	KMV_TRY(kmv_sink__set_source_info(ctx, r->file->source_id, "orders",
					  r->orders, meta.ptr));
done:
	kmv_buf_dispose(&detail);
	kmv_buf_dispose(&meta);
	return error;
}

int kmv_import__orders(kmv_import_ctx *ctx, const kmv_import_file *file)
{
	const kmv_import_options *opts = kmv_sink__options(ctx);
	struct orders_run r;
	const char *platform;
	int error = 0;

	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.file = file;
	kmv_buf_init(&r.seen, 0);
	kmv_buf_init(&r.missing, 0);
	kmv_buf_init(&r.columns, 0);
	KMV_TRY(kmv_profile__load(&r.profile, opts->profile));
	platform = opts->platform && *opts->platform ? opts->platform
						     : r.profile->platform;
	if (platform && !(r.platform = strdup(platform))) {
		error = kmv_error_nomem();
		goto done;
	}
	KMV_TRY(kmv_order_sink__open(&r.sink, ctx));
	if (file->book)
		error = kmv_xlsx__rows(file->book, NULL, on_row, &r);
	else if (json_start(file->data, file->len))
		error = read_json(&r);
	else
		error = read_csv(&r);
	/* whatever stopped the reader; a ZIP member is the ZIP's problem */
	kmv_sink__unrecognized(ctx, !r.have_header);
	if (error < 0)
		goto done;
	if (!r.have_header) {
		error = kmv_sink__reject(file, 0,
					 "not an order export: no "
					 "header row with the required "
					 "columns (missing %s; profile '%s'); "
					 "headers seen: %s",
					 r.missing.size
						 ? r.missing.ptr
						 : "order_no, time, amount",
					 r.profile->name,
					 r.seen.size ? r.seen.ptr : "(none)");
		goto done;
	}
	error = finish(&r);
done:
	kmv_order_sink__free(r.sink);
	kmv_profile__free(r.profile);
	free(r.platform);
	kmv_buf_dispose(&r.seen);
	kmv_buf_dispose(&r.missing);
	kmv_buf_dispose(&r.columns);
	return error;
}
