/* SPDX-License-Identifier: MIT */
/*
 * BagIt 1.0 (RFC 8493) writer and verifier over an in-memory bag, and the
 * archive container through libarchive (.zip, .tar.gz).
 *
 * Writer: payload manifests in SHA-256 and SHA-512 (bagit-python's
 * default pair), a SHA-256 tag manifest covering every tag file we wrote
 * (bagit.txt, bag-info.txt, both manifests, the public key).  The files
 * that sign or stamp the tag manifest cannot be listed in it; they are
 * the only unlisted files a verifier accepts (with the tag manifest
 * itself; any other tagmanifest-* file is refused).
 *
 * Verifier order (so the first offending path is the most useful one):
 * bagit.txt, tag manifest lines, payload manifest lines, unlisted files,
 * Payload-Oxum, signature, timestamp.
 */
#include "common.h"
#include "evidence/bag.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unzip.h>

#include "kmvutil/datetime.h"
#include "kmvutil/file.h"
#include "kmvutil/hash.h"

#define BAGIT_TXT "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
#define MAX_BUNDLE ((size_t)1 << 30)

/* ---- the in-memory bag ------------------------------------------------ */

static bool safe_path(const char *p)
{
	const char *s = p;

	if (!*p || *p == '/')
		return false;
	while (*s) {
		size_t n = strcspn(s, "/");

		if (n == 0 || (n == 1 && s[0] == '.') ||
		    (n == 2 && s[0] == '.' && s[1] == '.'))
			return false;
		s += n;
		if (*s == '/')
			s++;
	}
	return p[strlen(p) - 1] != '/';
}

int kmv_bag__add(kmv_bag *bag, const char *path, const void *data, size_t len)
{
	struct kmv_bag_file *f = NULL;
	unsigned char *copy;

	if (!safe_path(path)) {
		kmv_error_set(KMV_ERROR_VAULT, "unsafe path '%s' in bag", path);
		return KMV_ECORRUPT;
	}
	for (size_t i = 0; i < bag->count; i++)
		if (strcmp(bag->files[i].path, path) == 0)
			f = &bag->files[i];
	if (!(copy = malloc(len ? len : 1)))
		return kmv_error_nomem();
	if (len)
		memcpy(copy, data, len);
	if (f) {
		free(f->data);
		f->data = copy;
		f->len = len;
		return 0;
	}
	if (KMV_ARRAY_GROW(bag->files, bag->alloc, bag->count + 1) < 0) {
		free(copy);
		return kmv_error_nomem();
	}
	f = &bag->files[bag->count];
	if (!(f->path = strdup(path))) {
		free(copy);
		return kmv_error_nomem();
	}
	f->data = copy;
	f->len = len;
	bag->count++;
	return 0;
}

const struct kmv_bag_file *kmv_bag__find(const kmv_bag *bag, const char *path)
{
	for (size_t i = 0; i < bag->count; i++)
		if (strcmp(bag->files[i].path, path) == 0)
			return &bag->files[i];
	return NULL;
}

void kmv_bag__dispose(kmv_bag *bag)
{
	for (size_t i = 0; i < bag->count; i++) {
		free(bag->files[i].path);
		free(bag->files[i].data);
	}
	free(bag->files);
	bag->files = NULL;
	bag->count = bag->alloc = 0;
}

static bool is_payload(const char *path)
{
	return strncmp(path, "data/", 5) == 0;
}

static bool is_unlisted_tag(const char *path)
{
	return strncmp(path, "tagmanifest-", 12) == 0 ||
	       strcmp(path, KMV_BAG_SIG) == 0 ||
	       strcmp(path, KMV_BAG_TSQ) == 0 || strcmp(path, KMV_BAG_TSR) == 0;
}

/*
 * The only files a verifier accepts without a tag manifest line: the tag
 * manifest itself and the three files that sign or stamp it.  Any other
 * tagmanifest-* is refused (a forged "tagmanifest-refund.txt" must not
 * ride along in a signed bag).
 */
static bool may_be_unlisted(const char *path)
{
	return strcmp(path, KMV_BAG_TAGMANIFEST) == 0 ||
	       strcmp(path, KMV_BAG_SIG) == 0 ||
	       strcmp(path, KMV_BAG_TSQ) == 0 || strcmp(path, KMV_BAG_TSR) == 0;
}

static int by_path(const void *a, const void *b)
{
	const struct kmv_bag_file *x = a, *y = b;

	return strcmp(x->path, y->path);
}

/* RFC 8493 2.1.3: CR, LF and % in names are percent-encoded. */
static int put_encoded_path(kmv_buf *out, const char *path)
{
	int error = 0;

	for (const char *p = path; *p && error == 0; p++) {
		if (*p == '\r')
			error = kmv_buf_puts(out, "%0D");
		else if (*p == '\n')
			error = kmv_buf_puts(out, "%0A");
		else if (*p == '%')
			error = kmv_buf_puts(out, "%25");
		else
			error = kmv_buf_putc(out, *p);
	}
	return error;
}

