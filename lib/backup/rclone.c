/* SPDX-License-Identifier: MIT */
/*
 * Backups on rclone remotes.  See rclone.h for the protocol; the rules
 * (names, skip when unchanged, keep rules) are those of a local backup
 * directory, shared through backup_files.h.
 */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backup/backup_files.h"
#include "backup/rclone.h"
#include "kmvutil/file.h"
#include "store/envelope.h"

extern char **environ;

#define MAX_WORDS 64
#define ERR_TAIL 2048
#define LIST_MAX ((size_t)64 << 20)

bool kmv_rclone__is_remote(const char *target)
{
	return target && strncmp(target, KMV_RCLONE_PREFIX,
				 strlen(KMV_RCLONE_PREFIX)) == 0;
}

bool kmv_backup_is_remote(const char *target)
{
	return kmv_rclone__is_remote(target);
}

/* "REMOTE:PATH" of a target, without the "rclone:" prefix. */
static const char *remote_of(const char *target)
{
	return target + strlen(KMV_RCLONE_PREFIX);
}

/* REMOTE:PATH + "/" + name (no "/" after a bare "REMOTE:" or a "/"). */
static int remote_join(kmv_buf *out, const char *remote, const char *name)
{
	size_t n = strlen(remote);

	kmv_buf_clear(out);
	if (n && remote[n - 1] != ':' && remote[n - 1] != '/')
		return kmv_buf_printf(out, "%s/%s", remote, name);
	return kmv_buf_printf(out, "%s%s", remote, name);
}

/* ---- running rclone ---------------------------------------------------- */

/* Receives the child's standard output as it comes. */
typedef int rc_sink(const void *data, size_t len, void *payload);

struct rc_run {
	const char *verb;    /* for messages */
	const char *args[8]; /* after the program's own words; NULL-ended */
	int in_fd;           /* standard input, or -1 for /dev/null */
	rc_sink *sink;       /* standard output, or NULL to drop it */
	void *payload;
	int exit_code; /* rclone's, when it ran */
};

/* The environment minus every passphrase variable of kmvault's. */
static char **child_env(void)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 1, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "KMVAULT_PASSPHRASE", 18) != 0 &&
		    strncmp(environ[i], "KMVAULT_NEW_PASSPHRASE", 22) != 0)
			env[k++] = environ[i];
	return env;
}

