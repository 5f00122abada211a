/* SPDX-License-Identifier: MIT */
/*
 * An audit event's detail (a JSON object) in words (kmv/label.h):
 * `kmvault log` shows "订单：KM1，期限：2026-12-07", never the JSON.  Keys
 * are named in the language asked for (both are in the table below, as
 * for documents: no catalog entries), values that are codes get their
 * labels, hashes are shortened and bookkeeping keys left out.
 */
#include "common.h"

#include <ctype.h>
#include <inttypes.h>
#include <jansson.h>

#include "kmv/label.h"

static const struct key_words {
	const char *key, *en, *zh;
	int set; /* the label set of its values, -1 for none */
} keys[] = {
	{ "a", "record", "记录", -1 },
	{ "added", "added", "新增", -1 },
	{ "aliases_learned", "aliases learned", "学到的别名", -1 },
	{ "aside", "vault set aside as", "原保险库另存为", -1 },
	{ "attachment", "attachment", "附件", -1 },
	{ "b", "with record", "关联记录", -1 },
	{ "backup", "backup", "备份", -1 },
	{ "backup_generation", "backup generation", "备份代次", -1 },
	{ "case", "case", "案件", -1 },
	{ "cases", "cases", "案件", -1 },
	{ "changes", "changes", "改动", -1 },
	{ "claim", "claim", "诉求", -1 },
	{ "common_event", "last common event", "最后共同事件", -1 },
	{ "count", "count", "数量", -1 },
	{ "deadline", "deadline", "期限", -1 },
	{ "due", "due", "到期", -1 },
	{ "duplicates", "duplicates", "重复", -1 },
	{ "ended", "ended", "结束", -1 },
	{ "events", "events", "事件", -1 },
	{ "expiry", "expiry", "到期", -1 },
	{ "field", "field", "字段", -1 },
	{ "file", "file", "文件", -1 },
	{ "files", "files", "文件", -1 },
	{ "format", "format", "格式", -1 },
	{ "head", "last event", "末条事件", -1 },
	{ "id", "record", "记录", -1 },
	{ "ids", "records", "记录", -1 },
	{ "item", "item", "项目", -1 },
	{ "key_created", "new signing key", "新建签名密钥", -1 },
	{ "kind", "kind", "类型", KMV_LABEL_SOURCE },
	{ "last_login", "last login", "最近登录", -1 },
	{ "links", "links", "关联", -1 },
	{ "manual", "by hand", "手动", -1 },
	{ "membership", "membership", "会员", -1 },
	{ "merchant", "merchant", "商户", -1 },
	{ "name", "name", "名称", -1 },
	{ "new", "to", "改为", -1 },
	{ "note", "note", "备注", -1 },
	{ "old", "from", "原为", -1 },
	{ "order_no", "order", "订单", -1 },
	{ "other_head", "other copy's last event", "另一副本的末条事件", -1 },
	{ "period", "period", "期间", -1 },
	{ "platform", "platform", "平台", -1 },
	{ "reason", "reason", "事由", KMV_LABEL_CASE_REASON },
	{ "record", "record", "记录", -1 },
	{ "records", "records", "记录", -1 },
	{ "removed", "removed", "删除", -1 },
	{ "rows", "rows", "行", -1 },
	{ "sha256", "SHA-256", "SHA-256", -1 },
	{ "size", "bytes", "字节数", -1 },
	{ "source", "source file", "来源文件", -1 },
	{ "sources", "source files", "来源文件", -1 },
	{ "status", "status", "状态", KMV_LABEL_CASE_STATUS },
	{ "tags", "tags", "标签", -1 },
	{ "until", "until", "直到", -1 },
	{ "user", "user", "操作用户", -1 },
	{ "updated", "updated", "更新", -1 },
	{ "vetoed", "kept apart", "已排除", -1 },
	{ "window_after_s", "match window (seconds)", "匹配时间窗（秒）", -1 },
};

/* Bookkeeping that says nothing to a person. */
static bool skipped(const char *key)
{
	return strcmp(key, "fingerprint") == 0 ||
	       strcmp(key, "prev_hash") == 0 || strcmp(key, "hash") == 0;
}

/* `lang` is resolved: ZH or EN (the table holds both; no catalog). */
static const char *words(const char *en, const char *zh, kmv_lang lang)
{
	return lang == KMV_LANG_ZH ? zh : en;
}

static const struct key_words *find_key(const char *key)
{
	for (size_t i = 0; i < KMV_ARRAY_SIZE(keys); i++)
		if (strcmp(keys[i].key, key) == 0)
			return &keys[i];
	return NULL;
}

static int object_words(kmv_buf *out, json_t *o, kmv_lang lang, int depth);

static int member_words(kmv_buf *out, const char *key, json_t *v, kmv_lang lang,
			int depth);
static int value_words(kmv_buf *out, json_t *v, const struct key_words *k,
		       const char *key, kmv_lang lang, int depth);

/*
 * One object of a list ("files": [{"file": "a.csv", "rows": 3}, ...])
 * headed by its first member's value, the rest in brackets:
 * "a.csv（行：3）", not "（文件：a.csv，行：3）" under "文件：".
 */
