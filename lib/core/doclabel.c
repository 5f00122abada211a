/* SPDX-License-Identifier: MIT */
/*
 * Chinese labels for documents (kmv/doclabel.h): the Chinese column of
 * the one label table (kmv/label.h), looked up by the set's name.
 */
#include "common.h"
#include "kmv/doclabel.h"
#include "kmv/label.h"

const char *kmv_doc_label(const char *field, const char *value)
{
	kmv_label_set set;

	if (!value)
		return "";
	if (kmv_label_set_parse(&set, field) < 0)
		return value;
	return kmv_label_lang(set, value, KMV_LANG_ZH);
}
