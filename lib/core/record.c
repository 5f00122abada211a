/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "kmv/record.h"
#include "core/record_columns.h"

#include "kmvutil/json.h"
#include "kmv/label.h"
#include "kmvutil/money.h"

/* The column list of kmv/record.h as data: what each reader and writer walks. */
const kmv_record__column kmv_record__columns[KMV_RECORD_FIELD_COUNT] = {
#define COLUMN(name, column, key, type, member, place) \
	{ column, key, type, place, offsetof(kmv_record, member) },
	KMV_RECORD_FIELDS(COLUMN)
#undef COLUMN
};

static bool is_string(kmv_record_type type)
{
	return type == KMV_RECORD_PLATFORM || type == KMV_RECORD_TEXT ||
	       type == KMV_RECORD_NUMBER || type == KMV_RECORD_STATUS ||
	       type == KMV_RECORD_SECRET;
}

char **kmv_record__string(kmv_record *rec, kmv_record_field field)
{
	const kmv_record__column *c = &kmv_record__columns[field];

	return is_string(c->type) ? (char **)((char *)rec + c->offset) : NULL;
}

static const char *string_of(const kmv_record *rec, const kmv_record__column *c)
{
	return *(char *const *)((const char *)rec + c->offset);
}

static int64_t int_of(const kmv_record *rec, const kmv_record__column *c)
{
	return *(const int64_t *)((const char *)rec + c->offset);
}

void kmv_record_dispose(kmv_record *r)
{
	if (!r)
		return;
	for (int i = 0; i < KMV_RECORD_FIELD_COUNT; i++) {
		char **s = kmv_record__string(r, (kmv_record_field)i);

		if (s)
			free(*s);
	}
	free(r->refund_of_payment_no); /* the importer's hint, not a column */
	memset(r, 0, sizeof(*r));
}

int kmv_record_set(char **field, const char *value)
{
	char *copy = NULL;

	if (value && *value) {
		copy = strdup(value);
		if (!copy)
			return kmv_error_nomem();
	}
	free(*field);
	*field = copy;
	return 0;
}

const char *kmv_record_kind_name(kmv_record_kind kind)
{
	switch (kind) {
	case KMV_KIND_ORDER: return "order";
	case KMV_KIND_PAYMENT: return "payment";
	case KMV_KIND_RECEIPT: return "receipt";
	}
	return "unknown";
}

int kmv_record_kind_parse(kmv_record_kind *out, const char *name)
{
	if (strcmp(name, "order") == 0 || strcmp(name, "orders") == 0)
		*out = KMV_KIND_ORDER;
	else if (strcmp(name, "payment") == 0 || strcmp(name, "payments") == 0)
		*out = KMV_KIND_PAYMENT;
	else if (strcmp(name, "receipt") == 0 || strcmp(name, "receipts") == 0)
		*out = KMV_KIND_RECEIPT;
	else {
		kmv_error_set(
			KMV_ERROR_INPUT,
			"unknown record kind '%s' (order, payment, receipt)",
			name);
		return KMV_EUSAGE;
	}
	return 0;
}

const char *kmv_direction_name(kmv_direction dir)
{
	switch (dir) {
	case KMV_DIR_OUT: return "out";
	case KMV_DIR_IN: return "in";
	case KMV_DIR_NEUTRAL: return "neutral";
	default: return NULL;
	}
}

/* Length in bytes of the UTF-8 character starting at s. */
static size_t charlen(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xE0) == 0xC0)
		return 2;
	if ((s[0] & 0xF0) == 0xE0)
		return 3;
	if ((s[0] & 0xF8) == 0xF0)
		return 4;
	return 1;
}

static void mask_one(kmv_buf *out, const char *s, size_t len)
{
	size_t offs[512], n = 0;

	for (size_t i = 0; i < len && n < KMV_ARRAY_SIZE(offs);
	     i += charlen((const unsigned char *)s + i))
		offs[n++] = i;
	if (n == 0)
		return;
	if (n <= 8) {
		/* Too short to show anything safely. */
		kmv_buf_puts(out, "****");
		return;
	}
	kmv_buf_put(out, s, offs[4]);
	kmv_buf_puts(out, "\xE2\x80\xA6"); /* … */
	kmv_buf_put(out, s + offs[n - 4], len - offs[n - 4]);
}

