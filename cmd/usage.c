/* SPDX-License-Identifier: MIT */
/*
 * The option tables: one per command, one per verb of a command with
 * verbs.  Each is what the command parses (cli_getopt), what --help and
 * `kmvault help` print, and what scripts/gen-docs.sh turns into the man
 * page and the completion scripts.  See opt.h for how to add one.
 *
 * Order in a table is the synopsis order.  `val` is what cli_getopt
 * returns (the command's switch cases); descriptions are preformatted,
 * option help lines are wrapped on output.
 */
#include "opt.h"

#include <stddef.h>

#include "kmv/i18n.h"

#define END                                                  \
	{                                                    \
		CLI_OPT_END, NULL, 0, 0, NULL, NULL, 0, NULL \
	}
#define SW(name, val, help)                                       \
	{                                                         \
		CLI_OPT_SWITCH, name, val, 0, NULL, NULL, 0, help \
	}
#define VAL(name, val, vname, help)                               \
	{                                                         \
		CLI_OPT_VALUE, name, val, 0, vname, NULL, 0, help \
	}
#define ARG(name)                                                           \
	{                                                                   \
		CLI_OPT_ARG, name, 0, 0, NULL, NULL, CLI_OPT_REQUIRED, NULL \
	}

#define KINDS_IMPORT "auto alipay wechat jd orders email"
#define ANOMALY_TYPES                                             \
	"duplicate_charge amount_mismatch payment_without_order " \
	"undelivered refund_missing unknown_merchant"
#define CASE_REASONS                                    \
	"undelivered duplicate_charge amount_mismatch " \
	"refund_missing unauthorized other"
#define CASE_STATUSES "open waiting_reply escalated resolved rejected"

/* ---- global ---------------------------------------------------------- */

const cli_opt cli_global_opts[] = {
	{ CLI_OPT_VALUE, "vault", 'V', 0, "PATH", NULL,
	  CLI_OPT_FILE | CLI_OPT_SYNOPSIS,
	  N_("the vault file (else $KMVAULT_VAULT, else "
	     "$XDG_DATA_HOME/kmvault/vault.kmv)") },
	{ CLI_OPT_SWITCH, "json", 'j', 0, NULL, NULL, CLI_OPT_SYNOPSIS,
	  N_("the result as one JSON document on stdout") },
	{ CLI_OPT_SWITCH, "quiet", 'q', 'q', NULL, NULL, CLI_OPT_SYNOPSIS,
	  N_("no success messages; errors and results only") },
	{ CLI_OPT_SWITCH, "no-progress", 'P', 0, NULL, NULL, CLI_OPT_SYNOPSIS,
	  N_("no progress bar on the terminal") },
	{ CLI_OPT_SWITCH, "allow-expensive-kdf", 'K', 0, NULL, NULL, 0,
	  N_("open a vault whose KDF costs more than the usual limits") },
	{ CLI_OPT_SWITCH, "accept-rollback", 'A', 0, NULL, NULL, 0,
	  N_("accept the vault's generation as its newest when it is older than "
	     "one seen before (a restored copy put back on purpose)") },
	{ CLI_OPT_SWITCH, "no-pager", 'N', 0, NULL, NULL, 0,
	  N_("never send output through the pager ($KMVAULT_PAGER, $PAGER, else "
	     "'less -FRX')") },
	{ CLI_OPT_VALUE, "color", 'C', 0, NULL, "auto always never", 0,
	  N_("colour refunded and closed records, anomalies and overdue "
	     "reminders: auto (default: on a terminal, unless $NO_COLOR is set), "
	     "always or never") },
	{ CLI_OPT_VALUE, "passphrase-file", 'f', 0, "F", NULL, CLI_OPT_FILE,
	  N_("read the passphrase from the first line of F") },
	{ CLI_OPT_VALUE, "new-passphrase-file", 'n', 0, "F", NULL, CLI_OPT_FILE,
	  N_("the new passphrase for passwd") },
	{ CLI_OPT_VALUE, "recovery-key-file", 'r', 0, "F", NULL, CLI_OPT_FILE,
	  N_("unlock with the recovery key in F") },
	{ CLI_OPT_VALUE, "wait", 'w', 0, "SECONDS", NULL, 0,
	  N_("wait up to SECONDS for another writer's lock") },
	{ CLI_OPT_SWITCH, "version", 'v', 0, NULL, NULL, 0,
	  N_("print the version") },
	{ CLI_OPT_SWITCH, "help", 'h', 'h', NULL, NULL, 0,
	  N_("this help ('kmvault help COMMAND' for one command)") },
	END
};

static const cli_usage u_global = {
	"",
	N_("Passphrase sources (first set wins): --passphrase-file F,\n"
	   "$KMVAULT_PASSPHRASE_FILE, $KMVAULT_PASSPHRASE_COMMAND, $KMVAULT_PASSPHRASE,\n"
	   "else a prompt on the terminal.  --recovery-key-file F unlocks with the\n"
	   "recovery key; --wait SECONDS waits for another writer's lock.\n"),
	cli_global_opts,
	N_("Exit codes: 0 ok, 1 error, 2 usage, 3 authentication failed,\n"
	   "4 corrupt or tampered, 5 locked, 6 input rejected, 7 not found.\n"),
	NULL
};

/* ---- alias ----------------------------------------------------------- */

static const char *const alias_verbs[] = { "list", "add", "remove", NULL };
static const cli_usage u_alias = {
	"alias",
	N_("A statement names the company that took the money (交易对方, e.g.\n"
	   "示例卡盟网络科技); orders name the shop's platform (示例卡盟).  An alias\n"
	   "says they are the same, so 'kmvault match' may link them by amount and\n"
	   "time.  Match learns aliases from order-number links; 'add' and\n"
	   "'remove' correct it, and a removed alias is never learned again.\n"),
	NULL, NULL, alias_verbs
};
static const cli_opt o_none[] = { END };
static const cli_opt o_merchant_platform[] = { ARG("MERCHANT"), ARG("PLATFORM"),
					       END };
static const cli_usage u_alias_list = {
	"alias list", N_("aliases in force, with their origin\n"), o_none, NULL,
	NULL
};
static const cli_usage u_alias_add = { "alias add",
				       N_("add one (origin user)\n"),
				       o_merchant_platform, NULL, NULL };
static const cli_usage u_alias_remove = { "alias remove", N_("remove one\n"),
					  o_merchant_platform, NULL, NULL };

