/*
 * db.c - saved results in an SQLite database: opening it (refusing damaged,
 * foreign and newer files without writing to them), the schema and its
 * migrations, saving a run or importing a JSON document in one
 * transaction, and reading results back for history, report and compare.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"

struct mmt_store {
	sqlite3 *db;
	char path[4096];
};

/*
 * The schema, one step per version: migrations[v] takes a database of
 * version v to v + 1.  A new database runs them all.  To change the
 * schema, add a step here (never edit an old one: databases out there were
 * built by it) and raise MMT_STORE_VERSION.
 */
static const char *const migrations[] = {
	/* 0 -> 1: a result per row with its environment, configuration and
	 * JSON document; the summary of each point. */
	"CREATE TABLE result ("
	" id INTEGER PRIMARY KEY,"
	" date TEXT,"                 /* when the run began, from the result */
	" saved TEXT NOT NULL,"       /* when it was stored */
	" host TEXT NOT NULL, kernel TEXT NOT NULL, machine TEXT NOT NULL,"
	" cpu_model TEXT NOT NULL, cores INTEGER, page_size INTEGER,"
	" fs_type TEXT NOT NULL, mount_point TEXT, mount_source TEXT, dir TEXT,"
	" command TEXT NOT NULL, op TEXT NOT NULL, size INTEGER NOT NULL,"
	" runs INTEGER NOT NULL, warmup INTEGER NOT NULL,"
	" config TEXT NOT NULL,"      /* the JSON config object */
	" verdict TEXT NOT NULL,"
	" json TEXT NOT NULL);"       /* the whole mmaptimer/1 document */
	"CREATE TABLE point ("
	" result_id INTEGER NOT NULL REFERENCES result(id) ON DELETE CASCADE,"
	" idx INTEGER NOT NULL,"      /* chunk-major, as results[] */
	" method TEXT NOT NULL, chunk INTEGER NOT NULL,"
	" available INTEGER NOT NULL, why TEXT,"
	" median REAL, min REAL, max REAL,"
	" PRIMARY KEY (result_id, idx));",

	/* 1 -> 2: where a result came from; each point's phases and
	 * counters; every run's own figures.  Results saved by version 1 get
	 * them from their JSON document, which holds the medians and each
	 * run's time (a run's own counters were not kept, so stay NULL). */
	"ALTER TABLE result ADD COLUMN origin TEXT NOT NULL DEFAULT 'run';"
	"ALTER TABLE result ADD COLUMN peak_rss REAL;"
	"ALTER TABLE point ADD COLUMN setup REAL;"
	"ALTER TABLE point ADD COLUMN transfer REAL;"
	"ALTER TABLE point ADD COLUMN sync REAL;"
	"ALTER TABLE point ADD COLUMN teardown REAL;"
	"ALTER TABLE point ADD COLUMN syscalls REAL;"
	"ALTER TABLE point ADD COLUMN minflt REAL;"
	"ALTER TABLE point ADD COLUMN majflt REAL;"
	"ALTER TABLE point ADD COLUMN utime REAL;"
	"ALTER TABLE point ADD COLUMN stime REAL;"
	"ALTER TABLE point ADD COLUMN nvcsw REAL;"
	"ALTER TABLE point ADD COLUMN nivcsw REAL;"
	"ALTER TABLE point ADD COLUMN storage_bytes REAL;"
	"ALTER TABLE point ADD COLUMN storage_read_bytes REAL;"
	"ALTER TABLE point ADD COLUMN resident REAL;"
	"ALTER TABLE point ADD COLUMN verified INTEGER;"
	"CREATE TABLE run ("
	" result_id INTEGER NOT NULL REFERENCES result(id) ON DELETE CASCADE,"
	" point_idx INTEGER NOT NULL, n INTEGER NOT NULL,"
	" seconds REAL NOT NULL, setup REAL, transfer REAL, sync REAL, teardown REAL,"
	" syscalls REAL, minflt REAL, majflt REAL, utime REAL, stime REAL,"
	" nvcsw REAL, nivcsw REAL, storage_bytes REAL, storage_read_bytes REAL,"
	" resident REAL,"
	" PRIMARY KEY (result_id, point_idx, n));"
	"UPDATE result SET peak_rss = json_extract(json, '$.tool_peak_rss_bytes');"
	"UPDATE point SET"
	" (setup, transfer, sync, teardown, syscalls, minflt, majflt, utime, stime, nvcsw, nivcsw,"
	"  storage_bytes, storage_read_bytes, resident, verified) = ("
	"  SELECT json_extract(p.value, '$.phases.setup'), json_extract(p.value, '$.phases.transfer'),"
	"   json_extract(p.value, '$.phases.sync'), json_extract(p.value, '$.phases.teardown'),"
	"   json_extract(p.value, '$.counters.syscalls'), json_extract(p.value, '$.counters.minflt'),"
	"   json_extract(p.value, '$.counters.majflt'), json_extract(p.value, '$.counters.utime'),"
	"   json_extract(p.value, '$.counters.stime'), json_extract(p.value, '$.counters.nvcsw'),"
	"   json_extract(p.value, '$.counters.nivcsw'), json_extract(p.value, '$.counters.storage_bytes'),"
	"   json_extract(p.value, '$.counters.storage_read_bytes'),"
	"   json_extract(p.value, '$.counters.resident'), json_extract(p.value, '$.verified')"
	"  FROM result r, json_each(r.json, '$.results') p"
	"  WHERE r.id = point.result_id AND json_extract(p.value, '$.method') = point.method"
	"   AND json_extract(p.value, '$.chunk') = point.chunk);"
	"INSERT INTO run (result_id, point_idx, n, seconds)"
	" SELECT pt.result_id, pt.idx, s.key, s.value"
	" FROM point pt JOIN result r ON r.id = pt.result_id, json_each(r.json, '$.results') p,"
	"  json_each(p.value, '$.seconds') s"
	" WHERE json_extract(p.value, '$.method') = pt.method"
	"  AND json_extract(p.value, '$.chunk') = pt.chunk;",
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) == MMT_STORE_VERSION,
	       "one migration step per schema version");

