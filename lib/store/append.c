/* SPDX-License-Identifier: MIT */
/*
 * The pre-update hook is compiled into Debian's libsqlite3 (the session
 * extension needs it), but sqlite3.h declares it only on request.
 */
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include "common.h"
#include "store/append.h"
#include "store/db.h"
#include "store/io.h"
#include "store/tail.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * A full save folds the tail once it holds this many entries or bytes:
 * every open verifies and replays the tail, so it stays short.
 */
#define FOLD_ENTRIES 64
#define FOLD_BYTES ((size_t)1 << 20)
/* An entry holds a command's events; more than this is a full save. */
#define MAX_EVENTS_JSON ((size_t)256 << 10)

/* One entry: the new rows of `events` as a JSON array of arrays. */
#define EVENT_COLUMNS "id, time, command, action, detail, prev_hash, hash"

struct replay {
	sqlite3_stmt *st;
	sqlite3 *db;
	const char *name;
};

static int replay_entry(const uint8_t *plain, size_t len, void *ctx)
{
	struct replay *r = ctx;
	int rc;

	sqlite3_bind_text(r->st, 1, (const char *)plain, (int)len,
			  SQLITE_STATIC);
	rc = sqlite3_step(r->st);
	if (rc != SQLITE_DONE)
		kmv_error_set(KMV_ERROR_VAULT,
			      "vault '%s' is corrupt: an audit tail entry does "
			      "not load (%s)",
			      r->name, sqlite3_errmsg(r->db));
	sqlite3_clear_bindings(r->st);
	sqlite3_reset(r->st);
	return rc == SQLITE_DONE ? 0 : KMV_ECORRUPT;
}

int kmv_append__replay(kmv_vault *v, const uint8_t *file, const char *name)
{
	struct replay r = { NULL, v->db, name };
	int error = 0;

	if (v->tail.count == 0)
		return 0;
	KMV_TRY(kmv_db__prepare(
		&r.st, v->db,
		"INSERT INTO main.events(" EVENT_COLUMNS ") SELECT value->>0,"
		" value->>1, value->>2, value->>3, value->>4, value->>5,"
		" value->>6 FROM json_each(?1)"));
	error = kmv_tail__open(&v->tail, &v->header, v->stream, v->data_key,
			       file, name, replay_entry, &r);
done:
	sqlite3_finalize(r.st);
	return error;
}

/* Note a change to anything but new rows of main.events, then stop. */
static void on_change(void *ctx, sqlite3 *db, int op, const char *schema,
		      const char *table, sqlite3_int64 old_key,
		      sqlite3_int64 new_key)
{
	kmv_vault *v = ctx;

	(void)old_key;
	if (strcmp(schema, "main") != 0)
		return; /* temp tables are never saved */
	if (op == SQLITE_INSERT && strcmp(table, "events") == 0 &&
	    new_key > v->events_base)
		return;
	v->changed = true;
	/* Nothing can undo the note: later rows need no more calls. */
	sqlite3_preupdate_hook(db, NULL, NULL);
}

static int64_t pragma_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t value = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		value = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return value;
}

static void take_base(kmv_vault *v)
{
	v->events_base = pragma_int(v->db, "SELECT max(id) FROM main.events");
	v->schema_base = pragma_int(v->db, "PRAGMA schema_version");
	v->user_version_base = pragma_int(v->db, "PRAGMA user_version");
	v->changed = v->schema_base < 0 || v->user_version_base < 0;
}

void kmv_append__watch(kmv_vault *v, bool same_file)
{
	v->appendable = same_file && v->header.minor >= 1 && !v->tail.torn;
	take_base(v);
	sqlite3_preupdate_hook(v->db, v->changed ? NULL : on_change, v);
}

/* The events added since the base, as an entry's JSON (empty: none). */
static int new_events(kmv_buf *json, int64_t *last_id, kmv_vault *v)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	KMV_TRY(kmv_db__prepare(
		&st, v->db,
		"SELECT count(*), max(id), json_group_array(json_array(" EVENT_COLUMNS
		")) FROM (SELECT " EVENT_COLUMNS
		" FROM main.events WHERE id > ?1 ORDER BY id)"));
	sqlite3_bind_int64(st, 1, v->events_base);
	if (sqlite3_step(st) != SQLITE_ROW) {
		error = kmv_db__error(v->db,
				      "cannot read the new audit events");
		goto done;
	}
	if (sqlite3_column_int64(st, 0) == 0)
		goto done;
	*last_id = sqlite3_column_int64(st, 1);
	error = kmv_buf_put(json, sqlite3_column_text(st, 2),
			    (size_t)sqlite3_column_bytes(st, 2));
done:
	sqlite3_finalize(st);
	return error;
}

/* Whether the change since the base can be one entry of this file. */
static bool can_append(kmv_vault *v)
{
	return v->appendable && !v->changed && v->tail.count < FOLD_ENTRIES &&
	       v->tail.end - v->tail.start < FOLD_BYTES &&
	       pragma_int(v->db, "PRAGMA schema_version") == v->schema_base &&
	       pragma_int(v->db, "PRAGMA user_version") == v->user_version_base;
}

