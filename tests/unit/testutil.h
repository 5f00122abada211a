/* SPDX-License-Identifier: MIT */
#ifndef KMV_TESTUTIL_H
#define KMV_TESTUTIL_H

/* cmocka needs these before its header (Debian 12 ships cmocka 1.1.5). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>

/* A fresh empty directory under $TMPDIR; free() the result. */
char *kmv_test_tmpdir(void);

/* rm -rf of a test directory (only paths made by kmv_test_tmpdir). */
void kmv_test_rmdir(const char *path);

/* Read a whole file (for comparing vault bytes); free() the result. */
unsigned char *kmv_test_slurp(const char *path, size_t *len);

#endif
