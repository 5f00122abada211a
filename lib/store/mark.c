/* SPDX-License-Identifier: MIT */
/*
 * The rollback mark: `DIR/<vault id>.gen`, a few lines of text kept
 * outside the vault, naming for each path the vault is opened from the
 * newest save seen there (generation and the save's id: its random
 * secretstream header, with the last audit tail entry's tag when it has
 * entries, kmv_tail__save_id) and, when a rollback was seen and not yet accepted, the
 * generation it fell back from.  An older vault file put in place of the vault (its `.prev`, an
 * old backup, a stale copy from a sync client) still opens and verifies,
 * since each file is authentic by itself; only something that remembers
 * the newest save can tell.
 *
 * The mark is authenticated with crypto_auth (HMAC-SHA-512-256) under a
 * key derived from the data key (crypto_kdf, its own context), so only a
 * holder of the vault key writes a mark that is believed.  It cannot
 * stop someone who can write the state directory from deleting the mark
 * (docs/security.md).  Read-modify-write of a mark holds an flock on
 * `<vault id>.gen.lock`: readers raise it on open while a writer saves.
 */
#include "common.h"
#include "store/vault.h"
#include "kmvutil/file.h"
#include "kmvutil/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define MARK_MAX 8192
#define STREAM_LEN crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define MARK_KDF_CONTEXT "kmvmark1"
#define MARK_KDF_ID 1

_Static_assert(crypto_kdf_KEYBYTES == KMV_ENV_KEY_LEN,
	       "the data key is a crypto_kdf master key");

/* Process-wide, set once by the CLI before any vault is opened. */
static char *mark_dir;

struct mark {
	uint64_t generation;
	uint8_t stream[STREAM_LEN]; /* the save's id (kmv_tail__save_id) */
	uint64_t rollback_from; /* 0: none; else the generation seen before */
};

int kmv_vault_mark_dir_set(const char *dir)
{
	char *copy = NULL;

	if (dir && !(copy = strdup(dir)))
		return kmv_error_nomem();
	free(mark_dir);
	mark_dir = copy;
	return 0;
}

char *kmv_vault_mark_default_dir(void)
{
	kmv_buf p = KMV_BUF_INIT;
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int error;

	if (xdg && *xdg == '/')
		error = kmv_buf_printf(&p, "%s/kmvault", xdg);
	else if (home && *home)
		error = kmv_buf_printf(&p, "%s/.local/state/kmvault", home);
	else
		return NULL;
	if (error < 0) {
		kmv_buf_dispose(&p);
		return NULL;
	}
	return kmv_buf_detach(&p);
}

void kmv_mark_report_dispose(kmv_mark_report *r)
{
	if (!r)
		return;
	free(r->path);
	memset(r, 0, sizeof(*r));
}

static int mark_path(kmv_buf *out, const kmv_vault *v, const char *suffix)
{
	char id[33];

	kmv_hex_encode(id, v->header.vault_id, sizeof(v->header.vault_id));
	return kmv_buf_printf(out, "%s/%s.gen%s", mark_dir, id, suffix);
}

static void mark_key(uint8_t key[crypto_auth_KEYBYTES], const kmv_vault *v)
{
	crypto_kdf_derive_from_key(key, crypto_auth_KEYBYTES, MARK_KDF_ID,
				   MARK_KDF_CONTEXT, v->data_key);
}

/*
 * The marks of one vault, one per path it is opened from: a sync
 * conflict copy opened with --vault is another file with the same id,
 * and must not look like a rollback of the vault it came from.  Lines
 * are in the order written, the newest last; the oldest go past MAX.
 */
#define MARK_PATHS 32

struct mark_file {
	size_t n;
	char where[MARK_PATHS][33]; /* hex BLAKE2b-128 of the resolved path */
	struct mark e[MARK_PATHS];
};

static void path_id(char out[33], const kmv_vault *v)
{
	uint8_t h[16];

	crypto_generichash(h, sizeof(h), (const uint8_t *)v->path,
			   strlen(v->path), NULL, 0);
	kmv_hex_encode(out, h, sizeof(h));
}

static int mark_line(kmv_buf *out, const char *where, const struct mark *m)
{
	char stream[2 * STREAM_LEN + 1];

	kmv_hex_encode(stream, m->stream, STREAM_LEN);
	return kmv_buf_printf(out, "save %s %" PRIu64 " %s %" PRIu64 "\n",
			      where, m->generation, stream, m->rollback_from);
}

