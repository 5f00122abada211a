/* SPDX-License-Identifier: MIT */
/* Unit tests for lib/core: buf, money, datetime, json, util, masking. */
#include "testutil.h"

#include <stdlib.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kmvutil/array.h"
#include "kmvutil/buf.h"
#include "kmvutil/datetime.h"
#include "kmv/error.h"
#include "kmvutil/json.h"
#include "kmvutil/money.h"
#include "kmv/record.h"
#include "kmvutil/hash.h"
#include "kmvutil/compress.h"
#include "kmvutil/text.h"
#include "kmv/init.h"

static void test_buf__grows_and_stays_terminated(void **state)
{
	kmv_buf b = KMV_BUF_INIT;

	(void)state;
	assert_string_equal(b.ptr, "");
	for (int i = 0; i < 1000; i++)
		assert_int_equal(kmv_buf_printf(&b, "%d,", i), 0);
	assert_int_equal(b.ptr[b.size], '\0');
	assert_true(strncmp(b.ptr, "0,1,2,", 6) == 0);
	kmv_buf_truncate(&b, 2);
	assert_string_equal(b.ptr, "0,");
	kmv_buf_dispose(&b);
	assert_string_equal(b.ptr, "");
}

static void test_buf__limit_is_enforced(void **state)
{
	kmv_buf b;

	(void)state;
	kmv_buf_init(&b, 8);
	assert_int_equal(kmv_buf_puts(&b, "12345678"), 0);
	assert_int_equal(kmv_buf_putc(&b, 'x'), KMV_EINPUT);
	assert_string_equal(b.ptr, "12345678");
	kmv_buf_dispose(&b);
}

static void test_money__parses_statement_forms(void **state)
{
	static const struct {
		const char *in;
		int64_t fen;
	} ok[] = {
		{ "49.74", 4974 },
		{ "12", 1200 },
		{ "100.1", 10010 },
		{ "\xC2\xA5"
		  "28.16",
		  2816 },
		{ "\xEF\xBF\xA5"
		  "1,234.56",
		  123456 },
		{ "9.90 \xC2\xA5", 990 },
		{ " 33.50 ", 3350 },
		{ "-0.05", -5 },
		{ "12.50\xE5\x85\x83", 1250 },
		{ "1,020.00", 102000 },
		{ "0.100", 10 },
		{ "1,000.50", 100050 },
		{ "12,345,678", 1234567800 },
		{ "1,000 \xE5\x85\x83", 100000 },
	};
	static const char *const bad[] = {
		"", "abc", "1.234", "12..3", "1 2", "\xC2\xA5", "--1", "1e5",
		/* a decimal comma is never read as thousands */
		"9,90", "9,9", "1,0000", "1234,567", "1,000,00", "1,00.5"
	};
	int64_t fen;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(kmv_money_parse(&fen, ok[i].in), 0);
		assert_int_equal(fen, ok[i].fen);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(kmv_money_parse(&fen, bad[i]), KMV_EINPUT);
}

static void test_money__formats_and_rounds(void **state)
{
	char out[KMV_MONEY_BUFSZ];
	int64_t fen;

	(void)state;
	assert_string_equal(kmv_money_format(out, 1250), "12.50");
	assert_string_equal(kmv_money_format(out, -5), "-0.05");
	assert_string_equal(kmv_money_format(out, 0), "0.00");
	assert_int_equal(kmv_money_from_double(&fen, 100.1), 0);
	assert_int_equal(fen, 10010);
	assert_int_equal(kmv_money_from_double(&fen, 28.155), 0);
	assert_true(fen == 2816 || fen == 2815); /* binary rounding of .155 */
}

