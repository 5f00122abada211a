/* SPDX-License-Identifier: MIT */
/*
 * kmv_report_export: a report rendered for the user, and its audit event
 * written here, in the library, so every caller of the API is audited.
 */
#include "common.h"
#include "report/report.h"
#include "kmvutil/file.h"
#include "kmvutil/json.h"

static const char *format_name(kmv_report_format f)
{
	switch (f) {
	case KMV_REPORT_CSV: return "csv";
	case KMV_REPORT_XLSX: return "xlsx";
	case KMV_REPORT_PDF: return "pdf";
	case KMV_REPORT_BEANCOUNT: return "beancount";
	case KMV_REPORT_LEDGER: return "ledger";
	}
	return "unknown";
}

static int render(kmv_buf *out, const kmv_report *report,
		  const kmv_report_export_options *o)
{
	int error = 0;

	switch (o->format) {
	case KMV_REPORT_CSV: return kmv_report_csv(out, report);
	case KMV_REPORT_PDF: return kmv_report_pdf(out, report);
	case KMV_REPORT_BEANCOUNT:
	case KMV_REPORT_LEDGER:
		return kmv_report_ledger_with(out, report,
					      o->format == KMV_REPORT_BEANCOUNT,
					      o->accounts);
	case KMV_REPORT_XLSX:
		KMV_ASSERT_ARG(o->xlsx_path);
		KMV_TRY(kmv_report_xlsx(report, o->xlsx_path));
		KMV_TRY(kmv_file_read(out, o->xlsx_path, (size_t)1 << 30));
		return 0;
	}
	kmv_error_set(KMV_ERROR_INPUT, "unknown report format");
	return KMV_EUSAGE;
done:
	return error;
}

int kmv_report_export(kmv_buf *out, char sha256[KMV_SHA256_HEX_BUFSZ],
		      const kmv_report *report,
		      const kmv_report_export_options *opts)
{
	char sha[KMV_SHA256_HEX_BUFSZ];
	kmv_buf detail = KMV_BUF_INIT;
	const char *file;
	kmv_json j;
	int error = 0;

	KMV_ASSERT_ARG(out && report && opts);
	file = opts->file && strcmp(opts->file, "-") != 0
		       ? kmv_basename(opts->file)
		       : "-";
	KMV_TRY(render(out, report, opts));
	kmv_sha256_hex(sha, out->ptr, out->size);
	kmv_json_init(&j, &detail, false);
	kmv_json_object_begin(&j);
	kmv_json_kv_string(&j, "format", format_name(opts->format));
	kmv_json_kv_string(&j, "period", report->period.label);
	kmv_json_kv_int(&j, "records", (int64_t)report->nrows);
	kmv_json_kv_string(&j, "file", file);
	kmv_json_kv_string(&j, "sha256", sha);
	kmv_json_object_end(&j);
	KMV_TRY(kmv_json_finish(&j));
	KMV_TRY(kmv_audit_append(kmv_report__owner_of(report)->vault, "export",
				 detail.ptr));
	if (sha256)
		memcpy(sha256, sha, sizeof(sha));
done:
	kmv_buf_dispose(&detail);
	return error;
}
