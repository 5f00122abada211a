/* SPDX-License-Identifier: MIT */
/*
 * kmvault __docs man|bash|zsh [DATE]: the man page and the completion
 * scripts, generated from the option tables (usage.c) so that they say
 * exactly what the commands parse.  scripts/gen-docs.sh writes them to
 * docs/kmvault.1, scripts/kmvault.bash-completion and scripts/_kmvault;
 * tests/cli/t0010-docs.sh fails when the committed files are stale.
 */
#include "opt.h"
#include "cli.h"

#include <string.h>

#include "kmvutil/buf.h"

/* ---- man page -------------------------------------------------------- */

/* One line of text for roff: escapes, option dashes as \-. */
static void roff_line(FILE *out, const char *s, size_t len)
{
	if (len && (s[0] == '.' || s[0] == '\''))
		fputs("\\&", out);
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\\')
			fputs("\\e", out);
		else if (c == '-' &&
			 (i == 0 || s[i - 1] == ' ' || s[i - 1] == '-' ||
			  s[i - 1] == '[' || s[i - 1] == '(' ||
			  s[i - 1] == '\'' || s[i - 1] == '|'))
			fputs("\\-", out);
		else
			fputc(c, out);
	}
	fputc('\n', out);
}

static void roff_text(FILE *out, const char *s)
{
	roff_line(out, s, strlen(s));
}

/*
 * Preformatted paragraphs: blank lines start a new paragraph; one whose
 * lines are indented or columned (two spaces inside) stays as it is.
 */
static void roff_paragraphs(FILE *out, const char *text)
{
	const char *p = text;

	while (p && *p) {
		const char *end = strstr(p, "\n\n");
		size_t len = end ? (size_t)(end - p) + 1 : strlen(p);
		bool pre = false;

		for (const char *q = p; q < p + len; q++)
			if ((q == p || q[-1] == '\n') && q[0] == ' ')
				pre = true;
		for (const char *q = p; q + 2 < p + len; q++)
			if (q[0] != ' ' && q[0] != '.' && q[1] == ' ' &&
			    q[2] == ' ')
				pre = true;
		fputs(".PP\n", out);
		if (pre)
			fputs(".nf\n", out);
		for (const char *q = p; q < p + len;) {
			const char *nl = memchr(q, '\n', (size_t)(p + len - q));
			size_t n = nl ? (size_t)(nl - q)
				      : (size_t)(p + len - q);

			if (n)
				roff_line(out, q, n);
			q += n + 1;
		}
		if (pre)
			fputs(".fi\n", out);
		p = end ? end + 2 : NULL;
	}
}

static void roff_options(FILE *out, const cli_opt *opts)
{
	for (const cli_opt *o = opts; o && o->type; o++) {
		kmv_buf b = KMV_BUF_INIT;

		if ((o->type != CLI_OPT_SWITCH && o->type != CLI_OPT_VALUE) ||
		    (o->flags & CLI_OPT_HIDDEN) || !o->help)
			continue;
		if (o->alias)
			kmv_buf_printf(&b, "-%c, ", o->alias);
		cli_opt_words(&b, o);
		fputs(".TP\n", out);
		roff_text(out, b.ptr);
		roff_text(out, o->help);
		kmv_buf_dispose(&b);
	}
}

static void man_synopses(FILE *out, const cli_usage *u)
{
	kmv_buf b = KMV_BUF_INIT;

	fputs(".nf\n", out);
	if (u->verbs) {
		for (size_t i = 0; u->verbs[i]; i++) {
			const cli_usage *v = cli_usage_find(u->command,
							    u->verbs[i]);

			if (!v)
				continue;
			kmv_buf_clear(&b);
			cli_synopsis(&b, v);
			roff_text(out, b.ptr);
		}
	} else {
		cli_synopsis(&b, u);
		roff_text(out, b.ptr);
	}
	fputs(".fi\n", out);
	kmv_buf_dispose(&b);
}