/* See store.h. */
int mmt__sqlite_code(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_CORRUPT: case SQLITE_NOTADB: return MMT_EDBDAMAGED;
	case SQLITE_NOMEM: return -ENOMEM;
	case SQLITE_FULL: return -ENOSPC;
	case SQLITE_PERM: case SQLITE_AUTH: case SQLITE_READONLY: return -EACCES;
	case SQLITE_CANTOPEN: return -ENOENT;
	case SQLITE_BUSY: case SQLITE_LOCKED: return -EBUSY;
	default: return -EIO;
	}
}

/* See store.h. */
sqlite3 *mmt__store_db(struct mmt_store *st)
{
	return st->db;
}

/* Run sql (several statements) on db; 0 or a code with err filled. */
static int exec(sqlite3 *db, const char *sql, const char *what, struct mmt_error *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		int code = mmt__sqlite_code(rc);

		mmt__error_set(err, code, "cannot %s: %s", what, msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return code;
	}
	return 0;
}

/* See store.h. */
int mmt__store_migrate(sqlite3 *db, int from, int to, struct mmt_error *err)
{
	char sql[96];
	int rc;

	for (int v = from; v < to; v++) {
		if ((rc = exec(db, migrations[v], "update the database's schema", err)))
			return rc;
		snprintf(sql, sizeof(sql), "PRAGMA application_id = %d; PRAGMA user_version = %d;",
			 MMT_STORE_APPLICATION_ID, v + 1);
		if ((rc = exec(db, sql, "update the database's schema", err)))
			return rc;
	}
	return 0;
}

/* A single integer from a PRAGMA or query; -1 if it fails. */
static int64_t query_int(sqlite3 *db, const char *sql, int *src)
{
	sqlite3_stmt *q = NULL;
	int64_t v = -1;

	*src = sqlite3_prepare_v2(db, sql, -1, &q, NULL);
	if (*src == SQLITE_OK && (*src = sqlite3_step(q)) == SQLITE_ROW) {
		v = sqlite3_column_int64(q, 0);
		*src = SQLITE_OK;
	}
	sqlite3_finalize(q);
	return v;
}

/* What the first bytes of path say: 0 for an SQLite file (or an empty
 * one, which SQLite treats as an empty database), MMT_EDBDAMAGED for
 * anything else, -errno when it cannot be read. */
static int sniff(const char *path, struct mmt_error *err)
{
	static const char magic[16] = "SQLite format 3";
	char head[16];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t n;

	if (fd < 0)
		return mmt__error_set(err, -errno, "cannot open database '%s': %s", path,
				      strerror(errno));
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n < 0)
		return mmt__error_set(err, -errno, "cannot read database '%s': %s", path,
				      strerror(errno));
	if (n == 0)
		return 0;
	if (n < (ssize_t)sizeof(head) || memcmp(head, magic, sizeof(magic)))
		return mmt__error_set(err, MMT_EDBDAMAGED,
				      "'%s' is not an mmaptimer database: not an SQLite file", path);
	return 0;
}

