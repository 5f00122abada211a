/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "store/vault.h"
#include "store/db.h"
#include "store/schema.h"
#include "store/io.h"
#include "store/pipe_writer.h"
#include "store/agent.h"
#include "store/map.h"
#include "store/append.h"
#include "store/tail.h"
#include "kmvutil/datetime.h"
#include "kmvutil/file.h"

#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Refuse vault files larger than this before allocating for them. */
#define MAX_VAULT_FILE ((size_t)12 << 30)

uint64_t kmv_vault_generation(const kmv_vault *vault)
{
	return kmv_vault__generation(vault);
}

const char *kmv_vault_path(const kmv_vault *vault)
{
	return vault->path;
}

bool kmv_vault_writable(const kmv_vault *vault)
{
	return vault->write;
}

int kmv_kdf_preset_parse(kmv_kdf_preset *out, const char *name)
{
	if (strcmp(name, "interactive") == 0)
		*out = KMV_KDF_INTERACTIVE;
	else if (strcmp(name, "moderate") == 0)
		*out = KMV_KDF_MODERATE;
	else if (strcmp(name, "sensitive") == 0)
		*out = KMV_KDF_SENSITIVE;
	else {
		kmv_error_set(KMV_ERROR_INPUT,
			      "unknown KDF preset '%s' (interactive, moderate, "
			      "sensitive)",
			      name);
		return KMV_EUSAGE;
	}
	return 0;
}

char *kmv_vault_default_path(void)
{
	kmv_buf p = KMV_BUF_INIT;
	const char *env = getenv("KMVAULT_VAULT");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	int error;

	if (env && *env)
		error = kmv_buf_puts(&p, env);
	else if (xdg && *xdg == '/')
		error = kmv_buf_printf(&p, "%s/kmvault/vault.kmv", xdg);
	else if (home && *home)
		error = kmv_buf_printf(&p, "%s/.local/share/kmvault/vault.kmv",
				       home);
	else {
		kmv_error_set(KMV_ERROR_OS,
			      "cannot find the vault: set HOME, "
			      "XDG_DATA_HOME or KMVAULT_VAULT, or pass --vault");
		return NULL;
	}
	if (error < 0) {
		kmv_buf_dispose(&p);
		return NULL;
	}
	return kmv_buf_detach(&p);
}

static int vault_new(kmv_vault **out, const char *path, const char *command);

/* ---- lock ------------------------------------------------------------ */

static int lock_path(kmv_buf *out, const char *path)
{
	return kmv_buf_printf(out, "%s.lock", path);
}

/*
 * Writers serialize on an flock of `<vault>.lock`.  The holder writes who
 * it is into the file so a refused writer can name it; the file itself is
 * never deleted (unlinking a lock file races with a new locker), and a
 * killed holder's flock is dropped by the kernel, so no lock goes stale.
 */
/*
 * Whether the holder a lock file names ("pid N, kmvault CMD, host H, ...")
 * may still run: a process of this host that is gone is a stale note (the
 * flock holder wrote none, e.g. another tool), never to be named.
 */
static bool holder_alive(const char *holder)
{
	char host[256] = "", *end;
	const char *h = strstr(holder, ", host ");
	long pid;

	if (strncmp(holder, "pid ", 4) != 0)
		return false;
	pid = strtol(holder + 4, &end, 10);
	if (pid <= 0 || *end != ',')
		return false;
	gethostname(host, sizeof(host) - 1);
	if (h && strncmp(h + 7, host, strlen(host)) == 0 &&
	    (h[7 + strlen(host)] == ',' || h[7 + strlen(host)] == '\0'))
		return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
	return true; /* another host: cannot tell */
}