/* ---- anomalies ------------------------------------------------------- */

static const cli_opt o_anomalies[] = {
	{ CLI_OPT_VALUE, "type", 't', 0, "T", ANOMALY_TYPES, 0,
	  N_("only this type") },
	VAL("deadline-hours", 'd', "H",
	    N_("undelivered after H hours (default 2)")),
	VAL("order-no", 'o', "NO", N_("only findings about this order number")),
	END
};
static const cli_usage u_anomalies = {
	"anomalies",
	N_("List anomalies found in the records and the links 'kmvault match'\n"
	   "made (run it after each import):\n"
	   "  duplicate_charge       one order (or merchant order number) charged twice\n"
	   "  amount_mismatch        a payment's amount differs from its order's\n"
	   "  payment_without_order  a payment to a shop with no order: a lost record\n"
	   "  undelivered            paid but not delivered after the deadline (掉单)\n"
	   "  refund_missing         refunded or cancelled, no refund in the statements\n"
	   "  unknown_merchant       first payment to a new merchant under 充值缴费 etc.\n"),
	o_anomalies, NULL, NULL
};

/* ---- attach ---------------------------------------------------------- */

static const cli_opt o_attach[] = {
	ARG("ORDER_NO|CASE_ID"),
	{ CLI_OPT_ARGS, "FILE", 0, 0, NULL, NULL,
	  CLI_OPT_REQUIRED | CLI_OPT_FILE, NULL },
	VAL("note", 'n', "TEXT",
	    N_("what the files show (e.g. \"客服承诺24小时内退款\")")),
	END
};
static const cli_usage u_attach = {
	"attach",
	N_("Keep files as evidence for an order (its order number) or a dispute\n"
	   "case (its id): the bytes, SHA-256, type and time are stored in the\n"
	   "vault, shown by 'show' and included in evidence bundles under\n"
	   "data/attachments/.  The same file attached twice is kept once.\n"),
	o_attach, NULL, NULL
};

/* ---- backup ---------------------------------------------------------- */

static const char *const backup_verbs[] = { "create", "list", "verify",
					    "restore", NULL };
static const cli_usage u_backup = {
	"backup", NULL, NULL,
	N_("DIR may be rclone:REMOTE:PATH and FILE rclone:REMOTE:PATH/NAME: the\n"
	   "backups then live on any rclone remote (WebDAV, S3, SFTP, ...), with the\n"
	   "same names and rules.  Uploads go to a temporary name, are checked by\n"
	   "size and SHA-256, then renamed.  $KMVAULT_RCLONE names the program and\n"
	   "its leading flags (default: rclone), e.g. \"rclone --config F\".\n"),
	backup_verbs
};
static const cli_opt o_backup_create[] = {
	{ CLI_OPT_VALUE, "to", 't', 0, "DIR", NULL,
	  CLI_OPT_REQUIRED | CLI_OPT_DIR, N_("the backup directory") },
	VAL("keep-daily", 'd', "N",
	    N_("keep the newest backup of each of the last N days")),
	VAL("keep-weekly", 'w', "N", N_("... of the last N ISO weeks")),
	VAL("keep-monthly", 'm', "N", N_("... of the last N months")),
	SW("dry-run", 'n',
	   N_("say what would be copied and which backups the keep "
	      "rules would prune; change nothing")),
	END
};
static const cli_usage u_backup_create = {
	"backup create",
	N_("copy the encrypted vault into DIR as\n"
	   "kmvault-YYYYMMDDTHHMMSSZ-gGENERATION.kmv (mode 0600, fsynced).\n"
	   "Needs no passphrase.  Nothing is copied when the newest backup\n"
	   "already holds the current save.  The keep rules then prune DIR\n"
	   "like restic's forget: the newest backup of each of the last N\n"
	   "days / ISO weeks / months (UTC) is kept, rules are ORed, and\n"
	   "the newest backup is always kept.  Without a keep rule nothing\n"
	   "is pruned.\n"),
	o_backup_create, NULL, NULL
};
static const cli_opt o_backup_list[] = { { CLI_OPT_VALUE, "to", 't', 0, "DIR",
					   NULL, CLI_OPT_REQUIRED | CLI_OPT_DIR,
					   NULL },
					 END };
static const cli_usage u_backup_list = {
	"backup list",
	N_("backups in DIR, oldest first: file, created, size, generation\n"),
	o_backup_list, NULL, NULL
};
static const cli_opt o_file[] = { { CLI_OPT_ARG, "FILE", 0, 0, NULL, NULL,
				    CLI_OPT_REQUIRED | CLI_OPT_FILE, NULL },
				  END };
static const cli_usage u_backup_verify = {
	"backup verify",
	N_("full decrypt, integrity check and audit chain of one backup\n"
	   "(asks for the passphrase; exit 4 when it is damaged)\n"),
	o_file, NULL, NULL
};
static const cli_opt o_backup_restore[] = {
	{ CLI_OPT_ARG, "FILE", 0, 0, NULL, NULL,
	  CLI_OPT_REQUIRED | CLI_OPT_FILE, NULL },
	SW("force", 'f', N_("replace an existing vault (it is kept aside)")),
	END
};
static const cli_usage u_backup_restore = {
	"backup restore",
	N_("verify FILE, keep the current vault aside as\n"
	   "VAULT.before-restore-TIME and put FILE in its place; --force is\n"
	   "needed when a vault exists\n"),
	o_backup_restore, NULL, NULL
};

/* ---- case ------------------------------------------------------------ */

static const char *const case_verbs[] = { "open", "list", "update", "close",
					  NULL };
