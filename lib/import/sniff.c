/* SPDX-License-Identifier: MIT */
/*
 * The e-mail and page sniffers (import.h): byte checks only, so they live
 * in the kmvault binary, not in kmvault-pages.so with mail.c and page.c.
 * Detection (detect.c) asks them about every file; a CSV or XLSX
 * statement is told apart without loading GMime, libxml2, poppler and
 * Tesseract (issue 17; t0004 checks it).
 */
#include "common.h"
#include "import/import.h"

#include <strings.h>

/* Header lines looked at by the sniffer before giving up. */
#define SNIFF_MAX_LINES 200

static bool header_name(const char *s, size_t n, size_t *name_len)
{
	size_t i = 0;

	while (i < n && s[i] > ' ' && s[i] < 127 && s[i] != ':')
		i++;
	*name_len = i;
	return i > 0 && i < n && s[i] == ':';
}

/*
 * An RFC 5322 header block: "Name: value" lines (folded lines allowed)
 * up to a blank line, with at least two of the usual header names.  An
 * mbox starts with a "From " separator line before such a block.
 */
bool kmv_mail__sniff(const uint8_t *data, size_t len)
{
	static const char *const known[] = {
		"from",         "to",
		"subject",      "date",
		"message-id",   "received",
		"mime-version", "return-path",
		"delivered-to", "content-type",
		"reply-to",     "cc",
		"x-mailer",     "dkim-signature",
		"sender",
	};
	const char *s = (const char *)data, *end = s + len;
	int nknown = 0, lines = 0;

	if (len > 5 && memcmp(s, "From ", 5) == 0) {
		const char *nl = memchr(s, '\n', len);

		if (!nl)
			return false;
		s = nl + 1;
	}
	while (s < end && lines++ < SNIFF_MAX_LINES) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s), name_len;

		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (n == 0)
			return nknown >= 2;
		if (s[0] == ' ' || s[0] == '\t') {
			if (lines == 1)
				return false;
		} else if (!header_name(s, n, &name_len)) {
			return false;
		} else {
			for (size_t i = 0; i < KMV_ARRAY_SIZE(known); i++)
				if (strlen(known[i]) == name_len &&
				    strncasecmp(s, known[i], name_len) == 0)
					nknown++;
		}
		if (!nl)
			break;
		s = nl + 1;
	}
	return false;
}

/* ---- pages ------------------------------------------------------------- */

static bool ends_with(const char *name, const char *ext)
{
	size_t n = name ? strlen(name) : 0, e = strlen(ext);

	return n > e && strcasecmp(name + n - e, ext) == 0;
}

static bool starts_ci(const uint8_t *p, size_t len, const char *word)
{
	size_t n = strlen(word);

	return len >= n && strncasecmp((const char *)p, word, n) == 0;
}

/* After a BOM and blanks. */
static const uint8_t *skip_lead(const uint8_t *p, size_t *len)
{
	if (*len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		p += 3;
		*len -= 3;
	}
	while (*len && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
		p++;
		(*len)--;
	}
	return p;
}

static bool has(const uint8_t *p, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	if (len > 4096)
		len = 4096; /* the header block of a single-file save */
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(p + i, needle, n) == 0)
			return true;
	return false;
}

kmv_page_kind kmv_page__sniff(const uint8_t *data, size_t len, const char *name)
{
	const uint8_t *p = skip_lead(data, &len);

	if (len >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return KMV_PAGE_PDF;
	if (len >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0)
		return KMV_PAGE_IMAGE;
	if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
		return KMV_PAGE_IMAGE;
	if (ends_with(name, ".mhtml") || ends_with(name, ".mht"))
		return KMV_PAGE_MHTML;
	/* Chrome's and Firefox's single-file saves */
	if (has(p, len, "Snapshot-Content-Location:") ||
	    (has(p, len, "multipart/related") && has(p, len, "text/html")))
		return KMV_PAGE_MHTML;
	if (starts_ci(p, len, "<!doctype html") || starts_ci(p, len, "<html") ||
	    ((ends_with(name, ".html") || ends_with(name, ".htm")) && len &&
	     *p == '<'))
		return KMV_PAGE_HTML;
	return KMV_PAGE_NONE;
}
