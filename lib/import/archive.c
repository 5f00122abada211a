/* SPDX-License-Identifier: MIT */
/*
 * ZIP archives as Alipay and WeChat mail them: libarchive reads the
 * container, WinZip-AES (Alipay) and traditional ZipCrypto (WeChat).
 *
 * The password is asked for lazily through libarchive's passphrase
 * callback: an unencrypted archive never prompts.  The callback answers
 * once (the --zip-password-file value, else the prompt); when libarchive
 * asks again the password was wrong, and the run fails with KMV_EAUTH
 * before anything is committed.
 *
 * An archive is untrusted input.  Refused (KMV_EINPUT): absolute paths,
 * `..` components, links, archives inside archives, members over
 * KMV_IMPORT_MAX_FILE, and output growing past ZIP_MAX_RATIO times the
 * archive's own size (a zip bomb) -- the sizes are checked while the data
 * streams, never trusted from the headers alone.
 */
#include "common.h"
#include "import/detect.h"
#include "import/import.h"
#include "import/readers.h"
#include "kmvutil/json.h"
#include "kmvutil/file.h"
#include "kmvutil/text.h"

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>

#define ZIP_MAX_MEMBERS 1000
/* Inflated bytes may exceed this many times the archive size ... */
#define ZIP_MAX_RATIO 100
/* ... once past this much output (small files compress very well). */
#define ZIP_RATIO_FLOOR ((uint64_t)32 << 20)

struct zip_pw {
	kmv_import_ctx *ctx;
	const kmv_import_file *file;
	char *asked; /* from ask_password, wiped on free */
	int rc;      /* ask_password's failure */
	bool tried;
};

static const char *passphrase_cb(struct archive *a, void *ud)
{
	struct zip_pw *pw = ud;
	const kmv_import_options *o = kmv_sink__options(pw->ctx);

	(void)a;
	if (pw->tried)
		return NULL; /* the one we gave did not fit */
	pw->tried = true;
	if (o->zip_password)
		return o->zip_password;
	if (!o->ask_password) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "%s: the archive is encrypted "
			      "and no ZIP password was given",
			      pw->file->display);
		pw->rc = KMV_EAUTH;
		return NULL;
	}
	pw->rc = o->ask_password(&pw->asked, pw->file->display, o->payload);
	if (pw->rc < 0)
		return NULL;
	return pw->asked;
}

static bool unsafe_path(const char *name)
{
	const char *p = name;

	if (name[0] == '/' || name[0] == '\\' || (name[0] && name[1] == ':'))
		return true;
	while (*p) {
		size_t n = strcspn(p, "/\\");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return true;
		p += n;
		if (*p)
			p++;
	}
	return false;
}

/* Archive formats we refuse to open inside an archive. */
static bool archive_magic(const uint8_t *d, size_t len)
{
	return (len >= 2 && d[0] == 0x1F && d[1] == 0x8B) || /* gzip */
	       (len >= 6 && memcmp(d, "7z\xBC\xAF\x27\x1C", 6) == 0) || /* 7z */
	       (len >= 4 && memcmp(d, "Rar!", 4) == 0) ||
	       (len >= 3 && memcmp(d, "BZh", 3) == 0) ||
	       (len >= 6 && memcmp(d,
				   "\xFD"
				   "7zXZ",
				   5) == 0);
}

static bool skip_name(const char *name)
{
	const char *base = kmv_basename(name);

	return strncmp(name, "__MACOSX/", 9) == 0 ||
	       strncmp(base, "._", 2) == 0;
}

/*
 * libarchive converts member names to the charset of the current LC_CTYPE,
 * which is "C" here (only LC_MESSAGES follows the environment): a name
 * carrying the UTF-8 flag (7-Zip AES archives, as Alipay mails them) then
 * cannot be converted and comes back NULL.  Reading the headers under a
 * thread-local UTF-8 LC_CTYPE (uselocale, nothing global changes) makes
 * flagged names UTF-8, and unflagged ones (Windows tools: GBK) come back
 * as their raw bytes for member_name() to decode.
 */
