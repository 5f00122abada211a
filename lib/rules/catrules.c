/* SPDX-License-Identifier: MIT */
/*
 * Categorising rules (kmv/catrules.h): `match FIELD PATTERN -> set WHAT
 * VALUE` lines compiled with PCRE2.  A run first plans every change from
 * one read of the records (a record's rules see the category and platform
 * the others set), then makes them through kmv/edit.h, which keeps the imported values,
 * writes one audit event per change and is what `show` and `check` read.
 */
#include "common.h"
#include "kmvutil/array.h"
#include "kmv/catrules.h"
#include "kmv/edit.h"
#include "kmvutil/file.h"
#include "kmvutil/text.h"
#include "kmv/i18n.h"
#include "store/db.h"
#include "store/vault.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdarg.h>

#define RULES_FILE_MAX (1024 * 1024)
#define VALUE_MAX 512
#define TAG_MAX 64

/* The fields a rule can look at: name, SQL expression. */
static const struct {
	const char *name;
	const char *sql;
} match_fields[] = {
	{ "merchant", "merchant" },
	{ "product", "product" },
	{ "memo", "memo" },
	{ "text", NULL }, /* merchant, product or memo */
	{ "platform", "platform" },
	{ "category", "category" },
	{ "status", NULL }, /* status or status_raw */
	{ "kind", "kind" },
	{ "source", "source_kind" },
	{ "payment_method", "payment_method" },
	{ "order_no", "order_no" },
	{ "payment_no", "payment_no" },
	{ "amount", "amount" },
};

enum {
	F_MERCHANT,
	F_PRODUCT,
	F_MEMO,
	F_TEXT,
	F_PLATFORM,
	F_CATEGORY,
	F_STATUS,
	F_KIND,
	F_SOURCE,
	F_PAYMENT_METHOD,
	F_ORDER_NO,
	F_PAYMENT_NO,
	F_AMOUNT,
	F_COUNT
};

/* What a rule sets.  The first three are kmv_edit_fields members. */
enum { T_CATEGORY, T_PLATFORM, T_NOTE, T_TAG, T_COUNT };
static const char *const target_names[T_COUNT] = { "category", "platform",
						   "note", "tag" };

typedef struct rule {
	int field;
	int target;
	pcre2_code *re;
	char *value;
	char *where; /* "FILE:LINE" */
} rule;

struct kmv_catrules {
	rule *v;
	size_t n, cap;
};

void kmv_catrules_free(kmv_catrules *rules)
{
	if (!rules)
		return;
	for (size_t i = 0; i < rules->n; i++) {
		pcre2_code_free(rules->v[i].re);
		free(rules->v[i].value);
		free(rules->v[i].where);
	}
	free(rules->v);
	free(rules);
}

size_t kmv_catrules_count(const kmv_catrules *rules)
{
	return rules ? rules->n : 0;
}

/* ---- parsing --------------------------------------------------------- */