static void test_datetime__parses_and_formats_cst(void **state)
{
	kmv_time t;
	char out[KMV_TIME_BUFSZ];
	bool no_seconds;

	(void)state;
	assert_int_equal(kmv_time_parse(&t, "2024-03-12 12:05:33", KMV_TZ_CST,
					&no_seconds),
			 0);
	assert_false(no_seconds);
	assert_int_equal(t.epoch, 1710216333);
	assert_string_equal(kmv_time_format(out, &t),
			    "2024-03-12T12:05:33+08:00");
	assert_int_equal(kmv_time_parse(&t, "2024/3/5 9:07", KMV_TZ_CST,
					&no_seconds),
			 0);
	assert_true(no_seconds);
	assert_string_equal(kmv_time_format(out, &t),
			    "2024-03-05T09:07:00+08:00");
	assert_int_equal(kmv_time_parse(&t, "2024-03-12T04:05:33Z", KMV_TZ_CST,
					NULL),
			 0);
	assert_int_equal(t.epoch, 1710216333);
	assert_int_equal(t.offset_min, 0);
	assert_int_equal(kmv_time_parse(&t, "2024-02-30 00:00:00", KMV_TZ_CST,
					NULL),
			 KMV_EINPUT);
	assert_int_equal(kmv_time_parse(&t, "yesterday", KMV_TZ_CST, NULL),
			 KMV_EINPUT);
	/* the Chinese form of WeChat's and Alipay's bill pages */
	assert_int_equal(kmv_time_parse(&t, "2024年3月27日 14:05:09",
					KMV_TZ_CST, &no_seconds),
			 0);
	assert_false(no_seconds);
	assert_string_equal(kmv_time_format(out, &t),
			    "2024-03-27T14:05:09+08:00");
	assert_int_equal(kmv_time_parse(&t, "2024年03月07日09:05", KMV_TZ_CST,
					NULL),
			 0);
	assert_string_equal(kmv_time_format(out, &t),
			    "2024-03-07T09:05:00+08:00");
	assert_int_equal(kmv_time_parse(&t, "2024年3月27日", KMV_TZ_CST, NULL),
			 0);
	assert_string_equal(kmv_time_format(out, &t),
			    "2024-03-27T00:00:00+08:00");
	assert_int_equal(kmv_time_parse(&t, "2024年2月30日 10:00:00",
					KMV_TZ_CST, NULL),
			 KMV_EINPUT);
	assert_int_equal(kmv_time_parse(&t, "2024年3月27 10:00", KMV_TZ_CST,
					NULL),
			 KMV_EINPUT);
	assert_int_equal(kmv_time_from_excel(&t, 45363.5, KMV_TZ_CST), 0);
	assert_string_equal(kmv_time_format(out, &t),
			    "2024-03-12T12:00:00+08:00");
}

/* The hand-written formatter agrees with gmtime + strftime everywhere. */
static void test_datetime__format_matches_libc(void **state)
{
	char out[KMV_TIME_BUFSZ], want[KMV_TIME_BUFSZ], ymd[32];
	uint64_t x = 88172645463325252ull;

	(void)state;
	for (int i = 0; i < 20000; i++) {
		kmv_time t;
		struct tm tm;
		time_t local;
		int off;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
		/* 1900-01-01 .. 9999-12-31, offsets -12:00 .. +14:00 */
		t.epoch = -2208988800ll + (int64_t)(x % 255611376000ull);
		t.offset_min = (int)((x >> 40) % (26 * 60 + 1)) - 12 * 60;
		if (i == 0)
			t.epoch = 0, t.offset_min = 0;
		local = (time_t)(t.epoch + t.offset_min * 60);
		assert_non_null(gmtime_r(&local, &tm));
		if (tm.tm_year + 1900 > 9999)
			continue;
		strftime(ymd, sizeof(ymd), "%Y-%m-%dT%H:%M:%S", &tm);
		off = t.offset_min < 0 ? -t.offset_min : t.offset_min;
		snprintf(want, sizeof(want), "%s%c%02d:%02d", ymd,
			 t.offset_min < 0 ? '-' : '+', off / 60, off % 60);
		assert_string_equal(kmv_time_format(out, &t), want);
	}
}

static void test_datetime__civil_round_trip(void **state)
{
	(void)state;
	for (int64_t d = -800000; d < 800000; d += 997) {
		int64_t y;
		unsigned m, day;

		kmv_civil_from_days(d, &y, &m, &day);
		assert_int_equal(kmv_days_from_civil(y, m, day), d);
	}
}

