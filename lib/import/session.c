/* SPDX-License-Identifier: MIT */
/*
 * The top of an import run: the transaction, the files and folders named
 * by the user, where each file goes (detect.c) and the audit event.  What
 * importers may do inside the run is the sink's (sink.h, sink.c).
 */
#include "common.h"
#include "kmv/i18n.h"
#include "import/detect.h"
#include "import/session.h"
#include "kmvutil/json.h"
#include "kmvutil/file.h"
#include "kmvutil/hash.h"
#include "kmvutil/compress.h"
#include "store/db.h"

#include <dirent.h>
#include <strings.h>
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

/* The importer `d` sends the file to; the file carries d's workbook. */
static int route(kmv_import_ctx *ctx, const kmv_import_file *in,
		 const kmv_detection *d)
{
	kmv_import_file f = *in, *file = &f;

	f.book = d->book;
	switch (d->route) {
	case KMV_ROUTE_EMPTY: return kmv_sink__reject(file, 0, "file is empty");
	case KMV_ROUTE_ARCHIVE: return kmv_import__zip(ctx, file);
	case KMV_ROUTE_STATEMENT:
		return kmv_import__statement(ctx, file, d->kind, d->found);
	case KMV_ROUTE_ORDERS: return kmv_import__orders(ctx, file);
	case KMV_ROUTE_MAIL: return kmv_import__mail(ctx, file);
	case KMV_ROUTE_PAGE: return kmv_import__page(ctx, file, d->page);
	case KMV_ROUTE_BINARY:
		ctx->unrecognized = ctx->depth == 0;
		return kmv_sink__reject(file, 0,
					"not a supported source: unrecognized "
					"file format (expected a statement "
					"CSV/XLSX, a ZIP, an order export, an "
					"e-mail, a saved web page or a PDF; "
					"keep it as evidence with 'kmvault "
					"attach ORDER FILE')");
	case KMV_ROUTE_UNSUPPORTED:
		ctx->unrecognized = ctx->depth == 0;
		ctx->skip_reason = d->skip_reason;
		return kmv_sink__reject(
			file, 0,
			"a %s statement: this format "
			"is not supported yet (kmvault reads "
			"Alipay, WeChat Pay and JD statements, "
			"shop order exports and e-mail receipts)",
			d->unsupported);
	}
	return kmv_sink__reject(file, 0, "file is empty"); /* not reached */
}