static int bad(const char *name, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "FILE:LINE: what is wrong" (KMV_EINPUT). */
static int bad(const char *name, int line, const char *fmt, ...)
{
	char what[640];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	kmv_error_set(KMV_ERROR_INPUT, "%s:%d: %s", name, line, what);
	return KMV_EINPUT;
}

/* "match FIELD PATTERN -> set WHAT VALUE", the grammar's reminder. */
#define GRAMMAR                                   \
	_("expected 'match FIELD PATTERN -> set " \
	  "category|platform|tag|note VALUE', not '%.200s'")

/* The next word of *s (split at spaces and tabs), NUL-terminated in place. */
static char *next_word(char **s)
{
	char *p = *s, *word;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return NULL;
	word = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (*p)
		*p++ = '\0';
	*s = p;
	return word;
}

/*
 * The arrow that ends the pattern: the first "->" or "→" that is followed
 * by blanks and the word "set".  Returns the arrow; *after = just past it.
 */
static char *find_arrow(char *s, char **after)
{
	for (char *p = s; *p; p++) {
		size_t len = strncmp(p, "->", 2) == 0             ? 2
			     : strncmp(p, "\xE2\x86\x92", 3) == 0 ? 3
								  : 0;
		char *q;

		if (!len)
			continue;
		q = p + len;
		while (*q == ' ' || *q == '\t')
			q++;
		if (strncmp(q, "set", 3) == 0 &&
		    (q[3] == ' ' || q[3] == '\t')) {
			*after = q + 3;
			return p;
		}
	}
	return NULL;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* The VALUE of `set WHAT VALUE` (`word` is WHAT, for the message). */
static int check_value(const char *name, int line, int target, const char *word,
		       const char *value)
{
	if (!*value)
		return bad(name, line, _("'set %s' needs a value"), word);
	if (strlen(value) > (target == T_TAG ? TAG_MAX : VALUE_MAX) ||
	    has_control(value))
		return bad(name, line,
			   _("the value '%s' is too long or holds a "
			     "control character"),
			   value);
	if (target == T_TAG && strpbrk(value, " ,\t"))
		return bad(name, line,
			   _("a tag is one word without spaces or "
			     "commas, not '%s'"),
			   value);
	return 0;
}

static int parse_line(kmv_catrules *rules, char *text, const char *name,
		      int line)
{
	char *s = text, *word, *arrow, *after, *pattern, *value;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	rule r = { -1, -1, NULL, NULL, NULL };
	char where[64];
	int err;

	word = next_word(&s);
	if (!word || strcmp(word, "match") != 0)
		return bad(name, line, GRAMMAR, text);
	if (!(word = next_word(&s)))
		return bad(name, line,
			   _("'match' needs a field and a pattern"));
	for (int i = 0; i < F_COUNT; i++)
		if (strcmp(word, match_fields[i].name) == 0)
			r.field = i;
	if (r.field < 0)
		return bad(
			name, line,
			_("unknown field '%s' (merchant, product, "
			  "memo, text, platform, category, status, kind, source, "
			  "payment_method, order_no, payment_no, amount)"),
			word);
	if (!(arrow = find_arrow(s, &after)))
		return bad(name, line,
			   _("no '-> set WHAT VALUE' after the pattern "
			     "'%s'"),
			   kmv_trim(s));
	*arrow = '\0';
	pattern = kmv_trim(s);
	if (!*pattern)
		return bad(name, line, _("empty pattern"));
	s = after;
	if (!(word = next_word(&s)))
		return bad(name, line,
			   _("'set' needs category, platform, tag or "
			     "note and a value"));
	for (int i = 0; i < T_COUNT; i++)
		if (strcmp(word, target_names[i]) == 0)
			r.target = i;
	if (r.target < 0)
		return bad(name, line,
			   _("cannot set '%s' (category, platform, tag "
			     "or note)"),
			   word);
	value = kmv_trim(s);
	if ((err = check_value(name, line, r.target, word, value)) < 0)
		return err;
	r.re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
			     PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &err, &off,
			     NULL);
	if (!r.re) {
		pcre2_get_error_message(err, msg, sizeof(msg));
		return bad(name, line,
			   _("bad pattern '%.200s': %s at offset %zu"), pattern,
			   (const char *)msg, (size_t)off);
	}
	snprintf(where, sizeof(where), "%.40s:%d", kmv_basename(name), line);
	r.value = strdup(value);
	r.where = strdup(where);
	if (!r.value || !r.where)
		goto nomem;
	if (KMV_ARRAY_GROW(rules->v, rules->cap, rules->n + 1) < 0)
		goto nomem;
	rules->v[rules->n++] = r;
	return 0;
nomem:
	pcre2_code_free(r.re);
	free(r.value);
	free(r.where);
	return kmv_error_nomem();
}

int kmv_catrules_parse(kmv_catrules **out, const char *text, size_t len,
		       const char *name)
{
	kmv_catrules *rules = NULL;
	kmv_buf line = KMV_BUF_INIT;
	const char *p = text, *end = text + len;
	int lineno = 0, error = 0;

	KMV_ASSERT_ARG(out && (text || !len) && name);
	*out = NULL;
	if (!(rules = calloc(1, sizeof(*rules))))
		return kmv_error_nomem();
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *s;

		lineno++;
		if (n && p[n - 1] == '\r')
			n--;
		if (memchr(p, '\0', n) || !kmv_utf8_valid(p, n)) {
			error = bad(name, lineno, _("not UTF-8 text"));
			goto done;
		}
		kmv_buf_clear(&line);
		KMV_TRY(kmv_buf_put(&line, p, n));
		KMV_TRY(kmv_buf_putc(&line, '\0'));
		s = kmv_trim(line.ptr);
		if (*s && *s != '#')
			KMV_TRY(parse_line(rules, s, name, lineno));
		p = nl ? nl + 1 : end;
	}
	*out = rules;
	rules = NULL;
done:
	kmv_buf_dispose(&line);
	kmv_catrules_free(rules);
	return error;
}

int kmv_catrules_load(kmv_catrules **out, const char *path)
{
	kmv_buf text = KMV_BUF_INIT;
	int error = 0;

	KMV_ASSERT_ARG(out && path);
	*out = NULL;
	KMV_TRY(kmv_file_read(&text, path, RULES_FILE_MAX));
	KMV_TRY(kmv_catrules_parse(out, text.ptr ? text.ptr : "", text.size,
				   path));
done:
	kmv_buf_dispose(&text);
	return error;
}

/* ---- applying -------------------------------------------------------- */

/* One planned change; strings owned. */
typedef struct change {
	int64_t record;
	int target;
	char *old_value;
	const rule *by;
} change;

