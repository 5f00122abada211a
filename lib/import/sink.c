/* SPDX-License-Identifier: MIT */
/*
 * The sink (sink.h): what importers may do.  Sources and records go into
 * the run's transaction through statements prepared once per run; the
 * file's line of the results is kept here so that no importer touches
 * it.  Messages go through the caller's callbacks, never to a stream.
 */
#include "common.h"
#include "import/insert.h"
#include "import/session.h"
#include "kmv/i18n.h"
#include "kmvutil/hash.h"
#include "store/db.h"

#include <stdarg.h>

int kmv_sink__open(kmv_import_ctx *ctx)
{
	kmv_buf insert = KMV_BUF_INIT;
	int error = 0;

	KMV_TRY(kmv_db__prepare(&ctx->find_record, ctx->db,
				"SELECT id FROM records WHERE source_kind = ? "
				"AND dedup_key = ?"));
	KMV_TRY(kmv_insert__sql(&insert, 1));
	KMV_TRY(kmv_db__prepare(&ctx->ins_record, ctx->db, insert.ptr));
	KMV_TRY(kmv_db__prepare(&ctx->find_source, ctx->db,
				"SELECT id FROM sources WHERE sha256 = ? AND "
				"parent_id IS ?"));
	KMV_TRY(kmv_db__prepare(&ctx->ins_source, ctx->db,
				"INSERT INTO sources(kind, name, sha256, size, "
				"parent_id, content, imported_at) "
				"VALUES (?,?,?,?,?,?,?)"));
done:
	kmv_buf_dispose(&insert);
	return error;
}

void kmv_sink__close(kmv_import_ctx *ctx)
{
	kmv_batch__free(ctx->batch);
	ctx->batch = NULL;
	sqlite3_finalize(ctx->find_record);
	sqlite3_finalize(ctx->ins_record);
	sqlite3_finalize(ctx->find_source);
	sqlite3_finalize(ctx->set_source_info);
	sqlite3_finalize(ctx->ins_source);
	ctx->find_record = ctx->ins_record = ctx->find_source = NULL;
	ctx->set_source_info = ctx->ins_source = NULL;
}

/* ---- the run ---------------------------------------------------------- */

const kmv_import_options *kmv_sink__options(const kmv_import_ctx *ctx)
{
	return ctx->opts;
}

int kmv_sink__depth(const kmv_import_ctx *ctx)
{
	return ctx->depth;
}

void kmv_sink__unrecognized(kmv_import_ctx *ctx, bool unrecognized)
{
	ctx->unrecognized = unrecognized && ctx->depth == 0;
}

void kmv_sink__unrecognized_because(kmv_import_ctx *ctx, const char *why)
{
	ctx->unrecognized = ctx->depth == 0;
	ctx->skip_reason = why;
}

int kmv_sink__member(kmv_import_ctx *ctx, const kmv_import_file *member,
		     const struct kmv_detection *where)
{
	int error;

	ctx->depth++;
	error = ctx->route(ctx, member, where);
	ctx->depth--;
	return error;
}

int kmv_sink__ocr_take(kmv_import_ctx *ctx, const kmv_import_file *file,
		       kmv_buf *text, kmv_ocr_lines *lines, int *error)
{
	const kmv_import_options *o = ctx->opts;
	size_t taken, total;

	if (ctx->depth > 0 || !kmv_ocr_pool__take(ctx->ocr_pool, file->display,
						  text, lines, error))
		return 0;
	if (o->ocr_progress) {
		kmv_ocr_pool__count(ctx->ocr_pool, &taken, &total);
		o->ocr_progress(ctx->ocr_folder, taken, total, o->payload);
	}
	return 1;
}

/* ---- the file's line in the results ----------------------------------- */

int kmv_sink__set_kind(kmv_import_ctx *ctx, const char *kind)
{
	if (!ctx->result || ctx->result->kind)
		return 0;
	ctx->result->kind = strdup(kind);
	return ctx->result->kind ? 0 : kmv_error_nomem();
}

int kmv_sink__set_detail(kmv_import_ctx *ctx, const char *detail)
{
	if (!ctx->result || ctx->result->detail)
		return 0;
	ctx->result->detail = strdup(detail);
	return ctx->result->detail ? 0 : kmv_error_nomem();
}

int kmv_sink__add_detail(kmv_import_ctx *ctx, const char *name,
			 const char *detail)
{
	kmv_buf both = KMV_BUF_INIT;
	int error = 0;

	if (!ctx->result || !ctx->result->detail)
		return kmv_sink__set_detail(ctx, detail);
	KMV_TRY(kmv_buf_printf(&both, "%s; %s: %s", ctx->result->detail, name,
			       detail));
	free(ctx->result->detail);
	ctx->result->detail = kmv_buf_detach(&both);
	if (!ctx->result->detail)
		error = kmv_error_nomem();
done:
	kmv_buf_dispose(&both);
	return error;
}

void kmv_sink__count_duplicate(kmv_import_ctx *ctx)
{
	if (ctx->result) {
		ctx->result->rows++;
		ctx->result->duplicates++;
	}
}

