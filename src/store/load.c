/*
 * load.c - read an mmaptimer/1 JSON document back into the structures the
 * reporters take, with SQLite's own JSON functions (json_valid, json_type,
 * json_extract, json_each) on an in-memory connection: no JSON parser of
 * ours.  Anything that is not a complete result of our schema is refused
 * with the name of the first value that is wrong.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

/* See store.h. */
int mmt__jr_init(struct mmt__jr *jr, sqlite3 *db, struct mmt_error *err)
{
	memset(jr, 0, sizeof(*jr));
	jr->db = db;
	jr->err = err;
	if (sqlite3_prepare_v2(db, "SELECT json_type(?1, ?2), json_extract(?1, ?2)", -1, &jr->q,
			       NULL) != SQLITE_OK)
		return mmt__error_set(err, -ENOMEM, "cannot read JSON: %s", sqlite3_errmsg(db));
	return 0;
}

/* See store.h. */
void mmt__jr_done(struct mmt__jr *jr)
{
	sqlite3_finalize(jr->q);
	jr->q = NULL;
}

/* Look path up in the JSON text obj: its json_type() ("text", "integer",
 * "real", "true", "false", "null", "object", "array"), or NULL when it is
 * missing.  The value stays readable in column 1 until the next lookup. */
static const char *jtype(struct mmt__jr *jr, const char *obj, const char *path)
{
	sqlite3_reset(jr->q);
	sqlite3_bind_text(jr->q, 1, obj, -1, SQLITE_STATIC);
	sqlite3_bind_text(jr->q, 2, path, -1, SQLITE_STATIC);
	if (sqlite3_step(jr->q) != SQLITE_ROW || sqlite3_column_type(jr->q, 0) == SQLITE_NULL)
		return NULL;
	return (const char *)sqlite3_column_text(jr->q, 0);
}

/* The error for path: missing, or not of the type wanted. */
static int bad(struct mmt__jr *jr, const char *path, const char *type, const char *want)
{
	return mmt__error_set(jr->err, MMT_EJSONFOREIGN,
			      "not an mmaptimer/1 result: '%s%s' is %s%s", jr->where, path + 2,
			      type ? "not " : "missing", type ? want : "");
}

/* A string into buf; "" for a missing or null value when !required. */
static int jstring(struct mmt__jr *jr, const char *obj, const char *path, char *buf, size_t len,
		   bool required)
{
	const char *t = jtype(jr, obj, path);

	buf[0] = '\0';
	if ((!t || !strcmp(t, "null")) && !required)
		return 0;
	if (!t || strcmp(t, "text"))
		return bad(jr, path, t, "a string");
	snprintf(buf, len, "%s", (const char *)sqlite3_column_text(jr->q, 1));
	return 0;
}

/* A number; a null (or missing, when !required) value gives `none`. */
static int jnumber(struct mmt__jr *jr, const char *obj, const char *path, double *out,
		   bool required, double none)
{
	const char *t = jtype(jr, obj, path);

	if ((t && !strcmp(t, "null")) || (!t && !required)) {
		*out = none;
		return 0;
	}
	if (!t || (strcmp(t, "integer") && strcmp(t, "real")))
		return bad(jr, path, t, "a number");
	*out = sqlite3_column_double(jr->q, 1);
	return 0;
}

/* A whole number >= min. */
static int juint(struct mmt__jr *jr, const char *obj, const char *path, uint64_t *out,
		 uint64_t min)
{
	const char *t = jtype(jr, obj, path);

	if (!t || strcmp(t, "integer"))
		return bad(jr, path, t, "a whole number");
	if (sqlite3_column_int64(jr->q, 1) < (sqlite3_int64)min)
		return bad(jr, path, "", "in range");
	*out = (uint64_t)sqlite3_column_int64(jr->q, 1);
	return 0;
}

/* true, false or (when nullable) null: 1, 0, -1. */
static int jbool(struct mmt__jr *jr, const char *obj, const char *path, int *out, bool nullable)
{
	const char *t = jtype(jr, obj, path);

	if (t && !strcmp(t, "true"))
		*out = 1;
	else if (t && !strcmp(t, "false"))
		*out = 0;
	else if (t && nullable && !strcmp(t, "null"))
		*out = -1;
	else
		return bad(jr, path, t, nullable ? "true, false or null" : "true or false");
	return 0;
}