typedef struct plan {
	change *v;
	size_t n, cap;
} plan;

static void plan_dispose(plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].old_value);
	free(p->v);
}

static int plan_add(plan *p, int64_t record, int target, const char *old,
		    const rule *by)
{
	if (KMV_ARRAY_GROW(p->v, p->cap, p->n + 1) < 0)
		return KMV_ERROR;
	p->v[p->n].record = record;
	p->v[p->n].target = target;
	p->v[p->n].by = by;
	p->v[p->n].old_value = NULL;
	if (old && !(p->v[p->n].old_value = strdup(old)))
		return kmv_error_nomem();
	p->n++;
	return 0;
}

/* The columns of the record query, in match_fields order, then the rest. */
static const char record_sql[] =
	"SELECT merchant, product, memo, NULL, platform, category, status,"
	" kind, source_kind, payment_method, order_no, payment_no,"
	" CASE WHEN amount IS NULL THEN NULL ELSE printf('%d.%02d',"
	"  amount / 100, amount % 100) END,"
	" status_raw,"                    /* 13 */
	" json_extract(extra, '$.note')," /* 14 */
	/* corrected by hand: an edit kept the imported value, no rule owns it */
	" json_type(extra, '$.imported.category') IS NOT NULL"
	"  AND json_type(extra, '$.rules.category') IS NULL," /* 15 */
	" json_type(extra, '$.imported.platform') IS NOT NULL"
	"  AND json_type(extra, '$.rules.platform') IS NULL," /* 16 */
	" json_type(extra, '$.note') IS NOT NULL"
	"  AND json_type(extra, '$.rules.note') IS NULL," /* 17 */
	" json_extract(extra, '$.tags'),"                 /* 18 */
	" id"                                             /* 19 */
	" FROM records WHERE deleted_at IS NULL AND id > ?1 ORDER BY id";

static bool re_matches(const rule *r, pcre2_match_data *md, const char *s)
{
	return s && pcre2_match(r->re, (PCRE2_SPTR)s, strlen(s), 0, 0, md,
				NULL) >= 0;
}

/*
 * `set` holds what earlier rules of this run set (category, platform), so
 * rules chain in file order and a second run finds nothing more to do.
 */
static bool rule_matches(const rule *r, pcre2_match_data *md, sqlite3_stmt *st,
			 const char *const set[3])
{
	if (r->field == F_CATEGORY && set[T_CATEGORY])
		return re_matches(r, md, set[T_CATEGORY]);
	if (r->field == F_PLATFORM && set[T_PLATFORM])
		return re_matches(r, md, set[T_PLATFORM]);
	if (r->field == F_TEXT)
		return re_matches(r, md, kmv_db__text(st, F_MERCHANT)) ||
		       re_matches(r, md, kmv_db__text(st, F_PRODUCT)) ||
		       re_matches(r, md, kmv_db__text(st, F_MEMO));
	if (r->field == F_STATUS)
		return re_matches(r, md, kmv_db__text(st, F_STATUS)) ||
		       re_matches(r, md, kmv_db__text(st, 13));
	return re_matches(r, md, kmv_db__text(st, r->field));
}

