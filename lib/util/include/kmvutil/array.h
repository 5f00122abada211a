/* SPDX-License-Identifier: MIT */
#ifndef KMVUTIL_ARRAY_H
#define KMVUTIL_ARRAY_H

#include <stddef.h>

/**
 * @file kmvutil/array.h
 * The one growth rule for arrays that grow by appending: capacity doubles
 * (from 16) until it holds `need` elements, with the size checked for
 * overflow.  `arr` and `alloc` are lvalues (the array pointer and its
 * capacity in elements); on failure both are left as they were.
 *
 *     if ((error = KMV_ARRAY_GROW(rows, alloc, n + 1)) < 0)
 *             goto done;
 *     rows[n++] = row;
 */

/** Internal: use KMV_ARRAY_GROW.  `slot` is the address of the array
 * pointer, `arr` its value; returns 0 or KMV_ERROR (out of memory, kmv_error_nomem). */
int kmv_array__grow(void *slot, void *arr, size_t *alloc, size_t need,
		    size_t elem);

#define KMV_ARRAY_GROW(arr, alloc, need)                                      \
	((size_t)(need) <= (alloc) ? 0                                        \
				   : kmv_array__grow(&(arr), (arr), &(alloc), \
						     (need), sizeof(*(arr))))

#endif
