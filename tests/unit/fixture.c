/* SPDX-License-Identifier: MIT */
/* The unit tests' vault builders (fixture.h): the import sink, then the
 * public calls a user's link, case and attach go through. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "import/session.h"
#include "kmv/case.h"
#include "kmv/error.h"
#include "kmv/edit.h"
#include "kmv/evidence.h"
#include "kmv/match.h"
#include "kmvutil/file.h"

static int seq;

/* The library's error text on a failed call, then the test fails. */
static void check(int error, const char *what)
{
	if (error < 0)
		fprintf(stderr, "fixture: %s: %s\n", what, kmv_error_last());
	assert_int_equal(error, 0);
}

/* One sink session around `op`; the test fails on any error. */
static void finish(kmv_import_ctx *ctx, int error)
{
	check(kmv_import__session_end(ctx, error), "import");
}

static kmv_import_ctx *begin(kmv_vault *vault)
{
	kmv_import_ctx *ctx = NULL;

	assert_int_equal(kmv_import__session_begin(&ctx, vault, NULL, NULL), 0);
	return ctx;
}

static kmv_direction direction(const char *name)
{
	if (!name)
		return KMV_DIR_NONE;
	if (strcmp(name, "out") == 0)
		return KMV_DIR_OUT;
	if (strcmp(name, "in") == 0)
		return KMV_DIR_IN;
	return KMV_DIR_NEUTRAL;
}

int64_t kmv_fix_record_add(kmv_vault *vault, const kmv_fix_record *f)
{
	kmv_record rec = KMV_RECORD_INIT;
	kmv_import_ctx *ctx;
	char key[32];
	int64_t id = 0;
	int error;

	assert_non_null(f->kind);
	assert_int_equal(kmv_record_kind_parse(&rec.kind, f->kind), 0);
	snprintf(key, sizeof(key), "fix:%d", ++seq);
	/* Bound, not copied, by the sink: the casts never let it write. */
	rec.source_kind = (char *)(f->source_kind               ? f->source_kind
				   : rec.kind == KMV_KIND_ORDER ? "orders"
				   : rec.kind == KMV_KIND_RECEIPT ? "email"
								  : "alipay");
	rec.dedup_key = (char *)(f->dedup_key ? f->dedup_key : key);
	rec.platform = (char *)f->platform;
	rec.merchant = (char *)f->merchant;
	rec.order_no = (char *)f->order_no;
	rec.payment_no = (char *)f->payment_no;
	rec.merchant_order_no = (char *)f->merchant_order_no;
	if (f->time) {
		assert_int_equal(kmv_time_parse(&rec.time, f->time, KMV_TZ_CST,
						NULL),
				 0);
		rec.has_time = true;
	} else if (f->ts) {
		rec.time.epoch = f->ts;
		rec.time.offset_min = 480;
		rec.has_time = true;
	}
	rec.has_amount = f->amount >= 0;
	rec.amount = rec.has_amount ? f->amount : 0;
	rec.direction = direction(f->direction);
	rec.status = (char *)f->status;
	rec.status_raw = (char *)f->status_raw;
	rec.product = (char *)f->product;
	rec.quantity = f->quantity;
	rec.category = (char *)f->category;
	rec.payment_method = (char *)f->payment_method;
	rec.memo = (char *)f->memo;
	rec.card_secret = (char *)f->card_secret;
	rec.source_id = f->source_id;
	rec.source_line = f->source_line;
	rec.extra_json = (char *)f->extra_json;
	ctx = begin(vault);
	error = kmv_import__add_record(&id, ctx, &rec);
	if (error == 0 && f->refund_of)
		error = kmv_import__link_refund(ctx, id, f->refund_of);
	finish(ctx, error);
	return id;
}

static int64_t source(kmv_vault *vault, const char *kind, const char *name,
		      const char *content, int64_t rows, const char *meta)
{
	kmv_import_ctx *ctx = begin(vault);
	int64_t id = 0;
	int error;

	error = kmv_import__add_source(&id, ctx, kind, name, content,
				       strlen(content), 0);
	if (error == 0)
		error = kmv_import__set_source_info(ctx, id, kind, rows, meta);
	finish(ctx, error);
	return id;
}

int64_t kmv_fix_source(kmv_vault *vault, const char *kind, const char *name,
		       const char *content, int64_t rows)
{
	return source(vault, kind, name, content, rows, NULL);
}

int64_t kmv_fix_source_meta(kmv_vault *vault, const char *kind,
			    const char *name, const char *content,
			    const char *meta_json)
{
	return source(vault, kind, name, content, 1, meta_json);
}

void kmv_fix_state(kmv_vault *vault, int64_t id, const char *state,
		   const char *raw, const char *when, int64_t source_id)
{
	kmv_import_ctx *ctx = begin(vault);
	kmv_order_sink *s = NULL;
	kmv_time t;
	int error;

	if (when)
		assert_int_equal(kmv_time_parse(&t, when, KMV_TZ_CST, NULL), 0);
	error = kmv_order_sink__open(&s, ctx);
	if (error == 0)
		error = kmv_order_sink__ensure_state(s, id, state, raw,
						     when ? &t : NULL,
						     source_id);
	kmv_order_sink__free(s);
	finish(ctx, error);
}

void kmv_fix_link(kmv_vault *vault, int64_t a, int64_t b, const char *note)
{
	check(kmv_match_link(vault, a, b, note), "link");
}

void kmv_fix_void(kmv_vault *vault, int64_t id)
{
	kmv_record_ids ids = KMV_RECORD_IDS_INIT;
	int changed = 0;

	check(kmv_record_ids_add(&ids, id), "void");
	check(kmv_record_void(vault, &ids, false, NULL, 0, NULL, &changed),
	      "void");
	kmv_record_ids_dispose(&ids);
	assert_int_equal(changed, 1);
}

int64_t kmv_fix_case(kmv_vault *vault, const char *order_no, const char *reason,
		     const char *note)
{
	kmv_case_open_options co = KMV_CASE_OPEN_OPTIONS_INIT;
	int64_t id = 0;

	co.order_no = order_no;
	co.reason = reason;
	co.note = note;
	check(kmv_case_open(&id, vault, &co), "case open");
	return id;
}

int64_t kmv_fix_attach(kmv_vault *vault, const char *dir, const char *target,
		       const char *name, const void *data, size_t len)
{
	kmv_attach_result ar;
	char path[4300];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	check(kmv_file_write(path, data, len, true), "attach file");
	check(kmv_attach_add(&ar, vault, target, path, NULL), "attach");
	return ar.id;
}
