/* SPDX-License-Identifier: MIT */
/*
 * Saved web pages and PDF files as sources (issue 13 point 3): the order
 * page a buyer saved from the browser (.html, .htm, "Save page as" in one
 * file: .mhtml), an order page printed to PDF or a PDF receipt.
 *
 *   HTML   libxml2's HTML parser (recovering, no network) to a tree, the
 *          tree to text: a line break at block elements and <br>, a tab
 *          between table cells, <script>/<style>/<template> dropped, the
 *          <title> kept apart as the page's "subject";
 *   MHTML  GMime parses the MIME container, its first text/html part is
 *          the page (transfer encoding and charset undone by GMime);
 *   PDF    poppler-glib's text of each page, pages joined by form feeds.
 *
 * The text goes through the extraction rules (rules.c, the same sets as
 * e-mails: the user's --rules first, then the built-ins) and yields one
 * receipt, source_kind `page` or `pdf`, linked by `match` like a mail.
 * The file itself is the source (the framework stored it with its
 * SHA-256), so the page travels in evidence bundles as it was saved.
 */
#include "common.h"
#include "kmv/i18n.h"
#include "import/confine.h"
#include "import/import.h"
#include "import/profile.h"
#include "import/readers.h"
#include "import/rules.h"
#include "kmvutil/array.h"
#include "kmvutil/hash.h"
#include "kmvutil/json.h"
#include "kmvutil/money.h"
#include "kmvutil/text.h"

#include <ctype.h>
#include <strings.h>

#include <gmime/gmime.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <poppler.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* Beyond this many pages a PDF is not a receipt (and may be a bomb). */
#define PDF_MAX_PAGES 200
/* Text kept from one source: a receipt never needs more. */
#define TEXT_MAX ((size_t)8 << 20)
/* Elements nested deeper than this are not walked (hostile pages). */
#define HTML_MAX_DEPTH 256

/* ---- HTML to text ------------------------------------------------------- */

struct walk {
	kmv_buf *out;
	kmv_buf title;
	bool space; /* a blank is pending */
	int error;
	int in_cell; /* inside a <td>/<th>: the row stays one line */
};

static bool is_block(const char *n)
{
	static const char *const blocks[] = {
		"p",          "div",   "tr",    "li",      "ul",      "ol",
		"table",      "tbody", "thead", "h1",      "h2",      "h3",
		"h4",         "h5",    "h6",    "section", "article", "header",
		"footer",     "dl",    "dt",    "dd",      "form",    "pre",
		"blockquote", "main",  "nav",   "aside",   "caption", "label",
		NULL
	};

	for (const char *const *b = blocks; *b; b++)
		if (strcasecmp(n, *b) == 0)
			return true;
	return false;
}

static void put(struct walk *w, const char *s, size_t n)
{
	if (w->error == 0 && w->out->size + n > TEXT_MAX) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "the page's text is over %zu MiB",
			      TEXT_MAX >> 20);
		w->error = KMV_EINPUT;
	}
	if (w->error == 0)
		w->error = kmv_buf_put(w->out, s, n);
}

static bool at_line_start(const struct walk *w)
{
	return w->out->size == 0 || w->out->ptr[w->out->size - 1] == '\n';
}

/* End the line (a table row's last cell leaves no TAB behind). */
static void newline(struct walk *w)
{
	w->space = false;
	while (w->out->size && w->out->ptr[w->out->size - 1] == '\t')
		kmv_buf_truncate(w->out, w->out->size - 1);
	if (!at_line_start(w))
		put(w, "\n", 1);
}

/* Text: runs of blanks become one (HTML's rendering), none at line start. */
static void text(struct walk *w, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
		    c == '\f') {
			w->space = true;
			continue;
		}
		/* U+00A0 (&nbsp;) renders as a blank too */
		if (c == 0xC2 && (unsigned char)s[1] == 0xA0) {
			w->space = true;
			s++;
			continue;
		}
		if (w->space && !at_line_start(w) &&
		    w->out->ptr[w->out->size - 1] != '\t')
			put(w, " ", 1);
		w->space = false;
		put(w, s, 1);
	}
}

static void walk_node(struct walk *w, xmlNode *n, int depth)
{
	for (; n && w->error == 0; n = n->next) {
		const char *name = (const char *)n->name;

		if (n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				text(w, (const char *)n->content);
			continue;
		}
		if (n->type != XML_ELEMENT_NODE || !name)
			continue;
		if (strcasecmp(name, "script") == 0 ||
		    strcasecmp(name, "style") == 0 ||
		    strcasecmp(name, "template") == 0 ||
		    strcasecmp(name, "noscript") == 0)
			continue;
		if (strcasecmp(name, "title") == 0) {
			xmlChar *t = xmlNodeGetContent(n);

			if (t && !w->title.size)
				w->error = kmv_buf_puts(&w->title,
							(const char *)t);
			xmlFree(t);
			continue;
		}
		bool cell = strcasecmp(name, "td") == 0 ||
			    strcasecmp(name, "th") == 0;

		if (strcasecmp(name, "br") == 0) {
			if (w->in_cell) {
				w->space = true;
				continue;
			}
			w->space = false;
			put(w, "\n", 1);
			continue;
		}
		if (depth >= HTML_MAX_DEPTH)
			continue;
		/*
		 * A table row is one line, its cells apart by TABs, whatever
		 * a cell holds (bootstrap-table puts <div>s in <th>, shops
		 * put a product's picture and name in <span>s or <div>s): an
		 * order list's rows stay rows (table_list()).
		 */
		if (is_block(name) && w->in_cell &&
		    strcasecmp(name, "table") != 0)
			w->space = true;
		else if (is_block(name))
			newline(w);
		w->in_cell += cell;
		walk_node(w, n->children, depth + 1);
		w->in_cell -= cell;
		if (cell) {
			w->space = false;
			put(w, "\t", 1);
		} else if (is_block(name) && w->in_cell &&
			   strcasecmp(name, "table") != 0) {
			w->space = true;
		} else if (is_block(name)) {
			newline(w);
		}
	}
}

