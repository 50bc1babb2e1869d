/*
 * store.h - what the files of src/store/ share: reading JSON with SQLite's
 * own JSON functions (no parser of ours), and the schema migrations, which
 * the unit tests drive directly to build a database of an older version.
 */
#ifndef MMT_STORE_H
#define MMT_STORE_H

#include <sqlite3.h>

#include "core/internal.h"

/*
 * A reader of JSON values through one prepared statement on an SQLite
 * connection: json_type() and json_extract() of a path in a JSON text.
 * Errors name the value by `where` (a prefix such as "results[3].") and
 * its path.
 */
struct mmt__jr {
	sqlite3 *db;
	sqlite3_stmt *q;      /* SELECT json_type(?1, ?2), json_extract(?1, ?2) */
	struct mmt_error *err;
	char where[64];
};

/* Prepare jr on db.  0 or a negative code with err filled. */
int mmt__jr_init(struct mmt__jr *jr, sqlite3 *db, struct mmt_error *err);
void mmt__jr_done(struct mmt__jr *jr);

/* Build the schema of version `to` from version `from` (0: an empty
 * database), one migration step after another, each setting user_version,
 * inside the caller's transaction.  0 or a negative code with err filled. */
int mmt__store_migrate(sqlite3 *db, int from, int to, struct mmt_error *err);

/* The SQLite connection of an open store. */
sqlite3 *mmt__store_db(struct mmt_store *st);

/* An SQLite result code as one of ours: MMT_EDBDAMAGED for a damaged or
 * foreign file, -ENOMEM, -ENOSPC, -EACCES, -EBUSY, else -EIO. */
int mmt__sqlite_code(int rc);

#endif
