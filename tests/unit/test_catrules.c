/* SPDX-License-Identifier: MIT */
/* Categorising rules (kmv/catrules.h): the grammar, its errors, a run. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "kmv/catrules.h"
#include "kmv/edit.h"
#include "kmv/import.h"
#include "kmv/vault.h"

static const char orders[] =
	"订单号,商品名称,订单金额,下单时间,订单状态,店铺\n"
	"KM1,王者荣耀点券,30.00,2024-01-02 03:04:05,已完成,示例卡盟\n"
	"KM2,视频会员月卡,25.00,2024-01-03 03:04:05,已完成,示例卡盟\n"
	"KM3,洗衣液,12.50,2024-01-04 03:04:05,已完成,示例小店\n";

static int parse(kmv_catrules **r, const char *text)
{
	return kmv_catrules_parse(r, text, strlen(text), "/home/u/rules");
}

/* The message of a bad file names the file and the line. */
static void expect_bad(const char *text, const char *message)
{
	kmv_catrules *r = (kmv_catrules *)1;

	assert_int_equal(parse(&r, text), KMV_EINPUT);
	assert_null(r);
	if (!strstr(kmv_error_last(), message))
		fail_msg("'%s' lacks '%s'", kmv_error_last(), message);
}

static void test_catrules__grammar(void **state)
{
	kmv_catrules *r = NULL;

	(void)state;
	assert_int_equal(
		parse(&r, "\xEF\xBB\xBF# comment\r\n\r\n"
			  "match merchant 面馆 -> set category 餐饮\r\n"
			  "  match text a -> b → set tag x  \n"
			  "match amount ^30\\.00$ -> set note 三十元 整\n"),
		0);
	assert_int_equal(kmv_catrules_count(r), 3);
	kmv_catrules_free(r);
	r = NULL;
	assert_int_equal(parse(&r, ""), 0);
	assert_int_equal(kmv_catrules_count(r), 0);
	kmv_catrules_free(r);
	kmv_catrules_free(NULL);

	expect_bad("\n\nmatch shop x -> set tag y\n",
		   "/home/u/rules:3: unknown field 'shop'");
	expect_bad("match merchant (x -> set tag y\n",
		   "rules:1: bad pattern '(x': missing closing parenthesis");
	expect_bad("match merchant x -> set colour y\n",
		   "rules:1: cannot set 'colour'");
	expect_bad("match merchant x\n",
		   "rules:1: no '-> set WHAT VALUE' after the pattern 'x'");
	expect_bad("match merchant  -> set tag y\n", "rules:1: empty pattern");
	expect_bad("match merchant x -> set tag\n",
		   "rules:1: 'set tag' needs a value");
	expect_bad("match merchant x -> set tag a b\n",
		   "rules:1: a tag is one word");
	expect_bad("if merchant x -> set tag y\n",
		   "rules:1: expected 'match FIELD PATTERN");
	expect_bad("match\n", "rules:1: 'match' needs a field");
	expect_bad("# ok\nmatch merchant \xff -> set tag y\n",
		   "rules:2: not UTF-8 text");
}

struct seen {
	int n;
	char text[2048];
};

static int collect(const kmv_catrules_change *c, void *payload)
{
	struct seen *s = payload;
	size_t len = strlen(s->text);

	snprintf(s->text + len, sizeof(s->text) - len, "#%lld %s %s->%s %s\n",
		 (long long)c->record, c->field,
		 c->old_value ? c->old_value : "-", c->new_value, c->rule);
	s->n++;
	return 0;
}

