/* SPDX-License-Identifier: MIT */
/*
 * Backups: byte copies of the encrypted vault file (docs/backups.md).
 *
 * Consistency without the passphrase: a full kmv_vault_save() writes a new
 * file and renames it over the old name; one that only adds audit events
 * appends an entry to the file (docs/vault-format.md, "Audit tail").  A
 * descriptor opened on the vault therefore keeps reading one save while a
 * writer saves: the file's bytes up to its last complete entry, which is
 * what a backup copies (from one open descriptor, never re-opening the
 * path).
 */
#include "common.h"
#include "backup/backup_files.h"
#include "backup/rclone.h"
#include "kmv/backup.h"
#include "kmvutil/json.h"
#include "kmvutil/file.h"
#include "store/envelope.h"
#include "store/vault.h"
#include "store/io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <unistd.h>

#define COPY_CHUNK ((size_t)1 << 20)
#define HEAD_MAX KMV_BACKUP_HEAD_MAX

static ssize_t read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), error = 0;

	if (fd < 0 || kmv_io__hooks.fsync(fd) < 0) {
		kmv_error_set_os("cannot sync directory '%s'", dir);
		error = KMV_ERROR;
	}
	if (fd >= 0)
		close(fd);
	return error;
}

/* The directory part of a path ("." when there is none). */
static int dir_of(kmv_buf *out, const char *path)
{
	const char *base = kmv_basename(path);

	if (base == path)
		return kmv_buf_puts(out, ".");
	return kmv_buf_put(out, path, (size_t)(base - path));
}

/*
 * Copy from `in` (positioned at 0) to a new file `tmp` (O_EXCL, 0600) and
 * fsync it.  Exactly `size` bytes are copied: the size fstat gave when the
 * descriptor was opened, which is the size of that generation.
 */
static int copy_to_new(int in, int64_t size, const char *src, const char *tmp)
{
	char *chunk = malloc(COPY_CHUNK);
	int64_t left = size;
	int out = -1, error = 0;

	if (!chunk)
		return kmv_error_nomem();
	out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		   0600);
	if (out < 0) {
		kmv_error_set_os("cannot create '%s'", tmp);
		error = KMV_ERROR;
		goto done;
	}
	while (left > 0) {
		size_t want = left < (int64_t)COPY_CHUNK ? (size_t)left
							 : COPY_CHUNK;
		ssize_t n = read_full(in, chunk, want);

		if (n < 0) {
			kmv_error_set_os("cannot read '%s'", src);
			error = KMV_ERROR;
			goto done;
		}
		if ((size_t)n != want) {
			kmv_error_set(KMV_ERROR_OS,
				      "'%s' shrank while being "
				      "copied",
				      src);
			error = KMV_ERROR;
			goto done;
		}
		KMV_TRY(kmv_io__write_all(out, chunk, (size_t)n, tmp));
		left -= n;
	}
	if (kmv_io__hooks.fsync(out) < 0) {
		kmv_error_set_os("cannot sync '%s'", tmp);
		error = KMV_ERROR;
		goto done;
	}
	if (close(out) < 0) {
		out = -1;
		kmv_error_set_os("cannot write '%s'", tmp);
		error = KMV_ERROR;
		goto done;
	}
	out = -1;
done:
	if (out >= 0)
		close(out);
	if (error < 0)
		unlink(tmp);
	free(chunk);
	return error;
}

/* What tells one save from another without the key (read_head's). */
struct save_print {
	uint8_t head[HEAD_MAX];
	size_t head_len;
	uint8_t last[16];
};

/* True when `path` holds the save `p` is the print of, `size` bytes. */
static bool same_save(const char *path, const struct save_print *p,
		      int64_t size)
{
	uint8_t other[HEAD_MAX], other_last[16];
	struct stat st;
	bool same = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return false;
	if (fstat(fd, &st) == 0 && st.st_size == size && size >= 16 &&
	    read_full(fd, other, p->head_len) == (ssize_t)p->head_len &&
	    pread(fd, other_last, 16, (off_t)(size - 16)) == 16)
		same = memcmp(other, p->head, p->head_len) == 0 &&
		       memcmp(other_last, p->last, 16) == 0;
	close(fd);
	return same;
}

