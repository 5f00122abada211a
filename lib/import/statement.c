/* SPDX-License-Identifier: MIT */
/*
 * The statement engine: detection by markers, header by column names,
 * columns by name, one kmv_record per data row (see statement.h and
 * docs/importers.md).  Never fixed line offsets: Alipay and WeChat both
 * moved their header by a line in 2026 and broke parsers that counted.
 */
#include "common.h"
#include "kmv/i18n.h"
#include "kmv/label.h"
#include "import/statement.h"
#include "kmvutil/money.h"
#include "kmvutil/array.h"
#include "kmvutil/hash.h"
#include "kmvutil/text.h"

#include <ctype.h>
#include <math.h>

/* ---- detection ------------------------------------------------------------ */

/* The one table of statement sources (statement.h's checklist).  WeChat
 * first: its marker is the most specific. */
const st_source *const kmv_statement__sources[] = {
	&kmv_statement__wechat,
	&kmv_statement__alipay,
	&kmv_statement__jd,
	NULL,
};

/* How far into a text file the markers may sit (Alipay: line 24). */
#define SNIFF_BYTES 65536
#define SNIFF_XLSX_ROWS 40

static kmv_import_kind sniff_text(const char *s, size_t len)
{
	for (const st_source *const *src = kmv_statement__sources; *src; src++)
		for (const st_marker *m = (*src)->markers; m->utf8; m++)
			if (memmem(s, len, m->utf8, strlen(m->utf8)) ||
			    memmem(s, len, m->gbk, strlen(m->gbk)))
				return (*src)->import_kind;
	return KMV_IMPORT_AUTO;
}

/*
 * Statements of sources kmvault does not read yet: named, so the user
 * hears "not supported yet" rather than "not an order export".
 */
#define MEITUAN_SKIP \
	N_("skipped: a 美团 (Meituan) statement, not supported yet")
static const struct {
	const char *utf8, *gbk, *label, *skip;
} unsupported[] = {
	{ "美团交易账单明细",
	  "\xC3\xC0\xCD\xC5\xBD\xBB\xD2\xD7\xD5\xCB\xB5"
	  "\xA5\xC3\xF7\xCF\xB8",
	  "美团 (Meituan)", MEITUAN_SKIP },
	{ "美团用户名", "\xC3\xC0\xCD\xC5\xD3\xC3\xBB\xA7\xC3\xFB",
	  "美团 (Meituan)", MEITUAN_SKIP },
};

const char *kmv_statement__unsupported(const uint8_t *data, size_t len,
				       const char **skip)
{
	const char *s = (const char *)data;

	if (len > SNIFF_BYTES)
		len = SNIFF_BYTES;
	for (size_t i = 0; i < KMV_ARRAY_SIZE(unsupported); i++)
		if (memmem(s, len, unsupported[i].utf8,
			   strlen(unsupported[i].utf8)) ||
		    memmem(s, len, unsupported[i].gbk,
			   strlen(unsupported[i].gbk))) {
			*skip = unsupported[i].skip;
			return unsupported[i].label;
		}
	return NULL;
}

struct sniff_xlsx {
	kmv_import_kind kind;
	int rows;
};

static int sniff_row(const kmv_row *row, void *payload)
{
	struct sniff_xlsx *s = payload;

	for (size_t i = 0; i < row->ncells && s->kind == KMV_IMPORT_AUTO; i++)
		s->kind = sniff_text(row->cells[i], strlen(row->cells[i]));
	return s->kind != KMV_IMPORT_AUTO || ++s->rows >= SNIFF_XLSX_ROWS;
}

kmv_import_kind kmv_statement__sniff(const uint8_t *data, size_t len,
				     const struct kmv_xlsx *book)
{
	if (book) {
		struct sniff_xlsx s = { KMV_IMPORT_AUTO, 0 };

		if (kmv_xlsx__rows(book, NULL, sniff_row, &s) < 0)
			kmv_error_clear();
		return s.kind;
	}
	return sniff_text((const char *)data,
			  len < SNIFF_BYTES ? len : SNIFF_BYTES);
}

/* ---- small helpers -------------------------------------------------------- */

/* `v` in decimal, as printf's %lld writes it. */
static int put_int(kmv_buf *out, int64_t v)
{
	char digits[24], *p = digits + sizeof(digits);
	/* Through unsigned: the magnitude of INT64_MIN has no int64_t. */
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	return kmv_buf_put(out, p, (size_t)(digits + sizeof(digits) - p));
}

/*
 * Built piece by piece rather than with kmv_buf_printf: the key is made
 * for every row of a statement, and parsing the format was a third of
 * its cost.  The bytes are those of the format in statement.h.
 */
int kmv_statement__number_key(kmv_buf *out, const char *number,
			      const char *time, int64_t fen,
			      const char *direction, const char *status)
{
	int error = 0;

	KMV_TRY(kmv_buf_put(out, "tx:", 3));
	KMV_TRY(kmv_buf_puts(out, number));
	KMV_TRY(kmv_buf_putc(out, '\x1f'));
	KMV_TRY(kmv_buf_puts(out, time));
	KMV_TRY(kmv_buf_putc(out, '\x1f'));
	KMV_TRY(put_int(out, fen));
	KMV_TRY(kmv_buf_putc(out, '\x1f'));
	KMV_TRY(kmv_buf_puts(out, direction));
	KMV_TRY(kmv_buf_putc(out, '\x1f'));
	KMV_TRY(kmv_buf_puts(out, status ? status : ""));
done:
	return error;
}