/* The program and its leading flags: $KMVAULT_RCLONE split at spaces. */
static int program_words(char *words_buf, size_t bufsz, const char **argv,
			 size_t *argc)
{
	const char *spec = getenv("KMVAULT_RCLONE");
	char *p;

	if (!spec || !*spec)
		spec = "rclone";
	if (strlen(spec) >= bufsz) {
		kmv_error_set(KMV_ERROR_INPUT, "$KMVAULT_RCLONE is too long");
		return KMV_EUSAGE;
	}
	memcpy(words_buf, spec, strlen(spec) + 1); /* fits: checked above */
	*argc = 0;
	for (p = words_buf; *p;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (*argc == MAX_WORDS - 10) {
			kmv_error_set(KMV_ERROR_INPUT,
				      "$KMVAULT_RCLONE has too many words");
			return KMV_EUSAGE;
		}
		argv[(*argc)++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	if (*argc == 0)
		argv[(*argc)++] = "rclone";
	return 0;
}

/*
 * What to quote of rclone's stderr: its last ERROR line, else its last
 * line, with control characters made spaces.
 */
static void error_line(char *out, size_t outsz, const char *err, size_t len)
{
	const char *end = err + len, *last = NULL, *last_error = NULL, *line;
	size_t o = 0;

	for (const char *p = err; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;

		if (e > p) {
			last = p;
			if (memmem(p, (size_t)(e - p), "ERROR", 5))
				last_error = p;
		}
		p = nl ? nl + 1 : end;
	}
	line = last_error ? last_error : last;
	for (const char *q = line; q && q < end && *q != '\n' && o + 1 < outsz;
	     q++)
		out[o++] = (unsigned char)*q < 0x20 ? ' ' : *q;
	out[o] = '\0';
}

/* A running rclone: its pid, the read ends of its output, its stderr tail. */
struct rc_child {
	pid_t pid;
	int out_fd, err_fd;
	char err[ERR_TAIL];
	size_t elen;
};

/* Keep the last ERR_TAIL bytes of stderr: the error is on the last lines. */
static void keep_tail(struct rc_child *c, const char *buf, size_t n)
{
	if (n >= sizeof(c->err)) {
		memcpy(c->err, buf + n - sizeof(c->err), sizeof(c->err));
		c->elen = sizeof(c->err);
		return;
	}
	if (c->elen + n > sizeof(c->err)) {
		size_t drop = c->elen + n - sizeof(c->err);

		memmove(c->err, c->err + drop, c->elen - drop);
		c->elen -= drop;
	}
	memcpy(c->err + c->elen, buf, n);
	c->elen += n;
}

/*
 * Start rclone with the program words of $KMVAULT_RCLONE plus r->args,
 * stdin from r->in_fd (or /dev/null), stdout and stderr on pipes.  On
 * success c->pid runs and c->out_fd / c->err_fd are the pipes' read ends.
 */
static int rc_spawn(struct rc_run *r, struct rc_child *c)
{
	posix_spawn_file_actions_t fa;
	char words[4096];
	const char *argv[MAX_WORDS];
	size_t argc = 0;
	int out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 };
	int devnull = -1, error = 0;
	char **env = NULL;
	mode_t old_mask;
	bool fa_ready = false;

	KMV_TRY(program_words(words, sizeof(words), argv, &argc));
	for (size_t i = 0; r->args[i]; i++)
		argv[argc++] = r->args[i];
	argv[argc] = NULL;
	if (!(env = child_env())) {
		error = kmv_error_nomem();
		goto done;
	}
	if (pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0 ||
	    (r->in_fd < 0 &&
	     (devnull = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)) {
		kmv_error_set_os("cannot run rclone");
		error = KMV_ERROR;
		goto done;
	}
	posix_spawn_file_actions_init(&fa);
	fa_ready = true;
	posix_spawn_file_actions_adddup2(&fa,
					 r->in_fd >= 0 ? r->in_fd : devnull, 0);
	posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
	/*
	 * What rclone creates on a local or SFTP backend gets mode 0600, like
	 * a backup folder's files: the child inherits this umask.
	 */
	old_mask = umask(077);
	errno = posix_spawnp(&c->pid, argv[0], &fa, NULL, (char *const *)argv,
			     env);
	umask(old_mask);
	if (errno != 0) {
		c->pid = -1;
		kmv_error_set_os("cannot run '%s' (is rclone installed? "
				 "$KMVAULT_RCLONE names it)",
				 argv[0]);
		error = KMV_ERROR;
		goto done;
	}
	c->out_fd = out_pipe[0];
	c->err_fd = err_pipe[0];
	out_pipe[0] = err_pipe[0] = -1;
done:
	if (fa_ready)
		posix_spawn_file_actions_destroy(&fa);
	for (int i = 0; i < 2; i++) {
		if (out_pipe[i] >= 0)
			close(out_pipe[i]);
		if (err_pipe[i] >= 0)
			close(err_pipe[i]);
	}
	if (devnull >= 0)
		close(devnull);
	free(env);
	return error;
}

/*
 * Read the child's stdout (to r->sink) and stderr (its tail kept) until
 * both end.  A sink error stops the feeding, not the reading, so the child
 * is never left blocked on a full pipe.
 */
static int rc_drain(struct rc_run *r, struct rc_child *c)
{
	int error = 0;

	while (c->out_fd >= 0 || c->err_fd >= 0) {
		struct pollfd p[2] = { { c->out_fd, POLLIN, 0 },
				       { c->err_fd, POLLIN, 0 } };
		char buf[65536];

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			kmv_error_set_os("cannot read from rclone");
			return KMV_ERROR;
		}
		for (int i = 0; i < 2; i++) {
			int *fd = i ? &c->err_fd : &c->out_fd;
			ssize_t n;

			if (p[i].fd < 0 ||
			    !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(*fd, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(*fd);
				*fd = -1;
			} else if (i == 1) {
				keep_tail(c, buf, (size_t)n);
			} else if (r->sink && error == 0) {
				error = r->sink(buf, (size_t)n, r->payload);
			}
		}
	}
	return error;
}

/* Reap the child; its failure becomes an error quoting its stderr. */
static int rc_wait(struct rc_run *r, struct rc_child *c)
{
	char line[512];
	int status = 0;

	while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
		;
	c->pid = -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		r->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		error_line(line, sizeof(line), c->err, c->elen);
		kmv_error_set(KMV_ERROR_OS, "rclone %s failed%s%s", r->verb,
			      *line ? ": " : "", line);
		/* rclone: 3 directory not found, 4 file not found. */
		return r->exit_code == 3 || r->exit_code == 4 ? KMV_ENOTFOUND
							      : KMV_ERROR;
	}
	r->exit_code = 0;
	return 0;
}

static int rc_exec(struct rc_run *r)
{
	struct rc_child c = { .pid = -1, .out_fd = -1, .err_fd = -1 };
	int error, status;

	r->exit_code = -1;
	KMV_TRY(rc_spawn(r, &c));
	error = rc_drain(r, &c);
	if (error >= 0)
		error = rc_wait(r, &c);
done:
	if (c.pid > 0) {
		kill(c.pid, SIGTERM);
		waitpid(c.pid, &status, 0);
	}
	if (c.out_fd >= 0)
		close(c.out_fd);
	if (c.err_fd >= 0)
		close(c.err_fd);
	return error;
}

static int sink_buf(const void *data, size_t len, void *payload)
{
	kmv_buf *b = payload;

	if (b->size + len > LIST_MAX) {
		kmv_error_set(KMV_ERROR_OS,
			      "rclone printed more than %zu bytes", LIST_MAX);
		return KMV_ERROR;
	}
	return kmv_buf_put(b, data, len);
}

static int sink_hash(const void *data, size_t len, void *payload)
{
	struct {
		EVP_MD_CTX *md;
		int64_t size;
	} *h = payload;

	h->size += (int64_t)len;
	return EVP_DigestUpdate(h->md, data, len) == 1 ? 0 : KMV_ERROR;
}

/* ---- listing ----------------------------------------------------------- */

/* Parse `rclone lsjson` output (an array of objects) with SQLite's JSON1. */
static int parse_listing(kmv_backup_list *out, const char *remote,
			 const kmv_buf *json)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	kmv_buf path = KMV_BUF_INIT;
	size_t alloc = 0;
	int rc, error = 0;

	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "SELECT json_extract(value, '$.Name'), "
			       "json_extract(value, '$.Size'), "
			       "json_extract(value, '$.IsDir') "
			       "FROM json_each(?1)",
			       -1, &st, NULL) != SQLITE_OK) {
		kmv_error_set(KMV_ERROR_INTERNAL,
			      "cannot parse rclone's listing");
		error = KMV_ERROR;
		goto done;
	}
	sqlite3_bind_text(st, 1, json->size ? json->ptr : "[]",
			  json->size ? (int)json->size : 2, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		kmv_backup_info info;

		if (!name || sqlite3_column_int(st, 2) ||
		    kmv_backup_parse_name(&info.created, &info.generation,
					  name) < 0)
			continue;
		info.size = sqlite3_column_int64(st, 1);
		KMV_TRY(remote_join(&path, remote, name));
		KMV_TRY(kmv_buf_grow(&path, strlen(KMV_RCLONE_PREFIX)));
		memmove(path.ptr + strlen(KMV_RCLONE_PREFIX), path.ptr,
			path.size + 1);
		memcpy(path.ptr, KMV_RCLONE_PREFIX, strlen(KMV_RCLONE_PREFIX));
		path.size += strlen(KMV_RCLONE_PREFIX);
		info.file = name;
		info.path = path.ptr;
		KMV_TRY(kmv_backup__list_push(out, &alloc, &info));
	}
	if (rc != SQLITE_DONE) {
		kmv_error_set(KMV_ERROR_OS, "rclone lsjson printed something "
					    "that is not a listing");
		error = KMV_ERROR;
		goto done;
	}
	kmv_backup__sort(out);
