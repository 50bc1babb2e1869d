/*
 * compare.c - two results side by side (two machines, two filesystems, two
 * days): the points paired by method and chunk size, the ratio of their
 * medians, whether the difference is larger than the runs' spread, and a
 * verdict line.  Also the one-line verdict of a single result that
 * history lists.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

/* See mmaptimer.h.  The pair is the table's: mmap and write (or read)
 * when both ran, else the first two methods that touch a file. */
char *mmt_verdict_line(const struct mmt_results *res, char *buf, size_t len)
{
	size_t a = SIZE_MAX, b = SIZE_MAX;
	struct mmt_verdict v;
	char lo[32], hi[32];

	mmt_verdict_pair(res, &a, &b);
	if (a == SIZE_MAX || b == SIZE_MAX || mmt_verdict(res, a, b, &v)) {
		int f = res->nchunks ? mmt_fastest(res, 0, NULL) : -1;

		if (f >= 0)
			snprintf(buf, len, "%s fastest", res->points[f].method->name);
		else
			snprintf(buf, len, "no comparison");
		return buf;
	}
	if (v.ncross == 0)
		snprintf(buf, len, "%s faster than %s at every chunk size", v.small->name,
			 v.small == res->points[a].method ? res->points[b].method->name
							  : res->points[a].method->name);
	else if (v.ncross == 1)
		snprintf(buf, len, "%s wins up to %s, %s from %s", v.small->name,
			 mmt_format_size(v.cross_lo[0], lo, sizeof(lo)), v.large->name,
			 mmt_format_size(v.cross_hi[0], hi, sizeof(hi)));
	else
		snprintf(buf, len, "%s wins up to %s, %s from %s, and the lead changes %zu more time%s",
			 v.small->name, mmt_format_size(v.cross_lo[0], lo, sizeof(lo)),
			 v.small == res->points[a].method ? res->points[b].method->name
							  : res->points[a].method->name,
			 mmt_format_size(v.cross_hi[0], hi, sizeof(hi)), v.ncross - 1,
			 v.ncross == 2 ? "" : "s");
	return buf;
}

/* The point of res for method name at chunk, or NULL. */
static const struct mmt_point *find_point(const struct mmt_results *res, const char *name,
					  uint64_t chunk)
{
	for (size_t i = 0; i < res->npoints; i++)
		if (res->points[i].chunk == chunk && !strcmp(res->points[i].method->name, name))
			return &res->points[i];
	return NULL;
}

static void fill_row(struct mmt_cmp_row *r)
{
	r->both = r->a && r->b && r->a->available && r->b->available;
	if (!r->both)
		return;
	r->ratio = r->a->median > 0 ? r->b->median / r->a->median : 0;
	/* Beyond the spread: the min-max ranges do not overlap, so no run
	 * of one side was as fast (or as slow) as any run of the other. */
	r->differs = r->a->max < r->b->min || r->b->max < r->a->min;
}

/* See mmaptimer.h. */
int mmt_compare(const struct mmt_loaded *a, const struct mmt_loaded *b,
		struct mmt_cmp_row **rows, size_t *nrows, struct mmt_error *err)
{
	const struct mmt_results *ra = &a->res, *rb = &b->res;
	struct mmt_cmp_row *out;
	size_t n = 0;

	*rows = NULL;
	*nrows = 0;
	if (a->job.op != b->job.op)
		return mmt__error_set(err, MMT_EOPMISMATCH,
				      "cannot compare a '%s' result with a '%s' result: they measured different operations",
				      a->job.op == MMT_OP_READ ? "read" : "write",
				      b->job.op == MMT_OP_READ ? "read" : "write");
	if (a->job.size != b->job.size) {
		char sa[32], sb[32];

		return mmt__error_set(err, MMT_EOPMISMATCH,
				      "cannot compare results of different file sizes (%s and %s)",
				      mmt_format_size(a->job.size, sa, sizeof(sa)),
				      mmt_format_size(b->job.size, sb, sizeof(sb)));
	}
	if (!(out = calloc(ra->npoints + rb->npoints + 1, sizeof(*out))))
		return mmt__error_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < ra->npoints; i++) {
		const struct mmt_point *p = &ra->points[i];

		out[n].method = p->method->name;
		out[n].chunk = p->chunk;
		out[n].a = p;
		out[n].b = find_point(rb, p->method->name, p->chunk);
		fill_row(&out[n++]);
	}
	for (size_t i = 0; i < rb->npoints; i++) {
		const struct mmt_point *p = &rb->points[i];

		if (find_point(ra, p->method->name, p->chunk))
			continue;
		out[n].method = p->method->name;
		out[n].chunk = p->chunk;
		out[n].b = p;
		fill_row(&out[n++]);
	}
	*rows = out;
	*nrows = n;
	return 0;
}

/* See mmaptimer.h. */
char *mmt_compare_verdict(const struct mmt_cmp_row *rows, size_t n, enum mmt_op op, char *buf,
			  size_t len)
{
	const struct mmt_cmp_row *top = NULL;
	size_t both = 0, faster = 0, slower = 0;
	uint64_t last_diff = 0, max_chunk = 0;
	const char *verb = op == MMT_OP_READ ? "reads" : "writes";
	char cs[32], ls[32];
	int k;

	for (size_t i = 0; i < n; i++) {
		const struct mmt_cmp_row *r = &rows[i];

		if (!r->both || r->ratio <= 0)
			continue;
		both++;
		max_chunk = MMT_MAX(max_chunk, r->chunk);
		if (!r->differs)
			continue;
		if (r->ratio < 1)
			faster++;
		else
			slower++;
		last_diff = MMT_MAX(last_diff, r->chunk);
		if (!top || fabs(log(r->ratio)) > fabs(log(top->ratio)))
			top = r;
	}
	if (both == 0) {
		snprintf(buf, len, "no point was measured by both");
		return buf;
	}
	if (!top) {
		snprintf(buf, len, "no difference larger than the runs' spread at any of the %zu points",
			 both);
		return buf;
	}
	/* The largest difference first: that is what a reader asks. */
	k = snprintf(buf, len, "B is %.2fx %s for %s %s through %s", top->ratio < 1 ? 1 / top->ratio : top->ratio,
		     top->ratio < 1 ? "faster" : "slower", mmt_format_size(top->chunk, cs, sizeof(cs)),
		     verb, top->method);
	if (k < 0 || (size_t)k >= len)
		return buf;
	if (last_diff < max_chunk)
		k += snprintf(buf + k, len - (size_t)k, ", no different above %s",
			      mmt_format_size(last_diff, ls, sizeof(ls)));
	if (k > 0 && (size_t)k < len)
		snprintf(buf + k, len - (size_t)k, " (%zu of %zu points differ beyond the spread: B faster at %zu, slower at %zu)",
			 faster + slower, both, faster, slower);
	return buf;
}