static int take_lock(kmv_vault *v, int wait_seconds)
{
	kmv_buf lp = KMV_BUF_INIT, info = KMV_BUF_INIT;
	char host[256] = "?", when[KMV_TIME_BUFSZ];
	kmv_time now = kmv_time_now();
	struct timespec nap = { 0, 100 * 1000 * 1000 };
	time_t deadline = time(NULL) + (wait_seconds > 0 ? wait_seconds : 0);
	int fd = -1, error;

	if ((error = lock_path(&lp, v->path)) < 0)
		goto done;
	fd = open(lp.ptr, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		kmv_error_set_os("cannot open lock file '%s'", lp.ptr);
		error = KMV_ERROR;
		goto done;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			kmv_error_set_os("cannot lock '%s'", lp.ptr);
			error = KMV_ERROR;
			goto done;
		}
		if (time(NULL) >= deadline) {
			char holder[512] = "";
			ssize_t n = pread(fd, holder, sizeof(holder) - 1, 0);

			holder[n > 0 ? n : 0] = '\0';
			holder[strcspn(holder, "\n")] = '\0';
			if (!holder_alive(holder))
				holder[0] = '\0';
			kmv_error_set(KMV_ERROR_VAULT,
				      "vault '%s' is locked by another writer "
				      "(%s); retry later or use --wait SECONDS",
				      v->path,
				      *holder ? holder : "unknown holder");
			error = KMV_ELOCKED;
			goto done;
		}
		nanosleep(&nap, NULL);
	}
	gethostname(host, sizeof(host) - 1);
	kmv_time_format(when, &now);
	if ((error = kmv_buf_printf(&info,
				    "pid %ld, kmvault %s, host %s, since %s\n",
				    (long)getpid(), kmv_vault__command(v), host,
				    when)) < 0)
		goto done;
	if (ftruncate(fd, 0) == 0 &&
	    pwrite(fd, info.ptr, info.size, 0) != (ssize_t)info.size) {
		/* Informational only: the flock is what excludes writers. */
	}
	v->lock_fd = fd;
	fd = -1;
done:
	if (fd >= 0)
		close(fd);
	kmv_buf_dispose(&lp);
	kmv_buf_dispose(&info);
	return error;
}

/*
 * A save killed between creating its temporary file and renaming it
 * leaves `.<name>.tmp-*` behind.  Only a lock holder may remove them: no
 * other save can be in progress then.
 */
static void remove_stale_temps(const char *path)
{
	kmv_buf dir = KMV_BUF_INIT, prefix = KMV_BUF_INIT, full = KMV_BUF_INIT;
	kmv_buf old_restore = KMV_BUF_INIT;
	const char *base = kmv_basename(path);
	DIR *d;
	struct dirent *e;

	if (kmv_buf_put(&dir, path, (size_t)(base - path)) < 0 ||
	    kmv_buf_printf(&prefix, ".%s.tmp-", base) < 0 ||
	    kmv_buf_printf(&old_restore, ".%s.restore-", base) < 0)
		goto done;
	d = opendir(dir.size ? dir.ptr : ".");
	if (!d)
		goto done;
	while ((e = readdir(d)) != NULL) {
		/* .NAME.tmp-* of a save, .NAME.restore-* of an older restore */
		if (strncmp(e->d_name, prefix.ptr, prefix.size) != 0 &&
		    strncmp(e->d_name, old_restore.ptr, old_restore.size) != 0)
			continue;
		kmv_buf_clear(&full);
		if (kmv_buf_printf(&full, "%s%s", dir.ptr, e->d_name) == 0)
			unlink(full.ptr);
	}
	closedir(d);
done:
	kmv_buf_dispose(&dir);
	kmv_buf_dispose(&prefix);
	kmv_buf_dispose(&old_restore);
	kmv_buf_dispose(&full);
}

struct kmv_vault_lock {
	kmv_vault *v;
};

int kmv_vault_lock_take(kmv_vault_lock **out, const char *path,
			int wait_seconds, const char *command)
{
	kmv_vault_lock *l = calloc(1, sizeof(*l));
	int error;

	*out = NULL;
	if (!l)
		return kmv_error_nomem();
	error = vault_new(&l->v, path, command);
	if (error == 0)
		error = take_lock(l->v, wait_seconds);
	if (error < 0) {
		kmv_vault_lock_release(l);
		return error;
	}
	*out = l;
	return 0;
}

void kmv_vault_lock_release(kmv_vault_lock *l)
{
	if (!l)
		return;
	kmv_vault_free(l->v);
	free(l);
}

