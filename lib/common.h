/* SPDX-License-Identifier: MIT */
#ifndef KMV_COMMON_H
#define KMV_COMMON_H

/*
 * Included first by every lib/ source file: standard headers, the public
 * error and buffer API, and the argument-check macro.  banned.h comes last.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmv/error.h"
#include "kmvutil/buf.h"

#ifdef NDEBUG
#define KMV_ASSERT_ARG(expr)                                          \
	do {                                                          \
		if (!(expr)) {                                        \
			kmv_error_set(KMV_ERROR_INTERNAL,             \
				      "invalid argument: %s", #expr); \
			return KMV_ERROR;                             \
		}                                                     \
	} while (0)
#else
#include <assert.h>
#define KMV_ASSERT_ARG(expr) assert(expr)
#endif

#include "kmvutil/array.h"

#define KMV_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Propagate a negative code: `KMV_CHECK(f(x));` inside a goto-done body. */
#define KMV_TRY(expr)              \
	do {                       \
		error = (expr);    \
		if (error < 0)     \
			goto done; \
	} while (0)

#include "banned.h"

#endif
