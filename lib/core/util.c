/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "kmv/util.h"
#include "core/sqlite_mem.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <fcntl.h>
#include <sodium.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>
#include <wchar.h>
#include <openssl/evp.h>
#include <zlib.h>

int kmv_global_init(void)
{
	static bool done;

	if (done)
		return 0;
	if (sodium_init() < 0) {
		kmv_error_set(KMV_ERROR_CRYPTO, "cannot initialize libsodium");
		return KMV_ERROR;
	}
	/*
	 * kmvault drives SQLite from one thread.  Debian builds it serialized
	 * (THREADSAFE=1) with memory statistics on: a mutex around every API
	 * call and every allocation, which a single-threaded tool does not need.
	 */
	sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (kmv_sqlite_mem_install() < 0) {
		kmv_error_set(KMV_ERROR_DB, "cannot set SQLite's allocator");
		return KMV_ERROR;
	}
	/* Vault images may exceed the 1 GiB memdb default (anchors.md 2.4). */
	sqlite3_config(SQLITE_CONFIG_MEMDB_MAXSIZE, (sqlite3_int64)16 << 30);
	if (sqlite3_initialize() != SQLITE_OK) {
		kmv_error_set(KMV_ERROR_DB, "cannot initialize SQLite");
		return KMV_ERROR;
	}
	done = true;
	return 0;
}

int kmv_file_read(kmv_buf *out, const char *path, size_t max)
{
	struct stat st;
	int fd, error = 0;
	size_t start = out->size;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		kmv_error_set_os("cannot open '%s'", path);
		return errno == ENOENT ? KMV_ENOTFOUND : KMV_ERROR;
	}
	if (fstat(fd, &st) < 0) {
		kmv_error_set_os("cannot stat '%s'", path);
		error = KMV_ERROR;
		goto done;
	}
	if (S_ISDIR(st.st_mode)) {
		kmv_error_set(KMV_ERROR_INPUT, "'%s' is a directory", path);
		error = KMV_EINPUT;
		goto done;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
		kmv_error_set(KMV_ERROR_INPUT, "'%s' is larger than %zu bytes",
			      path, max);
		error = KMV_EINPUT;
		goto done;
	}
	/*
	 * One allocation and few reads for a regular file (a 150 MB statement
	 * grown 64 KiB at a time spent most of its read time in realloc); the
	 * extra 64 KiB is the room the read that sees end-of-file asks for.
	 */
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		error = kmv_buf_grow(out, (size_t)st.st_size + 65536);
		if (error < 0)
			goto done;
	}
	for (;;) {
		size_t room;
		ssize_t n;

		error = kmv_buf_grow(out, 65536);
		if (error < 0)
			goto done;
		room = out->asize - out->size - 1;
		n = read(fd, out->ptr + out->size,
			 room < (1u << 24) ? room : (1u << 24));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			kmv_error_set_os("cannot read '%s'", path);
			error = KMV_ERROR;
			goto done;
		}
		if (n == 0)
			break;
		out->size += (size_t)n;
		out->ptr[out->size] = '\0';
		if (out->size - start > max) {
			kmv_error_set(KMV_ERROR_INPUT,
				      "'%s' is larger than %zu bytes", path,
				      max);
			error = KMV_EINPUT;
			goto done;
		}
	}
done:
	close(fd);
	return error;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int kmv_file_write(const char *path, const void *data, size_t len,
		   bool overwrite)
{
	kmv_buf tmp = KMV_BUF_INIT;
	const char *target = path;
	int fd = -1, error = 0;

	if (overwrite) {
		error = kmv_buf_printf(&tmp, "%s.tmp-%ld-%08x", path,
				       (long)getpid(), randombytes_random());
		if (error < 0)
			goto done;
		target = tmp.ptr;
	}
	fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0) {
		kmv_error_set_os("cannot create '%s'", target);
		error = errno == EEXIST ? KMV_EEXISTS : KMV_ERROR;
		goto done;
	}
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		kmv_error_set_os("cannot write '%s'", target);
		error = KMV_ERROR;
		goto done;
	}
	if (close(fd) < 0) {
		fd = -1;
		kmv_error_set_os("cannot write '%s'", target);
		error = KMV_ERROR;
		goto done;
	}
	fd = -1;
	if (overwrite && rename(target, path) < 0) {
		kmv_error_set_os("cannot replace '%s'", path);
		error = KMV_ERROR;
	}
