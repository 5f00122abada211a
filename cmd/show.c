/* SPDX-License-Identifier: MIT */
/*
 * kmvault show: one record with provenance, status timeline, links and
 * attachments; an order number lists every record carrying it.  Card
 * secrets arrive masked from the library unless --reveal, which is
 * audited and therefore the only case that opens the vault for writing.
 */
#include "cli.h"
#include "opt.h"

#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include "kmv/i18n.h"
#include "kmvutil/json.h"
#include "kmv/label.h"
#include "kmvutil/money.h"
#include "kmv/match.h"
#include "kmv/edit.h"
#include "kmv/show.h"
#include "kmvutil/text.h"

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

/* The corrections of a record (kmv/edit.h), for JSON and text. */
static int json_history_entry(const kmv_history_entry *e, void *payload)
{
	kmv_json *j = payload;

	kmv_json_object_begin(j);
	kmv_json_kv_string(j, "time", e->time);
	kmv_json_kv_string(j, "user", e->who);
	kmv_json_kv_string(j, "action", e->action);
	if (e->field)
		kmv_json_kv_string(j, "field", e->field);
	if (e->rule)
		kmv_json_kv_string(j, "rule", e->rule);
	if (strcmp(e->action, "edit") == 0 || strcmp(e->action, "tag") == 0) {
		kmv_json_kv_string(j, "old", e->old_value);
		kmv_json_kv_string(j, "new", e->new_value);
	} else if (e->new_value) {
		kmv_json_kv_string(j, "reason", e->new_value);
	}
	kmv_json_object_end(j);
	return 0;
}

/* An edited field in words ("tags" -> 标签); a field from a newer vault
 * as it is. */
static const char *field_words(const char *field)
{
	if (strcmp(field, "tag") == 0)
		field = "tags";
	return kmv_label_known(KMV_LABEL_EXTRA, field)
		       ? kmv_label(KMV_LABEL_EXTRA, field)
		       : field;
}

static int print_history_entry(const kmv_history_entry *e, void *payload)
{
	bool *first = payload;
	char when[32], by[160] = "";

	if (*first)
		cli_printf("  %s\n", _("history"));
	*first = false;
	/* "2026-03-10T12:00:00+08:00" -> "2026-03-10 12:00:00" */
	snprintf(when, sizeof(when), "%.19s", e->time ? e->time : "");
	if (strlen(when) > 10)
		when[10] = ' ';
	/* a change a categorising rule made names it */
	if (e->rule)
		snprintf(by, sizeof(by), _(" (rule %s)"), e->rule);
	if (strcmp(e->action, "edit") == 0 || strcmp(e->action, "tag") == 0)
		/* TRANSLATORS: a history line: time, user, the field's
		 * words, old value, new value, " (rule R)" */
		cli_printf(_("    %s  %s  %s: %s -> %s%s\n"), when,
			   e->who ? e->who : "-",
			   field_words(e->field ? e->field : e->action),
			   e->old_value ? e->old_value : _("(none)"),
			   e->new_value ? e->new_value : _("(none)"), by);
	else
		cli_printf("    %s  %s  %s%s%s\n", when, e->who ? e->who : "-",
			   strcmp(e->action, "void") == 0 ? _("voided")
							  : _("unvoided"),
			   e->new_value ? _(": ") : "",
			   e->new_value ? e->new_value : "");
	return 0;
}

/* A link's explanation in the user's language (kmv/match.h). */
static const char *link_words(kmv_buf *out, const kmv_show_link *l)
{
	if (kmv_match_explain(out, l->explanation, l->rule, l->manual,
			      KMV_LANG_LOCALE) < 0 ||
	    !out->ptr)
		return "-";
	return out->ptr;
}

/* The states the record went through, each with the file that said so. */
static void json_timeline(kmv_json *j, const kmv_show_item *it)
{
	kmv_json_key(j, "timeline");
	kmv_json_array_begin(j);
	for (size_t i = 0; i < it->ntimeline; i++) {
		const kmv_show_state *s = &it->timeline[i];

		kmv_json_object_begin(j);
		kmv_json_kv_string(j, "state", s->state);
		kmv_json_kv_string(j, "label",
				   kmv_label(KMV_LABEL_STATUS, s->state));
		kmv_json_kv_string(j, "state_raw", s->state_raw);
		kmv_json_kv_string(j, "event_time", s->event_time);
		kmv_json_kv_string(j, "seen_at", s->seen_at);
		kmv_json_key(j, "source");
		kmv_json_object_begin(j);
		kmv_json_kv_int(j, "id", s->source_id);
		kmv_json_kv_string(j, "file", s->source_name);
		kmv_json_object_end(j);
		kmv_json_object_end(j);
	}
	kmv_json_array_end(j);
}