static const char *const environment[][2] = {
	{ "KMVAULT_VAULT",
	  "the vault path (else $XDG_DATA_HOME/kmvault/vault.kmv, "
	  "~/.local/share/kmvault/vault.kmv)" },
	{ "KMVAULT_PASSPHRASE_FILE, KMVAULT_PASSPHRASE_COMMAND, KMVAULT_PASSPHRASE",
	  "passphrase sources, in this order after --passphrase-file" },
	{ "KMVAULT_NEW_PASSPHRASE_FILE", "the new passphrase for passwd" },
	{ "KMVAULT_HOLIDAYS", "the holiday calendar for case reply deadlines "
			      "(else $XDG_CONFIG_HOME/kmvault/holidays)" },
	{ "XDG_CONFIG_HOME",
	  "where the kmvault/ configuration directory is "
	  "(else ~/.config): config (see kmvault config), holidays, passphrase for cron" },
	{ "XDG_DATA_HOME",
	  "where the default vault lives (else ~/.local/share)" },
	{ "KMVAULT_PAGER, PAGER", "the pager for tables on a terminal (else "
				  "'less -FRX'; empty or 'cat' for none)" },
	{ "NO_COLOR",
	  "when set and not empty, no colour unless --color always" },
	{ "COLUMNS",
	  "the terminal's width for tables (else its size, else 80)" },
	{ "LANGUAGE, LC_ALL, LC_MESSAGES, LANG",
	  "the language of messages, in gettext's order (zh_CN gives "
	  "Chinese; the C locale English); documents follow --lang" },
	{ "KMVAULT_LOCALEDIR",
	  "the folder of message catalogs (else the build's locale/ beside "
	  "an uninstalled binary, else share/locale)" },
	{ "KMVAULT_PLUGIN_DIR",
	  "the folder of kmvault's plugins (kmvault-report.so, "
	  "kmvault-pages.so, kmvault-archive.so; else beside an uninstalled "
	  "binary, else lib/kmvault); ignored in set-id programs" },
	{ "KMVAULT_RCLONE",
	  "the rclone program and its leading flags for remote backups "
	  "(else rclone)" },
	{ "KMVAULT_SAMPLES", "the sample folder kmvault demo imports" },
	{ "KMVAULT_NOW",
	  "for tests: the time kmvault takes as now (epoch seconds or a "
	  "time)" },
	{ NULL, NULL }
};

static const char *const exit_codes[][2] = {
	{ "0", "success" },
	{ "1", "other failure (I/O error, disk full, internal error)" },
	{ "2", "usage error: unknown command or option, missing argument, no "
	       "passphrase source" },
	{ "3", "authentication failed: wrong passphrase, recovery key or ZIP "
	       "password" },
	{ "4", "vault or bundle corrupt or tampered" },
	{ "5", "vault locked by another writer" },
	{ "6", "input rejected: unknown or malformed source file" },
	{ "7", "not found: no such record, order or backup" },
	{ NULL, NULL }
};

/* .TH, NAME, SYNOPSIS and DESCRIPTION: what comes before the options. */
static void man_head(FILE *out, const char *date)
{
	const cli_usage *g = cli_usage_find("", NULL);
	kmv_buf b = KMV_BUF_INIT;

	fprintf(out, ".TH KMVAULT 1 \"%s\" \"kmvault %s\" \"User Commands\"\n",
		date, KMV_VERSION);
	fputs(".\\\" Generated by scripts/gen-docs.sh from cmd/usage.c; do not "
	      "edit.\n",
	      out);
	fputs(".nh\n.ad l\n", out);
	fputs(".SH NAME\n"
	      "kmvault \\- encrypted, tamper-evident vault of purchase records, "
	      "payments and receipts\n"
	      ".SH SYNOPSIS\n.nf\n",
	      out);
	kmv_buf_puts(&b, "kmvault");
	for (const cli_opt *o = cli_global_opts; o->type; o++) {
		if (!(o->flags & CLI_OPT_SYNOPSIS))
			continue;
		kmv_buf_puts(&b, " [");
		cli_opt_words(&b, o);
		kmv_buf_puts(&b, "]");
	}
	kmv_buf_puts(&b, " COMMAND [ARGS...]");
	roff_text(out, b.ptr);
	roff_text(out, "kmvault --version | --help | COMMAND --help");
	roff_text(out, "kmvault help [COMMAND [VERB]]");
	fputs(".fi\n.SH DESCRIPTION\n"
	      "kmvault keeps the user's own encrypted copy of every order, "
	      "payment statement and\n"
	      "e-mail receipt from card shops (\\(lq卡盟/发卡\\(rq platforms), "
	      "cross-matches them, flags\n"
	      "duplicate charges and undelivered orders, and builds reports and "
	      "signed evidence bundles.\n",
	      out);
	if (g && g->description)
		roff_paragraphs(out, g->description);
	kmv_buf_dispose(&b);
}

