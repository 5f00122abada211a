/* SPDX-License-Identifier: MIT */
#ifndef KMV_MEMBER_H
#define KMV_MEMBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmv/vault.h"

/**
 * @file kmv/member.h
 * Memberships on shop platforms (VIP levels, monthly cards): when they
 * started and expire, what they cost, whether they renew by themselves,
 * and an inactivity clause ("downgraded after N days without login") with
 * the last login date.  Renewals are kept as history in
 * membership_renewals; the orders that paid for a membership are rows of
 * that history too (the first purchase has no old expiry).
 *
 * Dates are calendar dates "YYYY-MM-DD" in China Standard Time.  Every
 * mutating call appends an audit event in the same transaction; the
 * caller saves the vault.
 */

/** A membership as listed.  Strings are borrowed for the callback. */
typedef struct kmv_member {
	int64_t id;
	const char *platform;
	const char *level;      /**< may be NULL */
	const char *start_date; /**< may be NULL */
	const char *expiry_date;
	int64_t price; /**< fen; -1 when unknown */
	bool auto_renew;
	int64_t inactivity_days; /**< 0: no inactivity clause */
	const char *last_login;  /**< may be NULL */
	const char *status;      /**< active, ended */
	int64_t renewals; /**< renewals recorded (first purchase excluded) */
	const char *
		orders; /**< order numbers that paid for it, ", " joined; may be NULL */
} kmv_member;

/** What `member add` records. */
typedef struct kmv_member_spec {
	unsigned int version;
	const char *platform; /**< required */
	const char *level;
	const char *start_date;  /**< "YYYY-MM-DD" or NULL */
	const char *expiry_date; /**< required */
	int64_t price;           /**< fen; -1 unknown */
	bool auto_renew;
	int64_t inactivity_days;   /**< 0: none */
	const char *last_login;    /**< required with inactivity_days */
	const char *const *orders; /**< order numbers that paid for it */
	size_t norders;
} kmv_member_spec;

#define KMV_MEMBER_SPEC_VERSION 1
#define KMV_MEMBER_SPEC_INIT                                                   \
	{                                                                      \
		KMV_MEMBER_SPEC_VERSION, NULL, NULL, NULL, NULL, -1, false, 0, \
			NULL, NULL, 0                                          \
	}

/**
 * Add a membership.  KMV_EUSAGE for a bad date, an expiry before the
 * start or an inactivity clause without a last login; KMV_ENOTFOUND when
 * an order number is not in the vault.
 */
int kmv_member_add(int64_t *id_out, kmv_vault *vault,
		   const kmv_member_spec *spec);

/**
 * Record a renewal: new expiry (must not be earlier than the current
 * one), optional price (fen, -1 unknown) and paying order (NULL: none).
 * The membership becomes active again.  KMV_ENOTFOUND for an unknown id
 * or order number, KMV_EUSAGE for a bad date.
 */
int kmv_member_renew(kmv_vault *vault, int64_t id, const char *expiry_date,
		     int64_t price, const char *order_no);

/** Mark a membership ended (no more reminders).  KMV_ENOTFOUND. */
int kmv_member_end(kmv_vault *vault, int64_t id);

/** Set the last login date (NULL: today).  KMV_ENOTFOUND, KMV_EUSAGE. */
int kmv_member_login(kmv_vault *vault, int64_t id, const char *date);

typedef int (*kmv_member_cb)(const kmv_member *m, void *payload);

/** Every membership, by expiry date.  A non-zero callback return stops. */
int kmv_member_foreach(kmv_vault *vault, kmv_member_cb cb, void *payload);

#endif