static int headed_words(kmv_buf *out, json_t *o, kmv_lang lang, int depth)
{
	void *it = json_object_iter(o);
	json_t *head = it ? json_object_iter_value(it) : NULL;
	bool first = true;

	if (!head || !json_is_string(head))
		return value_words(out, o, NULL, "", lang, depth);
	if (kmv_buf_puts(out, json_string_value(head)) < 0)
		return KMV_ERROR;
	for (it = json_object_iter_next(o, it); it;
	     it = json_object_iter_next(o, it)) {
		const char *key = json_object_iter_key(it);

		if (skipped(key))
			continue;
		if (kmv_buf_puts(out, first ? words(" (", "（", lang)
					    : words(", ", "，", lang)) < 0 ||
		    member_words(out, key, json_object_iter_value(it), lang,
				 depth) < 0)
			return KMV_ERROR;
		first = false;
	}
	return first ? 0 : kmv_buf_puts(out, words(")", "）", lang));
}

static int value_words(kmv_buf *out, json_t *v, const struct key_words *k,
		       const char *key, kmv_lang lang, int depth)
{
	const char *sep = words(", ", "、", lang);
	size_t i;
	json_t *x;

	switch (json_typeof(v)) {
	case JSON_STRING: {
		const char *s = json_string_value(v);

		if (strcmp(key, "sha256") == 0)
			return kmv_buf_printf(out, "%.16s", s);
		/* a report format by its name: csv -> CSV */
		if (strcmp(key, "format") == 0 && strlen(s) <= 4) {
			char name[5] = "";

			for (size_t c = 0; s[c]; c++)
				name[c] = (char)toupper((unsigned char)s[c]);
			return kmv_buf_puts(out, name);
		}
		if (k && k->set >= 0 && kmv_label_known(k->set, s))
			return kmv_buf_puts(out,
					    kmv_label_lang(k->set, s, lang));
		return kmv_buf_puts(out, s);
	}
	case JSON_INTEGER:
		return kmv_buf_printf(out, "%" PRId64,
				      (int64_t)json_integer_value(v));
	case JSON_REAL: return kmv_buf_printf(out, "%g", json_real_value(v));
	case JSON_TRUE: return kmv_buf_puts(out, words("yes", "是", lang));
	case JSON_FALSE: return kmv_buf_puts(out, words("no", "否", lang));
	case JSON_NULL: return kmv_buf_puts(out, "-");
	case JSON_ARRAY:
		json_array_foreach(v, i, x)
		{
			if (i &&
			    kmv_buf_puts(out, json_is_object(x)
						      ? words("; ", "；", lang)
						      : sep) < 0)
				return KMV_ERROR;
			if (json_is_object(x) && depth <= 3
				    ? headed_words(out, x, lang, depth + 1) < 0
				    : value_words(out, x, k, key, lang,
						  depth + 1) < 0)
				return KMV_ERROR;
		}
		return 0;
	case JSON_OBJECT:
		if (depth > 3)
			return kmv_buf_puts(out, "…");
		if (kmv_buf_puts(out, words(" (", "（", lang)) < 0 ||
		    object_words(out, v, lang, depth + 1) < 0)
			return KMV_ERROR;
		return kmv_buf_puts(out, words(")", "）", lang));
	}
	return 0;
}

static int object_words(kmv_buf *out, json_t *o, kmv_lang lang, int depth)
{
	const char *key;
	json_t *v;
	bool first = true;

	json_object_foreach(o, key, v)
	{
		if (skipped(key))
			continue;
		if (!first && kmv_buf_puts(out, words(", ", "，", lang)) < 0)
			return KMV_ERROR;
		first = false;
		if (member_words(out, key, v, lang, depth) < 0)
			return KMV_ERROR;
	}
	return 0;
}

/* "key: value" in words. */
static int member_words(kmv_buf *out, const char *key, json_t *v, kmv_lang lang,
			int depth)
{
	const struct key_words *k = find_key(key);
	const char *name = k ? words(k->en, k->zh, lang) : NULL;

	/* match's counts per rule: the rule's words */
	if (!name && kmv_label_known(KMV_LABEL_RULE, key))
		name = kmv_label_lang(KMV_LABEL_RULE, key, lang);
	if (kmv_buf_printf(out, "%s%s", name ? name : key,
			   words(": ", "：", lang)) < 0)
		return KMV_ERROR;
	return value_words(out, v, k, key, lang, depth);
}

int kmv_label_detail(kmv_buf *out, const char *detail, kmv_lang lang)
{
	json_t *o = NULL;
	int error = 0;

	KMV_ASSERT_ARG(out);
	kmv_buf_clear(out);
	lang = kmv_lang_resolve(lang);
	if (detail && (o = json_loads(detail, 0, NULL)) && json_is_object(o))
		error = object_words(out, o, lang, 0);
	else if (detail && strcmp(detail, "{}") != 0)
		error = kmv_buf_puts(out, detail);
	json_decref(o);
	if (error >= 0 && !out->ptr)
		error = kmv_buf_puts(out, "");
	return error < 0 ? error : 0;
}
