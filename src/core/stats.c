/*
 * stats.c - summary statistics over repeated runs.  We report the median
 * and the min-max range, never a single run: the median is robust to the
 * occasional run that a page-cache writeback or a neighbour disturbs.
 */
#include <stdlib.h>

#include "core/internal.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of v[0..n) (sorts v in place); 0 when n is 0.  An even count
 * takes the mean of the two middle values. */
double mmt__median(double *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