static const cli_usage u_case = {
	"case",
	N_("A dispute case gathers an order's records (and what they are linked\n"
	   "to), a status, notes and a reply deadline: today + N working days\n"
	   "(default 7): Monday to Friday, minus the days off and plus the weekend\n"
	   "days worked (调休) of a holiday calendar file, if there is one:\n"
	   "$KMVAULT_HOLIDAYS, else $XDG_CONFIG_HOME/kmvault/holidays (lines\n"
	   "'YYYY-MM-DD[..YYYY-MM-DD] off|work [note]').\n"
	   "\n"
	   "TYPE:    undelivered, duplicate_charge, amount_mismatch, refund_missing,\n"
	   "         unauthorized, other\n"
	   "STATUS:  open, waiting_reply, escalated, resolved, rejected\n"),
	NULL,
	N_("'kmvault evidence create CASE_ID' bundles a case; 'kmvault remind'\n"
	   "reports deadlines within its window and overdue ones.\n"),
	case_verbs
};
static const cli_opt o_case_open[] = {
	ARG("ORDER_NO"),
	{ CLI_OPT_VALUE, "reason", 'r', 0, "TYPE", CASE_REASONS,
	  CLI_OPT_REQUIRED, N_("what went wrong (TYPE above)") },
	VAL("reply-days", 'd', "N",
	    N_("working days the shop has to reply (default 7)")),
	VAL("note", 'n', "TEXT", N_("a first note")),
	END
};
static const cli_usage u_case_open = {
	"case open",
	N_("ORDER_NO must be in the vault (exit 7 otherwise) and have no\n"
	   "open case (exit 1, naming it: add to that one instead)\n"),
	o_case_open, NULL, NULL
};
static const cli_opt o_case_list[] = { SW("all", 'a', N_("closed cases too")),
				       END };
static const cli_usage u_case_list = { "case list",
				       N_("open cases by deadline\n"),
				       o_case_list, NULL, NULL };
static const cli_opt o_case_update[] = {
	ARG("ID"),
	{ CLI_OPT_VALUE, "status", 's', 0, "STATUS", CASE_STATUSES, 0,
	  N_("the new status (STATUS above)") },
	VAL("note", 'n', "TEXT", N_("add a note")),
	VAL("reply-days", 'd', "N",
	    N_("a new reply window counted from today")),
	END
};
static const cli_usage u_case_update = {
	"case update",
	N_("change the status, add a note, or set a new reply window\n"
	   "counted from today\n"),
	o_case_update, NULL, NULL
};
static const cli_opt o_case_close[] = {
	ARG("ID"),
	{ CLI_OPT_VALUE, "status", 's', 0, NULL, "resolved rejected", 0,
	  N_("how it ended (default resolved)") },
	VAL("note", 'n', "TEXT", N_("a closing note")),
	END
};
static const cli_usage u_case_close = { "case close",
					N_("resolved (default) or rejected\n"),
					o_case_close, NULL, NULL };

/* ---- check ----------------------------------------------------------- */

static const cli_usage u_check = {
	"check",
	N_("Verify the vault: header checksum, keyslot, every payload chunk (done\n"
	   "when the vault opens), PRAGMA integrity_check, the full-text index and\n"
	   "the hash chain of the audit log.  Exit 4 names the first problem.\n"),
	o_none, NULL, NULL
};

/* ---- config --------------------------------------------------------- */

static const char *const config_verbs[] = { "get", "set", "list", NULL };
static const cli_usage u_config = {
	"config",
	N_("Defaults in $XDG_CONFIG_HOME/kmvault/config (else ~/.config/kmvault/config),\n"
	   "an INI file.  An option on the command line, then an environment\n"
	   "variable, wins over it.  Keys (docs/kmvault-config.md):\n"
	   "  vault.path                the vault (after --vault, $KMVAULT_VAULT)\n"
	   "  vault.kdf                 init's Argon2id preset\n"
	   "  backup.dir                backup create/list --to\n"
	   "  backup.keep_daily, backup.keep_weekly, backup.keep_monthly\n"
	   "                            keep rules when none is given\n"
	   "  anomalies.deadline_hours  undelivered after H hours\n"
	   "  match.window_hours        match --window\n"
	   "  unlock.timeout            unlock --timeout (e.g. 1h; at most 24h)\n"
	   "  ui.language               zh_CN or en, when no locale variable is set\n"
	   "  letter.name, letter.phone, letter.email, letter.address,\n"
	   "  letter.id_number          the sender of dispute letters\n"
	   "  ledger.alipay, ledger.wechat, ledger.jd, ledger.unknown, ledger.income,\n"
	   "  ledger.shop_orders, ledger.other, ledger.categories\n"
	   "                            accounts of export --format beancount|ledger\n"),
	NULL, NULL, config_verbs
};
static const cli_opt o_config_get[] = { ARG("KEY"), END };
static const cli_usage u_config_get = {
	"config get",
	N_("print the value of KEY (exit 7 when it is not set)\n"),
	o_config_get, NULL, NULL
};
static const cli_opt o_config_set[] = { ARG("KEY"), ARG("VALUE"), END };
static const cli_usage u_config_set = {
	"config set",
	N_("set KEY in the file (created 0600); only its line changes:\n"
	   "comments and the other lines are kept\n"),
	o_config_set, NULL, NULL
};
static const cli_usage u_config_list = {
	"config list", N_("every key that is set, as KEY = VALUE\n"), o_none,
	NULL, NULL
};

/* ---- cron ------------------------------------------------------------ */

static const cli_opt o_cron[] = {
	{ CLI_OPT_VALUE, "to", 't', 0, "DIR", NULL, CLI_OPT_DIR,
	  N_("backup directory or rclone:REMOTE:PATH (default: the vault's "
	     "directory + /backups; better another disk)") },
	{ CLI_OPT_VALUE, "passphrase-file", 'f', 0, "F", NULL, CLI_OPT_FILE,
	  N_("file for remind (default: $KMVAULT_PASSPHRASE_FILE, else "
	     "~/.config/kmvault/passphrase; mode 0600)") },
	END
};
static const cli_usage u_cron = {
	"cron",
	N_("Print crontab lines: a nightly 'backup create' at 02:30 (no passphrase\n"
	   "needed: the vault is copied encrypted) keeping 7 daily, 4 weekly and\n"
	   "12 monthly backups, and a morning 'remind' at 08:30, which reads the\n"
	   "passphrase from KMVAULT_PASSPHRASE_FILE.  Install them with\n"
	   "'crontab -e' (or 'kmvault cron | crontab -', which REPLACES the\n"
	   "current crontab).\n"),
	o_cron, NULL, NULL
};

/* ---- demo ------------------------------------------------------------ */

static const cli_opt o_demo[] = {
	{ CLI_OPT_VALUE, "dir", 'd', 0, "DIR", NULL, CLI_OPT_DIR,
	  N_("where to build the throwaway vault (default: a new directory "
	     "under /tmp)") },
	END
};
static const cli_usage u_demo = {
	"demo",
	N_("Create a throwaway vault in DIR (default: a new directory under /tmp)\n"
	   "from the sample statements, orders and receipt bundled with kmvault,\n"
	   "and run the main flow end to end: import, query, match, anomalies,\n"
	   "report and evidence bundle.  Your own vault is never touched.\n"),
	o_demo, NULL, NULL
};

