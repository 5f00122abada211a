/* SPDX-License-Identifier: MIT */
/*
 * E-mail receipts: .eml files, mbox files (several messages) and Maildir
 * files (each one an .eml; session.c walks cur/ and new/).  GMime 3 does
 * all the MIME work: structure, RFC 2047 headers, quoted-printable and
 * base64, and iconv charsets (GB2312/GBK are read as their superset
 * GB18030).  The body the rules see is text/plain when there is one,
 * else the HTML part as text by libxml2 (kmv_page__html_text).
 *
 * Each message becomes one receipt record, deduplicated by Message-ID
 * (else by the SHA-256 of the message); a message no rule understands is
 * kept as a source and counted as unrecognized, which is not an error.
 */
#include "common.h"
#include "import/import.h"
#include "import/rules.h"
#include "kmvutil/json.h"
#include "kmvutil/money.h"
#include "kmvutil/hash.h"

#include <ctype.h>
#include <gmime/gmime.h>

static void mail_init(void)
{
	static bool done;

	if (!done) {
		g_mime_init();
		done = true;
	}
}

/* iconv name for a declared charset: the GB family read as GB18030. */
static const char *charset_name(const char *cs)
{
	static const char *const gb[] = {
		"gb2312", "gbk",         "x-gbk",  "gb_2312-80", "cp936",
		"ms936",  "windows-936", "euc-cn", "csgb2312",   "gb18030",
	};

	if (!cs || !*cs)
		return NULL;
	for (size_t i = 0; i < KMV_ARRAY_SIZE(gb); i++)
		if (g_ascii_strcasecmp(cs, gb[i]) == 0)
			return "GB18030";
	if (g_ascii_strcasecmp(cs, "big5") == 0 ||
	    g_ascii_strcasecmp(cs, "x-big5") == 0)
		return "BIG5";
	return g_mime_charset_iconv_name(cs);
}

/* Decoded bytes of a text part as UTF-8 (appended to out). */
static int part_text(kmv_buf *out, GMimePart *part)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeStream *mem;
	GByteArray *bytes;
	const char *cs;
	char *conv = NULL;
	gsize written = 0;
	int error = 0;

	if (!content)
		return 0;
	mem = g_mime_stream_mem_new();
	if (g_mime_data_wrapper_write_to_stream(content, mem) < 0) {
		g_object_unref(mem);
		return 0;
	}
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	cs = charset_name(
		g_mime_object_get_content_type_parameter(GMIME_OBJECT(part),
							 "charset"));
	if (cs && g_ascii_strcasecmp(cs, "utf-8") != 0 &&
	    g_ascii_strcasecmp(cs, "us-ascii") != 0)
		conv = g_convert((const char *)bytes->data, (gssize)bytes->len,
				 "UTF-8", cs, NULL, &written, NULL);
	if (!conv && !g_utf8_validate((const char *)bytes->data,
				      (gssize)bytes->len, NULL))
		conv = g_convert((const char *)bytes->data, (gssize)bytes->len,
				 "UTF-8", "GB18030", NULL, &written, NULL);
	if (!conv && !g_utf8_validate((const char *)bytes->data,
				      (gssize)bytes->len, NULL)) {
		conv = g_utf8_make_valid((const char *)bytes->data,
					 (gssize)bytes->len);
		written = conv ? strlen(conv) : 0;
	}
	if (conv)
		error = kmv_buf_put(out, conv, written);
	else
		error = kmv_buf_put(out, bytes->data, bytes->len);
	g_free(conv);
	g_object_unref(mem);
	return error;
}

struct body_parts {
	GMimePart *plain;
	GMimePart *html;
};

