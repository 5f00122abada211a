/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "kmv/i18n.h"
#include "import/detect.h"
#include "import/import.h"
#include "kmvutil/json.h"
#include "kmvutil/file.h"
#include "kmvutil/hash.h"
#include "kmvutil/compress.h"
#include "store/db.h"

#include <dirent.h>
#include <strings.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>
#include <errno.h>

int kmv_import_kind_parse(kmv_import_kind *out, const char *name)
{
	static const struct {
		const char *name;
		kmv_import_kind kind;
	} kinds[] = {
		{ "auto", KMV_IMPORT_AUTO },
		{ "alipay", KMV_IMPORT_ALIPAY },
		{ "wechat", KMV_IMPORT_WECHAT },
		{ "jd", KMV_IMPORT_JD },
		{ "orders", KMV_IMPORT_ORDERS },
		{ "email", KMV_IMPORT_EMAIL },
	};

	for (size_t i = 0; i < KMV_ARRAY_SIZE(kinds); i++) {
		if (strcmp(kinds[i].name, name) == 0) {
			*out = kinds[i].kind;
			return 0;
		}
	}
	kmv_error_set(KMV_ERROR_INPUT,
		      "unknown import kind '%s' (auto, alipay, "
		      "wechat, jd, orders, email)",
		      name);
	return KMV_EUSAGE;
}

static void result_dispose(kmv_import_result *item)
{
	free(item->file);
	free(item->kind);
	free(item->detail);
}

void kmv_import_results_dispose(kmv_import_results *r)
{
	for (size_t i = 0; i < r->count; i++)
		result_dispose(&r->items[i]);
	free(r->items);
	r->items = NULL;
	r->count = r->alloc = 0;
}