/* ---- edit / tag / void / unvoid ------------------------------------- */

static const cli_opt o_edit[] = {
	ARG("ID|NUMBER"),
	VAL("platform", 'p', "P", N_("the shop / platform")),
	VAL("merchant", 'm', "M", N_("the merchant (counterparty)")),
	VAL("category", 'c', "C", N_("the category")),
	VAL("note", 'n', "TEXT", N_("your note on the record")),
	END
};
static const cli_usage u_edit = {
	"edit",
	N_("Correct a record: the shop (platform) of an order imported without one,\n"
	   "a merchant or category, or keep a note.  The imported values stay in the\n"
	   "record, 'show' prints every change (old -> new, who and when), and each\n"
	   "edit is one audit event.  An empty value clears the field.\n"),
	o_edit, NULL, NULL
};
static const cli_opt o_tag[] = { ARG("ID|NUMBER"),
				 { CLI_OPT_ARGS, "+TAG|-TAG", 0, 0, NULL, NULL,
				   CLI_OPT_REQUIRED, NULL },
				 END };
static const cli_usage u_tag = {
	"tag",
	N_("Add (+TAG) or remove (-TAG) tags of a record; 'query --tag TAG' lists\n"
	   "the records carrying one.  A tag is one word (no spaces or commas).\n"
	   "Each call is one audit event; 'show' prints the changes.  A word -TAG\n"
	   "after the record is always a removal, also when it looks like an\n"
	   "option; only -q (the global --quiet) needs '--' before it:\n"
	   "'kmvault tag 42 -- -q'.\n"),
	o_tag, NULL, NULL
};
static const cli_opt o_void[] = {
	{ CLI_OPT_ARGS, "ID|NUMBER", 0, 0, NULL, NULL,
	  CLI_OPT_REQUIRED | CLI_OPT_CHOICE, NULL },
	VAL("source", 's', "N",
	    N_("every record source N (see 'kmvault sources') "
	       "introduced and no other source also holds")),
	VAL("reason", 'r', "TEXT",
	    N_("why (kept in the audit log, shown by 'show')")),
	END
};
static const cli_usage u_void = {
	"void",
	N_("Void records imported by mistake: they are hidden from query, match,\n"
	   "anomalies, reports, reminders and evidence, but never deleted; 'show'\n"
	   "and 'query --include-void' still show them, marked.  'kmvault unvoid'\n"
	   "brings them back.  Links to a voided record go at the next 'match' and\n"
	   "come back after 'unvoid'.  Each call is one audit event.\n"),
	o_void, NULL, NULL
};
static const cli_opt o_unvoid[] = { { CLI_OPT_ARGS, "ID|NUMBER", 0, 0, NULL,
				      NULL, CLI_OPT_REQUIRED, NULL },
				    END };
static const cli_usage u_unvoid = {
	"unvoid",
	N_("Bring voided records back (see 'kmvault void').  One audit event.\n"),
	o_unvoid, NULL, NULL
};

/* ---- evidence -------------------------------------------------------- */

static const char *const evidence_verbs[] = { "create", "stamp", "verify",
					      "pubkey", NULL };
static const cli_usage u_evidence = {
	"evidence",
	N_("Build, timestamp and check signed evidence bundles (BagIt 1.0 bags\n"
	   "signed in minisign format) for an order or a dispute case.\n"),
	NULL, NULL, evidence_verbs
};
static const cli_opt o_evidence_create[] = {
	ARG("ORDER_NO|CASE_ID"),
	{ CLI_OPT_VALUE, "output", 'o', 'o', "FILE.zip|FILE.tar.gz", NULL,
	  CLI_OPT_FILE | CLI_OPT_SHORT,
	  N_(".zip, .tar.gz or .tgz (default: evidence-ORDER_NO-YYYYMMDD.zip); "
	     "never overwritten") },
	VAL("claim", 'c', "TEXT",
	    N_("what you ask for (诉求), written into the letter")),
	VAL("basis", 'b', "KEYS|TEXT",
	    N_("the letter's grounds (依据): ecommerce, consumer, "
	       "enrichment, contract, payment, rules (comma-separated), or a "
	       "text; default: chosen by the anomaly")),
	VAL("lang", 'l', "zh|en",
	    N_("the letter's language (default Chinese, whatever the locale)")),
	{ CLI_OPT_SWITCH, "include-sources", 'i', 0, NULL, NULL, CLI_OPT_CHOICE,
	  N_("add copies of the whole source files (card secrets masked)") },
	SW("include-unmasked-sources", 'U',
	   N_("add the originals byte for byte, "
	      "card secrets and all")),
	END
};
static const cli_usage u_evidence_create = {
	"evidence create",
	N_("bundle an order's records, links, anomalies, timeline, source\n"
	   "excerpts, attachments and a dispute letter draft (申诉书);\n"
	   "also writes FILE.tsq, an RFC 3161 query to send to a TSA\n"),
	o_evidence_create, NULL, NULL
};
static const cli_opt o_evidence_stamp[] = {
	{ CLI_OPT_ARG, "BUNDLE", 0, 0, NULL, NULL,
	  CLI_OPT_REQUIRED | CLI_OPT_FILE, NULL },
	{ CLI_OPT_ARG, "REPLY.tsr", 0, 0, NULL, NULL,
	  CLI_OPT_REQUIRED | CLI_OPT_FILE, NULL },
	END
};
static const cli_usage u_evidence_stamp = {
	"evidence stamp",
	N_("add a timestamp authority's reply to the bundle\n"),
	o_evidence_stamp, NULL, NULL
};
static const cli_opt o_evidence_verify[] = {
	{ CLI_OPT_ARG, "FILE", 0, 0, NULL, NULL,
	  CLI_OPT_REQUIRED | CLI_OPT_FILE, NULL },
	{ CLI_OPT_VALUE, "pubkey", 'p', 0, "KEY", NULL, CLI_OPT_FILE,
	  N_("the signer's key (a .pub file or its base64 line); without it the "
	     "bundle's own copy is used") },
	{ CLI_OPT_VALUE, "tsa-ca", 'C', 0, "FILE", NULL, CLI_OPT_FILE,
	  N_("PEM CA certificates to check the TSA's chain") },
	END
};
static const cli_usage u_evidence_verify = {
	"evidence verify",
	N_("check every manifest line, unlisted files, Payload-Oxum, the\n"
	   "signature and any timestamp; exit 4 naming the first bad path\n"),
	o_evidence_verify, NULL, NULL
};
static const cli_usage u_evidence_pubkey = {
	"evidence pubkey",
	N_("print the vault's signing public key (minisign format)\n"), o_none,
	NULL, NULL
};

