/* SPDX-License-Identifier: MIT */
/* kmvault query: list records with filters, newest first. */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include "kmv/i18n.h"
#include "kmvutil/json.h"
#include "kmvutil/money.h"
#include "kmv/query.h"
#include "kmv/report.h"
#include "kmv/record.h"
#include "kmv/show.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

enum { FMT_TABLE, FMT_CSV, FMT_JSON };

struct out {
	int format;
	kmv_json json;
	kmv_buf buf;
	cli_table table;
	int64_t count;
	int64_t out_fen, in_fen; /* the totals line */
};

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static const char *const csv_headers[] = { "id",
					   "kind",
					   "platform",
					   "merchant",
					   "order_no",
					   "payment_no",
					   "merchant_order_no",
					   "time",
					   "amount",
					   "direction",
					   "status",
					   "status_raw",
					   "product",
					   "quantity",
					   "category",
					   "payment_method",
					   "card_secret",
					   "source_id",
					   "source_file",
					   "source_line" };

/* A status word from the source (交易成功), not a code ("2", "SUCCESS"). */
static bool raw_is_word(const char *raw)
{
	for (const char *p = raw; p && *p; p++)
		if ((unsigned char)*p >= 0x80)
			return true;
	return false;
}

/* The columns of `--format csv`, in the order of csv_headers. */
static const kmv_record_field csv_fields[] = {
	KMV_RECORD_FIELD_ID,
	KMV_RECORD_FIELD_KIND,
	KMV_RECORD_FIELD_PLATFORM,
	KMV_RECORD_FIELD_MERCHANT,
	KMV_RECORD_FIELD_ORDER_NO,
	KMV_RECORD_FIELD_PAYMENT_NO,
	KMV_RECORD_FIELD_MERCHANT_ORDER_NO,
	KMV_RECORD_FIELD_TIME,
	KMV_RECORD_FIELD_AMOUNT,
	KMV_RECORD_FIELD_DIRECTION,
	KMV_RECORD_FIELD_STATUS,
	KMV_RECORD_FIELD_STATUS_RAW,
	KMV_RECORD_FIELD_PRODUCT,
	KMV_RECORD_FIELD_QUANTITY,
	KMV_RECORD_FIELD_CATEGORY,
	KMV_RECORD_FIELD_PAYMENT_METHOD,
	KMV_RECORD_FIELD_CARD_SECRET,
	KMV_RECORD_FIELD_SOURCE_ID,
	KMV_RECORD_FIELD_SOURCE_FILE,
	KMV_RECORD_FIELD_SOURCE_LINE,
};

static int csv_row(struct out *o, const kmv_record *r)
{
	kmv_record_cells cells;

	/* The report's writer: quoting by libcsv, formula cells defused,
	 * all-digit numbers kept as text (kmv/report.h). */
	if (kmv_record_cells_fill(&cells, r, csv_fields, NELEM(csv_fields),
				  KMV_RECORD_CELLS_CODES) < 0 ||
	    kmv_report_csv_line(&o->buf, cells.text, cells.is_id, cells.count) <
		    0)
		return KMV_ERROR;
	if (o->buf.size > 65536) {
		cli_write(&o->buf);
		kmv_buf_clear(&o->buf);
	}
	return 0;
}

static void table_row(struct out *o, const kmv_record *r)
{
	char when[KMV_TIME_BUFSZ], id[48], amount[KMV_MONEY_BUFSZ];
	const char *number = r->order_no            ? r->order_no
			     : r->merchant_order_no ? r->merchant_order_no
						    : r->payment_no;
	const char *dir = kmv_direction_name(r->direction);
	const char *cells[10];

	/* "2024-03-12T12:05:33+08:00" -> "2024-03-12 12:05" */
	when[0] = '\0';
	if (r->has_time) {
		kmv_time_format(when, &r->time);
		when[16] = '\0';
		when[10] = ' ';
	}
	if (r->deleted_at) /* marked where the eye starts */
		snprintf(id, sizeof(id), "%" PRId64 " %s", r->id, _("voided"));
	else
		snprintf(id, sizeof(id), "%" PRId64, r->id);
	cells[0] = id;
	cells[1] = when;
	cells[2] = kmv_label(KMV_LABEL_KIND, kmv_record_kind_name(r->kind));
	/* An order without a shop is unknown, not "shop orders". */
	cells[3] = r->platform               ? r->platform
		   : !kmv_record_platform(r) ? "未知店铺"
		   : r->source_kind
			   ? kmv_label(KMV_LABEL_SOURCE, r->source_kind)
			   : "";
	cells[4] = or_empty(r->merchant);
	cells[5] = or_empty(r->product);
	cells[6] = r->has_amount ? kmv_money_format(amount, r->amount) : "";
	cells[7] = dir ? kmv_label(KMV_LABEL_DIRECTION, dir) : "";
	/*
	 * Statement statuses are words (交易成功); shop exports often use
	 * codes (dujiaoka "4"), so orders and receipts show the label of the
	 * normalized state (show prints both).
	 */
	if ((r->kind != KMV_KIND_PAYMENT || !raw_is_word(r->status_raw)) &&
	    r->status)
		cells[8] = kmv_label(KMV_LABEL_STATUS, r->status);
	else
		cells[8] = or_empty(r->status_raw);
	cells[9] = or_empty(number);
	/* refunded and closed records stand out from the paid ones */
	cli_table_add_sgr(&o->table, cells,
			  !r->status                           ? NULL
			  : strcmp(r->status, "refunded") == 0 ? CLI_SGR_YELLOW
			  : strcmp(r->status, "closed") == 0   ? CLI_SGR_DIM
							       : NULL);
}