/* One verb of a command: its name, its description as is, its options. */
static void man_verb(FILE *out, const char *command, const char *verb)
{
	const cli_usage *v = cli_usage_find(command, verb);

	if (!v)
		return;
	fprintf(out, ".TP\n.B %s\n", verb);
	if (v->description) {
		fputs(".nf\n", out);
		for (const char *q = v->description; *q;) {
			size_t n = strcspn(q, "\n");

			roff_line(out, q, n);
			q += n + (q[n] == '\n');
		}
		fputs(".fi\n", out);
	}
	if (v->opts && v->opts->type) {
		fputs(".RS\n", out);
		roff_options(out, v->opts);
		fputs(".RE\n", out);
	}
}

/* One command's .SS section under COMMANDS. */
static void man_command(FILE *out, const cli_cmd_spec *c)
{
	const cli_usage *u = cli_usage_find(c->name, NULL);

	fprintf(out, ".SS %s\n", c->name);
	if (!u) {
		roff_text(out, c->summary);
		return;
	}
	man_synopses(out, u);
	if (u->description)
		roff_paragraphs(out, u->description);
	roff_options(out, u->opts);
	for (size_t i = 0; u->verbs && u->verbs[i]; i++)
		man_verb(out, c->name, u->verbs[i]);
	if (u->epilogue)
		roff_paragraphs(out, u->epilogue);
}

/* ENVIRONMENT, EXIT STATUS, FILES and SEE ALSO. */
static void man_tail(FILE *out)
{
	fputs(".SH ENVIRONMENT\n", out);
	for (size_t i = 0; environment[i][0]; i++) {
		fputs(".TP\n", out);
		roff_text(out, environment[i][0]);
		roff_text(out, environment[i][1]);
	}
	fputs(".SH EXIT STATUS\n", out);
	for (size_t i = 0; exit_codes[i][0]; i++)
		fprintf(out, ".TP\n%s\n%s\n", exit_codes[i][0],
			exit_codes[i][1]);
	fputs(".SH FILES\n"
	      ".TP\n"
	      "vault.kmv, vault.kmv.prev, vault.kmv.lock\n"
	      "the vault, its previous generation and the writer lock\n"
	      ".SH SEE ALSO\n"
	      ".BR minisign (1),\n"
	      ".BR sha256sum (1),\n"
	      ".BR crontab (5)\n",
	      out);
}

static int man_page(FILE *out, const char *date)
{
	man_head(out, date);
	fputs(".SH OPTIONS\n"
	      "These global options may come before or after the command.\n",
	      out);
	roff_options(out, cli_global_opts);
	fputs(".SH COMMANDS\n", out);
	for (const cli_cmd_spec *c = cli_commands; c->name; c++)
		man_command(out, c);
	man_tail(out);
	return KMV_EXIT_OK;
}

/* ---- completion ------------------------------------------------------ */

static bool is_opt(const cli_opt *o)
{
	return (o->type == CLI_OPT_SWITCH || o->type == CLI_OPT_VALUE) &&
	       !(o->flags & CLI_OPT_HIDDEN);
}

/* "--a --b --help" of one table. */
static void option_words(kmv_buf *b, const cli_opt *opts)
{
	for (const cli_opt *o = opts; o && o->type; o++)
		if (is_opt(o))
			kmv_buf_printf(b, "--%s ", o->name);
	kmv_buf_puts(b, "--help");
}