/* The checks every open makes before anything is written: ours, not
 * newer, not damaged.  *version gets the file's schema version. */
static int check_db(sqlite3 *db, const char *path, int *version, struct mmt_error *err)
{
	int64_t app, ver, tables;
	int src;
	sqlite3_stmt *q = NULL;

	app = query_int(db, "PRAGMA application_id", &src);
	if (src != SQLITE_OK)
		goto damaged;
	ver = query_int(db, "PRAGMA user_version", &src);
	if (src != SQLITE_OK)
		goto damaged;
	tables = query_int(db, "SELECT count(*) FROM sqlite_schema", &src);
	if (src != SQLITE_OK)
		goto damaged;
	if (app != MMT_STORE_APPLICATION_ID && (app != 0 || tables != 0))
		return mmt__error_set(err, MMT_EDBFOREIGN,
				      "'%s' is not an mmaptimer database: an SQLite database of another program%s",
				      path, app ? " (another application_id)" : "");
	if (ver > MMT_STORE_VERSION)
		return mmt__error_set(err, MMT_EDBNEWER,
				      "'%s' is a database of a newer mmaptimer (version %lld; this one knows up to %d)",
				      path, (long long)ver, MMT_STORE_VERSION);
	/* The whole file, read once: a damaged page found now is refused
	 * before anything is written, rather than halfway through a save. */
	src = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &q, NULL);
	if (src == SQLITE_OK && (src = sqlite3_step(q)) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(q, 0), "ok")) {
		char why[256], *p = why;
		static const char noise[] = "*** in database main ***";

		/* One line: SQLite's report spans several. */
		snprintf(why, sizeof(why), "%s", (const char *)sqlite3_column_text(q, 0));
		if (!strncmp(p, noise, sizeof(noise) - 1))
			p += sizeof(noise) - 1;
		p += strspn(p, " \n");
		for (char *c = p; *c; c++)
			if (*c == '\n')
				*c = ' ';
		mmt__error_set(err, MMT_EDBDAMAGED, "database '%s' is damaged: %s", path, p);
		sqlite3_finalize(q);
		return MMT_EDBDAMAGED;
	}
	sqlite3_finalize(q);
	if (src != SQLITE_ROW && src != SQLITE_DONE && src != SQLITE_OK)
		goto damaged;
	*version = (int)ver;
	return 0;
damaged:
	return mmt__error_set(err, mmt__sqlite_code(src) == -EIO ? MMT_EDBDAMAGED : mmt__sqlite_code(src),
			      "database '%s' is damaged or unreadable: %s", path, sqlite3_errmsg(db));
}

/* See mmaptimer.h. */
int mmt_store_open(const char *path, unsigned flags, struct mmt_store **out, bool *created,
		   struct mmt_error *err)
{
	struct mmt_store *st;
	struct stat sb;
	bool exists = stat(path, &sb) == 0, made = false;
	int rc, version = 0, oflags;

	*out = NULL;
	if (created)
		*created = false;
	if (!exists && errno != ENOENT)
		return mmt__error_set(err, -errno, "cannot open database '%s': %s", path,
				      strerror(errno));
	if (!exists && !(flags & MMT_STORE_CREATE))
		return mmt__error_set(err, -ENOENT, "no database at '%s' (save a run with --save first)",
				      path);
	if (exists && !S_ISREG(sb.st_mode))
		return mmt__error_set(err, MMT_EDBDAMAGED, "'%s' is not an mmaptimer database: not a regular file",
				      path);
	if (exists && (rc = sniff(path, err)))
		return rc;
	if (!(st = calloc(1, sizeof(*st))))
		return mmt__error_set(err, -ENOMEM, "out of memory");
	snprintf(st->path, sizeof(st->path), "%s", path);
	oflags = flags & MMT_STORE_READONLY ? SQLITE_OPEN_READONLY
		 : SQLITE_OPEN_READWRITE | (exists ? 0 : SQLITE_OPEN_CREATE);
	if (!exists) {
		/* Create it ourselves, O_EXCL, so that we know it is ours to
		 * remove should anything below fail. */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);

