/* SPDX-License-Identifier: MIT */
/*
 * What a backup folder and an rclone remote share: backup names, the
 * vault's head, the list of backups, its order and the keep decision.
 * backup.c (folders) and rclone.c (remotes) both use it, and it calls
 * neither, so the folder's files call downwards only.
 */
#include "common.h"
#include "backup/backup_files.h"
#include "store/tail.h"
#include "kmv/backup.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <unistd.h>

#define NAME_PREFIX "kmvault-"
#define NAME_SUFFIX ".kmv"
#define HEAD_MAX KMV_BACKUP_HEAD_MAX

/* ---- names ----------------------------------------------------------- */

void kmv_backup__utc_stamp(char out[32], int64_t epoch)
{
	int64_t days = epoch / 86400, secs = epoch % 86400, y;
	unsigned m, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	kmv_civil_from_days(days, &y, &m, &d);
	snprintf(out, 32, "%04" PRId64 "%02u%02uT%02d%02d%02dZ", y, m, d,
		 (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}

int kmv_backup__name(kmv_buf *out, int64_t epoch, uint64_t generation)
{
	char stamp[32];

	kmv_backup__utc_stamp(stamp, epoch);
	return kmv_buf_printf(out, NAME_PREFIX "%s-g%" PRIu64 NAME_SUFFIX,
			      stamp, generation);
}

static int parse_digits(int64_t *out, const char *s, size_t n)
{
	int64_t v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return KMV_EINPUT;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int kmv_backup_parse_name(int64_t *created_out, uint64_t *generation_out,
			  const char *name)
{
	/* kmvault-YYYYMMDDTHHMMSSZ-gN.kmv */
	const size_t plen = sizeof(NAME_PREFIX) - 1;
	const char *s, *g, *end;
	int64_t y, mo, d, h, mi, se;
	uint64_t gen = 0;
	size_t len;

	KMV_ASSERT_ARG(name);
	len = strlen(name);
	if (len < plen + 16 + 3 + 4 || strncmp(name, NAME_PREFIX, plen) != 0 ||
	    strcmp(name + len - 4, NAME_SUFFIX) != 0)
		return KMV_EINPUT;
	s = name + plen;
	if (parse_digits(&y, s, 4) < 0 || parse_digits(&mo, s + 4, 2) < 0 ||
	    parse_digits(&d, s + 6, 2) < 0 || s[8] != 'T' ||
	    parse_digits(&h, s + 9, 2) < 0 ||
	    parse_digits(&mi, s + 11, 2) < 0 ||
	    parse_digits(&se, s + 13, 2) < 0 || s[15] != 'Z' || s[16] != '-' ||
	    s[17] != 'g')
		return KMV_EINPUT;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60)
		return KMV_EINPUT;
	g = s + 18;
	end = name + len - 4;
	if (g >= end || end - g > 19)
		return KMV_EINPUT;
	for (const char *c = g; c < end; c++) {
		if (*c < '0' || *c > '9')
			return KMV_EINPUT;
		gen = gen * 10 + (uint64_t)(*c - '0');
	}
	if (created_out)
		*created_out = kmv_days_from_civil(y, (unsigned)mo,
						   (unsigned)d) *
				       86400 +
			       h * 3600 + mi * 60 + se;
	if (generation_out)
		*generation_out = gen;
	return 0;
}

/* ---- small I/O helpers ----------------------------------------------- */
int kmv_backup__read_head(uint8_t head[HEAD_MAX], size_t *head_len,
			  uint64_t *generation, uint8_t last[16], int fd,
			  int64_t *size, const char *path)
{
	struct kmv_env_header h;
	struct kmv_tail t;
	ssize_t n = pread(fd, head, HEAD_MAX, 0);
	int error;

	if (n < 0) {
		kmv_error_set_os("cannot read '%s'", path);
		return KMV_ERROR;
	}
	KMV_TRY(kmv_env__header_decode(&h, head, (size_t)n, path));
	*head_len = h.header_len +
		    crypto_secretstream_xchacha20poly1305_HEADERBYTES;
	if (*head_len > (size_t)n) {
		kmv_error_set(KMV_ERROR_VAULT,
			      "vault '%s' is corrupt: "
			      "truncated after its header",
			      path);
		error = KMV_ECORRUPT;
		goto done;
	}
	KMV_TRY(kmv_tail__scan(&t, &h, NULL, fd, (size_t)*size, path));
	*generation = kmv_tail__generation(&h, &t);
	*size = (int64_t)t.end;
	if (pread(fd, last, 16, (off_t)(t.end - 16)) != 16) {
		kmv_error_set_os("cannot read '%s'", path);
		error = KMV_ERROR;
	}
done:
	sodium_memzero(&h, sizeof(h));
	return error;
}

/* ---- list ------------------------------------------------------------ */

void kmv_backup_list_free(kmv_backup_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++) {
		free((char *)list->items[i].file);
		free((char *)list->items[i].path);
	}
	free(list->items);
	list->items = NULL;
	list->count = 0;
}

static int cmp_info(const void *a, const void *b)
{
	const kmv_backup_info *x = a, *y = b;

	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	if (x->generation != y->generation)
		return x->generation < y->generation ? -1 : 1;
	return strcmp(x->file, y->file);
}

int kmv_backup__list_push(kmv_backup_list *list, size_t *alloc,
			  const kmv_backup_info *info)
{
	kmv_backup_info *slot;

	if (KMV_ARRAY_GROW(list->items, *alloc, list->count + 1) < 0)
		return kmv_error_nomem();
	slot = &list->items[list->count];
	*slot = *info;
	slot->file = strdup(info->file);
	slot->path = strdup(info->path);
	list->count++; /* counted even half-made: kmv_backup_list_free frees it */
	return slot->file && slot->path ? 0 : kmv_error_nomem();
}

void kmv_backup__sort(kmv_backup_list *list)
{
	if (list->count > 1)
		qsort(list->items, list->count, sizeof(*list->items), cmp_info);
}

int kmv_backup__keep(bool *keep, const kmv_backup_list *list, const char *fresh,
		     const kmv_retention *rules)
{
	size_t n = list->count ? list->count : 1;
	int64_t *created = calloc(n, sizeof(*created));
	uint64_t *generation = calloc(n, sizeof(*generation));
	int error;

	if (!created || !generation) {
		free(created);
		free(generation);
		return kmv_error_nomem();
	}
	for (size_t i = 0; i < list->count; i++) {
		created[i] = list->items[i].created;
		generation[i] = list->items[i].generation;
	}
	/* Same-second backups rank by generation, as in a folder. */
	error = kmv_retention_apply_generations(keep, created, generation,
						list->count, rules);
	for (size_t i = 0; error == 0 && fresh && i < list->count; i++)
		if (strcmp(list->items[i].file, fresh) == 0)
			keep[i] = true;
	free(created);
	free(generation);
	return error;
}

int kmv_backup__open_vault(int *fd, int64_t *size, const char *vault_path)
{
	struct stat st;

	*fd = open(vault_path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		kmv_error_set_os("cannot open vault '%s'", vault_path);
		return errno == ENOENT ? KMV_ENOTFOUND : KMV_ERROR;
	}
	if (fstat(*fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		kmv_error_set(KMV_ERROR_OS, "vault '%s' is not a regular file",
			      vault_path);
		close(*fd);
		*fd = -1;
		return KMV_ERROR;
	}
	*size = (int64_t)st.st_size;
	return 0;
}