static void digest(char *hex, bool sha512, const void *data, size_t len)
{
	unsigned char d[64];

	if (sha512)
		kmv_sha512(d, data, len);
	else
		kmv_sha256(d, data, len);
	kmv_hex_encode(hex, d, sha512 ? 64 : 32);
}

static int manifest(kmv_buf *out, const kmv_bag *bag, bool payload, bool sha512)
{
	char hex[129];
	int error = 0;

	for (size_t i = 0; i < bag->count; i++) {
		const struct kmv_bag_file *f = &bag->files[i];

		if (payload != is_payload(f->path))
			continue;
		if (!payload && is_unlisted_tag(f->path))
			continue;
		digest(hex, sha512, f->data, f->len);
		KMV_TRY(kmv_buf_printf(out, "%s  ", hex));
		KMV_TRY(put_encoded_path(out, f->path));
		KMV_TRY(kmv_buf_putc(out, '\n'));
	}
done:
	return error;
}

int kmv_bag__finalize(kmv_bag *bag, const kmv_bag_info *info)
{
	kmv_buf b = KMV_BUF_INIT;
	uint64_t octets = 0, nfiles = 0;
	int error = 0;

	qsort(bag->files, bag->count, sizeof(bag->files[0]), by_path);
	for (size_t i = 0; i < bag->count; i++) {
		if (is_payload(bag->files[i].path)) {
			octets += bag->files[i].len;
			nfiles++;
		}
	}
	KMV_TRY(kmv_bag__add(bag, "bagit.txt", BAGIT_TXT, strlen(BAGIT_TXT)));
	KMV_TRY(kmv_buf_printf(&b, "Bagging-Date: %s\n", info->bagging_date));
	KMV_TRY(kmv_buf_printf(&b, "Payload-Oxum: %llu.%llu\n",
			       (unsigned long long)octets,
			       (unsigned long long)nfiles));
	if (info->external_identifier)
		KMV_TRY(kmv_buf_printf(&b, "External-Identifier: %s\n",
				       info->external_identifier));
	if (info->external_description)
		KMV_TRY(kmv_buf_printf(&b, "External-Description: %s\n",
				       info->external_description));
	KMV_TRY(kmv_buf_printf(&b, "Bag-Software-Agent: kmvault %s\n",
			       KMV_VERSION));
	KMV_TRY(kmv_bag__add(bag, "bag-info.txt", b.ptr, b.size));
	kmv_buf_clear(&b);
	KMV_TRY(manifest(&b, bag, true, false));
	KMV_TRY(kmv_bag__add(bag, "manifest-sha256.txt", b.ptr, b.size));
	kmv_buf_clear(&b);
	KMV_TRY(manifest(&b, bag, true, true));
	KMV_TRY(kmv_bag__add(bag, "manifest-sha512.txt", b.ptr, b.size));
	qsort(bag->files, bag->count, sizeof(bag->files[0]), by_path);
	kmv_buf_clear(&b);
	KMV_TRY(manifest(&b, bag, false, false));
	KMV_TRY(kmv_bag__add(bag, KMV_BAG_TAGMANIFEST, b.ptr, b.size));
	qsort(bag->files, bag->count, sizeof(bag->files[0]), by_path);
done:
	kmv_buf_dispose(&b);
	return error;
}

/* ---- archives --------------------------------------------------------- */

/*
 * libarchive converts entry names through the current locale, and in the
 * C locale UTF-8 names (data/申诉书.txt) cannot be converted.  A UTF-8
 * LC_CTYPE is switched on for this thread only, around archive work.
 */
struct utf8_scope {
	locale_t mine;
	locale_t old;
};

static void utf8_begin(struct utf8_scope *s)
{
	s->mine = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	s->old = s->mine ? uselocale(s->mine) : (locale_t)0;
}