done:
	sqlite3_finalize(st);
	sqlite3_close(db);
	kmv_buf_dispose(&path);
	if (error < 0)
		kmv_backup_list_free(out);
	return error;
}

int kmv_rclone__list(kmv_backup_list *out, const char *target)
{
	kmv_buf json = KMV_BUF_INIT;
	const char *remote = remote_of(target);
	struct rc_run r = { "lsjson",
			    { "lsjson", "--files-only", "--no-mimetype",
			      "--no-modtime", remote, NULL },
			    -1,
			    sink_buf,
			    &json,
			    0 };
	int error;

	out->items = NULL;
	out->count = 0;
	error = rc_exec(&r);
	if (error == 0)
		error = parse_listing(out, remote, &json);
	kmv_buf_dispose(&json);
	return error;
}

/* ---- create ------------------------------------------------------------ */

/* The first `len` bytes of a remote file. */
static int remote_head(kmv_buf *out, const char *path, size_t len)
{
	char n[32];
	struct rc_run r = { "cat", { "cat", "--head", n, path, NULL },
			    -1,    sink_buf,
			    out,   0 };

	snprintf(n, sizeof(n), "%zu", len);
	kmv_buf_clear(out);
	return rc_exec(&r);
}

static bool remote_same_save(const kmv_backup_info *b, const uint8_t *head,
			     size_t head_len, int64_t size)
{
	kmv_buf got = KMV_BUF_INIT;
	bool same;

	same = b->size == size &&
	       remote_head(&got, remote_of(b->path), head_len) == 0 &&
	       got.size == head_len && memcmp(got.ptr, head, head_len) == 0;
	kmv_buf_dispose(&got);
	return same;
}