const char *kmv_statement__status(const char *raw)
{
	static const struct {
		const char *raw;
		const char *norm;
	} exact[] = {
		{ "交易成功", "success" },
		{ "支付成功", "success" },
		{ "已转账", "success" },
		{ "朋友已收钱", "success" },
		{ "对方已收钱", "success" },
		{ "已收钱", "success" },
		{ "已存入零钱", "success" },
		{ "已到账", "success" },
		{ "提现已到账", "success" },
		{ "充值完成", "success" },
		{ "充值成功", "success" },
		{ "还款成功", "success" },
		{ "代付成功", "success" },
		{ "放款成功", "success" },
		{ "解冻成功", "success" },
		{ "信用服务使用成功", "success" },
		{ "芝麻免押下单成功", "success" },
		{ "已支付", "success" },
		{ "交易关闭", "closed" },
		{ "已关闭", "closed" },
		{ "退款成功", "refunded" },
		{ "退税成功", "refunded" },
		{ "已全额退款", "refunded" },
		{ "对方已退还", "refunded" },
		{ "已退款", "refunded" },
		{ "等待确认收货", "pending" },
		{ "等待付款", "pending" },
		{ "处理中", "pending" },
		{ "待支付", "pending" },
		{ "还款失败", "failed" },
	};

	if (!raw)
		return NULL;
	for (size_t i = 0; i < KMV_ARRAY_SIZE(exact); i++)
		if (strcmp(raw, exact[i].raw) == 0)
			return exact[i].norm;
	if (kmv_statement__starts(raw, "已退款"))
		return "partially_refunded"; /* 已退款(￥0.11) / 已退款￥0.11 */
	if (strstr(raw, "失败"))
		return "failed";
	if (strstr(raw, "退款"))
		return "refunded";
	if (strstr(raw, "成功") || strstr(raw, "完成"))
		return "success";
	if (strstr(raw, "等待") || strstr(raw, "中"))
		return "pending";
	return "other";
}

static bool all_dashes(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (*s != '-')
			return false;
	return n >= 5;
}

/* Excel shows long IDs as 4.20000202403201E+27 after a re-save. */
static bool scientific(const char *s)
{
	if (!s || !isdigit((unsigned char)*s))
		return false;
	s++;
	if (*s == '.') {
		s++;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s != 'E' && *s != 'e')
		return false;
	s++;
	if (*s == '+')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s))
		s++;
	return *s == '\0';
}

/* ---- occurrence counter for rows without a transaction id ----------------- */

struct occ_slot {
	uint8_t hash[16];
	uint32_t count;
	bool used;
};

struct occ_set {
	struct occ_slot *slots;
	size_t cap, n; /* cap: 0 or a power of two */
};

/* A hash's home slot: its first eight bytes masked to the table. */
static size_t occ_home(const uint8_t hash[16], size_t cap)
{
	uint64_t h;

	memcpy(&h, hash, sizeof(h));
	return (size_t)h & (cap - 1);
}

/* Rehash into `cap` slots (a power of two above twice the entries). */
static int occ_resize(struct occ_set *o, size_t cap)
{
	struct occ_slot *s = calloc(cap, sizeof(*s));

	if (!s)
		return kmv_error_nomem();
	for (size_t k = 0; k < o->cap; k++) {
		size_t i;

		if (!o->slots[k].used)
			continue;
		i = occ_home(o->slots[k].hash, cap);
		while (s[i].used)
			i = (i + 1) & (cap - 1);
		s[i] = o->slots[k];
	}
	free(o->slots);
	o->slots = s;
	o->cap = cap;
	return 0;
}

/* Occurrences of `hash` seen so far in this file, counting this one. */
static int occ_next(struct occ_set *o, const uint8_t hash[16], uint32_t *n_out)
{
	size_t i;
	int error = 0;

	if (o->n * 2 >= o->cap)
		KMV_TRY(occ_resize(o, o->cap ? o->cap * 2 : 64));
	i = occ_home(hash, o->cap);
	while (o->slots[i].used && memcmp(o->slots[i].hash, hash, 16) != 0)
		i = (i + 1) & (o->cap - 1);
	if (!o->slots[i].used) {
		o->slots[i].used = true;
		memcpy(o->slots[i].hash, hash, 16);
		o->n++;
	}
	*n_out = ++o->slots[i].count;
done:
	return error;
}

/*
 * ---- rows sharing a transaction number ------------------------------------
 *
 * Only a warning needs them (how many rows share their number with another
 * row that is not the same transaction), so each numbered row appends the
 * 64-bit hashes of its number and its key to a list, sorted once after the
 * rows.  Two hash tables probed per row did the same, at a cache miss per
 * probe once they outgrew the cache: a tenth of a large import.
 */
struct number_row {
	uint64_t number, key; /* kmv_hash128 halves */
};

static int cmp_number_rows(const void *pa, const void *pb)
{
	const struct number_row *a = pa, *b = pb;

	if (a->number != b->number)
		return a->number < b->number ? -1 : 1;
	return a->key < b->key ? -1 : a->key > b->key;
}

/*
 * Rows whose number other rows carry under other keys: a number with d
 * distinct keys counts d rows when d >= 2 (repeats of a key, the same
 * transaction listed twice, are not sharers).
 */