static void utf8_end(struct utf8_scope *s)
{
	if (s->mine) {
		uselocale(s->old);
		freelocale(s->mine);
	}
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int write_archive(const kmv_bag *bag, const char *root, const char *path,
			 const char *file, bool replace);

static int write_cb_open(struct archive *a, void *client)
{
	(void)a;
	(void)client;
	return ARCHIVE_OK;
}

static la_ssize_t write_cb(struct archive *a, void *client, const void *buf,
			   size_t len)
{
	(void)a;
	return kmv_buf_put(client, buf, len) < 0 ? -1 : (la_ssize_t)len;
}

int kmv_bag__write_archive(const kmv_bag *bag, const char *root,
			   const char *path, bool replace)
{
	return write_archive(bag, root, path, path, replace);
}

int kmv_bag__write_archive_to(const kmv_bag *bag, const char *root,
			      const char *name, const char *tmp)
{
	return write_archive(bag, root, name, tmp, false);
}

static int write_archive(const kmv_bag *bag, const char *root, const char *path,
			 const char *file, bool replace)
{
	struct archive *a = archive_write_new();
	struct archive_entry *e = archive_entry_new();
	kmv_buf out = KMV_BUF_INIT, name = KMV_BUF_INIT;
	int64_t mtime = kmv_time_now().epoch;
	struct utf8_scope loc;
	int error = 0;

	utf8_begin(&loc);
	if (!a || !e) {
		error = kmv_error_nomem();
		goto done;
	}
	if (ends_with(path, ".zip")) {
		archive_write_set_format_zip(a);
		/* UTF-8 names (the letter is 申诉书.txt) flagged as such. */
		archive_write_set_options(a, "zip:hdrcharset=UTF-8");
	} else if (ends_with(path, ".tar.gz") || ends_with(path, ".tgz")) {
		archive_write_set_format_pax_restricted(a);
		archive_write_add_filter_gzip(a);
	} else {
		kmv_error_set(KMV_ERROR_INPUT,
			      "'%s': a bundle must end in .zip, "
			      ".tar.gz or .tgz",
			      path);
		error = KMV_EUSAGE;
		goto done;
	}
	archive_write_set_bytes_in_last_block(a, 1);
	if (archive_write_open(a, &out, write_cb_open, write_cb, NULL) !=
	    ARCHIVE_OK)
		goto archive_error;
	for (size_t i = 0; i < bag->count; i++) {
		const struct kmv_bag_file *f = &bag->files[i];

		kmv_buf_clear(&name);
		KMV_TRY(kmv_buf_printf(&name, "%s/%s", root, f->path));
		archive_entry_clear(e);
		archive_entry_set_pathname_utf8(e, name.ptr);
		archive_entry_set_size(e, (la_int64_t)f->len);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_mtime(e, (time_t)mtime, 0);
		if (archive_write_header(a, e) != ARCHIVE_OK)
			goto archive_error;
		if (f->len && archive_write_data(a, f->data, f->len) !=
				      (la_ssize_t)f->len)
			goto archive_error;
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		goto archive_error;
	error = kmv_file_write(file, out.ptr, out.size, replace);
	goto done;
archive_error:
	kmv_error_set(KMV_ERROR_OS, "cannot write '%s': %s", path,
		      archive_error_string(a) ? archive_error_string(a)
					      : "libarchive error");
	error = KMV_ERROR;
done:
	archive_entry_free(e);
	if (a)
		archive_write_free(a);
	utf8_end(&loc);
	kmv_buf_dispose(&out);
	kmv_buf_dispose(&name);
	return error;
}

static int zip_disagrees(const char *path, const char *name, const char *what)
{
	kmv_error_set(KMV_ERROR_VAULT, "'%s' is damaged: %s%s%s", path,
		      name ? name : "", name ? ": " : "", what);
	return KMV_ECORRUPT;
}

/*
 * libarchive's seekable reader finds the entries through the central
 * directory but names them from their local headers; unzip, zipinfo and
 * every other tool name them from the central directory.  A bundle whose
 * two disagree would verify one set of files while `unzip` extracts
 * another, so minizip walks the central directory as unzip does and every
 * entry must have the same name and the same bytes as `raw` (the files
 * libarchive read), and no entry may be missing on either side.
 */
static int zip_central_agrees(const kmv_bag *raw, const char *path)
{
	unzFile z = unzOpen64(path);
	unz_file_info64 fi;
	kmv_buf data = KMV_BUF_INIT;
	char name[4097], buf[65536];
	size_t entries = 0;
	int error = 0, rc;

	if (!z)
		return zip_disagrees(path, NULL,
				     "no readable central directory");
	for (rc = unzGoToFirstFile(z); rc == UNZ_OK; rc = unzGoToNextFile(z)) {
		const struct kmv_bag_file *f;
		int n;

		if (unzGetCurrentFileInfo64(z, &fi, name, sizeof(name), NULL, 0,
					    NULL, 0) != UNZ_OK ||
		    fi.size_filename >= sizeof(name)) {
			error = zip_disagrees(
				path, NULL,
				"unreadable central directory entry");
			goto done;
		}
		if (fi.size_filename && name[fi.size_filename - 1] == '/')
			continue; /* a directory: libarchive skips them too */
		if (strlen(name) != fi.size_filename ||
		    !(f = kmv_bag__find(raw, name))) {
			error = zip_disagrees(
				path, name,
				"the central directory "
				"names a file no local header has");
			goto done;
		}
		if (fi.uncompressed_size != f->len) {
			error = zip_disagrees(path, name,
					      "central directory and "
					      "local header sizes differ");
			goto done;
		}
		kmv_buf_clear(&data);
		if (unzOpenCurrentFile(z) != UNZ_OK) {
			error = zip_disagrees(path, name,
					      "local header does not "
					      "match the central directory");
			goto done;
		}
		while ((n = unzReadCurrentFile(z, buf, sizeof(buf))) > 0) {
			if (data.size + (size_t)n > f->len) {
				n = -1;
				break;
			}
			KMV_TRY(kmv_buf_put(&data, buf, (size_t)n));
		}
		if (unzCloseCurrentFile(z) != UNZ_OK || n < 0 ||
		    data.size != f->len ||
		    (f->len && memcmp(data.ptr, f->data, f->len) != 0)) {
			error = zip_disagrees(path, name,
					      "the data unzip reads "
					      "differs from the local entry");
			goto done;
		}
		entries++;
	}
	if (rc != UNZ_END_OF_LIST_OF_FILE) {
		error = zip_disagrees(path, NULL, "damaged central directory");
		goto done;
	}
	if (entries != raw->count)
		error = zip_disagrees(path, NULL,
				      "a local entry is missing from "
				      "the central directory");
done:
	unzClose(z);
	kmv_buf_dispose(&data);
	return error;
}

/* What reading an archive gathers: its files as named in it, whether
 * they all sit under one first folder (`first`, with its slash). */
struct archive_files {
	kmv_bag raw;
	kmv_buf data, first;
	size_t total;
	bool common_root;
};

static int archive_open(struct archive *a, const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		kmv_error_set_os("cannot open '%s'", path);
		return errno == ENOENT ? KMV_ENOTFOUND : KMV_ERROR;
	}
	/* ZIP through its central directory, as unzip reads it (the
	 * streaming reader would accept a bundle cut before it). */
	archive_read_support_format_zip_seekable(a);
	archive_read_support_format_tar(a);
	archive_read_support_filter_gzip(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK) {
		kmv_error_set(KMV_ERROR_VAULT, "'%s' is not a bundle: %s", path,
			      archive_error_string(a));
		return KMV_ECORRUPT;
	}
	return 0;
}

static bool archive_is_zip(struct archive *a)
{
	return (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) ==
	       ARCHIVE_FORMAT_ZIP;
}

/*
 * The entry's name, if it is a file the bag may hold; 1 for a directory
 * (skipped).  rc is archive_read_next_header's: ARCHIVE_WARN is a UTF-8
 * name not convertible to the C locale (the UTF-8 name is used) -- or,
 * in a ZIP, a local header whose CRC or sizes contradict the central
 * directory: that is damage.
 */
static int entry_name(const char **out, struct archive *a,
		      struct archive_entry *e, int rc, const char *path,
		      const kmv_bag *raw)
{
	const char *name = archive_entry_pathname_utf8(e);

	if (rc == ARCHIVE_WARN && archive_is_zip(a)) {
		kmv_error_set(KMV_ERROR_VAULT, "'%s' is damaged: %s", path,
			      archive_error_string(a));
		return KMV_ECORRUPT;
	}
	if (!name)
		name = archive_entry_pathname(e);
	if (archive_entry_filetype(e) == AE_IFDIR)
		return 1;
	if (!name || archive_entry_filetype(e) != AE_IFREG) {
		kmv_error_set(KMV_ERROR_VAULT, "%s: not a regular file",
			      name ? name : "(unnamed entry)");
		return KMV_ECORRUPT;
	}
	if (kmv_bag__find(raw, name)) {
		kmv_error_set(KMV_ERROR_VAULT, "%s: appears twice", name);
		return KMV_ECORRUPT;
	}
	*out = name;
	return 0;
}

/* The current entry's bytes into af->data (1 GiB in all at most). */
static int entry_data(struct archive_files *af, struct archive *a,
		      const char *path, const char *name)
{
	char buf[65536];
	la_ssize_t n;
	int error = 0;

	kmv_buf_clear(&af->data);
	while ((n = archive_read_data(a, buf, sizeof(buf))) > 0) {
		af->total += (size_t)n;
		if (af->total > MAX_BUNDLE) {
			kmv_error_set(KMV_ERROR_INPUT,
				      "'%s' is larger "
				      "than 1 GiB",
				      path);
			return KMV_EINPUT;
		}
		KMV_TRY(kmv_buf_put(&af->data, buf, (size_t)n));
	}
	if (n < 0) {
		kmv_error_set(KMV_ERROR_VAULT, "%s: %s", name,
			      archive_error_string(a));
		return KMV_ECORRUPT;
	}
done:
	return error;
}

/* The entry read into af->raw, noting whether the first folder holds it. */
static int entry_keep(struct archive_files *af, const char *name)
{
	const char *slash = strchr(name, '/');
	int error = 0;

	if (af->raw.count == 0 && slash)
		KMV_TRY(kmv_buf_put(&af->first, name,
				    (size_t)(slash - name) + 1));
	if (!slash || af->first.size == 0 ||
	    strncmp(name, af->first.ptr, af->first.size) != 0)
		af->common_root = false;
	KMV_TRY(kmv_bag__add(&af->raw, name, af->data.ptr, af->data.size));
done:
	return error;
}

/* Every entry of the archive into af->raw. */
static int archive_entries(struct archive_files *af, struct archive *a,
			   const char *path)
{
	struct archive_entry *e;
	int error = 0, rc;

	while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK ||
	       rc == ARCHIVE_WARN) {
		const char *name = NULL;

		KMV_TRY(entry_name(&name, a, e, rc, path, &af->raw));
		if (error > 0)
			continue; /* a directory */
		KMV_TRY(entry_data(af, a, path, name));
		KMV_TRY(entry_keep(af, name));
	}
	if (rc != ARCHIVE_EOF) {
		kmv_error_set(KMV_ERROR_VAULT, "'%s' is damaged: %s", path,
			      archive_error_string(a));
		return KMV_ECORRUPT;
	}
	error = 0;
done:
	return error;
}