int kmv_page__html_text(kmv_buf *out, kmv_buf *title, const char *html,
			size_t len, const char *charset)
{
	struct walk w = { out, KMV_BUF_INIT, false, 0, 0 };
	htmlDocPtr doc;
	int error = 0;

	if (len > INT_MAX) {
		kmv_error_set(KMV_ERROR_INPUT, "page too large");
		return KMV_EINPUT;
	}
	doc = htmlReadMemory(html, (int)len, NULL, charset,
			     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
				     HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
				     HTML_PARSE_NOBLANKS);
	if (!doc || !xmlDocGetRootElement(doc)) {
		kmv_error_set(KMV_ERROR_INPUT, "not an HTML page (the parser "
					       "found no document)");
		error = KMV_EINPUT;
		goto done;
	}
	walk_node(&w, xmlDocGetRootElement(doc), 0);
	newline(&w);
	error = w.error;
	if (!error && title) {
		/* the title on one line, blanks collapsed */
		struct walk t = { title, KMV_BUF_INIT, false, 0, 0 };

		text(&t, w.title.ptr);
		error = t.error;
		kmv_buf_dispose(&t.title);
	}
done:
	if (doc)
		xmlFreeDoc(doc);
	kmv_buf_dispose(&w.title);
	return error;
}

/* ---- MHTML: the first text/html part ------------------------------------ */

/*
 * The page: the first text/html part of a multipart message (`*it` walks
 * the parts, freed by the caller), or the message's one part; NULL when
 * there is none.
 */
static GMimeObject *html_part(GMimeObject *part, GMimePartIter **it)
{
	if (part && GMIME_IS_MULTIPART(part)) {
		*it = g_mime_part_iter_new(part);
		part = NULL;
		do {
			GMimeObject *p = g_mime_part_iter_get_current(*it);

			if (GMIME_IS_PART(p) &&
			    g_mime_content_type_is_type(
				    g_mime_object_get_content_type(p), "text",
				    "html")) {
				part = p;
				break;
			}
		} while (g_mime_part_iter_next(*it));
	}
	if (!part || !GMIME_IS_PART(part) ||
	    !g_mime_content_type_is_type(g_mime_object_get_content_type(part),
					 "text", "html"))
		return NULL;
	return part;
}

/* The part's bytes, its transfer encoding undone, and its charset. */
static int html_part_bytes(kmv_buf *html, char **charset, GMimeObject *part,
			   const kmv_import_file *file)
{
	GMimeDataWrapper *content = g_mime_part_get_content(GMIME_PART(part));
	GMimeStream *mem;
	GByteArray *bytes;
	const char *cs;
	int error = 0;

	if (!content)
		return kmv_sink__reject(file, 0,
					"saved web page with an "
					"empty HTML part");
	mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(content, mem);
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	KMV_TRY(kmv_buf_put(html, bytes->data, bytes->len));
	cs = g_mime_object_get_content_type_parameter(part, "charset");
	if (cs && !(*charset = strdup(cs)))
		error = kmv_error_nomem();
done:
	g_object_unref(mem);
	return error;
}

static int mhtml_html(kmv_buf *html, char **charset,
		      const kmv_import_file *file)
{
	GMimeStream *stream = g_mime_stream_mem_new_with_byte_array(
		g_byte_array_new());
	GMimeParser *parser = NULL;
	GMimeMessage *msg = NULL;
	GMimeObject *part = NULL;
	GMimePartIter *it = NULL;
	int error = 0;

	/* GMime counts its initializations: this and mail.c's may both run */
	static bool gmime_ready;

	if (!gmime_ready) {
		g_mime_init();
		gmime_ready = true;
	}
	g_mime_stream_write(stream, (const char *)file->data, file->len);
	g_mime_stream_seek(stream, 0, GMIME_STREAM_SEEK_SET);
	parser = g_mime_parser_new_with_stream(stream);
	msg = g_mime_parser_construct_message(parser, NULL);
	if (!msg) {
		error = kmv_sink__reject(file, 0,
					 "not a saved web page (MHTML "
					 "without a MIME structure)");
		goto done;
	}
	part = html_part(g_mime_message_get_mime_part(msg), &it);
	if (!part) {
		error = kmv_sink__reject(file, 0,
					 "saved web page without an "
					 "HTML part");
		goto done;
	}
	error = html_part_bytes(html, charset, part, file);
done:
	if (it)
		g_mime_part_iter_free(it);
	if (msg)
		g_object_unref(msg);
	if (parser)
		g_object_unref(parser);
	g_object_unref(stream);
	return error;
}

/* ---- PDF ----------------------------------------------------------------- */

/*
 * A page's text with the cells of a grid apart by TABs, as the HTML
 * walker writes a table row: poppler gives the text row by row with a
 * blank between words; where the blank (or no blank) spans a gap wider
 * than the glyphs are high, the words are in different columns (an
 * order list printed to PDF).  `rects` is poppler's box of each
 * character of `t` (poppler_page_get_text_layout); without them, or when
 * their count is not the text's, the text as it is.
 */