/* ---- open ------------------------------------------------------------ */

static int attach_db(kmv_vault *v, uint8_t *image, size_t len)
{
	sqlite3_int64 limit = (sqlite3_int64)16 << 30;
	int rc;

	if (sqlite3_open_v2(":memory:", &v->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK) {
		sodium_memzero(image, len);
		sqlite3_free(image);
		return kmv_error_nomem();
	}
	/* A WAL-mode image cannot be deserialized: force rollback mode. */
	if (len >= 20) {
		image[18] = 1;
		image[19] = 1;
	}
	rc = sqlite3_deserialize(v->db, "main", image, (sqlite3_int64)len,
				 (sqlite3_int64)len,
				 SQLITE_DESERIALIZE_FREEONCLOSE |
					 SQLITE_DESERIALIZE_RESIZEABLE);
	if (rc != SQLITE_OK)
		return kmv_db__error(v->db, "cannot load the vault database");
	sqlite3_file_control(v->db, "main", SQLITE_FCNTL_SIZE_LIMIT, &limit);
	return kmv_db__exec(v->db, "PRAGMA temp_store=MEMORY;"
				   "PRAGMA foreign_keys=ON;");
}

int kmv_vault__resolve_path(kmv_buf *out, const char *path)
{
	kmv_buf dir = KMV_BUF_INIT;
	const char *base = kmv_basename(path);
	char *real = realpath(path, NULL);
	int error = 0;

	if (real) {
		error = kmv_buf_puts(out, real);
		goto done;
	}
	/* Not there yet (init, restore): resolve the directory it goes in. */
	if (base != path &&
	    (error = kmv_buf_put(&dir, path, (size_t)(base - path))) < 0)
		goto done;
	real = realpath(dir.size ? dir.ptr : ".", NULL);
	if (!real) {
		error = kmv_buf_puts(out,
				     path); /* no directory: callers say so */
		goto done;
	}
	error = kmv_buf_printf(out, "%s%s%s", real,
			       strcmp(real, "/") == 0 ? "" : "/", base);
done:
	free(real);
	kmv_buf_dispose(&dir);
	return error;
}

static int vault_new(kmv_vault **out, const char *path, const char *command)
{
	kmv_vault *v = calloc(1, sizeof(*v));
	kmv_buf real = KMV_BUF_INIT;

	*out = NULL;
	if (!v)
		return kmv_error_nomem();
	v->lock_fd = -1;
	if (kmv_vault__resolve_path(&real, path) < 0) {
		free(v);
		return kmv_error_nomem();
	}
	v->path = kmv_buf_detach(&real);
	v->command = strdup(command ? command : "kmvault");
	v->data_key = sodium_malloc(KMV_ENV_KEY_LEN);
	if (!v->path || !v->command || !v->data_key) {
		kmv_vault_free(v);
		return kmv_error_nomem();
	}
	*out = v;
	return 0;
}

int kmv_vault_peek(const char *path, uint64_t *generation_out)
{
	struct kmv_env_header h;
	struct kmv_tail t;
	int fd, error;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		kmv_error_set_os("cannot open vault '%s'", path);
		return errno == ENOENT ? KMV_ENOTFOUND : KMV_ERROR;
	}
	error = kmv_tail__read_file(&h, &t, NULL, fd, path);
	close(fd);
	if (error == 0 && generation_out)
		*generation_out = kmv_tail__generation(&h, &t);
	sodium_memzero(&h, sizeof(h));
	return error;
}

/*
 * Read, authenticate and load the vault file `file_path` into `v` (named
 * `name` in messages).  A writer's schema is upgraded.
 */
