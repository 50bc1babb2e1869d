/*
 * test-store.c - saved results: a real sweep saved and read back, the
 * schema's version and migration from a version-1 database built here,
 * every kind of bad file refused without a byte of it changing, JSON that
 * is not ours refused, import in one transaction, and compare.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"
#include "fixture.h"
#include "test.h"

/* The fixture's sweep and its JSON document. */
struct fixture {
	struct test_sweep s;
	char *json;
	size_t len;
};

static void fixture_init(struct fixture *f)
{
	FILE *out;

	memset(f, 0, sizeof(*f));
	test_sweep_init(&f->s);
	ASSERT((out = open_memstream(&f->json, &f->len)));
	ASSERT_EQ_INT(mmt_reporter_find("json")->render(out, &f->s.rep), 0);
	ASSERT_EQ_INT(fclose(out), 0);
}

static void fixture_free(struct fixture *f)
{
	test_sweep_free(&f->s);
	free(f->json);
}

/* The whole content of path (malloc'd), its length in *len. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0;

	ASSERT_MSG(f != NULL, "cannot open %s: %s", path, strerror(errno));
	*len = 0;
	for (;;) {
		size_t n;

		if (*len == cap)
			ASSERT((buf = realloc(buf, cap = cap * 2 + 65536)));
		if ((n = fread(buf + *len, 1, cap - *len, f)) == 0)
			break;
		*len += n;
	}
	fclose(f);
	return buf;
}

/* One integer from sql on the database at path, opened directly. */
static long long sql_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	long long v;

	ASSERT_EQ_INT(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	ASSERT_MSG(sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK, "%s: %s", sql,
		   sqlite3_errmsg(db));
	ASSERT_EQ_INT(sqlite3_step(q), SQLITE_ROW);
	v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

/* Run sql on the database at path (created if need be). */
static void sql_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	ASSERT_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
	ASSERT_MSG(sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK, "%s: %s", sql, msg);
	sqlite3_close(db);
}

/* a and b agree to the 15 significant digits the JSON keeps. */
static bool near(double a, double b)
{
	return fabs(a - b) <= 1e-14 * fmax(fabs(a), fabs(b));
}

/* What was loaded is what was measured. */
static void same_result(const struct fixture *f, const struct mmt_loaded *l)
{
	ASSERT_STR_EQ(l->env.hostname, f->s.env.hostname);
	ASSERT_STR_EQ(l->env.kernel, f->s.env.kernel);
	ASSERT_STR_EQ(l->env.fs_type, f->s.env.fs_type);
	ASSERT_STR_EQ(l->env.date, f->s.env.date);
	ASSERT_STR_EQ(l->command, "write");
	ASSERT(l->job.op == MMT_OP_WRITE);
	ASSERT_EQ_U64(l->job.size, f->s.job.size);
	ASSERT_EQ_U64(l->job.nchunks, 3);
	ASSERT_EQ_U64(l->job.nmethods, 3);
	ASSERT_EQ_U64(l->job.runs, 2);
	for (size_t i = 0; i < 3; i++) {
		ASSERT_EQ_U64(l->job.chunks[i], f->s.job.chunks[i]);
		ASSERT(l->job.methods[i] == f->s.methods[i]);
	}
	ASSERT_EQ_U64(l->res.npoints, f->s.res.npoints);
	for (size_t i = 0; i < f->s.res.npoints; i++) {
		const struct mmt_point *p = &f->s.res.points[i], *q = &l->res.points[i];

		ASSERT(q->method == p->method);
		ASSERT_EQ_U64(q->chunk, p->chunk);
		ASSERT_EQ_INT(q->available, p->available);
		ASSERT_EQ_INT(q->checked, p->checked);
		ASSERT_EQ_INT(q->verified, p->verified);
		ASSERT_EQ_U64(q->nruns, p->nruns);
		ASSERT(near(q->median, p->median) && near(q->min, p->min) && near(q->max, p->max));
		ASSERT(near(q->c.syscalls, p->c.syscalls) && near(q->c.minflt, p->c.minflt));
		for (unsigned r = 0; r < p->nruns; r++)
			ASSERT(near(q->runs[r].seconds, p->runs[r].seconds));
	}
}

