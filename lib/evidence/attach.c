/* SPDX-License-Identifier: MIT */
/*
 * Attachments: evidence users hold outside any statement (screenshots,
 * chat exports, a platform's rules page), stored in the vault with their
 * SHA-256, a MIME type, the time and a note, hung on an order record or a
 * case.  libmagic is not available, so the type comes from the first
 * bytes of well-known formats and then from the file name.
 *
 * ORDER_NO|CASE_ID resolution (shared with bundles): an order number (or
 * a merchant order number or payment number) of a live record wins; an
 * integer that is no such number names a case.
 */
#include "common.h"
#include "evidence/bag.h"
#include "kmv/resolve.h"
#include "store/vault.h"
#include "store/db.h"

#include <strings.h>

#include "kmvutil/json.h"
#include "kmvutil/datetime.h"
#include "kmvutil/file.h"
#include "kmvutil/hash.h"
#include "kmvutil/text.h"

#define MAX_ATTACHMENT ((size_t)64 << 20)

void kmv_evidence__target_dispose(kmv_evidence_target *t)
{
	free(t->order_no);
	memset(t, 0, sizeof(*t));
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int kmv_evidence__resolve(kmv_evidence_target *out, kmv_vault *vault,
			  const char *target)
{
	sqlite3 *db = kmv_vault__db(vault);
	sqlite3_stmt *st = NULL;
	int error = 0;

	memset(out, 0, sizeof(*out));
	/* The order number first (kmv/resolve.h's rule), then a case id. */
	error = kmv_order_resolve(vault, target, &out->record_id);
	if (error == 0) {
		if (!(out->order_no = strdup(target)))
			error = kmv_error_nomem();
		goto done;
	}
	if (error != KMV_ENOTFOUND)
		goto done;
	error = 0;
	kmv_error_clear();
	if (all_digits(target) && strlen(target) < 12) {
		KMV_TRY(kmv_db__prepare(&st, db,
					"SELECT id FROM cases WHERE id = ?"));
		sqlite3_bind_int64(st, 1, strtoll(target, NULL, 10));
		if (sqlite3_step(st) == SQLITE_ROW) {
			out->case_id = sqlite3_column_int64(st, 0);
			goto done;
		}
	}
	kmv_error_set(KMV_ERROR_INPUT, "no order or case '%s' in the vault",
		      target);
	error = KMV_ENOTFOUND;
done:
	sqlite3_finalize(st);
	return error;
}

static bool has_prefix(const unsigned char *d, size_t len, const char *magic,
		       size_t mlen)
{
	return len >= mlen && memcmp(d, magic, mlen) == 0;
}

static const char *by_extension(const char *name)
{
	static const struct {
		const char *ext, *mime;
	} map[] = {
		{ ".png", "image/png" },
		{ ".jpg", "image/jpeg" },
		{ ".jpeg", "image/jpeg" },
		{ ".gif", "image/gif" },
		{ ".webp", "image/webp" },
		{ ".bmp", "image/bmp" },
		{ ".heic", "image/heic" },
		{ ".pdf", "application/pdf" },
		{ ".html", "text/html" },
		{ ".htm", "text/html" },
		{ ".mhtml", "multipart/related" },
		{ ".mht", "multipart/related" },
		{ ".txt", "text/plain" },
		{ ".csv", "text/csv" },
		{ ".json", "application/json" },
		{ ".eml", "message/rfc822" },
		{ ".zip", "application/zip" },
		{ ".mp4", "video/mp4" },
		{ ".mp3", "audio/mpeg" },
		{ ".amr", "audio/amr" },
		{ ".xlsx",
		  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
		{ ".docx",
		  "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
	};
	const char *dot = name ? strrchr(name, '.') : NULL;

	if (!dot)
		return NULL;
	for (size_t i = 0; i < KMV_ARRAY_SIZE(map); i++)
		if (strcasecmp(dot, map[i].ext) == 0)
			return map[i].mime;
	return NULL;
}

const char *kmv_attach_guess_mime(const void *data, size_t len,
				  const char *name)
{
	const unsigned char *d = data;
	const char *ext = by_extension(name);
	size_t skip = 0;

	if (has_prefix(d, len, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (has_prefix(d, len, "\xFF\xD8\xFF", 3))
		return "image/jpeg";
	if (has_prefix(d, len, "GIF87a", 6) || has_prefix(d, len, "GIF89a", 6))
		return "image/gif";
	if (len >= 12 && memcmp(d, "RIFF", 4) == 0 &&
	    memcmp(d + 8, "WEBP", 4) == 0)
		return "image/webp";
	if (has_prefix(d, len, "BM", 2) && ext && strcmp(ext, "image/bmp") == 0)
		return "image/bmp";
	if (has_prefix(d, len, "%PDF-", 5))
		return "application/pdf";
	if (len >= 12 && memcmp(d + 4, "ftyp", 4) == 0)
		return ext ? ext : "video/mp4";
	if (has_prefix(d, len, "PK\x03\x04", 4))
		return ext ? ext : "application/zip";
	if (has_prefix(d, len, "\xEF\xBB\xBF", 3))
		skip = 3;
	if (kmv_utf8_valid((const char *)d, len) && !memchr(d, '\0', len)) {
		const char *t = (const char *)d + skip;

		while (t < (const char *)d + len &&
		       (*t == ' ' || *t == '\n' || *t == '\r' || *t == '\t'))
			t++;
		if (strncasecmp(t, "<!doctype html", 14) == 0 ||
		    strncasecmp(t, "<html", 5) == 0)
			return "text/html";
		return ext ? ext : "text/plain";
	}
	return ext ? ext : "application/octet-stream";
}

/* The attachment's bytes from `file`, their hash, type and size. */
static int attach_read(kmv_attach_result *out, kmv_buf *data, const char *file)
{
	int error = kmv_file_read(data, file, MAX_ATTACHMENT);

	if (error == KMV_EINPUT)
		kmv_error_set(KMV_ERROR_INPUT,
			      "'%s': not a regular file of at "
			      "most 64 MiB",
			      file);
	if (error < 0)
		return error;
	kmv_sha256_hex(out->sha256, data->ptr, data->size);
	snprintf(out->mime, sizeof(out->mime), "%s",
		 kmv_attach_guess_mime(data->ptr, data->size, file));
	out->size = (int64_t)data->size;
	return 0;
}

/* The same bytes on the same target once only: out->id of the copy the
 * target has (out->duplicate), if any. */
static int attach_find(kmv_attach_result *out, sqlite3 *db,
		       const kmv_evidence_target *t)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	KMV_TRY(kmv_db__prepare(&st, db,
				"SELECT id FROM attachments WHERE sha256 = ? AND"
				" record_id IS ? AND case_id IS ?"));
	KMV_TRY(kmv_db__bind_text(st, 1, out->sha256));
	if (t->record_id)
		sqlite3_bind_int64(st, 2, t->record_id);
	if (t->case_id)
		sqlite3_bind_int64(st, 3, t->case_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->duplicate = true;
	}
done:
	sqlite3_finalize(st);
	return error;
}

static int attach_insert(kmv_attach_result *out, sqlite3 *db,
			 const kmv_evidence_target *t, const kmv_buf *data,
			 const char *file, const char *note)
{
	sqlite3_stmt *st = NULL;
	kmv_time now = kmv_time_now();
	char when[KMV_TIME_BUFSZ];
	int error = 0;

	kmv_time_format(when, &now);
	KMV_TRY(kmv_db__prepare(
		&st, db,
		"INSERT INTO attachments(record_id, case_id, name, mime, sha256,"
		" size, content, note, created_at) VALUES (?,?,?,?,?,?,?,?,?)"));
	if (t->record_id)
		sqlite3_bind_int64(st, 1, t->record_id);
	if (t->case_id)
		sqlite3_bind_int64(st, 2, t->case_id);
	KMV_TRY(kmv_db__bind_text(st, 3, kmv_basename(file)));
	KMV_TRY(kmv_db__bind_text(st, 4, out->mime));
	KMV_TRY(kmv_db__bind_text(st, 5, out->sha256));
	sqlite3_bind_int64(st, 6, out->size);
	sqlite3_bind_blob(st, 7, data->ptr, (int)data->size, SQLITE_STATIC);
	KMV_TRY(kmv_db__bind_text(st, 8, note && *note ? note : NULL));
	KMV_TRY(kmv_db__bind_text(st, 9, when));
	if (sqlite3_step(st) != SQLITE_DONE) {
		error = kmv_db__error(db, "cannot store the attachment");
		goto done;
	}
	out->id = sqlite3_last_insert_rowid(db);
done:
	sqlite3_finalize(st);
	return error;
}

/* The audit event of a stored attachment. */
static int attach_audit(const kmv_attach_result *out, kmv_vault *vault,
			const kmv_evidence_target *t, const char *file)
{
	kmv_buf detail = KMV_BUF_INIT;
	kmv_json j;
	int error = 0;

	kmv_json_init(&j, &detail, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_int(&j, "attachment", out->id);
	if (t->order_no)
		kmv_json_kv_string(&j, "order_no", t->order_no);
	else
		kmv_json_kv_int(&j, "case", t->case_id);
	kmv_json_kv_string(&j, "name", kmv_basename(file));
	kmv_json_kv_string(&j, "sha256", out->sha256);
	kmv_json_kv_int(&j, "size", out->size);
	kmv_json_object_end(&j);
	KMV_TRY(kmv_json_finish(&j));
	KMV_TRY(kmv_audit_append(vault, "attach", detail.ptr));
done:
	kmv_buf_dispose(&detail);
	return error;
}

int kmv_attach_add(kmv_attach_result *out, kmv_vault *vault, const char *target,
		   const char *file, const char *note)
{
	kmv_evidence_target t = { 0 };
	sqlite3 *db;
	kmv_buf data = KMV_BUF_INIT;
	int error = 0;

	KMV_ASSERT_ARG(out && vault && target && file);
	db = kmv_vault__db(vault);
	memset(out, 0, sizeof(*out));
	KMV_TRY(kmv_evidence__resolve(&t, vault, target));
	KMV_TRY(attach_read(out, &data, file));
	KMV_TRY(attach_find(out, db, &t));
	if (out->duplicate)
		goto done;
	KMV_TRY(attach_insert(out, db, &t, &data, file, note));
	KMV_TRY(attach_audit(out, vault, &t, file));
done:
	kmv_evidence__target_dispose(&t);
	kmv_buf_dispose(&data);
	return error;
}
