/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "kmvutil/file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

int kmv_file_open_stat(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		kmv_error_set_os("cannot open '%s'", path);
		return errno == ENOENT ? KMV_ENOTFOUND : KMV_ERROR;
	}
	if (fstat(fd, st) < 0) {
		kmv_error_set_os("cannot stat '%s'", path);
		close(fd);
		return KMV_ERROR;
	}
	return fd;
}

int kmv_file_read(kmv_buf *out, const char *path, size_t max)
{
	struct stat st;
	int fd, error = 0;
	size_t start = out->size;

	if ((fd = kmv_file_open_stat(path, &st)) < 0)
		return fd;
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