/* SHA-256 of the first `size` bytes of `fd`, as lower-case hex. */
static int local_sha256(char hex[65], int fd, int64_t size, const char *path)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char sum[32], buf[65536];
	int64_t off = 0;
	int error = 0;

	if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		error = kmv_error_nomem();
		goto done;
	}
	while (off < size) {
		size_t want = size - off < (int64_t)sizeof(buf)
				      ? (size_t)(size - off)
				      : sizeof(buf);
		ssize_t n = pread(fd, buf, want, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			kmv_error_set_os("cannot read '%s'", path);
			error = KMV_ERROR;
			goto done;
		}
		EVP_DigestUpdate(md, buf, (size_t)n);
		off += n;
	}
	EVP_DigestFinal_ex(md, sum, NULL);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", sum[i]);
done:
	EVP_MD_CTX_free(md);
	return error;
}

/* The Size of the first entry of an lsjson listing (-1: none). */
static int listing_size(int64_t *size, const kmv_buf *json)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int error = 0;

	*size = -1;
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "SELECT json_extract(value, '$.Size') "
			       "FROM json_each(?1)",
			       -1, &st, NULL) != SQLITE_OK) {
		kmv_error_set(KMV_ERROR_INTERNAL,
			      "cannot parse rclone's listing");
		error = KMV_ERROR;
	} else {
		sqlite3_bind_text(st, 1, json->size ? json->ptr : "[]",
				  json->size ? (int)json->size : 2,
				  SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			*size = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return error;
}

/*
 * Is the uploaded `path` `size` bytes with SHA-256 `want`?  The backend's
 * own SHA-256 when it has one (local, S3 multipart aside, SFTP with shell
 * access), else every byte read back.
 */
static int check_upload(const char *path, int64_t size, const char *want)
{
	kmv_buf out = KMV_BUF_INIT;
	struct rc_run hs = { "hashsum", { "hashsum", "sha256", path, NULL },
			     -1,        sink_buf,
			     &out,      0 };
	struct {
		EVP_MD_CTX *md;
		int64_t size;
	} h = { NULL, 0 };
	struct rc_run cat = {
		"cat", { "cat", path, NULL }, -1, sink_hash, &h, 0
	};
	unsigned char sum[32];
	char hex[65];
	int error = 0;

	if (rc_exec(&hs) == 0 && out.size >= 64 &&
	    strspn(out.ptr, "0123456789abcdef") == 64) {
		/* The hash is right only if the size is too: both are checked. */
		struct rc_run ls = {
			"lsjson",
			{ "lsjson", "--no-mimetype", "--no-modtime", path, NULL },
			-1,
			sink_buf,
			&out,
			0
		};

		if (strncmp(out.ptr, want, 64) != 0)
			goto mismatch;
		kmv_buf_clear(&out);
		KMV_TRY(rc_exec(&ls));
		KMV_TRY(listing_size(&h.size, &out));
		if (h.size != size)
			goto mismatch;
		goto done;
	}
	if (!(h.md = EVP_MD_CTX_new()) ||
	    EVP_DigestInit_ex(h.md, EVP_sha256(), NULL) != 1) {
		error = kmv_error_nomem();
		goto done;
	}
	KMV_TRY(rc_exec(&cat));
	EVP_DigestFinal_ex(h.md, sum, NULL);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", sum[i]);
	if (h.size == size && memcmp(hex, want, 64) == 0)
		goto done;
mismatch:
	kmv_error_set(KMV_ERROR_OS,
		      "the upload to '%s' does not read back as "
		      "written",
		      path);
	error = KMV_ERROR;
done:
	EVP_MD_CTX_free(h.md);
	kmv_buf_dispose(&out);
	return error;
}

/* Best effort, after a failure: the failure's own message is kept. */
static void remote_delete(const char *path)
{
	struct rc_run r = { "deletefile", { "deletefile", path, NULL },
			    -1,           NULL,
			    NULL,         0 };
	kmv_error_saved saved;

	kmv_error_save(&saved);
	(void)rc_exec(&r);
	kmv_error_restore(&saved);
}

static int upload(const char *remote, const char *name, int in, int64_t size,
		  const char *vault_path)
{
	kmv_buf tmp = KMV_BUF_INIT, final = KMV_BUF_INIT,
		tmpname = KMV_BUF_INIT;
	kmv_buf head = KMV_BUF_INIT;
	char hex[65];
	struct rc_run rcat = {
		"rcat", { "rcat", NULL, NULL }, -1, NULL, NULL, 0
	};
	struct rc_run move = { "moveto", { "moveto", NULL, NULL, NULL },
			       -1,       NULL,
			       NULL,     0 };
	bool uploaded = false;
	int error = 0;

	KMV_TRY(kmv_buf_printf(&tmpname, ".%s.tmp-%ld", name, (long)getpid()));
	KMV_TRY(remote_join(&tmp, remote, tmpname.ptr));
	KMV_TRY(remote_join(&final, remote, name));
	KMV_TRY(local_sha256(hex, in, size, vault_path));
	if (lseek(in, 0, SEEK_SET) < 0) {
		kmv_error_set_os("cannot read '%s'", vault_path);
		error = KMV_ERROR;
		goto done;
	}
	rcat.args[1] = tmp.ptr;
	rcat.in_fd = in;
	uploaded = true; /* even a failed rcat may leave a partial file */
	KMV_TRY(rc_exec(&rcat));
	KMV_TRY(check_upload(tmp.ptr, size, hex));
	move.args[1] = tmp.ptr;
	move.args[2] = final.ptr;
	KMV_TRY(rc_exec(&move));
	uploaded = false;
	/* Read the final name back: it must be this save's header. */
	error = remote_head(&head, final.ptr, 56);
	if (error == 0 &&
	    (head.size != 56 || memcmp(head.ptr, KMV_ENV_MAGIC, 8))) {
		kmv_error_set(KMV_ERROR_OS,
			      "backup '%s' does not read back as "
			      "written",
			      final.ptr);
		error = KMV_ERROR;
	}
	if (error < 0)
		remote_delete(final.ptr);
done:
	if (error < 0 && uploaded)
		remote_delete(tmp.ptr);
	kmv_buf_dispose(&tmp);
	kmv_buf_dispose(&final);
	kmv_buf_dispose(&tmpname);
	kmv_buf_dispose(&head);
	return error;
}

static int prune(kmv_backup_result *res, const char *target, const char *fresh,
		 const kmv_retention *rules)
{
	kmv_backup_list list = { NULL, 0 };
	bool *keep = NULL;
	int error = 0;

	if (!kmv_retention_active(rules))
		return 0;
	KMV_TRY(kmv_rclone__list(&list, target));
	if (list.count == 0)
		goto done;
	keep = calloc(list.count, sizeof(*keep));
	res->pruned = calloc(list.count, sizeof(*res->pruned));
	if (!keep || !res->pruned) {
		error = kmv_error_nomem();
		goto done;
	}
	KMV_TRY(kmv_backup__keep(keep, &list, fresh, rules));
	for (size_t i = 0; i < list.count; i++) {
		struct rc_run r = { "deletefile", { "deletefile", NULL, NULL },
				    -1,           NULL,
				    NULL,         0 };

		if (keep[i])
			continue;
		r.args[1] = remote_of(list.items[i].path);
		KMV_TRY(rc_exec(&r));
		if (!(res->pruned[res->npruned] = strdup(list.items[i].file))) {
			error = kmv_error_nomem();
			goto done;
		}
		res->npruned++;
	}
done:
	free(keep);
	kmv_backup_list_free(&list);
	return error;
}

int kmv_rclone__create(kmv_backup_result *out, const char *vault_path,
		       const char *target, const kmv_backup_options *opts)
{
	kmv_backup_list list = { NULL, 0 };
	kmv_buf name = KMV_BUF_INIT;
	uint8_t head[KMV_BACKUP_HEAD_MAX], last[16];
	size_t head_len = 0;
	int64_t size = 0;
	int in = -1, error = 0;

	KMV_TRY(kmv_backup__open_vault(&in, &size, vault_path));
	KMV_TRY(kmv_backup__read_head(head, &head_len, &out->generation, last,
				      in, &size, vault_path));
	out->size = size;
	error = kmv_rclone__list(&list, target);
	if (error == KMV_ENOTFOUND) /* rcat creates the folder */
		error = 0;
	KMV_TRY(error);
	if (list.count > 0) {
		const kmv_backup_info *newest = &list.items[list.count - 1];

		if (newest->generation == out->generation &&
		    remote_same_save(newest, head, head_len, size)) {
			out->skipped = true;
			if (!(out->file = strdup(newest->file)))
				error = kmv_error_nomem();
			goto prune;
		}
	}
	KMV_TRY(kmv_backup__name(&name,
				 opts->now.epoch ? opts->now.epoch
						 : kmv_time_now().epoch,
				 out->generation));
	for (size_t i = 0; i < list.count; i++)
		if (strcmp(list.items[i].file, name.ptr) == 0) {
			kmv_error_set(KMV_ERROR_OS,
				      "backup '%s' already exists "
				      "on '%s'",
				      name.ptr, remote_of(target));
			error = KMV_EEXISTS;
			goto done;
		}
	KMV_TRY(upload(remote_of(target), name.ptr, in, size, vault_path));
	if (!(out->file = kmv_buf_detach(&name))) {
		error = kmv_error_nomem();
		goto done;
	}
prune:
	if (error == 0)
		error = prune(out, target, out->file, &opts->retention);
done:
	if (in >= 0)
		close(in);
	kmv_backup_list_free(&list);
	kmv_buf_dispose(&name);
	return error;
}

/* ---- fetch ------------------------------------------------------------- */

int kmv_rclone__fetch(char **local_out, char **dir_out, const char *file)
{
	const char *base = getenv("TMPDIR");
	kmv_buf dir = KMV_BUF_INIT, local = KMV_BUF_INIT;
	struct rc_run r = { "copyto", { "copyto", remote_of(file), NULL, NULL },
			    -1,       NULL,
			    NULL,     0 };
	int error = 0;

	*local_out = *dir_out = NULL;
	KMV_TRY(kmv_buf_printf(&dir, "%s/kmvault-fetch-XXXXXX",
			       base && *base ? base : "/tmp"));
	if (!mkdtemp(dir.ptr)) { /* 0700 */
		kmv_error_set_os("cannot make a temporary folder in '%s'",
				 base && *base ? base : "/tmp");
		error = KMV_ERROR;
		goto done;
	}
	KMV_TRY(kmv_buf_printf(&local, "%s/%s", dir.ptr, kmv_basename(file)));
	r.args[2] = local.ptr;
	error = rc_exec(&r);
	if (error == 0 && access(local.ptr, F_OK) < 0) {
		/* copyto of a missing file succeeds quietly on some backends. */
		kmv_error_set(KMV_ERROR_OS, "no backup file '%s'", file);
		error = KMV_ENOTFOUND;
	}
	if (error == KMV_ENOTFOUND)
		kmv_error_set(KMV_ERROR_OS, "no backup file '%s'", file);
	if (error == 0)
		chmod(local.ptr, 0600);
done:
	if (error < 0 && dir.size) {
		if (local.size)
			unlink(local.ptr);
		rmdir(dir.ptr);
	}
	if (error == 0) {
		*local_out = kmv_buf_detach(&local);
		*dir_out = kmv_buf_detach(&dir);
	}
	kmv_buf_dispose(&dir);
	kmv_buf_dispose(&local);
	return error;
}

void kmv_rclone__discard(char *local, char *dir)
{
	if (local)
		unlink(local);
	if (dir)
		rmdir(dir);
	free(local);
	free(dir);
}