done:
	if (fd >= 0)
		close(fd);
	if (error < 0 && target != path)
		unlink(target);
	else if (error < 0 && fd >= 0)
		unlink(path);
	kmv_buf_dispose(&tmp);
	return error;
}

int kmv_file_temp_name(kmv_buf *out, const char *path)
{
	const char *base = kmv_basename(path);
	int error = kmv_buf_put(out, path, (size_t)(base - path));

	if (error < 0)
		return error;
	return kmv_buf_printf(out, ".%s.tmp-%ld-%08x", base, (long)getpid(),
			      randombytes_random());
}

int kmv_file_publish(const char *tmp, const char *path, bool overwrite)
{
	int error = 0;

	if (overwrite) {
		if (rename(tmp, path) < 0) {
			kmv_error_set_os("cannot replace '%s'", path);
			error = KMV_ERROR;
		}
	} else if (link(tmp, path) < 0) {
		kmv_error_set_os("cannot create '%s'", path);
		error = errno == EEXIST ? KMV_EEXISTS : KMV_ERROR;
	}
	unlink(tmp);
	return error;
}

void kmv_file_sweep_temps(const char *path)
{
	kmv_buf dir = KMV_BUF_INIT, prefix = KMV_BUF_INIT, full = KMV_BUF_INIT;
	const char *base = kmv_basename(path);
	struct dirent *e;
	DIR *d = NULL;

	if (kmv_buf_put(&dir, path, (size_t)(base - path)) < 0 ||
	    kmv_buf_printf(&prefix, ".%s.tmp-", base) < 0)
		goto done;
	if (!(d = opendir(dir.size ? dir.ptr : ".")))
		goto done;
	while ((e = readdir(d)) != NULL) {
		char *end;
		long pid;

		if (strncmp(e->d_name, prefix.ptr, prefix.size) != 0)
			continue;
		pid = strtol(e->d_name + prefix.size, &end, 10);
		if (pid <= 0 || *end != '-' || pid == (long)getpid())
			continue;
		/* A live process (or one we may not signal) is still writing. */
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		kmv_buf_clear(&full);
		if (kmv_buf_printf(&full, "%s%s", dir.ptr, e->d_name) == 0)
			unlink(full.ptr);
	}
done:
	if (d)
		closedir(d);
	kmv_buf_dispose(&dir);
	kmv_buf_dispose(&prefix);
	kmv_buf_dispose(&full);
}

int kmv_mkdir_p(const char *path, unsigned mode)
{
	kmv_buf p = KMV_BUF_INIT;
	int error = kmv_buf_puts(&p, path);

	if (error < 0)
		return error;
	for (char *s = p.ptr + 1;; s++) {
		char c = *s;

		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		if (mkdir(p.ptr, (mode_t)mode) < 0 && errno != EEXIST) {
			kmv_error_set_os("cannot create directory '%s'", p.ptr);
			error = KMV_ERROR;
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	kmv_buf_dispose(&p);
	return error;
}

const char *kmv_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void digest(const EVP_MD *md, uint8_t *out, const void *data, size_t len)
{
	unsigned int n = 0;

	EVP_Digest(data, len, out, &n, md, NULL);
}

void kmv_sha256(uint8_t out[32], const void *data, size_t len)
{
	digest(EVP_sha256(), out, data, len);
}

void kmv_sha512(uint8_t out[64], const void *data, size_t len)
{
	digest(EVP_sha512(), out, data, len);
}

void kmv_hex_encode(char *out, const uint8_t *data, size_t len)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = hex[data[i] >> 4];
		out[2 * i + 1] = hex[data[i] & 15];
	}
	out[2 * len] = '\0';
}

const char *kmv_sha256_hex(char out[KMV_SHA256_HEX_BUFSZ], const void *data,
			   size_t len)
{
	uint8_t md[32];

	kmv_sha256(md, data, len);
	kmv_hex_encode(out, md, sizeof(md));
	return out;
}