static int64_t count_shared(struct number_row *rows, size_t n)
{
	int64_t shared = 0;

	qsort(rows, n, sizeof(*rows), cmp_number_rows);
	for (size_t i = 0, j; i < n; i = j) {
		int64_t keys = 1;

		for (j = i + 1; j < n && rows[j].number == rows[i].number; j++)
			keys += rows[j].key != rows[j - 1].key;
		if (keys >= 2)
			shared += keys;
	}
	return shared;
}

/* ---- the engine ------------------------------------------------------------ */

enum { PHASE_PREAMBLE, PHASE_TABLE, PHASE_FOOTER };

typedef struct st_state {
	kmv_import_ctx *ctx;
	const kmv_import_file *file;
	const st_source *src;
	bool xlsx;
	int phase;
	int col[ST_FIELD_COUNT];
	int *extra_col; /* per src->extra_columns entry */
	size_t nextra;
	/* the header, owned (the row callback's copy is gone after it) */
	char **hdr;
	size_t nhdr;
	kmv_row header;
	int64_t header_line;
	const char *layout;
	/* metadata */
	char *account, *holder, *period_start, *period_end, *exported_at;
	int64_t declared;
	int64_t rows;
	/* per-row scratch, reused */
	kmv_buf scratch, extra, key, merged;
	const char **cells;
	size_t acells;
	struct occ_set occ;      /* rows without a number: their key hashes */
	struct number_row *nums; /* rows with a number */
	size_t nnums, anums;
	kmv_sha256_ctx *sha;
	int64_t shared_numbers; /* rows whose number another row has */
	bool warned_sci, warned_noseconds, warned_serial, warned_thousands;
	uint64_t total_hint;
	bool any_refund;
} st_state;

static int set_meta(char **field, const char *value, size_t len)
{
	char *copy;

	if (*field || len == 0)
		return 0;
	copy = strndup(value, len);
	if (!copy)
		return kmv_error_nomem();
	*field = kmv_trim(copy);
	return 0;
}

/*
 * The value after a label in a preamble/footer line:
 * "起始时间：[2024-03-01 00:00:00]    终止时间：[...]" -> "2024-03-01 00:00:00".
 * Brackets are removed; without them the value runs to a double space.
 */
static int meta_value(char **field, const char *line, const char *label)
{
	const char *p = strstr(line, label), *end;

	if (!p)
		return 0;
	p += strlen(label);
	if (kmv_statement__starts(p, "："))
		p += strlen("：");
	else if (*p == ':')
		p++;
	while (*p == ' ')
		p++;
	if (*p == '[') {
		p++;
		end = strchr(p, ']');
		if (!end)
			end = p + strlen(p);
	} else {
		end = strstr(p, "  ");
		if (!end)
			end = p + strlen(p);
	}
	return set_meta(field, p, (size_t)(end - p));
}

/* JD: "日期区间：2024-03-01 至 2024-03-31". */
static int meta_range(st_state *st, const char *line, const char *label)
{
	const char *p = strstr(line, label), *sep;
	int error = 0;

	if (!p)
		return 0;
	p += strlen(label);
	if (kmv_statement__starts(p, "："))
		p += strlen("：");
	sep = strstr(p, "至");
	if (!sep)
		return 0;
	KMV_TRY(set_meta(&st->period_start, p, (size_t)(sep - p)));
	KMV_TRY(set_meta(&st->period_end, sep + strlen("至"),
			 strlen(sep + strlen("至"))));
done:
	return error;
}

static void meta_count(st_state *st, const char *line)
{
	const char *p = strstr(line, "共");
	char *end;
	long long n;

	if (!p || st->declared >= 0)
		return;
	p += strlen("共");
	if (kmv_statement__starts(p, "："))
		p += strlen("：");
	else if (*p == ':')
		p++;
	n = strtoll(p, &end, 10);
	if (end != p && kmv_statement__starts(end, "笔记录"))
		st->declared = n;
}

static int read_meta(st_state *st, const kmv_row *row)
{
	kmv_buf line = KMV_BUF_INIT;
	int error = 0;

	/* Preamble lines are one cell, but CSV splits "已收入:1笔,2元". */
	for (size_t i = 0; i < row->ncells; i++) {
		if (!row->cells[i][0])
			continue;
		if (line.size)
			KMV_TRY(kmv_buf_putc(&line, ','));
		KMV_TRY(kmv_buf_puts(&line, row->cells[i]));
	}
	meta_count(st, line.ptr);
	KMV_TRY(meta_value(&st->account, line.ptr, "支付宝账户"));
	KMV_TRY(meta_value(&st->account, line.ptr, "京东账号名"));
	KMV_TRY(meta_value(&st->account, line.ptr, "账号"));
	KMV_TRY(meta_value(&st->account, line.ptr, "微信昵称"));
	KMV_TRY(meta_value(&st->holder, line.ptr, "姓名"));
	KMV_TRY(meta_value(&st->holder, line.ptr, "用户"));
	KMV_TRY(meta_value(&st->period_start, line.ptr, "起始时间"));
	KMV_TRY(meta_value(&st->period_start, line.ptr, "起始日期"));
	KMV_TRY(meta_value(&st->period_end, line.ptr, "终止时间"));
	KMV_TRY(meta_value(&st->period_end, line.ptr, "终止日期"));
	KMV_TRY(meta_value(&st->exported_at, line.ptr, "导出时间"));
	KMV_TRY(meta_value(&st->exported_at, line.ptr, "申请时间"));
	KMV_TRY(meta_range(st, line.ptr, "日期区间"));
done:
	kmv_buf_dispose(&line);
	return error;
}