const char *kmv_mask_secret(char *out, size_t outsz, const char *secret)
{
	kmv_buf b = KMV_BUF_INIT;
	const char *p = secret;
	bool first = true;

	if (outsz == 0)
		return out;
	out[0] = '\0';
	if (!secret)
		return out;
	while (*p) {
		size_t len = strcspn(p, "\r\n");
		const char *start = p;

		while (len > 0 && (*start == ' ' || *start == '\t')) {
			start++;
			len--;
		}
		while (len > 0 &&
		       (start[len - 1] == ' ' || start[len - 1] == '\t'))
			len--;
		if (len > 0) {
			if (!first)
				kmv_buf_puts(&b, ", ");
			mask_one(&b, start, len);
			first = false;
		}
		p += strcspn(p, "\r\n");
		while (*p == '\r' || *p == '\n')
			p++;
	}
	snprintf(out, outsz, "%s", b.ptr);
	kmv_buf_dispose(&b);
	return out;
}

const char *kmv_record_field_name(kmv_record_field field)
{
	const char *column;

	if ((unsigned)field >= KMV_RECORD_FIELD_COUNT)
		return NULL;
	column = kmv_record__columns[field].column;
	return strchr(column, '.') + 1;
}

const char *kmv_record_platform(const kmv_record *rec)
{
	/* Statements name their source (alipay, wechat, jd); an order or a
	 * receipt (page, pdf, image, text, mail) without a shop is unknown,
	 * never its source kind. */
	if (rec->platform)
		return rec->platform;
	if (rec->source_kind && (strcmp(rec->source_kind, "alipay") == 0 ||
				 strcmp(rec->source_kind, "wechat") == 0 ||
				 strcmp(rec->source_kind, "jd") == 0))
		return rec->source_kind;
	return NULL;
}

static void json_value(kmv_json *j, const kmv_record *rec,
		       const kmv_record__column *c)
{
	int64_t v;

	kmv_json_key(j, c->key);
	switch (c->type) {
	case KMV_RECORD_INT: kmv_json_int(j, int_of(rec, c)); return;
	case KMV_RECORD_KIND:
		kmv_json_string(j, kmv_record_kind_name(rec->kind));
		return;
	case KMV_RECORD_PLATFORM:
		kmv_json_string(j, kmv_record_platform(rec));
		return;
	case KMV_RECORD_TIME:
		if (rec->has_time) {
			char when[KMV_TIME_BUFSZ];

			kmv_json_string(j, kmv_time_format(when, &rec->time));
		} else {
			kmv_json_null(j);
		}
		return;
	case KMV_RECORD_AMOUNT:
		if (rec->has_amount)
			kmv_json_money(j, rec->amount);
		else
			kmv_json_null(j);
		return;
	case KMV_RECORD_DIRECTION:
		kmv_json_string(j, kmv_direction_name(rec->direction));
		return;
	case KMV_RECORD_COUNT:
	case KMV_RECORD_PRICE:
		if ((v = int_of(rec, c)) <= 0)
			kmv_json_null(j);
		else if (c->type == KMV_RECORD_PRICE)
			kmv_json_money(j, v);
		else
			kmv_json_int(j, v);
		return;
	default: kmv_json_string(j, string_of(rec, c)); return;
	}
}

static void json_source(kmv_json *j, const kmv_record *rec,
			const kmv_record_source_more *more)
{
	kmv_json_key(j, "source");
	kmv_json_object_begin(j);
	for (int i = 0; i < KMV_RECORD_FIELD_COUNT; i++)
		if (kmv_record__columns[i].place == KMV_RECORD_IN_SOURCE)
			json_value(j, rec, &kmv_record__columns[i]);
	if (more) {
		kmv_json_kv_string(j, "kind", more->kind);
		kmv_json_kv_string(j, "sha256", more->sha256);
		if (more->parent_id) {
			kmv_json_kv_int(j, "parent_id", more->parent_id);
			kmv_json_kv_string(j, "parent_file", more->parent_file);
		}
	}
	kmv_json_object_end(j);
}

/* The words for the codes, in the user's language (cli.md *_label). */
static void json_labels(kmv_json *j, const kmv_record *rec, kmv_lang lang)
{
	const char *dir = kmv_direction_name(rec->direction);

	kmv_json_kv_string(j, "kind_label",
			   kmv_label_lang(KMV_LABEL_KIND,
					  kmv_record_kind_name(rec->kind),
					  lang));
	if (dir)
		kmv_json_kv_string(j, "direction_label",
				   kmv_label_lang(KMV_LABEL_DIRECTION, dir,
						  lang));
	if (rec->status)
		kmv_json_kv_string(j, "status_label",
				   kmv_label_lang(KMV_LABEL_STATUS, rec->status,
						  lang));
}

