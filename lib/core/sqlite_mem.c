/* SPDX-License-Identifier: MIT */
/*
 * SQLite's allocator in kmvault.  SQLite keeps the whole plaintext
 * database in its heap, and sqlite3_free does not wipe (anchors.md 2.5):
 * every block is wiped before it is freed, so freed pages of records do
 * not linger in memory.
 *
 * Blocks of KMV_MAP_THRESHOLD and more (above all the database image,
 * which memdb grows by doubling) get an anonymous mapping of their own.
 * Growing one is an mremap, which moves the pages instead of copying
 * them: no stale copy is left behind to wipe, and a bulk import does not
 * pay a copy plus a wipe of the whole image at every doubling.
 *
 * Each block starts with a 16-byte header (keeps the 8-byte alignment
 * SQLite needs) holding its usable size and whether it is mapped.
 */
#include "common.h"

#include <sodium.h>
#include <sqlite3.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/sqlite_mem.h"

#include "core/sanitizer.h"

/* Sanitizer builds keep every block on the heap, where ASan watches it. */
#ifdef KMV_UNDER_ASAN
#define KMV_MAP_THRESHOLD SIZE_MAX
#else
#define KMV_MAP_THRESHOLD ((size_t)1 << 20)
#endif

struct block {
	size_t size;   /* usable bytes after the header */
	size_t mapped; /* 1: its own mapping of size + header bytes */
};

static struct block *block_of(void *p)
{
	return (struct block *)p - 1;
}

static size_t round8(int n)
{
	return ((size_t)n + 7) & ~(size_t)7;
}

static void *mem_malloc(int n)
{
	size_t size = round8(n);
	struct block *b;

	if (size >= KMV_MAP_THRESHOLD) {
		b = mmap(NULL, size + sizeof(*b), PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (b == MAP_FAILED)
			return NULL;
		b->mapped = 1;
	} else {
		b = malloc(size + sizeof(*b));
		if (!b)
			return NULL;
		b->mapped = 0;
	}
	b->size = size;
	return b + 1;
}

/*
 * Wipe the pages of a mapping that were ever written.  memdb grows its
 * image to twice what it needs, and wiping the untouched half would fault
 * it in as fresh zero pages: at a million records, half a gigabyte of
 * memory and time spent writing zeros over zeros.  mincore() tells which
 * pages are resident; the others hold nothing (kmvault runs without swap
 * of its own; a swapped-out page could not be wiped from here anyway).
 */
static void wipe_mapping(struct block *b)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t len = b->size + sizeof(*b), npages = (len + page - 1) / page;
	unsigned char *resident = malloc(npages);

	if (!resident || mincore(b, len, resident) != 0) {
		sodium_memzero(b, len);
		free(resident);
		return;
	}
	for (size_t i = 0; i < npages;) {
		size_t run = i;

		if (!(resident[i] & 1)) {
			i++;
			continue;
		}
		while (run < npages && (resident[run] & 1))
			run++;
		sodium_memzero((char *)b + i * page,
			       (run * page < len ? run * page : len) -
				       i * page);
		i = run;
	}
	free(resident);
}

static void mem_free(void *p)
{
	struct block *b;
	size_t len;

	if (!p)
		return;
	b = block_of(p);
	if (!b->mapped) {
		sodium_memzero(p, b->size);
		free(b);
		return;
	}
	len = b->size + sizeof(*b);
	wipe_mapping(b);
	munmap(b, len);
}

static void *mem_realloc(void *p, int n)
{
	size_t size = round8(n);
	struct block *b;
	void *q;

	if (!p)
		return mem_malloc(n);
	b = block_of(p);
	if (size <= b->size)
		return p;
	if (b->mapped) {
		b = mremap(b, b->size + sizeof(*b), size + sizeof(*b),
			   MREMAP_MAYMOVE);
		if (b == MAP_FAILED)
			return NULL;
		b->size = size;
		return b + 1;
	}
	q = mem_malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, b->size);
	mem_free(p);
	return q;
}

static int mem_size(void *p)
{
	return p ? (int)block_of(p)->size : 0;
}

static int mem_roundup(int n)
{
	return (int)round8(n);
}

static int mem_init(void *app)
{
	(void)app;
	return SQLITE_OK;
}

static void mem_shutdown(void *app)
{
	(void)app;
}

int kmv_sqlite_mem__install(void)
{
	static const sqlite3_mem_methods methods = {
		mem_malloc,  mem_free, mem_realloc,  mem_size,
		mem_roundup, mem_init, mem_shutdown, NULL,
	};

	return sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) == SQLITE_OK
		       ? 0
		       : KMV_ERROR;
}
