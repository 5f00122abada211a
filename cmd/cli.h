/* SPDX-License-Identifier: MIT */
#ifndef KMV_CLI_H
#define KMV_CLI_H

/*
 * Shared CLI helpers: exit codes (cli.md, never renumber), error output,
 * the per-invocation context, passphrase sources and vault opening.
 * Messages go to stderr as "kmvault: ..." (lowercase, no full stop, no
 * newline in the format); stdout carries results only.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include "kmvutil/buf.h"
#include "kmv/catrules.h"
#include "kmv/error.h"
#include "kmv/i18n.h"
#include "kmvutil/json.h"
#include "kmv/label.h"
#include "kmv/secret.h"
#include "kmv/vault.h"

#define KMV_EXIT_OK 0
#define KMV_EXIT_ERROR 1
#define KMV_EXIT_USAGE 2
#define KMV_EXIT_AUTH 3
#define KMV_EXIT_CORRUPT 4
#define KMV_EXIT_LOCKED 5
#define KMV_EXIT_INPUT 6
#define KMV_EXIT_NOTFOUND 7

/* What the dispatcher must know about a command (one table row). */
enum {
	CLI_CMD_NO_VAULT = 0, /* the command opens nothing (or does it itself) */
	CLI_CMD_VAULT_RO = 1, /* reads the vault, no lock */
	CLI_CMD_VAULT_RW = 2  /* read-modify-write under the writer lock */
};

typedef struct cli_state {
	const char *command;             /* e.g. "import" */
	const char *verb;                /* e.g. "create" of "backup create" */
	unsigned int mode;               /* CLI_CMD_* of the table row */
	char *vault_path;                /* resolved lazily */
	const char *vault_opt;           /* --vault */
	const char *passphrase_file;     /* --passphrase-file */
	const char *new_passphrase_file; /* --new-passphrase-file */
	const char *recovery_key_file;   /* --recovery-key-file */
	int wait_seconds;                /* --wait */
	bool json;
	bool quiet;
	bool no_progress;
	bool no_agent;        /* derive even when unlocked (passwd, unlock) */
	bool no_pager;        /* --no-pager */
	int color;            /* --color: CLI_COLOR_* */
	bool tty_out;         /* stdout was a terminal at start */
	bool weak_passphrase; /* init/passwd --weak-passphrase */
	kmv_vault *vault;     /* opened by cli_vault() */
	bool accept_rollback; /* --accept-rollback */
	kmv_mark_report mark; /* the rollback mark, by cli_vault() */
} cli_state;

enum { CLI_COLOR_AUTO = 0, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };

/* SGR sequences for cli_color(). */
#define CLI_SGR_RED "\033[31m"
#define CLI_SGR_YELLOW "\033[33m"
#define CLI_SGR_DIM "\033[2m"
#define CLI_SGR_RESET "\033[0m"

typedef int (*cli_cmd_fn)(int argc, char **argv, cli_state *cli);

typedef struct cli_cmd_spec {
	const char *name;
	cli_cmd_fn fn;
	unsigned int mode;
	const char *summary;
} cli_cmd_spec;

/* The command table (main.c), NULL-terminated, alphabetical. */
extern const cli_cmd_spec cli_commands[];

int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_error_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The usage error for an argument a command does not take. */
int cli_error_extra_arg(const char *arg);
/* Print kmv_error_last() and map the library code to an exit code. */
int cli_error_lib(int code);
/* "no vault at PATH (create one with 'kmvault init' ...)"; exit 4. */
int cli_error_no_vault(const char *path);
int cli_error_os(const char *path);
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Write `s` with C0/C1 control characters (except newline, tab) as '?'. */
void cli_put_clean(FILE *out, const char *s);
/*
 * printf to stdout for human output that quotes input (show, anomalies,
 * remind): C0/C1 controls from the arguments appear as '?' (cli_put_clean).
 */
