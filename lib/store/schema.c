/* SPDX-License-Identifier: MIT */
#include "common.h"
#include "store/vault.h"

/*
 * Schema v1.  Conventions: money in integer fen; times as ISO 8601 text
 * with the source offset (`time`) plus epoch seconds (`ts`) for ranges and
 * sorting; anything source-specific in a JSON `extra` column.  Records are
 * never deleted: `deleted_at` is an audited tombstone.
 *
 * sources      every imported file, its original bytes zlib-compressed;
 *              a ZIP member points at its archive through parent_id
 * records      orders, payments and receipts (kind), unique per
 *              (source_kind, dedup_key) so re-imports add nothing twice
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
 */
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
	"  content='records', content_rowid='id', tokenize='trigram');"
	"CREATE TRIGGER records_fts_ai AFTER INSERT ON records BEGIN"
	"  INSERT INTO records_fts(rowid, merchant, product, memo)"
	"  VALUES (new.id, new.merchant, new.product, new.memo);"
	"END;"
	"CREATE TRIGGER records_fts_ad AFTER DELETE ON records BEGIN"
	"  INSERT INTO records_fts(records_fts, rowid, merchant, product, memo)"
	"  VALUES ('delete', old.id, old.merchant, old.product, old.memo);"
	"END;"
	"CREATE TRIGGER records_fts_au AFTER UPDATE OF merchant, product, memo"
	"  ON records BEGIN"
	"  INSERT INTO records_fts(records_fts, rowid, merchant, product, memo)"
	"  VALUES ('delete', old.id, old.merchant, old.product, old.memo);"
	"  INSERT INTO records_fts(rowid, merchant, product, memo)"
	"  VALUES (new.id, new.merchant, new.product, new.memo);"
	"END;"

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
};

int kmv_schema__apply(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int version = 0, error = 0;

	KMV_TRY(kmv_db__prepare(&st, db, "PRAGMA user_version"));
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (version > (int)KMV_ARRAY_SIZE(migrations)) {
		kmv_error_set(KMV_ERROR_VAULT,
			      "vault schema version %d is newer than this "
			      "kmvault (%d): upgrade kmvault", version,
			      (int)KMV_ARRAY_SIZE(migrations));
		return KMV_ERROR;
	}
	if (version == (int)KMV_ARRAY_SIZE(migrations))
		return 0;
	KMV_TRY(kmv_db__exec(db, "SAVEPOINT migrate"));
	for (size_t i = (size_t)version; i < KMV_ARRAY_SIZE(migrations); i++) {
		char pragma[64];

		error = kmv_db__exec(db, migrations[i]);
		if (error < 0)
			break;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%zu", i + 1);
		error = kmv_db__exec(db, pragma);
		if (error < 0)
			break;
	}
	if (error < 0) {
		sqlite3_exec(db, "ROLLBACK TO migrate; RELEASE migrate", NULL,
			     NULL, NULL);
		goto done;
	}
	error = kmv_db__exec(db, "RELEASE migrate");
done:
	sqlite3_finalize(st);
	return error;
}