/* The records linked to this one, the rule and its words. */
static void json_links(kmv_json *j, const kmv_show_item *it)
{
	kmv_buf words = KMV_BUF_INIT;

	kmv_json_key(j, "links");
	kmv_json_array_begin(j);
	for (size_t i = 0; i < it->nlinks; i++) {
		const kmv_show_link *l = &it->links[i];

		kmv_json_object_begin(j);
		kmv_json_kv_int(j, "id", l->id);
		kmv_json_kv_int(j, "record", l->other_id);
		kmv_json_kv_string(j, "direction", l->outgoing ? "to" : "from");
		kmv_json_kv_string(j, "kind", l->other_kind);
		kmv_json_kv_string(j, "order_no", l->other_order_no);
		kmv_json_kv_string(j, "time", l->other_time);
		kmv_json_kv_string(j, "merchant", l->other_merchant);
		if (l->other_has_amount)
			kmv_json_kv_money(j, "amount", l->other_amount);
		else
			kmv_json_kv_string(j, "amount", NULL);
		kmv_json_kv_string(j, "rule", l->rule);
		kmv_json_key(j, "score");
		kmv_json_double(j, l->score);
		/* the words in the reader's language; the code and facts as
		 * stored (null for a vault's text from before the codes) */
		kmv_json_kv_string(j, "explanation", link_words(&words, l));
		kmv_json_key(j, "reason");
		if (kmv_match_explain_coded(l->explanation))
			kmv_json_raw(j, l->explanation);
		else
			kmv_json_null(j);
		kmv_json_kv_int(j, "manual", l->manual);
		kmv_json_kv_string(j, "created_at", l->created_at);
		kmv_json_kv_string(j, "rule_label",
				   kmv_label(KMV_LABEL_RULE, l->rule));
		kmv_json_object_end(j);
	}
	kmv_json_array_end(j);
	kmv_buf_dispose(&words);
}

/* The files attached to the record (kmvault attach), by digest. */
static void json_attachments(kmv_json *j, const kmv_show_item *it)
{
	kmv_json_key(j, "attachments");
	kmv_json_array_begin(j);
	for (size_t i = 0; i < it->nattachments; i++) {
		const kmv_show_attachment *a = &it->attachments[i];

		kmv_json_object_begin(j);
		kmv_json_kv_int(j, "id", a->id);
		kmv_json_kv_string(j, "name", a->name);
		kmv_json_kv_string(j, "mime", a->mime);
		kmv_json_kv_int(j, "size", a->size);
		kmv_json_kv_string(j, "sha256", a->sha256);
		kmv_json_kv_string(j, "note", a->note);
		kmv_json_kv_string(j, "created_at", a->created_at);
		kmv_json_object_end(j);
	}
	kmv_json_array_end(j);
}

static void json_item(kmv_json *j, const kmv_show_item *it, bool revealed,
		      kmv_vault *vault)
{
	const kmv_record *r = &it->rec;
	kmv_record_source_more more = { it->source.kind, it->source.sha256,
					it->source.parent_id,
					it->source.parent_name };

	kmv_record_json_fields(j, r, &more, KMV_LANG_LOCALE);
	kmv_json_kv_bool(j, "card_secret_revealed",
			 revealed && it->has_card_secret);
	if (r->extra_json) {
		kmv_json_key(j, "extra");
		kmv_json_raw(j, r->extra_json);
	}
	kmv_json_kv_string(j, "created_at", r->created_at);
	kmv_json_kv_string(j, "updated_at", r->updated_at);
	if (r->deleted_at)
		kmv_json_kv_string(j, "deleted_at", r->deleted_at);
	kmv_json_kv_bool(j, "voided", r->deleted_at != NULL);
	kmv_json_key(j, "history");
	kmv_json_array_begin(j);
	/* A failure leaves the list short: show still shows the record. */
	(void)kmv_record_history(vault, r->id, json_history_entry, j);
	kmv_json_array_end(j);

	json_timeline(j, it);
	json_links(j, it);
	json_attachments(j, it);
}