static int pdf_cells(kmv_buf *out, const char *t, const PopplerRectangle *r,
		     guint nr)
{
	size_t nchars = 0, n = strlen(t);
	const PopplerRectangle *prev = NULL;
	size_t ci = 0;
	int error = 0;

	for (size_t i = 0; i < n; i++)
		nchars += ((unsigned char)t[i] & 0xC0) != 0x80;
	if (!r || nr != nchars)
		return kmv_buf_put(out, t, n);
	for (size_t i = 0; i < n && !error; ci++) {
		size_t len = 1;
		char c = t[i];

		while (i + len < n &&
		       ((unsigned char)t[i + len] & 0xC0) == 0x80)
			len++;
		if (c == '\n') {
			prev = NULL;
			error = kmv_buf_putc(out, '\n');
		} else if (c == ' ' || c == '\t') {
			/* a run of blanks: one TAB at a column gap */
			size_t j = i, cj = ci;
			double h;

			while (j < n && (t[j] == ' ' || t[j] == '\t')) {
				j++;
				cj++;
			}
			h = prev ? prev->y2 - prev->y1 : 0;
			if (prev && j < n && t[j] != '\n' && cj < nr && h > 0 &&
			    r[cj].x1 - prev->x2 > h * 1.2)
				error = kmv_buf_putc(out, '\t');
			else
				error = kmv_buf_put(out, t + i, j - i);
			ci = cj - 1;
			len = j - i;
		} else {
			double h = prev ? prev->y2 - prev->y1 : 0;

			if (prev && h > 0 && r[ci].x1 - prev->x2 > h * 1.2 &&
			    r[ci].x1 > prev->x2)
				error = kmv_buf_putc(out, '\t');
			if (!error)
				error = kmv_buf_put(out, t + i, len);
			prev = &r[ci];
		}
		i += len;
	}
	return error;
}

int kmv_page__pdf_text(kmv_buf *out, kmv_buf *title, const uint8_t *data,
		       size_t len, const char *display)
{
	GBytes *bytes = g_bytes_new_static(data, len);
	GError *gerr = NULL;
	PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL,
							       &gerr);
	int pages, error = 0;

	(void)display; /* the caller's rejection names the file */
	if (!doc) {
		kmv_error_set(KMV_ERROR_INPUT, "not a readable PDF (%s)",
			      gerr && gerr->message ? gerr->message
						    : "poppler refused it");
		error = KMV_EINPUT;
		goto done;
	}
	pages = poppler_document_get_n_pages(doc);
	if (pages > PDF_MAX_PAGES) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "%d pages: more than the %d a "
			      "receipt or an order export can have",
			      pages, PDF_MAX_PAGES);
		error = KMV_EINPUT;
		goto done;
	}
	if (title) {
		gchar *t = poppler_document_get_title(doc);

		if (t)
			error = kmv_buf_puts(title, t);
		g_free(t);
		if (error < 0)
			goto done;
	}
	for (int i = 0; i < pages; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);
		gchar *t = page ? poppler_page_get_text(page) : NULL;
		PopplerRectangle *rects = NULL;
		guint nrects = 0;

		if (t && !poppler_page_get_text_layout(page, &rects, &nrects))
			nrects = 0;
		if (t) {
			size_t n = strlen(t);

			if (out->size + n > TEXT_MAX) {
				kmv_error_set(KMV_ERROR_INPUT,
					      "the text is over "
					      "%zu MiB",
					      TEXT_MAX >> 20);
				error = KMV_EINPUT;
			} else {
				error = pdf_cells(out, t, rects, nrects);
				if (!error)
					error = kmv_buf_putc(out, '\n');
			}
		}
		g_free(rects);
		g_free(t);
		if (page)
			g_object_unref(page);
		if (error < 0)
			goto done;
	}
done:
	if (doc)
		g_object_unref(doc);
	if (gerr)
		g_error_free(gerr);
	g_bytes_unref(bytes);
	return error;
}

/*
 * The text of a PDF read in a confined child (confine.c): a small file
 * whose content stream inflates to gigabytes (a PDF bomb) costs its
 * reader CPU time and memory, and poppler gives no decompressed size to
 * check first.  The child sends the title's length, the title and the
 * text; it stops at the text limit like the direct reader.
 */
#define PDF_CPU_SECONDS 20
#define PDF_WALL_SECONDS 90
#define PDF_MEMORY ((size_t)512 << 20)

struct pdf_job {
	const uint8_t *data;
	size_t len;
};

static int pdf_child(int fd, void *arg)
{
	const struct pdf_job *job = arg;
	kmv_buf text = KMV_BUF_INIT, title = KMV_BUF_INIT;
	int error = kmv_page__pdf_text(&text, &title, job->data, job->len,
				       NULL);
	const char *msg = error ? kmv_error_last() : "";
	uint32_t n[2] = { error ? 1u : 0u,
			  (uint32_t)(error ? strlen(msg) : title.size) };

	if (kmv_confine__send(fd, n, sizeof(n)) != 0 ||
	    kmv_confine__send(fd, error ? msg : title.ptr, n[1]) != 0 ||
	    (!error && kmv_confine__send(fd, text.ptr, text.size) != 0))
		error = KMV_ERROR;
	return error;
}

