/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <unistd.h>

#include "common.h"
#include "evidence/bag.h"
#include "kmv/evidence.h"
#include "report_fixture.h"
#include "kmvutil/file.h"

/*
 * Bundles built from the fixture vault, then read back and checked; each
 * kind of tampering must be caught with the offending path named.
 */

static void create(kmv_test_vault *f, const char *name, char *path, size_t n,
		   const char *target)
{
	kmv_evidence_options o = KMV_EVIDENCE_OPTIONS_INIT;
	kmv_evidence_result res = KMV_EVIDENCE_RESULT_INIT;

	snprintf(path, n, "%s/%s", f->dir, name);
	o.output = path;
	o.claim = "退还货款 48.50 元";
	assert_int_equal(kmv_evidence_create(&res, f->vault, target, &o), 0);
	assert_string_equal(res.path, path);
	assert_int_equal(res.records, 3); /* order, its payment, the refund */
	/* Only a temporary name until published (after the caller's save). */
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(access(res.tmp_path, F_OK), 0);
	assert_int_equal(kmv_evidence_publish(&res), 0);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(access(res.tsq_path, F_OK), 0);
	kmv_evidence_result_dispose(&res);
}

static void test_bagit__zip_bundle_verifies(void **state)
{
	kmv_test_vault *f = *state;
	kmv_evidence_verify_result vr = KMV_EVIDENCE_VERIFY_RESULT_INIT;
	kmv_bag bag = KMV_BAG_INIT;
	const struct kmv_bag_file *letter, *json;
	char path[4300];

	create(f, "b.zip", path, sizeof(path), FIX_ORDER_NO);
	assert_int_equal(kmv_evidence_verify(&vr, path, NULL, NULL), 0);
	assert_false(vr.external_key);
	assert_false(vr.timestamped);
	assert_int_equal(vr.tag_files, 5);
	kmv_evidence_verify_result_dispose(&vr);

	assert_int_equal(kmv_bag__read_archive(&bag, NULL, path), 0);
	assert_non_null(kmv_bag__find(&bag, "bagit.txt"));
	assert_non_null(kmv_bag__find(&bag, "manifest-sha512.txt"));
	assert_non_null(kmv_bag__find(&bag, KMV_BAG_TSQ));
	assert_non_null(kmv_bag__find(&bag, "data/申诉书.pdf"));
	assert_non_null(kmv_bag__find(&bag, "data/timeline.txt"));
	assert_non_null(kmv_bag__find(&bag, "data/sources/excerpts.txt"));
	letter = kmv_bag__find(&bag, "data/申诉书.txt");
	json = kmv_bag__find(&bag, "data/records.json");
	assert_non_null(letter);
	assert_non_null(json);
	assert_non_null(
		memmem(letter->data, letter->len, "退还货款 48.50 元", 20));
	assert_non_null(
		memmem(letter->data, letter->len, "data/records.json", 17));
	assert_non_null(memmem(json->data, json->len, FIX_TRADE_NO, 28));
	/* secrets: masked, never whole */
	for (size_t i = 0; i < bag.count; i++)
		assert_null(memmem(bag.files[i].data, bag.files[i].len,
				   FIX_SECRET1, strlen(FIX_SECRET1)));
	kmv_bag__dispose(&bag);
}

static void test_bagit__tar_gz_bundle_and_pubkey(void **state)
{
	kmv_test_vault *f = *state;
	kmv_evidence_verify_result vr = KMV_EVIDENCE_VERIFY_RESULT_INIT;
	kmv_buf pub = KMV_BUF_INIT;
	char path[4300];

	create(f, "b.tar.gz", path, sizeof(path), FIX_ORDER_NO);
	assert_int_equal(kmv_evidence_pubkey(&pub, f->vault, false, NULL), 0);
	assert_int_equal(kmv_evidence_verify(&vr, path, pub.ptr, NULL), 0);
	assert_true(vr.external_key);
	kmv_evidence_verify_result_dispose(&vr);
	kmv_buf_dispose(&pub);
}