static bool cell_is(const char *cell, const char *const *names)
{
	for (size_t i = 0; names && names[i]; i++)
		if (strcmp(cell, names[i]) == 0)
			return true;
	return false;
}

/* Is this the header row?  Maps the columns when it is. */
static int try_header(st_state *st, const kmv_row *row)
{
	int col[ST_FIELD_COUNT];
	unsigned found = 0;

	for (int f = 0; f < ST_FIELD_COUNT; f++) {
		col[f] = -1;
		for (size_t i = 0; i < row->ncells && col[f] < 0; i++)
			if (cell_is(row->cells[i], st->src->names[f])) {
				col[f] = (int)i;
				found |= ST_BIT(f);
			}
	}
	if ((found & st->src->required) != st->src->required)
		return 0;
	memcpy(st->col, col, sizeof(col));
	st->hdr = calloc(row->ncells ? row->ncells : 1, sizeof(*st->hdr));
	if (!st->hdr)
		return kmv_error_nomem();
	for (size_t i = 0; i < row->ncells; i++) {
		if (!(st->hdr[i] = strdup(row->cells[i])))
			return kmv_error_nomem();
		st->nhdr++;
	}
	st->header.line = row->line;
	st->header.ncells = st->nhdr;
	st->header.cells = (const char *const *)st->hdr;
	st->header_line = row->line;
	for (size_t e = 0; e < st->nextra; e++) {
		st->extra_col[e] = -1;
		for (size_t i = 0; i < row->ncells; i++)
			if (strcmp(row->cells[i], st->src->extra_columns[e]) ==
			    0)
				st->extra_col[e] = (int)i;
	}
	st->layout = st->src->layout ? st->src->layout(&st->header) : NULL;
	st->phase = PHASE_TABLE;
	return 1;
}

static const char *value_of(const char *cell)
{
	if (!cell || !cell[0] || strcmp(cell, "/") == 0)
		return NULL;
	return cell;
}

/* Does s[0..len) end in a card tail "(1234)" / "（1234）"?  Digits out. */
static bool card_tail(const char *s, size_t len, const char **digits,
		      size_t *ndigits)
{
	static const char *const closers[] = { ")", "\xef\xbc\x89" }; /* ） */
	static const char *const openers[] = { "(", "\xef\xbc\x88" }; /* （ */

	for (int k = 0; k < 2; k++) {
		size_t cl = strlen(closers[k]), op = strlen(openers[k]), d = 0;

		if (len < cl + op + 3 ||
		    memcmp(s + len - cl, closers[k], cl) != 0)
			continue;
		while (d < 6 && d < len - cl &&
		       isdigit((unsigned char)s[len - cl - 1 - d]))
			d++;
		if (d < 3 || len < cl + d + op ||
		    memcmp(s + len - cl - d - op, openers[k], op) != 0)
			continue;
		*digits = s + len - cl - d;
		*ndigits = d;
		return true;
	}
	return false;
}

/*
 * formats.md 6.19: "花呗&红包" is two instruments and "招商银行信用卡(1234)"
 * a card with its last digits.  payment_method keeps the raw text; the
 * parts go to extra so a charge can be traced to the card it hit:
 * "payment_methods" when there are several, "card_tails" when any.
 */
static void payment_method_parts(kmv_json *extra, const char *method)
{
	const char *parts[8], *tails[8];
	size_t plen[8], tlen[8], np = 0, nt = 0;

	for (const char *p = method; *p && np < 8;) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);

		while (len && (*p == ' ' || *p == '\t'))
			p++, len--;
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len) {
			if (card_tail(p, len, &tails[nt], &tlen[nt]))
				nt++;
			parts[np] = p;
			plen[np++] = len;
		}
		if (!amp)
			break;
		p = amp + 1;
	}
	if (np > 1) {
		kmv_json_key(extra, "payment_methods");
		kmv_json_array_begin(extra);
		for (size_t i = 0; i < np; i++)
			kmv_json_string_len(extra, parts[i], plen[i]);
		kmv_json_array_end(extra);
	}
	if (nt) {
		kmv_json_key(extra, "card_tails");
		kmv_json_array_begin(extra);
		for (size_t i = 0; i < nt; i++)
			kmv_json_string_len(extra, tails[i], tlen[i]);
		kmv_json_array_end(extra);
	}
}

/*
 * WeChat writes counterparties like `EXAMPLE CO.,LTD` without quotes:
 * merge from the 交易对方 column rightwards until the row fits the header.
 */
static int merge_long_row(st_state *st, const kmv_row *row, kmv_row *fixed)
{
	size_t n = row->ncells, extra, m;
	int error = 0;

	*fixed = *row;
	while (n > st->nhdr && !row->cells[n - 1][0])
		n--;
	fixed->ncells = n;
	if (n <= st->nhdr || st->col[ST_MERCHANT] < 0)
		return 0;
	extra = n - st->nhdr;
	m = (size_t)st->col[ST_MERCHANT];
	if (st->acells < n) {
		const char **c = realloc(st->cells, n * sizeof(*c));

		if (!c)
			return kmv_error_nomem();
		st->cells = c;
		st->acells = n;
	}
	kmv_buf_clear(&st->merged);
	for (size_t i = m; i <= m + extra; i++) {
		if (i > m)
			KMV_TRY(kmv_buf_putc(&st->merged, ','));
		KMV_TRY(kmv_buf_puts(&st->merged, row->cells[i]));
	}
	for (size_t i = 0, o = 0; i < n; i++) {
		if (i == m)
			st->cells[o++] = st->merged.ptr;
		else if (i < m || i > m + extra)
			st->cells[o++] = row->cells[i];
	}
	fixed->cells = st->cells;
	fixed->ncells = st->nhdr;
done:
	return error;
}