static int pdf_text_confined(kmv_buf *out, kmv_buf *title, const uint8_t *data,
			     size_t len)
{
	struct pdf_job job = { data, len };
	kmv_confine_limits lim = { PDF_CPU_SECONDS, PDF_WALL_SECONDS,
				   PDF_MEMORY, TEXT_MAX + 65536 };
	kmv_confine_outcome how;
	kmv_buf got = KMV_BUF_INIT;
	uint32_t n[2];
	int error = 0;

	KMV_TRY(kmv_confine__run(&got, &how, &lim, pdf_child, &job));
	if (how == KMV_CONFINE_OK && got.size >= sizeof(n)) {
		memcpy(n, got.ptr, sizeof(n));
		if (n[1] > got.size - sizeof(n))
			how = KMV_CONFINE_FAILED;
	} else if (how == KMV_CONFINE_OK) {
		how = KMV_CONFINE_FAILED;
	}
	if (how == KMV_CONFINE_TIME || how == KMV_CONFINE_MEMORY) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "reading this PDF's text needs more than %u s "
			      "of work or %zu MiB of memory: a PDF bomb (a "
			      "small file that inflates to gigabytes) or a "
			      "damaged file; not imported",
			      PDF_CPU_SECONDS, PDF_MEMORY >> 20);
		error = KMV_EINPUT;
		goto done;
	}
	if (how == KMV_CONFINE_OUTPUT) {
		kmv_error_set(KMV_ERROR_INPUT, "the text is over %zu MiB",
			      TEXT_MAX >> 20);
		error = KMV_EINPUT;
		goto done;
	}
	if (how != KMV_CONFINE_OK) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "not a readable PDF (its reader failed)");
		error = KMV_EINPUT;
		goto done;
	}
	if (n[0]) {
		/* the reader's own rejection, as the direct reader gives it */
		kmv_error_set(KMV_ERROR_INPUT, "%.*s", (int)n[1],
			      got.ptr + sizeof(n));
		error = KMV_EINPUT;
		goto done;
	}
	if (title)
		KMV_TRY(kmv_buf_put(title, got.ptr + sizeof(n), n[1]));
	KMV_TRY(kmv_buf_put(out, got.ptr + sizeof(n) + n[1],
			    got.size - sizeof(n) - n[1]));
done:
	kmv_buf_dispose_secure(&got);
	return error;
}

/* ---- the receipt ---------------------------------------------------------- */

static const char *no_header(const char *name, void *payload)
{
	(void)name;
	(void)payload;
	return NULL;
}

/* CRLF and lone CR to LF, for the rules' line anchors. */
static void normalize_lines(kmv_buf *b)
{
	size_t w = 0;

	for (size_t r = 0; r < b->size; r++) {
		if (b->ptr[r] == '\r') {
			b->ptr[w++] = '\n';
			if (r + 1 < b->size && b->ptr[r + 1] == '\n')
				r++;
		} else {
			b->ptr[w++] = b->ptr[r];
		}
	}
	b->size = w;
	if (b->ptr != kmv_buf__empty)
		b->ptr[w] = '\0';
}

/* The receipt's own fields: what the rules read, its key and its place. */
static int record_fields(kmv_record *rec, kmv_import_ctx *ctx,
			 const kmv_import_file *file, const kmv_rule_result *rr,
			 const char *kind, const char *title, int64_t line,
			 const char *status_raw)
{
	kmv_buf dedup = KMV_BUF_INIT;
	const char *amount = rr->fields[KMV_RF_AMOUNT];
	const char *when = rr->fields[KMV_RF_TIME];
	const char *platform = rr->fields[KMV_RF_PLATFORM]
				       ? rr->fields[KMV_RF_PLATFORM]
				       : rr->fields[KMV_RF_MERCHANT];
	char hex[KMV_SHA256_HEX_BUFSZ];
	int error = 0;

	rec->kind = KMV_KIND_RECEIPT;
	KMV_TRY(kmv_record_set(&rec->source_kind, kind));
	/* one page, one receipt: the same saved file adds nothing twice;
	 * an order list's receipts are told apart by their line */
	KMV_TRY(kmv_buf_printf(&dedup, "sha256:%s",
			       kmv_sha256_hex(hex, file->data, file->len)));
	if (line > 0)
		KMV_TRY(kmv_buf_printf(&dedup, ":%lld", (long long)line));
	KMV_TRY(kmv_record_set(&rec->dedup_key, dedup.ptr));
	KMV_TRY(kmv_rules__receipt_fields(rec, rr));
	KMV_TRY(kmv_record_set(&rec->status_raw, status_raw));
	KMV_TRY(kmv_record_set(&rec->platform, platform));
	KMV_TRY(kmv_record_set(&rec->merchant,
			       rr->fields[KMV_RF_MERCHANT]
				       ? rr->fields[KMV_RF_MERCHANT]
				       : platform));
	KMV_TRY(kmv_record_set(&rec->memo, title && *title ? title : NULL));
	if (amount) {
		if (kmv_money_parse(&rec->amount, amount) == 0)
			rec->has_amount = true;
		else
			kmv_sink__warn(ctx, file, 0,
				       "amount '%s' not understood", amount);
	}
	if (rr->fields[KMV_RF_QUANTITY])
		rec->quantity = strtoll(rr->fields[KMV_RF_QUANTITY], NULL, 10);
	if (when && kmv_time_parse(&rec->time, when, KMV_TZ_CST, NULL) == 0)
		rec->has_time = true;
	else if (when)
		kmv_sink__warn(ctx, file, 0, "time '%s' not understood", when);
	rec->source_id = file->source_id;
	rec->source_line = line;
done:
	kmv_buf_dispose(&dedup);
	return error;
}

/* extra_json's "origin": where each field came from, through which rule. */
static void extra_origin(kmv_json *j, const kmv_rule_result *rr,
			 const char *kind)
{
	static const char *const names[KMV_RF_COUNT] = {
		"order_no",    "amount",      "product", "quantity",
		"card_secret", "card_secret", "time",    "platform",
		"merchant",    "payment_no",  "contact"
	};

	kmv_json_key(j, "origin");
	kmv_json_object_begin(j);
	for (int f = 0; f < KMV_RF_COUNT; f++) {
		if (rr->fields[f] && f != KMV_RF_CARD_SECRET_BLOCK) {
			char o[160];

			snprintf(o, sizeof(o), "%s, rule %s",
				 !strcmp(kind, "pdf")     ? "PDF text"
				 : !strcmp(kind, "text")  ? "pasted text"
				 : !strcmp(kind, "image") ? "OCR text"
							  : "page text",
				 rr->set);
			kmv_json_kv_string(j, names[f], o);
		}
	}
	kmv_json_object_end(j);
}

