/* SPDX-License-Identifier: MIT */
#ifndef KMV_IMPORT_PROFILE_H
#define KMV_IMPORT_PROFILE_H

/*
 * Order-export profiles (docs/profiles-and-rules.md, spec profiles.md):
 * which column holds which order field, how times and statuses read.
 *
 * A profile names columns by their header text.  `guess` profiles (the
 * built-in `generic`, and any field a file profile leaves unset) find
 * columns by Chinese/English synonyms instead.  kmv_profile__map_header()
 * resolves a header row into column indexes (a kmv_profile_map); rows are
 * then read through that map.  Everything is owned by the profile and
 * freed by kmv_profile__free().
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kmvutil/buf.h"
#include "kmvutil/datetime.h"

typedef enum {
	KMV_PF_ORDER_NO = 0,
	KMV_PF_TIME,
	KMV_PF_AMOUNT,
	KMV_PF_PRODUCT,
	KMV_PF_QUANTITY,
	KMV_PF_UNIT_PRICE,
	KMV_PF_STATUS,
	KMV_PF_PAYMENT_METHOD,
	KMV_PF_PAYMENT_NO,
	KMV_PF_MERCHANT,
	KMV_PF_CARD_SECRET,
	KMV_PF_EMAIL,
	KMV_PF_MEMO,
	KMV_PF_PAID_TIME,
	KMV_PF_DELIVERED_TIME,
	KMV_PF_UPDATED_TIME,    /* extension: time of the current state */
	KMV_PF_DELIVERY_STATUS, /* extension: a second status axis (acg-faka) */
	KMV_PF_PLATFORM,        /* `platform_column`: the shop's name */
	KMV_PF_COUNT
} kmv_profile_field;

typedef struct kmv_status_map {
	char *raw;
	char *state;
} kmv_status_map;

typedef struct kmv_profile {
	char *name;                  /* "generic", "dujiaoka" or the file */
	char delimiter;              /* 0 = not set (',' or sniffed) */
	char *encoding;              /* auto, utf-8, gb18030 */
	int header_row;              /* 1-based; 0 = auto */
	char *columns[KMV_PF_COUNT]; /* header text, NULL = guess/unused */
	bool guess;                  /* guess unset fields from headers */
	char *time_format;           /* strptime format, NULL = auto */
	int offset_min;              /* timezone, minutes east of UTC */
	char *platform;              /* fixed shop name, or NULL */
	kmv_status_map *status;      /* profile's own status words first */
	size_t nstatus;
	/*
	 * Extension (dujiaoka): the card_secret column holds card secrets
	 * only on rows where column `secret_if_col` equals `secret_if_val`;
	 * elsewhere its text is kept as the memo.
	 */
	char *secret_if_col;
	char *secret_if_val;
	bool strip_title_qty; /* "name x 2" -> "name" when qty = 2 */
	/*
	 * Extension (acg-faka): the delivery_status column's value that
	 * means delivered (NULL: a word the built-in list reads as
	 * delivered, 已发货).  A paid or open order so marked is delivered.
	 */
	char *delivered_value;
	/*
	 * Extension (card-system): `amount_unit = fen` when the amount and
	 * unit price columns count fen (integers), not yuan.
	 */
	bool amounts_in_fen;
} kmv_profile;

/* Column indexes of one header row; -1 = absent. */
typedef struct kmv_profile_map {
	int col[KMV_PF_COUNT];
	int secret_if; /* index of secret_if_col or -1 */
	/*
	 * Guessed headers with no amount column but a unit price and a
	 * quantity (price × num): each row's amount is their product.
	 */
	bool amount_from_unit_price;
} kmv_profile_map;

/* The name of a field as written in profiles ("order_no", ...). */
const char *kmv_profile__field_name(kmv_profile_field f);

/*
 * Load a profile: a built-in name ("generic", "dujiaoka") or a file path;
 * NULL means "generic".  KMV_EINPUT for a bad file (names file and line),
 * KMV_EUSAGE for an unknown name that is not a readable file.
 */
int kmv_profile__load(kmv_profile **out, const char *name_or_path);

/*
 * The built-in profile whose table this header row is (dujiaoka's
 * `orders`, acg-faka's `order`, zfaka's `t_order`), or NULL: the column
 * names that only that system uses, all present.
 */
const char *kmv_profile__detect(const char *const *cells, size_t ncells);

/* Parse profile text (`display` names it in messages). */
int kmv_profile__parse(kmv_profile **out, const char *text,
		       const char *display);

void kmv_profile__free(kmv_profile *p);

/*
 * Map a header row.  Returns true when every required field (order_no,
 * time, amount) has a column.  `missing` (may be NULL) receives the names
 * of the missing required fields, comma-separated.
 */
bool kmv_profile__map_header(kmv_profile_map *map, const kmv_profile *p,
			     const char *const *cells, size_t ncells,
			     kmv_buf *missing);

/* How many fields a header row maps (to pick the best candidate row). */
int kmv_profile__map_score(const kmv_profile_map *map);

/* "order_no=订单号, time=下单时间, ..." of a map (appends). */
int kmv_profile__describe(kmv_buf *out, const kmv_profile_map *map,
			  const char *const *cells);

/*
 * Normalize a raw status: the profile's status.<raw> lines, then the
 * built-in Chinese/English words; "unknown" when nothing matches.  The
 * returned string is static or owned by the profile.
 */
const char *kmv_profile__status(const kmv_profile *p, const char *raw);

/* True for one of the ten normalized state names. */
bool kmv_profile__state_valid(const char *state);

/*
 * Parse a time cell with the profile's format and timezone: strptime
 * format, or auto (kmv_time_parse forms, Excel serials, epoch seconds or
 * milliseconds).  `number` is the XLSX numeric value when `is_number`.
 */
int kmv_profile__time(kmv_time *out, const kmv_profile *p, const char *text,
		      bool is_number, double number);

#endif