static const char *col_name(const st_state *st, st_field f)
{
	return st->src->names[f][0];
}

static int row_time(st_state *st, const kmv_row *row, kmv_record *rec)
{
	int c = st->col[ST_TIME];
	const char *text = row->cells[c];
	bool nosec = false;

	if (row->is_number && row->is_number[c]) {
		if (kmv_time_from_excel(&rec->time, row->numbers[c],
					KMV_TZ_CST) < 0)
			return kmv_sink__reject(
				st->file, row->line,
				"bad time '%s' in column %s (expected "
				"YYYY-MM-DD HH:MM:SS)",
				text, col_name(st, ST_TIME));
		/* only where the platform's own export writes text times */
		if (!st->warned_serial &&
		    !(st->xlsx && st->src->xlsx_times_are_numbers)) {
			st->warned_serial = true;
			kmv_sink__warn(
				st->ctx, st->file, row->line,
				"times are Excel date numbers: the file looks "
				"re-saved by Excel; check the IDs and times");
		}
		rec->has_time = true;
		return 0;
	}
	if (!value_of(text))
		return kmv_sink__reject(
			st->file, row->line,
			"missing time in column %s (expected YYYY-MM-DD "
			"HH:MM:SS)",
			col_name(st, ST_TIME));
	if (kmv_time_parse(&rec->time, text, KMV_TZ_CST, &nosec) < 0)
		return kmv_sink__reject(
			st->file, row->line,
			"bad time '%s' in column %s (expected YYYY-MM-DD "
			"HH:MM:SS)",
			text, col_name(st, ST_TIME));
	if (nosec && !st->warned_noseconds) {
		st->warned_noseconds = true;
		kmv_sink__warn(
			st->ctx, st->file, row->line,
			"time '%s' has no seconds: the file looks re-saved by "
			"Excel",
			text);
	}
	rec->has_time = true;
	return 0;
}

static int row_amount(st_state *st, const kmv_row *row, st_row *r)
{
	int c = st->col[ST_AMOUNT];
	const char *text = row->cells[c], *paren;
	char num[64];
	size_t n;

	if (row->is_number && row->is_number[c]) {
		if (kmv_money_from_double(&r->rec.amount, row->numbers[c]) < 0)
			goto bad;
		goto ok;
	}
	if (!value_of(text))
		return kmv_sink__reject(
			st->file, row->line,
			"missing amount in column %s (expected a number like "
			"12.50)",
			col_name(st, ST_AMOUNT));
	/* JD: "131.77(已退款89.84)": the note goes to extra. */
	paren = strchr(text, '(');
	n = paren ? (size_t)(paren - text) : strlen(text);
	if (n >= sizeof(num))
		goto bad;
	memcpy(num, text, n);
	num[n] = '\0';
	if (paren)
		kmv_json_kv_string(r->extra, "amount_note", paren);
	if (kmv_money_parse(&r->rec.amount, num) < 0)
		goto bad;
	if (strchr(num, ',') && !st->warned_thousands && !st->xlsx) {
		st->warned_thousands = true;
		kmv_sink__warn(
			st->ctx, st->file, row->line,
			"amount '%s' has thousands separators: the file looks "
			"re-saved by Excel",
			text);
	}
ok:
	if (r->rec.amount < 0)
		r->rec.amount = -r->rec.amount; /* direction comes from 收/支 */
	r->rec.has_amount = true;
	return 0;
bad:
	return kmv_sink__reject(
		st->file, row->line,
		"bad amount '%s' in column %s (expected a number like 12.50)",
		text, col_name(st, ST_AMOUNT));
}

static int dedup_key(st_state *st, st_row *r)
{
	char when[KMV_TIME_BUFSZ];
	uint8_t hash[32];
	char hex[33];
	uint32_t n = 0;
	int error = 0;

	kmv_buf_clear(&st->key);
	if (r->rec.payment_no) {
		/*
		 * The number is not unique on its own: JD refund rows carry the
		 * purchase's 交易订单号, edited statements reuse numbers.  A
		 * row is a duplicate only of one with the same number, time,
		 * amount, direction and status (the same transaction listed
		 * twice).  Schema v3 rewrote the old `id:<number>` keys to it.
		 */
		KMV_TRY(kmv_statement__number_key(
			&st->key, r->rec.payment_no,
			kmv_time_format(when, &r->rec.time), r->rec.amount,
			kmv_direction_name(r->rec.direction), r->rec.status));
		KMV_TRY(KMV_ARRAY_GROW(st->nums, st->anums, st->nnums + 1));
		kmv_hash128(hash, st->key.ptr, st->key.size);
		memcpy(&st->nums[st->nnums].key, hash, sizeof(uint64_t));
		kmv_hash128(hash, r->rec.payment_no, strlen(r->rec.payment_no));
		memcpy(&st->nums[st->nnums].number, hash, sizeof(uint64_t));
		st->nnums++;
		goto out;
	}
	/* No transaction id: the row's normalized fields + occurrence. */
	KMV_TRY(kmv_buf_printf(
		&st->key,
		"%s\x1f%lld\x1f%s\x1f%s\x1f%s\x1f%s"
		"\x1f%s\x1f%s",
		kmv_time_format(when, &r->rec.time), (long long)r->rec.amount,
		kmv_direction_name(r->rec.direction),
		r->rec.merchant ? r->rec.merchant : "",
		r->rec.product ? r->rec.product : "",
		r->rec.status_raw ? r->rec.status_raw : "",
		r->rec.category ? r->rec.category : "",
		r->rec.merchant_order_no ? r->rec.merchant_order_no : ""));
	kmv_sha256_ctx_digest(st->sha, hash, st->key.ptr, st->key.size);
	KMV_TRY(occ_next(&st->occ, hash, &n));
	kmv_hex_encode(hex, hash, 16);
	kmv_buf_clear(&st->key);
	KMV_TRY(kmv_buf_printf(&st->key, "h:%s:%u", hex, n));
out:
	r->rec.dedup_key = st->key.ptr;
done:
	return error;
}