/* ---- export ---------------------------------------------------------- */

static const cli_opt o_export[] = {
	{ CLI_OPT_VALUE, "month", 'm', 0, "YYYY-MM", NULL,
	  CLI_OPT_REQUIRED | CLI_OPT_CHOICE,
	  N_("one calendar month (China Standard Time)") },
	{ CLI_OPT_VALUE, "from", 'F', 0, "D", NULL, CLI_OPT_WITH_NEXT,
	  N_("the first day D (YYYY-MM-DD) ...") },
	{ CLI_OPT_VALUE, "to", 'T', 0, "D", NULL, 0,
	  N_("... through the last day D, inclusive") },
	{ CLI_OPT_VALUE, "format", 'f', 0, NULL,
	  "csv xlsx pdf beancount ledger", CLI_OPT_REQUIRED,
	  N_("csv: UTF-8 with BOM, CRLF, for Excel; xlsx: records and a summary "
	     "sheet; pdf: A4 report with totals, chart and anomalies; beancount, "
	     "ledger: one transaction per payment for bean-check / hledger / "
	     "ledger") },
	{ CLI_OPT_VALUE, "output", 'o', 'o', "FILE", NULL,
	  CLI_OPT_REQUIRED | CLI_OPT_FILE | CLI_OPT_SHORT,
	  N_("where to write (replaced if it exists; '-' is standard output for "
	     "csv, pdf and the ledgers)") },
	VAL("lang", 'l', "zh|en",
	    N_("the report's language: csv, xlsx and pdf (default Chinese, "
	       "whatever the locale)")),
	END
};
static const cli_usage u_export = {
	"export",
	N_("Write a report of the period's records (card secrets never included).\n"),
	o_export, NULL, NULL
};

/* ---- help ------------------------------------------------------------ */

static const cli_opt o_help[] = {
	{ CLI_OPT_ARG, "COMMAND", 0, 0, NULL, NULL, 0, NULL },
	{ CLI_OPT_ARG, "VERB", 0, 0, NULL, NULL, 0, NULL },
	END
};
static const cli_usage u_help = {
	"help",
	N_("Print the help of kmvault, of one command or of one verb (the same as\n"
	   "'kmvault COMMAND --help' and '-h').\n"),
	o_help, NULL, NULL
};

/* ---- import ---------------------------------------------------------- */

static const cli_opt o_import[] = {
	{ CLI_OPT_VALUE, "kind", 'k', 0, NULL, KINDS_IMPORT, 0,
	  N_("skip detection") },
	{ CLI_OPT_VALUE, "profile", 'p', 0, "NAME|FILE", NULL, CLI_OPT_FILE,
	  N_("order mapping profile: a built-in one (generic, dujiaoka, "
	     "acg-faka, acg-faka-query, acg-faka-export, zfaka, card-system) "
	     "or a profile file") },
	VAL("platform", 'P', "NAME", N_("platform name for imported orders")),
	{ CLI_OPT_VALUE, "zip-password-file", 'z', 0, "F", NULL, CLI_OPT_FILE,
	  N_("first line of F is the ZIP password (else a prompt)") },
	{ CLI_OPT_VALUE, "rules", 'r', 0, "FILE", NULL, CLI_OPT_FILE,
	  N_("extra e-mail extraction rules") },
	{ CLI_OPT_VALUE, "category-rules", 'R', 0, "F", NULL, CLI_OPT_FILE,
	  N_("the categorising rules for the records added (default: "
	     "$XDG_CONFIG_HOME/kmvault/rules if it exists; see 'kmvault help "
	     "rules')") },
	SW("dry-run", 'n',
	   N_("read and check everything, report what would be "
	      "added and what is already there, change nothing")),
	{ CLI_OPT_ARGS, "FILE", 0, 0, NULL, NULL,
	  CLI_OPT_REQUIRED | CLI_OPT_FILE, NULL },
	END
};
static const cli_usage u_import = {
	"import",
	N_("Import files into the vault in one transaction: all of them or none.\n"
	   "The kind is detected from the content, never from the file name:\n"
	   "  statements       Alipay, WeChat Pay, JD bills (CSV, XLSX, password ZIPs)\n"
	   "  shop exports     order exports as CSV/XLSX/JSON (dujiaoka, acg-faka,\n"
	   "                   zfaka, card-system and any shop through a profile)\n"
	   "  e-mails          receipts as .eml, mbox or a Maildir\n"
	   "  saved web pages  .html, .htm, .mhtml (an order page or order list)\n"
	   "  PDFs             a PDF receipt, an order list printed to PDF\n"
	   "  screenshots      .png, .jpg of an order or payment page (read by OCR)\n"
	   "  pasted text      'kmvault import -' reads standard input\n"
	   "A folder imports every file in it.  Re-importing the same or an\n"
	   "overlapping file adds nothing twice.\n"),
	o_import, NULL, NULL
};

/* ---- init ------------------------------------------------------------ */

static const cli_opt o_init[] = {
	{ CLI_OPT_VALUE, "kdf", 'k', 0, NULL, "interactive moderate sensitive",
	  0,
	  N_("Argon2id cost: interactive (64 MiB), moderate (256 MiB, default), "
	     "sensitive (1 GiB)") },
	{ CLI_OPT_VALUE, "recovery-key-out", 'o', 0, "F", NULL, CLI_OPT_FILE,
	  N_("write the recovery key to F instead of stdout (no confirmation)") },
	SW("weak-passphrase", 'W',
	   N_("keep a passphrase the strength check finds "
	      "too easy to guess")),
	END
};
static const cli_usage u_init = {
	"init",
	N_("Create a new encrypted vault (refuses to overwrite one).  The passphrase\n"
	   "comes from the usual sources (see 'kmvault --help'); a terminal asks twice.\n"
	   "It must be worth 10^10 guesses to zxcvbn (about 33 bits): a terminal\n"
	   "explains and asks again, as it does when the two do not match (3 tries);\n"
	   "a weak one from a file or the environment is refused (exit 2).\n"
	   "The recovery key is printed once, or written to F (mode 0600): keep it\n"
	   "apart from the passphrase; it unlocks the vault with --recovery-key-file.\n"
	   "On a terminal you confirm it by typing its last group (3 tries; else no\n"
	   "vault is created).\n"),
	o_init, NULL, NULL
};