TEST_IMPL(store_save_and_load)
{
	struct fixture f;
	struct mmt_store *st;
	struct mmt_loaded l;
	struct mmt_error err = { 0 };
	char path[4200];
	int64_t id = 0, id2 = 0;
	bool created = false;

	fixture_init(&f);
	ASSERT(f.s.env.date[0] != '\0');
	snprintf(path, sizeof(path), "%s/results.db", test_dir());
	ASSERT_MSG(mmt_store_open(path, MMT_STORE_CREATE, &st, &created, &err) == 0, "%s", err.msg);
	ASSERT(created);
	ASSERT_MSG(mmt_store_save(st, &f.s.rep, f.json, &id, &err) == 0, "%s", err.msg);
	ASSERT_MSG(mmt_store_save(st, &f.s.rep, f.json, &id2, &err) == 0, "%s", err.msg);
	ASSERT(id > 0 && id2 > id);
	ASSERT_MSG(mmt_store_load(st, id, &l, &err) == 0, "%s", err.msg);
	same_result(&f, &l);
	mmt_loaded_free(&l);
	ASSERT_EQ_INT(mmt_store_load(st, id2 + 100, &l, &err), MMT_ENOTSAVED);
	mmt_store_close(st);

	/* Ours, of this version; every point and every run kept, the runs
	 * with their own counters. */
	ASSERT_EQ_INT(sql_int(path, "PRAGMA application_id"), MMT_STORE_APPLICATION_ID);
	ASSERT_EQ_INT(sql_int(path, "PRAGMA user_version"), MMT_STORE_VERSION);
	ASSERT_EQ_INT(sql_int(path, "SELECT count(*) FROM point"), 2 * 9);
	ASSERT_EQ_INT(sql_int(path, "SELECT count(*) FROM run"), 2 * 9 * 2);
	ASSERT_EQ_INT(sql_int(path, "SELECT count(*) FROM run WHERE syscalls IS NULL"), 0);
	ASSERT_EQ_INT(sql_int(path, "SELECT count(*) FROM result WHERE json_valid(json)"), 2);
	ASSERT_EQ_INT(sql_int(path, "SELECT count(*) FROM result WHERE origin = 'run'"), 2);

	/* Reopened without CREATE: the same file, nothing created. */
	ASSERT_MSG(mmt_store_open(path, 0, &st, &created, &err) == 0, "%s", err.msg);
	ASSERT(!created);
	mmt_store_close(st);
	fixture_free(&f);
}

static int count_rows(void *arg, const struct mmt_history *h)
{
	int *n = arg;

	ASSERT(h->id > 0);
	ASSERT(strlen(h->date) == 20);
	ASSERT(h->verdict[0] != '\0');
	ASSERT_STR_EQ(h->command, "write");
	(*n)++;
	return 0;
}

TEST_IMPL(store_history)
{
	struct fixture f;
	struct mmt_store *st;
	struct mmt_error err = { 0 };
	char path[4200];
	int64_t id;
	int n = 0;

	fixture_init(&f);
	snprintf(path, sizeof(path), "%s/h.db", test_dir());
	ASSERT_EQ_INT(mmt_store_open(path, MMT_STORE_CREATE, &st, NULL, &err), 0);
	ASSERT_EQ_INT(mmt_store_history(st, count_rows, &n, &err), 0);
	ASSERT_EQ_INT(n, 0);
	ASSERT_EQ_INT(mmt_store_save(st, &f.s.rep, f.json, &id, &err), 0);
	ASSERT_EQ_INT(mmt_store_import(st, f.json, f.len, NULL, NULL, &id, &err), 0);
	ASSERT_EQ_INT(mmt_store_history(st, count_rows, &n, &err), 0);
	ASSERT_EQ_INT(n, 2);
	mmt_store_close(st);
	ASSERT_EQ_INT(sql_int(path, "SELECT count(*) FROM result WHERE origin = 'import'"), 1);
	/* An imported result's runs carry their times only. */
	ASSERT_EQ_INT(sql_int(path, "SELECT count(*) FROM run WHERE result_id = 2"), 9 * 2);
	ASSERT_EQ_INT(sql_int(path, "SELECT count(*) FROM run WHERE result_id = 2 AND syscalls IS NOT NULL"), 0);
	fixture_free(&f);
}

/* A database of version 1, built by the first migration step as an older
 * mmaptimer did, with one result in it, opens as version 2 with the
 * result intact and its runs and counters taken from its document. */