/*
 * A row that cannot be a transaction: fewer cells than the required
 * columns need, or (CSV) a cell spanning lines.
 */
static int check_row(st_state *st, const kmv_row *row)
{
	size_t need = 0;

	for (int f = 0; f < ST_FIELD_COUNT; f++)
		if ((st->src->required & ST_BIT(f)) &&
		    (size_t)st->col[f] + 1 > need)
			need = (size_t)st->col[f] + 1;
	if (row->ncells < need)
		return kmv_sink__reject(
			st->file, row->line,
			"row has %zu fields, expected %zu like the header on "
			"line %lld (truncated or damaged row)",
			row->ncells, st->nhdr, (long long)st->header_line);
	/* Statements keep a transaction on one line: a cell spanning lines
	 * means a stray '"' swallowed the rows after it. */
	for (size_t i = 0; i < row->ncells && !st->xlsx; i++)
		if (strchr(row->cells[i], '\n'))
			return kmv_sink__reject(
				st->file, row->line,
				"a quoted field runs over several lines "
				"(unbalanced '\"'?); expected one line per "
				"transaction");
	return 0;
}

/* The direction and the strings of the record, borrowed from the row. */
static void row_strings(st_state *st, const kmv_row *row, st_row *r)
{
	if (r->v[ST_DIRECTION] && strcmp(r->v[ST_DIRECTION], "支出") == 0)
		r->rec.direction = KMV_DIR_OUT;
	else if (r->v[ST_DIRECTION] && strcmp(r->v[ST_DIRECTION], "收入") == 0)
		r->rec.direction = KMV_DIR_IN;
	else
		r->rec.direction =
			KMV_DIR_NEUTRAL; /* 不计收支, 其他, /, blank */
	/* Record strings borrow the row's cells (valid for this call). */
	r->rec.merchant = (char *)r->v[ST_MERCHANT];
	r->rec.counterparty_account = (char *)r->v[ST_ACCOUNT];
	r->rec.product = (char *)r->v[ST_PRODUCT];
	r->rec.category = (char *)r->v[ST_CATEGORY];
	r->rec.payment_method = (char *)r->v[ST_METHOD];
	r->rec.status_raw = (char *)r->v[ST_STATUS];
	r->rec.status = (char *)kmv_statement__status(r->v[ST_STATUS]);
	r->rec.payment_no = (char *)r->v[ST_PAYMENT_NO];
	r->rec.merchant_order_no = (char *)r->v[ST_MERCHANT_NO];
	r->rec.memo = (char *)r->v[ST_MEMO];
	r->rec.source_id = st->file->source_id;
	r->rec.source_line = row->line;
	if (!st->warned_sci && (scientific(r->rec.payment_no) ||
				scientific(r->rec.merchant_order_no))) {
		st->warned_sci = true;
		kmv_sink__warn(
			st->ctx, st->file, row->line,
			"transaction number '%s' is in scientific notation: "
			"the file looks re-saved by Excel and IDs may be "
			"damaged",
			r->rec.payment_no ? r->rec.payment_no
					  : r->rec.merchant_order_no);
	}
}

/* The source's extra columns and the payment method's parts, to extra. */
static void row_extra(st_state *st, const kmv_row *row, st_row *r)
{
	for (size_t e = 0; e < st->nextra; e++) {
		int c = st->extra_col[e];

		if (c >= 0 && (size_t)c < row->ncells &&
		    value_of(row->cells[c]))
			kmv_json_kv_string(r->extra, st->src->extra_columns[e],
					   row->cells[c]);
	}
	if (r->rec.payment_method)
		payment_method_parts(r->extra, r->rec.payment_method);
}

/*
 * Refund rows are "refunded" (link_refunds looks for that); WeChat's
 * 已退款￥50.00 on the refund row itself is the refund, not a partial
 * refund of the row.  What a fixup found it refunds goes to extra.
 */
static void row_refund(st_state *st, st_row *r)
{
	if (r->refund &&
	    (!r->rec.status || strcmp(r->rec.status, "success") == 0 ||
	     strcmp(r->rec.status, "other") == 0 ||
	     strcmp(r->rec.status, "partially_refunded") == 0))
		r->rec.status = "refunded";
	if (r->refund_of_payment_no) {
		r->rec.refund_of_payment_no = (char *)r->refund_of_payment_no;
		kmv_json_kv_string(r->extra, "refund_of_payment_no",
				   r->refund_of_payment_no);
	}
	if (r->refund_of_merchant_no)
		kmv_json_kv_string(r->extra, "refund_of_merchant_order_no",
				   r->refund_of_merchant_no);
	if (r->refund)
		st->any_refund = true;
}