/* ---- summary -------------------------------------------------------- */

static const cli_opt o_summary[] = {
	{ CLI_OPT_VALUE, "month", 'm', 0, "YYYY-MM", NULL, CLI_OPT_CHOICE,
	  N_("one calendar month (China Standard Time); the default is the "
	     "current month") },
	{ CLI_OPT_VALUE, "from", 'F', 0, "D", NULL, CLI_OPT_WITH_NEXT,
	  N_("the first day D (YYYY-MM-DD) ...") },
	{ CLI_OPT_VALUE, "to", 'T', 0, "D", NULL, 0,
	  N_("... through the last day D, inclusive") },
	{ CLI_OPT_VALUE, "by", 'b', 0, NULL,
	  "platform category merchant month day", 0,
	  N_("group by platform (default), category, merchant, month or day") },
	{ CLI_OPT_VALUE, "kind", 'k', 0, NULL, "order payment receipt", 0,
	  N_("only rows of this kind") },
	{ CLI_OPT_VALUE, "format", 'f', 0, NULL, "table csv", 0,
	  N_("table (default) or csv (UTF-8, for Excel); --json: one object: "
	     "period, groups, total") },
	END
};
static const cli_usage u_summary = {
	"summary",
	N_("Net spending of a period, grouped: spent, refunds and income, net\n"
	   "(net = spent - refunds and income) and the rows that count, with a\n"
	   "total line equal to the headline of 'kmvault export' for the period.\n"),
	o_summary, NULL, NULL
};

/* ---- link / unlink --------------------------------------------------- */

static const cli_opt o_link[] = {
	ARG("ID"), ARG("ID"),
	VAL("note", 'n', "TEXT", N_("why (kept as the link's explanation)")),
	END
};
static const cli_usage u_link = {
	"link",
	N_("Link two records by hand (an order and the payment that paid it, a\n"
	   "receipt, a refund).  Each ID is a record id or a unique order, payment\n"
	   "or merchant order number.  The link replaces an automatic one or an\n"
	   "earlier 'unlink' of the same pair, and later match runs keep it.\n"
	   "An order and a payment of different amounts are linked with a warning\n"
	   "(the amount_mismatch anomaly lists them).\n"),
	o_link, NULL, NULL
};
static const cli_opt o_unlink[] = { ARG("ID"), ARG("ID"), END };
static const cli_usage u_unlink = {
	"unlink",
	N_("Remove the link between two records and keep it removed: later match\n"
	   "runs never link this pair again ('kmvault link' undoes it).  Each ID\n"
	   "is a record id or a unique order, payment or merchant order number.\n"),
	o_unlink, NULL, NULL
};

/* ---- lock / unlock -------------------------------------------------- */

static const cli_opt o_lock[] = {
	SW("all", 'a', N_("forget the keys of every vault")), END
};
static const cli_usage u_lock = {
	"lock",
	N_("Forget the vault's data key kept in the kernel keyring by 'kmvault\n"
	   "unlock'; the next command asks for the passphrase again.  --all forgets\n"
	   "the keys of every vault.  Nothing to forget is not an error.\n"),
	o_lock, NULL, NULL
};
static const cli_opt o_unlock[] = {
	{ CLI_OPT_VALUE, "timeout", 't', 0, "DURATION", NULL, 0,
	  N_("how long the key is kept (default: config unlock.timeout, else 15m;"
	     " 90s, 2h, 1h30m; at most 24h)") },
	END
};
static const cli_usage u_unlock = {
	"unlock",
	N_("Ask for the passphrase once and keep the vault's data key in the Linux\n"
	   "kernel keyring (session keyring, else user keyring; readable only by\n"
	   "this login session's processes) for DURATION (default 15m; 90s, 2h,\n"
	   "1h30m; at most 24h).  Until then, or until 'kmvault lock', commands on\n"
	   "this vault open it without the passphrase and its key derivation.\n"
	   "Nothing is written to disk; 'passwd' and 'backup restore' forget the key.\n"),
	o_unlock, NULL, NULL
};

/* ---- log ------------------------------------------------------------- */

static const cli_opt o_log[] = { { CLI_OPT_VALUE, "limit", 'n', 'n', "N", NULL,
				   0, N_("at most N events (default: all)") },
				 END };
static const cli_usage u_log = {
	"log",
	N_("Print the audit log, newest first: every import, edit, reveal, export\n"
	   "and deletion, each chained to the one before by BLAKE2b.\n"),
	o_log, NULL, NULL
};

/* ---- match ----------------------------------------------------------- */

static const cli_opt o_match[] = {
	VAL("window", 'w', "HOURS",
	    N_("how long after the order a payment may come (24)")),
	SW("dry-run", 'n',
	   N_("report the links this run would add, update and "
	      "remove; change nothing")),
	END
};
static const cli_usage u_match = {
	"match",
	N_("Cross-match orders, payments and receipts, strongest rule first:\n"
	   "  order_no     the payment's merchant order number (or its transaction\n"
	   "               number, or a number in its product/memo) is the order's\n"
	   "               number; a receipt names the order's number\n"
	   "  amount_time  same amount, paid from 10 min before to HOURS after the\n"
	   "               order, to a merchant that is the order's platform or an\n"
	   "               alias of it; closest in time wins, one payment per order\n"
	   "  refund       a refund links to the payment it refunds\n"
	   "Re-running changes nothing unless the records changed.  Links made\n"
	   "with 'kmvault link' and removed with 'kmvault unlink' are kept.\n"),
	o_match, NULL, NULL
};

/* ---- member ---------------------------------------------------------- */

static const char *const member_verbs[] = { "add", "list",  "renew",
					    "end", "login", NULL };
