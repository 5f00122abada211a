/* SPDX-License-Identifier: MIT */
/*
 * The option-table machinery (see opt.h): parsing with named errors,
 * synopsis and help text.  The man page and completion generators that
 * read the same tables are in docs.c.
 */
#include "opt.h"
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "kmv/i18n.h"
#include "kmvutil/text.h"

#define MAX_OPTS 64
#define HELP_WIDTH 79

const cli_usage *cli_usage_find(const char *command, const char *verb)
{
	size_t n = strlen(command);

	for (const cli_usage *const *u = kmv_usages; *u; u++) {
		const char *name = (*u)->command;

		if (strncmp(name, command, n) != 0)
			continue;
		if (!verb && name[n] == '\0')
			return *u;
		if (verb && name[n] == ' ' && strcmp(name + n + 1, verb) == 0)
			return *u;
	}
	return NULL;
}

static bool is_option(const cli_opt *o)
{
	return o->type == CLI_OPT_SWITCH || o->type == CLI_OPT_VALUE;
}

/* The table the running command parses with; NULL when it has none. */
static const cli_usage *current_usage(const cli_state *cli)
{
	const cli_usage *u = cli_usage_find(cli->command, cli->verb);

	return u ? u : cli_usage_find(cli->command, NULL);
}

static const cli_opt *find_long(const cli_opt *opts, const char *name,
				size_t len, size_t *matches)
{
	const cli_opt *hit = NULL;

	*matches = 0;
	for (const cli_opt *o = opts; o && o->type; o++) {
		if (!is_option(o) || strncmp(o->name, name, len) != 0)
			continue;
		if (o->name[len] == '\0') {
			*matches = 1;
			return o;
		}
		hit = o;
		(*matches)++;
	}
	return *matches == 1 ? hit : NULL;
}

int cli_opt_error(const cli_opt *opts, const char *arg, const char *command,
		  bool missing_value)
{
	size_t len, matches;
	const cli_opt *o;

	if (missing_value)
		return cli_error_usage(
			_("option '%s' needs a value (see 'kmvault "
			  "help %s')"),
			arg, command);
	if (strncmp(arg, "--", 2) != 0)
		return cli_error_usage(_("unknown option '%s' for '%s' (see "
					 "'kmvault help %s')"),
				       arg, command, command);
	len = strcspn(arg + 2, "=");
	o = find_long(opts, arg + 2, len, &matches);
	if (matches > 1)
		return cli_error_usage(
			_("option '%.*s' is ambiguous for '%s' (see "
			  "'kmvault help %s')"),
			(int)len + 2, arg, command, command);
	if (o && o->type == CLI_OPT_SWITCH && arg[len + 2] == '=')
		return cli_error_usage(_("option '--%s' takes no value"),
				       o->name);
	return cli_error_usage(_("unknown option '%.*s' for '%s' (see "
				 "'kmvault help %s')"),
			       (int)len + 2, arg, command, command);
}