int kmv_compress(kmv_buf *out, const void *data, size_t len)
{
	z_stream zs;
	uLong bound;
	int window = 9, mem_level, error, rc;

	/*
	 * The window and hash table sized to the input: compress2()'s fixed
	 * 256 KiB of state per call was most of the cost of storing each of
	 * 100k small mbox messages (allocation and page faults), and a
	 * window larger than the input finds nothing more.  The stream is
	 * ordinary zlib format; inflate reads any window size.
	 */
	while (window < 15 && ((size_t)1 << window) < len + 262)
		window++;
	mem_level = window - 7 < 1 ? 1 : window - 7; /* 8, the default, at 15 */
	if (len > UINT_MAX) {
		kmv_error_set(KMV_ERROR_INPUT, "data too large to compress");
		return KMV_EINPUT;
	}
	memset(&zs, 0, sizeof(zs));
	/* Level 1: statements compress ~5x already; level 6 cost 3x the time. */
	if (deflateInit2(&zs, 1, Z_DEFLATED, window, mem_level,
			 Z_DEFAULT_STRATEGY) != Z_OK) {
		kmv_error_set(KMV_ERROR_INTERNAL, "compression failed");
		return KMV_ERROR;
	}
	bound = deflateBound(&zs, (uLong)len);
	error = kmv_buf_grow(out, bound);
	if (error < 0) {
		deflateEnd(&zs);
		return error;
	}
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)out->ptr + out->size;
	zs.avail_out = (uInt)bound;
	rc = deflate(&zs, Z_FINISH);
	if (rc != Z_STREAM_END) {
		deflateEnd(&zs);
		kmv_error_set(KMV_ERROR_INTERNAL, "compression failed");
		return KMV_ERROR;
	}
	out->size += zs.total_out;
	out->ptr[out->size] = '\0';
	deflateEnd(&zs);
	return 0;
}

int kmv_decompress(kmv_buf *out, const void *data, size_t len, size_t max)
{
	z_stream zs;
	int zerr, error = 0;

	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK)
		return kmv_error_nomem();
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)len;
	do {
		error = kmv_buf_grow(out, 65536);
		if (error < 0)
			break;
		zs.next_out = (Bytef *)out->ptr + out->size;
		zs.avail_out = 65536;
		zerr = inflate(&zs, Z_NO_FLUSH);
		out->size += 65536 - zs.avail_out;
		out->ptr[out->size] = '\0';
		if (zerr != Z_OK && zerr != Z_STREAM_END) {
			kmv_error_set(KMV_ERROR_VAULT,
				      "stored file is damaged");
			error = KMV_ECORRUPT;
			break;
		}
		if (zs.total_out > max) {
			kmv_error_set(KMV_ERROR_VAULT, "stored file too large");
			error = KMV_ECORRUPT;
			break;
		}
	} while (zerr != Z_STREAM_END);
	inflateEnd(&zs);
	return error;
}

/* Offset of the first byte that is not valid UTF-8, or `len`. */
size_t kmv_utf8_invalid_at(const uint8_t *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n + 1;
	}
	return len;
}

bool kmv_utf8_valid(const char *str, size_t len)
{
	return kmv_utf8_invalid_at((const uint8_t *)str, len) == len;
}

/*
 * One character's length in bytes and display width, from utf8proc
 * (Unicode's East Asian Width: 2 for CJK, fullwidth forms and wide emoji,
 * 0 for combining and zero-width marks and controls).  An invalid byte is
 * one column, as a terminal shows U+FFFD.
 */
static size_t next_char(const unsigned char *s, int *width)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t n = utf8proc_iterate(s, -1, &cp);

	if (n <= 0) {
		*width = 1;
		return 1;
	}
	*width = utf8proc_charwidth(cp);
	return (size_t)n;
}

size_t kmv_utf8_width(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t w = 0;

	while (*s) {
		int cw;

		s += next_char(s, &cw);
		w += (size_t)cw;
	}
	return w;
}

size_t kmv_utf8_prefix_for_width(const char *str, size_t cols,
				 size_t *width_out)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t w = 0, bytes = 0;

	while (s[bytes]) {
		int cw;
		size_t n = next_char(s + bytes, &cw);

		if (w + (size_t)cw > cols)
			break;
		w += (size_t)cw;
		bytes += n;
	}
	if (width_out)
		*width_out = w;
	return bytes;
}

char *kmv_trim(char *s)
{
	size_t n;
	char *start = s;

	while (*start == ' ' || *start == '\t' || *start == '\r' ||
	       *start == '\n')
		start++;
	n = strlen(start);
	while (n > 0 && (start[n - 1] == ' ' || start[n - 1] == '\t' ||
			 start[n - 1] == '\r' || start[n - 1] == '\n'))
		n--;
	memmove(s, start, n);
	s[n] = '\0';
	return s;
}