struct name_locale {
	locale_t utf8, saved;
};

static void names_utf8_begin(struct name_locale *l)
{
	l->saved = (locale_t)0;
	if (!l->utf8)
		l->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (l->utf8)
		l->saved = uselocale(l->utf8);
}

static void names_utf8_end(struct name_locale *l)
{
	if (l->utf8 && l->saved)
		uselocale(l->saved);
	l->saved = (locale_t)0;
}

/* The member's name as UTF-8 (GBK names without the UTF-8 flag happen). */
static int member_name(kmv_buf *out, struct archive_entry *e, size_t index)
{
	const char *name = archive_entry_pathname_utf8(e);

	if (!name)
		name = archive_entry_pathname(e);
	if (!name)
		return kmv_buf_printf(out, "member-%zu", index + 1);
	if (kmv_utf8_valid(name, strlen(name)))
		return kmv_buf_puts(out, name);
	if (kmv_text__to_utf8(out, (const uint8_t *)name, strlen(name),
			      "gb18030", "name") == 0)
		return 0;
	kmv_error_clear();
	kmv_buf_clear(out);
	return kmv_buf_printf(out, "member-%zu", index + 1);
}

static int read_error(const kmv_import_file *file, struct archive *a,
		      struct archive_entry *e, const char *name,
		      struct zip_pw *pw)
{
	if (pw->rc < 0)
		return pw->rc; /* no password given, or the prompt failed */
	if (archive_entry_is_encrypted(e)) {
		kmv_error_set(KMV_ERROR_INPUT,
			      "%s: wrong ZIP password for "
			      "'%s' (or the archive is damaged)",
			      file->display, name);
		return KMV_EAUTH;
	}
	return kmv_sink__reject(file, 0, "damaged ZIP member '%s': %s", name,
				archive_error_string(a)
					? archive_error_string(a)
					: "read error");
}

/* Stream one member into `data`, enforcing the size and ratio limits. */
static int read_member(kmv_buf *data, const kmv_import_file *file,
		       struct archive *a, struct archive_entry *e,
		       const char *name, uint64_t *total, struct zip_pw *pw)
{
	const void *buf;
	size_t size;
	la_int64_t offset;
	int r;

	if (archive_entry_size_is_set(e) &&
	    archive_entry_size(e) > (la_int64_t)KMV_IMPORT_MAX_FILE)
		return kmv_sink__reject(file, 0,
					"ZIP member '%s' is larger "
					"than %zu MiB",
					name, KMV_IMPORT_MAX_FILE >> 20);
	for (;;) {
		r = archive_read_data_block(a, &buf, &size, &offset);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return read_error(file, a, e, name, pw);
		if (data->size == 0 && size > 0 && archive_magic(buf, size))
			return kmv_sink__reject(
				file, 0,
				"ZIP member '%s' is "
				"itself an archive (nested archives are refused)",
				name);
		*total += size;
		if (data->size + size > KMV_IMPORT_MAX_FILE)
			return kmv_sink__reject(file, 0,
						"ZIP member '%s' is "
						"larger than %zu MiB",
						name,
						KMV_IMPORT_MAX_FILE >> 20);
		if (*total > ZIP_RATIO_FLOOR &&
		    *total / ZIP_MAX_RATIO > (uint64_t)file->len)
			return kmv_sink__reject(
				file, 0,
				"ZIP member '%s' "
				"inflates more than %dx the archive size "
				"(zip bomb refused)",
				name, ZIP_MAX_RATIO);
		if (kmv_buf_put(data, buf, size) < 0)
			return KMV_ERROR;
	}
}