int cli_getopt(int argc, char **argv, cli_state *cli)
{
	static struct option longopts[MAX_OPTS + 1];
	static char shortopts[2 * MAX_OPTS + 4];
	static const cli_usage *built;
	const cli_usage *u = current_usage(cli);
	const cli_opt *opts = u ? u->opts : NULL;
	char name[128], who[128];
	int c;

	if (u != built) {
		size_t n = 0, s = 0;

		memset(longopts, 0, sizeof(longopts));
		shortopts[s++] = ':';
		shortopts[s++] = 'h';
		for (const cli_opt *o = opts; o && o->type && n < MAX_OPTS;
		     o++) {
			if (!is_option(o))
				continue;
			longopts[n].name = o->name;
			longopts[n].has_arg = o->type == CLI_OPT_VALUE
						      ? required_argument
						      : no_argument;
			longopts[n].val = o->val;
			n++;
			if (o->alias) {
				shortopts[s++] = o->alias;
				if (o->type == CLI_OPT_VALUE)
					shortopts[s++] = ':';
			}
		}
		longopts[n].name = "help";
		longopts[n].val = 'h';
		shortopts[s] = '\0';
		built = u;
	}
	snprintf(who, sizeof(who), "%s%s%s", cli->command, cli->verb ? " " : "",
		 cli->verb ? cli->verb : "");
	opterr = 0;
	c = getopt_long(argc, argv, shortopts, longopts, NULL);
	if (c == 'h')
		return CLI_OPT_HELP;
	if (c != '?' && c != ':')
		return c;
	if (c == ':' || optopt) {
		const char *arg = optind > 0 && optind <= argc
					  ? argv[optind - 1]
					  : "";

		if (strncmp(arg, "--", 2) == 0) {
			if (c == ':')
				return cli_opt_error(opts, arg, who, true);
			/* --switch=value */
			return cli_opt_error(opts, arg, who, false);
		}
		snprintf(name, sizeof(name), "-%c", optopt);
		return cli_opt_error(opts, name, who, c == ':');
	}
	return cli_opt_error(opts,
			     optind > 0 && optind <= argc ? argv[optind - 1]
							  : "",
			     who, false);
}

int cli_opt_done(int c, cli_state *cli)
{
	if (c == CLI_OPT_HELP) {
		cli_help_print(stdout, cli->command, cli->verb);
		return KMV_EXIT_OK;
	}
	if (c == CLI_OPT_BAD || c == KMV_EXIT_USAGE)
		return KMV_EXIT_USAGE;
	/* A val in the table that the command's switch forgot. */
	return cli_error("internal error: option %d of '%s' is not handled", c,
			 cli->command);
}

/* ---- synopsis and help ---------------------------------------------- */

/* "--kind order|payment|receipt", "-o FILE", "FILE...". */
static void opt_words(kmv_buf *b, const cli_opt *o, bool short_form)
{
	if (o->type == CLI_OPT_ARG || o->type == CLI_OPT_ARGS) {
		kmv_buf_puts(b, o->name);
		if (o->type == CLI_OPT_ARGS)
			kmv_buf_puts(b, "...");
		return;
	}
	if (short_form && o->alias)
		kmv_buf_printf(b, "-%c", o->alias);
	else
		kmv_buf_printf(b, "--%s", o->name);
	if (o->type != CLI_OPT_VALUE)
		return;
	kmv_buf_putc(b, ' ');
	if (o->value_name) {
		kmv_buf_puts(b, o->value_name);
	} else if (o->values) {
		for (const char *v = o->values; *v; v++)
			kmv_buf_putc(b, *v == ' ' ? '|' : *v);
	} else {
		kmv_buf_puts(b, "VALUE");
	}
	if (o->flags & CLI_OPT_REPEAT)
		kmv_buf_puts(b, "...");
}

/*
 * Where a synopsis may break: between the groups of its options and
 * arguments, never inside brackets or between an option and its value.
 * synopsis() puts this byte there; the printer turns it into a space or a
 * line break, cli_synopsis (the one-line form of the docs) into a space.
 */
#define SYNOPSIS_BREAK '\x1f'

/* One synopsis (without "usage: "), options in table order. */
static void synopsis(kmv_buf *b, const cli_usage *u)
{
	kmv_buf_printf(b, "kmvault %s", u->command);
	for (const cli_opt *o = u->opts; o && o->type; o++) {
		bool required = o->flags & CLI_OPT_REQUIRED;
		bool choice = false;

		if (o->flags & CLI_OPT_HIDDEN)
			continue;
		for (const cli_opt *p = o;
		     p->type &&
		     (p->flags & (CLI_OPT_CHOICE | CLI_OPT_WITH_NEXT));
		     p++)
			choice |= (p->flags & CLI_OPT_CHOICE) != 0;
		kmv_buf_putc(b, SYNOPSIS_BREAK);
		if (!required)
			kmv_buf_putc(b, '[');
		else if (choice)
			kmv_buf_putc(b, '(');
		for (;;) {
			opt_words(b, o, o->flags & CLI_OPT_SHORT);
			if (!(o->flags &
			      (CLI_OPT_CHOICE | CLI_OPT_WITH_NEXT)) ||
			    !o[1].type)
				break;
			kmv_buf_puts(b,
				     (o->flags & CLI_OPT_CHOICE) ? " | " : " ");
			o++;
		}
		if (!required)
			kmv_buf_putc(b, ']');
		else if (choice)
			kmv_buf_putc(b, ')');
	}
}

