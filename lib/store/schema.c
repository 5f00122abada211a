/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "store/vault.h"
#include "store/db.h"
#include "store/schema.h"

/*
 * The schema as migrations: entry i takes PRAGMA user_version from i to
 * i + 1, and a shipped entry is never edited (vaults in the field hold
 * its result).  Conventions: money in integer fen; times as ISO 8601 text
 * with the source offset (`time`) plus epoch seconds (`ts`) for ranges and
 * sorting; anything source-specific in a JSON `extra` column.  Records are
 * never deleted: `deleted_at` is an audited tombstone.
 *
 * sources      every imported file, its original bytes zlib-compressed;
 *              a ZIP member points at its archive through parent_id
 * records      orders, payments and receipts (kind), unique per
 *              (source_kind, dedup_key) so re-imports add nothing twice
 *              (since v4 the unique index records_dedup)
 * records_fts  FTS5 trigram index over merchant, product and memo
 * links        record <-> record with the rule, score and explanation;
 *              manual = 1 for `link`, -1 for `unlink` (a veto later runs
 *              keep)
 * timeline     order states as seen over time, one row per new state
 * aliases      merchant name on statements <-> platform of orders
 * memberships, membership_renewals, cases, case_records, case_notes,
 * attachments  reminders and disputes (issue 7) and evidence (issue 6)
 * settings     key/value (signing key, preferences)
 * events       the audit log, hash-chained (audit.c)
 *
 * v2 rebuilt records with the same columns, for import speed (see there);
 * v3 rewrote statement dedup keys (number alone -> number and row);
 * v4 rebuilt records again, its uniqueness a named index (see there);
 * v5 indexed the refunds by the charge they refund (records_refund_of).
 */
/* Keep records_fts in step with records (every schema version). */
#define RECORDS_FTS_TRIGGERS                                                     \
	"CREATE TRIGGER records_fts_ai AFTER INSERT ON records BEGIN"            \
	"  INSERT INTO records_fts(rowid, merchant, product, memo)"              \
	"  VALUES (new.id, new.merchant, new.product, new.memo);"                \
	"END;"                                                                   \
	"CREATE TRIGGER records_fts_ad AFTER DELETE ON records BEGIN"            \
	"  INSERT INTO records_fts(records_fts, rowid, merchant, product, memo)" \
	"  VALUES ('delete', old.id, old.merchant, old.product, old.memo);"      \
	"END;"                                                                   \
	"CREATE TRIGGER records_fts_au AFTER UPDATE OF merchant, product, memo"  \
	"  ON records BEGIN"                                                     \
	"  INSERT INTO records_fts(records_fts, rowid, merchant, product, memo)" \
	"  VALUES ('delete', old.id, old.merchant, old.product, old.memo);"      \
	"  INSERT INTO records_fts(rowid, merchant, product, memo)"              \
	"  VALUES (new.id, new.merchant, new.product, new.memo);"                \
	"END;"

/*
 * The columns of records since v2 (one list for the rebuilds 1 -> 2 and
 * 3 -> 4, so they cannot drift apart) and its lookup indexes since v2.
 * Shipped SQL stays byte for byte what it was; only its spelling here
 * is shared.
 */
#define RECORDS_V2_COLUMNS                                                    \
	"  id INTEGER PRIMARY KEY,"                                           \
	"  kind TEXT NOT NULL"                                                \
	"    CHECK (kind = 'order' OR kind = 'payment' OR kind = 'receipt')," \
	"  source_kind TEXT NOT NULL,"                                        \
	"  dedup_key TEXT NOT NULL,"                                          \
	"  platform TEXT,"                                                    \
	"  merchant TEXT,"                                                    \
	"  order_no TEXT,"                                                    \
	"  payment_no TEXT,"                                                  \
	"  merchant_order_no TEXT,"                                           \
	"  time TEXT,"                                                        \
	"  ts INTEGER,"                                                       \
	"  amount INTEGER,"                                                   \
	"  direction TEXT CHECK (direction = 'out' OR direction = 'in'"       \
	"    OR direction = 'neutral'),"                                      \
	"  status_raw TEXT,"                                                  \
	"  status TEXT,"                                                      \
	"  product TEXT,"                                                     \
	"  quantity INTEGER,"                                                 \
	"  unit_price INTEGER,"                                               \
	"  category TEXT,"                                                    \
	"  payment_method TEXT,"                                              \
	"  counterparty_account TEXT,"                                        \
	"  memo TEXT,"                                                        \
	"  card_secret TEXT,"                                                 \
	"  refund_of INTEGER REFERENCES records(id),"                         \
	"  source_id INTEGER REFERENCES sources(id),"                         \
	"  source_line INTEGER,"                                              \
	"  extra TEXT,"                                                       \
	"  created_at TEXT NOT NULL,"                                         \
	"  updated_at TEXT NOT NULL,"                                         \
	"  deleted_at TEXT"