int kmv_bag__read_archive(kmv_bag *bag, kmv_buf *root_out, const char *path)
{
	struct archive *a = archive_read_new();
	struct archive_files af = { KMV_BAG_INIT, KMV_BUF_INIT, KMV_BUF_INIT, 0,
				    true };
	struct utf8_scope loc;
	int error = 0;

	utf8_begin(&loc);
	KMV_TRY(archive_open(a, path));
	KMV_TRY(archive_entries(&af, a, path));
	if (archive_is_zip(a))
		KMV_TRY(zip_central_agrees(&af.raw, path));
	/* the files under the bag's root, when one folder holds them all */
	for (size_t i = 0; i < af.raw.count; i++) {
		const char *p = af.raw.files[i].path +
				(af.common_root ? af.first.size : 0);

		KMV_TRY(kmv_bag__add(bag, p, af.raw.files[i].data,
				     af.raw.files[i].len));
	}
	if (root_out && af.common_root && af.first.size)
		KMV_TRY(kmv_buf_put(root_out, af.first.ptr, af.first.size - 1));
done:
	archive_read_free(a);
	utf8_end(&loc);
	kmv_bag__dispose(&af.raw);
	kmv_buf_dispose(&af.data);
	kmv_buf_dispose(&af.first);
	return error;
}