static int load(kmv_vault *v, const char *file_path, const char *name,
		kmv_unlock_kind kind, const kmv_secret *secret)
{
	struct kmv_map file = KMV_MAP_INIT;
	uint8_t *image = NULL;
	size_t image_len = 0;
	int error;

	error = kmv_map__file(&file, file_path, MAX_VAULT_FILE);
	if (error == KMV_ENOTFOUND) {
		kmv_error_set(
			KMV_ERROR_VAULT,
			"no vault at '%s' (create one with 'kmvault init')",
			name);
		goto done;
	}
	if (error < 0)
		goto done;
	KMV_TRY(kmv_env__header_decode(&v->header, file.ptr, file.size, name));
	KMV_TRY(kmv_tail__scan(&v->tail, &v->header, file.ptr, -1, file.size,
			       name));
	KMV_TRY(kind == KMV_UNLOCK_AGENT
			? kmv_agent__unwrap(v->data_key, &v->header, secret)
			: kmv_env__unwrap(v->data_key, &v->header, kind,
					  secret));
	KMV_TRY(kmv_env__decrypt(&image, &image_len, &v->header, v->data_key,
				 file.ptr + v->header.header_len,
				 v->tail.start - v->header.header_len, name));
	/* Verified above: the payload starts with its stream header. */
	memcpy(v->stream, file.ptr + v->header.header_len, sizeof(v->stream));
	error = attach_db(v, image, image_len);
	image = NULL; /* owned by SQLite now, even on failure */
	if (error < 0) {
		kmv_error_set(KMV_ERROR_VAULT,
			      "vault '%s' is corrupt: the decrypted database "
			      "does not load",
			      name);
		error = KMV_ECORRUPT;
		goto done;
	}
	KMV_TRY(kmv_append__replay(v, file.ptr, name));
	/* Before the migrations, whose changes an entry cannot carry. */
	if (v->write)
		kmv_append__watch(v, strcmp(file_path, v->path) == 0);
	/*
	 * Only a writer upgrades an old schema (and saves it); a reader uses
	 * it as it is, which every shipped migration allows (v2 kept the
	 * columns), and pays no table rebuild on every read-only command.
	 * A schema newer than this binary is refused either way.
	 */
	KMV_TRY(v->write ? kmv_schema__apply(v->db)
			 : kmv_schema__migrate(v->db, 0));
	if (v->write)
		remove_stale_temps(v->path);
done:
	kmv_map__release(&file);
	return error;
}

int kmv_vault_open(kmv_vault **out, const char *path, kmv_unlock_kind kind,
		   const kmv_secret *secret, const kmv_vault_open_options *opts)
{
	kmv_vault_open_options defaults = KMV_VAULT_OPEN_OPTIONS_INIT;
	kmv_vault *v = NULL;
	int error;

	KMV_ASSERT_ARG(out && path && secret);
	*out = NULL;
	if (!opts)
		opts = &defaults;
	KMV_TRY(vault_new(&v, path, opts->command));
	if (opts->write) {
		KMV_TRY(take_lock(v, opts->wait_seconds));
		v->write = true;
	}
	KMV_TRY(load(v, v->path, path, kind, secret));
	*out = v;
	v = NULL;
done:
	kmv_vault_free(v);
	return error;
}

int kmv_vault__open_as(kmv_vault **out, kmv_vault_lock *lock, const char *file,
		       kmv_unlock_kind kind, const kmv_secret *secret)
{
	kmv_vault *v = NULL;
	int error;

	KMV_ASSERT_ARG(out && lock && lock->v && lock->v->lock_fd >= 0 &&
		       file && secret);
	*out = NULL;
	KMV_TRY(vault_new(&v, lock->v->path, lock->v->command));
	v->lock_fd = lock->v->lock_fd; /* the lock moves into the handle */
	lock->v->lock_fd = -1;
	v->write = true;
	KMV_TRY(load(v, file, file, kind, secret));
	*out = v;
	v = NULL;
done:
	kmv_vault_free(v);
	return error;
}

void kmv_vault_free(kmv_vault *v)
{
	if (!v)
		return;
	if (v->db)
		sqlite3_close_v2(v->db);
	if (v->lock_fd >= 0) {
		/* Our note goes with us: the next refused writer must not
		 * name a writer that has finished. */
		if (ftruncate(v->lock_fd, 0) != 0) {
			/* informational only */
		}
		close(v->lock_fd); /* drops the flock */
	}
	if (v->data_key)
		sodium_free(v->data_key);
	free(v->path);
	free(v->command);
	sodium_memzero(&v->header, sizeof(v->header));
	free(v);
}