/*
 * extra_json's "ocr_confidence" and "unverified": Tesseract's confidence
 * per field (that of the line it was read from); below the threshold a
 * field is unverified: shown so, and never used by `match`.
 */
static void extra_ocr(kmv_json *j, const kmv_rule_result *rr,
		      const kmv_ocr_lines *ocr, const char *text)
{
	static const struct {
		int f;
		const char *name;
	} of[] = {
		{ KMV_RF_ORDER_NO, "order_no" },
		{ KMV_RF_AMOUNT, "amount" },
		{ KMV_RF_TIME, "time" },
		{ KMV_RF_PRODUCT, "product" },
		{ KMV_RF_PLATFORM, "platform" },
		{ KMV_RF_PAYMENT_NO, "payment_no" },
	};

	kmv_json_key(j, "ocr_confidence");
	kmv_json_object_begin(j);
	for (size_t k = 0; k < KMV_ARRAY_SIZE(of); k++) {
		float c = kmv_ocr__lines_conf(ocr, text, rr->fields[of[k].f]);

		if (c >= 0)
			kmv_json_kv_int(j, of[k].name, (int64_t)(c + 0.5f));
	}
	kmv_json_object_end(j);
	kmv_json_key(j, "unverified");
	kmv_json_array_begin(j);
	for (size_t k = 0; k < KMV_ARRAY_SIZE(of); k++) {
		float c = kmv_ocr__lines_conf(ocr, text, rr->fields[of[k].f]);

		if (rr->fields[of[k].f] && c < KMV_OCR_MIN_CONF)
			kmv_json_string(j, of[k].name);
	}
	kmv_json_array_end(j);
}