void cli_synopsis(kmv_buf *b, const cli_usage *u)
{
	size_t start = b->size;

	synopsis(b, u);
	for (size_t i = start; i < b->size; i++)
		if (b->ptr[i] == SYNOPSIS_BREAK)
			b->ptr[i] = ' ';
}

void cli_opt_words(kmv_buf *b, const cli_opt *o)
{
	opt_words(b, o, false);
}

/* One character at p: its bytes, its display width in *w (0, 1 or 2). */
static size_t one_char(const char *p, size_t *w)
{
	size_t n = kmv_utf8_prefix_for_width(p, 1, w);

	if (n == 0)
		n = kmv_utf8_prefix_for_width(p, 2, w);
	if (n == 0) { /* not UTF-8: one byte */
		n = 1;
		*w = 1;
	}
	return n;
}

/* Punctuation that never starts a line / never ends one (CJK rules). */
static bool no_line_start(const char *p)
{
	static const char *const closing[] = { "，", "。", "、", "；", "：",
					       "！", "？", "）", "」", "”",
					       "》", "】", "’",  "…" };

	if (*p == ')' || *p == ',' || *p == '.' || *p == ';' || *p == ':')
		return true;
	for (size_t i = 0; i < sizeof(closing) / sizeof(closing[0]); i++)
		if (strncmp(p, closing[i], strlen(closing[i])) == 0)
			return true;
	return false;
}

static bool no_line_end(const char *p, size_t n)
{
	static const char *const opening[] = {
		"（", "「", "“", "《", "【", "‘"
	};

	for (size_t i = 0; i < sizeof(opening) / sizeof(opening[0]); i++)
		if (n == strlen(opening[i]) && memcmp(p, opening[i], n) == 0)
			return true;
	return false;
}

/*
 * The next piece that is never broken: a run of narrow characters (a
 * word), or one wide (CJK) character, with the punctuation that may not
 * be parted from it.  Lines break between pieces: at spaces, and between
 * CJK characters and their neighbours.  Returns its bytes; *w its width.
 */
static size_t piece(const char *p, size_t *w)
{
	bool prev_wide = false, prev_opening = false;
	size_t n = 0;

	*w = 0;
	while (p[n] && p[n] != ' ' && p[n] != '\n') {
		size_t cw, k = one_char(p + n, &cw);
		bool glued = prev_opening || no_line_start(p + n);

		/* a wide character, or what follows one, starts a new piece */
		if (n && !glued && (cw == 2 || prev_wide))
			break;
		prev_wide = cw == 2;
		prev_opening = no_line_end(p + n, k);
		n += k;
		*w += cw;
	}
	return n;
}

/*
 * A quoted command ('kmvault help rules', “kmvault help rules”) is kept on
 * one line: its bytes (with the punctuation glued after it), or 0 when p
 * starts no such quote.
 */