int kmv_session__file(kmv_import_ctx *ctx, const kmv_import_file *file)
{
	kmv_detection d;
	int error;

	error = kmv_detect__file(&d, file, ctx->opts->kind,
				 ctx->opts->profile != NULL);
	if (error == 0)
		error = route(ctx, file, &d);
	kmv_detect__dispose(&d);
	return error;
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
static int fd_read_all(kmv_buf *out, int fd, size_t max)
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
		kmv_batch__drop_records(ctx);
		/* Not the rejection's detail: it quotes the first line, and
		 * the file may be a password note. */
		if (ctx->opts->warn)
			ctx->opts->warn(
				path, 0,
				ctx->skip_reason
					? _(ctx->skip_reason)
					: _("skipped: not a statement, an order "
					    "export or an e-mail"),
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
		KMV_TRY(fd_read_all(&data, 0, KMV_IMPORT_MAX_FILE));
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
	KMV_TRY(kmv_sink__add_source(&file.source_id, ctx, "unknown", file.name,
				     file.data, file.len, 0));
	ctx->result->source_id = file.source_id;
	ctx->depth = 0;
	ctx->unrecognized = false;
	ctx->skip_reason = NULL;
	KMV_TRY(kmv_session__file(ctx, &file));
	if (!ctx->result->kind)
		ctx->result->kind = strdup("unknown");
	/* Before `data` goes: a background compression may be reading it. */
	KMV_TRY(kmv_sink__store_packings(ctx));
done:
	if (error < 0)
		kmv_sink__drop_packings(ctx);
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

int kmv_session__begin(kmv_import_ctx **out, kmv_vault *vault,
		       const kmv_import_options *opts,
		       kmv_import_results *results)
{
	static const kmv_import_options defaults = KMV_IMPORT_OPTIONS_INIT;
	kmv_import_ctx *ctx;
	kmv_time now = kmv_time_now();
	int error = 0;

	*out = NULL;
	if (!(ctx = calloc(1, sizeof(*ctx))))
		return kmv_error_nomem();
	ctx->vault = vault;
	ctx->db = kmv_vault__db(vault);
	ctx->opts = opts ? opts : &defaults;
	ctx->results = results;
	ctx->route = route;
	kmv_time_format(ctx->now, &now);
	KMV_TRY(kmv_sink__open(ctx));
	KMV_TRY(kmv_db__begin(ctx->db));
	*out = ctx;
	ctx = NULL;
done:
	if (ctx) {
		kmv_sink__close(ctx);
		free(ctx);
	}
	return error;
}

int kmv_session__end(kmv_import_ctx *ctx, int error)
{
	if (!ctx)
		return error;
	if (error == 0)
		error = kmv_batch__flush_records(ctx);
	if (error == 0)
		error = kmv_db__commit(ctx->db);
	if (error < 0)
		kmv_db__rollback(ctx->db);
	kmv_sink__close(ctx);
	free(ctx);
	return error;
}

int kmv_import_files(kmv_import_results *out, kmv_vault *vault,
		     const char *const *paths, size_t npaths,
		     const kmv_import_options *opts)
{
	kmv_import_ctx *ctx = NULL;
	int error = 0;

	KMV_ASSERT_ARG(out && vault && paths);
	KMV_TRY(kmv_session__begin(&ctx, vault, opts, out));
	for (size_t i = 0; i < npaths; i++)
		KMV_TRY(import_path(ctx, paths[i]));
	KMV_TRY(audit(ctx));
done:
	return kmv_session__end(ctx, error);
}

/*
 * Only a regular file starting with a ZIP local header goes to libarchive
 * (kmvault-archive.so): a CSV statement or an order file loads no plugin
 * (t0004).  Here, at the top, because archive.c is one of the importers
 * below: detection's sniffers (sniff.c) never call it.
 */
static bool zip_encrypted(const char *path)
{
	unsigned char magic[4];
	struct stat st;
	size_t n = 0;
	FILE *fp;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	if ((fp = fopen(path, "rb")) != NULL) {
		n = fread(magic, 1, sizeof(magic), fp);
		fclose(fp);
	}
	return kmv_detect__is_zip(magic, n) && kmv_archive__zip_encrypted(path);
}

int kmv_import_zip_encrypted(const char *const *paths, size_t npaths,
			     char **which)
{
	kmv_buf full = KMV_BUF_INIT;
	int found = 0;

	KMV_ASSERT_ARG(which && (paths || !npaths));
	*which = NULL;
	for (size_t i = 0; i < npaths && !found; i++) {
		struct stat st;
		DIR *d;
		struct dirent *ent;

		if (stat(paths[i], &st) < 0)
			continue;
		if (!S_ISDIR(st.st_mode)) {
			if (zip_encrypted(paths[i]))
				found = (*which = strdup(paths[i]))
						? 1
						: kmv_error_nomem();
			continue;
		}
		if (!(d = opendir(paths[i])))
			continue;
		while (!found && (ent = readdir(d)) != NULL) {
			if (ent->d_name[0] == '.')
				continue;
			kmv_buf_clear(&full);
			if (kmv_buf_printf(&full, "%s/%s", paths[i],
					   ent->d_name) < 0) {
				found = KMV_ERROR;
				break;
			}
			if (stat(full.ptr, &st) == 0 && S_ISREG(st.st_mode) &&
			    zip_encrypted(full.ptr))
				found = (*which = kmv_buf_detach(&full))
						? 1
						: kmv_error_nomem();
		}
		closedir(d);
	}
	kmv_buf_dispose(&full);
	return found;
}