/* Is `tag` in the JSON array text `tags` (or planned already)? */
static bool has_tag(sqlite3 *db, const char *tags, const char *tag,
		    const plan *p, size_t from, int64_t record)
{
	sqlite3_stmt *st = NULL;
	bool found = false;

	for (size_t i = from; i < p->n; i++)
		if (p->v[i].record == record && p->v[i].target == T_TAG &&
		    strcmp(p->v[i].by->value, tag) == 0)
			return true;
	if (!tags)
		return false;
	if (sqlite3_prepare_v2(db,
			       "SELECT 1 FROM json_each(?1) WHERE value = ?2",
			       -1, &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, tags, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tag, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* The first rule of each target that matches, matching on `over`. */
static void choose(const rule *chosen[3], const kmv_catrules *rules,
		   pcre2_match_data *md, sqlite3_stmt *st,
		   const char *const over[3])
{
	chosen[0] = chosen[1] = chosen[2] = NULL;
	for (size_t i = 0; i < rules->n; i++) {
		const rule *r = &rules->v[i];

		if (r->target != T_TAG && !chosen[r->target] &&
		    rule_matches(r, md, st, over))
			chosen[r->target] = r;
	}
}

static int by_rule(const void *a, const void *b)
{
	const change *x = a, *y = b;

	return x->by < y->by ? -1 : x->by > y->by;
}

/*
 * The changes for one record.  A category or platform one rule sets can
 * make another rule match, so the choice is made again on the new values
 * until it settles (a few rounds at most): what the run leaves is what a
 * second run would choose too, so that one changes nothing.
 */
static int plan_record(plan *p, kmv_catrules_stats *stats,
		       const kmv_catrules *rules, pcre2_match_data *md,
		       sqlite3 *db, sqlite3_stmt *st)
{
	static const int current_col[3] = { F_CATEGORY, F_PLATFORM, 14 };
	int64_t id = sqlite3_column_int64(st, 19);
	const char *over[3] = { NULL, NULL, NULL };
	const rule *chosen[3];
	size_t first = p->n;
	int error = 0;

	for (int round = 0; round < 4; round++) {
		const char *next[3];
		bool settled = true;

		choose(chosen, rules, md, st, over);
		for (int t = 0; t < 3; t++) {
			next[t] = chosen[t] && !sqlite3_column_int(st, 15 + t)
					  ? chosen[t]->value
					  : NULL;
			settled &= next[t] == over[t];
			over[t] = next[t];
		}
		if (settled)
			break;
	}
	for (int t = 0; t < 3; t++) {
		const char *cur = kmv_db__text(st, current_col[t]);

		if (!chosen[t] || (cur && strcmp(cur, chosen[t]->value) == 0))
			continue;
		if (sqlite3_column_int(st, 15 + t)) {
			stats->kept++;
			continue;
		}
		KMV_TRY(plan_add(p, id, t, cur, chosen[t]));
	}
	for (size_t i = 0; i < rules->n; i++) {
		const rule *r = &rules->v[i];

		if (r->target == T_TAG && rule_matches(r, md, st, over) &&
		    !has_tag(db, kmv_db__text(st, 18), r->value, p, first, id))
			KMV_TRY(plan_add(p, id, T_TAG, NULL, r));
	}
	/* In the order of the rules file. */
	if (p->n - first > 1)
		qsort(p->v + first, p->n - first, sizeof(*p->v), by_rule);
	stats->records++;
	if (p->n > first)
		stats->changed++;
	stats->changes += p->n - first;
done:
	return error;
}

static int make_change(kmv_vault *vault, const change *c, const char *who)
{
	kmv_edit_fields f = KMV_EDIT_FIELDS_INIT;
	const char *tag = c->by->value;

	if (c->target == T_TAG)
		return kmv_record_tag_by_rule(vault, c->record, &tag, 1,
					      c->by->where, who, NULL);
	if (c->target == T_CATEGORY)
		f.category = c->by->value;
	else if (c->target == T_PLATFORM)
		f.platform = c->by->value;
	else
		f.note = c->by->value;
	f.rule = c->by->where;
	return kmv_record_edit(vault, c->record, &f, who, NULL);
}

int kmv_catrules_apply(kmv_vault *vault, const kmv_catrules *rules,
		       const kmv_catrules_options *opts,
		       kmv_catrules_stats *stats)
{
	kmv_catrules_options none = KMV_CATRULES_OPTIONS_INIT;
	kmv_catrules_stats local;
	plan p = { NULL, 0, 0 };
	pcre2_match_data *md = NULL;
	sqlite3_stmt *st = NULL;
	sqlite3 *db;
	int error = 0, rc;

	KMV_ASSERT_ARG(vault && rules);
	if (!opts)
		opts = &none;
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	if (!rules->n)
		return 0;
	db = kmv_vault__db(vault);
	if (!(md = pcre2_match_data_create(1, NULL)))
		return kmv_error_nomem();
	KMV_TRY(kmv_db__prepare(&st, db, record_sql));
	sqlite3_bind_int64(st, 1, opts->after_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		KMV_TRY(plan_record(&p, stats, rules, md, db, st));
	if (rc != SQLITE_DONE) {
		error = kmv_db__error(db, "cannot read the records");
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;
	for (size_t i = 0; i < p.n; i++) {
		const change *c = &p.v[i];
		kmv_catrules_change out = { c->record, target_names[c->target],
					    c->old_value, c->by->value,
					    c->by->where };

		if (!opts->dry_run)
			KMV_TRY(make_change(vault, c, opts->who));
		if (opts->on_change &&
		    (error = opts->on_change(&out, opts->payload)) != 0)
			goto done;
	}
done:
	sqlite3_finalize(st);
	pcre2_match_data_free(md);
	plan_dispose(&p);
	return error;
}

int kmv_catrules_mark(kmv_vault *vault, int64_t *out)
{
	sqlite3_stmt *st = NULL;
	sqlite3 *db;
	int error = 0;

	KMV_ASSERT_ARG(vault && out);
	db = kmv_vault__db(vault);
	*out = 0;
	KMV_TRY(kmv_db__prepare(&st, db,
				"SELECT coalesce(max(id), 0) FROM "
				"records"));
	if (sqlite3_step(st) == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else
		error = kmv_db__error(db, "cannot read the records");
done:
	sqlite3_finalize(st);
	return error;
}