void cli_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A copy of `s` for a table cell: controls as '?', newline and tab as ' '. */
char *cli_clean_cell(const char *s);
/* A note on stderr unless --quiet. */
void cli_note(cli_state *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * DIR/kmvault/NAME in the user's configuration directory
 * ($XDG_CONFIG_HOME, else ~/.config); malloc'd, NULL when neither is set.
 */
char *cli_config_path(const char *name);

/*
 * Resolve a record argument: an id, or a unique order, payment or merchant
 * order number.  Exit code; an ambiguous number is a usage error.
 */
int cli_resolve_record(int64_t *id, kmv_vault *vault, const char *text);
/* The same with kmv_record_resolve flags (KMV_RESOLVE_INCLUDE_VOID). */
int cli_resolve_record_flags(int64_t *id, kmv_vault *vault, const char *text,
			     unsigned flags);

/* The login name recorded as the user of an audit event (never NULL). */
const char *cli_user(void);

/* Map a negative library code to an exit code (no printing). */
int cli_exit_code(int code);

/* The vault path (--vault, $KMVAULT_VAULT, XDG default). NULL + message. */
const char *cli_vault_path(cli_state *cli);

/*
 * Open the vault in cli->mode: the command's table row, which a verb may
 * change first (a verb that only reads sets CLI_CMD_VAULT_RO and takes no
 * writer lock; one that writes in a read-only command sets
 * CLI_CMD_VAULT_RW); returns an exit code.
 * Unlock with the recovery key when --recovery-key-file is given.
 */
int cli_vault(cli_state *cli, kmv_vault **out);

/*
 * Print what cli->mark says is wrong (a rollback, a mark that fails
 * authentication) as an error or a warning; false when nothing is.
 */
bool cli_mark_problem(const cli_state *cli, bool as_error);

/* One warning per sync-conflict copy beside the vault (issue 18.3). */
void cli_conflict_notice(const char *vault_path);

/* Save the vault (RW commands, after their work); returns an exit code. */
int cli_save(cli_state *cli);

/*
 * Read the passphrase from the first source that is set (cli.md): the
 * --passphrase-file option, $KMVAULT_PASSPHRASE_FILE, $KMVAULT_PASSPHRASE_COMMAND,
 * $KMVAULT_PASSPHRASE, else a no-echo terminal prompt (twice when
 * `confirm`).  No source and no terminal: exit 2.  Returns an exit code.
 * With `confirm` (a new vault's passphrase) it must pass the zxcvbn
 * strength check unless --weak-passphrase: a prompt explains and asks
 * again (a mismatch too), 3 tries; another source is refused (exit 2).
 */
int cli_passphrase(cli_state *cli, kmv_secret **out, bool confirm);
/*
 * The secret that opens a vault: the --recovery-key-file when given (kind
 * KMV_UNLOCK_RECOVERY), else the passphrase from its sources.
 */
int cli_unlock_secret(cli_state *cli, kmv_secret **out, kmv_unlock_kind *kind);

/* The new passphrase for passwd (file option, env, or prompt twice). */
int cli_new_passphrase(cli_state *cli, kmv_secret **out);

/* First line of a file as a secret (used for keys and ZIP passwords). */
int cli_secret_from_file(kmv_secret **out, const char *path, const char *what);

/* A line typed on the terminal (with echo); exit code (2: no terminal). */
int cli_prompt_line(char *buf, size_t size, const char *prompt);

/* Ask a y/N question on the terminal; true only for y or yes. */
bool cli_confirm(const char *question);

/* Prompt on the terminal without echo; exit code (2 if no terminal). */
int cli_prompt_secret(kmv_secret **out, const char *prompt);

/* Write a kmv_buf to stdout (results). */
void cli_write(const kmv_buf *buf);

/* True when stderr is a terminal and progress is not disabled. */
bool cli_show_progress(cli_state *cli);

/* Parse a non-negative integer option; exit code on error. */
int cli_parse_int(int64_t *out, const char *opt, const char *value);

/* The running binary's path (/proc/self/exe) into buf; exit code. */
int cli_self_path(char *buf, size_t size);

/* ---- the config file (config.c) ---- */

/* Read $XDG_CONFIG_HOME/kmvault/config if there is one; exit code. */
int cli_config_load(void);
/* A value from it ("vault.path"), NULL when unset.  Options and the
 * environment win: callers use it only when neither says. */
const char *cli_config_get(const char *key);
/* ui.language: LC_MESSAGES for gettext when the environment sets none. */
void cli_config_language(void);
void cli_config_free(void);

/* ---- terminals (term.c) ---- */

/* Columns of the terminal: $COLUMNS, else TIOCGWINSZ on stdout, else 80. */
size_t cli_term_width(void);
/* Colour wanted: --color always, or auto on a terminal without NO_COLOR. */
bool cli_color_on(const cli_state *cli);
/* sgr when colour is on, else "". */
const char *cli_color(const cli_state *cli, const char *sgr);
/*
 * Send stdout through the pager when it is a terminal (not --no-pager):
 * $KMVAULT_PAGER, $PAGER, else `less -FRX`; "" or "cat" means none.
 */
void cli_pager_start(cli_state *cli);
/* Wait for the pager (stdout is the terminal again). */
void cli_pager_end(void);

/*
 * A simple aligned table for terminals: CJK-aware widths.  Columns are
 * added once, then rows; cli_table_print pads every cell to the widest.
 */
typedef struct cli_table {
	size_t ncols;
	size_t nrows;
	size_t acells, asgr; /* capacities of cells and sgr */
	char **cells;        /* nrows * ncols, row-major, row 0 = header */
	bool right[16];      /* right-align this column */
	bool shrink[16];     /* may be cut with … to fit the terminal */
	unsigned char
		drop[16]; /* left out on a narrow terminal, 1 first; 0 never */
	const char **sgr; /* per row: colour of the row, or NULL */
} cli_table;

void cli_table_init(cli_table *t, size_t ncols, const char *const *headers);
void cli_table_add(cli_table *t, const char *const *cells);
/* Row with a colour (CLI_SGR_*; shown only when cli_color_on). */
void cli_table_add_sgr(cli_table *t, const char *const *cells, const char *sgr);
void cli_table_print(const cli_table *t, FILE *out, size_t max_col_width);
/*
 * Not a terminal: cli_table_print.  On a terminal: the shrinkable columns
 * are cut (with …, at a character boundary) so rows fit the terminal's
 * width; other columns (numbers, times) are never cut, but when even
 * the shortest rows are too wide the droppable columns are left out, in
 * their order.  Rows coloured when colour is on.
 */
void cli_table_print_tty(const cli_table *t, FILE *out, size_t max_col_width,
			 const cli_state *cli);
void cli_table_dispose(cli_table *t);

/* The number of elements of an array (headers of a table). */
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * One listing (cmd/list.c): a JSON array under --json, else a table fitted
 * to the terminal and paged, or (with no columns) lines the row printers
 * write themselves.  Row printers write `json` when `as_json`, else add a
 * row with cli_list_add (or print their lines and count them); the
 * skeleton around them is cli_list's:
 *
 *     cli_list_init(&l, cli, NELEM(headers), headers);
 *     error = kmv_x_foreach(vault, print_x, &l);
 *     ret = error < 0 ? cli_error_lib(error)
 *                     : cli_list_print(&l, cli, 40, _("no x yet"));
 *     cli_list_dispose(&l);
 */
typedef struct cli_list {
	bool as_json;
	bool streamed; /* no columns: the printers write their own lines */
	size_t count;  /* rows given (cli_list_add, or counted by a printer) */
	kmv_json json;
	cli_table table;
	kmv_buf buf;
} cli_list;

void cli_list_init(cli_list *l, const cli_state *cli, size_t ncols,
		   const char *const *headers);
/* Add a table row (cells copied and cleaned, as cli_table_add). */
void cli_list_add(cli_list *l, const char *const *cells);
/*
 * Write it out: the JSON array; or the table (cells at most
 * `max_col_width` wide, 0 no limit); or, with no rows and `empty` set,
 * that note: on stderr for a table (instead of a lone header), on stdout
 * for streamed lines.  Returns an exit code.
 */
int cli_list_print(cli_list *l, cli_state *cli, size_t max_col_width,
		   const char *empty);
void cli_list_dispose(cli_list *l);

/*
 * One JSON object as a command's result (--json): begin gives the writer
 * with the object open; print closes it, writes it and a newline to
 * stdout, and frees it; returns an exit code.
 *
 *     cli_result r;
 *     kmv_json *j = cli_result_begin(&r);
 *     kmv_json_kv_int(j, "forgotten", n);
 *     return cli_result_print(&r);
 */
typedef struct cli_result {
	kmv_json json;
	kmv_buf buf;
} cli_result;

kmv_json *cli_result_begin(cli_result *r);
int cli_result_print(cli_result *r);

/* A sub-verb of a command with verbs (backup, case, evidence, member). */
typedef struct cli_verb {
	const char *name;
	cli_cmd_fn fn;
} cli_verb;

/*
 * Run the verb named by argv[1] with argv shifted by one (getopt reset,
 * cli->verb set).  No verb: usage on stderr, exit 2; --help/-h: usage on
 * stdout, exit 0; an unknown verb: exit 2 listing the known ones.  The
 * usage is the command's option table (opt.h).
 */
int cli_dispatch_verbs(int argc, char **argv, cli_state *cli,
		       const cli_verb *verbs, size_t nverbs);

/* Common handling of "--help"/"-h" as the first argument. */
bool cli_wants_help(int argc, char **argv);

/*
 * The categorising rules file (cmd/rules.c): `path`, else
 * $XDG_CONFIG_HOME/kmvault/rules.  A missing default file is no rules
 * (*out NULL) unless `required`; a bad file is exit 6 naming file and
 * line.  *path_out (malloc'd) names the file read.  Returns an exit code.
 */
int cli_rules_load(kmv_catrules **out, const char *path, bool required,
		   char **path_out);
/* "rules FILE: N changes made to M of K records" on stderr unless --quiet. */
void cli_rules_report(cli_state *cli, const char *path,
		      const kmv_catrules_stats *stats, bool dry_run,
		      bool imported);

/* Commands: one file each (cmd/<name>.c). */
int cmd_alias(int argc, char **argv, cli_state *cli);
int cmd_anomalies(int argc, char **argv, cli_state *cli);
int cmd_attach(int argc, char **argv, cli_state *cli);
int cmd_backup(int argc, char **argv, cli_state *cli);
int cmd_case(int argc, char **argv, cli_state *cli);
int cmd_check(int argc, char **argv, cli_state *cli);
int cmd_config(int argc, char **argv, cli_state *cli);
int cmd_cron(int argc, char **argv, cli_state *cli);
int cmd_demo(int argc, char **argv, cli_state *cli);
int cmd_edit(int argc, char **argv, cli_state *cli);
int cmd_evidence(int argc, char **argv, cli_state *cli);
int cmd_export(int argc, char **argv, cli_state *cli);
int cmd_help(int argc, char **argv, cli_state *cli);
int cmd_import(int argc, char **argv, cli_state *cli);
int cmd_init(int argc, char **argv, cli_state *cli);
int cmd_link(int argc, char **argv, cli_state *cli);
int cmd_lock(int argc, char **argv, cli_state *cli);
int cmd_log(int argc, char **argv, cli_state *cli);
int cmd_merge(int argc, char **argv, cli_state *cli);
int cmd_match(int argc, char **argv, cli_state *cli);
int cmd_member(int argc, char **argv, cli_state *cli);
int cmd_passwd(int argc, char **argv, cli_state *cli);
int cmd_query(int argc, char **argv, cli_state *cli);
int cmd_remind(int argc, char **argv, cli_state *cli);
int cmd_rules(int argc, char **argv, cli_state *cli);
int cmd_show(int argc, char **argv, cli_state *cli);
int cmd_sources(int argc, char **argv, cli_state *cli);
int cmd_summary(int argc, char **argv, cli_state *cli);
int cmd_tag(int argc, char **argv, cli_state *cli);
int cmd_unlink(int argc, char **argv, cli_state *cli);
int cmd_unlock(int argc, char **argv, cli_state *cli);
int cmd_unvoid(int argc, char **argv, cli_state *cli);
int cmd_void(int argc, char **argv, cli_state *cli);

#endif