#define RECORDS_V2_INDEXES                                                     \
	"CREATE INDEX records_ts ON records(ts);"                              \
	"CREATE INDEX records_order_no ON records(order_no)"                   \
	"  WHERE order_no IS NOT NULL;"                                        \
	"CREATE INDEX records_merchant_order_no ON records(merchant_order_no)" \
	"  WHERE merchant_order_no IS NOT NULL;"                               \
	"CREATE INDEX records_payment_no ON records(payment_no)"               \
	"  WHERE payment_no IS NOT NULL;"                                      \
	"CREATE INDEX records_amount_ts ON records(amount, ts);"               \
	"CREATE INDEX records_unlinked_refunds ON records(source_kind)"        \
	"  WHERE refund_of IS NULL AND status = 'refunded';"

static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE sources ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  parent_id INTEGER REFERENCES sources(id),"
	"  content BLOB,"
	"  rows INTEGER NOT NULL DEFAULT 0,"
	"  meta TEXT,"
	"  imported_at TEXT NOT NULL"
	");"
	"CREATE INDEX sources_sha256 ON sources(sha256);"

	"CREATE TABLE records ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('order','payment','receipt')),"
	"  source_kind TEXT NOT NULL,"
	"  dedup_key TEXT NOT NULL,"
	"  platform TEXT,"
	"  merchant TEXT,"
	"  order_no TEXT,"
	"  payment_no TEXT,"
	"  merchant_order_no TEXT,"
	"  time TEXT,"
	"  ts INTEGER,"
	"  amount INTEGER,"
	"  direction TEXT CHECK (direction IN ('out','in','neutral')),"
	"  status_raw TEXT,"
	"  status TEXT,"
	"  product TEXT,"
	"  quantity INTEGER,"
	"  unit_price INTEGER,"
	"  category TEXT,"
	"  payment_method TEXT,"
	"  counterparty_account TEXT,"
	"  memo TEXT,"
	"  card_secret TEXT,"
	"  refund_of INTEGER REFERENCES records(id),"
	"  source_id INTEGER REFERENCES sources(id),"
	"  source_line INTEGER,"
	"  extra TEXT,"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL,"
	"  deleted_at TEXT,"
	"  UNIQUE (source_kind, dedup_key)"
	");"
	"CREATE INDEX records_ts ON records(ts);"
	"CREATE INDEX records_order_no ON records(order_no);"
	"CREATE INDEX records_merchant_order_no ON records(merchant_order_no);"
	"CREATE INDEX records_payment_no ON records(payment_no);"
	"CREATE INDEX records_amount_ts ON records(amount, ts);"

	"CREATE VIRTUAL TABLE records_fts USING fts5("
	"  merchant, product, memo,"
	"  content='records', content_rowid='id', tokenize='trigram');" RECORDS_FTS_TRIGGERS

	"CREATE TABLE links ("
	"  id INTEGER PRIMARY KEY,"
	"  a INTEGER NOT NULL REFERENCES records(id),"
	"  b INTEGER NOT NULL REFERENCES records(id),"
	"  rule TEXT NOT NULL,"
	"  score REAL NOT NULL,"
	"  explanation TEXT NOT NULL,"
	"  manual INTEGER NOT NULL DEFAULT 0,"
	"  created_at TEXT NOT NULL,"
	"  UNIQUE (a, b)"
	");"
	"CREATE INDEX links_b ON links(b);"

	"CREATE TABLE timeline ("
	"  id INTEGER PRIMARY KEY,"
	"  record_id INTEGER NOT NULL REFERENCES records(id),"
	"  state TEXT NOT NULL,"
	"  state_raw TEXT,"
	"  event_time TEXT,"
	"  seen_at TEXT NOT NULL,"
	"  source_id INTEGER REFERENCES sources(id)"
	");"
	"CREATE INDEX timeline_record ON timeline(record_id);"

	"CREATE TABLE aliases ("
	"  merchant TEXT NOT NULL,"
	"  platform TEXT NOT NULL,"
	"  origin TEXT NOT NULL DEFAULT 'learned',"
	"  created_at TEXT NOT NULL,"
	"  PRIMARY KEY (merchant, platform)"
	");"

	"CREATE TABLE memberships ("
	"  id INTEGER PRIMARY KEY,"
	"  platform TEXT NOT NULL,"
	"  level TEXT,"
	"  start_date TEXT,"
	"  expiry_date TEXT,"
	"  price INTEGER,"
	"  auto_renew INTEGER NOT NULL DEFAULT 0,"
	"  inactivity_days INTEGER,"
	"  last_login TEXT,"
	"  status TEXT NOT NULL DEFAULT 'active',"
	"  note TEXT,"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL"
	");"
	"CREATE TABLE membership_renewals ("
	"  id INTEGER PRIMARY KEY,"
	"  membership_id INTEGER NOT NULL REFERENCES memberships(id),"
	"  old_expiry TEXT,"
	"  new_expiry TEXT,"
	"  price INTEGER,"
	"  order_record_id INTEGER REFERENCES records(id),"
	"  created_at TEXT NOT NULL"
	");"

	"CREATE TABLE cases ("
	"  id INTEGER PRIMARY KEY,"
	"  reason TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'open',"
	"  opened_at TEXT NOT NULL,"
	"  reply_days INTEGER NOT NULL DEFAULT 7,"
	"  deadline TEXT,"
	"  counterparty TEXT,"
	"  claim TEXT,"
	"  closed_at TEXT,"
	"  updated_at TEXT NOT NULL"
	");"
	"CREATE TABLE case_records ("
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  record_id INTEGER NOT NULL REFERENCES records(id),"
	"  PRIMARY KEY (case_id, record_id)"
	");"
	"CREATE TABLE case_notes ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  status TEXT,"
	"  note TEXT,"
	"  created_at TEXT NOT NULL"
	");"

	"CREATE TABLE attachments ("
	"  id INTEGER PRIMARY KEY,"
	"  record_id INTEGER REFERENCES records(id),"
	"  case_id INTEGER REFERENCES cases(id),"
	"  name TEXT NOT NULL,"
	"  mime TEXT,"
	"  sha256 TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  content BLOB NOT NULL,"
	"  note TEXT,"
	"  created_at TEXT NOT NULL"
	");"

	"CREATE TABLE settings ("
	"  key TEXT PRIMARY KEY,"
	"  value BLOB"
	");"

	"CREATE TABLE events ("
	"  id INTEGER PRIMARY KEY,"
	"  time TEXT NOT NULL,"
	"  command TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  detail TEXT NOT NULL DEFAULT '{}',"
	"  prev_hash TEXT NOT NULL,"
	"  hash TEXT NOT NULL"
	");",

	/*
	 * 1 -> 2: import speed, same data.  `kind IN ('order','payment',
	 * 'receipt')` compiles to an ephemeral b-tree built and torn down for
	 * every inserted row (SQLite turns only lists of up to two constants
	 * into comparisons), a quarter of a bulk import: the CHECKs become OR
	 * chains, which needs the documented 12-step table rebuild (ids kept,
	 * so the FTS index and every reference stay valid; kmv_schema__apply
	 * runs it with foreign keys off and checks them after).  The lookup
	 * indexes skip NULLs (payments have no order_no, orders mostly no
	 * payment_no); `x = ?` implies `x IS NOT NULL`, so every lookup still
	 * uses them.  A partial index finds the refunds still unlinked.
	 */
	"CREATE TABLE records_v2 (" RECORDS_V2_COLUMNS ","
	"  UNIQUE (source_kind, dedup_key)"
	");"
	"INSERT INTO records_v2 SELECT * FROM records;"
	"DROP TABLE records;"
	"ALTER TABLE records_v2 RENAME TO records;" RECORDS_V2_INDEXES
		RECORDS_FTS_TRIGGERS,

	/*
	 * 2 -> 3: a statement row's dedup key was its transaction number
	 * alone (`id:<number>`), which dropped JD refund rows (they carry
	 * the purchase's number) and every other row reusing a number.  The
	 * key is now the number with the time, amount, direction and status
	 * (kmv_statement__number_key, lib/import/statement.h); the old keys
	 * are rewritten to it so a re-import after the upgrade still adds
	 * nothing twice.
	 */
	"UPDATE records SET dedup_key = 'tx:' || payment_no || char(31) ||"
	"  coalesce(time, '') || char(31) || coalesce(amount, '') || char(31) ||"
	"  coalesce(direction, '') || char(31) || coalesce(status, '')"
	"  WHERE source_kind IN ('alipay', 'wechat', 'jd')"
	"  AND payment_no IS NOT NULL AND dedup_key = 'id:' || payment_no;",

	/*
	 * 3 -> 4: same data.  The uniqueness of (source_kind, dedup_key) was
	 * a table constraint, an autoindex SQLite cannot drop; as the named
	 * unique index records_dedup a bulk import could drop it and build it
	 * after the rows.  Measured, that did not pay (lib/import/bulk.c says
	 * why), so the index stays during imports; the name remains.  The
	 * same 12-step rebuild as 1 -> 2, ids kept; INSERT OR IGNORE and the
	 * duplicate lookups work on the index as they did on the constraint.
	 */
	"CREATE TABLE records_v4 (" RECORDS_V2_COLUMNS ");"
	"INSERT INTO records_v4 SELECT * FROM records;"
	"DROP TABLE records;"
	"ALTER TABLE records_v4 RENAME TO records;"
	"CREATE UNIQUE INDEX records_dedup ON records(source_kind, dedup_key);" RECORDS_V2_INDEXES
		RECORDS_FTS_TRIGGERS,

	/*
	 * 4 -> 5: the refunds of a charge by index.  The walks that gather
	 * one order's records (an evidence bundle, match's scope, the
	 * order's records of lib/query/resolve.c) ask `refund_of = ?` per
	 * hop, which read every record; the index holds the refunds only.
	 */
	"CREATE INDEX records_refund_of ON records(refund_of)"
	"  WHERE refund_of IS NOT NULL;",
};