/* One walk over a ZIP's members (kmv_import__zip's phases share it). */
struct zip_walk {
	kmv_import_ctx *ctx;
	const kmv_import_file *file;
	struct zip_pw pw;
	struct archive *a;
	struct name_locale names;
	kmv_buf name;    /* the member's path, UTF-8 */
	kmv_buf display; /* "a.zip:member" */
	kmv_buf data;    /* the member's bytes */
	kmv_buf meta;    /* the source's metadata JSON */
	kmv_json j;
	uint64_t total; /* bytes inflated so far (zip bomb guard) */
	size_t count;   /* members imported */
	bool encrypted;
};

/* Phase 1: the archive opened, the metadata begun. */
static int zip_open(struct zip_walk *w)
{
	kmv_json_init(&w->j, &w->meta, false);
	kmv_json_object_begin(&w->j);
	kmv_json_kv_string(&w->j, "container", "zip");
	kmv_json_key(&w->j, "members");
	kmv_json_array_begin(&w->j);
	if (!(w->a = archive_read_new()))
		return kmv_error_nomem();
	archive_read_support_format_zip(w->a);
	archive_read_set_passphrase_callback(w->a, &w->pw, passphrase_cb);
	if (archive_read_open_memory(w->a, w->file->data, w->file->len) !=
	    ARCHIVE_OK)
		return kmv_sink__reject(w->file, 0, "damaged ZIP archive: %s",
					archive_error_string(w->a));
	return 0;
}

/* Phase 2: the next member's header and name; 1 for a member, 0 at the
 * end. */
static int zip_next(struct zip_walk *w, struct archive_entry **e, size_t index)
{
	int r, error = 0;

	names_utf8_begin(&w->names);
	r = archive_read_next_header(w->a, e);
	if (r == ARCHIVE_OK || r == ARCHIVE_WARN) {
		kmv_buf_clear(&w->name);
		error = member_name(&w->name, *e, index);
	}
	names_utf8_end(&w->names);
	if (error < 0)
		return error;
	if (r == ARCHIVE_EOF)
		return 0;
	if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
		return kmv_sink__reject(w->file, 0,
					"damaged ZIP archive: "
					"%s",
					archive_error_string(w->a));
	return 1;
}

/* Phase 3: what a member may be; 1 to skip it (a folder, a resource
 * fork), 0 to import it, or the rejection. */
static int zip_check(struct zip_walk *w, struct archive_entry *e, size_t index)
{
	const char *name = w->name.ptr;
	mode_t type = archive_entry_filetype(e);

	if (index >= ZIP_MAX_MEMBERS)
		return kmv_sink__reject(w->file, 0, "more than %d members",
					ZIP_MAX_MEMBERS);
	if (unsafe_path(name))
		return kmv_sink__reject(
			w->file, 0,
			"unsafe member path "
			"'%s' (absolute paths and '..' are refused)",
			name);
	if (type == AE_IFLNK || archive_entry_symlink(e) ||
	    archive_entry_hardlink(e))
		return kmv_sink__reject(w->file, 0,
					"member '%s' is a "
					"link (links are refused)",
					name);
	if (type == AE_IFDIR)
		return 1;
	if (type != AE_IFREG && type != 0)
		return kmv_sink__reject(w->file, 0,
					"member '%s' is not "
					"a regular file",
					name);
	/* macOS resource forks are not statements. */
	return skip_name(name) ? 1 : 0;
}