/*
 * Whether the file open as `fd` is still the one the handle holds: one
 * link (an append changes every name of the inode), the size, header,
 * stream header and last tag it had.  Another save of the same size put
 * there (a sync client, a copy) would otherwise get an entry whose AD is
 * not its own, and no open would read it again.
 */
static bool still_ours(kmv_vault *v, int fd)
{
	kmv_buf head = KMV_BUF_INIT;
	uint8_t *disk = NULL, tag[KMV_TAIL_TAG];
	size_t n = 0;
	struct stat st;
	bool same = false;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 ||
	    (uint64_t)st.st_size != v->tail.end ||
	    kmv_env__header_encode(&head, &v->header) < 0)
		goto done;
	n = head.size + sizeof(v->stream);
	if (!(disk = malloc(n)) || pread(fd, disk, n, 0) != (ssize_t)n ||
	    memcmp(disk, head.ptr, head.size) != 0 ||
	    memcmp(disk + head.size, v->stream, sizeof(v->stream)) != 0)
		goto done;
	same = v->tail.count == 0 ||
	       (pread(fd, tag, sizeof(tag),
		      (off_t)(v->tail.end - sizeof(tag))) ==
			(ssize_t)sizeof(tag) &&
		memcmp(tag, v->tail.last_tag, sizeof(tag)) == 0);
done:
	free(disk);
	kmv_buf_dispose(&head);
	return same;
}

/*
 * Write `entry` at the tail's end of the vault file, in place, and sync.
 * 1 when the file is not the one the handle holds (a full save then
 * replaces it).  A failed write is cut off again, so the file stays as it
 * was.
 */
static int write_entry(kmv_vault *v, const kmv_buf *entry)
{
	int fd, error = 0;

	fd = open(v->path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		kmv_error_set_os("cannot open vault '%s'", v->path);
		return KMV_ERROR;
	}
	if (!still_ours(v, fd)) {
		error = 1;
		goto done;
	}
	if (lseek(fd, (off_t)v->tail.end, SEEK_SET) < 0) {
		kmv_error_set_os("cannot write vault '%s'", v->path);
		error = KMV_ERROR;
	}
	if (error == 0)
		error = kmv_io__write_all(fd, entry->ptr, entry->size, v->path);
	if (error == 0 && kmv_io__hooks.fsync(fd) < 0) {
		kmv_error_set_os("cannot sync vault '%s'", v->path);
		error = KMV_ERROR;
	}
	if (error < 0 && ftruncate(fd, (off_t)v->tail.end) == 0)
		fsync(fd);
done:
	close(fd);
	return error;
}

/*
 * The entry of the events added since the base, in `entry`; empty when
 * none were added or they are more than an entry should hold.  An error
 * here leaves the save to be a full one (the caller clears it).
 */
static int seal_new_events(kmv_buf *entry, uint8_t tag[KMV_TAIL_TAG],
			   int64_t *last_id, kmv_vault *v)
{
	kmv_buf json = KMV_BUF_INIT;
	int error = 0;

	json.max = MAX_EVENTS_JSON;
	KMV_TRY(new_events(&json, last_id, v));
	if (json.size > 0)
		error = kmv_tail__seal(entry, tag, &v->header, v->stream,
				       v->data_key, v->tail.count,
				       v->tail.last_tag,
				       (const uint8_t *)json.ptr, json.size);
done:
	kmv_buf_dispose_secure(&json);
	return error;
}

int kmv_append__try(kmv_vault *v, bool *appended)
{
	kmv_buf entry = KMV_BUF_INIT;
	uint8_t tag[KMV_TAIL_TAG];
	int64_t last_id = 0;
	int error = 0;

	*appended = false;
	kmv_io__arm_from_env();
	if (!can_append(v))
		goto done;
	if (seal_new_events(&entry, tag, &last_id, v) < 0) {
		kmv_error_clear(); /* too many events, or no memory: in full */
		goto done;
	}
	if (entry.size == 0)
		goto done;
	error = write_entry(v, &entry);
	if (error != 0) {
		if (error > 0) { /* not the file loaded: a full save */
			v->appendable = false;
			error = 0;
		}
		goto done;
	}
	v->tail.count++;
	v->tail.end += entry.size;
	v->tail.size = v->tail.end;
	memcpy(v->tail.last_tag, tag, sizeof(tag));
	v->events_base = last_id;
	*appended = true;
done:
	kmv_buf_dispose(&entry);
	return error;
}

/* After a full save: the file is the image alone, every change in it. */
void kmv_append__saved(kmv_vault *v)
{
	v->tail.start = v->tail.end = v->tail.size =
		v->header.header_len + (size_t)v->header.payload_len;
	v->tail.count = 0;
	v->tail.torn = false;
	memset(v->tail.last_tag, 0, sizeof(v->tail.last_tag));
	if (v->write)
		kmv_append__watch(v, true);
}