static void test_bagit__existing_output_is_refused(void **state)
{
	kmv_test_vault *f = *state;
	kmv_evidence_options o = KMV_EVIDENCE_OPTIONS_INIT;
	kmv_evidence_result res = KMV_EVIDENCE_RESULT_INIT;
	char path[4300];

	create(f, "b.zip", path, sizeof(path), FIX_ORDER_NO);
	o.output = path;
	assert_int_equal(kmv_evidence_create(&res, f->vault, FIX_ORDER_NO, &o),
			 KMV_EEXISTS);
	o.output = "x.rar";
	assert_int_equal(kmv_evidence_create(&res, f->vault, FIX_ORDER_NO, &o),
			 KMV_EUSAGE);
	/* A bundle never published (the save failed) is removed on dispose. */
	snprintf(path, sizeof(path), "%s/unsaved.zip", f->dir);
	o.output = path;
	assert_int_equal(kmv_evidence_create(&res, f->vault, FIX_ORDER_NO, &o),
			 0);
	{
		char *tmp = strdup(res.tmp_path),
		     *tsq = strdup(res.tmp_tsq_path);

		assert_int_equal(access(tmp, F_OK), 0);
		kmv_evidence_result_dispose(&res);
		assert_int_equal(access(tmp, F_OK), -1);
		assert_int_equal(access(tsq, F_OK), -1);
		assert_int_equal(access(path, F_OK), -1);
		free(tmp);
		free(tsq);
	}
	assert_int_equal(kmv_evidence_create(&res, f->vault, "NO-SUCH-ORDER",
					     &o),
			 KMV_ENOTFOUND);
}

/* Read, change one thing, verify: must fail naming `want`. */
static void tampered(kmv_test_vault *f, void (*change)(kmv_bag *),
		     const char *want)
{
	kmv_evidence_verify_result vr = KMV_EVIDENCE_VERIFY_RESULT_INIT;
	kmv_bag bag = KMV_BAG_INIT;
	static int n;
	char path[4300], name[32];

	snprintf(name, sizeof(name), "t%d.zip", n++);
	create(f, name, path, sizeof(path), FIX_ORDER_NO);
	assert_int_equal(kmv_bag__read_archive(&bag, NULL, path), 0);
	change(&bag);
	assert_int_equal(kmv_bag__verify(&bag, &vr, NULL, NULL), KMV_ECORRUPT);
	assert_non_null(vr.bad_path);
	assert_string_equal(vr.bad_path, want);
	kmv_evidence_verify_result_dispose(&vr);
	kmv_bag__dispose(&bag);
}

static struct kmv_bag_file *file(kmv_bag *bag, const char *path)
{
	return (struct kmv_bag_file *)kmv_bag__find(bag, path);
}

static void flip_payload(kmv_bag *bag)
{
	file(bag, "data/records.csv")->data[10] ^= 1;
}

static void edit_manifest(kmv_bag *bag)
{
	file(bag, "manifest-sha256.txt")->data[0] ^= 1;
}

static void edit_signature(kmv_bag *bag)
{
	struct kmv_bag_file *s = file(bag, KMV_BAG_SIG);
	unsigned char *line = memchr(s->data, '\n', s->len);

	line[5] = line[5] == 'A' ? 'B' : 'A';
}

static void extra_payload(kmv_bag *bag)
{
	assert_int_equal(kmv_bag__add(bag, "data/extra.txt", "x", 1), 0);
}

static void extra_tag(kmv_bag *bag)
{
	assert_int_equal(kmv_bag__add(bag, "notes.txt", "x", 1), 0);
}

static void drop_payload(kmv_bag *bag)
{
	struct kmv_bag_file *f = file(bag, "data/timeline.txt");

	f->path[0] = 'X'; /* "Xata/timeline.txt": gone from data/ */
}

static void consistent_rehash(kmv_bag *bag)
{
	/* change a payload and fix both manifests' lines: only the signature catches it */
	kmv_bag fake = KMV_BAG_INIT;
	kmv_bag_info info = { "2024-01-01", "x", NULL };
	struct kmv_bag_file *f = file(bag, "data/records.csv");

	f->data[10] ^= 1;
	for (size_t i = 0; i < bag->count; i++)
		if (strncmp(bag->files[i].path, "data/", 5) == 0 ||
		    strcmp(bag->files[i].path, KMV_BAG_PUB) == 0)
			assert_int_equal(kmv_bag__add(&fake, bag->files[i].path,
						      bag->files[i].data,
						      bag->files[i].len),
					 0);
	assert_int_equal(kmv_bag__finalize(&fake, &info), 0);
	assert_int_equal(kmv_bag__add(&fake, KMV_BAG_SIG,
				      file(bag, KMV_BAG_SIG)->data,
				      file(bag, KMV_BAG_SIG)->len),
			 0);
	kmv_bag__dispose(bag);
	*bag = fake;
}

static void test_bagit__tampering_is_caught(void **state)
{
	tampered(*state, flip_payload, "data/records.csv");
	tampered(*state, edit_manifest, "manifest-sha256.txt");
	tampered(*state, edit_signature, KMV_BAG_SIG);
	tampered(*state, extra_payload, "data/extra.txt");
	tampered(*state, extra_tag, "notes.txt");
	tampered(*state, drop_payload, "data/timeline.txt");
	tampered(*state, consistent_rehash, KMV_BAG_SIG);
}

