/* SPDX-License-Identifier: MIT */
/*
 * Reading a bundle back (kmv/evidence.h): the dispute letter's text, for
 * `kmvault demo` to show what a user would send.
 */
#include "common.h"
#include "evidence/bag.h"

int kmv_evidence_letter_text(kmv_buf *out, const char *bundle)
{
	/* the Chinese letter's name, then the English one (--lang en) */
	static const char *const names[] = { "data/申诉书.txt",
					     "data/complaint.txt" };
	kmv_bag bag = KMV_BAG_INIT;
	const struct kmv_bag_file *f = NULL;
	int error = 0;

	KMV_ASSERT_ARG(out && bundle);
	KMV_TRY(kmv_bag__read_archive(&bag, NULL, bundle));
	for (size_t i = 0; i < KMV_ARRAY_SIZE(names) && !f; i++)
		f = kmv_bag__find(&bag, names[i]);
	if (!f) {
		kmv_error_set(KMV_ERROR_INPUT, "%s: the bundle holds no letter",
			      bundle);
		error = KMV_ENOTFOUND;
		goto done;
	}
	kmv_buf_clear(out);
	KMV_TRY(kmv_buf_put(out, f->data, f->len));
done:
	kmv_bag__dispose(&bag);
	return error;
}
