/* SPDX-License-Identifier: MIT */
/*
 * Set one key of an INI file's text and keep everything else as it is
 * (kmv_ini_set, kmvutil/ini.h).  libinih reads the file; it has no writer, and
 * rewriting the whole file from parsed values lost the user's comments,
 * blank lines and order.  The rules followed are libinih's: `[section]`
 * headers, `name = value` or `name: value`, whole-line comments starting
 * with ';' or '#', inline comments after " ;", and an indented line after a
 * key continuing its value.
 */
#include "common.h"
#include "kmvutil/ini.h"

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* [s, e) without the blanks around it. */
static void trim_span(const char **s, const char **e)
{
	while (*s < *e && blank(**s))
		(*s)++;
	while (*e > *s && blank((*e)[-1]))
		(*e)--;
}

static bool span_is(const char *s, const char *e, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(e - s) == n && memcmp(s, word, n) == 0;
}

/* Whether the header line [s, e) ("[name]") names `section`. */
static bool header_names(const char *s, const char *e, const char *section)
{
	const char *close = memchr(s, ']', (size_t)(e - s));
	const char *ns = s + 1, *ne = close ? close : e;

	trim_span(&ns, &ne);
	return span_is(ns, ne, section);
}

/* A " ; comment" after a value in [from, e), or NULL. */
static const char *trailing_comment(const char *from, const char *e)
{
	for (const char *q = from; q < e; q++)
		if (*q == ';' && blank(q[-1]))
			return q - 1;
	return NULL;
}

/*
 * The new text from the rewritten `body`: as it is when the key was
 * found, the key added at `insert_at` (after the section's last key) when
 * only the section was, else a new section at the end.
 */
static int put_result(kmv_buf *out, const kmv_buf *body, bool found,
		      bool seen_section, size_t insert_at, const char *section,
		      const char *name, const char *value)
{
	int error = 0;

	if (found) {
		KMV_TRY(kmv_buf_put(out, body->ptr, body->size));
		goto done;
	}
	if (seen_section) {
		/* after the section's last key (or its header) */
		KMV_TRY(kmv_buf_put(out, body->ptr, insert_at));
		if (insert_at && body->ptr[insert_at - 1] != '\n')
			KMV_TRY(kmv_buf_putc(out, '\n'));
		KMV_TRY(kmv_buf_printf(out, "%s = %s\n", name, value));
		KMV_TRY(kmv_buf_put(out, body->ptr + insert_at,
				    body->size - insert_at));
		goto done;
	}
	KMV_TRY(kmv_buf_put(out, body->ptr, body->size));
	if (body->size && body->ptr[body->size - 1] != '\n')
		KMV_TRY(kmv_buf_putc(out, '\n'));
	KMV_TRY(kmv_buf_printf(out, "%s[%s]\n%s = %s\n", body->size ? "\n" : "",
			       section, name, value));
done:
	return error;
}

int kmv_ini_set(kmv_buf *out, const char *text, size_t len, const char *section,
		const char *name, const char *value)
{
	kmv_buf body = KMV_BUF_INIT;
	const char *p = text, *end = text + len;
	bool in_section = false, seen_section = false, found = false;
	bool continuing = false; /* after a line this call rewrote */
	size_t insert_at = 0;
	int error = 0;

	KMV_ASSERT_ARG(out && (text || !len) && section && name && value);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;
		const char *s = p, *e = nl ? nl : end, *eol = e;
		const char *sep;

		if (e > s && e[-1] == '\r')
			e--;
		eol = e; /* "\r\n", "\n" or nothing: kept as the line had it */
		trim_span(&s, &e);
		/* an indented line after the rewritten key: its old value */
		if (continuing && s > p && s < e && *s != ';' && *s != '#') {
			p = next;
			continue;
		}
		continuing = false;
		if (s == e || *s == ';' || *s == '#') {
			KMV_TRY(kmv_buf_put(&body, p, (size_t)(next - p)));
			p = next;
			continue;
		}
		if (*s == '[') {
			in_section = header_names(s, e, section);
			KMV_TRY(kmv_buf_put(&body, p, (size_t)(next - p)));
			if (in_section) {
				seen_section = true;
				insert_at = body.size;
			}
			p = next;
			continue;
		}
		sep = s;
		while (sep < e && *sep != '=' && *sep != ':')
			sep++;
		if (in_section && sep < e) {
			const char *ks = s, *ke = sep;

			trim_span(&ks, &ke);
			if (span_is(ks, ke, name)) {
				const char *comment = trailing_comment(sep + 1,
								       e);

				KMV_TRY(kmv_buf_put(&body, p, (size_t)(s - p)));
				KMV_TRY(kmv_buf_printf(&body, "%s = %s", name,
						       value));
				if (comment)
					KMV_TRY(kmv_buf_put(&body, comment,
							    (size_t)(e -
								     comment)));
				KMV_TRY(kmv_buf_put(&body, eol,
						    (size_t)(next - eol)));
				if (next == end && !nl)
					KMV_TRY(kmv_buf_putc(&body, '\n'));
				insert_at = body.size;
				found = continuing = true;
				p = next;
				continue;
			}
		}
		KMV_TRY(kmv_buf_put(&body, p, (size_t)(next - p)));
		if (in_section)
			insert_at = body.size;
		p = next;
	}
	error = put_result(out, &body, found, seen_section, insert_at, section,
			   name, value);
done:
	kmv_buf_dispose(&body);
	return error;
}