		if (fd < 0) {
			rc = mmt__error_set(err, -errno, "cannot create database '%s': %s", path,
					    strerror(errno));
			free(st);
			return rc;
		}
		close(fd);
		made = true;
	}
	rc = sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOFOLLOW, NULL);
	if (rc != SQLITE_OK) {
		rc = mmt__error_set(err, mmt__sqlite_code(rc), "cannot open database '%s': %s", path,
				    st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 5000);
	if ((rc = check_db(st->db, path, &version, err)))
		goto fail;
	if (version < MMT_STORE_VERSION && !(flags & MMT_STORE_READONLY)) {
		/* One transaction: a migration that fails leaves the file as
		 * it was. */
		if ((rc = exec(st->db, "BEGIN IMMEDIATE", "lock the database", err)))
			goto fail;
		if ((rc = mmt__store_migrate(st->db, version, MMT_STORE_VERSION, err)) ||
		    (rc = exec(st->db, "COMMIT", "update the database's schema", err))) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			goto fail;
		}
	}
	if ((rc = exec(st->db, "PRAGMA foreign_keys = ON", "open the database", err)))
		goto fail;
	if (created)
		*created = made;
	*out = st;
	return 0;
fail:
	sqlite3_close(st->db);
	if (made) {
		char j[4200];

		unlink(path);
		snprintf(j, sizeof(j), "%s-journal", path);
		unlink(j);
	}
	free(st);
	return rc;
}

/* See mmaptimer.h. */
void mmt_store_close(struct mmt_store *st)
{
	if (!st)
		return;
	sqlite3_close(st->db);
	free(st);
}

/* A prepared statement, or NULL with err filled. */
static sqlite3_stmt *prepare(struct mmt_store *st, const char *sql, int *rc,
			     struct mmt_error *err)
{
	sqlite3_stmt *q = NULL;
	int src = sqlite3_prepare_v2(st->db, sql, -1, &q, NULL);

	if (src != SQLITE_OK) {
		*rc = mmt__error_set(err, mmt__sqlite_code(src), "cannot use database '%s': %s",
				     st->path, sqlite3_errmsg(st->db));
		return NULL;
	}
	return q;
}

/* Step an insert; 0 or a code with err filled. */
static int step_done(struct mmt_store *st, sqlite3_stmt *q, struct mmt_error *err)
{
	int src = sqlite3_step(q);

	sqlite3_reset(q);
	if (src != SQLITE_DONE)
		return mmt__error_set(err, mmt__sqlite_code(src), "cannot save to '%s': %s",
				      st->path, sqlite3_errmsg(st->db));
	return 0;
}

/* A figure, NULL where it is unknown (NAN, or negative for a counter
 * that says "could not be read" so). */
static void bind_fig(sqlite3_stmt *q, int i, double v, bool neg_unknown)
{
	if (isnan(v) || (neg_unknown && v < 0))
		sqlite3_bind_null(q, i);
	else
		sqlite3_bind_double(q, i, v);
}

/* The counters and phases, bound from column `i` on, in the order of the
 * point and run tables. */
static void bind_figures(sqlite3_stmt *q, int i, double setup, double transfer, double sync,
			 double teardown, const struct mmt_counters *c)
{
	bind_fig(q, i++, setup, false);
	bind_fig(q, i++, transfer, false);
	bind_fig(q, i++, sync, false);
	bind_fig(q, i++, teardown, false);
	bind_fig(q, i++, c->syscalls, false);
	bind_fig(q, i++, c->minflt, false);
	bind_fig(q, i++, c->majflt, false);
	bind_fig(q, i++, c->utime, false);
	bind_fig(q, i++, c->stime, false);
	bind_fig(q, i++, c->nvcsw, false);
	bind_fig(q, i++, c->nivcsw, false);
	bind_fig(q, i++, c->storage_bytes, true);
	bind_fig(q, i++, c->storage_read_bytes, true);
	bind_fig(q, i, c->resident, true);
}

/* Insert the result, its points and runs; inside the caller's
 * transaction. */