static int map_row(st_state *st, const kmv_row *row)
{
	kmv_json extra;
	st_row r;
	int error = 0;

	KMV_TRY(check_row(st, row));
	memset(&r, 0, sizeof(r));
	r.row = row;
	r.scratch = &st->scratch;
	kmv_buf_clear(&st->scratch);
	kmv_buf_clear(&st->extra);
	kmv_json_init(&extra, &st->extra, false);
	kmv_json_object_begin(&extra);
	r.extra = &extra;
	for (int f = 0; f < ST_FIELD_COUNT; f++)
		r.v[f] = st->col[f] >= 0 && (size_t)st->col[f] < row->ncells
				 ? value_of(row->cells[st->col[f]])
				 : NULL;

	r.rec.kind = KMV_KIND_PAYMENT;
	r.rec.source_kind = (char *)st->src->kind;
	KMV_TRY(row_time(st, row, &r.rec));
	KMV_TRY(row_amount(st, row, &r));
	row_strings(st, row, &r);
	row_extra(st, row, &r);
	if (st->src->fixup)
		KMV_TRY(st->src->fixup(&r, &st->header));
	row_refund(st, &r);
	kmv_json_object_end(&extra);
	KMV_TRY(kmv_json_finish(&extra));
	r.rec.extra_json = st->extra.size > 2 ? st->extra.ptr : NULL;
	KMV_TRY(dedup_key(st, &r));
	/* Statement rows need no ids back: batched inserts (batch.c). */
	KMV_TRY(kmv_batch__queue_record(st->ctx, &r.rec));
done:
	return error;
}

static int on_row(const kmv_row *row, void *payload)
{
	st_state *st = payload;
	kmv_row fixed;
	int error = 0;

	switch (st->phase) {
	case PHASE_PREAMBLE:
		KMV_TRY(try_header(st, row));
		if (error == 0)
			KMV_TRY(read_meta(st, row));
		return 0;
	case PHASE_FOOTER: return read_meta(st, row);
	}
	if (row->ncells > 0 && all_dashes(row->cells[0])) {
		st->phase = PHASE_FOOTER;
		return 0;
	}
	if (st->src->merge_long_rows && !st->xlsx) {
		KMV_TRY(merge_long_row(st, row, &fixed));
		row = &fixed;
	}
	KMV_TRY(map_row(st, row));
	st->rows++;
	if (st->rows % 4096 == 0) {
		/* The preamble's 共N笔记录 is exact; else the line count
		 * (CSV) bounds it; a workbook without either grows as read. */
		uint64_t total = st->declared > st->rows
					 ? (uint64_t)st->declared
					 : st->total_hint;

		kmv_sink__progress(st->ctx, st->file, (uint64_t)st->rows,
				   total > (uint64_t)st->rows
					   ? total
					   : (uint64_t)st->rows + 1);
	}
done:
	return error;
}