static int print_row(const kmv_query_row *row, void *payload)
{
	struct out *o = payload;
	const kmv_record *r = &row->rec; /* card secret masked by the lib */

	o->count++;
	if (r->has_amount && r->direction == KMV_DIR_OUT)
		o->out_fen += r->amount;
	else if (r->has_amount && r->direction == KMV_DIR_IN)
		o->in_fen += r->amount;
	if (o->format == FMT_CSV)
		return csv_row(o, r);
	if (o->format == FMT_TABLE) {
		table_row(o, r);
		return 0;
	}
	kmv_json_object_begin(&o->json);
	kmv_record_json_fields(&o->json, r, NULL, KMV_LANG_LOCALE);
	if (row->tags_json) {
		kmv_json_key(&o->json, "tags");
		kmv_json_raw(&o->json, row->tags_json);
	}
	if (r->deleted_at) {
		kmv_json_kv_bool(&o->json, "voided", true);
		kmv_json_kv_string(&o->json, "voided_at", r->deleted_at);
	}
	kmv_json_object_end(&o->json);
	return 0;
}

static int parse_money(bool *has, int64_t *fen, const char *opt,
		       const char *value)
{
	if (kmv_money_parse(fen, value) < 0)
		return cli_error_usage(
			"%s: bad amount '%s' (expected yuan, e.g. "
			"9.90 or 1,000.50: a comma only separates "
			"thousands)",
			opt, value);
	*has = true;
	return 0;
}

/*
 * Phase 1: the options into the query, the output format and --totals.
 * -1 to go on, else the exit code (0 when the help was printed).
 */
static int parse_options(int argc, char **argv, cli_state *cli,
			 kmv_query_options *q, struct out *o, bool *totals)
{
	int c, ret;

	optind = 0;
	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'k': {
			kmv_record_kind kind;

			if (kmv_record_kind_parse(&kind, optarg) < 0)
				return cli_error_usage(
					"--kind: unknown kind '%s' "
					"(order, payment, receipt)",
					optarg);
			q->kind = kmv_record_kind_name(kind);
			break;
		}
		case 'f':
			if (kmv_query_parse_time(&q->from_ts, optarg, false) <
			    0)
				return cli_error_usage("--from: %s",
						       kmv_error_last());
			q->has_from = true;
			break;
		case 't':
			if (kmv_query_parse_time(&q->to_ts, optarg, true) < 0)
				return cli_error_usage("--to: %s",
						       kmv_error_last());
			q->has_to = true;
			break;
		case 'p': q->platform = optarg; break;
		case 'g': q->tag = optarg; break;
		case 'V': q->include_void = true; break;
		case 'm': q->merchant = optarg; break;
		case 's': q->status = optarg; break;
		case 'a':
			if ((ret = parse_money(&q->has_min, &q->min_fen,
					       "--min", optarg)))
				return ret;
			break;
		case 'b':
			if ((ret = parse_money(&q->has_max, &q->max_fen,
					       "--max", optarg)))
				return ret;
			break;
		case 'x': q->text = optarg; break;
		case 'o': q->order_no = optarg; break;
		case 'T': *totals = true; break;
		case 'l':
			if ((ret = cli_parse_int(&q->limit, "--limit",
						 optarg)) != 0)
				return ret;
			break;
		case 'F':
			if (strcmp(optarg, "table") == 0)
				o->format = FMT_TABLE;
			else if (strcmp(optarg, "csv") == 0)
				o->format = FMT_CSV;
			else if (strcmp(optarg, "json") == 0)
				o->format = FMT_JSON;
			else
				return cli_error_usage(
					"--format: expected table, "
					"csv or json, not '%s'",
					optarg);
			break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind < argc)
		return cli_error_usage("unexpected argument '%s' (see 'kmvault "
				       "query --help')",
				       argv[optind]);
	return -1;
}