static int print_json(const kmv_show_result *res, bool revealed,
		      kmv_vault *vault)
{
	kmv_buf out = KMV_BUF_INIT;
	kmv_json j;
	int error;

	kmv_json_init(&j, &out, false);
	kmv_json_object_begin(&j);
	json_item(&j, &res->items[0], revealed, vault);
	kmv_json_kv_int(&j, "matches", (int64_t)res->matched);
	kmv_json_key(&j, "related");
	kmv_json_array_begin(&j);
	for (size_t i = 1; i < res->count; i++) {
		kmv_json_object_begin(&j);
		json_item(&j, &res->items[i], revealed, vault);
		kmv_json_kv_bool(&j, "same_number", i < res->matched);
		kmv_json_object_end(&j);
	}
	kmv_json_array_end(&j);
	kmv_json_object_end(&j);
	kmv_buf_putc(&out, '\n');
	error = kmv_json_finish(&j);
	if (error == 0)
		cli_write(&out);
	kmv_buf_dispose(&out);
	return error < 0 ? cli_error_lib(error) : KMV_EXIT_OK;
}

/* One "  name   value" line; names are padded by display width (CJK). */
static void field(const char *name, const char *value)
{
	size_t w = kmv_utf8_width(name);

	if (value && *value)
		cli_printf("  %s%*s %s\n", name, w < 15 ? (int)(15 - w) : 0, "",
			   value);
}

/*
 * The status in words, and the source's own word for it when that is a
 * word ("交易成功"), not a code ("2", "success"): a code says nothing the
 * label does not, and human output never shows one.
 */
static const char *status_words(char *buf, size_t size, const kmv_record *r)
{
	const char *label = r->status ? kmv_label(KMV_LABEL_STATUS, r->status)
				      : NULL;
	bool raw_is_word = false;

	for (const char *p = r->status_raw; p && *p; p++)
		if ((unsigned char)*p >= 0x80)
			raw_is_word = true;
	if (!label)
		return raw_is_word ? r->status_raw : NULL;
	if (!raw_is_word || strcmp(label, r->status_raw) == 0)
		return label;
	snprintf(buf, size, _("%s (the source says %s)"), label, r->status_raw);
	return buf;
}

static const char *kind_words(kmv_record_kind kind)
{
	return kmv_label(KMV_LABEL_KIND, kmv_record_kind_name(kind));
}

/* A field OCR was unsure of, marked so where it is shown. */
static const char *checked(char *buf, size_t size, const kmv_record *r,
			   const char *name, const char *value)
{
	if (!value || !kmv_show_unverified(r, name))
		return value;
	snprintf(buf, size,
		 _("%s  [unverified: the OCR was unsure; check it "
		   "against the picture, match never uses it]"),
		 value);
	return buf;
}

/* The record's time as stored: ISO 8601 with the source's offset. */
static const char *time_text(char when[KMV_TIME_BUFSZ], const kmv_record *r)
{
	return r->has_time ? kmv_time_format(when, &r->time) : NULL;
}

static int extra_line(const char *label, const char *value, void *payload)
{
	(void)payload;
	field(label, value);
	return 0;
}

/* The record's own fields, one a line ("platform", "time", ...). */
static void print_fields(const kmv_show_item *it)
{
	const kmv_record *r = &it->rec;
	char money[KMV_MONEY_BUFSZ], buf[512], mark[640], when[KMV_TIME_BUFSZ];
	const char *number = checked(mark, sizeof(mark), r, "order_no",
				     r->order_no);

	cli_printf("%s #%" PRId64 "%s%s%s\n", kind_words(r->kind), r->id,
		   number ? "  " : "", number ? number : "",
		   r->deleted_at ? _("  voided ('kmvault unvoid' brings it "
				     "back)")
				 : "");
	field(_("platform"),
	      r->platform
		      ? checked(mark, sizeof(mark), r, "platform", r->platform)
	      : r->kind == KMV_KIND_ORDER || r->kind == KMV_KIND_RECEIPT
		      ? _("未知店铺 (unknown shop; set it with 'kmvault "
			  "edit ID --platform NAME')")
		      : NULL);
	field(_("merchant"), r->merchant);
	field(_("time"),
	      checked(mark, sizeof(mark), r, "time", time_text(when, r)));
	if (r->has_amount) {
		snprintf(buf, sizeof(buf), "%s%s",
			 r->direction == KMV_DIR_IN ? "+" : "",
			 kmv_money_format(money, r->amount));
		field(_("amount"),
		      checked(mark, sizeof(mark), r, "amount", buf));
	}
	if (kmv_direction_name(r->direction))
		field(_("direction"),
		      kmv_label(KMV_LABEL_DIRECTION,
				kmv_direction_name(r->direction)));
	field(_("status"), status_words(buf, sizeof(buf), r));
	field(_("product"),
	      checked(mark, sizeof(mark), r, "product", r->product));
	if (r->quantity > 0) {
		snprintf(buf, sizeof(buf), "%" PRId64, r->quantity);
		field(_("quantity"), buf);
	}
	if (r->unit_price > 0)
		field(_("unit price"), kmv_money_format(money, r->unit_price));
	field(_("payment no"),
	      checked(mark, sizeof(mark), r, "payment_no", r->payment_no));
	field(_("merchant order"), r->merchant_order_no);
	field(_("payment method"), r->payment_method);
	field(_("category"), r->category);
	field(_("counterparty"), r->counterparty_account);
	field(_("card secret"), r->card_secret);
	field(_("memo"), r->memo);
}

