/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "kmvutil/json.h"
#include "kmvutil/money.h"

#include <math.h>

void kmv_json_init(kmv_json *j, kmv_buf *out, bool pretty)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->pretty = pretty;
}

static void put(kmv_json *j, const char *s, size_t len)
{
	if (j->error == 0)
		j->error = kmv_buf_put(j->out, s, len);
}

static void puts_(kmv_json *j, const char *s)
{
	put(j, s, strlen(s));
}

static void newline(kmv_json *j)
{
	if (!j->pretty)
		return;
	put(j, "\n", 1);
	for (int i = 0; i < j->depth; i++)
		put(j, "  ", 2);
}

/* Separator and indentation before a value or key. */
static void before_value(kmv_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (j->need_comma[j->depth])
			put(j, ",", 1);
		j->need_comma[j->depth] = true;
		newline(j);
	}
}

static void open_(kmv_json *j, const char *c)
{
	before_value(j);
	puts_(j, c);
	if (j->depth + 1 >= KMV_JSON_MAX_DEPTH) {
		if (j->error == 0) {
			kmv_error_set(KMV_ERROR_INTERNAL,
				      "JSON nested too deeply");
			j->error = KMV_ERROR;
		}
		return;
	}
	j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_(kmv_json *j, const char *c)
{
	bool had_items = j->need_comma[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (had_items)
		newline(j);
	puts_(j, c);
}

void kmv_json_object_begin(kmv_json *j)
{
	open_(j, "{");
}
void kmv_json_object_end(kmv_json *j)
{
	close_(j, "}");
}
void kmv_json_array_begin(kmv_json *j)
{
	open_(j, "[");
}
void kmv_json_array_end(kmv_json *j)
{
	close_(j, "]");
}

int kmv_json_escape(kmv_buf *out, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	int error = kmv_buf_putc(out, '"');
	size_t start = 0;

	for (size_t i = 0; i < len && error == 0; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		const char *rep = NULL;

		switch (c) {
		case '"': rep = "\\\""; break;
		case '\\': rep = "\\\\"; break;
		case '\n': rep = "\\n"; break;
		case '\r': rep = "\\r"; break;
		case '\t': rep = "\\t"; break;
		case '\b': rep = "\\b"; break;
		case '\f': rep = "\\f"; break;
		default:
			if (c < 0x20 || c == 0x7f) {
				esc[0] = '\\';
				esc[1] = 'u';
				esc[2] = '0';
				esc[3] = '0';
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15];
				esc[6] = '\0';
				rep = esc;
			}
		}
		if (rep) {
			error = kmv_buf_put(out, s + start, i - start);
			if (error == 0)
				error = kmv_buf_puts(out, rep);
			start = i + 1;
		}
	}
	if (error == 0)
		error = kmv_buf_put(out, s + start, len - start);
	if (error == 0)
		error = kmv_buf_putc(out, '"');
	return error;
}

void kmv_json_key(kmv_json *j, const char *key)
{
	before_value(j);
	if (j->error == 0)
		j->error = kmv_json_escape(j->out, key, strlen(key));
	put(j, j->pretty ? ": " : ":", j->pretty ? 2 : 1);
	j->after_key = true;
}

void kmv_json_string_len(kmv_json *j, const char *s, size_t len)
{
	before_value(j);
	if (j->error == 0)
		j->error = kmv_json_escape(j->out, s, len);
}

void kmv_json_string(kmv_json *j, const char *s)
{
	if (!s) {
		kmv_json_null(j);
		return;
	}
	kmv_json_string_len(j, s, strlen(s));
}

void kmv_json_int(kmv_json *j, int64_t v)
{
	char tmp[32];

	before_value(j);
	snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	puts_(j, tmp);
}

void kmv_json_double(kmv_json *j, double v)
{
	char tmp[64];

	before_value(j);
	if (!isfinite(v))
		puts_(j, "null");
	else {
		snprintf(tmp, sizeof(tmp), "%.17g", v);
		puts_(j, tmp);
	}
}

void kmv_json_bool(kmv_json *j, bool v)
{
	before_value(j);
	puts_(j, v ? "true" : "false");
}

void kmv_json_null(kmv_json *j)
{
	before_value(j);
	puts_(j, "null");
}

void kmv_json_money(kmv_json *j, int64_t fen)
{
	char tmp[KMV_MONEY_BUFSZ];

	kmv_json_string(j, kmv_money_format(tmp, fen));
}

void kmv_json_raw(kmv_json *j, const char *json)
{
	before_value(j);
	puts_(j, json && *json ? json : "null");
}

void kmv_json_kv_string(kmv_json *j, const char *key, const char *s)
{
	kmv_json_key(j, key);
	kmv_json_string(j, s);
}

void kmv_json_kv_int(kmv_json *j, const char *key, int64_t v)
{
	kmv_json_key(j, key);
	kmv_json_int(j, v);
}

void kmv_json_kv_bool(kmv_json *j, const char *key, bool v)
{
	kmv_json_key(j, key);
	kmv_json_bool(j, v);
}

void kmv_json_kv_money(kmv_json *j, const char *key, int64_t fen)
{
	kmv_json_key(j, key);
	kmv_json_money(j, fen);
}

void kmv_json_kv_int_or_null(kmv_json *j, const char *key, bool has, int64_t v)
{
	kmv_json_key(j, key);
	if (has)
		kmv_json_int(j, v);
	else
		kmv_json_null(j);
}

void kmv_json_kv_money_or_null(kmv_json *j, const char *key, bool has,
			       int64_t fen)
{
	kmv_json_key(j, key);
	if (has)
		kmv_json_money(j, fen);
	else
		kmv_json_null(j);
}

int kmv_json_finish(kmv_json *j)
{
	return j->error;
}