/* Write `mf` with the entry of `where` set to `m` (last: the newest). */
static int mark_write(const kmv_vault *v, const char *path,
		      const struct mark_file *mf, const char *where,
		      const struct mark *m)
{
	kmv_buf text = KMV_BUF_INIT;
	uint8_t key[crypto_auth_KEYBYTES], mac[crypto_auth_BYTES];
	char id[33], mac_hex[2 * crypto_auth_BYTES + 1];
	size_t others = 0;
	int error;

	kmv_hex_encode(id, v->header.vault_id, sizeof(v->header.vault_id));
	KMV_TRY(kmv_buf_printf(&text, "kmvault-mark 1\nvault %s\n", id));
	for (size_t i = 0; mf && i < mf->n; i++)
		others += strcmp(mf->where[i], where) != 0;
	for (size_t i = 0; mf && i < mf->n; i++) {
		if (strcmp(mf->where[i], where) == 0)
			continue;
		if (others-- >= MARK_PATHS)
			continue; /* the oldest make room */
		KMV_TRY(mark_line(&text, mf->where[i], &mf->e[i]));
	}
	KMV_TRY(mark_line(&text, where, m));
	mark_key(key, v);
	crypto_auth(mac, (const uint8_t *)text.ptr, text.size, key);
	kmv_hex_encode(mac_hex, mac, sizeof(mac));
	KMV_TRY(kmv_buf_printf(&text, "mac %s\n", mac_hex));
	/* 0600 through a temporary file and rename: never half a mark. */
	KMV_TRY(kmv_file_write(path, text.ptr, text.size, true));
done:
	sodium_memzero(key, sizeof(key));
	kmv_buf_dispose(&text);
	return error;
}

/* Parse an authenticated body into `mf`; false when malformed. */
static bool mark_parse(struct mark_file *mf, char *body, const kmv_vault *v)
{
	char id[33], id_hex[33], stream_hex[2 * STREAM_LEN + 1];
	char *line = body, *nl;
	size_t bin_len = 0;
	int n = -1;

	if (sscanf(line, "kmvault-mark 1\nvault %32[0-9a-f]\n%n", id, &n) !=
		    1 ||
	    n < 0)
		return false;
	kmv_hex_encode(id_hex, v->header.vault_id, sizeof(v->header.vault_id));
	if (strcmp(id, id_hex) != 0)
		return false; /* another vault's mark under this name */
	for (line += n; *line; line = nl + 1) {
		struct mark *m = &mf->e[mf->n];

		nl = strchr(line, '\n');
		if (!nl || mf->n >= MARK_PATHS)
			return false;
		*nl = '\0';
		n = -1;
		if (sscanf(line,
			   "save %32[0-9a-f] %" SCNu64 " %48[0-9a-f] %" SCNu64
			   "%n",
			   mf->where[mf->n], &m->generation, stream_hex,
			   &m->rollback_from, &n) != 4 ||
		    n != (int)strlen(line) || strlen(mf->where[mf->n]) != 32 ||
		    sodium_hex2bin(m->stream, STREAM_LEN, stream_hex,
				   strlen(stream_hex), NULL, &bin_len,
				   NULL) != 0 ||
		    bin_len != STREAM_LEN)
			return false;
		mf->n++;
	}
	return true;
}

/*
 * 1 and `mf` filled: an authentic mark file; 0: none; KMV_ECORRUPT: a
 * file that is no authentic mark of this vault; KMV_ERROR: unreadable.
 */