/* Phase 2: --status names a status the vault knows. */
static int check_status(kmv_vault *vault, const char *status)
{
	bool known;
	int error;

	if (!status)
		return 0;
	if ((error = kmv_query_status_known(vault, status, &known)) < 0)
		return cli_error_lib(error);
	if (!known)
		return cli_error_usage(
			_("--status: unknown status '%s' "
			  "(payments: %s; orders: %s; or a raw status word "
			  "such as 交易成功)"),
			status, KMV_QUERY_PAYMENT_STATUSES,
			KMV_QUERY_ORDER_STATES);
	return 0;
}

/* Phase 3: the table's columns and the document's head. */
static int begin_output(struct out *o)
{
	static const char *const headers[] = { N_("ID"),       N_("TIME"),
					       N_("KIND"),     N_("PLATFORM"),
					       N_("MERCHANT"), N_("PRODUCT"),
					       N_("AMOUNT"),   N_("DIR"),
					       N_("STATUS"),   N_("NUMBER") };

	cli_table_init(&o->table, NELEM(headers), headers);
	o->table.right[0] = o->table.right[6] = true;
	/* Text may be shortened on a terminal; numbers never.  Too narrow
	 * even so: kind, direction, platform, then the number are left out
	 * ('show ID' has them all). */
	o->table.shrink[3] = o->table.shrink[4] = o->table.shrink[5] = true;
	o->table.shrink[8] = true;
	o->table.drop[2] = 1;
	o->table.drop[7] = 2;
	o->table.drop[3] = 3;
	o->table.drop[9] = 4;
	if (o->format == FMT_JSON) {
		kmv_json_init(&o->json, &o->buf, false);
		kmv_json_array_begin(&o->json);
	} else if (o->format == FMT_CSV) {
		if (kmv_report_csv_line(&o->buf, csv_headers, NULL,
					NELEM(csv_headers)) < 0)
			return cli_error_lib(KMV_ERROR);
	}
	return 0;
}

/* Phase 4: the rows as a document, or the table through the pager. */
static int end_output(cli_state *cli, struct out *o)
{
	if (o->format == FMT_JSON) {
		kmv_json_array_end(&o->json);
		if (kmv_json_finish(&o->json) < 0)
			return cli_error_lib(KMV_ERROR);
		kmv_buf_putc(&o->buf, '\n');
		cli_write(&o->buf);
	} else if (o->format == FMT_CSV) {
		cli_write(&o->buf);
	} else if (o->count == 0) {
		cli_note(cli, "no records match");
	} else {
		cli_pager_start(cli);
		cli_table_print_tty(&o->table, stdout, 28, cli);
		cli_pager_end();
	}
	return 0;
}

/* Phase 5: the totals line, on a terminal or when asked. */
static void print_totals(cli_state *cli, const struct out *o, bool totals)
{
	char out_yuan[KMV_MONEY_BUFSZ], in_yuan[KMV_MONEY_BUFSZ];
	/* --totals under a table goes with it; documents stay clean */
	FILE *to = totals && o->format == FMT_TABLE && !cli->tty_out ? stdout
								     : stderr;

	if (!totals && !(cli->tty_out && !cli->quiet))
		return;
	kmv_money_format(out_yuan, o->out_fen);
	kmv_money_format(in_yuan, o->in_fen);
	fflush(stdout);
	fprintf(to,
		P_("%lld record, total out ¥%s, in ¥%s\n",
		   "%lld records, total out ¥%s, in ¥%s\n", o->count),
		(long long)o->count, out_yuan, in_yuan);
}

int cmd_query(int argc, char **argv, cli_state *cli)
{
	kmv_query_options q = KMV_QUERY_OPTIONS_INIT;
	struct out o;
	kmv_vault *vault = NULL;
	bool totals = false;
	int ret, error;

	memset(&o, 0, sizeof(o));
	o.format = cli->json ? FMT_JSON : FMT_TABLE;
	kmv_buf_init(&o.buf, 0);
	if ((ret = parse_options(argc, argv, cli, &q, &o, &totals)) >= 0)
		return ret;
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	if ((ret = check_status(vault, q.status)) != 0)
		return ret;
	if ((ret = begin_output(&o)) != 0)
		goto done;
	error = kmv_query_run(vault, &q, print_row, &o);
	if (error < 0) {
		ret = error == KMV_EUSAGE
			      ? cli_error_usage("%s", kmv_error_last())
			      : cli_error_lib(error);
		goto done;
	}
	if ((ret = end_output(cli, &o)) != 0)
		goto done;
	print_totals(cli, &o, totals);
done:
	cli_table_dispose(&o.table);
	kmv_buf_dispose(&o.buf);
	return ret;
}