/* The file the record came from, and where in it. */
static void print_source(const kmv_show_item *it)
{
	char buf[512], id[32];
	const char *kind;

	if (!it->source.id)
		return;
	kind = it->source.kind ? kmv_label(KMV_LABEL_SOURCE, it->source.kind)
			       : "-";
	snprintf(id, sizeof(id), "#%" PRId64, it->source.id);
	if (it->source.parent_name)
		/* TRANSLATORS: a record's source: "#ID FILE (KIND)
		 * in ARCHIVE" */
		snprintf(buf, sizeof(buf), _("%s %s (%s) in %s"), id,
			 or_dash(it->source.name), kind,
			 it->source.parent_name);
	else
		/* TRANSLATORS: a record's source: "#ID FILE (KIND)" */
		snprintf(buf, sizeof(buf), _("%s %s (%s)"), id,
			 or_dash(it->source.name), kind);
	field(_("source"), buf);
	if (it->source.line) {
		snprintf(buf, sizeof(buf), "%" PRId64, it->source.line);
		field(_("line"), buf);
	}
	field("sha256", it->source.sha256);
}

/* The imported and updated times and the importer's other facts. */
static void print_times(const kmv_show_item *it)
{
	const kmv_record *r = &it->rec;

	field(_("imported"), r->created_at);
	if (r->updated_at && r->created_at &&
	    strcmp(r->updated_at, r->created_at) != 0)
		field(_("updated"), r->updated_at);
	/* the importer's other facts, as words (never raw JSON) */
	(void)kmv_show_extra_foreach(r, extra_line, NULL);
}

/* The order's states as they were seen, file by file. */
static void print_timeline(const kmv_show_item *it)
{
	size_t w;

	if (!it->ntimeline)
		return;
	w = kmv_utf8_width(_("timeline"));

	cli_printf("  %s%*s ", _("timeline"), w < 15 ? (int)(15 - w) : 0, "");
	for (size_t i = 0; i < it->ntimeline; i++)
		cli_printf("%s%s", i ? " → " : "",
			   kmv_label(KMV_LABEL_STATUS, it->timeline[i].state));
	cli_printf("\n");
	for (size_t i = 0; i < it->ntimeline; i++) {
		const kmv_show_state *s = &it->timeline[i];
		const char *label = kmv_label(KMV_LABEL_STATUS, s->state);
		size_t lw = kmv_utf8_width(label);

		cli_printf("    %s%*s ", label, lw < 10 ? (int)(10 - lw) : 0,
			   "");
		if (s->event_time)
			/* TRANSLATORS: the state's own time, when it
			 * was seen, from which file */
			cli_printf(_("%s, seen %s from %s\n"), s->event_time,
				   or_dash(s->seen_at),
				   or_dash(s->source_name));
		else
			cli_printf(_("seen %s from %s\n"), or_dash(s->seen_at),
				   or_dash(s->source_name));
	}
}

/* The links to other records, with the rule and why. */
static void print_links(const kmv_show_item *it)
{
	char money[KMV_MONEY_BUFSZ];
	kmv_buf words = KMV_BUF_INIT;

	if (!it->nlinks)
		return;
	cli_printf("  %s\n", _("links"));
	for (size_t i = 0; i < it->nlinks; i++) {
		const kmv_show_link *l = &it->links[i];

		char other[32];

		snprintf(other, sizeof(other), "#%" PRId64, l->other_id);
		/* TRANSLATORS: a link: arrow, "#ID", the other
		 * record's kind, time, amount, rule, score, " (manual)",
		 * the explanation */
		cli_printf(_("    %s %s %s %s %s  %s %.2f%s: %s\n"),
			   l->outgoing ? "->" : "<-", other,
			   l->other_kind
				   ? kmv_label(KMV_LABEL_KIND, l->other_kind)
				   : "-",
			   or_dash(l->other_time),
			   l->other_has_amount
				   ? kmv_money_format(money, l->other_amount)
				   : "-",
			   l->rule ? kmv_label(KMV_LABEL_RULE, l->rule) : "-",
			   l->score,
			   l->manual > 0   ? _(" (manual)")
			   : l->manual < 0 ? _(" (removed by unlink)")
					   : "",
			   link_words(&words, l));
	}
	kmv_buf_dispose(&words);
}

