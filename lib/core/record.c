/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "kmv/record.h"

void kmv_record_dispose(kmv_record *r)
{
	if (!r)
		return;
	free(r->source_kind);
	free(r->dedup_key);
	free(r->platform);
	free(r->merchant);
	free(r->order_no);
	free(r->payment_no);
	free(r->merchant_order_no);
	free(r->status_raw);
	free(r->status);
	free(r->product);
	free(r->category);
	free(r->payment_method);
	free(r->counterparty_account);
	free(r->memo);
	free(r->card_secret);
	free(r->refund_of_payment_no);
	free(r->extra_json);
	memset(r, 0, sizeof(*r));
}

int kmv_record_set(char **field, const char *value)
{
	char *copy = NULL;

	if (value && *value) {
		copy = strdup(value);
		if (!copy)
			return kmv_error_nomem();
	}
	free(*field);
	*field = copy;
	return 0;
}

const char *kmv_record_kind_name(kmv_record_kind kind)
{
	switch (kind) {
	case KMV_KIND_ORDER: return "order";
	case KMV_KIND_PAYMENT: return "payment";
	case KMV_KIND_RECEIPT: return "receipt";
	}
	return "unknown";
}

int kmv_record_kind_parse(kmv_record_kind *out, const char *name)
{
	if (strcmp(name, "order") == 0 || strcmp(name, "orders") == 0)
		*out = KMV_KIND_ORDER;
	else if (strcmp(name, "payment") == 0 || strcmp(name, "payments") == 0)
		*out = KMV_KIND_PAYMENT;
	else if (strcmp(name, "receipt") == 0 || strcmp(name, "receipts") == 0)
		*out = KMV_KIND_RECEIPT;
	else {
		kmv_error_set(
			KMV_ERROR_INPUT,
			"unknown record kind '%s' (order, payment, receipt)",
			name);
		return KMV_EUSAGE;
	}
	return 0;
}

const char *kmv_direction_name(kmv_direction dir)
{
	switch (dir) {
	case KMV_DIR_OUT: return "out";
	case KMV_DIR_IN: return "in";
	case KMV_DIR_NEUTRAL: return "neutral";
	default: return NULL;
	}
}

/* Length in bytes of the UTF-8 character starting at s. */
static size_t charlen(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xE0) == 0xC0)
		return 2;
	if ((s[0] & 0xF0) == 0xE0)
		return 3;
	if ((s[0] & 0xF8) == 0xF0)
		return 4;
	return 1;
}

static void mask_one(kmv_buf *out, const char *s, size_t len)
{
	size_t offs[512], n = 0;

	for (size_t i = 0; i < len && n < KMV_ARRAY_SIZE(offs);
	     i += charlen((const unsigned char *)s + i))
		offs[n++] = i;
	if (n == 0)
		return;
	if (n <= 8) {
		/* Too short to show anything safely. */
		kmv_buf_puts(out, "****");
		return;
	}
	kmv_buf_put(out, s, offs[4]);
	kmv_buf_puts(out, "\xE2\x80\xA6"); /* … */
	kmv_buf_put(out, s + offs[n - 4], len - offs[n - 4]);
}

const char *kmv_mask_secret(char *out, size_t outsz, const char *secret)
{
	kmv_buf b = KMV_BUF_INIT;
	const char *p = secret;
	bool first = true;

	if (outsz == 0)
		return out;
	out[0] = '\0';
	if (!secret)
		return out;
	while (*p) {
		size_t len = strcspn(p, "\r\n");
		const char *start = p;

		while (len > 0 && (*start == ' ' || *start == '\t')) {
			start++;
			len--;
		}
		while (len > 0 &&
		       (start[len - 1] == ' ' || start[len - 1] == '\t'))
			len--;
		if (len > 0) {
			if (!first)
				kmv_buf_puts(&b, ", ");
			mask_one(&b, start, len);
			first = false;
		}
		p += strcspn(p, "\r\n");
		while (*p == '\r' || *p == '\n')
			p++;
	}
	snprintf(out, outsz, "%s", b.ptr);
	kmv_buf_dispose(&b);
	return out;
}