static int write_meta(st_state *st, kmv_buf *out)
{
	kmv_json j;

	kmv_json_init(&j, out, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_string(&j, "source", st->src->kind);
	if (st->layout)
		kmv_json_kv_string(&j, "layout", st->layout);
	kmv_json_kv_string(&j, "container", st->xlsx ? "xlsx" : "csv");
	kmv_json_kv_int(&j, "header_line", st->header_line);
	if (st->account)
		kmv_json_kv_string(&j, "account", st->account);
	if (st->holder)
		kmv_json_kv_string(&j, "holder", st->holder);
	if (st->period_start)
		kmv_json_kv_string(&j, "period_start", st->period_start);
	if (st->period_end)
		kmv_json_kv_string(&j, "period_end", st->period_end);
	if (st->exported_at)
		kmv_json_kv_string(&j, "exported_at", st->exported_at);
	if (st->declared >= 0)
		kmv_json_kv_int(&j, "declared_count", st->declared);
	kmv_json_kv_int(&j, "rows", st->rows);
	kmv_json_object_end(&j);
	return kmv_json_finish(&j);
}

static const st_source *source_for(kmv_import_kind kind)
{
	for (const st_source *const *src = kmv_statement__sources; *src; src++)
		if ((*src)->import_kind == kind)
			return *src;
	return NULL;
}

static uint64_t count_lines(const char *s, size_t len)
{
	uint64_t n = 0;
	const char *p = s, *end = s + len;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n + 1;
}

/* The run's state for a statement of `kind`: its source, its extras. */
static int st_begin(st_state *st, kmv_import_ctx *ctx,
		    const kmv_import_file *file, kmv_import_kind kind)
{
	st->ctx = ctx;
	st->file = file;
	st->src = source_for(kind);
	st->declared = -1;
	st->xlsx = file->book != NULL;
	for (st->nextra = 0;
	     st->src->extra_columns && st->src->extra_columns[st->nextra];
	     st->nextra++)
		;
	if (st->nextra && !(st->extra_col = calloc(st->nextra, sizeof(int))))
		return kmv_error_nomem();
	return kmv_sha256_ctx_new(&st->sha);
}

static void st_dispose(st_state *st)
{
	for (size_t i = 0; i < st->nhdr; i++)
		free(st->hdr[i]);
	free(st->hdr);
	free(st->extra_col);
	free(st->account);
	free(st->holder);
	free(st->period_start);
	free(st->period_end);
	free(st->exported_at);
	free(st->cells);
	free(st->occ.slots);
	free(st->nums);
	kmv_sha256_ctx_free(st->sha);
	kmv_buf_dispose(&st->scratch);
	kmv_buf_dispose(&st->extra);
	kmv_buf_dispose(&st->key);
	kmv_buf_dispose(&st->merged);
}

/* Every row of the workbook, or of the text (`text`: the file in UTF-8). */
static int read_rows(st_state *st, kmv_bulk *bulk, kmv_buf *text)
{
	const kmv_import_file *file = st->file;
	int error = 0;

	/* From kmv_batch__overlap on, rows are only parsed and queued until
	 * the flush, so they are stored beside (batch.c, "Overlap"). */
	if (st->xlsx) {
		KMV_TRY(kmv_batch__overlap(st->ctx));
		return kmv_xlsx__rows(file->book, NULL, on_row, st);
	}
	KMV_TRY(kmv_text__to_utf8(text, file->data, file->len, "auto",
				  file->display));
	st->total_hint = count_lines(text->ptr, text->size);
	KMV_TRY(kmv_bulk__expect(bulk, st->total_hint));
	/* Most statement rows have a number: their list at its size. */
	if (st->total_hint < ((size_t)1 << 24))
		KMV_TRY(KMV_ARRAY_GROW(st->nums, st->anums, st->total_hint));
	KMV_TRY(kmv_batch__overlap(st->ctx));
	KMV_TRY(kmv_csv__read(text->ptr, text->size, ',', file->display, on_row,
			      st));
done:
	return error;
}

/* After the rows: the warnings, the source's row, its refunds, its line. */
static int finish(st_state *st)
{
	kmv_import_ctx *ctx = st->ctx;
	const kmv_import_file *file = st->file;
	kmv_buf meta = KMV_BUF_INIT, detail = KMV_BUF_INIT;
	int error = 0;

	if (st->declared >= 0 && st->declared != st->rows)
		kmv_sink__warn(ctx, file, 0,
			       "the statement declares %lld "
			       "records but %lld were read",
			       (long long)st->declared, (long long)st->rows);
	st->shared_numbers = count_shared(st->nums, st->nnums);
	if (st->shared_numbers > 0)
		kmv_sink__warn(ctx, file, 0,
			       "%lld rows share a transaction "
			       "number with another row: kept as separate "
			       "records",
			       (long long)st->shared_numbers);
	kmv_sink__progress(ctx, file, (uint64_t)st->rows, (uint64_t)st->rows);
	KMV_TRY(write_meta(st, &meta));
	KMV_TRY(kmv_sink__set_source_info(ctx, file->source_id, st->src->kind,
					  st->rows, meta.ptr));
	KMV_TRY(kmv_sink__link_refunds(ctx, st->src->kind));
	KMV_TRY(kmv_sink__set_kind(ctx, st->src->kind));
	KMV_TRY(kmv_buf_printf(&detail,
			       st->xlsx ? _("%s%s%s XLSX, header on row %lld")
					: _("%s%s%s CSV, header on line %lld"),
			       kmv_label(KMV_LABEL_SOURCE, st->src->kind),
			       st->layout ? " " : "",
			       st->layout ? st->layout : "",
			       (long long)st->header_line));
	KMV_TRY(kmv_sink__set_detail(ctx, detail.ptr));
done:
	kmv_buf_dispose(&meta);
	kmv_buf_dispose(&detail);
	return error;
}

int kmv_import__statement(kmv_import_ctx *ctx, const kmv_import_file *file,
			  kmv_import_kind kind, kmv_import_kind found)
{
	kmv_buf text = KMV_BUF_INIT;
	kmv_bulk *bulk = NULL;
	st_state st;
	int error = 0;

	memset(&st, 0, sizeof(st));
	if (kind == KMV_IMPORT_AUTO)
		kind = found;
	if (!source_for(kind))
		return kmv_sink__reject(
			file, 0,
			"not a payment statement "
			"(expected an Alipay, WeChat Pay or JD export)");
	if (found != KMV_IMPORT_AUTO && found != kind)
		return kmv_sink__reject(file, 0,
					"this is a statement of %s, "
					"not of %s (--kind)",
					_(source_for(found)->label),
					_(source_for(kind)->label));
	KMV_TRY(st_begin(&st, ctx, file, kind));
	KMV_TRY(kmv_bulk__begin(&bulk, ctx));
	KMV_TRY(read_rows(&st, bulk, &text));
	if (st.phase == PHASE_PREAMBLE) {
		/* Only mentions a marker (a README, notes): a folder skips it. */
		kmv_sink__unrecognized(ctx, true);
		error = kmv_sink__reject(
			file, 0,
			"no header row found "
			"(expected a row naming the columns %s, %s and %s)",
			col_name(&st, ST_TIME), col_name(&st, ST_AMOUNT),
			col_name(&st, ST_PAYMENT_NO));
		goto done;
	}
	KMV_TRY(kmv_batch__flush_records(ctx));
	KMV_TRY(kmv_bulk__end(bulk));
	error = finish(&st);
done:
	if (error < 0)
		kmv_batch__drop_records(ctx); /* none of a rejected file */
	kmv_bulk__free(bulk);
	st_dispose(&st);
	kmv_buf_dispose_secure(&text);
	return error;
}