static int insert(struct mmt_store *st, const struct mmt_report *r, const char *json,
		  const char *origin, int64_t *id, struct mmt_error *err)
{
	const struct mmt_env *e = r->env;
	const struct mmt_job *job = r->job;
	const struct mmt_results *res = r->res;
	sqlite3_stmt *q = NULL, *qp = NULL, *qr = NULL;
	char saved[32] = "", verdict[256];
	time_t now = time(NULL);
	struct tm tm;
	int rc = 0;

	if (gmtime_r(&now, &tm))
		strftime(saved, sizeof(saved), "%Y-%m-%dT%H:%M:%SZ", &tm);
	mmt_verdict_line(res, verdict, sizeof(verdict));
	if (!(q = prepare(st,
			  "INSERT INTO result (date, saved, host, kernel, machine, cpu_model, cores,"
			  " page_size, fs_type, mount_point, mount_source, dir, command, op, size, runs,"
			  " warmup, config, verdict, json, origin, peak_rss)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
			  " ?16, ?17, json_extract(?18, '$.config'), ?19, ?18, ?20, ?21)", &rc, err)))
		goto out;
	if (e->date[0])
		sqlite3_bind_text(q, 1, e->date, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, saved, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, e->hostname, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, e->kernel, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, e->machine, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, e->cpu_model, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 7, e->cores);
	sqlite3_bind_int64(q, 8, e->page_size);
	sqlite3_bind_text(q, 9, e->fs_type, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 10, e->mount_point, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 11, e->mount_source, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 12, e->dir, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 13, r->command, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 14, job->op == MMT_OP_READ ? "read" : "write", -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 15, (sqlite3_int64)job->size);
	sqlite3_bind_int(q, 16, (int)job->runs);
	sqlite3_bind_int(q, 17, (int)job->warmup);
	sqlite3_bind_text(q, 18, json, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 19, verdict, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 20, origin, -1, SQLITE_STATIC);
	bind_fig(q, 21, res->peak_rss, true);
	if ((rc = step_done(st, q, err)))
		goto out;
	*id = sqlite3_last_insert_rowid(st->db);

	if (!(qp = prepare(st,
			   "INSERT INTO point (result_id, idx, method, chunk, available, why, median,"
			   " min, max, setup, transfer, sync, teardown, syscalls, minflt, majflt, utime,"
			   " stime, nvcsw, nivcsw, storage_bytes, storage_read_bytes, resident, verified)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
			   " ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)", &rc, err)) ||
	    !(qr = prepare(st,
			   "INSERT INTO run (result_id, point_idx, n, seconds, setup, transfer, sync,"
			   " teardown, syscalls, minflt, majflt, utime, stime, nvcsw, nivcsw,"
			   " storage_bytes, storage_read_bytes, resident)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
			   " ?16, ?17, ?18)", &rc, err)))
		goto out;
	for (size_t i = 0; i < res->npoints; i++) {
		const struct mmt_point *p = &res->points[i];
		struct mmt_counters c = p->c;

		if (job->op != MMT_OP_READ)
			c.resident = -1;
		sqlite3_clear_bindings(qp);
		sqlite3_bind_int64(qp, 1, *id);
		sqlite3_bind_int64(qp, 2, (sqlite3_int64)i);
		sqlite3_bind_text(qp, 3, p->method->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(qp, 4, (sqlite3_int64)p->chunk);
		sqlite3_bind_int(qp, 5, p->available);
		if (!p->available) {
			sqlite3_bind_text(qp, 6, p->why, -1, SQLITE_STATIC);
			if ((rc = step_done(st, qp, err)))
				goto out;
			continue;
		}
		bind_fig(qp, 7, p->median, false);
		bind_fig(qp, 8, p->min, false);
		bind_fig(qp, 9, p->max, false);
		bind_figures(qp, 10, p->setup, p->transfer, p->sync, p->teardown, &c);
		if (p->checked)
			sqlite3_bind_int(qp, 24, p->verified);
		if ((rc = step_done(st, qp, err)))
			goto out;
		for (unsigned n = 0; n < p->nruns; n++) {
			const struct mmt_run *run = &p->runs[n];

			c = run->c;
			if (job->op != MMT_OP_READ)
				c.resident = -1;
			sqlite3_bind_int64(qr, 1, *id);
			sqlite3_bind_int64(qr, 2, (sqlite3_int64)i);
			sqlite3_bind_int(qr, 3, (int)n);
			sqlite3_bind_double(qr, 4, run->seconds);
			bind_figures(qr, 5, run->setup, run->transfer, run->sync, run->teardown, &c);
			if ((rc = step_done(st, qr, err)))
				goto out;
		}
	}
out:
	sqlite3_finalize(q);
	sqlite3_finalize(qp);
	sqlite3_finalize(qr);
	return rc;
}

/* insert() in a transaction of its own: all of it stored, or nothing.
 * confirm, when given, has the last word before the commit. */
static int insert_tx(struct mmt_store *st, const struct mmt_report *r, const char *json,
		     const char *origin, int (*confirm)(void *arg, int64_t id), void *arg,
		     int64_t *id, struct mmt_error *err)
{
	int rc;

	if ((rc = exec(st->db, "BEGIN IMMEDIATE", "lock the database", err)))
		return rc;
	if ((rc = insert(st, r, json, origin, id, err)) ||
	    (confirm && (rc = confirm(arg, *id)) &&
	     mmt__error_set(err, rc, "not stored: %s", mmt_strerror(rc))) ||
	    (rc = exec(st->db, "COMMIT", "save the result", err))) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	return 0;
}

/* See mmaptimer.h. */
int mmt_store_save(struct mmt_store *st, const struct mmt_report *r, const char *json,
		   int64_t *id, struct mmt_error *err)
{
	return insert_tx(st, r, json, "run", NULL, NULL, id, err);
}

/* See mmaptimer.h. */
int mmt_store_import(struct mmt_store *st, const char *json, size_t len,
		     int (*confirm)(void *arg, int64_t id), void *arg, int64_t *id,
		     struct mmt_error *err)
{
	struct mmt_loaded l;
	char *doc;
	int rc;

	if ((rc = mmt_load_json(json, len, &l, err)))
		return rc;
	/* Stored as it came, byte for byte: the document is the record. */
	if (!(doc = strndup(json, len))) {
		mmt_loaded_free(&l);
		return mmt__error_set(err, -ENOMEM, "out of memory");
	}
	rc = insert_tx(st, &l.rep, doc, "import", confirm, arg, id, err);
	free(doc);
	mmt_loaded_free(&l);
	return rc;
}

/* See mmaptimer.h. */
int mmt_store_load(struct mmt_store *st, int64_t id, struct mmt_loaded *l,
		   struct mmt_error *err)
{
	sqlite3_stmt *q;
	int rc = 0, src;

	memset(l, 0, sizeof(*l));
	if (!(q = prepare(st, "SELECT json FROM result WHERE id = ?1", &rc, err)))
		return rc;
	sqlite3_bind_int64(q, 1, id);
	src = sqlite3_step(q);
	if (src == SQLITE_ROW) {
		const char *json = (const char *)sqlite3_column_text(q, 0);

		rc = mmt_load_json(json, (size_t)sqlite3_column_bytes(q, 0), l, err);
		if (rc && err) {
			char msg[sizeof(err->msg)];

			snprintf(msg, sizeof(msg), "%s", err->msg);
			mmt__error_set(err, rc, "saved result %lld in '%s': %s", (long long)id,
				       st->path, msg);
		}
	} else if (src == SQLITE_DONE) {
		rc = mmt__error_set(err, MMT_ENOTSAVED, "no saved result %lld in '%s'",
				    (long long)id, st->path);
	} else {
		rc = mmt__error_set(err, mmt__sqlite_code(src), "cannot read database '%s': %s",
				    st->path, sqlite3_errmsg(st->db));
	}
	sqlite3_finalize(q);
	return rc;
}

/* Copy column i as text into buf ("unknown" for NULL). */
static void col(sqlite3_stmt *q, int i, char *buf, size_t len)
{
	const unsigned char *s = sqlite3_column_text(q, i);

	snprintf(buf, len, "%s", s ? (const char *)s : "unknown");
}

/* See mmaptimer.h. */
int mmt_store_history(struct mmt_store *st, int (*fn)(void *arg, const struct mmt_history *h),
		      void *arg, struct mmt_error *err)
{
	sqlite3_stmt *q;
	struct mmt_history h;
	int rc = 0, src;

	if (!(q = prepare(st,
			  "SELECT id, date, host, kernel, fs_type, command, origin, verdict"
			  " FROM result ORDER BY id", &rc, err)))
		return rc;
	while ((src = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&h, 0, sizeof(h));
		h.id = sqlite3_column_int64(q, 0);
		col(q, 1, h.date, sizeof(h.date));
		col(q, 2, h.host, sizeof(h.host));
		col(q, 3, h.kernel, sizeof(h.kernel));
		col(q, 4, h.fs, sizeof(h.fs));
		col(q, 5, h.command, sizeof(h.command));
		col(q, 6, h.origin, sizeof(h.origin));
		col(q, 7, h.verdict, sizeof(h.verdict));
		if ((rc = fn(arg, &h)))
			break;
	}
	if (!rc && src != SQLITE_DONE)
		rc = mmt__error_set(err, mmt__sqlite_code(src), "cannot read database '%s': %s",
				    st->path, sqlite3_errmsg(st->db));
	sqlite3_finalize(q);
	return rc;
}