int kmv_backup_list_dir(kmv_backup_list *out, const char *dir)
{
	kmv_buf full = KMV_BUF_INIT;
	size_t alloc = 0;
	struct dirent *e;
	DIR *d;
	int error = 0;

	KMV_ASSERT_ARG(out && dir);
	out->items = NULL;
	out->count = 0;
	if (kmv_rclone__is_remote(dir))
		return kmv_rclone__list(out, dir);
	d = opendir(dir);
	if (!d) {
		kmv_error_set_os("cannot read backup directory '%s'", dir);
		return errno == ENOENT ? KMV_ENOTFOUND : KMV_ERROR;
	}
	while ((e = readdir(d)) != NULL) {
		kmv_backup_info info;
		struct stat st;

		if (kmv_backup_parse_name(&info.created, &info.generation,
					  e->d_name) < 0)
			continue;
		kmv_buf_clear(&full);
		KMV_TRY(kmv_buf_printf(&full, "%s/%s", dir, e->d_name));
		if (lstat(full.ptr, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		info.size = (int64_t)st.st_size;
		info.file = e->d_name;
		info.path = full.ptr;
		KMV_TRY(kmv_backup__list_push(out, &alloc, &info));
	}
	kmv_backup__sort(out);
done:
	closedir(d);
	kmv_buf_dispose(&full);
	if (error < 0)
		kmv_backup_list_free(out);
	return error;
}

/* ---- create ---------------------------------------------------------- */

void kmv_backup_result_dispose(kmv_backup_result *res)
{
	if (!res)
		return;
	free(res->file);
	for (size_t i = 0; i < res->npruned; i++)
		free(res->pruned[i]);
	free(res->pruned);
	memset(res, 0, sizeof(*res));
}

/* `written` (the backup this run made or found) is never pruned. */
static int prune(kmv_backup_result *res, const char *dir,
		 const kmv_retention *rules, const char *written)
{
	kmv_backup_list list = { NULL, 0 };
	uint64_t *generation = NULL;
	int64_t *created = NULL;
	bool *keep = NULL;
	bool removed = false;
	int error = 0;

	if (!kmv_retention_active(rules))
		return 0;
	KMV_TRY(kmv_backup_list_dir(&list, dir));
	if (list.count == 0)
		goto done;
	created = calloc(list.count, sizeof(*created));
	generation = calloc(list.count, sizeof(*generation));
	keep = calloc(list.count, sizeof(*keep));
	res->pruned = calloc(list.count, sizeof(*res->pruned));
	if (!created || !generation || !keep || !res->pruned) {
		error = kmv_error_nomem();
		goto done;
	}
	for (size_t i = 0; i < list.count; i++) {
		created[i] = list.items[i].created;
		generation[i] = list.items[i].generation;
	}
	KMV_TRY(kmv_retention_apply_generations(keep, created, generation,
						list.count, rules));
	for (size_t i = 0; i < list.count; i++) {
		if (keep[i] ||
		    (written && strcmp(list.items[i].file, written) == 0))
			continue;
		if (unlink(list.items[i].path) < 0) {
			kmv_error_set_os("cannot remove old backup '%s'",
					 list.items[i].path);
			error = KMV_ERROR;
			goto done;
		}
		removed = true;
		res->pruned[res->npruned] = strdup(list.items[i].file);
		if (!res->pruned[res->npruned]) {
			error = kmv_error_nomem();
			goto done;
		}
		res->npruned++;
	}
	if (removed)
		error = fsync_dir(dir);
done:
	free(created);
	free(generation);
	free(keep);
	kmv_backup_list_free(&list);
	return error;
}

/*
 * Copy the open vault `in` (its print read) into a new backup file
 * of `dir` named after the save, never over an existing one, and read the
 * copy back.  On success *name holds the new file's name.
 */
static int write_backup(kmv_buf *name, int in, const char *vault_path,
			const char *dir, const kmv_backup_result *out,
			const kmv_time *now, const struct save_print *print)
{
	kmv_buf final = KMV_BUF_INIT, tmp = KMV_BUF_INIT;
	uint64_t peeked = 0;
	int error = 0;

	KMV_TRY(kmv_backup__name(name, now->epoch, out->generation));
	KMV_TRY(kmv_buf_printf(&final, "%s/%s", dir, name->ptr));
	KMV_TRY(kmv_buf_printf(&tmp, "%s/.%s.tmp-%ld", dir, name->ptr,
			       (long)getpid()));
	unlink(tmp.ptr); /* a leftover of a killed run with our pid */
	KMV_TRY(copy_to_new(in, out->size, vault_path, tmp.ptr));
	/* link() refuses to replace: an existing backup is never overwritten. */
	if (link(tmp.ptr, final.ptr) < 0) {
		kmv_error_set_os("cannot create backup '%s'", final.ptr);
		error = errno == EEXIST ? KMV_EEXISTS : KMV_ERROR;
		unlink(tmp.ptr);
		goto done;
	}
	unlink(tmp.ptr);
	if ((error = fsync_dir(dir)) < 0)
		goto written;
	/* Read the copy back: its header must check and name this save. */
	error = kmv_vault_peek(final.ptr, &peeked);
	if (error == 0 && (peeked != out->generation ||
			   !same_save(final.ptr, print, out->size))) {
		kmv_error_set(KMV_ERROR_OS,
			      "backup '%s' does not read back "
			      "as written",
			      final.ptr);
		error = KMV_ERROR;
	}
written:
	if (error < 0)
		unlink(final.ptr);
done:
	kmv_buf_dispose(&final);
	kmv_buf_dispose(&tmp);
	return error;
}

/* The newest backup of `list` when it holds this very save, else NULL. */
static const kmv_backup_info *same_as_newest(const kmv_backup_list *list,
					     const kmv_backup_result *out,
					     const struct save_print *print)
{
	const kmv_backup_info *newest;

	if (list->count == 0)
		return NULL;
	newest = &list->items[list->count - 1];
	if (newest->generation != out->generation ||
	    !same_save(newest->path, print, out->size))
		return NULL;
	return newest;
}

int kmv_backup_create(kmv_backup_result *out, const char *vault_path,
		      const char *dir, const kmv_backup_options *opts)
{
	kmv_backup_options defaults = KMV_BACKUP_OPTIONS_INIT;
	kmv_backup_list list = { NULL, 0 };
	kmv_buf name = KMV_BUF_INIT;
	const kmv_backup_info *same;
	struct save_print print;
	kmv_time now;
	int in = -1, error = 0;

	KMV_ASSERT_ARG(out && vault_path && dir);
	memset(out, 0, sizeof(*out));
	if (!opts)
		opts = &defaults;
	if (kmv_rclone__is_remote(dir)) {
		error = kmv_rclone__create(out, vault_path, dir, opts);
		if (error < 0)
			kmv_backup_result_dispose(out);
		return error;
	}
	now = opts->now.epoch ? opts->now : kmv_time_now();
	kmv_io__arm_from_env();

	/* One descriptor = one generation (see the comment at the top). */
	KMV_TRY(kmv_backup__open_vault(&in, &out->size, vault_path));
	KMV_TRY(kmv_backup__read_head(print.head, &print.head_len,
				      &out->generation, print.last, in,
				      &out->size, vault_path));

	KMV_TRY(kmv_mkdir_p(dir, 0700));
	KMV_TRY(kmv_backup_list_dir(&list, dir));
	if ((same = same_as_newest(&list, out, &print))) {
		out->skipped = true;
		if (!(out->file = strdup(same->file)))
			error = kmv_error_nomem();
	} else {
		KMV_TRY(write_backup(&name, in, vault_path, dir, out, &now,
				     &print));
		if (!(out->file = kmv_buf_detach(&name)))
			error = kmv_error_nomem();
	}
	if (error == 0)
		error = prune(out, dir, &opts->retention, out->file);
done:
	if (in >= 0)
		close(in);
	kmv_backup_list_free(&list);
	kmv_buf_dispose(&name);
	if (error < 0)
		kmv_backup_result_dispose(out);
	return error;
}

/* ---- verify ---------------------------------------------------------- */

int kmv_backup_verify(kmv_backup_verify_result *out, const char *file,
		      kmv_unlock_kind kind, const kmv_secret *secret)
{
	kmv_vault_open_options o = KMV_VAULT_OPEN_OPTIONS_INIT;
	kmv_vault *v = NULL;
	int error = 0;

	KMV_ASSERT_ARG(out && file && secret);
	memset(out, 0, sizeof(*out));
	if (kmv_rclone__is_remote(file)) {
		char *local = NULL, *tmpdir = NULL;

		KMV_TRY(kmv_rclone__fetch(&local, &tmpdir, file));
		error = kmv_backup_verify(out, local, kind, secret);
		kmv_rclone__discard(local, tmpdir);
		return error;
	}
	o.command = "backup verify";
	error = kmv_vault_peek(file, NULL);
	if (error == KMV_ENOTFOUND) {
		kmv_error_set(KMV_ERROR_OS, "no backup file '%s'", file);
		goto done;
	}
	KMV_TRY(error);
	KMV_TRY(kmv_vault_open(&v, file, kind, secret, &o));
	KMV_TRY(kmv_vault_check(v, &out->events));
	out->generation = kmv_vault_generation(v);
done:
	kmv_vault_free(v);
	return error;
}

/* ---- restore --------------------------------------------------------- */

void kmv_restore_result_dispose(kmv_restore_result *res)
{
	if (!res)
		return;
	free(res->aside);
	memset(res, 0, sizeof(*res));
}

/* Hard-link the live vault to a free `<vault>.before-restore-<stamp>[-N]`. */
static int keep_aside(char **aside_out, const char *vault_path, int64_t now)
{
	kmv_buf p = KMV_BUF_INIT;
	char stamp[32];
	int error = 0;

	kmv_backup__utc_stamp(stamp, now);
	for (int n = 0; n < 100; n++) {
		kmv_buf_clear(&p);
		KMV_TRY(n ? kmv_buf_printf(&p, "%s.before-restore-%s-%d",
					   vault_path, stamp, n)
			  : kmv_buf_printf(&p, "%s.before-restore-%s",
					   vault_path, stamp));
		if (link(vault_path, p.ptr) == 0) {
			*aside_out = kmv_buf_detach(&p);
			if (!*aside_out)
				error = kmv_error_nomem();
			goto done;
		}
		if (errno != EEXIST)
			break;
	}
	kmv_error_set_os("cannot keep the current vault aside as '%s'", p.ptr);
	error = KMV_ERROR;
done:
	kmv_buf_dispose(&p);
	return error;
}

static int restore_event(kmv_vault *v, const kmv_restore_result *out,
			 const char *backup, uint64_t from_gen)
{
	kmv_buf detail = KMV_BUF_INIT;
	int error = 0;

	KMV_TRY(kmv_buf_puts(&detail, "{\"backup\":"));
	KMV_TRY(kmv_json_escape(&detail, kmv_basename(backup),
				strlen(kmv_basename(backup))));
	KMV_TRY(kmv_buf_printf(&detail, ",\"backup_generation\":%" PRIu64,
			       from_gen));
	if (out->aside) {
		KMV_TRY(kmv_buf_puts(&detail, ",\"aside\":"));
		KMV_TRY(kmv_json_escape(&detail, kmv_basename(out->aside),
					strlen(kmv_basename(out->aside))));
	}
	KMV_TRY(kmv_buf_putc(&detail, '}'));
	KMV_TRY(kmv_audit_append(v, "restore", detail.ptr));
done:
	kmv_buf_dispose(&detail);
	return error;
}

/*
 * The place a backup is restored to: the vault's real path (a symlinked
 * vault is restored where it really is) in `real`, its folder made, its
 * writer lock taken; an existing vault is refused unless --force.
 */
static int take_target(kmv_buf *real, kmv_vault_lock **lock, bool *exists,
		       const char *vault_path, const kmv_restore_options *opts)
{
	kmv_buf dir = KMV_BUF_INIT;
	struct stat st;
	int error = 0;

	KMV_TRY(kmv_vault__resolve_path(real, vault_path));
	vault_path = real->ptr;
	KMV_TRY(dir_of(&dir, vault_path));
	KMV_TRY(kmv_mkdir_p(dir.ptr, 0700));
	KMV_TRY(kmv_vault_lock_take(lock, vault_path, opts->wait_seconds,
				    "backup restore"));
	*exists = lstat(vault_path, &st) == 0;
	if (*exists && !opts->force) {
		kmv_error_set(KMV_ERROR_VAULT,
			      "a vault already exists at '%s'; "
			      "use --force to replace it (it is kept aside)",
			      vault_path);
		error = KMV_EEXISTS;
	}
done:
	kmv_buf_dispose(&dir);
	return error;
}

int kmv_backup_restore(kmv_restore_result *out, const char *backup,
		       const char *vault_path, kmv_unlock_kind kind,
		       const kmv_secret *secret,
		       const kmv_restore_options *opts)
{
	kmv_restore_options defaults = KMV_RESTORE_OPTIONS_INIT;
	kmv_backup_verify_result vr;
	kmv_vault_lock *lock = NULL;
	kmv_buf real = KMV_BUF_INIT;
	kmv_vault *v = NULL;
	kmv_time now;
	bool exists = false, replaced = false;
	int error = 0;

	KMV_ASSERT_ARG(out && backup && vault_path && secret);
	memset(out, 0, sizeof(*out));
	if (kmv_rclone__is_remote(backup)) {
		char *local = NULL, *tmpdir = NULL;

		KMV_TRY(kmv_rclone__fetch(&local, &tmpdir, backup));
		error = kmv_backup_restore(out, local, vault_path, kind, secret,
					   opts);
		kmv_rclone__discard(local, tmpdir);
		return error;
	}
	if (!opts)
		opts = &defaults;
	now = opts->now.epoch ? opts->now : kmv_time_now();
	kmv_io__arm_from_env();
	KMV_TRY(take_target(&real, &lock, &exists, vault_path, opts));
	vault_path = real.ptr;
	KMV_TRY(kmv_backup_verify(&vr, backup, kind, secret));

	/*
	 * The backup is opened as the vault (under the lock held), its
	 * "restore" event appended, and saved in place by the ordinary save:
	 * temporary file, fsync, .prev, rename.  So the restored vault never
	 * takes effect without its event, and a killed restore leaves only
	 * the save's `.NAME.tmp-*`, which the next writer removes.
	 */
	KMV_TRY(kmv_vault__open_as(&v, lock, backup, kind, secret));
	if (exists)
		KMV_TRY(keep_aside(&out->aside, vault_path, now.epoch));
	KMV_TRY(restore_event(v, out, backup, vr.generation));
	KMV_TRY(kmv_vault_save(v));
	replaced = true;
	/*
	 * A deliberate rollback: the restored generation, saved with its
	 * event, is the newest from now on.  Best effort like every mark
	 * update (the next open warns when the mark cannot be kept).
	 */
	kmv_vault_mark_accept(v);
	KMV_TRY(kmv_vault_check(v, &out->events));
	out->generation = kmv_vault_generation(v);
done:
	kmv_vault_free(v);
	if (error < 0 && !replaced && out->aside) {
		unlink(out->aside);
		free(out->aside);
		out->aside = NULL;
	}
	kmv_vault_lock_release(lock);
	kmv_buf_dispose(&real);
	if (error < 0 && !replaced)
		kmv_restore_result_dispose(out);
	return error;
}
