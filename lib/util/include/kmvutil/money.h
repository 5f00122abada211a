/* SPDX-License-Identifier: MIT */
#ifndef KMVUTIL_MONEY_H
#define KMVUTIL_MONEY_H

#include <stdint.h>
#include <stddef.h>

/**
 * @file kmvutil/money.h
 * Money is integer fen (1/100 yuan) everywhere in kmvault; these convert
 * between statement text and fen.  Never use floating point for amounts
 * except to round an XLSX numeric cell (kmv_money_from_double).
 */

/** Large enough for any formatted int64 amount plus sign and NUL. */
#define KMV_MONEY_BUFSZ 32

/**
 * Parse an amount as written in statements: optional sign, `¥` (U+00A5),
 * `￥` (U+FFE5), `元`, thousands separators and surrounding spaces are
 * accepted; at most two decimals (a third non-zero decimal is rejected).
 * A comma must separate thousands exactly (`1,000.50`); a decimal comma
 * (`9,90`) or a misplaced one (`1,0000`) is rejected, never ignored.
 * Returns 0, or KMV_EINPUT for anything else (no detail text set).
 */
int kmv_money_parse(int64_t *fen_out, const char *text);

/** Round a numeric spreadsheet cell (yuan) to fen, half away from zero. */
int kmv_money_from_double(int64_t *fen_out, double yuan);

/** Format fen as a yuan string with two decimals ("12.50", "-0.05"). */
const char *kmv_money_format(char out[KMV_MONEY_BUFSZ], int64_t fen);

#endif