/* Calendar days in CST, whatever the hours (issue 20.9: 979 vs 980). */
static void test_datetime__days_between_counts_cst_days(void **state)
{
	kmv_time paid, now, utc;

	(void)state;
	assert_int_equal(kmv_time_parse(&paid, "2024-04-25 20:00:00",
					KMV_TZ_CST, NULL),
			 0);
	assert_int_equal(kmv_time_parse(&now, "2024-04-27 19:00:00", KMV_TZ_CST,
					NULL),
			 0);
	assert_int_equal(kmv_days_between(paid.epoch, now.epoch), 2);
	assert_int_equal(kmv_days_between(now.epoch, paid.epoch), -2);
	/* 23:59 and 00:01 next day: one day apart */
	assert_int_equal(kmv_time_parse(&paid, "2024-04-25 23:59:00",
					KMV_TZ_CST, NULL),
			 0);
	assert_int_equal(kmv_time_parse(&now, "2024-04-26 00:01:00", KMV_TZ_CST,
					NULL),
			 0);
	assert_int_equal(kmv_days_between(paid.epoch, now.epoch), 1);
	/* a UTC time is the same instant: 2024-04-25T17:00Z is 04-26 01:00 CST */
	assert_int_equal(kmv_time_parse(&utc, "2024-04-25T17:00:00Z",
					KMV_TZ_CST, NULL),
			 0);
	assert_int_equal(kmv_days_between(paid.epoch, utc.epoch), 1);
	assert_int_equal(kmv_days_between(-1, 0), 0);
}

static void test_json__escapes_and_nests(void **state)
{
	kmv_buf b = KMV_BUF_INIT;
	kmv_json j;

	(void)state;
	kmv_json_init(&j, &b, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_string(&j, "s", "a\"b\\c\n\x01");
	kmv_json_kv_money(&j, "amount", 1250);
	kmv_json_key(&j, "list");
	kmv_json_array_begin(&j);
	kmv_json_int(&j, 1);
	kmv_json_null(&j);
	kmv_json_string(&j, "中文");
	kmv_json_array_end(&j);
	kmv_json_object_end(&j);
	assert_int_equal(kmv_json_finish(&j), 0);
	assert_string_equal(b.ptr,
			    "{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"amount\":"
			    "\"12.50\",\"list\":[1,null,\"中文\"]}");
	kmv_buf_dispose(&b);
}

static void test_util__utf8_width_and_validity(void **state)
{
	(void)state;
	assert_int_equal(kmv_utf8_width("abc"), 3);
	assert_int_equal(kmv_utf8_width("示例卡盟"), 8);
	assert_int_equal(kmv_utf8_width("￥1"), 3);
	/* Unicode's widths (utf8proc), beyond the old hand-written ranges:
	 * wide emoji, combining marks, zero-width joiner, halfwidth kana,
	 * CJK punctuation and Extension B ideographs */
	assert_int_equal(kmv_utf8_width("\xF0\x9F\x9A\x80"),
			 2); /* U+1F680 rocket */
	assert_int_equal(kmv_utf8_width("\xF0\x9F\xA5\xB0"), 2); /* U+1F970 */
	assert_int_equal(kmv_utf8_width("e\xCC\x81"), 1); /* e + U+0301 */
	assert_int_equal(kmv_utf8_width("\xD2\x83"), 0);  /* U+0483 */
	assert_int_equal(kmv_utf8_width("a\xE2\x80\x8D"
					"b"),
			 2);                                 /* U+200D */
	assert_int_equal(kmv_utf8_width("\xEF\xBD\xB1"), 1); /* U+FF71 ｱ */
	assert_int_equal(kmv_utf8_width("「示例」。"), 10);
	assert_int_equal(kmv_utf8_width("\xF0\xA0\x80\x8B"), 2); /* U+2000B */
	assert_int_equal(kmv_utf8_width("\xC3x"), 2);    /* invalid byte: 1 */
	assert_int_equal(kmv_utf8_width("\x01\x7f"), 0); /* controls */
	{
		size_t w = 0;

		/* the cut never separates a letter from its combining mark */
		assert_int_equal(kmv_utf8_prefix_for_width("ae\xCC\x81x", 2,
							   &w),
				 4);
		assert_int_equal(w, 2);
		/* nor splits a wide character */
		assert_int_equal(kmv_utf8_prefix_for_width("a示例", 2, &w), 1);
		assert_int_equal(w, 1);
	}
	assert_true(kmv_utf8_valid("示例", strlen("示例")));
	assert_false(kmv_utf8_valid("\xC3", 1));
	assert_false(kmv_utf8_valid("\xED\xA0\x80", 3)); /* surrogate */
	assert_false(kmv_utf8_valid("\xC0\xAF", 2));     /* overlong */
}

static void test_util__compress_round_trip(void **state)
{
	kmv_buf packed = KMV_BUF_INIT, plain = KMV_BUF_INIT;
	const char *text =
		"交易时间,交易分类,交易对方\n2024-03-12 12:05:33,餐饮美食,示例面馆\n";

	(void)state;
	assert_int_equal(kmv_compress(&packed, text, strlen(text)), 0);
	assert_int_equal(kmv_decompress(&plain, packed.ptr, packed.size,
					1 << 20),
			 0);
	assert_string_equal(plain.ptr, text);
	kmv_buf_clear(&plain);
	assert_int_equal(kmv_decompress(&plain, packed.ptr, packed.size, 10),
			 KMV_ECORRUPT);
	kmv_buf_dispose(&packed);
	kmv_buf_dispose(&plain);
}

/* The window is sized to the input: every size round-trips, incompressible too. */
static void test_util__compress_round_trips_every_window(void **state)
{
	static const size_t sizes[] = { 0,    1,    200,   250,   251,
					1500, 4096, 40000, 70000, 300000 };
	uint8_t *data = malloc(300000);

	(void)state;
	assert_non_null(data);
	for (size_t i = 0; i < 300000; i++)
		data[i] = i % 3 ? (uint8_t)(i * 2654435761u >> 13)
				: (uint8_t)'a';
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		kmv_buf packed = KMV_BUF_INIT, plain = KMV_BUF_INIT;

		assert_int_equal(kmv_compress(&packed, data, sizes[k]), 0);
		assert_int_equal(kmv_decompress(&plain, packed.ptr, packed.size,
						1 << 20),
				 0);
		assert_int_equal(plain.size, sizes[k]);
		if (sizes[k])
			assert_memory_equal(plain.ptr, data, sizes[k]);
		kmv_buf_dispose(&packed);
		kmv_buf_dispose(&plain);
	}
	free(data);
}