/* ---- verification ----------------------------------------------------- */

static int corrupt(kmv_evidence_verify_result *res, const char *path,
		   const char *what)
{
	free(res->bad_path);
	res->bad_path = strdup(path);
	kmv_error_set(KMV_ERROR_VAULT, "%s: %s", path, what);
	return KMV_ECORRUPT;
}

static void percent_decode(char *s)
{
	char *o = s;

	for (char *p = s; *p; p++) {
		if (p[0] == '%' && p[1] && p[2]) {
			if (strncmp(p, "%0D", 3) == 0 ||
			    strncmp(p, "%0d", 3) == 0) {
				*o++ = '\r';
				p += 2;
				continue;
			}
			if (strncmp(p, "%0A", 3) == 0 ||
			    strncmp(p, "%0a", 3) == 0) {
				*o++ = '\n';
				p += 2;
				continue;
			}
			if (strncmp(p, "%25", 3) == 0) {
				*o++ = '%';
				p += 2;
				continue;
			}
		}
		*o++ = *p;
	}
	*o = '\0';
}

/*
 * Check every line of a manifest; mark listed files in `seen`.  Missing
 * or mismatching files name the file; a malformed line names the manifest.
 */
static int check_manifest(const kmv_bag *bag, const char *mname, bool sha512,
			  bool payload, bool *seen, int64_t *count,
			  kmv_evidence_verify_result *res)
{
	const struct kmv_bag_file *m = kmv_bag__find(bag, mname);
	size_t hexlen = sha512 ? 128 : 64;
	kmv_buf text = KMV_BUF_INIT;
	char *line, *next;
	int error = 0;

	if (!m)
		return corrupt(res, mname, "missing");
	KMV_TRY(kmv_buf_put(&text, m->data, m->len));
	for (line = text.ptr; *line; line = next) {
		char hex[129];
		char *path;
		const struct kmv_bag_file *f;
		size_t idx;

		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		if (*line && line[strlen(line) - 1] == '\r')
			line[strlen(line) - 1] = '\0';
		if (!*line)
			continue;
		path = line + strspn(line, "0123456789abcdefABCDEF");
		if ((size_t)(path - line) != hexlen ||
		    (*path != ' ' && *path != '\t')) {
			error = corrupt(res, mname, "malformed manifest line");
			goto done;
		}
		*path++ = '\0';
		path += strspn(path, " \t");
		percent_decode(path);
		if (payload != is_payload(path) || is_unlisted_tag(path)) {
			error = corrupt(res, mname,
					"lists a file of the wrong kind");
			goto done;
		}
		if (!(f = kmv_bag__find(bag, path))) {
			error = corrupt(res, path,
					"listed in the manifest but missing");
			goto done;
		}
		digest(hex, sha512, f->data, f->len);
		if (strcasecmp(hex, line) != 0) {
			kmv_buf msg = KMV_BUF_INIT;

			kmv_buf_printf(&msg, "%s digest does not match %s",
				       sha512 ? "SHA-512" : "SHA-256", mname);
			error = corrupt(res, path, msg.ptr);
			kmv_buf_dispose(&msg);
			goto done;
		}
		idx = (size_t)(f - bag->files);
		if (seen[idx] && count) {
			error = corrupt(res, path, "listed twice");
			goto done;
		}
		if (!seen[idx] && count)
			(*count)++;
		seen[idx] = true;
	}
done:
	kmv_buf_dispose(&text);
	return error;
}

