/* SPDX-License-Identifier: MIT */
/*
 * The label table (kmv/label.h): every code the modules know has words in
 * both languages, and the zh_CN catalog says the same as the table's
 * Chinese column (so the CLI in a Chinese locale and the Chinese
 * documents use the same words).
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "import/profile.h"
#include "kmv/i18n.h"
#include "kmv/label.h"
#include "kmv/record.h"
#include "kmv/match.h"
#include "kmv/case.h"

static bool has_ascii_letter(const char *s)
{
	for (; *s; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
			return true;
	return false;
}

static void test_label__every_code_has_words(void **state)
{
	(void)state;
	for (int set = 0; set < KMV_LABEL_SET_COUNT; set++) {
		const char *code;

		assert_non_null(kmv_label_code((kmv_label_set)set, 0));
		for (size_t i = 0;
		     (code = kmv_label_code((kmv_label_set)set, i)); i++) {
			const char *zh = kmv_label_lang((kmv_label_set)set,
							code, KMV_LANG_ZH);
			const char *en = kmv_label_lang((kmv_label_set)set,
							code, KMV_LANG_EN);

			assert_true(kmv_label_known((kmv_label_set)set, code));
			/* Chinese words carry no Latin letters, English ones no underscore. */
			if (set != KMV_LABEL_SOURCE || strcmp(code, "jd") != 0)
				assert_false(has_ascii_letter(zh));
			assert_null(strchr(en, '_'));
			assert_string_not_equal(zh, code);
		}
	}
}

static void test_label__covers_the_modules_codes(void **state)
{
	static const char *const states[] = {
		"pending_payment",
		"paid",
		"processing",
		"delivered",
		"completed",
		"refunded",
		"cancelled",
		"failed",
		"expired",
		"unknown",
		/* statements */
		"success",
		"closed",
		"partially_refunded",
		"pending",
		"other",
	};
	static const char *const anomalies[] = {
		"duplicate_charge", "amount_mismatch", "payment_without_order",
		"undelivered",      "refund_missing",  "unknown_merchant",
	};
	char list[256], *save = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		assert_true(kmv_label_known(KMV_LABEL_STATUS, states[i]));
	assert_true(kmv_profile__state_valid("paid"));
	for (size_t i = 0; i < sizeof(anomalies) / sizeof(anomalies[0]); i++)
		assert_true(kmv_label_known(KMV_LABEL_ANOMALY, anomalies[i]));
	for (int k = KMV_KIND_ORDER; k <= KMV_KIND_RECEIPT; k++)
		assert_true(kmv_label_known(KMV_LABEL_KIND,
					    kmv_record_kind_name(
						    (kmv_record_kind)k)));
	for (int d = KMV_DIR_OUT; d <= KMV_DIR_NEUTRAL; d++)
		assert_true(
			kmv_label_known(KMV_LABEL_DIRECTION,
					kmv_direction_name((kmv_direction)d)));
	for (int r = 0; r < KMV_MATCH_RULE_COUNT; r++)
		assert_true(kmv_label_known(KMV_LABEL_RULE,
					    kmv_match_rule_name(
						    (kmv_match_rule)r)));
	assert_true(kmv_label_known(KMV_LABEL_RULE, "manual"));
	assert_true(kmv_label_known(KMV_LABEL_RULE, "veto"));
	snprintf(list, sizeof(list), "%s", KMV_CASE_REASONS);
	for (char *w = strtok_r(list, ", ", &save); w;
	     w = strtok_r(NULL, ", ", &save))
		assert_true(kmv_label_known(KMV_LABEL_CASE_REASON, w));
	snprintf(list, sizeof(list), "%s", KMV_CASE_STATUSES);
	for (char *w = strtok_r(list, ", ", &save); w;
	     w = strtok_r(NULL, ", ", &save))
		assert_true(kmv_label_known(KMV_LABEL_CASE_STATUS, w));
}

static void test_label__unknown_codes_and_lang_names(void **state)
{
	kmv_lang lang;

	(void)state;
	assert_string_equal(kmv_label(KMV_LABEL_STATUS, "from_the_future"),
			    "from_the_future");
	assert_string_equal(kmv_label(KMV_LABEL_STATUS, NULL), "");
	assert_false(kmv_label_known(KMV_LABEL_SET_COUNT, "paid"));
	assert_int_equal(kmv_lang_parse(&lang, "zh_CN.UTF-8"), 0);
	assert_int_equal(lang, KMV_LANG_ZH);
	assert_int_equal(kmv_lang_parse(&lang, "en"), 0);
	assert_int_equal(lang, KMV_LANG_EN);
	assert_int_equal(kmv_lang_parse(&lang, "fr"), -1);
	assert_int_equal(kmv_lang_parse(&lang, "zhx"), -1);
}

/* The zh_CN catalog and the table's Chinese column say the same. */
static void test_label__catalog_agrees_with_table(void **state)
{
	(void)state;
	setenv("KMVAULT_LOCALEDIR", KMV_TEST_LOCALEDIR, 1);
	setenv("LANGUAGE", "zh_CN", 1);
	if (!setlocale(LC_MESSAGES, "zh_CN.UTF-8")) {
		skip(); /* scripts/install-deps.sh generates the locale */
	}
	setenv("LC_MESSAGES", "zh_CN.UTF-8", 1);
	kmv_i18n_init();
	assert_true(kmv_i18n_is_chinese());
	assert_int_equal(kmv_lang_resolve(KMV_LANG_LOCALE), KMV_LANG_ZH);
	for (int set = 0; set < KMV_LABEL_SET_COUNT; set++) {
		const char *code;

		for (size_t i = 0;
		     (code = kmv_label_code((kmv_label_set)set, i)); i++)
			assert_string_equal(kmv_label((kmv_label_set)set, code),
					    kmv_label_lang((kmv_label_set)set,
							   code, KMV_LANG_ZH));
	}
	/* Documents in English stay English in a Chinese locale. */
	assert_string_equal(kmv_label_lang(KMV_LABEL_ANOMALY,
					   "duplicate_charge", KMV_LANG_EN),
			    "duplicate charge");
	setlocale(LC_MESSAGES, "C");
	assert_false(kmv_i18n_is_chinese());
	assert_string_equal(kmv_label(KMV_LABEL_STATUS, "paid"), "paid");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label__every_code_has_words),
		cmocka_unit_test(test_label__covers_the_modules_codes),
		cmocka_unit_test(test_label__unknown_codes_and_lang_names),
		cmocka_unit_test(test_label__catalog_agrees_with_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
