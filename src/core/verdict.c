/*
 * verdict.c - who wins where.  Between two methods, the winner at each
 * chunk size by median time, the chunk sizes between which the winner
 * changes, and the points too close to call (each median within the
 * other's min-max range).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "core/internal.h"

/* See mmaptimer.h. */
int mmt_verdict(const struct mmt_results *res, size_t a, size_t b, struct mmt_verdict *v)
{
	const struct mmt_point *prev_win = NULL;
	bool prev_unsteady = false;
	uint64_t prev_chunk = 0;

	memset(v, 0, sizeof(*v));
	if (a >= res->nmethods || b >= res->nmethods || a == b || res->nchunks == 0)
		return -EINVAL;
	/* Chunks where either method could not run are left out. */
	for (size_t c = 0; c < res->nchunks; c++) {
		const struct mmt_point *pa = &res->points[c * res->nmethods + a];
		const struct mmt_point *pb = &res->points[c * res->nmethods + b];
		const struct mmt_point *win = pa->median <= pb->median ? pa : pb;
		bool unsteady;

		if (!pa->available || !pb->available)
			continue;
		unsteady = pa->max > 2 * pa->min || pb->max > 2 * pb->min;
		if (!prev_win)
			v->small = win->method;
		v->large = win->method;
		if (prev_win && prev_win->method != win->method) {
			if (v->ncross < MMT_MAX_CROSSOVERS) {
				v->cross_lo[v->ncross] = prev_chunk;
				v->cross_hi[v->ncross] = pa->chunk;
				v->cross_unsteady[v->ncross] = unsteady || prev_unsteady;
			}
			v->ncross++;
		}
		/* Too close to call: each median lies within the other's
		 * min-max range.  (Mere overlap of the ranges would let one
		 * outlier run hide a fourfold difference of the medians.) */
		if (pa->median >= pb->min && pa->median <= pb->max &&
		    pb->median >= pa->min && pb->median <= pa->max) {
			if (v->nclose < MMT_ARRAY_SIZE(v->close))
				v->close[v->nclose] = pa->chunk;
			v->nclose++;
		}
		prev_win = win;
		prev_chunk = pa->chunk;
		prev_unsteady = unsteady;
	}
	return prev_win ? 0 : -ENOENT;
}

/* See mmaptimer.h. */
int mmt_fastest(const struct mmt_results *res, size_t c, size_t *second)
{
	int best = -1, next = -1;

	for (size_t m = 0; m < res->nmethods; m++) {
		const struct mmt_point *p = &res->points[c * res->nmethods + m];

		/* null writes nothing: a yardstick, not a contender. */
		if (!p->available || !p->checked)
			continue;
		if (best < 0 || p->median < res->points[c * res->nmethods + (size_t)best].median) {
			next = best;
			best = (int)m;
		} else if (next < 0 || p->median < res->points[c * res->nmethods + (size_t)next].median) {
			next = (int)m;
		}
	}
	if (second)
		*second = next < 0 ? SIZE_MAX : (size_t)next;
	return best;
}

/* The index of the method called name among those measured, or -1. */
static int method_index(const struct mmt_results *res, const char *name)
{
	for (size_t m = 0; m < res->nmethods; m++)
		if (!strcmp(res->points[m].method->name, name))
			return (int)m;
	return -1;
}

/* See mmaptimer.h.  The classic pair first, because that is the question
 * the tool was made to answer; "checked" marks the methods with a file. */
int mmt_verdict_pair(const struct mmt_results *res, size_t *a, size_t *b)
{
	int im = method_index(res, "mmap"), iw = method_index(res, "write");

	if (iw < 0)
		iw = method_index(res, "read");
	*a = *b = SIZE_MAX;
	if (im >= 0 && iw >= 0) {
		*a = (size_t)im;
		*b = (size_t)iw;
		return 0;
	}
	for (size_t m = 0; m < res->nmethods; m++) {
		if (!res->points[m].checked)
			continue;
		if (*a == SIZE_MAX)
			*a = m;
		else if (*b == SIZE_MAX)
			*b = m;
	}
	return *b == SIZE_MAX ? -ENOENT : 0;
}
