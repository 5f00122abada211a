/* SPDX-License-Identifier: MIT */
#include "kmvutil/array.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kmv/error.h"

int kmv_array__grow(void *slot, void *arr, size_t *alloc, size_t need,
		    size_t elem)
{
	size_t n = *alloc ? *alloc : 16;
	void *p;

	while (n < need) {
		if (n > SIZE_MAX / 2)
			return kmv_error_nomem();
		n *= 2;
	}
	if (elem && n > SIZE_MAX / elem)
		return kmv_error_nomem();
	if (!(p = realloc(arr, n * elem)))
		return kmv_error_nomem();
	/* Through memcpy: the caller's pointer has its own type (T *), which
	 * a store through void ** would not be allowed to alias. */
	memcpy(slot, &p, sizeof p);
	*alloc = n;
	return 0;
}