static int record_page(kmv_import_ctx *ctx, const kmv_import_file *file,
		       const kmv_rule_result *rr, const char *kind,
		       const char *title, const kmv_ocr_lines *ocr,
		       const char *text, int64_t line, const char *status_raw)
{
	kmv_record rec = KMV_RECORD_INIT;
	kmv_buf extra = KMV_BUF_INIT;
	int64_t id;
	kmv_json j;
	int error = 0, rc;

	KMV_TRY(record_fields(&rec, ctx, file, rr, kind, title, line,
			      status_raw));
	/* where each field came from: this file, through this rule set */
	kmv_json_init(&j, &extra, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_string(&j, "rule", rr->set);
	kmv_json_kv_string(&j, "title", title && *title ? title : NULL);
	extra_origin(&j, rr, kind);
	if (ocr)
		extra_ocr(&j, rr, ocr, text);
	kmv_json_object_end(&j);
	KMV_TRY(kmv_json_finish(&j));
	KMV_TRY(kmv_record_set(&rec.extra_json, extra.ptr));
	rc = kmv_sink__add_record(&id, ctx, &rec);
	if (rc != KMV_EEXISTS)
		KMV_TRY(rc);
done:
	kmv_buf_dispose(&extra);
	kmv_record_dispose(&rec);
	return error;
}

/*
 * An order list (a shop's 订单查询 result, an order export printed to
 * PDF): two or more lines that start with an order-number label, each
 * starting one order's block (dujiaoka's orderinfo page shows one card per
 * order: 订单号：…, 商品名称：…, 实际支付价格：…).  Each block goes
 * through the rules alone and gives one receipt at its line.  Fewer than
 * two blocks with an order number each, or one number repeated, is one
 * page: *orders stays 0.
 */
#define LIST_LABEL                                                                      \
	"^[ \\t]*(?:订单号码|订单编号|订单号|Order\\s*(?:No\\.?|Number|ID))" \
	"\\s*[:：#]"
#define LIST_MAX_ORDERS 10000

static int order_list(kmv_import_ctx *ctx, const kmv_import_file *file,
		      const kmv_rules *rules, const kmv_mail_view *page,
		      const char *kname, const char *title, size_t *orders)
{
	const char *text = page->body;
	size_t len = strlen(text), *starts = NULL, n = 0, alloc = 0;
	kmv_rule_result *rrs = NULL;
	pcre2_code *re;
	pcre2_match_data *md = NULL;
	PCRE2_SIZE off = 0;
	int errcode, error = 0;
	bool several = false;

	*orders = 0;
	re = pcre2_compile((PCRE2_SPTR)LIST_LABEL, PCRE2_ZERO_TERMINATED,
			   PCRE2_UTF | PCRE2_MULTILINE | PCRE2_CASELESS,
			   &errcode, &off, NULL);
	if (!re || !(md = pcre2_match_data_create_from_pattern(re, NULL))) {
		error = kmv_error_nomem();
		goto done;
	}
	off = 0;
	while (off < len && n < LIST_MAX_ORDERS &&
	       pcre2_match(re, (PCRE2_SPTR)text, len, off, 0, md, NULL) > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

		if ((error = KMV_ARRAY_GROW(starts, alloc, n + 1)) < 0)
			goto done;
		starts[n++] = ov[0];
		off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
	}
	if (n < 2)
		goto done;
	if (!(rrs = calloc(n, sizeof(*rrs)))) {
		error = kmv_error_nomem();
		goto done;
	}
	for (size_t k = 0; k < n; k++) {
		size_t end = k + 1 < n ? starts[k + 1] : len;
		kmv_buf block = KMV_BUF_INIT;
		kmv_mail_view v = *page;
		int rc;

		rc = kmv_buf_put(&block, text + starts[k], end - starts[k]);
		if (rc == 0)
			rc = kmv_buf_putc(&block, '\n');
		v.body = block.ptr;
		if (rc == 0)
			rc = kmv_rules__apply(&rrs[k], rules, &v);
		kmv_buf_dispose_secure(&block);
		KMV_TRY(rc);
		if (rc != 1 || !rrs[k].fields[KMV_RF_ORDER_NO])
			goto done; /* a block without its order: not a list */
		if (k > 0 && strcmp(rrs[k].fields[KMV_RF_ORDER_NO],
				    rrs[0].fields[KMV_RF_ORDER_NO]) != 0)
			several = true;
	}
	if (!several)
		goto done;
	for (size_t k = 0; k < n; k++) {
		int64_t line = 1;

		for (size_t i = 0; i < starts[k]; i++)
			line += text[i] == '\n';
		KMV_TRY(record_page(ctx, file, &rrs[k], kname, title, NULL,
				    text, line, NULL));
	}
	*orders = n;
done:
	for (size_t k = 0; rrs && k < n; k++)
		kmv_rules__result_dispose(&rrs[k]);
	free(rrs);
	free(starts);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return error;
}

/*
 * An order list whose rows carry no labels: a shop's order-list page (a
 * <table>, one <tr> per order: the walker writes each row as one line,
 * cells apart by TABs) or the same list printed to PDF (pdf_cells()
 * puts the TABs at the grid's column gaps).  The header line is the
 * first whose cells the generic profile's synonyms read as an order
 * number and an amount and at least one more field (订单号 / 商品 / 金额 /
 * 状态 / 时间 …); each later line with a plausible order number and an
 * amount in those columns is one order, its status word normalized like
 * a shop export's (kmv_profile__status: 已支付 → paid, …; a 发货状态
 * column marking a paid order delivered makes it delivered).  Lines that
 * are no row (pagination, the header repeated on a printed page, page
 * footers) are passed over.  *orders stays 0 when there is no header or
 * no row.
 */
#define TABLE_MAX_CELLS 64

typedef struct table_line {
	char *cells[TABLE_MAX_CELLS];
	size_t n;
} table_line;

/* Split one line at its TABs (cells trimmed; `buf` is overwritten). */
static void table_split(table_line *tl, char *buf)
{
	char *p = buf;

	tl->n = 0;
	for (;;) {
		char *tab = strchr(p, '\t');

		if (tab)
			*tab = '\0';
		if (tl->n < TABLE_MAX_CELLS)
			tl->cells[tl->n++] = kmv_trim(p);
		if (!tab)
			break;
		p = tab + 1;
	}
}

/* An order number: 4..64 characters, no blank, at least one digit. */
static bool table_order_no(const char *s)
{
	size_t n = strlen(s);
	bool digit = false;

	if (n < 4 || n > 64)
		return false;
	for (const char *p = s; *p; p++) {
		if (*p == ' ')
			return false;
		digit |= isdigit((unsigned char)*p) != 0;
	}
	return digit;
}

/* "¥30", "￥15.5", "19.90元", "30.00 CNY" → "30", … (NULL: no amount). */
static char *table_amount(const char *s)
{
	kmv_buf b = KMV_BUF_INIT;
	int64_t fen;

	for (const char *p = s; *p; p++) {
		if (!strncmp(p, "\xC2\xA5", 2) ||
		    !strncmp(p, "\xEF\xBF\xA5", 3) ||
		    !strncmp(p, "\xE5\x85\x83", 3)) { /* ¥ ￥ 元 */
			p += (unsigned char)*p == 0xC2 ? 1 : 2;
			continue;
		}
		if (*p == ' ' || *p == ',')
			continue;
		if (!strncmp(p, "CNY", 3) || !strncmp(p, "RMB", 3)) {
			p += 2;
			continue;
		}
		if (kmv_buf_putc(&b, *p) < 0) {
			kmv_buf_dispose(&b);
			return NULL;
		}
	}
	if (!b.size || kmv_money_parse(&fen, b.ptr) != 0) {
		kmv_buf_dispose(&b);
		return NULL;
	}
	return kmv_buf_detach(&b);
}

static int table_field(kmv_rule_result *rr, int rf, const table_line *tl,
		       const kmv_profile_map *map, kmv_profile_field pf)
{
	int c = map->col[pf];
	const char *v;

	if (c < 0 || (size_t)c >= tl->n || rr->fields[rf])
		return 0;
	v = tl->cells[c];
	if (!*v || !strcmp(v, "-"))
		return 0;
	if (!(rr->fields[rf] = strdup(v)))
		return kmv_error_nomem();
	return 0;
}

/* A row's fields, each from its column under the header (first error). */
static int table_fields(kmv_rule_result *rr, const table_line *tl,
			const kmv_profile_map *map)
{
	static const struct {
		int rf;
		kmv_profile_field pf;
	} cols[] = {
		{ KMV_RF_ORDER_NO, KMV_PF_ORDER_NO },
		{ KMV_RF_PRODUCT, KMV_PF_PRODUCT },
		{ KMV_RF_QUANTITY, KMV_PF_QUANTITY },
		{ KMV_RF_TIME, KMV_PF_TIME },
		{ KMV_RF_TIME, KMV_PF_PAID_TIME },
		{ KMV_RF_PAYMENT_NO, KMV_PF_PAYMENT_NO },
		{ KMV_RF_MERCHANT, KMV_PF_MERCHANT },
		{ KMV_RF_PLATFORM, KMV_PF_PLATFORM },
		{ KMV_RF_CONTACT, KMV_PF_EMAIL },
	};
	int error = 0;

	for (size_t k = 0; k < KMV_ARRAY_SIZE(cols) && !error; k++)
		error = table_field(rr, cols[k].rf, tl, map, cols[k].pf);
	return error;
}

/*
 * A row's state from its status word and a second axis (acg-faka's
 * 发货状态), and both words as they stand in `raw` (empty: neither).
 */
static int table_state(kmv_rule_result *rr, kmv_buf *raw, const kmv_profile *p,
		       const kmv_profile_map *map, const table_line *tl)
{
	const char *st, *d;

	st = map->col[KMV_PF_STATUS] >= 0 &&
			     (size_t)map->col[KMV_PF_STATUS] < tl->n
		     ? tl->cells[map->col[KMV_PF_STATUS]]
		     : "";
	d = map->col[KMV_PF_DELIVERY_STATUS] >= 0 &&
			    (size_t)map->col[KMV_PF_DELIVERY_STATUS] < tl->n
		    ? tl->cells[map->col[KMV_PF_DELIVERY_STATUS]]
		    : "";
	rr->state = *st ? kmv_profile__status(p, st) : NULL;
	if (*d && !strcmp(kmv_profile__status(p, d), "delivered") &&
	    (!rr->state || !strcmp(rr->state, "paid") ||
	     !strcmp(rr->state, "processing") || !strcmp(rr->state, "unknown")))
		rr->state = "delivered";
	kmv_buf_clear(raw);
	if (*st || *d)
		return kmv_buf_printf(raw, *d ? "%s/%s" : "%s", st, d);
	return 0;
}

/*
 * The header: the first line whose cells the generic profile reads as an
 * order number, an amount and at least one more field.
 */
static bool table_header(kmv_profile_map *map, const kmv_profile *p,
			 const table_line *tl)
{
	kmv_profile__map_header(map, p, (const char *const *)tl->cells, tl->n,
				NULL);
	return tl->n >= 3 && map->col[KMV_PF_ORDER_NO] >= 0 &&
	       map->col[KMV_PF_AMOUNT] >= 0 && kmv_profile__map_score(map) >= 3;
}

/* The table being read: its profile, its header, the orders so far. */
struct table_run {
	kmv_import_ctx *ctx;
	const kmv_import_file *file;
	const char *text, *kname, *title;
	kmv_profile *p;
	kmv_profile_map map;
	kmv_buf raw;
	size_t orders;
};

/* A line under the header: one order's receipt, or no row (passed over). */
static int table_row(struct table_run *t, const table_line *tl, int64_t lineno)
{
	const kmv_profile_map *map = &t->map;
	kmv_rule_result rr;
	int error;

	if ((size_t)map->col[KMV_PF_ORDER_NO] >= tl->n ||
	    (size_t)map->col[KMV_PF_AMOUNT] >= tl->n ||
	    !table_order_no(tl->cells[map->col[KMV_PF_ORDER_NO]]))
		return 0;
	memset(&rr, 0, sizeof(rr));
	rr.set = "order-table";
	rr.fields[KMV_RF_AMOUNT] = table_amount(
		tl->cells[map->col[KMV_PF_AMOUNT]]);
	if (!rr.fields[KMV_RF_AMOUNT])
		return 0;
	error = table_fields(&rr, tl, map);
	if (!error)
		error = table_state(&rr, &t->raw, t->p, map, tl);
	if (!error)
		error = record_page(t->ctx, t->file, &rr, t->kname, t->title,
				    NULL, t->text, lineno,
				    t->raw.size ? t->raw.ptr : NULL);
	kmv_rules__result_dispose(&rr);
	if (error < 0)
		return error;
	t->orders++;
	return 0;
}

static int table_list(kmv_import_ctx *ctx, const kmv_import_file *file,
		      const char *text, const char *kname, const char *title,
		      size_t *orders, bool *list)
{
	struct table_run t = { .ctx = ctx,
			       .file = file,
			       .text = text,
			       .kname = kname,
			       .title = title,
			       .raw = KMV_BUF_INIT };
	kmv_buf line = KMV_BUF_INIT, header = KMV_BUF_INIT;
	table_line tl;
	bool have_header = false;
	int64_t lineno = 0;
	int error = 0;

	*orders = 0;
	*list = false;
	KMV_TRY(kmv_profile__load(&t.p, "generic"));
	for (const char *s = text; *s && t.orders < LIST_MAX_ORDERS;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);

		lineno++;
		kmv_buf_clear(&line);
		KMV_TRY(kmv_buf_put(&line, s, len));
		s += len + (nl != NULL);
		if (!memchr(line.ptr, '\t', line.size))
			continue;
		if (have_header && !strcmp(line.ptr, header.ptr))
			continue; /* the header again, on a printed page */
		table_split(&tl, line.ptr);
		if (have_header) {
			KMV_TRY(table_row(&t, &tl, lineno));
		} else if (table_header(&t.map, t.p, &tl)) {
			have_header = *list = true;
			KMV_TRY(kmv_buf_put(&header, s - len - (nl != NULL),
					    len));
		}
	}
done:
	*orders = t.orders;
	kmv_profile__free(t.p);
	kmv_buf_dispose_secure(&line);
	kmv_buf_dispose(&t.raw);
	kmv_buf_dispose(&header);
	return error;
}