static void find_parts(GMimeObject *o, struct body_parts *b)
{
	GMimeContentType *ct;

	if (!o)
		return;
	if (GMIME_IS_MULTIPART(o)) {
		GMimeMultipart *mp = GMIME_MULTIPART(o);
		int n = g_mime_multipart_get_count(mp);

		for (int i = 0; i < n; i++)
			find_parts(g_mime_multipart_get_part(mp, i), b);
		return;
	}
	if (!GMIME_IS_PART(o) || g_mime_part_is_attachment(GMIME_PART(o)))
		return;
	ct = g_mime_object_get_content_type(o);
	if (!ct)
		return;
	if (!b->plain && g_mime_content_type_is_type(ct, "text", "plain"))
		b->plain = GMIME_PART(o);
	else if (!b->html && g_mime_content_type_is_type(ct, "text", "html"))
		b->html = GMIME_PART(o);
}

/* The body as the rules see it: '\n' line ends, ending in '\n'. */
static int message_body(kmv_buf *out, GMimeMessage *msg)
{
	struct body_parts b = { NULL, NULL };
	kmv_buf text = KMV_BUF_INIT;
	int error = 0;

	find_parts(g_mime_message_get_mime_part(msg), &b);
	if (b.plain) {
		KMV_TRY(part_text(&text, b.plain));
		for (size_t i = 0; i < text.size; i++)
			if (text.ptr[i] != '\r')
				KMV_TRY(kmv_buf_putc(out, text.ptr[i]));
	} else if (b.html) {
		KMV_TRY(part_text(&text, b.html));
		/* GMime gave UTF-8; an empty part is an empty body, not an
		 * error (the rules then find no order) */
		error = kmv_page__html_text(out, NULL, text.ptr, text.size,
					    "UTF-8");
		if (error == KMV_EINPUT && text.size == 0)
			error = 0;
		if (error < 0)
			goto done;
	}
	if (out->size == 0 || out->ptr[out->size - 1] != '\n')
		KMV_TRY(kmv_buf_putc(out, '\n'));
done:
	kmv_buf_dispose_secure(&text);
	return error;
}

struct mail_run {
	kmv_import_ctx *ctx;
	const kmv_import_file *file;
	kmv_rules *rules;
	GMimeParserOptions *popts;
	int64_t messages;
	int64_t recognized;
};

struct header_ctx {
	GMimeMessage *msg;
	char *last;
};

static const char *get_header(const char *name, void *payload)
{
	struct header_ctx *h = payload;
	const char *raw;

	g_free(h->last);
	h->last = NULL;
	raw = g_mime_object_get_header(GMIME_OBJECT(h->msg), name);
	if (!raw)
		return NULL;
	h->last = g_mime_utils_header_decode_text(NULL, raw);
	return h->last;
}

static int date_time(kmv_time *out, GDateTime *dt)
{
	if (!dt)
		return KMV_EINPUT;
	out->epoch = g_date_time_to_unix(dt);
	out->offset_min = (int)(g_date_time_get_utc_offset(dt) /
				G_TIME_SPAN_MINUTE);
	return 0;
}

/* Platform when no rule named one: the sender's name, else its domain. */
static char *sender_platform(GMimeMessage *msg)
{
	InternetAddressList *from = g_mime_message_get_from(msg);
	InternetAddress *ia;
	const char *name, *at;

	if (!from || internet_address_list_length(from) < 1)
		return NULL;
	ia = internet_address_list_get_address(from, 0);
	name = internet_address_get_name(ia);
	if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
		const char *addr = internet_address_mailbox_get_addr(
			INTERNET_ADDRESS_MAILBOX(ia));

		if (addr && (at = strchr(addr, '@')) != NULL && at[1])
			return strdup(at + 1);
	}
	return name && *name ? strdup(name) : NULL;
}

/*
 * The contact a mail went to, as shops store it (acg-faka's `contact`):
 * the bare address of "Name <a@b.c>", lower-cased (g_free it); NULL
 * when the text is no address.
 */
static char *mail_contact(const char *text)
{
	InternetAddressList *list = internet_address_list_parse(NULL, text);
	InternetAddress *ia = list && internet_address_list_length(list) > 0
				      ? internet_address_list_get_address(list,
									  0)
				      : NULL;
	char *addr = NULL;

	if (ia && INTERNET_ADDRESS_IS_MAILBOX(ia))
		addr = g_ascii_strdown(internet_address_mailbox_get_addr(
					       INTERNET_ADDRESS_MAILBOX(ia)),
				       -1);
	if (list)
		g_object_unref(list);
	return addr;
}