static void test_util__sha256_known_answer(void **state)
{
	char hex[KMV_SHA256_HEX_BUFSZ];

	(void)state;
	assert_string_equal(
		kmv_sha256_hex(hex, "abc", 3),
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_record__masks_card_secrets(void **state)
{
	char out[256];

	(void)state;
	assert_string_equal(kmv_mask_secret(out, sizeof(out),
					    "DEMO-AAAA-BBBB-0001"),
			    "DEMO\xE2\x80\xA6"
			    "0001");
	assert_string_equal(kmv_mask_secret(out, sizeof(out), "SHORT"), "****");
	assert_string_equal(kmv_mask_secret(out, sizeof(out),
					    "CARD-5O-AAAA-0001\nVIP-MONTH-0002"),
			    "CARD\xE2\x80\xA6"
			    "0001, VIP-\xE2\x80\xA6"
			    "0002");
	assert_string_equal(kmv_mask_secret(out, sizeof(out), NULL), "");
}

/* SQLite's allocator keeps contents across growth, small and mapped. */
static void test_sqlite_mem__realloc_keeps_contents(void **state)
{
	const int sizes[] = { 24, 4000, 1 << 20, 3 << 20, 16 << 20 };
	unsigned char *p = NULL;
	int have = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p = sqlite3_realloc(p, sizes[i]);
		assert_non_null(p);
		assert_true(sqlite3_msize(p) >= (sqlite3_uint64)sizes[i]);
		for (int k = 0; k < have; k++)
			assert_int_equal(p[k], (unsigned char)(k * 7));
		for (int k = have; k < sizes[i]; k++)
			p[k] = (unsigned char)(k * 7);
		have = sizes[i];
	}
	/* Shrinking keeps the block. */
	assert_ptr_equal(sqlite3_realloc(p, 10), p);
	sqlite3_free(p);
	sqlite3_free(NULL);
}

/* A background compression inflates back to its input. */
static void test_compress_job__round_trips(void **state)
{
	kmv_buf in = KMV_BUF_INIT, packed = KMV_BUF_INIT, back = KMV_BUF_INIT;
	kmv_compress_job *job = NULL;

	(void)state;
	for (int i = 0; i < 200000; i++)
		assert_int_equal(kmv_buf_printf(&in, "%d,", i % 977), 0);
	assert_int_equal(kmv_compress_start(&job, in.ptr, in.size, false), 0);
	/* The job has its own copy: the caller may reuse its buffer. */
	memset(in.ptr, 'x', 10);
	assert_int_equal(kmv_compress_finish(job, &packed), 0);
	assert_true(packed.size < in.size / 2);
	assert_int_equal(kmv_decompress(&back, packed.ptr, packed.size,
					in.size),
			 0);
	assert_int_equal(back.size, in.size);
	assert_memory_equal(back.ptr + 10, in.ptr + 10, in.size - 10);
	assert_memory_equal(back.ptr, "0,1,2,3,4,", 10);
	/* Finishing nothing, or discarding the result, is fine. */
	assert_int_equal(kmv_compress_finish(NULL, &packed), 0);
	assert_int_equal(kmv_compress_start(&job, "abc", 3, false), 0);
	assert_int_equal(kmv_compress_finish(job, NULL), 0);
	/* Borrowed input, read in place. */
	kmv_buf_clear(&packed);
	kmv_buf_clear(&back);
	assert_int_equal(kmv_compress_start(&job, in.ptr, in.size, true), 0);
	assert_int_equal(kmv_compress_finish(job, &packed), 0);
	assert_int_equal(kmv_decompress(&back, packed.ptr, packed.size,
					in.size),
			 0);
	assert_memory_equal(back.ptr, in.ptr, in.size);
	kmv_buf_dispose(&in);
	kmv_buf_dispose(&packed);
	kmv_buf_dispose(&back);
}

/* KMV_ARRAY_GROW: doubles from 16 to hold `need`, keeps the contents,
 * refuses sizes that overflow and leaves the array as it was then. */
static void test_array__grows_by_doubling(void **state)
{
	int64_t *v = NULL;
	size_t alloc = 0;

	(void)state;
	assert_int_equal(KMV_ARRAY_GROW(v, alloc, 1), 0);
	assert_int_equal(alloc, 16);
	for (int i = 0; i < 16; i++)
		v[i] = i;
	assert_int_equal(KMV_ARRAY_GROW(v, alloc, 16), 0);
	assert_int_equal(alloc, 16); /* room enough: no realloc */
	assert_int_equal(KMV_ARRAY_GROW(v, alloc, 17), 0);
	assert_int_equal(alloc, 32);
	assert_int_equal(KMV_ARRAY_GROW(v, alloc, 1000), 0);
	assert_int_equal(alloc, 1024);
	for (int i = 0; i < 16; i++)
		assert_int_equal(v[i], i);
	v[1023] = 7; /* ASan sees the whole capacity */
	assert_int_equal(KMV_ARRAY_GROW(v, alloc, SIZE_MAX / 4), KMV_ERROR);
	assert_int_equal(KMV_ARRAY_GROW(v, alloc, SIZE_MAX), KMV_ERROR);
	assert_int_equal(alloc, 1024);
	assert_int_equal(v[15], 15);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_array__grows_by_doubling),
		cmocka_unit_test(test_buf__grows_and_stays_terminated),
		cmocka_unit_test(test_buf__limit_is_enforced),
		cmocka_unit_test(test_money__parses_statement_forms),
		cmocka_unit_test(test_money__formats_and_rounds),
		cmocka_unit_test(test_datetime__parses_and_formats_cst),
		cmocka_unit_test(test_datetime__civil_round_trip),
		cmocka_unit_test(test_datetime__format_matches_libc),
		cmocka_unit_test(test_sqlite_mem__realloc_keeps_contents),
		cmocka_unit_test(test_compress_job__round_trips),
		cmocka_unit_test(test_datetime__days_between_counts_cst_days),
		cmocka_unit_test(test_json__escapes_and_nests),
		cmocka_unit_test(test_util__utf8_width_and_validity),
		cmocka_unit_test(test_util__compress_round_trip),
		cmocka_unit_test(test_util__compress_round_trips_every_window),
		cmocka_unit_test(test_util__sha256_known_answer),
		cmocka_unit_test(test_record__masks_card_secrets),
	};

	kmv_global_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