static int check_oxum(const kmv_bag *bag, kmv_evidence_verify_result *res)
{
	const struct kmv_bag_file *info = kmv_bag__find(bag, "bag-info.txt");
	kmv_buf text = KMV_BUF_INIT;
	unsigned long long octets = 0, files = 0, want_o = 0, want_f = 0;
	const char *p;
	int error = 0;

	if (!info)
		return corrupt(res, "bag-info.txt", "missing");
	KMV_TRY(kmv_buf_put(&text, info->data, info->len));
	p = strstr(text.ptr, "Payload-Oxum:");
	if (!p || (p != text.ptr && p[-1] != '\n') ||
	    sscanf(p + 13, " %llu.%llu", &want_o, &want_f) != 2) {
		error = corrupt(res, "bag-info.txt", "no valid Payload-Oxum");
		goto done;
	}
	for (size_t i = 0; i < bag->count; i++) {
		if (is_payload(bag->files[i].path)) {
			octets += bag->files[i].len;
			files++;
		}
	}
	if (octets != want_o || files != want_f)
		error = corrupt(res, "bag-info.txt",
				"Payload-Oxum does not match "
				"the payload");
done:
	kmv_buf_dispose(&text);
	return error;
}

static int file_text(kmv_buf *out, const kmv_bag *bag, const char *path)
{
	const struct kmv_bag_file *f = kmv_bag__find(bag, path);

	if (!f)
		return KMV_ENOTFOUND;
	return kmv_buf_put(out, f->data, f->len);
}

/* bagit.txt: a BagIt 1.0 declaration, byte for byte. */
static int verify_declaration(const kmv_bag *bag,
			      kmv_evidence_verify_result *res)
{
	const struct kmv_bag_file *f = kmv_bag__find(bag, "bagit.txt");

	if (!f)
		return corrupt(res, "bagit.txt", "missing: not a BagIt bag");
	if (f->len != strlen(BAGIT_TXT) ||
	    memcmp(f->data, BAGIT_TXT, f->len) != 0)
		return corrupt(res, "bagit.txt", "not a BagIt 1.0 declaration");
	return 0;
}

/* manifest-sha512.txt, when there is one: right, and listing every
 * payload file manifest-sha256.txt listed (seen). */
static int verify_sha512(const kmv_bag *bag, kmv_evidence_verify_result *res,
			 const bool *seen)
{
	bool *seen512;
	int error;

	if (!kmv_bag__find(bag, "manifest-sha512.txt"))
		return 0;
	if (!(seen512 = calloc(bag->count + 1, sizeof(bool))))
		return kmv_error_nomem();
	error = check_manifest(bag, "manifest-sha512.txt", true, true, seen512,
			       NULL, res);
	/* Every payload file must be in every payload manifest. */
	for (size_t i = 0; error == 0 && i < bag->count; i++)
		if (seen[i] && is_payload(bag->files[i].path) && !seen512[i])
			error = corrupt(res, bag->files[i].path,
					"missing from manifest-sha512.txt");
	free(seen512);
	return error < 0 ? error : 0;
}

static bool is_bag_manifest(const char *p)
{
	return strcmp(p, "manifest-sha256.txt") == 0 ||
	       strcmp(p, "manifest-sha512.txt") == 0;
}

/* No file the manifests do not list (seen), and the payload manifests
 * and bag-info.txt listed by the tag manifest. */
