/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "match/model.h"

#include <inttypes.h>

#include "store/vault.h"
#include "store/db.h"

#include "kmv/record.h"

/* A records column by its one name (kmv/record.h, KMV_RECORD_COL_*). */
#define C(name) KMV_RECORD_COL_##name

/*
 * Two small open-addressing hash tables (linear probing, load <= 1/2)
 * and the loader.  The loader reads each table once with a prepared
 * statement, in id order, so the arrays come out sorted by id.
 */

/*
 * A string's hash, eight bytes at a time (a byte-at-a-time FNV was most of
 * the interning's cost): position in the table from the low bits, the
 * slot's tag from the high ones, so the final mix spreads both.
 */
static uint64_t hash_str(const char *s, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ n, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
		h ^= h >> 31;
	}
	if (n) {
		w = 0;
		memcpy(&w, s, n);
		h = (h ^ w) * 0x94D049BB133111EBULL;
	}
	h ^= h >> 32;
	h *= 0xD6E8FEB86659FD93ULL;
	return h ^ (h >> 29);
}

static uint64_t hash_pair(int64_t a, int64_t b)
{
	uint64_t x = (uint64_t)a * 0x9E3779B97F4A7C15ULL ^ (uint64_t)b;

	x ^= x >> 31;
	x *= 0xBF58476D1CE4E5B9ULL;
	x ^= x >> 27;
	x *= 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

/* ---- strmap ------------------------------------------------------------ */

/*
 * A slot holds the key's index + 1 in its low half and the high half of
 * its hash in the other: a probe compares hashes in the slot itself and
 * touches the key (a cache miss into the arena) only when they agree.
 * Loading 1M payments probes the table ~3M times (merchant, source,
 * merchant order number), mostly for numbers that are not in it.
 */
#define SLOT(i, h) (((uint64_t)(h)&0xFFFFFFFF00000000ULL) | ((uint64_t)(i) + 1))
#define SLOT_INDEX(slot) ((uint32_t)(slot)-1)
#define SLOT_TAG(slot) ((slot)&0xFFFFFFFF00000000ULL)

static int strmap_rehash(kmv_strmap *m, size_t cap)
{
	uint64_t *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return kmv_error_nomem();
	for (size_t i = 0; i < m->count; i++) {
		size_t pos = (size_t)m->keys[i].hash & (cap - 1);

		while (slots[pos])
			pos = (pos + 1) & (cap - 1);
		slots[pos] = SLOT(i, m->keys[i].hash);
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

/*
 * The index of `key` (`len` bytes, hash `h`), or -1 and *empty the slot
 * it would take.
 */
static int32_t strmap_lookup(const kmv_strmap *m, const char *key, size_t len,
			     uint64_t h, size_t *empty)
{
	size_t pos = (size_t)h & (m->cap - 1);
	uint64_t slot;

	while ((slot = m->slots[pos]) != 0) {
		if (SLOT_TAG(slot) == SLOT_TAG(h) &&
		    !memcmp(m->arena.ptr + m->keys[SLOT_INDEX(slot)].off, key,
			    len + 1))
			return (int32_t)SLOT_INDEX(slot);
		pos = (pos + 1) & (m->cap - 1);
	}
	if (empty)
		*empty = pos;
	return -1;
}

int32_t kmv_strmap__find(const kmv_strmap *m, const char *key)
{
	size_t len;

	if (!m->cap || !key)
		return -1;
	len = strlen(key);
	return strmap_lookup(m, key, len, hash_str(key, len), NULL);
}

/* kmv_strmap__intern of a key of known length (NUL-terminated too). */
static int strmap_intern(kmv_strmap *m, const char *key, size_t len,
			 int32_t *idx_out)
{
	uint64_t h = hash_str(key, len);
	int32_t found = m->cap ? strmap_lookup(m, key, len, h, NULL) : -1;
	size_t pos = 0;
	int error = 0;

	if (found >= 0) {
		*idx_out = found;
		return 0;
	}
	if (m->count >= INT32_MAX - 1) {
		kmv_error_set(KMV_ERROR_INTERNAL, "too many distinct names");
		return KMV_ERROR;
	}
	if ((m->count + 1) * 2 > m->cap)
		KMV_TRY(strmap_rehash(m, m->cap ? m->cap * 2 : 1024));
	KMV_TRY(KMV_ARRAY_GROW(m->keys, m->alloc, m->count + 1));
	m->keys[m->count].off = m->arena.size;
	m->keys[m->count].hash = h;
	KMV_TRY(kmv_buf_put(&m->arena, key, len + 1));
	(void)strmap_lookup(m, key, len, h, &pos);
	m->slots[pos] = SLOT(m->count, h);
	*idx_out = (int32_t)m->count++;
done:
	return error;
}

int kmv_strmap__intern(kmv_strmap *m, const char *key, int32_t *idx_out)
{
	return strmap_intern(m, key, strlen(key), idx_out);
}

const char *kmv_strmap__key(const kmv_strmap *m, int32_t idx)
{
	if (idx < 0 || (size_t)idx >= m->count)
		return NULL;
	return m->arena.ptr + m->keys[idx].off;
}

void kmv_strmap__dispose(kmv_strmap *m)
{
	free(m->slots);
	free(m->keys);
	kmv_buf_dispose(&m->arena);
	memset(m, 0, sizeof(*m));
	m->arena.ptr = kmv_buf__empty;
}

/* ---- pairmap ----------------------------------------------------------- */

static int pairmap_rehash(kmv_pairmap *m, size_t cap)
{
	kmv_pairslot *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return kmv_error_nomem();
	for (size_t i = 0; i < m->cap; i++) {
		size_t pos;

		if (!m->slots[i].used)
			continue;
		pos = (size_t)hash_pair(m->slots[i].a, m->slots[i].b) &
		      (cap - 1);
		while (slots[pos].used)
			pos = (pos + 1) & (cap - 1);
		slots[pos] = m->slots[i];
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

int kmv_pairmap__put(kmv_pairmap *m, int64_t a, int64_t b, int64_t v)
{
	size_t pos;
	int error = 0;

	if ((m->count + 1) * 2 > m->cap)
		KMV_TRY(pairmap_rehash(m, m->cap ? m->cap * 2 : 256));
	pos = (size_t)hash_pair(a, b) & (m->cap - 1);
	while (m->slots[pos].used) {
		if (m->slots[pos].a == a && m->slots[pos].b == b) {
			m->slots[pos].v = v;
			return 0;
		}
		pos = (pos + 1) & (m->cap - 1);
	}
	m->slots[pos].a = a;
	m->slots[pos].b = b;
	m->slots[pos].v = v;
	m->slots[pos].used = true;
	m->count++;
done:
	return error;
}

bool kmv_pairmap__get(const kmv_pairmap *m, int64_t a, int64_t b,
		      int64_t *v_out)
{
	size_t pos;

	if (!m->cap)
		return false;
	pos = (size_t)hash_pair(a, b) & (m->cap - 1);
	while (m->slots[pos].used) {
		if (m->slots[pos].a == a && m->slots[pos].b == b) {
			if (v_out)
				*v_out = m->slots[pos].v;
			return true;
		}
		pos = (pos + 1) & (m->cap - 1);
	}
	return false;
}

void kmv_pairmap__dispose(kmv_pairmap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->count = 0;
}

/* ---- classifiers ------------------------------------------------------- */

static bool eq(const char *a, const char *b)
{
	return a && !strcmp(a, b);
}

static bool has(const char *s, const char *needle)
{
	return s && strstr(s, needle);
}

static bool in_list(const char *s, const char *const *list)
{
	if (!s)
		return false;
	for (; *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

/*
 * Statement importers normalize the status; the raw words are checked too
 * so that a payment counts as successful whichever importer wrote it.
 * Only positive evidence makes a charge: an unknown status is not one.
 */
uint8_t kmv_model__classify_payment(const char *direction, const char *status,
				    const char *status_raw,
				    const char *category, bool has_refund_of)
{
	static const char *const ok_norm[] = { "success",   "succeeded",
					       "completed", "paid",
					       "ok",        NULL };
	static const char *const ok_raw[] = {
		"交易成功", "支付成功", "代付成功", "等待确认收货", "已支付",
		"已付款",   "付款成功", "扣款成功", "已扣款",       NULL
	};
	static const char *const refunded_norm[] = { "refunded", "refund",
						     "refund_success", NULL };
	bool out = eq(direction, "out");
	bool refundish = in_list(status, refunded_norm) ||
			 has(status_raw, "退款") || eq(category, "退款");

	if (!out && (has_refund_of || refundish))
		return KMV_MODEL_PAY_REFUND;
	if (!out)
		return KMV_MODEL_PAY_OTHER;
	if (refundish)
		return KMV_MODEL_PAY_CHARGE_REFUNDED;
	if (in_list(status, ok_norm) || in_list(status_raw, ok_raw))
		return KMV_MODEL_PAY_CHARGE;
	return KMV_MODEL_PAY_OTHER;
}

uint8_t kmv_model__classify_other(const char *direction, const char *status,
				  const char *status_raw)
{
	static const char *const closed_raw[] = { "交易关闭", "已关闭", NULL };
	bool closed = eq(status, "closed") || in_list(status_raw, closed_raw);
	bool failed = eq(status, "failed") || has(status_raw, "失败");
	/* the same positive evidence of success as a charge */
	bool ok = kmv_model__classify_payment("out", status, status_raw, NULL,
					      false) == KMV_MODEL_PAY_CHARGE;

	if (closed)
		return KMV_MODEL_OTHER_CLOSED;
	if (failed)
		return KMV_MODEL_OTHER_FAILED;
	if (eq(direction, "in"))
		return ok ? KMV_MODEL_OTHER_INCOME : KMV_MODEL_OTHER_PENDING;
	if (eq(direction, "out"))
		return KMV_MODEL_OTHER_PENDING;
	return KMV_MODEL_OTHER_NEUTRAL;
}

uint8_t kmv_model__classify_order(const char *status, const char *status_raw)
{
	static const struct {
		const char *norm;
		const char *raw;
		uint8_t state;
	} map[] = {
		{ "pending_payment", "待支付", KMV_MODEL_ORD_PENDING },
		{ "pending_payment", "未支付", KMV_MODEL_ORD_PENDING },
		{ "paid", "已支付", KMV_MODEL_ORD_PAID },
		{ "paid", "已付款", KMV_MODEL_ORD_PAID },
		{ "processing", "处理中", KMV_MODEL_ORD_PROCESSING },
		{ "processing", "待处理", KMV_MODEL_ORD_PROCESSING },
		{ "processing", "充值中", KMV_MODEL_ORD_PROCESSING },
		{ "delivered", "已发货", KMV_MODEL_ORD_DELIVERED },
		{ "delivered", "已发卡", KMV_MODEL_ORD_DELIVERED },
		{ "completed", "已完成", KMV_MODEL_ORD_COMPLETED },
		{ "completed", "交易成功", KMV_MODEL_ORD_COMPLETED },
		{ "refunded", "已退款", KMV_MODEL_ORD_REFUNDED },
		{ "refunded", "退款成功", KMV_MODEL_ORD_REFUNDED },
		{ "cancelled", "已取消", KMV_MODEL_ORD_CANCELLED },
		{ "cancelled", "已关闭", KMV_MODEL_ORD_CANCELLED },
		{ "failed", "失败", KMV_MODEL_ORD_FAILED },
		{ "failed", "处理失败", KMV_MODEL_ORD_FAILED },
		{ "failed", "异常", KMV_MODEL_ORD_FAILED },
		{ "expired", "已过期", KMV_MODEL_ORD_EXPIRED },
		{ "frozen", "已冻结", KMV_MODEL_ORD_FROZEN },
	};

	for (size_t i = 0; i < KMV_ARRAY_SIZE(map); i++)
		if (eq(status, map[i].norm))
			return map[i].state;
	for (size_t i = 0; i < KMV_ARRAY_SIZE(map); i++)
		if (eq(status_raw, map[i].raw))
			return map[i].state;
	return KMV_MODEL_ORD_UNKNOWN;
}

/*
 * Categories under which virtual goods are bought.  Alipay files card and
 * top-up purchases under 充值缴费; the others are the words shops and
 * importers use for the same thing.
 */
bool kmv_model__watched_category(const char *category)
{
	static const char *const words[] = { "充值", "缴费", "游戏", "点卡",
					     "虚拟", "会员", NULL };

	for (const char *const *w = words; *w; w++)
		if (has(category, *w))
			return true;
	return false;
}

/* ---- compatibility ----------------------------------------------------- */

static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int kmv_model__compat_name(kmv_model *m, int32_t merchant, int32_t name)
{
	const char *a, *b, *shorter;
	int64_t v;
	int r = KMV_MODEL_COMPAT_NONE;

	if (merchant < 0 || name < 0)
		return KMV_MODEL_COMPAT_NONE;
	if (kmv_pairmap__get(&m->compat_cache, merchant, name, &v))
		return (int)v;
	if (kmv_pairmap__get(&m->aliases, merchant, name, &v)) {
		r = v == KMV_MODEL_ALIAS_REMOVED ? KMV_MODEL_COMPAT_NONE
						 : KMV_MODEL_COMPAT_ALIAS;
	} else if (merchant == name) {
		r = KMV_MODEL_COMPAT_SAME;
	} else {
		/*
		 * "示例卡盟网络科技" pays orders of "示例卡盟": a company name
		 * often extends the shop name.  Three characters at least, so
		 * that a short common word never makes two names compatible.
		 */
		a = kmv_strmap__key(&m->names, merchant);
		b = kmv_strmap__key(&m->names, name);
		shorter = strlen(a) < strlen(b) ? a : b;
		if (utf8_chars(shorter) >= 3 && !strncmp(a, b, strlen(shorter)))
			r = KMV_MODEL_COMPAT_PREFIX;
	}
	if (kmv_pairmap__put(&m->compat_cache, merchant, name, r) < 0)
		kmv_error_clear(); /* a cache miss next time, nothing worse */
	return r;
}

bool kmv_model__aggregator(const kmv_model *m, int32_t merchant)
{
	static const char *const words[] = { "易支付", "码支付", NULL };
	const char *s = kmv_strmap__key(&m->names, merchant);

	for (const char *const *w = words; s && *w; w++)
		if (strstr(s, *w))
			return true;
	return false;
}

int kmv_model__compat(kmv_model *m, int32_t merchant, const kmv_model_order *o)
{
	int a = kmv_model__compat_name(m, merchant, o->platform);
	int b = kmv_model__compat_name(m, merchant, o->merchant);

	return a > b ? a : b;
}

/* ---- loading ----------------------------------------------------------- */

/* Column `col` interned in `map` (names or numbers); -1 when empty. */
static int intern_col(kmv_strmap *map, sqlite3_stmt *st, int col, int32_t *out)
{
	const char *s = (const char *)sqlite3_column_text(st, col);

	*out = -1;
	if (!s || !*s)
		return 0;
	/* up to a NUL inside the value, as kmv_strmap__find() sees it */
	return strmap_intern(map, s,
			     strnlen(s, (size_t)sqlite3_column_bytes(st, col)),
			     out);
}

/*
 * intern_col() for a column that mostly repeats the row before's value
 * (a payment's source kind: one statement's rows come together): the
 * value is compared with *last's key before it is hashed and probed.
 */
static int intern_col_repeat(kmv_strmap *map, sqlite3_stmt *st, int col,
			     int32_t *last, int32_t *out)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	const char *key;
	size_t n;
	int error = 0;

	*out = -1;
	if (!s || !*s)
		return 0;
	n = strnlen(s, (size_t)sqlite3_column_bytes(st, col));
	if (*last >= 0) {
		key = map->arena.ptr + map->keys[*last].off;
		if (!strncmp(key, s, n) && key[n] == '\0') {
			*out = *last;
			return 0;
		}
	}
	KMV_TRY(strmap_intern(map, s, n, out));
	*last = *out;
done:
	return error;
}

/*
 * Prepare a loader's query "<where> ORDER BY <order>", limited to the
 * scope's records when the model is scoped (scope.c).
 */
#define IN_SCOPE " AND id IN (SELECT id FROM temp." KMV_SCOPE_TABLE ")"

static int prepare_load(const kmv_model *m, sqlite3_stmt **st, sqlite3 *db,
			const char *where, const char *order)
{
	kmv_buf sql = KMV_BUF_INIT;
	int error = 0;

	KMV_TRY(kmv_buf_printf(&sql, "%s%s ORDER BY %s", where,
			       m->scoped ? IN_SCOPE : "", order));
	error = kmv_db__prepare(st, db, sql.ptr);
done:
	kmv_buf_dispose(&sql);
	return error;
}

static int load_aliases(kmv_model *m, sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(
		&st, db, "SELECT merchant, platform, origin FROM aliases"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *origin = (const char *)sqlite3_column_text(st, 2);
		int32_t a, b;
		int code = KMV_MODEL_ALIAS_LEARNED;

		KMV_TRY(intern_col(&m->names, st, 0, &a));
		KMV_TRY(intern_col(&m->names, st, 1, &b));
		if (a < 0 || b < 0)
			continue;
		if (eq(origin, "removed"))
			code = KMV_MODEL_ALIAS_REMOVED;
		else if (eq(origin, "user"))
			code = KMV_MODEL_ALIAS_USER;
		KMV_TRY(kmv_pairmap__put(&m->aliases, a, b, code));
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read aliases");
done:
	sqlite3_finalize(st);
	return error;
}

/* What one receipt says about its order. */
enum { EV_NONE, EV_DELIVERY, EV_FAILED, EV_CLOSED, EV_OPEN };

static int receipt_event(uint8_t state, bool has_secret)
{
	if (has_secret || state == KMV_MODEL_ORD_DELIVERED ||
	    state == KMV_MODEL_ORD_COMPLETED)
		return EV_DELIVERY;
	if (state == KMV_MODEL_ORD_FAILED)
		return EV_FAILED;
	if (state == KMV_MODEL_ORD_REFUNDED || state == KMV_MODEL_ORD_CANCELLED)
		return EV_CLOSED;
	if (state == KMV_MODEL_ORD_UNKNOWN)
		return EV_NONE;
	return EV_OPEN;
}

/*
 * A receipt's event applied to an order, receipts in time order.
 * Delivery evidence beats every open or failed state; a failed receipt
 * (after payment: a failed receipt is only sent for a paid order) beats
 * an open state; refunds and cancellations the shop recorded stay.
 */
static void apply_event(kmv_model_order *o, int ev, uint8_t state)
{
	bool final = o->state == KMV_MODEL_ORD_REFUNDED ||
		     o->state == KMV_MODEL_ORD_CANCELLED;
	bool delivered = o->state == KMV_MODEL_ORD_DELIVERED ||
			 o->state == KMV_MODEL_ORD_COMPLETED;

	switch (ev) {
	case EV_DELIVERY:
		o->flags |= KMV_MODEL_ORDF_DELIVERY;
		if (!final && !delivered) {
			o->state = state == KMV_MODEL_ORD_COMPLETED
					   ? KMV_MODEL_ORD_COMPLETED
					   : KMV_MODEL_ORD_DELIVERED;
			o->flags |= KMV_MODEL_ORDF_RECEIPT;
		}
		break;
	case EV_FAILED:
		if (!final &&
		    (!delivered || (o->flags & KMV_MODEL_ORDF_RECEIPT))) {
			o->state = KMV_MODEL_ORD_FAILED;
			o->flags |= KMV_MODEL_ORDF_RECEIPT;
		}
		break;
	case EV_CLOSED:
		if (!final) {
			o->state = state;
			o->flags |= KMV_MODEL_ORDF_RECEIPT;
		}
		break;
	case EV_OPEN:
		/* a receipt never takes back a delivery or a failure */
		if (o->state == KMV_MODEL_ORD_UNKNOWN ||
		    ((o->flags & KMV_MODEL_ORDF_GROUP) && !final &&
		     !delivered && o->state != KMV_MODEL_ORD_FAILED)) {
			o->state = state;
			o->flags |= KMV_MODEL_ORDF_RECEIPT;
		}
		break;
	default: break;
	}
}

typedef struct rev {
	int32_t order_no;
	int ev;
	uint8_t state;
} rev;

/*
 * A receipt row as the scan met it, kept for after the orders: its strings
 * in the arena (offset, length; length ABSENT when NULL or empty).
 */
#define ABSENT SIZE_MAX
typedef struct receipt_row {
	int64_t id, ts, amount;
	bool has_ts, has_amount;
	uint8_t state;
	int ev;
	size_t no, platform, merchant;
	size_t no_len, platform_len, merchant_len; /* ABSENT: none */
	const char *no_s; /* the number, once the arena holds every row */
} receipt_row;

typedef struct receipt_rows {
	receipt_row *rows;
	size_t n, alloc;
	kmv_buf arena;
} receipt_rows;

/* Column `col` kept in the arena as intern_col() would see it. */
static int keep_col(kmv_buf *arena, sqlite3_stmt *st, int col, size_t *off,
		    size_t *len)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	size_t n;

	*len = ABSENT;
	if (!s || !*s)
		return 0;
	n = strnlen(s, (size_t)sqlite3_column_bytes(st, col));
	*off = arena->size;
	*len = n;
	if (kmv_buf_put(arena, s, n) < 0 || kmv_buf_putc(arena, '\0') < 0)
		return kmv_error_nomem();
	return 0;
}

/* A kept string interned in `map` (-1 when absent). */
static int intern_kept(kmv_strmap *map, const kmv_buf *arena, size_t off,
		       size_t len, int32_t *out)
{
	*out = -1;
	if (len == ABSENT)
		return 0;
	return strmap_intern(map, arena->ptr + off, len, out);
}

/*
 * Receipts in (order number, time, id) order, as ORDER BY no, ts, id
 * sorted them: numbers by their bytes (BINARY), absent numbers first, no
 * time before every time.
 */
static int cmp_receipt(const void *x, const void *y)
{
	const receipt_row *a = x, *b = y;

	if (a->no_len == ABSENT || b->no_len == ABSENT) {
		if ((a->no_len == ABSENT) != (b->no_len == ABSENT))
			return a->no_len == ABSENT ? -1 : 1;
	} else {
		size_t n = a->no_len < b->no_len ? a->no_len : b->no_len;
		int c = memcmp(a->no_s, b->no_s, n);

		if (c)
			return c;
		if (a->no_len != b->no_len)
			return a->no_len < b->no_len ? -1 : 1;
	}
	if (a->has_ts != b->has_ts)
		return a->has_ts ? 1 : -1;
	if (a->has_ts && a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/*
 * The orders' and the receipts' rows (kind is one of three, schema): id,
 * is a receipt, ts, amount, order number ("no"), platform, merchant,
 * status, status_raw, then an order's payment_no or a receipt's "has a
 * card secret".  A field OCR was unsure of (extra.unverified, page.c) is
 * never evidence for a match: the receipt counts as if it had no such
 * value.  A receipt naming no order but its buyer's contact (acg-faka's
 * delivery mail) is an event of the order KMV_MODEL_CONTACT_ORDER_SQL
 * finds.
 */
#define IS_RECEIPT KMV_RECORD_COL_KIND " = 'receipt'"
#define UNVERIFIED_AMOUNT KMV_MODEL_UNVERIFIED(KMV_RECORD_COL_AMOUNT)
#define UNVERIFIED_NO KMV_MODEL_UNVERIFIED(KMV_RECORD_COL_ORDER_NO)
static const char orders_receipts_sql[] =
	"SELECT " KMV_RECORD_COL_ID ", " IS_RECEIPT ", " KMV_RECORD_COL_TS ", "
	/* amount */
	"CASE WHEN " IS_RECEIPT " AND " UNVERIFIED_AMOUNT
	" THEN NULL ELSE " KMV_RECORD_COL_AMOUNT " END, "
	/* no */
	"CASE WHEN NOT " IS_RECEIPT " THEN " KMV_RECORD_COL_ORDER_NO
	" WHEN " KMV_MODEL_CONTACT_RECEIPT_SQL
	" THEN " KMV_MODEL_CONTACT_ORDER_SQL
	" WHEN coalesce(" KMV_RECORD_COL_ORDER_NO
	", '') <> '' AND NOT " UNVERIFIED_NO " THEN " KMV_RECORD_COL_ORDER_NO
	" END, " KMV_RECORD_COL_PLATFORM ", " KMV_RECORD_COL_MERCHANT
	", " KMV_RECORD_COL_STATUS ", " KMV_RECORD_COL_STATUS_RAW ", "
	/* payment_no or has a card secret */
	"CASE WHEN NOT " IS_RECEIPT " THEN " KMV_RECORD_COL_PAYMENT_NO
	" ELSE coalesce(" KMV_RECORD_COL_CARD_SECRET ", '') <> '' END "
	"FROM records r WHERE +" KMV_RECORD_COL_KIND
	" <> 'payment' AND " KMV_RECORD_COL_DELETED_AT " IS NULL";

/*
 * Orders and receipts, in one scan of the records (a scan that finds no
 * row still reads every record).  Orders are appended as they come, in
 * id order; receipts are kept and taken after the scan (receipts_apply).
 */
static int load_orders(kmv_model *m, sqlite3 *db, receipt_rows *rr)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	KMV_TRY(prepare_load(m, &st, db, orders_receipts_sql, "id"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint8_t state = kmv_model__classify_order(
			(const char *)sqlite3_column_text(st, 7),
			(const char *)sqlite3_column_text(st, 8));
		kmv_model_order *o;
		const char *pno;

		if (sqlite3_column_int(st, 1)) {
			receipt_row *r;

			KMV_TRY(KMV_ARRAY_GROW(rr->rows, rr->alloc, rr->n + 1));
			r = &rr->rows[rr->n++];
			memset(r, 0, sizeof(*r));
			r->id = sqlite3_column_int64(st, 0);
			r->has_ts = sqlite3_column_type(st, 2) != SQLITE_NULL;
			r->ts = sqlite3_column_int64(st, 2);
			r->has_amount = sqlite3_column_type(st, 3) !=
					SQLITE_NULL;
			r->amount = sqlite3_column_int64(st, 3);
			r->state = state;
			r->ev = receipt_event(state,
					      sqlite3_column_int(st, 9) != 0);
			/* "no" absent (NULL) and "no" empty both name no order */
			r->no_len = ABSENT;
			if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
				KMV_TRY(keep_col(&rr->arena, st, 4, &r->no,
						 &r->no_len));
				if (r->no_len == ABSENT) {
					r->no = rr->arena.size;
					r->no_len = 0; /* "" sorts first */
					KMV_TRY(kmv_buf_putc(&rr->arena, '\0'));
				}
			}
			KMV_TRY(keep_col(&rr->arena, st, 5, &r->platform,
					 &r->platform_len));
			KMV_TRY(keep_col(&rr->arena, st, 6, &r->merchant,
					 &r->merchant_len));
			continue;
		}
		pno = (const char *)sqlite3_column_text(st, 9);
		KMV_TRY(KMV_ARRAY_GROW(m->orders, m->orders_alloc,
				       m->norders + 1));
		o = &m->orders[m->norders];
		memset(o, 0, sizeof(*o));
		o->id = sqlite3_column_int64(st, 0);
		o->has_ts = sqlite3_column_type(st, 2) != SQLITE_NULL;
		o->ts = sqlite3_column_int64(st, 2);
		o->has_amount = sqlite3_column_type(st, 3) != SQLITE_NULL;
		o->amount = sqlite3_column_int64(st, 3);
		KMV_TRY(intern_col(&m->numbers, st, 4, &o->order_no));
		KMV_TRY(intern_col(&m->names, st, 5, &o->platform));
		KMV_TRY(intern_col(&m->names, st, 6, &o->merchant));
		o->state = state;
		o->next_same_no = -1;
		o->pno = -1;
		if (pno && *pno)
			KMV_TRY(kmv_strmap__intern(&m->order_pno, pno,
						   &o->pno));
		m->norders++;
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read orders");
done:
	sqlite3_finalize(st);
	return error;
}

/*
 * Receipts with an order number: events for the shop's order of that
 * number, or, when there is none, a group order of their own.  Taken in
 * (order number, time) order, so a group is a run of rows and events
 * come oldest first.
 */
static int load_receipts(kmv_model *m, receipt_rows *rr, rev **evs,
			 size_t *nevs, int64_t *nall)
{
	bool *real = NULL;
	size_t nreal = m->numbers.count, aevs = 0;
	int32_t group_no = -1;
	size_t group = 0;
	int error = 0;

	*nall = (int64_t)rr->n;
	if (!rr->n)
		return 0;
	real = calloc(nreal ? nreal : 1, sizeof(*real));
	if (!real)
		return kmv_error_nomem();
	for (size_t i = 0; i < m->norders; i++)
		if (m->orders[i].order_no >= 0)
			real[m->orders[i].order_no] = true;
	for (size_t i = 0; i < rr->n; i++)
		rr->rows[i].no_s = rr->arena.ptr + rr->rows[i].no;
	qsort(rr->rows, rr->n, sizeof(*rr->rows), cmp_receipt);
	for (size_t i = 0; i < rr->n; i++) {
		const receipt_row *r = &rr->rows[i];
		int32_t no;
		kmv_model_order *o;

		if (r->no_len == ABSENT)
			continue; /* names no order (they sort first) */
		m->nreceipts++;
		KMV_TRY(intern_kept(&m->numbers, &rr->arena, r->no,
				    r->no_len ? r->no_len : ABSENT, &no));
		if ((size_t)no < nreal && real[no]) {
			KMV_TRY(KMV_ARRAY_GROW(*evs, aevs, *nevs + 1));
			(*evs)[*nevs].order_no = no;
			(*evs)[*nevs].ev = r->ev;
			(*evs)[*nevs].state = r->state;
			(*nevs)++;
			continue;
		}
		if (no != group_no) {
			KMV_TRY(KMV_ARRAY_GROW(m->orders, m->orders_alloc,
					       m->norders + 1));
			group = m->norders++;
			group_no = no;
			o = &m->orders[group];
			memset(o, 0, sizeof(*o));
			o->id = r->id;
			o->order_no = no;
			o->next_same_no = -1;
			o->pno = -1;
			o->flags = KMV_MODEL_ORDF_GROUP;
			KMV_TRY(intern_kept(&m->names, &rr->arena, r->platform,
					    r->platform_len, &o->platform));
			KMV_TRY(intern_kept(&m->names, &rr->arena, r->merchant,
					    r->merchant_len, &o->merchant));
		}
		o = &m->orders[group];
		if (r->id < o->id)
			o->id = r->id;
		if (!o->has_ts && r->has_ts) {
			o->has_ts = true;
			o->ts = r->ts;
		}
		if (!o->has_amount && r->has_amount) {
			o->has_amount = true;
			o->amount = r->amount;
		}
		if (o->platform < 0)
			KMV_TRY(intern_kept(&m->names, &rr->arena, r->platform,
					    r->platform_len, &o->platform));
		if (o->merchant < 0)
			KMV_TRY(intern_kept(&m->names, &rr->arena, r->merchant,
					    r->merchant_len, &o->merchant));
		apply_event(o, r->ev, r->state);
	}
done:
	free(real);
	return error;
}

static int cmp_order_id(const void *x, const void *y)
{
	const kmv_model_order *a = x, *b = y;

	return a->id < b->id ? -1 : a->id > b->id;
}

/* Sorted by id, the trade_no map and the chains per order number. */
static int index_orders(kmv_model *m, const rev *evs, size_t nevs)
{
	int error = 0;

	if (m->norders)
		qsort(m->orders, m->norders, sizeof(*m->orders), cmp_order_id);
	m->pno_order = malloc((m->order_pno.count ? m->order_pno.count : 1) *
			      sizeof(*m->pno_order));
	m->no_first_len = m->numbers.count;
	m->no_first = malloc((m->no_first_len ? m->no_first_len : 1) *
			     sizeof(*m->no_first));
	if (!m->pno_order || !m->no_first) {
		error = kmv_error_nomem();
		goto done;
	}
	for (size_t i = 0; i < m->order_pno.count; i++)
		m->pno_order[i] = -1;
	for (size_t i = 0; i < m->no_first_len; i++)
		m->no_first[i] = -1;
	for (size_t i = m->norders; i-- > 0;) {
		kmv_model_order *o = &m->orders[i];

		/* first order wins; a trade_no names one order */
		if (o->pno >= 0)
			m->pno_order[o->pno] = (int32_t)i;
		if (o->order_no < 0)
			continue;
		o->next_same_no = m->no_first[o->order_no];
		m->no_first[o->order_no] = (int32_t)i;
	}
	for (size_t i = 0; i < nevs; i++)
		for (int32_t oi = m->no_first[evs[i].order_no]; oi >= 0;
		     oi = m->orders[oi].next_same_no)
			apply_event(&m->orders[oi], evs[i].ev, evs[i].state);
done:
	return error;
}

/*
 * What a payment row's direction, status, status_raw and category make
 * of it (state, other, watched).  A statement has few distinct such rows
 * ("out", "success", "交易成功", "充值缴费"), so the classifiers' string
 * compares are done once per distinct one: a small direct-mapped memo
 * keyed by the four strings' bytes (a NULL is not an empty string).  It
 * holds the class without refund_of; a refund_of makes any row not going
 * out a refund (kmv_model__classify_payment).
 */
#define CLASS_MEMO_SLOTS 64
#define CLASS_MEMO_BYTES 120
#define CLASS_NULL 0xFFFF

struct class_memo {
	uint64_t hash;
	uint16_t len[4]; /* CLASS_NULL: NULL */
	char bytes[CLASS_MEMO_BYTES];
	uint8_t state, other; /* as if without refund_of */
	bool out, watched, used;
};

struct class_row {
	const char *s[4]; /* direction, status, status_raw, category */
	uint16_t len[4];
	size_t total;
	uint64_t hash;
};

static void class_row_read(struct class_row *c, sqlite3_stmt *st, int col0)
{
	uint64_t h = 0x2545F4914F6CDD1DULL;

	c->total = 0;
	for (int i = 0; i < 4; i++) {
		const char *v = (const char *)sqlite3_column_text(st, col0 + i);
		size_t n = v ? strlen(v) : 0;

		c->s[i] = v;
		c->len[i] = !v               ? CLASS_NULL
			    : n < CLASS_NULL ? (uint16_t)n
					     : CLASS_NULL - 1;
		c->total += n;
		h = (h ^ hash_str(v ? v : "", n) ^ c->len[i]) *
		    0x9E3779B97F4A7C15ULL;
	}
	c->hash = h ^ (h >> 29);
}

static bool class_memo_holds(const struct class_memo *e,
			     const struct class_row *c)
{
	size_t off = 0;

	if (!e->used || e->hash != c->hash)
		return false;
	for (int i = 0; i < 4; i++) {
		size_t n = c->len[i] == CLASS_NULL ? 0 : c->len[i];

		if (e->len[i] != c->len[i] ||
		    (n && memcmp(e->bytes + off, c->s[i], n)))
			return false;
		off += n;
	}
	return true;
}

static void class_apply(kmv_model_pay *p, const struct class_memo *e)
{
	if (p->refund_of != 0 && !e->out) {
		p->state = KMV_MODEL_PAY_REFUND;
		p->other = KMV_MODEL_OTHER_NONE;
	} else {
		p->state = e->state;
		p->other = e->other;
	}
	p->watched = e->watched;
}

/* p's state, other and watched (p->refund_of set). */
static void classify_row(kmv_model_pay *p, struct class_memo *memo,
			 const struct class_row *c)
{
	struct class_memo *e = &memo[c->hash & (CLASS_MEMO_SLOTS - 1)];
	struct class_memo fresh;
	size_t off = 0;

	if (class_memo_holds(e, c)) {
		class_apply(p, e);
		return;
	}
	fresh.state = kmv_model__classify_payment(c->s[0], c->s[1], c->s[2],
						  c->s[3], false);
	fresh.other = fresh.state == KMV_MODEL_PAY_OTHER
			      ? kmv_model__classify_other(c->s[0], c->s[1],
							  c->s[2])
			      : KMV_MODEL_OTHER_NONE;
	fresh.out = c->s[0] && !strcmp(c->s[0], "out");
	fresh.watched = kmv_model__watched_category(c->s[3]);
	class_apply(p, &fresh);
	if (c->total > CLASS_MEMO_BYTES)
		return; /* long strings: classified every time */
	e->used = true;
	e->hash = c->hash;
	e->state = fresh.state;
	e->other = fresh.other;
	e->out = fresh.out;
	e->watched = fresh.watched;
	for (int i = 0; i < 4; i++) {
		size_t n = c->len[i] == CLASS_NULL ? 0 : c->len[i];

		e->len[i] = c->len[i];
		if (n) /* a NULL column has no bytes to copy */
			memcpy(e->bytes + off, c->s[i], n);
		off += n;
	}
}

static int load_pays(kmv_model *m, sqlite3 *db, kmv_model_pay_cb cb,
		     void *payload)
{
	sqlite3_stmt *st = NULL;
	struct class_memo memo[CLASS_MEMO_SLOTS];
	size_t alloc = 0;
	int32_t last_source = -1;
	int error = 0, rc;

	memset(memo, 0, sizeof(memo));
	KMV_TRY(prepare_load(
		m, &st, db,
		"SELECT " C(ID) ", " C(TS) ", " C(AMOUNT) ", " C(REFUND_OF) ", " C(MERCHANT) ", " C(DIRECTION) ", " C(STATUS) ", " C(STATUS_RAW) ", " C(CATEGORY) ", " C(
			SOURCE_KIND) ", " C(MERCHANT_ORDER_NO) ", " C(PAYMENT_NO) ", " C(PRODUCT) ", " C(MEMO) " FROM records WHERE +" C(KIND) " = 'payment' AND " C(DELETED_AT) " IS NULL",
		"id"));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct class_row cr;
		kmv_model_pay_text text;
		kmv_model_pay *p;

		KMV_TRY(KMV_ARRAY_GROW(m->pays, alloc, m->npays + 1));
		p = &m->pays[m->npays];
		memset(p, 0, sizeof(*p));
		p->id = sqlite3_column_int64(st, 0);
		p->has_ts = sqlite3_column_type(st, 1) != SQLITE_NULL;
		p->ts = sqlite3_column_int64(st, 1);
		p->has_amount = sqlite3_column_type(st, 2) != SQLITE_NULL;
		p->amount = sqlite3_column_int64(st, 2);
		p->refund_of = sqlite3_column_int64(st, 3);
		KMV_TRY(intern_col(&m->names, st, 4, &p->merchant));
		class_row_read(&cr, st, 5);
		classify_row(p, memo, &cr);
		KMV_TRY(intern_col_repeat(&m->names, st, 9, &last_source,
					  &p->source_kind));
		p->order = -1;
		m->npays++;
		if (cb) {
			text.merchant_order_no = (const char *)
				sqlite3_column_text(st, 10);
			text.payment_no = (const char *)sqlite3_column_text(st,
									    11);
			text.product = (const char *)sqlite3_column_text(st,
									 12);
			text.memo = (const char *)sqlite3_column_text(st, 13);
			KMV_TRY(cb(m, m->npays - 1, &text, payload));
		}
	}
	if (rc != SQLITE_DONE)
		error = kmv_db__error(db, "cannot read payments");
done:
	sqlite3_finalize(st);
	return error;
}

int kmv_model__load(kmv_model *m, sqlite3 *db, kmv_model_pay_cb cb,
		    void *payload)
{
	int error = 0;

	rev *evs = NULL;
	size_t nevs = 0, norders;
	int64_t nreceipts = 0;
	receipt_rows rr = { NULL, 0, 0, KMV_BUF_INIT };

	m->live = -1;
	m->nreceipts = 0;
	KMV_TRY(load_aliases(m, db));
	KMV_TRY(load_orders(m, db, &rr));
	norders = m->norders;
	KMV_TRY(load_receipts(m, &rr, &evs, &nevs, &nreceipts));
	KMV_TRY(index_orders(m, evs, nevs));
	KMV_TRY(load_pays(m, db, cb, payload));
	/* every live record is an order, a payment or a receipt (schema) */
	if (!m->scoped)
		m->live = (int64_t)(norders + m->npays) + nreceipts;
done:
	free(evs);
	free(rr.rows);
	kmv_buf_dispose(&rr.arena);
	return error;
}

void kmv_model__dispose(kmv_model *m)
{
	kmv_strmap__dispose(&m->names);
	kmv_strmap__dispose(&m->numbers);
	kmv_strmap__dispose(&m->order_pno);
	free(m->orders);
	free(m->pays);
	free(m->no_first);
	free(m->pno_order);
	kmv_pairmap__dispose(&m->aliases);
	kmv_pairmap__dispose(&m->compat_cache);
	m->orders = NULL;
	m->pays = NULL;
	m->no_first = NULL;
	m->pno_order = NULL;
	m->norders = m->npays = m->no_first_len = 0;
}

int32_t kmv_model__order(const kmv_model *m, int64_t id)
{
	size_t lo = 0, hi = m->norders;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->orders[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->norders && m->orders[lo].id == id ? (int32_t)lo : -1;
}

int32_t kmv_model__pay(const kmv_model *m, int64_t id)
{
	size_t lo = 0, hi = m->npays;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->pays[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->npays && m->pays[lo].id == id ? (int32_t)lo : -1;
}
