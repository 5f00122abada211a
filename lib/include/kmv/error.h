/* SPDX-License-Identifier: MIT */
#ifndef KMV_ERROR_H
#define KMV_ERROR_H

/**
 * @file kmv/error.h
 * Error codes and the last-error text of the kmv library.
 *
 * Every library function returns an int: 0 on success, a negative code on
 * failure.  KMV_ERROR is the generic failure; the others are the few
 * failures a caller is expected to handle (each function documents which
 * of them it returns).  The human-readable detail of the most recent
 * failure is kept per thread and read with kmv_error_last().
 */

enum {
	KMV_OK = 0,
	KMV_ERROR = -1,     /**< anything unexpected: I/O, memory, internal */
	KMV_ENOTFOUND = -2, /**< no such record, order, file or backup */
	KMV_EEXISTS = -3,   /**< the thing to create already exists */
	KMV_EAUTH = -4, /**< wrong passphrase, recovery key or ZIP password */
	KMV_ECORRUPT = -5,  /**< vault or bundle damaged or tampered with */
	KMV_ELOCKED = -6,   /**< another writer holds the vault lock */
	KMV_EINPUT = -7,    /**< input file rejected: unknown or malformed */
	KMV_EUSAGE = -8,    /**< caller asked for something meaningless */
	KMV_EAMBIGUOUS = -9 /**< a short id or order number matched several */
};

/** Which part of the system a failure came from. */
typedef enum {
	KMV_ERROR_NONE = 0,
	KMV_ERROR_NOMEM,
	KMV_ERROR_OS,
	KMV_ERROR_DB,
	KMV_ERROR_CRYPTO,
	KMV_ERROR_VAULT,
	KMV_ERROR_INPUT,
	KMV_ERROR_INTERNAL
} kmv_error_class;

/**
 * Record the detail of a failure (printf-style).  The library calls this
 * right before returning a negative code; callers propagate the code.
 */
void kmv_error_set(kmv_error_class klass, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** Like kmv_error_set() but appends ": strerror(errno)". */
void kmv_error_set_os(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/** Record an out-of-memory failure; returns KMV_ERROR for `return`. */
int kmv_error_nomem(void);

/** The detail text of the last failure, or "" when none. Borrowed. */
const char *kmv_error_last(void);

/** The class of the last failure. */
kmv_error_class kmv_error_last_class(void);

/**
 * The last failure, copied out of its thread (kmv_error is per thread):
 * a worker saves it, the thread that joins it restores it.
 */
typedef struct kmv_error_saved {
	kmv_error_class klass;
	char message[1024];
} kmv_error_saved;

void kmv_error_save(kmv_error_saved *out);
void kmv_error_restore(const kmv_error_saved *saved);

/** Forget the last failure (when the library handled it itself). */
void kmv_error_clear(void);

/** A fixed description of an error code. */
const char *kmv_strerror(int code);

#endif
