/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "store/map.h"
#include "kmvutil/file.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int kmv_map__file(struct kmv_map *m, const char *path, size_t max)
{
	struct stat st;
	void *p;
	int fd, error = 0;

	if ((fd = kmv_file_open_stat(path, &st)) < 0)
		return fd;
	if (!S_ISREG(st.st_mode) || st.st_size == 0) {
		/* Nothing to map: the plain read gives the same bytes. */
		close(fd);
		fd = -1;
		error = kmv_file_read(&m->read, path, max);
		m->ptr = (const uint8_t *)m->read.ptr;
		m->size = m->read.size;
		goto done;
	}
	if ((uint64_t)st.st_size > max) {
		kmv_error_set(KMV_ERROR_INPUT, "'%s' is larger than %zu bytes",
			      path, max);
		error = KMV_EINPUT;
		goto done;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ,
		 MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (p == MAP_FAILED) {
		kmv_error_set_os("cannot map '%s'", path);
		error = KMV_ERROR;
		goto done;
	}
	/* Read once, front to back: let the kernel drop pages behind us. */
	(void)madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
	m->mapping = p;
	m->mapped = (size_t)st.st_size;
	m->ptr = p;
	m->size = (size_t)st.st_size;
done:
	if (fd >= 0)
		close(fd);
	return error;
}

void kmv_map__release(struct kmv_map *m)
{
	if (m->mapping)
		munmap(m->mapping, m->mapped);
	kmv_buf_dispose(&m->read); /* ciphertext only: no need to wipe */
	m->mapping = NULL;
	m->ptr = NULL;
	m->size = 0;
}