void kmv_record_json_fields(kmv_json *j, const kmv_record *rec,
			    const kmv_record_source_more *more, kmv_lang labels)
{
	bool source_done = false;

	for (int i = 0; i < KMV_RECORD_FIELD_COUNT; i++) {
		const kmv_record__column *c = &kmv_record__columns[i];

		if (c->place == KMV_RECORD_IN_SOURCE && !source_done) {
			json_source(j, rec, more);
			json_labels(j, rec, labels);
			source_done = true;
		} else if (c->place == KMV_RECORD_TOP &&
			   c->type != KMV_RECORD_SECRET) {
			json_value(j, rec, c);
		}
	}
	/* last, so that a caller can say next to it whether it was revealed */
	kmv_json_kv_string(j, "card_secret", rec->card_secret);
}

void kmv_record_json(kmv_json *j, const kmv_record *rec)
{
	kmv_json_object_begin(j);
	kmv_record_json_fields(j, rec, NULL, KMV_LANG_LOCALE);
	kmv_json_object_end(j);
}

static const char *words(kmv_label_set set, const char *code,
			 kmv_record_cells_style style)
{
	if (!code)
		return NULL;
	return style == KMV_RECORD_CELLS_DOCUMENT
		       ? kmv_label_lang(set, code, KMV_LANG_ZH)
		       : code;
}

static const char *cell(char *store, const kmv_record *rec,
			kmv_record_field field, kmv_record_cells_style style)
{
	const kmv_record__column *c = &kmv_record__columns[field];
	int64_t v;

	switch (c->type) {
	case KMV_RECORD_INT:
		snprintf(store, KMV_RECORD_CELL_BUFSZ, "%lld",
			 (long long)int_of(rec, c));
		return store;
	case KMV_RECORD_KIND:
		return words(KMV_LABEL_KIND, kmv_record_kind_name(rec->kind),
			     style);
	case KMV_RECORD_PLATFORM:
		if (style == KMV_RECORD_CELLS_DOCUMENT)
			return rec->platform;
		return kmv_record_platform(rec) ? kmv_record_platform(rec)
						: "未知店铺";
	case KMV_RECORD_TIME:
		return rec->has_time ? kmv_time_format(store, &rec->time)
				     : NULL;
	case KMV_RECORD_AMOUNT:
		return rec->has_amount ? kmv_money_format(store, rec->amount)
				       : NULL;
	case KMV_RECORD_DIRECTION:
		return words(KMV_LABEL_DIRECTION,
			     kmv_direction_name(rec->direction), style);
	case KMV_RECORD_STATUS:
		return words(KMV_LABEL_STATUS, rec->status, style);
	case KMV_RECORD_COUNT:
	case KMV_RECORD_PRICE:
		if ((v = int_of(rec, c)) <= 0)
			return NULL;
		if (c->type == KMV_RECORD_PRICE)
			return kmv_money_format(store, v);
		snprintf(store, KMV_RECORD_CELL_BUFSZ, "%lld", (long long)v);
		return store;
	default: return string_of(rec, c);
	}
}

int kmv_record_cells_fill(kmv_record_cells *cells, const kmv_record *rec,
			  const kmv_record_field *fields, size_t n,
			  kmv_record_cells_style style)
{
	KMV_ASSERT_ARG(cells && rec && (fields || n == 0));
	if (n > KMV_RECORD_CELLS_MAX) {
		kmv_error_set(KMV_ERROR_INPUT, "too many CSV cells (%zu)", n);
		return KMV_EUSAGE;
	}
	cells->count = n;
	for (size_t i = 0; i < n; i++) {
		bool known = (unsigned)fields[i] < KMV_RECORD_FIELD_COUNT;

		cells->store[i][0] = '\0';
		cells->text[i] = known ? cell(cells->store[i], rec, fields[i],
					      style)
				       : NULL;
		cells->is_id[i] = known &&
				  kmv_record__columns[fields[i]].type ==
					  KMV_RECORD_NUMBER;
	}
	return 0;
}