static int schema_version(sqlite3 *db, int *version_out)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	KMV_TRY(kmv_db__prepare(&st, db, "PRAGMA user_version"));
	*version_out = sqlite3_step(st) == SQLITE_ROW
			       ? sqlite3_column_int(st, 0)
			       : 0;
done:
	sqlite3_finalize(st);
	return error;
}

/* Any row from foreign_key_check is a dangling reference. */
static int check_foreign_keys(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	KMV_TRY(kmv_db__prepare(&st, db, "PRAGMA foreign_key_check"));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		kmv_error_set(KMV_ERROR_VAULT,
			      "schema upgrade left a dangling reference in "
			      "table %s",
			      sqlite3_column_text(st, 0));
		error = KMV_ERROR;
	} else if (rc != SQLITE_DONE) {
		error = kmv_db__error(db, "cannot check references");
	}
done:
	sqlite3_finalize(st);
	return error;
}

int kmv_schema__migrate(sqlite3 *db, int target)
{
	int version = 0, error = 0;
	bool in_savepoint = false;

	KMV_TRY(schema_version(db, &version));
	if (version > (int)KMV_ARRAY_SIZE(migrations)) {
		kmv_error_set(KMV_ERROR_VAULT,
			      "vault schema version %d is newer than this "
			      "kmvault (%d): upgrade kmvault",
			      version, (int)KMV_ARRAY_SIZE(migrations));
		return KMV_ERROR;
	}
	if (target < 0 || target > (int)KMV_ARRAY_SIZE(migrations))
		target = (int)KMV_ARRAY_SIZE(migrations);
	if (version >= target)
		return 0;
	/*
	 * Table rebuilds drop the old table, which with foreign keys on
	 * would delete-check every referencing row; the pragma is a no-op
	 * inside a transaction, so it is switched around the savepoint.
	 */
	KMV_TRY(kmv_db__exec(db, "PRAGMA foreign_keys=OFF"));
	KMV_TRY(kmv_db__exec(db, "SAVEPOINT migrate"));
	in_savepoint = true;
	for (int i = version; i < target; i++) {
		char pragma[64];

		KMV_TRY(kmv_db__exec(db, migrations[i]));
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d",
			 i + 1);
		KMV_TRY(kmv_db__exec(db, pragma));
	}
	KMV_TRY(check_foreign_keys(db));
	KMV_TRY(kmv_db__exec(db, "RELEASE migrate"));
	in_savepoint = false;
	/*
	 * The table rebuilds (1 -> 2, 3 -> 4) leave the old table's pages on
	 * the free list: without a VACUUM the image, and so every later open,
	 * decryption and save, stays up to twice the size (a 400k-record
	 * vault went from 257 to 407 MB).  Once, outside any transaction
	 * (VACUUM cannot run in one; a caller's transaction keeps the pages).
	 */
	if (version > 0 && version < 4 && target >= 2 &&
	    sqlite3_get_autocommit(db))
		KMV_TRY(kmv_db__exec(db, "VACUUM"));
done:
	if (in_savepoint)
		sqlite3_exec(db, "ROLLBACK TO migrate; RELEASE migrate", NULL,
			     NULL, NULL);
	if (kmv_db__exec(db, "PRAGMA foreign_keys=ON") < 0 && error == 0)
		error = KMV_ERROR;
	return error;
}

int kmv_schema__apply(sqlite3 *db)
{
	return kmv_schema__migrate(db, -1);
}