static void test_catrules__apply_dry_run_hand_edits_and_audit(void **state)
{
	kmv_test_vault *f = *state;
	kmv_import_results res = KMV_IMPORT_RESULTS_INIT;
	kmv_catrules_options opts = KMV_CATRULES_OPTIONS_INIT;
	kmv_catrules_stats stats;
	kmv_edit_fields hand = KMV_EDIT_FIELDS_INIT;
	kmv_catrules *r = NULL;
	struct seen seen = { 0, "" };
	int64_t events, mark = -1;

	assert_int_equal(kmv_test_import(f, kmv_test_put(f, "o.csv", orders),
					 NULL, NULL, &res),
			 0);
	kmv_import_results_dispose(&res);
	assert_int_equal(
		parse(&r,
		      "match product 点券|会员 -> set category 游戏\n"
		      "match product 点券 -> set category 不会用到\n" /* first wins */
		      "match text (?-i)卡 -> set tag 卡类\n"
		      "match platform ^示例卡盟$ -> set tag 卡盟\n"
		      "match amount ^12\\.50$ -> set note 日用\n"
		      "match kind ^order$ -> set platform 示例卡盟\n"
		      /* sees the platform the rule above set */
		      "match platform ^示例卡盟$ -> set tag 后来的\n"),
		0);

	/* A dry run lists the changes and makes none. */
	events = kmv_test_count(f, "SELECT count(*) FROM events");
	opts.dry_run = true;
	opts.on_change = collect;
	opts.payload = &seen;
	assert_int_equal(kmv_catrules_apply(f->vault, r, &opts, &stats), 0);
	assert_string_equal(seen.text,
			    "#1 category -->游戏 rules:1\n"
			    "#1 tag -->卡类 rules:3\n"
			    "#1 tag -->卡盟 rules:4\n"
			    "#1 tag -->后来的 rules:7\n"
			    "#2 category -->游戏 rules:1\n"
			    "#2 tag -->卡类 rules:3\n"
			    "#2 tag -->卡盟 rules:4\n"
			    "#2 tag -->后来的 rules:7\n"
			    "#3 tag -->卡盟 rules:4\n"
			    "#3 note -->日用 rules:5\n"
			    "#3 platform 示例小店->示例卡盟 rules:6\n"
			    "#3 tag -->后来的 rules:7\n");
	assert_int_equal(stats.records, 3);
	assert_int_equal(stats.changed, 3);
	assert_int_equal(stats.changes, 12);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM events"),
			 events);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records WHERE "
					   "category IS NOT NULL"),
			 0);

	/* The run: one audit event per change, naming the rule. */
	opts.dry_run = false;
	opts.who = "tester";
	seen.n = 0;
	seen.text[0] = '\0';
	assert_int_equal(kmv_catrules_apply(f->vault, r, &opts, &stats), 0);
	assert_int_equal(seen.n, 12);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM events"),
			 events + 12);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM events WHERE "
					   "json_extract(detail, '$.rule') = "
					   "'rules:1' AND action = 'edit'"),
			 2);
	assert_int_equal(
		kmv_test_count(f, "SELECT count(*) FROM records WHERE "
				  "json_extract(extra, '$.imported.platform')"
				  " = '示例小店' AND platform = '示例卡盟'"),
		1);
	assert_int_equal(kmv_vault_check(f->vault, NULL), 0);

	/* Again: nothing to do. */
	seen.text[0] = '\0';
	assert_int_equal(kmv_catrules_apply(f->vault, r, &opts, &stats), 0);
	assert_string_equal(seen.text, "");
	assert_int_equal(stats.changes, 0);

	/* A field corrected by hand is left alone, and counted. */
	hand.category = "影音";
	assert_int_equal(kmv_record_edit(f->vault, 2, &hand, "tester", NULL),
			 0);
	seen.text[0] = '\0';
	assert_int_equal(kmv_catrules_apply(f->vault, r, &opts, &stats), 0);
	assert_string_equal(seen.text, "");
	assert_int_equal(stats.changes, 0);
	assert_int_equal(stats.kept, 1);
	assert_int_equal(kmv_test_count(f, "SELECT count(*) FROM records WHERE "
					   "id = 2 AND category = '影音'"),
			 1);

	/* Only the records after a mark: what an import added. */
	assert_int_equal(kmv_catrules_mark(f->vault, &mark), 0);
	assert_int_equal(mark, 3);
	opts.after_id = mark;
	assert_int_equal(kmv_catrules_apply(f->vault, r, &opts, &stats), 0);
	assert_int_equal(stats.records, 0);
	kmv_catrules_free(r);
}

static void test_catrules__load(void **state)
{
	kmv_test_vault *f = *state;
	kmv_catrules *r = NULL;
	char path[4300];

	snprintf(path, sizeof(path), "%s/none", f->dir);
	assert_int_equal(kmv_catrules_load(&r, path), KMV_ENOTFOUND);
	assert_int_equal(
		kmv_catrules_load(
			&r,
			kmv_test_put(
				f, "rules",
				"match merchant x -> set tag y\nmatch merchant ( -> set tag y\n")),
		KMV_EINPUT);
	assert_non_null(strstr(kmv_error_last(), "/rules:2: bad pattern"));
	assert_int_equal(
		kmv_catrules_load(
			&r, kmv_test_put(f, "rules2",
					 "match merchant x -> set tag y\n")),
		0);
	assert_int_equal(kmv_catrules_count(r), 1);
	kmv_catrules_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catrules__grammar),
		cmocka_unit_test_setup_teardown(
			test_catrules__apply_dry_run_hand_edits_and_audit,
			kmv_test_vault_setup, kmv_test_vault_teardown),
		cmocka_unit_test_setup_teardown(test_catrules__load,
						kmv_test_vault_setup,
						kmv_test_vault_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