/* An object or array as JSON text (malloc'd) in *out, or NULL when it is
 * missing or null and !required. */
static int jsub(struct mmt__jr *jr, const char *obj, const char *path, const char *want,
		char **out, bool required)
{
	const char *t = jtype(jr, obj, path);

	*out = NULL;
	if ((!t || !strcmp(t, "null")) && !required)
		return 0;
	if (!t || strcmp(t, want))
		return bad(jr, path, t, !strcmp(want, "object") ? "an object" : "an array");
	if (!(*out = strdup((const char *)sqlite3_column_text(jr->q, 1))))
		return mmt__error_set(jr->err, -ENOMEM, "out of memory");
	return 0;
}

/* The elements of the array `arr` (JSON text): their types and values. */
struct elems {
	sqlite3_stmt *q;
};

static int elems_open(struct mmt__jr *jr, struct elems *e, const char *arr)
{
	if (sqlite3_prepare_v2(jr->db, "SELECT type, value, json_quote(value) FROM json_each(?1)",
			       -1, &e->q, NULL) != SQLITE_OK)
		return mmt__error_set(jr->err, -ENOMEM, "cannot read JSON: %s",
				      sqlite3_errmsg(jr->db));
	sqlite3_bind_text(e->q, 1, arr, -1, SQLITE_STATIC);
	return 0;
}

/* The count of the array's elements. */
static size_t elems_count(struct mmt__jr *jr, const char *arr)
{
	sqlite3_stmt *q;
	size_t n = 0;

	if (sqlite3_prepare_v2(jr->db, "SELECT json_array_length(?1)", -1, &q, NULL) == SQLITE_OK) {
		sqlite3_bind_text(q, 1, arr, -1, SQLITE_STATIC);
		if (sqlite3_step(q) == SQLITE_ROW)
			n = (size_t)sqlite3_column_int64(q, 0);
	}
	sqlite3_finalize(q);
	return n;
}

static int num_of(const char *type)
{
	return !strcmp(type, "integer") || !strcmp(type, "real");
}

/* env: the machine the numbers belong to. */
static int load_env(struct mmt__jr *jr, struct mmt_loaded *l, const char *env)
{
	struct mmt_env *e = &l->env;
	uint64_t cores, page, res;
	int rc;

	snprintf(jr->where, sizeof(jr->where), "env.");
	if ((rc = jstring(jr, env, "$.hostname", e->hostname, sizeof(e->hostname), true)) ||
	    (rc = jstring(jr, env, "$.kernel", e->kernel, sizeof(e->kernel), true)) ||
	    (rc = jstring(jr, env, "$.machine", e->machine, sizeof(e->machine), true)) ||
	    (rc = jstring(jr, env, "$.cpu_model", e->cpu_model, sizeof(e->cpu_model), true)) ||
	    (rc = juint(jr, env, "$.cores", &cores, 0)) ||
	    (rc = juint(jr, env, "$.page_size", &page, 0)) ||
	    (rc = jstring(jr, env, "$.dir", e->dir, sizeof(e->dir), true)) ||
	    (rc = jstring(jr, env, "$.filesystem.type", e->fs_type, sizeof(e->fs_type), true)) ||
	    (rc = jstring(jr, env, "$.filesystem.mount_point", e->mount_point,
			  sizeof(e->mount_point), true)) ||
	    (rc = jstring(jr, env, "$.filesystem.source", e->mount_source, sizeof(e->mount_source),
			  true)) ||
	    (rc = jstring(jr, env, "$.clock.name", l->clock_name, sizeof(l->clock_name), true)) ||
	    (rc = juint(jr, env, "$.clock.resolution_ns", &res, 0)) ||
	    (rc = jnumber(jr, env, "$.clock.read_cost_ns", &e->clock.read_cost_ns, true, NAN)) ||
	    /* Results written before the date was kept have none. */
	    (rc = jstring(jr, env, "$.date", e->date, sizeof(e->date), false)))
		return rc;
	e->cores = cores > 1u << 20 ? 1 << 20 : (int)cores;
	e->page_size = page > 1u << 30 ? 1L << 30 : (long)page;
	e->clock.resolution_ns = res;
	e->clock.name = l->clock_name;
	return 0;
}