static const cli_usage u_member = {
	"member",
	N_("Keep track of memberships so they do not drop silently.  Dates are\n"
	   "YYYY-MM-DD (China Standard Time).\n"),
	NULL,
	N_("'kmvault remind' reports memberships that expire or fall under their\n"
	   "inactivity clause within its window.\n"),
	member_verbs
};
static const cli_opt o_member_add[] = {
	{ CLI_OPT_VALUE, "platform", 'p', 0, "P", NULL, CLI_OPT_REQUIRED,
	  N_("the shop platform") },
	VAL("level", 'l', "L", N_("membership level (VIP, 黄金会员 ...)")),
	VAL("start", 's', "D", N_("first day")),
	{ CLI_OPT_VALUE, "expiry", 'e', 0, "D", NULL, CLI_OPT_REQUIRED,
	  N_("last day") },
	VAL("price", 'P', "YUAN", N_("what it cost")),
	SW("auto-renew", 'a', N_("it renews itself")),
	{ CLI_OPT_VALUE, "inactivity-days", 'i', 0, "N", NULL,
	  CLI_OPT_WITH_NEXT,
	  N_("with --last-login D: downgraded after N days without login") },
	VAL("last-login", 'L', "D", N_("the last login so far")),
	{ CLI_OPT_VALUE, "order", 'o', 0, "ORDER_NO", NULL, CLI_OPT_REPEAT,
	  N_("an order that paid for it (repeatable)") },
	END
};
static const cli_usage u_member_add = {
	"member add",
	N_("record a membership; --inactivity-days N with --last-login D\n"
	   "records a clause such as \"downgraded after 30 days without\n"
	   "login\"; --order (repeatable) names the orders that paid for it\n"),
	o_member_add, NULL, NULL
};
static const cli_usage u_member_list = {
	"member list",
	N_("all memberships with their status (active, expired, ended)\n"),
	o_none, NULL, NULL
};
static const cli_opt o_member_renew[] = {
	ARG("ID"),
	{ CLI_OPT_VALUE, "expiry", 'e', 0, "D", NULL, CLI_OPT_REQUIRED,
	  N_("the new last day") },
	VAL("price", 'P', "YUAN", N_("what the renewal cost")),
	VAL("order", 'o', "ORDER_NO", N_("the order that paid for it")),
	END
};
static const cli_usage u_member_renew = {
	"member renew",
	N_("a new expiry (kept as history with its price and order)\n"),
	o_member_renew, NULL, NULL
};
static const cli_opt o_id[] = { ARG("ID"), END };
static const cli_usage u_member_end = {
	"member end", N_("stop tracking a membership (no more reminders)\n"),
	o_id, NULL, NULL
};
static const cli_opt o_member_login[] = {
	ARG("ID"),
	VAL("date", 'd', "D", N_("the day of the login (default today)")), END
};
static const cli_usage u_member_login = {
	"member login",
	N_("record a login (today unless --date), for the inactivity clause\n"),
	o_member_login, NULL, NULL
};

/* ---- merge ---------------------------------------------------------- */

static const cli_opt o_merge[] = {
	{ CLI_OPT_VALUE, "other-passphrase-file", 'p', 0, "F", NULL,
	  CLI_OPT_FILE, N_("the other copy's passphrase (else this vault's)") },
	{ CLI_OPT_ARG, "OTHER.kmv", 0, 0, NULL, NULL,
	  CLI_OPT_REQUIRED | CLI_OPT_FILE, NULL },
	END
};
static const cli_usage u_merge = {
	"merge",
	N_("Merge a diverged copy of this vault into it: the conflict copy a sync\n"
	   "client (Syncthing, Nextcloud, ...) kept when two devices saved between\n"
	   "two syncs.  Records, sources, links, cases, memberships, attachments and\n"
	   "the other copy's audit events are brought over in one transaction; what\n"
	   "is already here is not added twice, so merging again changes nothing.\n"
	   "OTHER is opened with this vault's passphrase unless\n"
	   "--other-passphrase-file names another.  OTHER itself is not changed.\n"
	   "Exit 6 for a vault with another identity, 4 for a damaged one.\n"),
	o_merge, NULL, NULL
};

/* ---- passwd ---------------------------------------------------------- */

static const cli_opt o_passwd[] = {
	{ CLI_OPT_VALUE, "new-passphrase-file", 'n', 0, "F", NULL, CLI_OPT_FILE,
	  NULL },
	SW("weak-passphrase", 'W',
	   N_("keep a new passphrase the strength check "
	      "finds too easy to guess")),
	END
};
static const cli_usage u_passwd = {
	"passwd",
	N_("Change the vault passphrase.  Only the passphrase keyslot is rewritten:\n"
	   "the data key, the recovery key and the encrypted records stay as they are.\n"
	   "Unlock with the current passphrase (or --recovery-key-file F); the new one\n"
	   "comes from --new-passphrase-file F, $KMVAULT_NEW_PASSPHRASE_FILE or a prompt,\n"
	   "and is checked as at init (zxcvbn; a prompt asks again, 3 tries).\n"),
	o_passwd, NULL, NULL
};

/* ---- query ----------------------------------------------------------- */

static const cli_opt o_query[] = {
	{ CLI_OPT_VALUE, "kind", 'k', 0, NULL, "order payment receipt", 0,
	  N_("only this kind of record") },
	VAL("from", 'f', "D",
	    N_("from a date YYYY-MM-DD (whole day, inclusive) or a "
	       "time YYYY-MM-DD HH:MM[:SS] (China Standard Time unless given)")),
	VAL("to", 't', "D", N_("up to a date or time, the same way")),
	{ CLI_OPT_VALUE, "platform", 'p', 0, "P", NULL, 0,
	  N_("shop platform, or the statement source (alipay, wechat, jd)") },
	VAL("merchant", 'm', "M", N_("merchant name contains M")),
	VAL("status", 's', "S",
	    N_("normalized (success, closed, refunded, pending, "
	       "...) or raw status (交易成功 ...); an unknown word is an error "
	       "listing the known ones")),
	VAL("min", 'a', "YUAN",
	    N_("at least this amount, e.g. 9.90 or 1,000.50 (a "
	       "comma only separates thousands; 9,90 is refused)")),
	VAL("max", 'b', "YUAN", N_("at most this amount")),
	VAL("text", 'x', "WORDS",
	    N_("every word is a substring of merchant, product "
	       "or memo")),
	VAL("order-no", 'o', "NO",
	    N_("order number of orders, merchant order number "
	       "of payments")),
	VAL("tag", 'g', "TAG", N_("records carrying the tag (kmvault tag)")),
	SW("include-void", 'V',
	   N_("voided records too, marked (kmvault void)")),
	VAL("limit", 'l', "N", N_("at most N records")),
	{ CLI_OPT_VALUE, "format", 'F', 0, NULL, "table csv json", 0,
	  N_("table (default), csv or json (same as the global --json)") },
	SW("totals", 'T',
	   N_("end with 'N records, total out ¥X, in ¥Y' (under the "
	      "table; on stderr for csv and json); a terminal always gets it on "
	      "stderr")),
	END
};
static const cli_usage u_query = {
	"query",
	N_("List records, newest first.  Filters combine with AND.  On a terminal\n"
	   "the table fits its width (merchant and product are shortened with …,\n"
	   "numbers never), goes through the pager and ends with the totals.\n"),
	o_query,
	N_("Card secrets are always masked here; use 'kmvault show ID --reveal'.\n"),
	NULL
};

