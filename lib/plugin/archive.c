/* SPDX-License-Identifier: MIT */
/*
 * The kmvault binary's archive functions (plugin.h): lib/import/archive.c,
 * lib/import/xlsx.c and lib/evidence/bagit.c live in kmvault-archive.so
 * with libarchive, expat and minizip.
 */
#include "common.h"

#include "plugin/plugin.h"

static const struct kmv_plugin_archive *archive(void)
{
	return kmv_plugin__get(KMV_PLUGIN_ARCHIVE);
}

int kmv_import__zip(kmv_import_ctx *ctx, const kmv_import_file *file)
{
	const struct kmv_plugin_archive *p = archive();

	return p ? p->kmv_import__zip(ctx, file) : KMV_ERROR;
}

/* Asked only of files with the ZIP magic (session.c): without the plugin a
 * ZIP is not found encrypted (and its import then says why it failed). */
bool kmv_archive__zip_encrypted(const char *path)
{
	const struct kmv_plugin_archive *p = archive();

	if (!p) {
		kmv_error_clear();
		return false;
	}
	return p->kmv_archive__zip_encrypted(path);
}

/* Asked of every ZIP: without the plugin a ZIP is no workbook (and its
 * import then says why the plugin is missing). */
int kmv_xlsx__open(kmv_xlsx **out, const uint8_t *data, size_t len,
		   const char *display)
{
	const struct kmv_plugin_archive *p = archive();

	if (!p) {
		*out = NULL;
		kmv_error_clear();
		return 0;
	}
	return p->kmv_xlsx__open(out, data, len, display);
}

int kmv_xlsx__rows(const kmv_xlsx *book, const char *sheet, kmv_row_cb cb,
		   void *payload)
{
	const struct kmv_plugin_archive *p = archive();

	return p ? p->kmv_xlsx__rows(book, sheet, cb, payload) : KMV_ERROR;
}

/* Only the plugin can have opened a book. */
void kmv_xlsx__close(kmv_xlsx *book)
{
	const struct kmv_plugin_archive *p = book ? archive() : NULL;

	if (p)
		p->kmv_xlsx__close(book);
}

int kmv_bag__add(kmv_bag *bag, const char *path, const void *data, size_t len)
{
	const struct kmv_plugin_archive *p = archive();

	return p ? p->kmv_bag__add(bag, path, data, len) : KMV_ERROR;
}

const struct kmv_bag_file *kmv_bag__find(const kmv_bag *bag, const char *path)
{
	const struct kmv_plugin_archive *p = archive();

	return p ? p->kmv_bag__find(bag, path) : NULL;
}

/* The disposers free what only the plugin can have filled. */
void kmv_bag__dispose(kmv_bag *bag)
{
	const struct kmv_plugin_archive *p = bag && bag->files ? archive()
							       : NULL;

	if (p)
		p->kmv_bag__dispose(bag);
}

int kmv_bag__finalize(kmv_bag *bag, const kmv_bag_info *info)
{
	const struct kmv_plugin_archive *p = archive();

	return p ? p->kmv_bag__finalize(bag, info) : KMV_ERROR;
}

int kmv_bag__write_archive_to(const kmv_bag *bag, const char *root,
			      const char *name, const char *tmp)
{
	const struct kmv_plugin_archive *p = archive();

	return p ? p->kmv_bag__write_archive_to(bag, root, name, tmp)
		 : KMV_ERROR;
}

int kmv_bag__read_archive(kmv_bag *bag, kmv_buf *root_out, const char *path)
{
	const struct kmv_plugin_archive *p = archive();

	return p ? p->kmv_bag__read_archive(bag, root_out, path) : KMV_ERROR;
}

int kmv_evidence_verify(kmv_evidence_verify_result *out, const char *path,
			const char *pubkey, const char *tsa_ca)
{
	const struct kmv_plugin_archive *p = archive();

	return p ? p->kmv_evidence_verify(out, path, pubkey, tsa_ca)
		 : KMV_ERROR;
}

void kmv_evidence_verify_result_dispose(kmv_evidence_verify_result *res)
{
	const struct kmv_plugin_archive *p = NULL;

	if (res && (res->key_id || res->trusted_comment || res->timestamp ||
		    res->bad_path))
		p = archive();
	if (p)
		p->kmv_evidence_verify_result_dispose(res);
}

int kmv_evidence_stamp(const char *bundle, const char *reply,
		       kmv_buf *gen_time_out)
{
	const struct kmv_plugin_archive *p = archive();

	return p ? p->kmv_evidence_stamp(bundle, reply, gen_time_out)
		 : KMV_ERROR;
}