/* A word of a fixed list, by index; the list is NULL-terminated. */
static int jword(struct mmt__jr *jr, const char *obj, const char *path,
		 const char *const *words, int *out)
{
	char buf[64];
	int rc = jstring(jr, obj, path, buf, sizeof(buf), true);

	if (rc)
		return rc;
	for (int i = 0; words[i]; i++) {
		if (!strcmp(buf, words[i])) {
			*out = i;
			return 0;
		}
	}
	return bad(jr, path, "", "a value this mmaptimer knows");
}

/* The method called name: ours, or a stand-in for one this build does not
 * have (a result from a newer mmaptimer), which only has a name. */
static const struct mmt_method *method_named(struct mmt_loaded *l, size_t i, const char *name,
					     unsigned op)
{
	const struct mmt_method *m = mmt_method_find(name);

	if (m)
		return m;
	snprintf(l->unknown_names[i], sizeof(l->unknown_names[i]), "%s", name);
	l->unknown[i].name = l->unknown_names[i];
	l->unknown[i].desc = "a method this build of mmaptimer does not have";
	l->unknown[i].ops = op;
	return &l->unknown[i];
}

/* config: what was measured, and how. */
static int load_config(struct mmt__jr *jr, struct mmt_loaded *l, const char *cfg)
{
	static const char *const ops[] = { "write", "read", NULL };
	static const char *const syncs[] = { "none", "end", "each", NULL };
	static const char *const advices[] = {
		"none", "normal", "sequential", "random", "willneed", "dontneed", "hugepage", NULL,
	};
	static const char *const caches[] = { "warm", "cold", NULL };
	static const char *const orders[] = { "seq", "random", NULL };
	struct mmt_job *job = &l->job;
	struct elems e = { 0 };
	char *arr = NULL;
	uint64_t v;
	int rc, w;
	size_t n = 0;

	snprintf(jr->where, sizeof(jr->where), "config.");
	if ((rc = jstring(jr, cfg, "$.command", l->command, sizeof(l->command), true)) ||
	    (rc = jword(jr, cfg, "$.op", ops, &w)))
		return rc;
	job->op = w ? MMT_OP_READ : MMT_OP_WRITE;
	if ((rc = juint(jr, cfg, "$.size", &job->size, 1)) ||
	    (rc = juint(jr, cfg, "$.runs", &v, 1)))
		return rc;
	job->runs = v > 100000 ? 100000 : (unsigned)v;
	if ((rc = juint(jr, cfg, "$.warmup", &v, 0)))
		return rc;
	job->warmup = v > 100000 ? 100000 : (unsigned)v;
	if ((rc = jstring(jr, cfg, "$.dir", l->dir, sizeof(l->dir), true)))
		return rc;
	job->dir = l->dir;

	/* chunks: ascending, distinct, each within the file. */
	if ((rc = jsub(jr, cfg, "$.chunks", "array", &arr, true)))
		return rc;
	n = elems_count(jr, arr);
	if (n == 0 || n > MMT_MAX_CHUNKS) {
		rc = bad(jr, "$.chunks", "", "a list of 1 to 4096 sizes");
		goto out;
	}
	if (!(l->chunks = calloc(n, sizeof(*l->chunks)))) {
		rc = mmt__error_set(jr->err, -ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = elems_open(jr, &e, arr)))
		goto out;
	job->nchunks = 0;
	while (job->nchunks < n && sqlite3_step(e.q) == SQLITE_ROW) {
		sqlite3_int64 c = sqlite3_column_int64(e.q, 1);

		if (strcmp((const char *)sqlite3_column_text(e.q, 0), "integer") || c < 1 ||
		    (uint64_t)c > job->size ||
		    (job->nchunks && (uint64_t)c <= l->chunks[job->nchunks - 1])) {
			rc = bad(jr, "$.chunks", "", "ascending sizes within the file");
			goto out;
		}
		l->chunks[job->nchunks++] = (uint64_t)c;
	}
	job->chunks = l->chunks;
	sqlite3_finalize(e.q);
	e.q = NULL;
	free(arr);

	/* methods: distinct names. */
	if ((rc = jsub(jr, cfg, "$.methods", "array", &arr, true)))
		return rc;
	n = elems_count(jr, arr);
	if (n == 0 || n > 256) {
		rc = bad(jr, "$.methods", "", "a list of 1 to 256 names");
		goto out;
	}
	l->methods = calloc(n, sizeof(*l->methods));
	l->unknown = calloc(n, sizeof(*l->unknown));
	l->unknown_names = calloc(n, sizeof(*l->unknown_names));
	if (!l->methods || !l->unknown || !l->unknown_names) {
		rc = mmt__error_set(jr->err, -ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = elems_open(jr, &e, arr)))
		goto out;
	job->nmethods = 0;
	while (job->nmethods < n && sqlite3_step(e.q) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(e.q, 1);

		if (strcmp((const char *)sqlite3_column_text(e.q, 0), "text") || !*name ||
		    strlen(name) >= sizeof(l->unknown_names[0])) {
			rc = bad(jr, "$.methods", "", "a list of method names");
			goto out;
		}
		for (size_t i = 0; i < job->nmethods; i++) {
			if (!strcmp(l->methods[i]->name, name)) {
				rc = bad(jr, "$.methods", "", "a list of distinct names");
				goto out;
			}
		}
		l->methods[job->nmethods] = method_named(l, job->nmethods, name, job->op);
		job->nmethods++;
	}
	job->methods = l->methods;

	/* options: those of the operation; defaults where a field is absent. */
	if ((rc = jword(jr, cfg, "$.options.sync", syncs, &w)))
		goto out;
	job->opts.sync = (enum mmt_sync)w;
	if ((rc = juint(jr, cfg, "$.options.batch", &v, 0)))
		goto out;
	job->opts.batch = v > 1024 ? 1024 : (unsigned)v;
	if ((rc = juint(jr, cfg, "$.options.stdio_buffer", &v, 0)))
		goto out;
	job->opts.stdio_buffer = (size_t)v;
	if ((rc = juint(jr, cfg, "$.options.queue_depth", &v, 0)))
		goto out;
	job->opts.queue_depth = v > 4096 ? 4096 : (unsigned)v;
	{
		const char *t = jtype(jr, cfg, "$.options.madvise");

		if (t && strcmp(t, "null") && (rc = jword(jr, cfg, "$.options.madvise", advices, &w)))
			goto out;
		job->opts.advice = t && strcmp(t, "null") ? (enum mmt_advice)w : MMT_ADVICE_NONE;
	}
	if (job->op == MMT_OP_READ) {
		int drop;

		if ((rc = jword(jr, cfg, "$.options.read.cache", caches, &w)))
			goto out;
		job->opts.read.cache = (enum mmt_cache)w;
		if ((rc = jword(jr, cfg, "$.options.read.pattern", orders, &w)))
			goto out;
		job->opts.read.order = (enum mmt_order)w;
		if ((rc = jbool(jr, cfg, "$.options.read.drop_caches", &drop, false)) ||
		    (rc = juint(jr, cfg, "$.options.read.seed", &job->opts.read.seed, 0)))
			goto out;
		job->opts.read.drop_caches = drop;
	}
	rc = 0;
out:
	sqlite3_finalize(e.q);
	free(arr);
	return rc;
}