static bool takes_files(const cli_opt *opts)
{
	for (const cli_opt *o = opts; o && o->type; o++)
		if ((o->type == CLI_OPT_ARG || o->type == CLI_OPT_ARGS) &&
		    (o->flags & CLI_OPT_FILE))
			return true;
	return false;
}

/* The global options that take a value, "a|b|c" (bash) or "a|b" (zsh). */
static void global_valued(kmv_buf *b)
{
	bool first = true;

	for (const cli_opt *o = cli_global_opts; o->type; o++)
		if (o->type == CLI_OPT_VALUE) {
			kmv_buf_printf(b, "%s--%s", first ? "" : "|", o->name);
			first = false;
		}
}

static void global_words(kmv_buf *b)
{
	for (const cli_opt *o = cli_global_opts; o->type; o++)
		if (is_opt(o) && strcmp(o->name, "help") != 0 &&
		    strcmp(o->name, "version") != 0)
			kmv_buf_printf(b, " --%s", o->name);
}

typedef struct shell {
	bool zsh;
	const char *files; /* complete file names */
	const char *dirs;
	const char *none; /* a value nobody can guess */
} shell;

/* Value completions of one table: "key:--opt) ...;;" lines. */
static void value_cases(FILE *out, const shell *sh, const char *key,
			const cli_opt *opts)
{
	for (const cli_opt *o = opts; o && o->type; o++) {
		const char *what;

		if (!is_opt(o) || o->type != CLI_OPT_VALUE)
			continue;
		fprintf(out, "\t%s\"%s:--%s\") ", sh->zsh ? "(" : "", key,
			o->name);
		if (o->values && !(o->flags & CLI_OPT_FILE)) {
			if (sh->zsh)
				fprintf(out, "compadd -- %s; return ;;\n",
					o->values);
			else
				fprintf(out,
					"COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")); "
					"return ;;\n",
					o->values);
			continue;
		}
		what = (o->flags & CLI_OPT_DIR)    ? sh->dirs
		       : (o->flags & CLI_OPT_FILE) ? sh->files
						   : sh->none;
		fprintf(out, "%s; return ;;\n", what);
	}
}

static void word_case(FILE *out, const shell *sh, const char *key,
		      const char *words, bool files)
{
	fprintf(out, "\t%s\"%s\") list=\"%s\"%s ;;\n", sh->zsh ? "(" : "", key,
		words, files ? "; files=1" : "");
}

/* The commands that have verbs, "a|b|c". */
static void verb_commands(kmv_buf *b)
{
	for (const cli_cmd_spec *c = cli_commands; c->name; c++) {
		const cli_usage *u = cli_usage_find(c->name, NULL);

		if (u && u->verbs)
			kmv_buf_printf(b, "%s%s", b->size ? "|" : "", c->name);
	}
}

/* The function's opening: its locals and the walk that finds cmd and verb. */
static void completion_head(FILE *out, const shell *sh)
{
	const char *paren = sh->zsh ? "(" : "";
	kmv_buf valued = KMV_BUF_INIT, verbs = KMV_BUF_INIT;

	global_valued(&valued);
	verb_commands(&verbs);
	if (sh->zsh)
		fputs("#compdef kmvault\n", out);
	fprintf(out,
		"# %s completion for kmvault (generated by scripts/gen-docs.sh "
		"from cmd/usage.c; do not edit)\n",
		sh->zsh ? "zsh" : "bash");
	fputs("_kmvault()\n{\n", out);
	if (sh->zsh)
		fputs("\tlocal cur=${words[CURRENT]} prev=${words[CURRENT-1]}\n"
		      "\tlocal -a w\n"
		      "\tw=(\"${words[@]}\")\n"
		      "\tlocal n=$CURRENT i=2\n",
		      out);
	else
		fputs("\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
		      "\tlocal -a w=(\"${COMP_WORDS[@]}\")\n"
		      "\tlocal n=$COMP_CWORD i=1\n",
		      out);
	fputs("\tlocal cmd= verb= key= list= files= at=\n"
	      "\t# The command is the first word that is neither a global option\n"
	      "\t# nor its value; the verb, for commands with verbs, the next one.\n"
	      "\twhile [ \"$i\" -lt \"$n\" ]; do\n"
	      "\t\tcase ${w[i]} in\n",
	      out);
	fprintf(out,
		"\t\t%s%s) [ \"${w[i+1]}\" = = ] && i=$((i + 1)); "
		"i=$((i + 1)) ;;\n",
		paren, valued.ptr);
	fprintf(out, "\t\t%s=) i=$((i + 1)) ;;\n", paren);
	fprintf(out, "\t\t%s-*) ;;\n", paren);
	fprintf(out,
		"\t\t%s*)\n"
		"\t\t\tif [ -z \"$cmd\" ]; then\n"
		"\t\t\t\tcmd=${w[i]}; at=$i\n"
		"\t\t\telif [ -z \"$verb\" ] && [ \"$at\" -eq $((i - 1)) ]; then\n"
		"\t\t\t\tcase $cmd in %s%s) verb=${w[i]} ;; esac\n"
		"\t\t\tfi ;;\n"
		"\t\tesac\n"
		"\t\ti=$((i + 1))\n"
		"\tdone\n",
		paren, paren, verbs.ptr);
	kmv_buf_dispose(&valued);
	kmv_buf_dispose(&verbs);
}