void kmv_sink__count_update(kmv_import_ctx *ctx)
{
	if (ctx->result) {
		ctx->result->duplicates--;
		ctx->result->updated++;
	}
}

void kmv_sink__count_unrecognized(kmv_import_ctx *ctx)
{
	if (ctx->result) {
		ctx->result->rows++;
		ctx->result->unrecognized++;
	}
}

/* ---- messages --------------------------------------------------------- */

int kmv_sink__reject(const kmv_import_file *file, int64_t line, const char *fmt,
		     ...)
{
	char msg[768];
	va_list ap;

	/* The format is an English catalog entry (update-po.sh passes
	 * kmv_sink__reject:3 and kmv_sink__warn:4 to xgettext). */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), _(fmt), ap);
	va_end(ap);
	if (line > 0)
		kmv_error_set(KMV_ERROR_INPUT, "%s:%lld: %s", file->display,
			      (long long)line, msg);
	else
		kmv_error_set(KMV_ERROR_INPUT, "%s: %s", file->display, msg);
	return KMV_EINPUT;
}

void kmv_sink__warn(kmv_import_ctx *ctx, const kmv_import_file *file,
		    int64_t line, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	if (!ctx->opts->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), _(fmt), ap);
	va_end(ap);
	ctx->opts->warn(file->display, line, msg, ctx->opts->payload);
}

void kmv_sink__progress(kmv_import_ctx *ctx, const kmv_import_file *file,
			uint64_t done, uint64_t total)
{
	if (ctx->opts->progress)
		ctx->opts->progress(file->display, done, total,
				    ctx->opts->payload);
}

/* ---- sources ---------------------------------------------------------- */

/* Wait for the oldest background compression and store its result. */
static int store_oldest_packing(kmv_import_ctx *ctx)
{
	struct kmv_import_packing p = ctx->packing[0];
	kmv_buf packed = KMV_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int error = 0;

	ctx->npacking--;
	memmove(&ctx->packing[0], &ctx->packing[1],
		ctx->npacking * sizeof(ctx->packing[0]));
	KMV_TRY(kmv_compress_finish(p.job, &packed));
	KMV_TRY(kmv_db__prepare(&st, ctx->db,
				"UPDATE sources SET content = ? WHERE id = ?"));
	sqlite3_bind_blob64(st, 1, packed.ptr, packed.size, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, p.source_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		error = kmv_db__error(ctx->db, "cannot store source file");
done:
	sqlite3_finalize(st);
	kmv_buf_dispose_secure(&packed);
	return error;
}

/* Every background compression waited for and stored (import_path). */
int kmv_sink__store_packings(kmv_import_ctx *ctx)
{
	int error = 0;

	while (ctx->npacking && error == 0)
		error = store_oldest_packing(ctx);
	return error;
}

/* On failure: wait for the workers, keep nothing. */
void kmv_sink__drop_packings(kmv_import_ctx *ctx)
{
	for (size_t i = 0; i < ctx->npacking; i++)
		kmv_compress_finish(ctx->packing[i].job, NULL);
	ctx->npacking = 0;
}

/* Below this, compressing in place is cheaper than a thread. */
#define KMV_PACK_IN_BACKGROUND (256 * 1024)

int kmv_sink__add_source(int64_t *id_out, kmv_import_ctx *ctx, const char *kind,
			 const char *name, const void *data, size_t len,
			 int64_t parent_id)
{
	char hex[KMV_SHA256_HEX_BUFSZ];
	kmv_buf packed = KMV_BUF_INIT;
	kmv_compress_job *job = NULL;
	bool background = len >= KMV_PACK_IN_BACKGROUND;
	sqlite3_stmt *st;
	int error = 0;

	kmv_sha256_hex(hex, data, len);
	st = ctx->find_source;
	sqlite3_reset(st);
	kmv_db__bind_text(st, 1, hex);
	if (parent_id)
		sqlite3_bind_int64(st, 2, parent_id);
	else
		sqlite3_bind_null(st, 2);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*id_out = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (background) {
		if (ctx->npacking == KMV_ARRAY_SIZE(ctx->packing))
			KMV_TRY(store_oldest_packing(ctx));
		/* A top-level file (no parent) is import_path()'s buffer,
		 * alive until it has stored the result; a ZIP member's or
		 * mbox message's buffer is reused or freed sooner: copied. */
		KMV_TRY(kmv_compress_start(&job, data, len, parent_id == 0));
	} else {
		KMV_TRY(kmv_compress(&packed, data, len));
	}
	st = ctx->ins_source;
	sqlite3_reset(st);
	kmv_db__bind_text(st, 1, kind);
	kmv_db__bind_text(st, 2, name);
	kmv_db__bind_text(st, 3, hex);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)len);
	if (parent_id)
		sqlite3_bind_int64(st, 5, parent_id);
	else
		sqlite3_bind_null(st, 5);
	/* A background job's result is stored by kmv_sink__store_packings(). */
	if (background)
		sqlite3_bind_null(st, 6);
	else
		sqlite3_bind_blob64(st, 6, packed.ptr, packed.size,
				    SQLITE_STATIC);
	kmv_db__bind_text(st, 7, ctx->now);
	if (sqlite3_step(st) != SQLITE_DONE) {
		error = kmv_db__error(ctx->db, "cannot store source file");
		goto done;
	}
	*id_out = sqlite3_last_insert_rowid(ctx->db);
	if (job) {
		ctx->packing[ctx->npacking].source_id = *id_out;
		ctx->packing[ctx->npacking++].job = job;
		job = NULL;
	}