static int record_receipt(struct mail_run *m, GMimeMessage *msg,
			  const kmv_rule_result *rr, const char *subject,
			  const char *from, const char *dedup,
			  int64_t source_id, int64_t line)
{
	kmv_import_ctx *ctx = m->ctx;
	kmv_record rec = KMV_RECORD_INIT;
	kmv_buf extra = KMV_BUF_INIT;
	const char *msgid = g_mime_message_get_message_id(msg);
	const char *amount = rr->fields[KMV_RF_AMOUNT];
	const char *qty = rr->fields[KMV_RF_QUANTITY];
	const char *when = rr->fields[KMV_RF_TIME];
	char *platform = NULL, *contact = NULL;
	kmv_json j;
	int error = 0;

	rec.kind = KMV_KIND_RECEIPT;
	KMV_TRY(kmv_record_set(&rec.source_kind, "email"));
	KMV_TRY(kmv_record_set(&rec.dedup_key, dedup));
	KMV_TRY(kmv_rules__receipt_fields(&rec, rr));
	KMV_TRY(kmv_record_set(&rec.memo, subject));
	if (rr->fields[KMV_RF_PLATFORM])
		platform = strdup(rr->fields[KMV_RF_PLATFORM]);
	else if (rr->fields[KMV_RF_MERCHANT])
		platform = strdup(rr->fields[KMV_RF_MERCHANT]);
	else
		platform = sender_platform(msg);
	KMV_TRY(kmv_record_set(&rec.platform, platform));
	KMV_TRY(kmv_record_set(&rec.merchant,
			       rr->fields[KMV_RF_MERCHANT]
				       ? rr->fields[KMV_RF_MERCHANT]
				       : platform));
	if (amount) {
		if (kmv_money_parse(&rec.amount, amount) == 0)
			rec.has_amount = true;
		else
			kmv_sink__warn(ctx, m->file, line,
				       "message %s: "
				       "amount '%s' not understood",
				       dedup, amount);
	}
	if (qty)
		rec.quantity = strtoll(qty, NULL, 10);
	/* A time found in the body wins; else (or if unreadable) Date:. */
	if (when && !rr->time_from_header &&
	    kmv_time_parse(&rec.time, when, KMV_TZ_CST, NULL) == 0)
		rec.has_time = true;
	if (!rec.has_time &&
	    date_time(&rec.time, g_mime_message_get_date(msg)) == 0)
		rec.has_time = true;
	rec.source_id = source_id;
	rec.source_line = line;
	kmv_json_init(&j, &extra, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_string(&j, "message_id", msgid);
	kmv_json_kv_string(&j, "subject", subject);
	kmv_json_kv_string(&j, "from", from);
	kmv_json_kv_string(&j, "rule", rr->set);
	if (rr->fields[KMV_RF_CONTACT]) {
		contact = mail_contact(rr->fields[KMV_RF_CONTACT]);
		kmv_json_kv_string(&j, "email",
				   contact ? contact
					   : rr->fields[KMV_RF_CONTACT]);
	}
	kmv_json_object_end(&j);
	KMV_TRY(kmv_json_finish(&j));
	KMV_TRY(kmv_record_set(&rec.extra_json, extra.ptr));
	/* No id is needed back: batched like statement rows (batch.c), so
	 * 100k messages are not 100k INSERTs each flushing the FTS index. */
	KMV_TRY(kmv_batch__queue_record(ctx, &rec));
done:
	free(platform);
	g_free(contact);
	kmv_buf_dispose(&extra);
	kmv_record_dispose(&rec);
	return error;
}

/*
 * One message: `raw` is its bytes (for the child source of an mbox and
 * the hash fallback of the dedup key); `source_id` its source.
 */
static int import_message(struct mail_run *m, GMimeMessage *msg,
			  const char *raw, size_t rawlen, int64_t source_id,
			  int64_t line)
{
	kmv_import_ctx *ctx = m->ctx;
	struct header_ctx hc = { msg, NULL };
	kmv_buf body = KMV_BUF_INIT, dedup = KMV_BUF_INIT, meta = KMV_BUF_INIT;
	kmv_rule_result rr;
	kmv_mail_view view;
	const char *msgid = g_mime_message_get_message_id(msg);
	const char *subject = g_mime_message_get_subject(msg);
	InternetAddressList *froms = g_mime_message_get_from(msg);
	char *from = froms ? internet_address_list_to_string(froms, NULL, FALSE)
			   : NULL;
	char hex[KMV_SHA256_HEX_BUFSZ];
	kmv_json j;
	int error = 0, rc;

	memset(&rr, 0, sizeof(rr));
	m->messages++;
	KMV_TRY(message_body(&body, msg));
	if (msgid && *msgid)
		KMV_TRY(kmv_buf_printf(&dedup, "<%s>", msgid));
	else
		KMV_TRY(kmv_buf_printf(&dedup, "sha256:%s",
				       kmv_sha256_hex(hex, raw, rawlen)));
	view.subject = subject ? subject : "";
	view.from = from ? from : "";
	view.body = body.ptr;
	view.header = get_header;
	view.payload = &hc;
	KMV_TRY(rc = kmv_rules__apply(&rr, m->rules, &view));
	if (rc == 1) {
		m->recognized++;
		KMV_TRY(record_receipt(m, msg, &rr, subject, from, dedup.ptr,
				       source_id, line));
	} else {
		kmv_sink__count_unrecognized(ctx);
		kmv_sink__warn(ctx, m->file, line,
			       "message %s (\"%s\"): no "
			       "rule understood it; kept as a source",
			       dedup.ptr, view.subject);
	}
	kmv_json_init(&j, &meta, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_string(&j, "message_id", msgid);
	kmv_json_kv_string(&j, "subject", subject);
	kmv_json_kv_string(&j, "from", from);
	if (rc == 1)
		kmv_json_kv_string(&j, "rule", rr.set);
	else
		kmv_json_kv_bool(&j, "unrecognized", true);
	kmv_json_object_end(&j);
	KMV_TRY(kmv_json_finish(&j));
	KMV_TRY(kmv_sink__set_source_info(ctx, source_id, "email", rc == 1,
					  meta.ptr));
done:
	g_free(hc.last);
	g_free(from);
	kmv_rules__result_dispose(&rr);
	kmv_buf_dispose_secure(&body);
	kmv_buf_dispose(&dedup);
	kmv_buf_dispose(&meta);
	return error;
}

/*
 * The line number of offset `off`, counting on from the last call's
 * offset (*counted, *line): messages come in file order, so an mbox is
 * scanned once, not once per message (100k messages took minutes).
 */
static int64_t line_of(const char *data, size_t off, size_t *counted,
		       int64_t *line)
{
	const char *p, *end = data + off;

	if (off < *counted) { /* out of order: count from the start */
		*counted = 0;
		*line = 1;
	}
	for (p = data + *counted;
	     p < end && (p = memchr(p, '\n', (size_t)(end - p))); p++)
		(*line)++;
	*counted = off;
	return *line;
}

/*
 * Message `index` (1-based) of an mbox: its bytes run from its "From "
 * line at `start` to `end`; without that line it is a child source.
 */
static int import_mbox_message(struct mail_run *m, GMimeMessage *msg,
			       size_t index, size_t start, size_t end,
			       size_t *counted, int64_t *line)
{
	const kmv_import_file *file = m->file;
	const char *data = (const char *)file->data;
	size_t from = start;
	const char *nl;
	char name[512];
	int64_t child;
	int error;

	if (start > file->len || end > file->len || end < start)
		return kmv_sink__reject(file, 0, "damaged mbox");
	nl = memchr(data + start, '\n', end - start);
	if (nl)
		start = (size_t)(nl - data) + 1;
	snprintf(name, sizeof(name), "%s#%zu", file->name, index);
	KMV_TRY(kmv_sink__add_source(&child, m->ctx, "email", name,
				     data + start, end - start,
				     file->source_id));
	KMV_TRY(import_message(m, msg, data + start, end - start, child,
			       line_of(data, from, counted, line)));
done:
	return error;
}

/*
 * One message at a time: a message ends where the next one's "From "
 * line starts, so each is imported as soon as the next is parsed and then
 * dropped.  At most two parsed messages exist at once, whatever the size
 * of the mbox (all 100k of them used to be parsed first).
 */
static int import_mbox(struct mail_run *m, GMimeParser *parser)
{
	const kmv_import_file *file = m->file;
	GMimeMessage *pending = NULL;
	size_t n = 0, pending_start = 0, counted = 0;
	int64_t line = 1;
	int error = 0;

	while (!g_mime_parser_eos(parser)) {
		GMimeMessage *msg = g_mime_parser_construct_message(parser,
								    m->popts);
		gint64 off;

		if (!msg)
			break;
		off = g_mime_parser_get_mbox_marker_offset(parser);
		if (pending) {
			error = import_mbox_message(m, pending, n,
						    pending_start,
						    off >= 0 ? (size_t)off
							     : file->len,
						    &counted, &line);
			g_object_unref(pending);
			pending = NULL;
			if (error < 0) {
				g_object_unref(msg);
				goto done;
			}
		}
		pending = msg;
		pending_start = off >= 0 ? (size_t)off : 0;
		n++;
	}
	if (n == 0) {
		error = kmv_sink__reject(file, 1, "no message in this mbox");
		goto done;
	}
	error = import_mbox_message(m, pending, n, pending_start, file->len,
				    &counted, &line);
done:
	if (pending)
		g_object_unref(pending);
	return error;
}

int kmv_import__mail(kmv_import_ctx *ctx, const kmv_import_file *file)
{
	struct mail_run m;
	const char *fallback[] = { "utf-8", "gb18030", "iso-8859-1", NULL };
	GMimeStream *stream = NULL;
	GMimeParser *parser = NULL;
	bool mbox = file->len > 5 && memcmp(file->data, "From ", 5) == 0;
	kmv_buf meta = KMV_BUF_INIT;
	int error = 0;

	memset(&m, 0, sizeof(m));
	m.ctx = ctx;
	m.file = file;
	if (!kmv_mail__sniff(file->data, file->len))
		return kmv_sink__reject(file, 1,
					"not an e-mail message (no "
					"RFC 5322 header block) nor an mbox");
	mail_init();
	KMV_TRY(kmv_rules__load(&m.rules, kmv_sink__options(ctx)->rules_file));
	m.popts = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(m.popts, fallback);
	stream = g_mime_stream_mem_new_with_buffer((const char *)file->data,
						   file->len);
	parser = g_mime_parser_new_with_stream(stream);
	if (mbox) {
		g_mime_parser_set_format(parser, GMIME_FORMAT_MBOX);
		KMV_TRY(import_mbox(&m, parser));
		KMV_TRY(kmv_buf_printf(&meta,
				       "{\"messages\":%lld,"
				       "\"recognized\":%lld}",
				       (long long)m.messages,
				       (long long)m.recognized));
		KMV_TRY(kmv_sink__set_source_info(ctx, file->source_id, "mbox",
						  m.messages, meta.ptr));
	} else {
		GMimeMessage *msg;

		g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
		msg = g_mime_parser_construct_message(parser, m.popts);
		if (!msg) {
			error = kmv_sink__reject(file, 0,
						 "cannot parse the "
						 "e-mail message");
			goto done;
		}
		error = import_message(&m, msg, (const char *)file->data,
				       file->len, file->source_id, 0);
		g_object_unref(msg);
		if (error < 0)
			goto done;
	}
	KMV_TRY(kmv_batch__flush_records(ctx));
	error = kmv_sink__set_kind(ctx, "email");
done:
	if (error < 0)
		kmv_batch__drop_records(ctx); /* none of a rejected file */
	if (parser)
		g_object_unref(parser);
	if (stream)
		g_object_unref(stream);
	if (m.popts)
		g_mime_parser_options_free(m.popts);
	kmv_rules__free(m.rules);
	kmv_buf_dispose(&meta);
	return error;
}