TEST_IMPL(store_migrate_v1)
{
	struct fixture f;
	struct mmt_store *st;
	struct mmt_loaded l;
	struct mmt_error err = { 0 };
	sqlite3 *db;
	sqlite3_stmt *q;
	char path[4200];

	fixture_init(&f);
	snprintf(path, sizeof(path), "%s/v1.db", test_dir());
	ASSERT_EQ_INT(sqlite3_open(path, &db), SQLITE_OK);
	ASSERT_MSG(mmt__store_migrate(db, 0, 1, &err) == 0, "%s", err.msg);
	ASSERT_EQ_INT(sqlite3_prepare_v2(db,
					 "INSERT INTO result (date, saved, host, kernel, machine, cpu_model, fs_type,"
					 " command, op, size, runs, warmup, config, verdict, json)"
					 " VALUES (json_extract(?1, '$.env.date'), '2026-01-01T00:00:00Z',"
					 " json_extract(?1, '$.env.hostname'), json_extract(?1, '$.env.kernel'),"
					 " 'x86_64', 'cpu', json_extract(?1, '$.env.filesystem.type'), 'write',"
					 " 'write', 65536, 2, 0, json_extract(?1, '$.config'), 'old verdict', ?1)",
					 -1, &q, NULL), SQLITE_OK);
	sqlite3_bind_text(q, 1, f.json, (int)f.len, SQLITE_STATIC);
	ASSERT_EQ_INT(sqlite3_step(q), SQLITE_DONE);
	sqlite3_finalize(q);
	ASSERT_EQ_INT(sqlite3_exec(db,
				   "INSERT INTO point (result_id, idx, method, chunk, available, median, min, max)"
				   " SELECT 1, p.key, json_extract(p.value, '$.method'),"
				   " json_extract(p.value, '$.chunk'), 1, json_extract(p.value, '$.median'),"
				   " json_extract(p.value, '$.min'), json_extract(p.value, '$.max')"
				   " FROM result, json_each(result.json, '$.results') p",
				   NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	ASSERT_EQ_INT(sql_int(path, "PRAGMA user_version"), 1);
	ASSERT_EQ_INT(sql_int(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'run'"), 0);

	ASSERT_MSG(mmt_store_open(path, 0, &st, NULL, &err) == 0, "%s", err.msg);
	ASSERT_MSG(mmt_store_load(st, 1, &l, &err) == 0, "%s", err.msg);
	same_result(&f, &l);
	mmt_loaded_free(&l);
	mmt_store_close(st);
	ASSERT_EQ_INT(sql_int(path, "PRAGMA user_version"), 2);
	ASSERT_EQ_INT(sql_int(path, "PRAGMA application_id"), MMT_STORE_APPLICATION_ID);
	ASSERT_EQ_INT(sql_int(path, "SELECT count(*) FROM run"), 9 * 2);
	ASSERT_EQ_INT(sql_int(path, "SELECT count(*) FROM point WHERE syscalls IS NULL"), 0);
	ASSERT_EQ_INT(sql_int(path, "SELECT count(*) FROM point WHERE method = 'mmap' AND verified = 1"), 3);
	ASSERT_EQ_INT(sql_int(path, "SELECT count(*) FROM result WHERE origin = 'run' AND verdict = 'old verdict'"), 1);
	fixture_free(&f);
}

/* Opening path (every way) fails with want, and the file is unchanged. */
static void refused(const char *path, int want, const char *mention)
{
	static const unsigned flags[] = { 0, MMT_STORE_CREATE, MMT_STORE_READONLY };
	size_t len0, len1;
	char *before = slurp(path, &len0), *after;

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		struct mmt_store *st = NULL;
		struct mmt_error err = { 0 };
		int rc = mmt_store_open(path, flags[i], &st, NULL, &err);

		ASSERT_MSG(rc == want, "open(%s, %u) returned %d (%s), want %d", path, flags[i], rc,
			   err.msg, want);
		ASSERT(st == NULL);
		ASSERT_CONTAINS(err.msg, mention);
		ASSERT_MSG(!strchr(err.msg, '\n'), "%s", err.msg);
	}
	after = slurp(path, &len1);
	ASSERT_MSG(len0 == len1 && !memcmp(before, after, len0), "%s changed", path);
	free(before);
	free(after);
}

TEST_IMPL(store_refuses_bad_files)
{
	struct fixture f;
	struct mmt_store *st;
	struct mmt_error err = { 0 };
	char path[4200];
	int64_t id;
	FILE *fp;
	int fd;

	/* Not SQLite at all. */
	snprintf(path, sizeof(path), "%s/text.db", test_dir());
	ASSERT((fp = fopen(path, "w")));
	fputs("this is not a database, but it is long enough to be read as a header\n", fp);
	fclose(fp);
	refused(path, MMT_EDBDAMAGED, "not an SQLite file");

	/* Another program's SQLite database, with and without an id. */
	snprintf(path, sizeof(path), "%s/other.db", test_dir());
	sql_exec(path, "PRAGMA application_id = 1234; CREATE TABLE t (x); INSERT INTO t VALUES (1);");
	refused(path, MMT_EDBFOREIGN, "another program");
	snprintf(path, sizeof(path), "%s/plain.db", test_dir());
	sql_exec(path, "CREATE TABLE result (x); INSERT INTO result VALUES (1);");
	refused(path, MMT_EDBFOREIGN, "another program");

	/* Ours, from a newer mmaptimer. */
	fixture_init(&f);
	snprintf(path, sizeof(path), "%s/newer.db", test_dir());
	ASSERT_EQ_INT(mmt_store_open(path, MMT_STORE_CREATE, &st, NULL, &err), 0);
	ASSERT_EQ_INT(mmt_store_save(st, &f.s.rep, f.json, &id, &err), 0);
	mmt_store_close(st);
	sql_exec(path, "PRAGMA user_version = 99");
	refused(path, MMT_EDBNEWER, "newer");

	/* Ours, damaged: garbage over the pages after the first. */
	snprintf(path, sizeof(path), "%s/damaged.db", test_dir());
	ASSERT_EQ_INT(mmt_store_open(path, MMT_STORE_CREATE, &st, NULL, &err), 0);
	for (int i = 0; i < 5; i++)
		ASSERT_EQ_INT(mmt_store_save(st, &f.s.rep, f.json, &id, &err), 0);
	mmt_store_close(st);
	ASSERT((fd = open(path, O_WRONLY)) >= 0);
	{
		char junk[8192];

		memset(junk, 0x5a, sizeof(junk));
		ASSERT_EQ_INT(pwrite(fd, junk, sizeof(junk), 4096), (long)sizeof(junk));
	}
	close(fd);
	refused(path, MMT_EDBDAMAGED, "damaged");

	/* A missing file without CREATE is not created. */
	snprintf(path, sizeof(path), "%s/missing.db", test_dir());
	ASSERT_EQ_INT(mmt_store_open(path, 0, &st, NULL, &err), -ENOENT);
	ASSERT(access(path, F_OK) != 0);
	fixture_free(&f);
}

/* mmt_load_json(text) fails with want and a message naming mention. */
static void json_refused(const char *text, int want, const char *mention)
{
	struct mmt_loaded l;
	struct mmt_error err = { 0 };
	int rc = mmt_load_json(text, strlen(text), &l, &err);

	ASSERT_MSG(rc == want, "load of %.60s returned %d (%s), want %d", text, rc, err.msg, want);
	ASSERT_MSG(strstr(err.msg, mention), "\"%s\" does not mention \"%s\"", err.msg, mention);
	ASSERT(l.res.points == NULL);
}

/* The fixture's document with `from` replaced by `to` (once). */
static char *edited(const struct fixture *f, const char *from, const char *to)
{
	const char *at = strstr(f->json, from);
	char *out;

	ASSERT_MSG(at != NULL, "no %s in the document", from);
	ASSERT((out = malloc(f->len + strlen(to) + 1)));
	sprintf(out, "%.*s%s%s", (int)(at - f->json), f->json, to, at + strlen(from));
	return out;
}

/* The fixture's document with every `from` replaced by `to`. */
static char *edited_all(const struct fixture *f, const char *from, const char *to)
{
	size_t n = 0, fl = strlen(from), tl = strlen(to);
	char *out, *o;

	for (const char *p = f->json; (p = strstr(p, from)); p += fl)
		n++;
	ASSERT((o = out = malloc(f->len + n * tl + 1)));
	for (const char *p = f->json, *at; ; p = at + fl) {
		if (!(at = strstr(p, from))) {
			strcpy(o, p);
			break;
		}
		memcpy(o, p, (size_t)(at - p));
		o += at - p;
		memcpy(o, to, tl);
		o += tl;
	}
	return out;
}

TEST_IMPL(load_json_rejects)
{
	struct fixture f;
	struct {
		const char *from, *to, *mention;
		int want;
	} cases[] = {
		{ "\"schema\": \"mmaptimer/1\"", "\"schema\": \"mmaptimer/2\"", "newer", MMT_EJSONNEWER },
		{ "\"schema\": \"mmaptimer/1\"", "\"schema\": \"other/1\"", "'other/1'", MMT_EJSONFOREIGN },
		{ "\"schema\": \"mmaptimer/1\"", "\"schemata\": 1", "no \"schema\"", MMT_EJSONFOREIGN },
		{ "\"hostname\"", "\"hostnam\"", "env.hostname", MMT_EJSONFOREIGN },
		{ "\"median\": ", "\"median\": \"x\", \"o\": ", "results[0].median", MMT_EJSONFOREIGN },
		{ "\"chunks\": [1024, ", "\"chunks\": [4096, 1024, ", "config.chunks", MMT_EJSONFOREIGN },
		{ "\"op\": \"write\",\n    \"size\"", "\"op\": \"erase\",\n    \"size\"", "an 'erase' result: only write and read", MMT_EJSONFOREIGN },
		{ "\"chunk\": 1024", "\"chunk\": 2048", "results[0].method", MMT_EJSONFOREIGN },
		{ "\"results\": [", "\"results\": 7, \"x\": [", "'results' is not an array", MMT_EJSONFOREIGN },
	};

	json_refused("", MMT_EJSONFOREIGN, "not valid JSON");
	json_refused("hello", MMT_EJSONFOREIGN, "not valid JSON");
	json_refused("[1, 2]", MMT_EJSONFOREIGN, "not a JSON object");
	json_refused("{\"schema\": \"mmaptimer/1\"", MMT_EJSONFOREIGN, "not valid JSON");
	json_refused("{\"schema\": \"mmaptimer/1\"}", MMT_EJSONFOREIGN, "'env' is missing");
	fixture_init(&f);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *doc = edited(&f, cases[i].from, cases[i].to);

		json_refused(doc, cases[i].want, cases[i].mention);
		free(doc);
	}
	/* A point missing: results shorter than the configuration. */
	{
		struct mmt_loaded l;
		char *doc = edited(&f, "\"methods\": [\"mmap\", \"write\", \"null\"]",
				   "\"methods\": [\"mmap\", \"write\", \"null\", \"future\"]");

		json_refused(doc, MMT_EJSONFOREIGN, "'results' is not one point per method");
		free(doc);
		/* A method this build does not know is kept by name. */
		doc = edited_all(&f, "\"null\"", "\"future\"");
		ASSERT_EQ_INT(mmt_load_json(doc, strlen(doc), &l, NULL), 0);
		ASSERT_STR_EQ(l.job.methods[2]->name, "future");
		ASSERT(mmt_method_find("future") == NULL);
		ASSERT_STR_EQ(l.res.points[2].method->name, "future");
		mmt_loaded_free(&l);
		free(doc);
	}
	fixture_free(&f);
}

/* A confirmation that cannot be given: the id it was offered is kept in
 * *arg, and the write fails as on a full disk. */
static int refuse_confirm(void *arg, int64_t id)
{
	*(int64_t *)arg = id;
	return -ENOSPC;
}

/* An import that fails, or whose confirmation fails, leaves the database
 * as it was, byte for byte. */
TEST_IMPL(store_import_atomic)
{
	struct fixture f;
	struct mmt_store *st;
	struct mmt_error err = { 0 };
	char path[4200], *before, *after, *doc;
	size_t len0, len1;
	int64_t id, offered;

	fixture_init(&f);
	snprintf(path, sizeof(path), "%s/i.db", test_dir());
	ASSERT_EQ_INT(mmt_store_open(path, MMT_STORE_CREATE, &st, NULL, &err), 0);
	ASSERT_MSG(mmt_store_import(st, f.json, f.len, NULL, NULL, &id, &err) == 0, "%s", err.msg);
	mmt_store_close(st);
	before = slurp(path, &len0);
	doc = edited(&f, "\"schema\": \"mmaptimer/1\"", "\"schema\": \"mmaptimer/9\"");
	ASSERT_EQ_INT(mmt_store_open(path, 0, &st, NULL, &err), 0);
	ASSERT_EQ_INT(mmt_store_import(st, doc, strlen(doc), NULL, NULL, &id, &err), MMT_EJSONNEWER);
	ASSERT_EQ_INT(mmt_store_import(st, "{}", 2, NULL, NULL, &id, &err), MMT_EJSONFOREIGN);
	offered = 0;
	ASSERT_EQ_INT(mmt_store_import(st, f.json, f.len, refuse_confirm, &offered, &id, &err),
		      -ENOSPC);
	ASSERT_EQ_INT(offered, 2);
	ASSERT_CONTAINS(err.msg, "not stored");
	mmt_store_close(st);
	after = slurp(path, &len1);
	ASSERT(len0 == len1 && !memcmp(before, after, len0));
	ASSERT_EQ_INT(sql_int(path, "SELECT count(*) FROM result"), 1);
	free(before);
	free(after);
	free(doc);
	fixture_free(&f);
}

/* Set every point of l to a steady time t (min = median = max). */
static void steady(struct mmt_loaded *l, double t)
{
	for (size_t i = 0; i < l->res.npoints; i++) {
		struct mmt_point *p = &l->res.points[i];

		p->median = p->min = p->max = t;
	}
}

TEST_IMPL(compare_results)
{
	struct fixture f;
	struct mmt_loaded a, b;
	struct mmt_cmp_row *rows;
	struct mmt_error err = { 0 };
	size_t n;
	char v[256];

	fixture_init(&f);
	ASSERT_EQ_INT(mmt_load_json(f.json, f.len, &a, &err), 0);
	ASSERT_EQ_INT(mmt_load_json(f.json, f.len, &b, &err), 0);
	steady(&a, 1e-3);
	steady(&b, 1e-3);
	ASSERT_EQ_INT(mmt_compare(&a, &b, &rows, &n, &err), 0);
	ASSERT_EQ_U64(n, 9);
	for (size_t i = 0; i < n; i++)
		ASSERT(rows[i].both && !rows[i].differs && rows[i].ratio == 1);
	ASSERT_CONTAINS(mmt_compare_verdict(rows, n, MMT_OP_WRITE, v, sizeof(v)),
			"no difference larger than the runs' spread at any of the 9 points");
	free(rows);

	/* B four times faster through mmap at 1 KiB, and a little slower,
	 * within the spread, at 4 KiB: only the first counts. */
	b.res.points[0].median = b.res.points[0].min = b.res.points[0].max = 0.25e-3;
	b.res.points[3].median = 1.1e-3;
	b.res.points[3].max = 1.2e-3;
	b.res.points[3].min = 0.9e-3;
	ASSERT_EQ_INT(mmt_compare(&a, &b, &rows, &n, &err), 0);
	ASSERT(rows[0].differs && rows[0].ratio == 0.25);
	ASSERT(!rows[3].differs && rows[3].ratio > 1.09);
	mmt_compare_verdict(rows, n, MMT_OP_WRITE, v, sizeof(v));
	ASSERT_CONTAINS(v, "B is 4.00x faster for 1 KiB writes through mmap, no different above 1 KiB");
	ASSERT_CONTAINS(v, "1 of 9 points");
	free(rows);

	/* A read and a write are not comparable. */
	b.job.op = MMT_OP_READ;
	ASSERT_EQ_INT(mmt_compare(&a, &b, &rows, &n, &err), MMT_EOPMISMATCH);
	ASSERT_CONTAINS(err.msg, "cannot compare a 'write' result with a 'read' result");
	ASSERT(rows == NULL);
	mmt_loaded_free(&a);
	mmt_loaded_free(&b);
	fixture_free(&f);
}

TEST_IMPL(verdict_line)
{
	struct fixture f;
	char v[256];

	fixture_init(&f);
	mmt_verdict_line(&f.s.res, v, sizeof(v));
	/* mmap and write, whichever wins: a sentence naming both. */
	ASSERT_MSG(strstr(v, "mmap") && strstr(v, "write"), "verdict \"%s\"", v);
	fixture_free(&f);
}
