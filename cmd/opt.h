/* SPDX-License-Identifier: MIT */
#ifndef KMV_CLI_OPT_H
#define KMV_CLI_OPT_H

/*
 * One option table per command (libgit2's cli_opt habit): the table is
 * what the command parses (cli_getopt builds getopt_long's array from
 * it), what `--help` and `kmvault help CMD` print, and what the man page
 * and the bash/zsh completion are generated from (`kmvault __docs`,
 * scripts/gen-docs.sh), so the four cannot drift apart.
 *
 * Adding a command: add its table (and its verbs' tables) to
 * cmd/usage.c, register it in kmv_usages[] there, parse with
 *	while ((c = cli_getopt(argc, argv, cli)) != -1)
 *		switch (c) { case 'x': ...; default: return cli_opt_done(c, cli); }
 * and run scripts/gen-docs.sh.  tests/cli/t0010-docs.sh fails while a
 * command has no table or the generated files are stale.
 */
#include <stdbool.h>
#include <stdio.h>

struct cli_state;

typedef enum cli_opt_type {
	CLI_OPT_END = 0,
	CLI_OPT_SWITCH, /* --name */
	CLI_OPT_VALUE,  /* --name VALUE (or --name=VALUE) */
	CLI_OPT_ARG,    /* a positional argument, for usage only */
	CLI_OPT_ARGS    /* one or more positional arguments (ARG...) */
} cli_opt_type;

enum {
	CLI_OPT_REQUIRED = 1u << 0, /* no [ ] in the synopsis */
	CLI_OPT_HIDDEN = 1u << 1,   /* parsed, never shown or completed */
	CLI_OPT_FILE = 1u << 2,     /* the value (or argument) is a file name */
	CLI_OPT_DIR = 1u << 3,      /* the value is a directory */
	CLI_OPT_CHOICE = 1u << 4,   /* this and the next one are alternatives */
	CLI_OPT_WITH_NEXT = 1u << 5, /* this and the next one go together */
	CLI_OPT_REPEAT = 1u << 6,    /* may be given more than once */
	CLI_OPT_SHORT = 1u << 7,     /* the synopsis shows "-o FILE" */
	CLI_OPT_SYNOPSIS = 1u << 8   /* a global option the synopsis shows */
};

typedef struct cli_opt {
	cli_opt_type type;
	const char *name;       /* long name without "--", or the ARG's name */
	int val;                /* what cli_getopt returns for it */
	char alias;             /* short option letter, 0 for none */
	const char *value_name; /* "N", "DIR"; NULL: the values joined by | */
	const char *values;     /* completion (and synopsis) values, spaces */
	unsigned int flags;
	const char *help; /* one line or a paragraph; wrapped on output */
} cli_opt;

/* A command, or one verb of a command with verbs ("backup create"). */
typedef struct cli_usage {
	const char *command;      /* "query", "backup create" */
	const char *description;  /* preformatted paragraphs, may be NULL */
	const cli_opt *opts;      /* CLI_OPT_END-terminated */
	const char *epilogue;     /* printed after the options, may be NULL */
	const char *const *verbs; /* for a command with verbs: their names */
} cli_usage;

/* The global options (main.c parses them from this table too). */
extern const cli_opt cli_global_opts[];

/* Every table, NULL-terminated. */
extern const cli_usage *const kmv_usages[];

/* The table of "CMD" or "CMD VERB" (verb may be NULL); NULL when none. */
const cli_usage *cli_usage_find(const char *command, const char *verb);

/* Return values of cli_getopt besides the table's vals and -1. */
#define CLI_OPT_HELP 0x10001 /* -h/--help: print help, exit 0 */
#define CLI_OPT_BAD 0x10002  /* message printed: exit 2 */

/*
 * getopt_long over the table of cli->command (and cli->verb).  Unknown
 * options and options without their value are named on stderr
 * ("unknown option '--bogus' for 'query'", "option '--limit' needs a
 * value") and return CLI_OPT_BAD.  Sets optarg/optind like getopt_long.
 */
int cli_getopt(int argc, char **argv, struct cli_state *cli);

/* The default case of a command's option switch: help or usage error. */
int cli_opt_done(int c, struct cli_state *cli);

/* Print the help of "CMD [VERB]" (the whole command when verb is NULL). */
void cli_help_print(FILE *out, const char *command, const char *verb);

/* Print the global usage (kmvault --help). */
void cli_help_global(FILE *out);

/* Name an unknown option or one that lacks its value; returns 2. */
int cli_opt_error(const cli_opt *opts, const char *arg, const char *command,
		  bool missing_value);

/* The synopsis line of one table ("kmvault query [--kind ...] ..."). */
struct kmv_buf;
void cli_synopsis(struct kmv_buf *b, const cli_usage *u);
/* "--kind order|payment|receipt" */
void cli_opt_words(struct kmv_buf *b, const cli_opt *o);

/* kmvault __docs man|bash|zsh: the generated files on stdout. */
int cli_docs(int argc, char **argv);

#endif