static void test_bagit__case_bundle(void **state)
{
	kmv_test_vault *f = *state;
	kmv_evidence_options o = KMV_EVIDENCE_OPTIONS_INIT;
	kmv_evidence_result res = KMV_EVIDENCE_RESULT_INIT;
	kmv_evidence_verify_result vr = KMV_EVIDENCE_VERIFY_RESULT_INIT;
	kmv_attach_result ar;
	kmv_bag bag = KMV_BAG_INIT;
	const struct kmv_bag_file *json, *letter, *tl;
	char path[4300], note[4300], target[24];
	int64_t id;

	/* the second order (record 3), nothing linked to it */
	id = kmv_fix_case(f->vault, "KM20240320000202", "undelivered",
			  "已联系客服");
	snprintf(target, sizeof(target), "%lld", (long long)id);
	/* Raw SQL: no call sets a case's claim or another counterparty. */
	assert_int_equal(
		sqlite3_exec(f->db,
			     "UPDATE cases SET counterparty = '示例卡盟客服',"
			     " claim = '补发或退款 25.00 元'",
			     NULL, NULL, NULL),
		SQLITE_OK);
	snprintf(note, sizeof(note), "%s/chat.txt", f->dir);
	assert_int_equal(kmv_file_write(note, "客服：明天处理\n", 22, false),
			 0);
	assert_int_equal(kmv_attach_add(&ar, f->vault, target, note,
					"聊天记录"),
			 0);
	assert_string_equal(ar.mime, "text/plain");
	snprintf(path, sizeof(path), "%s/case.zip", f->dir);
	o.output = path;
	assert_int_equal(kmv_evidence_create(&res, f->vault, target, &o), 0);
	assert_int_equal(kmv_evidence_publish(&res), 0);
	assert_string_equal(res.target, "case 1");
	assert_int_equal(res.records, 1);
	assert_int_equal(kmv_evidence_verify(&vr, path, NULL, NULL), 0);
	assert_int_equal(kmv_bag__read_archive(&bag, NULL, path), 0);
	json = kmv_bag__find(&bag, "data/records.json");
	letter = kmv_bag__find(&bag, "data/申诉书.txt");
	tl = kmv_bag__find(&bag, "data/timeline.txt");
	assert_non_null(kmv_bag__find(&bag, "data/attachments/1-chat.txt"));
	assert_non_null(memmem(json->data, json->len, "\"case\"", 6));
	assert_non_null(
		memmem(letter->data, letter->len, "补发或退款 25.00 元", 25));
	assert_non_null(memmem(letter->data, letter->len, "示例卡盟客服", 18));
	assert_non_null(memmem(tl->data, tl->len, "已联系客服", 15));
	kmv_bag__dispose(&bag);
	kmv_evidence_verify_result_dispose(&vr);
	kmv_evidence_result_dispose(&res);
}

static void test_bagit__unsafe_paths_refused(void **state)
{
	kmv_bag bag = KMV_BAG_INIT;

	(void)state;
	assert_int_equal(kmv_bag__add(&bag, "../etc/passwd", "x", 1),
			 KMV_ECORRUPT);
	assert_int_equal(kmv_bag__add(&bag, "/etc/passwd", "x", 1),
			 KMV_ECORRUPT);
	assert_int_equal(kmv_bag__add(&bag, "data/../../x", "x", 1),
			 KMV_ECORRUPT);
	assert_int_equal(kmv_bag__add(&bag, "data//x", "x", 1), KMV_ECORRUPT);
	assert_int_equal(kmv_bag__add(&bag, "data/ok.txt", "x", 1), 0);
	kmv_bag__dispose(&bag);
}

static void test_bagit__missing_file_is_not_found(void **state)
{
	kmv_evidence_verify_result vr = KMV_EVIDENCE_VERIFY_RESULT_INIT;

	(void)state;
	assert_int_equal(kmv_evidence_verify(&vr, "/nonexistent/b.zip", NULL,
					     NULL),
			 KMV_ENOTFOUND);
	kmv_evidence_verify_result_dispose(&vr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bagit__zip_bundle_verifies,
						fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(
			test_bagit__tar_gz_bundle_and_pubkey, fix_setup,
			fix_teardown),
		cmocka_unit_test_setup_teardown(
			test_bagit__existing_output_is_refused, fix_setup,
			fix_teardown),
		cmocka_unit_test_setup_teardown(test_bagit__tampering_is_caught,
						fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_bagit__case_bundle,
						fix_setup, fix_teardown),
		cmocka_unit_test(test_bagit__unsafe_paths_refused),
		cmocka_unit_test(test_bagit__missing_file_is_not_found),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