static void print_attachments(const kmv_show_item *it)
{
	if (!it->nattachments)
		return;
	cli_printf("  %s\n", _("attachments"));
	for (size_t i = 0; i < it->nattachments; i++) {
		const kmv_show_attachment *a = &it->attachments[i];

		cli_printf(_("    #%" PRId64 " %s  %s  %" PRId64
			     " bytes  sha256 "
			     "%.16s%s%s\n"),
			   a->id, or_dash(a->name), or_dash(a->mime), a->size,
			   or_dash(a->sha256), a->note ? "  " : "",
			   a->note ? a->note : "");
	}
}

static void print_item(const kmv_show_item *it, kmv_vault *vault)
{
	bool first = true;

	print_fields(it);
	print_source(it);
	print_times(it);
	print_timeline(it);
	print_links(it);
	print_attachments(it);
	(void)kmv_record_history(vault, it->rec.id, print_history_entry,
				 &first);
}

static void print_text(const kmv_show_result *res, kmv_vault *vault)
{
	char money[KMV_MONEY_BUFSZ], when[KMV_TIME_BUFSZ];

	for (size_t i = 0; i < res->matched; i++) {
		if (i)
			cli_printf("\n");
		print_item(&res->items[i], vault);
	}
	if (res->count > res->matched) {
		cli_printf("\n%s\n", _("related"));
		for (size_t i = res->matched; i < res->count; i++) {
			const kmv_show_item *it = &res->items[i];
			const char *kind = kind_words(it->rec.kind);
			size_t kw = kmv_utf8_width(kind);

			cli_printf("  #%" PRId64 " %s%*s %s  %s  %s  %s\n",
				   it->rec.id, kind, kw < 8 ? (int)(8 - kw) : 0,
				   "", or_dash(time_text(when, &it->rec)),
				   it->rec.has_amount
					   ? kmv_money_format(money,
							      it->rec.amount)
					   : "-",
				   or_dash(it->rec.order_no),
				   or_dash(it->rec.merchant
						   ? it->rec.merchant
						   : it->rec.platform));
		}
	}
}

int cmd_show(int argc, char **argv, cli_state *cli)
{
	kmv_show_options sopts = KMV_SHOW_OPTIONS_INIT;
	kmv_show_result *res = NULL;
	kmv_vault *vault = NULL;
	int c, ret, error;

	while ((c = cli_getopt(argc, argv, cli)) != -1) {
		switch (c) {
		case 'r': sopts.reveal = true; break;
		default: return cli_opt_done(c, cli);
		}
	}
	if (optind >= argc)
		return cli_error_usage(
			_("show what? give a record id or an order "
			  "number (see 'kmvault show --help')"));
	if (optind + 1 < argc)
		return cli_error_extra_arg(argv[optind + 1]);
	/* Secrets on a screen someone may be looking at: ask first. */
	if (sopts.reveal && cli->tty_out &&
	    !cli_confirm(
		    _("Show the card secrets in full (the reveal is written "
		      "to the audit log)? [y/N] "))) {
		cli_note(cli, _("card secrets stay masked"));
		sopts.reveal = false;
	}
	/* Only a reveal writes (its audit event); plain show takes no lock. */
	if (!sopts.reveal)
		cli->mode = CLI_CMD_VAULT_RO;
	if ((ret = cli_vault(cli, &vault)) != 0)
		return ret;
	error = kmv_show_lookup(&res, vault, argv[optind], &sopts);
	if (error < 0)
		return cli_error_lib(error);
	/* The lookup wrote the reveal's audit events: save them. */
	if (sopts.reveal && (ret = cli_save(cli)) != 0)
		goto done;
	if (cli->json)
		ret = print_json(res, sopts.reveal, vault);
	else
		print_text(res, vault);
done:
	kmv_show_result_free(res);
	return ret;
}