/* The index of v in the ascending list a[n], or -1. */
static long find_chunk(const uint64_t *a, size_t n, uint64_t v)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a[mid] == v)
			return (long)mid;
		if (a[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* The per-run figures of an available point: the seconds of every run
 * and, reading, the share of the file resident before each.  What the
 * document does not carry per run (phases, counters) is NAN. */
static int load_runs(struct mmt__jr *jr, struct mmt_point *p, const char *pt, bool read)
{
	struct elems e = { 0 };
	char *arr = NULL;
	int rc;

	if ((rc = jsub(jr, pt, "$.seconds", "array", &arr, true)))
		return rc;
	p->nruns = (unsigned)elems_count(jr, arr);
	if (p->nruns == 0 || p->nruns > 100000) {
		rc = bad(jr, "$.seconds", "", "a list of 1 to 100000 times");
		goto out;
	}
	if (!(p->runs = calloc(p->nruns, sizeof(*p->runs)))) {
		rc = mmt__error_set(jr->err, -ENOMEM, "out of memory");
		goto out;
	}
	for (unsigned i = 0; i < p->nruns; i++) {
		struct mmt_run *r = &p->runs[i];

		r->setup = r->transfer = r->sync = r->teardown = NAN;
		r->c.syscalls = r->c.minflt = r->c.majflt = r->c.utime = r->c.stime = NAN;
		r->c.nvcsw = r->c.nivcsw = r->c.storage_bytes = r->c.storage_read_bytes = NAN;
		r->c.resident = read ? -1 : 0;
	}
	if ((rc = elems_open(jr, &e, arr)))
		goto out;
	for (unsigned i = 0; i < p->nruns && sqlite3_step(e.q) == SQLITE_ROW; i++) {
		if (!num_of((const char *)sqlite3_column_text(e.q, 0))) {
			rc = bad(jr, "$.seconds", "", "a list of numbers");
			goto out;
		}
		p->runs[i].seconds = sqlite3_column_double(e.q, 1);
	}
	sqlite3_finalize(e.q);
	e.q = NULL;
	free(arr);
	arr = NULL;
	if (read && (rc = jsub(jr, pt, "$.cache.resident_runs", "array", &arr, false)) == 0 && arr) {
		if ((rc = elems_open(jr, &e, arr)))
			goto out;
		for (unsigned i = 0; i < p->nruns && sqlite3_step(e.q) == SQLITE_ROW; i++)
			if (num_of((const char *)sqlite3_column_text(e.q, 0)))
				p->runs[i].c.resident = sqlite3_column_double(e.q, 1);
	}
out:
	sqlite3_finalize(e.q);
	free(arr);
	return rc;
}

/* One element of results[]: put into its place among the points. */
static int load_point(struct mmt__jr *jr, struct mmt_loaded *l, const char *pt, bool *filled)
{
	struct mmt_job *job = &l->job;
	const bool read = job->op == MMT_OP_READ;
	char name[64];
	uint64_t size, chunk;
	struct mmt_point *p;
	long ci;
	size_t mi;
	int rc, avail, verified, cold = 0;

	if ((rc = jstring(jr, pt, "$.method", name, sizeof(name), true)) ||
	    (rc = juint(jr, pt, "$.size", &size, 1)) || (rc = juint(jr, pt, "$.chunk", &chunk, 1)) ||
	    (rc = jbool(jr, pt, "$.available", &avail, false)))
		return rc;
	for (mi = 0; mi < job->nmethods; mi++)
		if (!strcmp(job->methods[mi]->name, name))
			break;
	ci = find_chunk(job->chunks, job->nchunks, chunk);
	if (mi == job->nmethods || ci < 0 || size != job->size)
		return bad(jr, "$.method", "", "a method and chunk of config");
	if (filled[(size_t)ci * job->nmethods + mi])
		return bad(jr, "$.method", "", "a point listed once");
	filled[(size_t)ci * job->nmethods + mi] = true;
	p = &l->res.points[(size_t)ci * job->nmethods + mi];
	p->method = job->methods[mi];
	p->size = size;
	p->chunk = chunk;
	p->available = avail;
	if (!avail)
		return jstring(jr, pt, "$.why", p->why, sizeof(p->why), false);
	if ((rc = load_runs(jr, p, pt, read)) ||
	    (rc = jnumber(jr, pt, "$.median", &p->median, true, NAN)) ||
	    (rc = jnumber(jr, pt, "$.min", &p->min, true, NAN)) ||
	    (rc = jnumber(jr, pt, "$.max", &p->max, true, NAN)) ||
	    (rc = jnumber(jr, pt, "$.phases.setup", &p->setup, true, NAN)) ||
	    (rc = jnumber(jr, pt, "$.phases.transfer", &p->transfer, true, NAN)) ||
	    (rc = jnumber(jr, pt, "$.phases.sync", &p->sync, true, NAN)) ||
	    (rc = jnumber(jr, pt, "$.phases.teardown", &p->teardown, true, NAN)) ||
	    (rc = jnumber(jr, pt, "$.counters.syscalls", &p->c.syscalls, true, NAN)) ||
	    (rc = jnumber(jr, pt, "$.counters.minflt", &p->c.minflt, true, NAN)) ||
	    (rc = jnumber(jr, pt, "$.counters.majflt", &p->c.majflt, true, NAN)) ||
	    (rc = jnumber(jr, pt, "$.counters.utime", &p->c.utime, true, NAN)) ||
	    (rc = jnumber(jr, pt, "$.counters.stime", &p->c.stime, true, NAN)) ||
	    (rc = jnumber(jr, pt, "$.counters.nvcsw", &p->c.nvcsw, true, NAN)) ||
	    (rc = jnumber(jr, pt, "$.counters.nivcsw", &p->c.nivcsw, true, NAN)) ||
	    (rc = jnumber(jr, pt, "$.counters.storage_bytes", &p->c.storage_bytes, false, -1)) ||
	    (rc = jnumber(jr, pt, "$.counters.storage_read_bytes", &p->c.storage_read_bytes, false,
			  -1)) ||
	    (rc = jbool(jr, pt, "$.verified", &verified, true)))
		return rc;
	if (!(p->min <= p->median && p->median <= p->max))
		return bad(jr, "$.median", "", "between min and max");
	p->checked = verified >= 0;
	p->verified = verified == 1;
	if (read) {
		if ((rc = jnumber(jr, pt, "$.counters.resident", &p->c.resident, false, -1)) ||
		    (rc = jnumber(jr, pt, "$.cache.resident_max", &p->resident_max, false, -1)))
			return rc;
		if (jtype(jr, pt, "$.cache.cold_confirmed") &&
		    (rc = jbool(jr, pt, "$.cache.cold_confirmed", &cold, false)))
			return rc;
		p->cold_confirmed = cold;
	}
	return 0;
}

/* results[]: every (method, chunk) point of the configuration, once. */
static int load_results(struct mmt__jr *jr, struct mmt_loaded *l, const char *doc)
{
	struct mmt_results *res = &l->res;
	struct elems e = { 0 };
	bool *filled = NULL;
	char *arr = NULL;
	size_t i = 0;
	int rc;

	res->nchunks = l->job.nchunks;
	res->nmethods = l->job.nmethods;
	res->npoints = res->nchunks * res->nmethods;
	snprintf(jr->where, sizeof(jr->where), "%s", "");
	if ((rc = jsub(jr, doc, "$.results", "array", &arr, true)))
		return rc;
	if (elems_count(jr, arr) != res->npoints) {
		rc = bad(jr, "$.results", "", "one point per method and chunk of config");
		goto out;
	}
	res->points = calloc(res->npoints, sizeof(*res->points));
	filled = calloc(res->npoints, sizeof(*filled));
	if (!res->points || !filled) {
		rc = mmt__error_set(jr->err, -ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = elems_open(jr, &e, arr)))
		goto out;
	for (; sqlite3_step(e.q) == SQLITE_ROW; i++) {
		if (strcmp((const char *)sqlite3_column_text(e.q, 0), "object")) {
			snprintf(jr->where, sizeof(jr->where), "results[%zu]", i);
			rc = bad(jr, "$.", "", "an object");
			goto out;
		}
		snprintf(jr->where, sizeof(jr->where), "results[%zu].", i);
		if ((rc = load_point(jr, l, (const char *)sqlite3_column_text(e.q, 1), filled)))
			goto out;
	}
	snprintf(jr->where, sizeof(jr->where), "%s", "");
	rc = jnumber(jr, doc, "$.tool_peak_rss_bytes", &res->peak_rss, false, -1);
out:
	sqlite3_finalize(e.q);
	free(filled);
	free(arr);
	return rc;
}

/* The schema string: ours, a newer one of ours, or something else. */
static int check_schema(struct mmt__jr *jr, const char *doc)
{
	char schema[64], name[64];
	unsigned ver;
	int end = 0;
	const char *t = jtype(jr, doc, "$.schema");

	if (!t || strcmp(t, "text"))
		return mmt__error_set(jr->err, MMT_EJSONFOREIGN,
				      "not an mmaptimer result: no \"schema\": \"" MMT_SCHEMA "\" in it");
	snprintf(schema, sizeof(schema), "%s", (const char *)sqlite3_column_text(jr->q, 1));
	if (!strcmp(schema, MMT_SCHEMA))
		return jstring(jr, doc, "$.tool.name", name, sizeof(name), false);
	if (sscanf(schema, "mmaptimer/%u%n", &ver, &end) == 1 && schema[end] == '\0' && ver > 1)
		return mmt__error_set(jr->err, MMT_EJSONNEWER,
				      "a result of schema '%s', newer than this mmaptimer reads (" MMT_SCHEMA ")",
				      schema);
	return mmt__error_set(jr->err, MMT_EJSONFOREIGN,
			      "not an mmaptimer result: its schema is '%s', not '" MMT_SCHEMA "'", schema);
}

/* See mmaptimer.h. */
int mmt_load_json(const char *json, size_t len, struct mmt_loaded *l, struct mmt_error *err)
{
	struct mmt__jr jr = { 0 };
	sqlite3 *db = NULL;
	char *doc = NULL, *env = NULL, *cfg = NULL;
	int rc;

	memset(l, 0, sizeof(*l));
	/* A NUL inside is not JSON; SQLite would stop reading there. */
	if (memchr(json, '\0', len))
		return mmt__error_set(err, MMT_EJSONFOREIGN, "not an mmaptimer result: not JSON text");
	if (!(doc = malloc(len + 1)))
		return mmt__error_set(err, -ENOMEM, "out of memory");
	memcpy(doc, json, len);
	doc[len] = '\0';
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) !=
	    SQLITE_OK) {
		rc = mmt__error_set(err, -ENOMEM, "cannot open SQLite in memory");
		goto out;
	}
	if ((rc = mmt__jr_init(&jr, db, err)))
		goto out;
	{
		const char *t = jtype(&jr, doc, "$");

		/* json_type() of text that is not JSON is an error. */
		if (!t || strcmp(t, "object")) {
			rc = mmt__error_set(err, MMT_EJSONFOREIGN, "not an mmaptimer result: %s",
					    t ? "not a JSON object" : "not valid JSON");
			goto out;
		}
	}
	if ((rc = check_schema(&jr, doc)) ||
	    (rc = jstring(&jr, doc, "$.tool.version", l->tool_version, sizeof(l->tool_version),
			  false)) ||
	    (rc = jsub(&jr, doc, "$.env", "object", &env, true)) ||
	    (rc = jsub(&jr, doc, "$.config", "object", &cfg, true)) ||
	    (rc = load_env(&jr, l, env)) || (rc = load_config(&jr, l, cfg)) ||
	    (rc = load_results(&jr, l, doc)))
		goto out;
	l->rep.job = &l->job;
	l->rep.res = &l->res;
	l->rep.env = &l->env;
	l->rep.command = l->command;
	rc = 0;
out:
	if (rc)
		mmt_loaded_free(l);
	mmt__jr_done(&jr);
	sqlite3_close(db);
	free(env);
	free(cfg);
	free(doc);
	return rc;
}

/* See mmaptimer.h. */
void mmt_loaded_free(struct mmt_loaded *l)
{
	if (l->res.points) {
		for (size_t i = 0; i < l->res.npoints; i++)
			free(l->res.points[i].runs);
		free(l->res.points);
	}
	free(l->chunks);
	free(l->methods);
	free(l->unknown);
	free(l->unknown_names);
	memset(l, 0, sizeof(*l));
}