/*
 * Phase 1: the page's text (and title, and for a screenshot its OCR
 * lines), or the file rejected as unreadable.
 */
static int page_text(kmv_import_ctx *ctx, const kmv_import_file *file,
		     kmv_page_kind kind, kmv_buf *html, char **charset,
		     kmv_buf *body, kmv_buf *title, kmv_ocr_lines *ocr)
{
	char why[512];
	int error = 0;

	if (kind == KMV_PAGE_PDF) {
		error = pdf_text_confined(body, title, file->data, file->len);
	} else if (kind == KMV_PAGE_MHTML) {
		KMV_TRY(mhtml_html(html, charset, file));
		error = kmv_page__html_text(body, title, html->ptr, html->size,
					    *charset);
	} else if (kind == KMV_PAGE_IMAGE) {
		/* a folder's pictures were OCR'd ahead on every core */
		if (!kmv_sink__ocr_take(ctx, file, body, ocr, &error))
			error = kmv_ocr__image(body, ocr, file->data,
					       file->len);
	} else if (kind == KMV_PAGE_TEXT) {
		error = kmv_text__to_utf8(body, file->data, file->len, "auto",
					  file->display);
		if (!error && body->size && body->ptr[body->size - 1] != '\n')
			error = kmv_buf_putc(body, '\n');
	} else {
		error = kmv_page__html_text(body, title,
					    (const char *)file->data, file->len,
					    NULL);
	}
	if (error != KMV_EINPUT)
		return error;
	/* in a folder, a picture that is no readable screenshot is skipped,
	 * and the warning says why (not "not a statement") */
	if (kind == KMV_PAGE_IMAGE)
		kmv_sink__unrecognized_because(
			ctx, _("skipped: not a readable image "
			       "(corrupt, truncated or too large a "
			       "PNG/JPEG)"));
	snprintf(why, sizeof(why), "%s", kmv_error_last());
	error = kmv_sink__reject(file, 0, "%s", why);
done:
	return error;
}