static size_t quoted(const char *p, size_t *w)
{
	const char *open = *p == '\'' ? "'" : "“",
		   *close = *p == '\'' ? "'" : "”";
	const char *end;
	size_t n, cw;

	if (strncmp(p, open, strlen(open)) != 0 ||
	    !(end = strstr(p + strlen(open), close)) || end - p > 40)
		return 0;
	for (const char *q = p + strlen(open); q < end; q++)
		if ((unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7f)
			return 0;
	n = (size_t)(end - p) + strlen(close);
	*w = 0;
	for (size_t i = 0, k; i < n; i += k) {
		k = one_char(p + i, &cw);
		*w += cw;
	}
	while (p[n] && no_line_start(p + n)) {
		n += one_char(p + n, &cw);
		*w += cw;
	}
	return n;
}

/*
 * Print text wrapped at HELP_WIDTH display columns, every line but the
 * first indented by `indent` (the first continues at column `col`).
 * Explicit newlines are kept.
 */
static void wrap(FILE *out, const char *text, size_t indent, size_t col)
{
	const char *p = text;
	bool space = false;

	while (*p) {
		size_t w, n;

		if (*p == ' ') {
			space = col > indent;
			p++;
			continue;
		}
		if (*p == '\n') {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
			space = false;
			p++;
			continue;
		}
		n = quoted(p, &w);
		if (!n)
			n = piece(p, &w);
		if (col > indent && col + (space ? 1 : 0) + w > HELP_WIDTH) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else if (space) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, n, out);
		col += w;
		p += n;
		space = false;
	}
	fputc('\n', out);
}

/*
 * Print `prefix` and a synopsis from synopsis(), wrapped at HELP_WIDTH
 * display columns between its groups; a continuation line starts under
 * the first argument ("kmvault export --month M" over
 * "                       --format ...").  A group wider than the room
 * left is printed whole: it is one thing to type.
 */
static void print_synopsis(FILE *out, const char *prefix, const char *syn)
{
	const char *group = syn;
	size_t col = kmv_utf8_width(prefix), indent = 0;
	bool fresh = false;

	fputs(prefix, out);
	while (*group) {
		const char *end = strchr(group, SYNOPSIS_BREAK);
		size_t n = end ? (size_t)(end - group) : strlen(group);
		char *text = strndup(group, n);
		size_t w = text ? kmv_utf8_width(text) : n;

		if (group == syn) {
			indent = col + w + 1; /* "kmvault CMD " */
			fresh = true;
		} else if (col + 1 + w > HELP_WIDTH && col > indent) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
			fresh = true;
		}
		if (!fresh) {
			fputc(' ', out);
			col++;
		}
		fwrite(group, 1, n, out);
		col += w;
		fresh = false;
		free(text);
		group += end ? n + 1 : n;
	}
	fputc('\n', out);
}

static void print_options(FILE *out, const cli_opt *opts, size_t indent)
{
	size_t column = 0;

	for (const cli_opt *o = opts; o && o->type; o++) {
		kmv_buf b = KMV_BUF_INIT;
		size_t w;

		if (!is_option(o) || (o->flags & CLI_OPT_HIDDEN) || !o->help)
			continue;
		if (o->alias)
			kmv_buf_printf(&b, "-%c, ", o->alias);
		opt_words(&b, o, false);
		w = b.ptr ? kmv_utf8_width(b.ptr) : 0;
		if (w > column && w <= 24)
			column = w;
		kmv_buf_dispose(&b);
	}
	for (const cli_opt *o = opts; o && o->type; o++) {
		kmv_buf b = KMV_BUF_INIT;
		size_t w;

		if (!is_option(o) || (o->flags & CLI_OPT_HIDDEN) || !o->help)
			continue;
		if (o->alias)
			kmv_buf_printf(&b, "-%c, ", o->alias);
		opt_words(&b, o, false);
		w = kmv_utf8_width(b.ptr);
		fprintf(out, "%*s%s", (int)indent, "", b.ptr);
		if (w > column) {
			fprintf(out, "\n%*s", (int)(indent + column + 2), "");
			wrap(out, _(o->help), indent + column + 2,
			     indent + column + 2);
		} else {
			fprintf(out, "%*s", (int)(column - w + 2), "");
			wrap(out, _(o->help), indent + column + 2,
			     indent + column + 2);
		}
		kmv_buf_dispose(&b);
	}
}

static bool has_options(const cli_opt *opts)
{
	for (const cli_opt *o = opts; o && o->type; o++)
		if (is_option(o) && !(o->flags & CLI_OPT_HIDDEN) && o->help)
			return true;
	return false;
}