/* The cases on "$key:$prev": what the option before the cursor takes. */
static void completion_values(FILE *out, const shell *sh)
{
	fputs("\t[ \"$prev\" = = ] && prev=${w[n-2]}\n"
	      "\tkey=$cmd${verb:+ $verb}\n"
	      "\tcase \"$key:$prev\" in\n",
	      out);
	/* Global valued options, whatever the command. */
	for (const cli_opt *o = cli_global_opts; o->type; o++) {
		if (o->type != CLI_OPT_VALUE)
			continue;
		fprintf(out, "\t%s*:--%s) %s; return ;;\n", sh->zsh ? "(" : "",
			o->name,
			(o->flags & CLI_OPT_FILE) ? sh->files : sh->none);
	}
	for (const cli_cmd_spec *c = cli_commands; c->name; c++) {
		const cli_usage *u = cli_usage_find(c->name, NULL);

		if (!u)
			continue;
		value_cases(out, sh, c->name, u->opts);
		for (size_t i = 0; u->verbs && u->verbs[i]; i++) {
			const cli_usage *v = cli_usage_find(c->name,
							    u->verbs[i]);
			char key[64];

			snprintf(key, sizeof(key), "%s %s", c->name,
				 u->verbs[i]);
			if (v)
				value_cases(out, sh, key, v->opts);
		}
	}
	fputs("\tesac\n", out);
}

/* A command with verbs: the verbs after it, each verb's options after that. */
static void verb_words(FILE *out, const shell *sh, const char *command,
		       const cli_usage *u, const char *globals)
{
	kmv_buf b = KMV_BUF_INIT;

	for (size_t i = 0; u->verbs[i]; i++)
		kmv_buf_printf(&b, "%s ", u->verbs[i]);
	kmv_buf_puts(&b, "--help");
	word_case(out, sh, command, b.ptr, false);
	for (size_t i = 0; u->verbs[i]; i++) {
		const cli_usage *v = cli_usage_find(command, u->verbs[i]);
		char key[64];

		if (!v)
			continue;
		kmv_buf_clear(&b);
		option_words(&b, v->opts);
		kmv_buf_puts(&b, globals);
		snprintf(key, sizeof(key), "%s %s", command, u->verbs[i]);
		word_case(out, sh, key, b.ptr, takes_files(v->opts));
	}
	kmv_buf_dispose(&b);
}

/* The words after one command (help: the command names). */
static void command_words(FILE *out, const shell *sh, const cli_cmd_spec *c,
			  const char *globals)
{
	const cli_usage *u = cli_usage_find(c->name, NULL);
	kmv_buf b = KMV_BUF_INIT;

	if (!u) {
		kmv_buf_puts(&b, "--help");
		word_case(out, sh, c->name, b.ptr, true);
	} else if (u->verbs) {
		verb_words(out, sh, c->name, u, globals);
	} else if (strcmp(c->name, "help") == 0) {
		for (const cli_cmd_spec *h = cli_commands; h->name; h++)
			kmv_buf_printf(&b, "%s ", h->name);
		kmv_buf_puts(&b, "--help");
		word_case(out, sh, c->name, b.ptr, false);
	} else {
		option_words(&b, u->opts);
		kmv_buf_puts(&b, globals);
		word_case(out, sh, c->name, b.ptr, takes_files(u->opts));
	}
	kmv_buf_dispose(&b);
}