/* ---- save ------------------------------------------------------------ */

struct writer {
	int fd;
	const char *path;
};

static int write_cb(const void *data, size_t len, void *payload)
{
	struct writer *w = payload;

	return kmv_io__write_all(w->fd, data, len, w->path);
}

static int fsync_dir(const char *path)
{
	kmv_buf dir = KMV_BUF_INIT;
	const char *base = kmv_basename(path);
	int fd, error = 0;

	if (base == path)
		error = kmv_buf_puts(&dir, ".");
	else
		error = kmv_buf_put(&dir, path, (size_t)(base - path));
	if (error < 0)
		return error;
	fd = open(dir.ptr, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || kmv_io__hooks.fsync(fd) < 0) {
		kmv_error_set_os("cannot sync directory '%s'", dir.ptr);
		error = KMV_ERROR;
	}
	if (fd >= 0)
		close(fd);
	kmv_buf_dispose(&dir);
	return error;
}

/*
 * Write header + payload to a fresh temporary file beside the vault and
 * rename it into place.  `plain` NULL means "copy the payload bytes of the
 * current file" (passwd: the data is not re-encrypted).
 */
static int replace_file(kmv_vault *v, const struct kmv_env_header *h,
			const uint8_t *plain, size_t plain_len,
			const uint8_t *old_payload, size_t old_payload_len)
{
	kmv_buf tmp = KMV_BUF_INIT, prev = KMV_BUF_INIT, prevtmp = KMV_BUF_INIT;
	kmv_buf head = KMV_BUF_INIT;
	const char *base = kmv_basename(v->path);
	struct writer w = { -1, NULL };
	uint8_t stream[sizeof(v->stream)];
	int error;

	kmv_io__arm_from_env();
	KMV_TRY(kmv_buf_put(&tmp, v->path, (size_t)(base - v->path)));
	KMV_TRY(kmv_buf_printf(&tmp, ".%s.tmp-%ld-%08x", base, (long)getpid(),
			       randombytes_random()));
	KMV_TRY(kmv_buf_printf(&prev, "%s.prev", v->path));
	KMV_TRY(kmv_buf_printf(&prevtmp, "%s.prev.tmp", v->path));
	KMV_TRY(kmv_env__header_encode(&head, h));

	w.path = tmp.ptr;
	w.fd = open(tmp.ptr,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (w.fd < 0) {
		kmv_error_set_os("cannot create '%s'", tmp.ptr);
		error = KMV_ERROR;
		goto done;
	}
	KMV_TRY(write_cb(head.ptr, head.size, &w));
	if (plain) {
		kmv_pipe_writer *pipe = NULL;
		int finished;

		/* Encrypt here while a second thread writes (pipe_writer.c). */
		KMV_TRY(kmv_pipe_writer__start(&pipe, write_cb, &w));
		error = kmv_env__encrypt(h, v->data_key, plain, plain_len,
					 kmv_pipe_writer__put, pipe, stream);
		finished = kmv_pipe_writer__finish(pipe);
		if (finished < 0)
			error = finished; /* the write error, with its message */
		if (error < 0)
			goto done;
	} else {
		KMV_TRY(write_cb(old_payload, old_payload_len, &w));
	}
	if (kmv_io__hooks.fsync(w.fd) < 0) {
		kmv_error_set_os("cannot sync '%s'", tmp.ptr);
		error = KMV_ERROR;
		goto done;
	}
	if (close(w.fd) < 0) {
		w.fd = -1;
		kmv_error_set_os("cannot write '%s'", tmp.ptr);
		error = KMV_ERROR;
		goto done;
	}
	w.fd = -1;

	/* Keep the generation being replaced as <vault>.prev. */
	unlink(prevtmp.ptr);
	if (link(v->path, prevtmp.ptr) == 0)
		kmv_io__hooks.rename(prevtmp.ptr, prev.ptr);
	if (kmv_io__hooks.rename(tmp.ptr, v->path) < 0) {
		kmv_error_set_os("cannot replace vault '%s'", v->path);
		error = KMV_ERROR;
		goto done;
	}
	if (plain) /* the file now holds this payload */
		memcpy(v->stream, stream, sizeof(stream));
	error = fsync_dir(v->path);
done:
	if (w.fd >= 0)
		close(w.fd);
	if (error < 0 && tmp.size)
		unlink(tmp.ptr);
	unlink(prevtmp.ptr);
	kmv_buf_dispose(&tmp);
	kmv_buf_dispose(&prev);
	kmv_buf_dispose(&prevtmp);
	kmv_buf_dispose(&head);
	return error;
}

/* Serialize, encrypt and replace the whole file (folding any tail). */
static int save_full(kmv_vault *v, uint64_t old_generation)
{
	struct kmv_env_header h;
	sqlite3_int64 size = 0;
	unsigned char *image;
	bool copied = false;
	int error;

	image = sqlite3_serialize(v->db, "main", &size,
				  SQLITE_SERIALIZE_NOCOPY);
	if (!image) {
		image = sqlite3_serialize(v->db, "main", &size, 0);
		copied = true;
	}
	if (!image)
		return kmv_db__error(v->db, "cannot serialize the vault");
	h = v->header;
	h.generation = old_generation + 1;
	h.minor = KMV_ENV_VERSION_MINOR;
	h.payload_len = kmv_env__payload_len(h.chunk, (size_t)size);
	error = replace_file(v, &h, image, (size_t)size, NULL, 0);
	if (copied) {
		sodium_memzero(image, (size_t)size);
		sqlite3_free(image);
	}
	if (error == 0) {
		v->header.generation = h.generation;
		v->header.minor = h.minor;
		v->header.payload_len = h.payload_len;
		kmv_append__saved(v);
	} else {
		/* The file may or may not be the new one: no append onto it. */
		v->appendable = false;
	}
	sodium_memzero(&h, sizeof(h));
	return error;
}

int kmv_vault_save(kmv_vault *v)
{
	uint8_t old_id[sizeof(v->stream)];
	uint64_t old_generation;
	bool appended = false;
	int error;

	KMV_ASSERT_ARG(v);
	if (!v->write) {
		kmv_error_set(KMV_ERROR_INTERNAL, "vault opened read-only");
		return KMV_ERROR;
	}
	if (!sqlite3_get_autocommit(v->db)) {
		kmv_error_set(KMV_ERROR_INTERNAL, "save inside a transaction");
		return KMV_ERROR;
	}
	old_generation = kmv_vault_generation(v);
	kmv_tail__save_id(old_id, v->stream, &v->tail);
	error = kmv_append__try(v, &appended);
	if (error == 0 && !appended)
		error = save_full(v, old_generation);
	if (error == 0)
		kmv_vault__mark_saved(v, old_generation, old_id);
	return error;
}

int kmv_vault_passwd(kmv_vault *v, const kmv_secret *new_passphrase)
{
	struct kmv_env_header h;
	kmv_buf file = KMV_BUF_INIT;
	struct kmv_env_header ondisk;
	kmv_kdf_preset preset = KMV_KDF_MODERATE;
	int error, slot = -1;

	KMV_ASSERT_ARG(v && new_passphrase);
	if (!v->write) {
		kmv_error_set(KMV_ERROR_INTERNAL, "vault opened read-only");
		return KMV_ERROR;
	}
	h = v->header;
	for (unsigned i = 0; i < h.nslots; i++)
		if (h.slots[i].type == KMV_SLOT_PASSPHRASE)
			slot = (int)i;
	if (slot < 0) {
		kmv_error_set(KMV_ERROR_VAULT,
			      "vault has no passphrase keyslot");
		return KMV_ECORRUPT;
	}
	/* Keep the strength the user chose at init. */
	if (h.slots[slot].memlimit <= crypto_pwhash_MEMLIMIT_INTERACTIVE)
		preset = KMV_KDF_INTERACTIVE;
	else if (h.slots[slot].memlimit >= crypto_pwhash_MEMLIMIT_SENSITIVE)
		preset = KMV_KDF_SENSITIVE;
	KMV_TRY(kmv_env__slot_wrap_passphrase(&h.slots[slot], &h, v->data_key,
					      new_passphrase, preset));
	/* The payload on disk is reused verbatim: re-read and re-check it. */
	KMV_TRY(kmv_file_read(&file, v->path, MAX_VAULT_FILE));
	KMV_TRY(kmv_env__header_decode(&ondisk, (uint8_t *)file.ptr, file.size,
				       v->path));
	if (ondisk.generation != h.generation ||
	    memcmp(ondisk.vault_id, h.vault_id, 16) != 0) {
		kmv_error_set(KMV_ERROR_VAULT,
			      "vault '%s' changed on disk since it was opened",
			      v->path);
		error = KMV_ERROR;
		goto done;
	}
	KMV_TRY(replace_file(v, &h, NULL, 0,
			     (uint8_t *)file.ptr + ondisk.header_len,
			     file.size - ondisk.header_len));
	v->header = h;
done:
	sodium_memzero(&h, sizeof(h));
	kmv_buf_dispose(&file);
	return error;
}

/* ---- create ---------------------------------------------------------- */

int kmv_vault_create(char recovery_key_out[KMV_RECOVERY_KEY_BUFSZ],
		     const char *path, const kmv_secret *passphrase,
		     const kmv_vault_create_options *opts)
{
	kmv_vault_create_options defaults = KMV_VAULT_CREATE_OPTIONS_INIT;
	kmv_vault *v = NULL;
	kmv_buf dir = KMV_BUF_INIT;
	uint8_t recovery[KMV_ENV_RECOVERY_LEN];
	const char *base;
	struct stat st;
	int error;

	KMV_ASSERT_ARG(recovery_key_out && path && passphrase);
	base = kmv_basename(path);
	if (!opts)
		opts = &defaults;
	if (base != path) {
		KMV_TRY(kmv_buf_put(&dir, path, (size_t)(base - path)));
		KMV_TRY(kmv_mkdir_p(dir.ptr, 0700));
	}
	KMV_TRY(vault_new(&v, path, "init"));
	KMV_TRY(take_lock(v, 0));
	v->write = true;
	if (lstat(v->path, &st) == 0) {
		kmv_error_set(KMV_ERROR_VAULT,
			      "a vault already exists at '%s'; refusing to "
			      "overwrite it",
			      path);
		error = KMV_EEXISTS;
		goto done;
	}
	memset(&v->header, 0, sizeof(v->header));
	v->header.major = KMV_ENV_VERSION_MAJOR;
	v->header.minor = KMV_ENV_VERSION_MINOR;
	v->header.nslots = 2;
	v->header.header_len = KMV_ENV_FIXED_LEN + 2 * KMV_ENV_SLOT_LEN +
			       KMV_ENV_CHECKSUM_LEN;
	v->header.generation = 0; /* the first save makes it 1 */
	v->header.chunk = KMV_ENV_CHUNK;
	randombytes_buf(v->header.vault_id, sizeof(v->header.vault_id));
	crypto_secretstream_xchacha20poly1305_keygen(v->data_key);
	randombytes_buf(recovery, sizeof(recovery));
	KMV_TRY(kmv_env__slot_wrap_passphrase(&v->header.slots[0], &v->header,
					      v->data_key, passphrase,
					      opts->kdf));
	KMV_TRY(kmv_env__slot_wrap_recovery(&v->header.slots[1], &v->header,
					    v->data_key, recovery));
	if (sqlite3_open_v2(":memory:", &v->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
			    NULL) != SQLITE_OK) {
		error = kmv_error_nomem();
		goto done;
	}
	KMV_TRY(kmv_db__exec(v->db, "PRAGMA temp_store=MEMORY;"
				    "PRAGMA foreign_keys=ON;"));
	KMV_TRY(kmv_schema__apply(v->db));
	KMV_TRY(kmv_audit_append(v, "init", NULL));
	KMV_TRY(kmv_vault_save(v));
	kmv_env__recovery_format(recovery_key_out, recovery);
done:
	sodium_memzero(recovery, sizeof(recovery));
	kmv_buf_dispose(&dir);
	kmv_vault_free(v);
	return error;
}