/* Text with every line indented (verb paragraphs under their name). */
static void indented(FILE *out, const char *text, const char *first,
		     size_t indent)
{
	bool start = true;

	fprintf(out, "%-*s", (int)indent, first);
	for (const char *p = text; *p; p++) {
		if (start && p != text)
			fprintf(out, "%*s", (int)indent, "");
		fputc(*p, out);
		start = *p == '\n';
	}
	if (!start)
		fputc('\n', out);
}

void cli_help_print(FILE *out, const char *command, const char *verb)
{
	const cli_usage *u = cli_usage_find(command, verb);
	kmv_buf b = KMV_BUF_INIT;

	if (!u)
		return;
	if (u->verbs && !verb) {
		char pad[32];

		snprintf(pad, sizeof(pad), "%*s",
			 (int)kmv_utf8_width(_("usage: ")), "");
		for (size_t i = 0; u->verbs[i]; i++) {
			const cli_usage *v = cli_usage_find(command,
							    u->verbs[i]);

			if (!v)
				continue;
			kmv_buf_clear(&b);
			synopsis(&b, v);
			print_synopsis(out, i ? pad : _("usage: "), b.ptr);
		}
		if (u->description)
			fprintf(out, "\n%s", _(u->description));
		fputc('\n', out);
		for (size_t i = 0; u->verbs[i]; i++) {
			const cli_usage *v = cli_usage_find(command,
							    u->verbs[i]);

			if (!v)
				continue;
			if (v->description)
				indented(out, _(v->description), u->verbs[i],
					 9);
			else
				fprintf(out, "%s\n", u->verbs[i]);
			print_options(out, v->opts, 2);
		}
		if (u->epilogue)
			fprintf(out, "\n%s", _(u->epilogue));
		kmv_buf_dispose(&b);
		return;
	}
	synopsis(&b, u);
	print_synopsis(out, _("usage: "), b.ptr);
	if (u->description)
		fprintf(out, "\n%s", _(u->description));
	if (has_options(u->opts)) {
		fputc('\n', out);
		print_options(out, u->opts, 2);
	}
	if (u->epilogue)
		fprintf(out, "\n%s", _(u->epilogue));
	kmv_buf_dispose(&b);
}

void cli_help_global(FILE *out)
{
	const cli_usage *g = cli_usage_find("", NULL);
	kmv_buf b = KMV_BUF_INIT;

	char pad[32];

	kmv_buf_puts(&b, "kmvault");
	for (const cli_opt *o = cli_global_opts; o->type; o++) {
		if (!(o->flags & CLI_OPT_SYNOPSIS))
			continue;
		kmv_buf_printf(&b, "%c[", SYNOPSIS_BREAK);
		opt_words(&b, o, false);
		kmv_buf_putc(&b, ']');
	}
	kmv_buf_printf(&b, "%cCOMMAND [ARGS...]", SYNOPSIS_BREAK);
	print_synopsis(out, _("usage: "), b.ptr);
	snprintf(pad, sizeof(pad), "%*s", (int)kmv_utf8_width(_("usage: ")),
		 "");
	fprintf(out, "%skmvault --version | --help | COMMAND --help\n", pad);
	fprintf(out, "%skmvault help [COMMAND [VERB]]\n", pad);
	if (g && g->description)
		fprintf(out, "\n%s", _(g->description));
	fputs(_("\nGlobal options (also accepted after the command):\n"), out);
	print_options(out, cli_global_opts, 2);
	fputs(_("\nCommands:\n"), out);
	for (const cli_cmd_spec *c = cli_commands; c->name; c++) {
		fprintf(out, "  %-10s ", c->name);
		wrap(out, _(c->summary), 13, 13);
	}
	if (g && g->epilogue)
		fprintf(out, "\n%s", _(g->epilogue));
	kmv_buf_dispose(&b);
}