int kmv_import__reject(const kmv_import_file *file, int64_t line,
		       const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	/* The format is an English catalog entry (update-po.sh passes
	 * kmv_import__reject:3 and kmv_import__warn:4 to xgettext). */
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

void kmv_import__warn(kmv_import_ctx *ctx, const kmv_import_file *file,
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

void kmv_import__progress(kmv_import_ctx *ctx, const kmv_import_file *file,
			  uint64_t done, uint64_t total)
{
	if (ctx->opts->progress)
		ctx->opts->progress(file->display, done, total,
				    ctx->opts->payload);
}

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
static int store_packings(kmv_import_ctx *ctx)
{
	int error = 0;

	while (ctx->npacking && error == 0)
		error = store_oldest_packing(ctx);
	return error;
}

/* On failure: wait for the workers, keep nothing. */
static void drop_packings(kmv_import_ctx *ctx)
{
	for (size_t i = 0; i < ctx->npacking; i++)
		kmv_compress_finish(ctx->packing[i].job, NULL);
	ctx->npacking = 0;
}

/* Below this, compressing in place is cheaper than a thread. */
#define KMV_PACK_IN_BACKGROUND (256 * 1024)

int kmv_import__add_source(int64_t *id_out, kmv_import_ctx *ctx,
			   const char *kind, const char *name, const void *data,
			   size_t len, int64_t parent_id)
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
	/* A background job's result is stored by store_packings(). */
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

int kmv_import__set_source_info(kmv_import_ctx *ctx, int64_t source_id,
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

static int bind_opt_int(sqlite3_stmt *st, int idx, bool has, int64_t v)
{
	return has ? sqlite3_bind_int64(st, idx, v)
		   : sqlite3_bind_null(st, idx);
}

void kmv_import__bind_record(sqlite3_stmt *st, int base, const kmv_record *r,
			     char when[KMV_TIME_BUFSZ], const char *now)
{
	/*
	 * Bound without copies (the copy and its wiped free cost more than the
	 * insert's own string handling): callers clear the bindings after the
	 * step, while `r`, `when` and `now` are still alive.
	 */
	kmv_db__bind_text_static(st, base + 1, kmv_record_kind_name(r->kind));
	kmv_db__bind_text_static(st, base + 2, r->source_kind);
	kmv_db__bind_text_static(st, base + 3, r->dedup_key);
	kmv_db__bind_text_static(st, base + 4, r->platform);
	kmv_db__bind_text_static(st, base + 5, r->merchant);
	kmv_db__bind_text_static(st, base + 6, r->order_no);
	kmv_db__bind_text_static(st, base + 7, r->payment_no);
	kmv_db__bind_text_static(st, base + 8, r->merchant_order_no);
	kmv_db__bind_text_static(st, base + 9,
				 r->has_time ? kmv_time_format(when, &r->time)
					     : NULL);
	bind_opt_int(st, base + 10, r->has_time, r->time.epoch);
	bind_opt_int(st, base + 11, r->has_amount, r->amount);
	kmv_db__bind_text_static(st, base + 12,
				 kmv_direction_name(r->direction));
	kmv_db__bind_text_static(st, base + 13, r->status_raw);
	kmv_db__bind_text_static(st, base + 14, r->status);
	kmv_db__bind_text_static(st, base + 15, r->product);
	bind_opt_int(st, base + 16, r->quantity > 0, r->quantity);
	bind_opt_int(st, base + 17, r->unit_price > 0, r->unit_price);
	kmv_db__bind_text_static(st, base + 18, r->category);
	kmv_db__bind_text_static(st, base + 19, r->payment_method);
	kmv_db__bind_text_static(st, base + 20, r->counterparty_account);
	kmv_db__bind_text_static(st, base + 21, r->memo);
	kmv_db__bind_text_static(st, base + 22, r->card_secret);
	bind_opt_int(st, base + 23, r->source_id > 0, r->source_id);
	bind_opt_int(st, base + 24, r->source_line > 0, r->source_line);
	kmv_db__bind_text_static(st, base + 25, r->extra_json);
	kmv_db__bind_text_static(st, base + 26, now);
	kmv_db__bind_text_static(st, base + 27, now);
}

int kmv_import__insert_record(int64_t *id_out, kmv_import_ctx *ctx,
			      kmv_record *r)
{
	sqlite3_stmt *st = ctx->ins_record;
	char when[KMV_TIME_BUFSZ];
	int error = 0, rc;

	/*
	 * INSERT OR IGNORE first: new records (the common case of a bulk
	 * import) cost one statement; only a duplicate pays the lookup.
	 */
	kmv_import__bind_record(st, 0, r, when, ctx->now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return kmv_db__error(ctx->db, "cannot store record");
	if (sqlite3_changes(ctx->db) > 0) {
		*id_out = r->id = sqlite3_last_insert_rowid(ctx->db);
		return 0;
	}
	st = ctx->find_record;
	sqlite3_reset(st);
	kmv_db__bind_text(st, 1, r->source_kind);
	kmv_db__bind_text(st, 2, r->dedup_key);
	if (sqlite3_step(st) != SQLITE_ROW) {
		error = kmv_db__error(ctx->db, "cannot find duplicate record");
		sqlite3_reset(st);
		return error;
	}
	*id_out = r->id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return KMV_EEXISTS;
}

int kmv_import__add_record(int64_t *id_out, kmv_import_ctx *ctx, kmv_record *r)
{
	int error;

	if (!r->source_kind || !r->dedup_key) {
		kmv_error_set(KMV_ERROR_INTERNAL, "record without dedup key");
		return KMV_ERROR;
	}
	error = kmv_import__insert_record(id_out, ctx, r);
	if (ctx->result && (error == 0 || error == KMV_EEXISTS)) {
		ctx->result->rows++;
		if (error == 0)
			ctx->result->added++;
		else
			ctx->result->duplicates++;
	}
	return error;
}

int kmv_import__file(kmv_import_ctx *ctx, const kmv_import_file *file)
{
	kmv_detection d;

	kmv_detect__file(&d, file->data, file->len, file->name, ctx->opts->kind,
			 ctx->opts->profile != NULL);
	switch (d.route) {
	case KMV_ROUTE_EMPTY:
		return kmv_import__reject(file, 0, "file is empty");
	case KMV_ROUTE_ARCHIVE: return kmv_import__zip(ctx, file);
	case KMV_ROUTE_STATEMENT:
		return kmv_import__statement(ctx, file, d.kind);
	case KMV_ROUTE_ORDERS: return kmv_import__orders(ctx, file);
	case KMV_ROUTE_MAIL: return kmv_import__mail(ctx, file);
	case KMV_ROUTE_PAGE: return kmv_import__page(ctx, file, d.page);
	case KMV_ROUTE_BINARY:
		ctx->unrecognized = ctx->depth == 0;
		return kmv_import__reject(
			file, 0,
			"not a supported source: unrecognized "
			"file format (expected a statement "
			"CSV/XLSX, a ZIP, an order export, an "
			"e-mail, a saved web page or a PDF; "
			"keep it as evidence with 'kmvault "
			"attach ORDER FILE')");
	case KMV_ROUTE_UNSUPPORTED:
		ctx->unrecognized = ctx->depth == 0;
		ctx->skip_reason = d.skip_reason;
		return kmv_import__reject(
			file, 0,
			"a %s statement: this format "
			"is not supported yet (kmvault reads "
			"Alipay, WeChat Pay and JD statements, "
			"shop order exports and e-mail receipts)",
			d.unsupported);
	}
	return kmv_import__reject(file, 0, "file is empty"); /* not reached */
}

static int new_result(kmv_import_ctx *ctx, const char *path)
{
	kmv_import_results *r = ctx->results;

	if (KMV_ARRAY_GROW(r->items, r->alloc, r->count + 1) < 0)
		return kmv_error_nomem();
	ctx->result = &r->items[r->count++];
	memset(ctx->result, 0, sizeof(*ctx->result));
	ctx->result->file = strdup(path);
	return ctx->result->file ? 0 : kmv_error_nomem();
}

static int import_path(kmv_import_ctx *ctx, const char *path);

/* All of a descriptor (standard input), at most `max` bytes. */
static int kmv_fd__read_all(kmv_buf *out, int fd, size_t max)
{
	char chunk[65536];
	ssize_t n;
	int error = 0;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			kmv_error_set_os("cannot read standard input");
			return KMV_ERROR;
		}
		if (out->size + (size_t)n > max) {
			kmv_error_set(KMV_ERROR_INPUT,
				      "standard input is over "
				      "%zu MiB",
				      max >> 20);
			return KMV_EINPUT;
		}
		KMV_TRY(kmv_buf_put(out, chunk, (size_t)n));
	}
done:
	return error;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * One file found in a folder.  A file no importer recognizes (a README, a
 * picture, a password note next to a ZIP) is skipped with a warning rather
 * than failing the whole run: the user asked for "what is in there", not
 * for that file.  Named on the command line, the same file is an error.
 * The savepoint takes back what the attempt wrote (its source row).
 */
static int import_dir_entry(kmv_import_ctx *ctx, const char *path)
{
	int error;

	KMV_TRY(kmv_db__exec(ctx->db, "SAVEPOINT dir_entry"));
	error = import_path(ctx, path);
	if (error == KMV_EINPUT && ctx->unrecognized) {
		result_dispose(&ctx->results->items[--ctx->results->count]);
		kmv_import__drop_records(ctx);
		/* Not the rejection's detail: it quotes the first line, and
		 * the file may be a password note. */
		if (ctx->opts->warn)
			ctx->opts->warn(
				path, 0,
				ctx->skip_reason
					? ctx->skip_reason
					: "skipped: not a statement, an order "
					  "export or an e-mail",
				ctx->opts->payload);
		kmv_error_clear();
		error = kmv_db__exec(ctx->db, "ROLLBACK TO dir_entry");
	}
	if (error == 0)
		error = kmv_db__exec(ctx->db, "RELEASE dir_entry");
done:
	return error;
}

/*
 * Two or more screenshots in a folder (by name: .png, .jpg, .jpeg): OCR
 * them ahead on every core (ocr_pool.c); the walk below takes each result
 * where it reaches the picture.
 */
static int start_ocr_pool(kmv_import_ctx *ctx, char *const *names, size_t n,
			  const char *folder)
{
	char **pics;
	size_t npics = 0;
	int error = 0;

	if (n < 2)
		return 0;
	if (!(pics = calloc(n, sizeof(*pics))))
		return kmv_error_nomem();
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);

		if ((len > 4 &&
		     (strcasecmp(names[i] + len - 4, ".png") == 0 ||
		      strcasecmp(names[i] + len - 4, ".jpg") == 0)) ||
		    (len > 5 && strcasecmp(names[i] + len - 5, ".jpeg") == 0))
			pics[npics++] = names[i];
	}
	if (npics >= 2) {
		error = kmv_ocr_pool__start(&ctx->ocr_pool, pics, npics,
					    KMV_IMPORT_MAX_FILE);
		if (error == 0)
			ctx->ocr_folder = folder;
	}
	free(pics);
	return error;
}

/* A directory imports its regular files, sorted; a Maildir its cur/ + new/. */
static int import_dir(kmv_import_ctx *ctx, const char *path)
{
	char **names = NULL;
	size_t n = 0, alloc = 0;
	kmv_buf full = KMV_BUF_INIT;
	struct stat st;
	DIR *d;
	struct dirent *e;
	int error = 0;

	d = opendir(path);
	if (!d) {
		kmv_error_set_os("cannot read directory '%s'", path);
		return KMV_ERROR;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		kmv_buf_clear(&full);
		if ((error = kmv_buf_printf(
			     &full, "%s%s%s", path,
			     *path && path[strlen(path) - 1] == '/' ? "" : "/",
			     e->d_name)) < 0)
			break;
		if (stat(full.ptr, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && strcmp(e->d_name, "cur") != 0 &&
		    strcmp(e->d_name, "new") != 0)
			continue;
		if ((error = KMV_ARRAY_GROW(names, alloc, n + 1)) < 0)
			break;
		if (!(names[n] = strdup(full.ptr))) {
			error = kmv_error_nomem();
			break;
		}
		n++;
	}
	closedir(d);
	if (error == 0 && n)
		qsort(names, n, sizeof(*names), cmp_names);
	if (error == 0 && !ctx->ocr_pool)
		error = start_ocr_pool(ctx, names, n, path);
	for (size_t i = 0; i < n && error == 0; i++)
		error = import_dir_entry(ctx, names[i]);
	if (ctx->ocr_folder == path) {
		kmv_ocr_pool__free(ctx->ocr_pool);
		ctx->ocr_pool = NULL;
		ctx->ocr_folder = NULL;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	kmv_buf_dispose(&full);
	return error;
}

static int import_path(kmv_import_ctx *ctx, const char *path)
{
	kmv_buf data = KMV_BUF_INIT;
	kmv_import_file file;
	struct stat st;
	int error;

	char stdin_name[64];

	if (strcmp(path, "-") == 0) {
		/* pasted text: `xclip -o | kmvault import -` */
		kmv_time now = kmv_time_now();
		char iso[KMV_TIME_BUFSZ];
		size_t k = 0;

		kmv_time_format(iso, &now);
		memcpy(stdin_name, "stdin-", 6);
		k = 6;
		for (const char *c = iso;
		     *c && *c != '+' && *c != 'Z' && k < sizeof(stdin_name) - 1;
		     c++)
			if (*c != '-' && *c != ':')
				stdin_name[k++] = *c;
		stdin_name[k] = '\0';
		KMV_TRY(new_result(ctx, stdin_name));
		KMV_TRY(kmv_fd__read_all(&data, 0, KMV_IMPORT_MAX_FILE));
		path = stdin_name;
		goto read;
	}
	if (stat(path, &st) < 0) {
		kmv_error_set_os("cannot open '%s'", path);
		return KMV_ENOTFOUND;
	}
	if (S_ISDIR(st.st_mode))
		return import_dir(ctx, path);
	/*
	 * A FIFO blocks and a device reads without end, both while the
	 * writer lock is held: only regular files (standard input is "-").
	 */
	if (!S_ISREG(st.st_mode) && strcmp(path, "-") != 0) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "'%s' is not a regular file (a FIFO, "
			      "device or socket): import reads files",
			      path);
		return KMV_EINPUT;
	}
	KMV_TRY(new_result(ctx, path));
	KMV_TRY(kmv_file_read(&data, path, KMV_IMPORT_MAX_FILE));
read:
	memset(&file, 0, sizeof(file));
	file.display = path;
	file.name = kmv_basename(path);
	file.data = (const uint8_t *)data.ptr;
	file.len = data.size;
	KMV_TRY(kmv_import__add_source(&file.source_id, ctx, "unknown",
				       file.name, file.data, file.len, 0));
	ctx->result->source_id = file.source_id;
	ctx->depth = 0;
	ctx->unrecognized = false;
	ctx->skip_reason = NULL;
	KMV_TRY(kmv_import__file(ctx, &file));
	if (!ctx->result->kind)
		ctx->result->kind = strdup("unknown");
	/* Before `data` goes: a background compression may be reading it. */
	KMV_TRY(store_packings(ctx));
done:
	if (error < 0)
		drop_packings(ctx);
	kmv_buf_dispose_secure(&data);
	return error;
}

static int audit(kmv_import_ctx *ctx)
{
	kmv_buf detail = KMV_BUF_INIT;
	kmv_json j;
	int error;

	kmv_json_init(&j, &detail, false);
	kmv_json_object_begin(&j);
	kmv_json_key(&j, "files");
	kmv_json_array_begin(&j);
	for (size_t i = 0; i < ctx->results->count; i++) {
		const kmv_import_result *r = &ctx->results->items[i];
		sqlite3_stmt *st = NULL;

		kmv_json_object_begin(&j);
		kmv_json_kv_string(&j, "file", kmv_basename(r->file));
		kmv_json_kv_string(&j, "kind", r->kind);
		kmv_json_kv_int(&j, "rows", r->rows);
		kmv_json_kv_int(&j, "added", r->added);
		kmv_json_kv_int(&j, "duplicates", r->duplicates);
		if (kmv_db__prepare(&st, ctx->db,
				    "SELECT sha256 FROM sources WHERE id = ?") ==
		    0) {
			sqlite3_bind_int64(st, 1, r->source_id);
			if (sqlite3_step(st) == SQLITE_ROW)
				kmv_json_kv_string(
					&j, "sha256",
					(const char *)sqlite3_column_text(st,
									  0));
		}
		sqlite3_finalize(st);
		kmv_json_object_end(&j);
	}
	kmv_json_array_end(&j);
	kmv_json_object_end(&j);
	error = kmv_json_finish(&j);
	if (error == 0)
		error = kmv_audit_append(ctx->vault, "import", detail.ptr);
	kmv_buf_dispose(&detail);
	return error;
}

int kmv_import_files(kmv_import_results *out, kmv_vault *vault,
		     const char *const *paths, size_t npaths,
		     const kmv_import_options *opts)
{
	kmv_import_options defaults = KMV_IMPORT_OPTIONS_INIT;
	kmv_import_ctx ctx;
	kmv_time now = kmv_time_now();
	int error = 0;

	KMV_ASSERT_ARG(out && vault && paths);
	memset(&ctx, 0, sizeof(ctx));
	ctx.vault = vault;
	ctx.db = kmv_vault__db(vault);
	ctx.opts = opts ? opts : &defaults;
	ctx.results = out;
	kmv_time_format(ctx.now, &now);

	KMV_TRY(kmv_db__prepare(&ctx.find_record, ctx.db,
				"SELECT id FROM records WHERE source_kind = ? "
				"AND dedup_key = ?"));
	KMV_TRY(kmv_db__prepare(
		&ctx.ins_record, ctx.db,
		"INSERT OR IGNORE INTO records(" KMV_RECORD_INSERT_COLUMNS
		") VALUES " KMV_RECORD_INSERT_VALUES));
	KMV_TRY(kmv_db__prepare(&ctx.find_source, ctx.db,
				"SELECT id FROM sources WHERE sha256 = ? AND "
				"parent_id IS ?"));
	KMV_TRY(kmv_db__prepare(&ctx.ins_source, ctx.db,
				"INSERT INTO sources(kind, name, sha256, size, "
				"parent_id, content, imported_at) "
				"VALUES (?,?,?,?,?,?,?)"));
	KMV_TRY(kmv_db__begin(ctx.db));
	for (size_t i = 0; i < npaths; i++)
		KMV_TRY(import_path(&ctx, paths[i]));
	KMV_TRY(audit(&ctx));
	KMV_TRY(kmv_db__commit(ctx.db));
done:
	if (error < 0)
		kmv_db__rollback(ctx.db);
	kmv_import__batch_free(ctx.batch);
	sqlite3_finalize(ctx.find_record);
	sqlite3_finalize(ctx.ins_record);
	sqlite3_finalize(ctx.find_source);
	sqlite3_finalize(ctx.set_source_info);
	sqlite3_finalize(ctx.ins_source);
	return error;
}