static int verify_coverage(const kmv_bag *bag, kmv_evidence_verify_result *res,
			   const bool *seen)
{
	for (size_t i = 0; i < bag->count; i++) {
		const char *p = bag->files[i].path;

		if (seen[i] || may_be_unlisted(p) || is_bag_manifest(p))
			continue;
		return corrupt(
			res, p,
			is_payload(p)
				? "payload file not listed in manifest-sha256.txt"
				: "file not listed in " KMV_BAG_TAGMANIFEST);
	}
	/* The payload manifests themselves must be covered by the tag manifest. */
	for (size_t i = 0; i < bag->count; i++) {
		const char *p = bag->files[i].path;

		if (!seen[i] &&
		    (is_bag_manifest(p) || strcmp(p, "bag-info.txt") == 0))
			return corrupt(res, p,
				       "not listed in " KMV_BAG_TAGMANIFEST);
	}
	return 0;
}

/* The minisign signature over the tag manifest, by the bag's key or the
 * one given; the key id and trusted comment into res. */
static int verify_signature(const kmv_bag *bag, kmv_evidence_verify_result *res,
			    const char *pubkey_text)
{
	const struct kmv_bag_file *tm = kmv_bag__find(bag, KMV_BAG_TAGMANIFEST);
	unsigned char pk[32], keynum[KMV_KEYNUM_BYTES];
	unsigned char bag_pk[32], bag_keynum[KMV_KEYNUM_BYTES];
	kmv_buf sig = KMV_BUF_INIT, tc = KMV_BUF_INIT, pub = KMV_BUF_INIT;
	char id[17];
	int error = 0;

	if (file_text(&sig, bag, KMV_BAG_SIG) < 0) {
		error = corrupt(res, KMV_BAG_SIG,
				"missing: the bag is not signed");
		goto done;
	}
	if (file_text(&pub, bag, KMV_BAG_PUB) < 0 ||
	    kmv_minisign__pubkey_parse(bag_pk, bag_keynum, pub.ptr) < 0) {
		error = corrupt(res, KMV_BAG_PUB,
				"missing or not a minisign public key");
		goto done;
	}
	if (pubkey_text) {
		KMV_TRY(kmv_minisign__pubkey_parse(pk, keynum, pubkey_text));
		res->external_key = true;
	} else {
		memcpy(pk, bag_pk, sizeof(pk));
		memcpy(keynum, bag_keynum, sizeof(keynum));
	}
	error = kmv_minisign__verify(&tc, sig.ptr, pk, keynum, tm->data,
				     tm->len);
	if (error < 0) {
		kmv_buf msg = KMV_BUF_INIT;

		kmv_buf_printf(&msg, "%s", kmv_error_last());
		error = corrupt(res, KMV_BAG_SIG, msg.ptr);
		kmv_buf_dispose(&msg);
		goto done;
	}
	kmv_minisign__key_id(id, keynum);
	res->key_id = strdup(id);
	res->trusted_comment = strdup(tc.ptr);
done:
	kmv_buf_dispose(&sig);
	kmv_buf_dispose(&tc);
	kmv_buf_dispose(&pub);
	return error;
}

/* The timestamp reply, when the bag has been stamped. */
static int verify_timestamp(const kmv_bag *bag, kmv_evidence_verify_result *res,
			    const char *tsa_ca)
{
	const struct kmv_bag_file *tm = kmv_bag__find(bag, KMV_BAG_TAGMANIFEST);
	const struct kmv_bag_file *q = kmv_bag__find(bag, KMV_BAG_TSQ);
	const struct kmv_bag_file *r = kmv_bag__find(bag, KMV_BAG_TSR);
	kmv_buf when = KMV_BUF_INIT;
	int error = 0;

	if (!r)
		return 0;
	if (!q)
		return corrupt(res, KMV_BAG_TSQ,
			       "missing (the reply has "
			       "no query to answer)");
	error = kmv_tsa__check(&when, q->data, q->len, r->data, r->len,
			       tm->data, tm->len, tsa_ca);
	if (error < 0) {
		kmv_buf msg = KMV_BUF_INIT;

		kmv_buf_printf(&msg, "%s", kmv_error_last());
		error = corrupt(res, KMV_BAG_TSR, msg.ptr);
		kmv_buf_dispose(&msg);
		goto done;
	}
	res->timestamped = true;
	res->tsa_chain_verified = tsa_ca != NULL;
	res->timestamp = strdup(when.ptr);
done:
	kmv_buf_dispose(&when);
	return error;
}

