/* SPDX-License-Identifier: MIT */
/* The "reveal" audit event (reveal.h). */
#include "common.h"
#include "query/reveal.h"
#include "kmvutil/json.h"

int kmv_reveal__audit(kmv_vault *vault, int64_t id, const char *kind,
		      const char *order_no, bool card_secret)
{
	kmv_buf detail = KMV_BUF_INIT;
	kmv_json j;
	int error = 0;

	kmv_json_init(&j, &detail, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_int(&j, "record", id);
	kmv_json_kv_string(&j, "kind", kind);
	if (order_no)
		kmv_json_kv_string(&j, "order_no", order_no);
	kmv_json_kv_bool(&j, "card_secret", card_secret);
	kmv_json_object_end(&j);
	KMV_TRY(kmv_json_finish(&j));
	KMV_TRY(kmv_audit_append(vault, "reveal", detail.ptr));
done:
	kmv_buf_dispose(&detail);
	return error;
}