static int mark_read(struct mark_file *mf, const kmv_vault *v, const char *path)
{
	char text[MARK_MAX + 1];
	uint8_t key[crypto_auth_KEYBYTES], mac[crypto_auth_BYTES];
	const char *mac_line, *end = NULL;
	size_t len = 0, body_len, bin_len = 0;
	struct stat st;
	int fd, error = 0;

	memset(mf, 0, sizeof(*mf));
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		kmv_error_set_os("cannot open the rollback mark '%s'", path);
		return errno == ELOOP ? KMV_ECORRUPT : KMV_ERROR;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > MARK_MAX) {
		close(fd);
		kmv_error_set(KMV_ERROR_VAULT, "'%s' is no rollback mark",
			      path);
		return KMV_ECORRUPT;
	}
	while (len < MARK_MAX) {
		ssize_t r = read(fd, text + len, MARK_MAX - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			kmv_error_set_os("cannot read the rollback mark '%s'",
					 path);
			close(fd);
			return KMV_ERROR;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	text[len] = '\0';

	/* The last line is "mac HEX\n" over every byte before it. */
	mac_line = len >= 2 ? memrchr(text, '\n', len - 1) : NULL;
	if (!mac_line || strncmp(mac_line + 1, "mac ", 4) != 0 ||
	    text[len - 1] != '\n' ||
	    sodium_hex2bin(mac, sizeof(mac), mac_line + 5,
			   (size_t)(text + len - 1 - (mac_line + 5)), NULL,
			   &bin_len, &end) != 0 ||
	    bin_len != sizeof(mac) || end != text + len - 1)
		goto forged;
	body_len = (size_t)(mac_line + 1 - text);
	mark_key(key, v);
	error = crypto_auth_verify(mac, (const uint8_t *)text, body_len, key);
	sodium_memzero(key, sizeof(key));
	if (error != 0)
		goto forged;
	text[body_len] = '\0';
	if (!mark_parse(mf, text, v))
		goto forged;
	return 1;
forged:
	memset(mf, 0, sizeof(*mf));
	kmv_error_set(KMV_ERROR_VAULT,
		      "the rollback mark '%s' fails "
		      "authentication",
		      path);
	return KMV_ECORRUPT;
}

/*
 * The save the vault file on disk holds now: its generation and the id
 * that names it (kmv_tail__save_id).  A reader that opened an older save while a writer replaced
 * or appended to it is behind the mark without any rollback.
 */
static int read_disk_save(uint64_t *generation, uint8_t id[STREAM_LEN],
			  const char *path)
{
	struct kmv_env_header h;
	struct kmv_tail t;
	uint8_t disk_stream[STREAM_LEN];
	int fd, error;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		kmv_error_set_os("cannot open vault '%s'", path);
		return KMV_ERROR;
	}
	error = kmv_tail__read_file(&h, &t, disk_stream, fd, path);
	if (error == 0) {
		*generation = kmv_tail__generation(&h, &t);
		kmv_tail__save_id(id, disk_stream, &t);
	}
	close(fd);
	return error;
}

static int lock_mark(int *fd_out, const char *lock_path)
{
	int fd = open(lock_path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		      0600);

	if (fd < 0) {
		kmv_error_set_os("cannot open '%s'", lock_path);
		return KMV_ERROR;
	}
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			kmv_error_set_os("cannot lock '%s'", lock_path);
			close(fd);
			return KMV_ERROR;
		}
	}
	*fd_out = fd;
	return 0;
}

/* Whether the save (generation, stream) is behind the mark `m`. */
static bool behind(const struct mark *m, uint64_t generation,
		   const uint8_t *stream)
{
	return generation < m->generation ||
	       (generation == m->generation &&
		memcmp(stream, m->stream, STREAM_LEN) != 0);
}

enum mark_op { MARK_CHECK, MARK_SAVED, MARK_ACCEPT };

/*
 * The one read-modify-write of a mark.  MARK_SAVED compares the save
 * that was replaced (`old_generation`, `old_id`) with the mark.
 */
/* This path's entry of the mark file: 1 found, 0 none, else mark_read's. */
static int entry_of(struct mark *m, const struct mark_file *mf, int found,
		    const char *where)
{
	memset(m, 0, sizeof(*m));
	if (found != 1)
		return found;
	found = 0;
	for (size_t i = 0; i < mf->n; i++)
		if (strcmp(mf->where[i], where) == 0) {
			*m = mf->e[i];
			found = 1;
		}
	return found;
}

/*
 * The mark a save leaves, `now`, when the stored one `m` notes a rollback
 * or the save's vault was behind it: the newest save seen stays the mark
 * until one is newer, and the rollback stays noted.  A new rollback falls
 * back from the newest save seen; one already noted keeps the generation
 * it fell from.
 */
static void carry_rollback(struct mark *now, const struct mark *m,
			   uint64_t old_generation, const uint8_t *old_id)
{
	uint64_t seen = m->rollback_from;

	if (behind(m, old_generation, old_id) && m->generation > seen)
		seen = m->generation;
	if (now->generation <= m->generation)
		*now = *m;
	now->rollback_from = seen;
}