/* Phase 3, when no rule found an order number or an amount: the reason. */
static int reject_no_order(kmv_import_ctx *ctx, const kmv_import_file *file,
			   kmv_page_kind kind, bool list)
{
	/* plain text with nothing in it is no source of ours at all */
	if (kind == KMV_PAGE_TEXT)
		kmv_sink__unrecognized(ctx, true);
	if (kind == KMV_PAGE_IMAGE)
		kmv_sink__unrecognized_because(
			ctx, _("skipped: no order found in this "
			       "image"));
	return kmv_sink__reject(
		file, 0,
		"%s (no rule found an order "
		"number or an amount; keep it as "
		"evidence with 'kmvault attach ORDER "
		"FILE', or add a rule with --rules)",
		list                   ? _("an order list with no orders in it")
		: kind == KMV_PAGE_PDF ? _("no order found in this PDF")
		: kind == KMV_PAGE_IMAGE ? _("no order found in this image")
		: kind == KMV_PAGE_TEXT
			? _("not a supported source: no order, "
			    "statement or table found in this text")
			: _("no order found in this page"));
}

/* Phase 4: the page's source row: its kind, records, title and rule. */
static int page_info(kmv_import_ctx *ctx, const kmv_import_file *file,
		     const char *kname, const kmv_buf *title, const char *rule,
		     int records)
{
	kmv_buf meta = KMV_BUF_INIT;
	kmv_json j;
	int error = 0;

	kmv_json_init(&j, &meta, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_string(&j, "title", title->size ? title->ptr : NULL);
	kmv_json_kv_string(&j, "rule", rule);
	kmv_json_object_end(&j);
	KMV_TRY(kmv_json_finish(&j));
	KMV_TRY(kmv_sink__set_source_info(ctx, file->source_id, kname, records,
					  meta.ptr));
done:
	kmv_buf_dispose(&meta);
	return error;
}

int kmv_import__page(kmv_import_ctx *ctx, const kmv_import_file *file,
		     kmv_page_kind kind)
{
	kmv_buf html = KMV_BUF_INIT, body = KMV_BUF_INIT, title = KMV_BUF_INIT;
	kmv_rules *rules = NULL;
	kmv_rule_result rr;
	kmv_mail_view view;
	char *charset = NULL;
	const char *kname = kind == KMV_PAGE_PDF     ? "pdf"
			    : kind == KMV_PAGE_TEXT  ? "text"
			    : kind == KMV_PAGE_IMAGE ? "image"
						     : "page";
	kmv_ocr_lines ocr = { 0 };
	bool list = false; /* an order list's header, and no order under it */
	int error = 0, rc = 0;

	memset(&rr, 0, sizeof(rr));
	KMV_TRY(kmv_sink__set_kind(ctx, kname));
	KMV_TRY(page_text(ctx, file, kind, &html, &charset, &body, &title,
			  &ocr));
	normalize_lines(&body);
	KMV_TRY(kmv_rules__load_pages(&rules,
				      kmv_sink__options(ctx)->rules_file));
	view.subject = title.ptr;
	view.from = "";
	view.body = body.ptr;
	view.header = no_header;
	view.payload = NULL;
	/* Phase 2: an order table or list, else one receipt by the rules. */
	if (kind != KMV_PAGE_IMAGE) {
		size_t orders = 0;

		KMV_TRY(table_list(ctx, file, body.ptr, kname, title.ptr,
				   &orders, &list));
		if (orders > 0) {
			rr.set = "order-table";
			rc = (int)orders;
			goto info;
		}
		KMV_TRY(order_list(ctx, file, rules, &view, kname, title.ptr,
				   &orders));
		if (orders > 0) {
			rr.set = "order-list";
			rc = (int)orders;
			goto info;
		}
	}
	KMV_TRY(rc = kmv_rules__apply(&rr, rules, &view));
	if (rc != 1 ||
	    (!rr.fields[KMV_RF_ORDER_NO] && !rr.fields[KMV_RF_AMOUNT])) {
		error = reject_no_order(ctx, file, kind, list);
		goto done;
	}
	KMV_TRY(record_page(ctx, file, &rr, kname, title.ptr,
			    kind == KMV_PAGE_IMAGE ? &ocr : NULL, body.ptr, 0,
			    NULL));
	rc = 1;
info:
	error = page_info(ctx, file, kname, &title, rr.set, rc);
done:
	kmv_rules__result_dispose(&rr);
	kmv_rules__free(rules);
	kmv_ocr__lines_dispose(&ocr);
	free(charset);
	kmv_buf_dispose_secure(&html);
	kmv_buf_dispose_secure(&body);
	kmv_buf_dispose(&title);
	return error;
}