done:
	sqlite3_reset(st);
	kmv_compress_finish(job, NULL);
	kmv_buf_dispose_secure(&packed);
	return error;
}

int kmv_sink__set_source_info(kmv_import_ctx *ctx, int64_t source_id,
			      const char *kind, int64_t rows,
			      const char *meta_json)
{
	sqlite3_stmt *st;
	int error = 0;

	if (!ctx->set_source_info)
		KMV_TRY(kmv_db__prepare(
			&ctx->set_source_info, ctx->db,
			"UPDATE sources SET kind = coalesce(?, kind), "
			"rows = ?, meta = coalesce(?, meta) "
			"WHERE id = ?"));
	st = ctx->set_source_info;
	kmv_db__bind_text(st, 1, kind);
	sqlite3_bind_int64(st, 2, rows);
	kmv_db__bind_text(st, 3, meta_json);
	sqlite3_bind_int64(st, 4, source_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		error = kmv_db__error(ctx->db, "cannot update source");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
done:
	return error;
}

/* ---- records ---------------------------------------------------------- */

int kmv_sink__add_record(int64_t *id_out, kmv_import_ctx *ctx, kmv_record *r)
{
	int error;

	if (!r->source_kind || !r->dedup_key) {
		kmv_error_set(KMV_ERROR_INTERNAL, "record without dedup key");
		return KMV_ERROR;
	}
	error = kmv_insert__record(id_out, ctx, r);
	if (ctx->result && (error == 0 || error == KMV_EEXISTS)) {
		ctx->result->rows++;
		if (error == 0)
			ctx->result->added++;
		else
			ctx->result->duplicates++;
	}
	return error;
}

/* ---- links ------------------------------------------------------------ */

/*
 * Point refund rows at the payment they refund, now that the whole file
 * (and everything imported before) is in: the original may come after
 * its refund in the file, or arrive in a later statement.
 */
/* The refund rows sharing the purchase's number are not its original. */
#define NOT_A_REFUND                                                   \
	" AND json_extract(o.extra, '$.refund_of_payment_no') IS NULL" \
	" AND json_extract(o.extra, '$.refund_of_merchant_order_no') IS NULL"

int kmv_sink__link_refunds(kmv_import_ctx *ctx, const char *source_kind)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	/*
	 * Only refunds whose original is found are written: setting the rest
	 * to NULL again would rewrite every unlinked refund on every import.
	 */
	KMV_TRY(kmv_db__prepare(
		&st, ctx->db,
		"WITH found(id, original) AS ("
		" SELECT r.id, coalesce("
		"  (SELECT o.id FROM records o WHERE o.source_kind = r.source_kind"
		"   AND o.payment_no = json_extract(r.extra, '$.refund_of_payment_no')"
		"   AND o.id <> r.id AND o.deleted_at IS NULL" NOT_A_REFUND
		"   ORDER BY o.id LIMIT 1),"
		"  (SELECT o.id FROM records o WHERE o.source_kind = r.source_kind"
		"   AND o.merchant_order_no = json_extract(r.extra,"
		"       '$.refund_of_merchant_order_no')"
		"   AND o.direction = 'out' AND o.id <> r.id"
		"   AND o.deleted_at IS NULL" NOT_A_REFUND
		"   ORDER BY o.id LIMIT 1))"
		" FROM records r"
		" WHERE r.source_kind = ? AND r.refund_of IS NULL"
		" AND r.kind = 'payment' AND r.status = 'refunded'"
		" AND (json_extract(r.extra, '$.refund_of_payment_no') IS NOT NULL"
		"  OR json_extract(r.extra, '$.refund_of_merchant_order_no')"
		"     IS NOT NULL))"
		" UPDATE records SET refund_of = found.original FROM found"
		" WHERE records.id = found.id AND found.original IS NOT NULL"));
	kmv_db__bind_text(st, 1, source_kind);
	if (sqlite3_step(st) != SQLITE_DONE)
		error = kmv_db__error(ctx->db, "cannot link refunds");
done:
	sqlite3_finalize(st);
	return error;
}

int kmv_sink__link_refund(kmv_import_ctx *ctx, int64_t refund_id,
			  int64_t original_id)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	KMV_TRY(kmv_db__prepare(
		&st, ctx->db, "UPDATE records SET refund_of = ? WHERE id = ?"));
	sqlite3_bind_int64(st, 1, original_id);
	sqlite3_bind_int64(st, 2, refund_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		error = kmv_db__error(ctx->db, "cannot link refunds");
done:
	sqlite3_finalize(st);
	return error;
}
