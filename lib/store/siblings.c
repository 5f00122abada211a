/* SPDX-License-Identifier: MIT */
/*
 * Sync-conflict copies beside a vault (issue 18.3).  A vault synced by
 * Syncthing, Nextcloud, Dropbox or a cloud-drive client, written on two
 * devices between two syncs, ends up as two files: the one the client
 * kept under the vault's name and a conflict copy it renamed.  Each
 * client names the copy its own way; these are the shapes, for a vault
 * "STEM.EXT":
 *
 *   Syncthing       STEM.sync-conflict-YYYYMMDD-HHMMSS-DEVICE.EXT
 *   Nextcloud       STEM (conflicted copy YYYY-MM-DD HHMMSS).EXT
 *   ownCloud (old)  STEM_conflict-YYYYMMDD-HHMMSS.EXT
 *   Dropbox         STEM (NAME's conflicted copy YYYY-MM-DD).EXT
 *   Seafile         STEM (SFConflict EMAIL YYYY-MM-DD-HH-MM-SS).EXT
 *   many clients    STEM (N).EXT, STEM(N).EXT
 */
#include "common.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "kmvutil/file.h"
#include "kmv/vault.h"

static bool starts(const char *s, const char *prefix, size_t n)
{
	return strncmp(s, prefix, n) == 0;
}

static bool ends(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

/* Is `name` a conflict copy of the vault named stem + ext? */
static bool is_conflict_copy(const char *name, const char *stem, size_t nstem,
			     const char *ext)
{
	size_t len = strlen(name), next = strlen(ext);
	const char *mid;
	size_t nmid;

	if (len <= nstem + next || !starts(name, stem, nstem) ||
	    !ends(name, len, ext))
		return false;
	mid = name + nstem; /* between the stem and the extension */
	nmid = len - nstem - next;
	if (starts(mid, ".sync-conflict-", 15) || starts(mid, "_conflict-", 10))
		return true;
	if ((mid[0] == ' ' && mid[1] == '(') || mid[0] == '(') {
		const char *in = mid + (mid[0] == ' ' ? 2 : 1);
		size_t nin = nmid - (size_t)(in - mid);

		if (nin < 2 || in[nin - 1] != ')')
			return false;
		nin--;
		if (memmem(in, nin, "conflicted copy", 15) ||
		    memmem(in, nin, "SFConflict", 10))
			return true;
		for (size_t i = 0; i < nin; i++)
			if (in[i] < '0' || in[i] > '9')
				return false;
		return nin > 0 && nin <= 4;
	}
	return false;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void kmv_vault_conflict_copies_free(char **paths, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(paths[i]);
	free(paths);
}

int kmv_vault_conflict_copies(char ***paths_out, size_t *count_out,
			      const char *vault_path)
{
	const char *base = kmv_basename(vault_path), *dot;
	kmv_buf dir = KMV_BUF_INIT, stem = KMV_BUF_INIT, full = KMV_BUF_INIT;
	char **paths = NULL;
	size_t count = 0, alloc = 0;
	struct dirent *e;
	DIR *d = NULL;
	int error = 0;

	KMV_ASSERT_ARG(paths_out && count_out && vault_path);
	*paths_out = NULL;
	*count_out = 0;
	dot = strrchr(base, '.');
	if (!dot || dot == base)
		dot = base + strlen(base);
	KMV_TRY(base == vault_path ? kmv_buf_puts(&dir, ".")
				   : kmv_buf_put(&dir, vault_path,
						 (size_t)(base - vault_path)));
	KMV_TRY(kmv_buf_put(&stem, base, (size_t)(dot - base)));
	if (!(d = opendir(dir.ptr)))
		goto done; /* no folder to look in: no conflict copy either */
	while ((e = readdir(d)) != NULL) {
		struct stat st;

		if (!is_conflict_copy(e->d_name, stem.ptr, stem.size, dot))
			continue;
		kmv_buf_clear(&full);
		KMV_TRY(base == vault_path
				? kmv_buf_puts(&full, e->d_name)
				: kmv_buf_printf(&full, "%s%s", dir.ptr,
						 e->d_name));
		if (lstat(full.ptr, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if ((error = KMV_ARRAY_GROW(paths, alloc, count + 1)) < 0)
			goto done;
		if (!(paths[count] = kmv_buf_detach(&full))) {
			error = kmv_error_nomem();
			goto done;
		}
		count++;
	}
	if (count > 1)
		qsort(paths, count, sizeof(*paths), cmp_names);
	*paths_out = paths;
	*count_out = count;
	paths = NULL;
done:
	if (d)
		closedir(d);
	if (paths)
		kmv_vault_conflict_copies_free(paths, count);
	kmv_buf_dispose(&dir);
	kmv_buf_dispose(&stem);
	kmv_buf_dispose(&full);
	return error;
}