/* The cases on "$key": the words that may come next. */
static void completion_words(FILE *out, const shell *sh)
{
	kmv_buf globals = KMV_BUF_INIT, b = KMV_BUF_INIT;

	global_words(&globals);
	fputs("\tcase $key in\n", out);
	for (const cli_cmd_spec *c = cli_commands; c->name; c++)
		kmv_buf_printf(&b, "%s ", c->name);
	kmv_buf_puts(&b, "--version --help");
	kmv_buf_puts(&b, globals.ptr);
	word_case(out, sh, "", b.ptr, false);
	for (const cli_cmd_spec *c = cli_commands; c->name; c++)
		command_words(out, sh, c, globals.ptr);
	fputs("\tesac\n", out);
	kmv_buf_dispose(&globals);
	kmv_buf_dispose(&b);
}

/* Offer the list, or file names when the command takes files. */
static void completion_tail(FILE *out, const shell *sh)
{
	if (sh->zsh)
		fputs("\tif [ -n \"$files\" ] && [ \"${cur#-}\" = \"$cur\" ]; then\n"
		      "\t\t_files\n"
		      "\telse\n"
		      "\t\tcompadd -- ${=list}\n"
		      "\tfi\n"
		      "}\n"
		      "_kmvault \"$@\"\n",
		      out);
	else
		fputs("\tif [ -n \"$files\" ] && [ \"${cur#-}\" = \"$cur\" ]; then\n"
		      "\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
		      "\telse\n"
		      "\t\tCOMPREPLY=($(compgen -W \"$list\" -- \"$cur\"))\n"
		      "\tfi\n"
		      "}\n"
		      "complete -F _kmvault kmvault\n",
		      out);
}

static int completion(FILE *out, bool zsh)
{
	const shell sh = {
		zsh,
		zsh ? "_files" : "COMPREPLY=($(compgen -f -- \"$cur\"))",
		zsh ? "_files -/" : "COMPREPLY=($(compgen -d -- \"$cur\"))",
		zsh ? "return 1" : "COMPREPLY=()",
	};

	completion_head(out, &sh);
	completion_values(out, &sh);
	completion_words(out, &sh);
	completion_tail(out, &sh);
	return KMV_EXIT_OK;
}

/* Every option of every table, "COMMAND[ VERB]<TAB>switch|value<TAB>--name". */
static int option_list(FILE *out)
{
	for (const cli_usage *const *u = kmv_usages; *u; u++) {
		if (!(*u)->command[0])
			continue;
		for (const cli_opt *o = (*u)->opts; o && o->type; o++)
			if (o->type == CLI_OPT_SWITCH ||
			    o->type == CLI_OPT_VALUE)
				fprintf(out, "%s\t%s\t--%s\n", (*u)->command,
					o->type == CLI_OPT_VALUE ? "value"
								 : "switch",
					o->name);
	}
	return KMV_EXIT_OK;
}

int cli_docs(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "man") == 0)
		return man_page(stdout, argc >= 3 ? argv[2] : "");
	if (argc >= 2 && strcmp(argv[1], "bash") == 0)
		return completion(stdout, false);
	if (argc >= 2 && strcmp(argv[1], "zsh") == 0)
		return completion(stdout, true);
	if (argc >= 2 && strcmp(argv[1], "options") == 0)
		return option_list(stdout);
	if (argc >= 2 && strcmp(argv[1], "commands") == 0) {
		/* the commands with an option table (t0010: every command) */
		for (const cli_cmd_spec *c = cli_commands; c->name; c++)
			if (cli_usage_find(c->name, NULL))
				printf("%s\n", c->name);
		return KMV_EXIT_OK;
	}
	return cli_error_usage(
		"usage: kmvault __docs man [DATE] | bash | zsh | "
		"options");
}