/* ---- remind ---------------------------------------------------------- */

static const cli_opt o_remind[] = {
	{ CLI_OPT_VALUE, "days", 'd', 'd', "N", NULL, 0,
	  N_("the window in days (default 7)") },
	{ CLI_OPT_VALUE, "ack", 'a', 0, "ITEM", NULL, 0,
	  N_("silence one item (ITEM as shown after 'ack:', e.g. "
	     "undelivered:KM20260120000909 or case_deadline:3) while it stays due "
	     "on the same date; audited") },
	{ CLI_OPT_VALUE, "until", 'u', 0, "DATE", NULL, 0,
	  N_("with --ack: silence it through DATE (YYYY-MM-DD)") },
	END
};
static const cli_usage u_remind = {
	"remind",
	N_("What is due within N days (default 7), most urgent first:\n"
	   "  membership_expiry      memberships expiring (or expired, not ended)\n"
	   "  membership_inactivity  last login + inactivity clause within N days\n"
	   "  case_deadline          reply deadlines of open cases, and overdue ones\n"
	   "  undelivered            orders paid but not delivered after 2 hours\n"
	   "  retention              orders turning 3 years old: export evidence\n"
	   "\n"
	   "Plain text for a terminal or a cron mail; --json for programs.  With\n"
	   "--quiet nothing is printed when nothing is due.  Exit 0 either way.\n"
	   "An order with an open case shows the case's reply deadline instead;\n"
	   "a closed case ends its order's reminder.\n"),
	o_remind, NULL, NULL
};

/* ---- rules --------------------------------------------------------- */

static const char *const rules_verbs[] = { "apply", NULL };
static const cli_usage u_rules = {
	"rules",
	N_("Categorising rules, one per line, in $XDG_CONFIG_HOME/kmvault/rules\n"
	   "(else ~/.config/kmvault/rules) or the file of --rules F:\n"
	   "  match FIELD PATTERN -> set category|platform|tag|note VALUE\n"
	   "PATTERN is a PCRE2 regular expression (case-insensitive, found anywhere\n"
	   "in the field; anchor it with ^ and $).  FIELD: merchant, product, memo,\n"
	   "text (any of those three), platform, category, status, kind, source,\n"
	   "payment_method, order_no, payment_no, amount.  Lines starting with #\n"
	   "are comments.  The first matching rule sets a category, platform or\n"
	   "note; every matching tag rule adds its tag.  A field you corrected\n"
	   "with 'kmvault edit' is never changed by a rule.  'kmvault import'\n"
	   "applies the file to the records it adds.  Every change is one audit\n"
	   "event naming the rule; 'show' prints it and keeps the imported value.\n"),
	NULL, NULL, rules_verbs
};
static const cli_opt o_rules_apply[] = {
	{ CLI_OPT_VALUE, "rules", 'r', 0, "F", NULL, CLI_OPT_FILE,
	  N_("the rules file (default: $XDG_CONFIG_HOME/kmvault/rules)") },
	SW("dry-run", 'n',
	   N_("list the changes the rules would make; change "
	      "nothing")),
	END
};
static const cli_usage u_rules_apply = {
	"rules apply",
	N_("apply the rules to every record in the vault (voided ones\n"
	   "excepted) and list the changes\n"),
	o_rules_apply, NULL, NULL
};

/* ---- show ------------------------------------------------------------ */

static const cli_opt o_show[] = {
	ARG("ID|ORDER_NO"),
	SW("reveal", 'r',
	   N_("print card secrets in full (audited); a terminal "
	      "asks y/N first")),
	END
};
static const cli_usage u_show = {
	"show",
	N_("Show one record with where it came from (source file, SHA-256, line),\n"
	   "all its fields, the order's status timeline, its links to payments and\n"
	   "receipts, and its attachments.  An order number that several records\n"
	   "carry (the order, its payments, its receipt e-mails) lists them all.\n"
	   "Card secrets are masked as ABCD…WXYZ unless --reveal; every reveal is\n"
	   "written to the audit log.\n"),
	o_show, NULL, NULL
};

/* ---- sources --------------------------------------------------------- */

static const cli_usage u_sources = {
	"sources",
	N_("List imported source files: id, kind, name, SHA-256, rows, imported_at.\n"
	   "Members of a ZIP archive show the archive's id as their parent.\n"),
	o_none, NULL, NULL
};

const cli_usage *const kmv_usages[] = { &u_global,
					&u_alias,
					&u_alias_list,
					&u_alias_add,
					&u_alias_remove,
					&u_anomalies,
					&u_attach,
					&u_backup,
					&u_backup_create,
					&u_backup_list,
					&u_backup_verify,
					&u_backup_restore,
					&u_case,
					&u_case_open,
					&u_case_list,
					&u_case_update,
					&u_case_close,
					&u_check,
					&u_config,
					&u_config_get,
					&u_config_set,
					&u_config_list,
					&u_cron,
					&u_demo,
					&u_edit,
					&u_evidence,
					&u_evidence_create,
					&u_evidence_stamp,
					&u_evidence_verify,
					&u_evidence_pubkey,
					&u_export,
					&u_help,
					&u_import,
					&u_init,
					&u_link,
					&u_lock,
					&u_log,
					&u_match,
					&u_merge,
					&u_member,
					&u_member_add,
					&u_member_list,
					&u_member_renew,
					&u_member_end,
					&u_member_login,
					&u_passwd,
					&u_query,
					&u_remind,
					&u_rules,
					&u_rules_apply,
					&u_show,
					&u_sources,
					&u_summary,
					&u_tag,
					&u_unlink,
					&u_unlock,
					&u_unvoid,
					&u_void,
					NULL };