int kmv_bag__verify(const kmv_bag *bag, kmv_evidence_verify_result *res,
		    const char *pubkey_text, const char *tsa_ca)
{
	bool *seen = calloc(bag->count + 1, sizeof(bool));
	int error = 0;

	if (!seen)
		return kmv_error_nomem();
	KMV_TRY(verify_declaration(bag, res));
	KMV_TRY(check_manifest(bag, KMV_BAG_TAGMANIFEST, false, false, seen,
			       &res->tag_files, res));
	KMV_TRY(check_manifest(bag, "manifest-sha256.txt", false, true, seen,
			       &res->files, res));
	KMV_TRY(verify_sha512(bag, res, seen));
	KMV_TRY(verify_coverage(bag, res, seen));
	KMV_TRY(check_oxum(bag, res));
	KMV_TRY(verify_signature(bag, res, pubkey_text));
	KMV_TRY(verify_timestamp(bag, res, tsa_ca));
done:
	free(seen);
	return error;
}

void kmv_evidence_verify_result_dispose(kmv_evidence_verify_result *res)
{
	if (!res)
		return;
	free(res->key_id);
	free(res->trusted_comment);
	free(res->timestamp);
	free(res->bad_path);
	memset(res, 0, sizeof(*res));
}

static int read_pubkey_arg(kmv_buf *out, const char *arg)
{
	struct stat st;

	/* A file (minisign .pub) if it exists, else the base64 line itself. */
	if (stat(arg, &st) == 0)
		return kmv_file_read(out, arg, 4096);
	return kmv_buf_puts(out, arg);
}

int kmv_evidence_verify(kmv_evidence_verify_result *out, const char *path,
			const char *pubkey, const char *tsa_ca)
{
	kmv_bag bag = KMV_BAG_INIT;
	kmv_buf pub = KMV_BUF_INIT;
	int error = 0;

	KMV_ASSERT_ARG(out && path);
	if (pubkey) {
		error = read_pubkey_arg(&pub, pubkey);
		if (error < 0)
			goto done;
		if (kmv_minisign__pubkey_parse((unsigned char[32]){ 0 },
					       (unsigned char[8]){ 0 },
					       pub.ptr) < 0) {
			kmv_error_set(KMV_ERROR_INPUT,
				      "--pubkey '%s' is neither a "
				      "minisign public key file nor its base64 "
				      "line",
				      pubkey);
			error = KMV_EINPUT;
			goto done;
		}
	}
	KMV_TRY(kmv_bag__read_archive(&bag, NULL, path));
	error = kmv_bag__verify(&bag, out, pubkey ? pub.ptr : NULL, tsa_ca);
done:
	kmv_bag__dispose(&bag);
	kmv_buf_dispose(&pub);
	return error;
}

/* ---- stamp ------------------------------------------------------------ */

int kmv_evidence_stamp(const char *bundle, const char *reply,
		       kmv_buf *gen_time_out)
{
	kmv_evidence_verify_result vr = KMV_EVIDENCE_VERIFY_RESULT_INIT;
	kmv_bag bag = KMV_BAG_INIT;
	kmv_buf root = KMV_BUF_INIT, tsr = KMV_BUF_INIT;
	const struct kmv_bag_file *q, *tm;
	int error = 0;

	KMV_ASSERT_ARG(bundle && reply);
	KMV_TRY(kmv_file_read(&tsr, reply, 1 << 20));
	KMV_TRY(kmv_bag__read_archive(&bag, &root, bundle));
	KMV_TRY(kmv_bag__verify(&bag, &vr, NULL, NULL));
	q = kmv_bag__find(&bag, KMV_BAG_TSQ);
	tm = kmv_bag__find(&bag, KMV_BAG_TAGMANIFEST);
	if (!q) {
		kmv_error_set(KMV_ERROR_VAULT, "%s: missing in '%s'",
			      KMV_BAG_TSQ, bundle);
		error = KMV_ECORRUPT;
		goto done;
	}
	error = kmv_tsa__check(gen_time_out, q->data, q->len, tsr.ptr, tsr.size,
			       tm->data, tm->len, NULL);
	if (error < 0) {
		kmv_buf msg = KMV_BUF_INIT;

		kmv_buf_printf(&msg, "'%s' is not a timestamp for '%s': %s",
			       reply, bundle, kmv_error_last());
		kmv_error_set(KMV_ERROR_INPUT, "%s", msg.ptr);
		kmv_buf_dispose(&msg);
		error = KMV_EINPUT;
		goto done;
	}
	KMV_TRY(kmv_bag__add(&bag, KMV_BAG_TSR, tsr.ptr, tsr.size));
	qsort(bag.files, bag.count, sizeof(bag.files[0]), by_path);
	KMV_TRY(kmv_bag__write_archive(&bag, root.size ? root.ptr : "bag",
				       bundle, true));
done:
	kmv_evidence_verify_result_dispose(&vr);
	kmv_bag__dispose(&bag);
	kmv_buf_dispose(&root);
	kmv_buf_dispose(&tsr);
	return error;
}