/* MARK_CHECK: compare the open vault `now` with its entry `m`. */
static int check_mark(kmv_vault *v, const char *path, struct mark_file *mf,
		      const char *where, int found, const struct mark *m,
		      const struct mark *now, kmv_mark_report *rep)
{
	uint64_t disk_gen = 0;
	uint8_t disk_id[STREAM_LEN];

	if (found == KMV_ECORRUPT) {
		rep->status = KMV_MARK_UNTRUSTED;
		return 0;
	}
	if (found == 0) {
		rep->status = KMV_MARK_NEW;
		return mark_write(v, path, mf, where, now);
	}
	if (!m->rollback_from && !behind(m, now->generation, now->stream))
		return now->generation > m->generation
			       ? mark_write(v, path, mf, where, now)
			       : 0;
	/* Only a reader left behind by a writer's save? */
	if (!m->rollback_from &&
	    read_disk_save(&disk_gen, disk_id, v->path) == 0 &&
	    !behind(m, disk_gen, disk_id))
		return 0;
	rep->status = KMV_MARK_ROLLBACK;
	rep->seen = m->rollback_from;
	if (behind(m, now->generation, now->stream) &&
	    m->generation > rep->seen)
		rep->seen = m->generation;
	rep->replaced = now->generation >= rep->seen;
	return 0;
}

static int mark_update(kmv_vault *v, enum mark_op op, uint64_t old_generation,
		       const uint8_t *old_id, kmv_mark_report *rep)
{
	kmv_buf path = KMV_BUF_INIT, lock = KMV_BUF_INIT;
	struct mark_file mf;
	struct mark m, now;
	char where[33];
	int fd = -1, found, error = 0;

	memset(rep, 0, sizeof(*rep));
	memset(&m, 0, sizeof(m));
	rep->generation = kmv_vault__generation(v);
	if (!mark_dir)
		return 0; /* KMV_MARK_OFF */
	memset(&now, 0, sizeof(now));
	now.generation = kmv_vault__generation(v);
	kmv_tail__save_id(now.stream, v->stream, &v->tail);
	KMV_TRY(mark_path(&path, v, ""));
	KMV_TRY(mark_path(&lock, v, ".lock"));
	rep->path = strdup(path.ptr);
	if (!rep->path) {
		error = kmv_error_nomem();
		goto done;
	}
	KMV_TRY(kmv_mkdir_p(mark_dir, 0700));
	KMV_TRY(lock_mark(&fd, lock.ptr));
	found = mark_read(&mf, v, path.ptr);
	if (found == KMV_ERROR) {
		error = found;
		goto done;
	}
	path_id(where, v);
	found = entry_of(&m, &mf, found, where);
	rep->status = KMV_MARK_OK;
	switch (op) {
	case MARK_ACCEPT:
		error = mark_write(v, path.ptr, &mf, where, &now);
		break;
	case MARK_SAVED:
		if (found == 1 &&
		    (m.rollback_from || behind(&m, old_generation, old_id)))
			carry_rollback(&now, &m, old_generation, old_id);
		/* No mark, or one that failed authentication: a fresh one. */
		error = mark_write(v, path.ptr, &mf, where, &now);
		break;
	case MARK_CHECK:
		error = check_mark(v, path.ptr, &mf, where, found, &m, &now,
				   rep);
		break;
	}
done:
	if (fd >= 0)
		close(fd); /* drops the flock */
	kmv_buf_dispose(&path);
	kmv_buf_dispose(&lock);
	sodium_memzero(&m, sizeof(m));
	sodium_memzero(&mf, sizeof(mf));
	return error;
}

int kmv_vault_mark_check(kmv_vault *v, kmv_mark_report *out)
{
	KMV_ASSERT_ARG(v && out);
	return mark_update(v, MARK_CHECK, 0, NULL, out);
}

int kmv_vault_mark_accept(kmv_vault *v)
{
	kmv_mark_report rep;
	int error;

	KMV_ASSERT_ARG(v);
	error = mark_update(v, MARK_ACCEPT, 0, NULL, &rep);
	kmv_mark_report_dispose(&rep);
	return error;
}

void kmv_vault__mark_saved(kmv_vault *v, uint64_t old_generation,
			   const uint8_t *old_id)
{
	kmv_mark_report rep;
	uint64_t generation = 0;
	uint8_t id[STREAM_LEN], now[STREAM_LEN];

	/* Mark only the save that is on disk: a writer of another host may
	 * have replaced it already (sync). */
	kmv_tail__save_id(now, v->stream, &v->tail);
	if (read_disk_save(&generation, id, v->path) < 0 ||
	    generation != kmv_vault__generation(v) ||
	    memcmp(id, now, STREAM_LEN) != 0)
		return;
	mark_update(v, MARK_SAVED, old_generation, old_id, &rep);
	kmv_mark_report_dispose(&rep);
}