/* Phase 4: a member read, stored as a source and imported (depth + 1). */
static int zip_member(struct zip_walk *w, struct archive_entry *e)
{
	const kmv_import_options *opts = kmv_sink__options(w->ctx);
	const char *name = w->name.ptr;
	kmv_import_file member;
	kmv_detection d;
	int64_t source_id;
	int error = 0;

	memset(&d, 0, sizeof(d));
	if (archive_entry_is_encrypted(e))
		w->encrypted = true;
	kmv_buf_clear(&w->data);
	KMV_TRY(read_member(&w->data, w->file, w->a, e, name, &w->total,
			    &w->pw));
	kmv_buf_clear(&w->display);
	KMV_TRY(kmv_buf_printf(&w->display, "%s:%s", w->file->display, name));
	memset(&member, 0, sizeof(member));
	member.display = w->display.ptr;
	member.name = kmv_basename(name);
	member.data = (const uint8_t *)w->data.ptr;
	member.len = w->data.size;
	KMV_TRY(kmv_detect__file(&d, &member, opts->kind,
				 opts->profile != NULL));
	if (d.zip && !d.book) {
		error = kmv_sink__reject(w->file, 0,
					 "ZIP member '%s' is "
					 "itself an archive (nested archives "
					 "are refused)",
					 name);
		goto done;
	}
	KMV_TRY(kmv_sink__add_source(&source_id, w->ctx, "unknown",
				     kmv_basename(name), w->data.ptr,
				     w->data.size, w->file->source_id));
	kmv_json_string(&w->j, name);
	member.source_id = source_id;
	KMV_TRY(kmv_sink__member(w->ctx, &member, &d));
	w->count++;
done:
	kmv_detect__dispose(&d);
	return error;
}

/* Phase 5: the archive's own source row and results line. */
static int zip_finish(struct zip_walk *w)
{
	int error = 0;

	if (w->count == 0)
		return kmv_sink__reject(w->file, 0,
					"the archive holds no files");
	kmv_json_array_end(&w->j);
	kmv_json_kv_bool(&w->j, "encrypted", w->encrypted);
	kmv_json_object_end(&w->j);
	KMV_TRY(kmv_json_finish(&w->j));
	KMV_TRY(kmv_sink__set_source_info(w->ctx, w->file->source_id, "zip",
					  (int64_t)w->count, w->meta.ptr));
	error = kmv_sink__set_kind(w->ctx, "zip");
done:
	return error;
}

int kmv_import__zip(kmv_import_ctx *ctx, const kmv_import_file *file)
{
	struct zip_walk w;
	struct archive_entry *e;
	int rc, error = 0;

	if (kmv_sink__depth(ctx) > 0)
		return kmv_sink__reject(file, 0,
					"an archive inside an archive "
					"(nested archives are refused)");
	memset(&w, 0, sizeof(w));
	w.ctx = ctx;
	w.file = file;
	w.pw.ctx = ctx;
	w.pw.file = file;
	kmv_buf_init(&w.name, 0);
	kmv_buf_init(&w.display, 0);
	kmv_buf_init(&w.data, 0);
	kmv_buf_init(&w.meta, 0);
	KMV_TRY(zip_open(&w));
	for (size_t index = 0;; index++) {
		KMV_TRY(rc = zip_next(&w, &e, index));
		if (rc == 0)
			break;
		KMV_TRY(rc = zip_check(&w, e, index));
		if (rc == 0)
			KMV_TRY(zip_member(&w, e));
	}
	error = zip_finish(&w);
done:
	if (w.a)
		archive_read_free(w.a);
	if (w.names.utf8)
		freelocale(w.names.utf8);
	if (w.pw.asked) {
		sodium_memzero(w.pw.asked, strlen(w.pw.asked));
		free(w.pw.asked);
	}
	kmv_buf_dispose(&w.name);
	kmv_buf_dispose(&w.display);
	kmv_buf_dispose_secure(&w.data);
	kmv_buf_dispose(&w.meta);
	return error;
}

/* Headers only: encrypted ZIP members are flagged before any data.  The
 * caller (session.c's zip_encrypted) has checked that `path` is a regular
 * file starting with the ZIP magic: a FIFO or a device would block here
 * (the import itself refuses them, exit 6). */
bool kmv_archive__zip_encrypted(const char *path)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	bool found = false;

	if (!a)
		return false;
	archive_read_support_format_zip(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK)
		goto done;
	for (int i = 0; i < ZIP_MAX_MEMBERS && !found; i++) {
		int r = archive_read_next_header(a, &e);

		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			break;
		found = archive_entry_is_encrypted(e) > 0;
	}
done:
	archive_read_free(a);
	return found;
}
