/*
 * plot.c - what the pictures share: logarithmic axes with ticks people can
 * read (1 B, 1 KiB, 1 MiB; 1 ns, 1 us, 1 ms, 1 s), the pair of methods
 * the verdict compares and where their curves cross, the method colours,
 * and text escaped for XML and HTML.  Used by svg.c, html.c and chart.c.
 */
#include <math.h>
#include <string.h>

#include "report/report.h"

/* Okabe and Ito's palette, told apart by colour-blind readers too, then
 * a few more; methods past the end reuse it. */
static const char *const colours[] = {
	"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
	"#000000", "#8c564b", "#7f7f7f", "#bcbd22",
};

/* See report.h. */
const char *mmt__plot_colour(size_t m)
{
	return colours[m % MMT_ARRAY_SIZE(colours)];
}

/* floor(log_base(v)) and ceil, robust against rounding at exact powers. */
static int exp_floor(double v, int base)
{
	double e = base == 2 ? log2(v) : log10(v);

	return (int)floor(e + 1e-9);
}

static int exp_ceil(double v, int base)
{
	double e = base == 2 ? log2(v) : log10(v);

	return (int)ceil(e - 1e-9);
}

/* Set the ends and the label step of an axis over [lo, hi]. */
static void axis_set(struct mmt__axis *a, int base, double lo, double hi, int min_exp,
		     unsigned max_labels)
{
	static const int steps2[] = { 1, 2, 4, 5, 10, 20 }, steps10[] = { 1, 2, 3, 5 };
	const int *steps = base == 2 ? steps2 : steps10;
	size_t nsteps = base == 2 ? MMT_ARRAY_SIZE(steps2) : MMT_ARRAY_SIZE(steps10);

	if (!(lo > 0) || !(hi > 0) || !isfinite(lo) || !isfinite(hi)) {
		lo = 1;
		hi = base;
	}
	a->base = base;
	a->e_lo = MMT_MAX(exp_floor(lo, base), min_exp);
	a->e_hi = MMT_MAX(exp_ceil(hi, base), a->e_lo);
	/* A flat curve still gets an axis with room above and below. */
	if (a->e_hi == a->e_lo) {
		a->e_lo = MMT_MAX(a->e_lo - 1, min_exp);
		a->e_hi = a->e_lo + 2;
	}
	if (max_labels < 2)
		max_labels = 2;
	a->step = steps[nsteps - 1];
	for (size_t i = 0; i < nsteps; i++) {
		if ((unsigned)((a->e_hi - a->e_lo) / steps[i]) + 1 <= max_labels) {
			a->step = steps[i];
			break;
		}
	}
	a->lo = pow(base, a->e_lo);
	a->hi = pow(base, a->e_hi);
}

/* See report.h. */
void mmt__axis_chunks(const struct mmt_results *res, unsigned max_labels, struct mmt__axis *a)
{
	double lo = 0, hi = 0;

	for (size_t c = 0; c < res->nchunks; c++) {
		double v = (double)res->points[c * res->nmethods].chunk;

		lo = c ? MMT_MIN(lo, v) : v;
		hi = c ? MMT_MAX(hi, v) : v;
	}
	axis_set(a, 2, lo, hi, 0, max_labels);
	a->kind = MMT__AXIS_SIZE;
}

/* See report.h. */
void mmt__axis_times(const struct mmt_results *res, unsigned max_labels, struct mmt__axis *a)
{
	double lo = 0, hi = 0;
	bool any = false;

	for (size_t i = 0; i < res->npoints; i++) {
		const struct mmt_point *p = &res->points[i];

		if (!p->available || !(p->min > 0))
			continue;
		lo = any ? MMT_MIN(lo, p->min) : p->min;
		hi = any ? MMT_MAX(hi, p->max) : p->max;
		any = true;
	}
	/* Below 0.1 ns a clock reading would be all there is. */
	axis_set(a, 10, lo, hi, -10, max_labels);
	a->kind = MMT__AXIS_TIME;
}

/* See report.h. */
void mmt__axis_rates(const struct mmt_results *res, unsigned max_labels, struct mmt__axis *a)
{
	double lo = 0, hi = 0;
	bool any = false;

	for (size_t i = 0; i < res->npoints; i++) {
		const struct mmt_point *p = &res->points[i];

		if (!p->available || !(p->min > 0))
			continue;
		lo = any ? MMT_MIN(lo, (double)p->size / p->max) : (double)p->size / p->max;
		hi = any ? MMT_MAX(hi, (double)p->size / p->min) : (double)p->size / p->min;
		any = true;
	}
	axis_set(a, 2, lo, hi, 0, max_labels);
	a->kind = MMT__AXIS_RATE;
}

/* See report.h. */
double mmt__axis_pos(const struct mmt__axis *a, double v)
{
	double l = log(a->lo), h = log(a->hi), x;

	if (!(v > 0))
		return 0;
	x = (log(v) - l) / (h - l);
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* See report.h. */
bool mmt__axis_labelled(const struct mmt__axis *a, int e)
{
	/* Exponents that are multiples of the step, counted from 0 (1 B,
	 * 1 s) so that labels fall on round values. */
	return ((e % a->step) + a->step) % a->step == 0;
}

/* See report.h. */
char *mmt__axis_label(const struct mmt__axis *a, int e, char *buf, size_t len)
{
	if (a->kind == MMT__AXIS_TIME) {
		static const char *const units[] = { "ns", "\xc2\xb5s", "ms", "s" };
		/* 10^e seconds: which unit, and how many of it. */
		int u = e >= 0 ? 3 : e >= -3 ? 2 : e >= -6 ? 1 : 0;
		int k = e - (u - 3) * 3;

		if (e >= 3)
			snprintf(buf, len, "%.0f s", pow(10, e));
		else if (k < 0)
			snprintf(buf, len, "0.%0*d %s", -k, 1, units[u]);
		else
			snprintf(buf, len, "%.0f %s", pow(10, k), units[u]);
		return buf;
	}
	mmt_format_size((uint64_t)1 << MMT_MIN(e, 62), buf, len);
	if (a->kind == MMT__AXIS_RATE)
		strncat(buf, "/s", len - strlen(buf) - 1);
	return buf;
}

/* See report.h. */
bool mmt__report_pair(const struct mmt_results *res, size_t *a, size_t *b)
{
	*a = *b = SIZE_MAX;
	/* The classic pair when both ran, else the first two methods that
	 * write or read a file (null is a yardstick, not a contender): the
	 * same pair the table's verdict names. */
	for (size_t m = 0; m < res->nmethods; m++) {
		if (!strcmp(res->points[m].method->name, "mmap"))
			*a = m;
		else if (!strcmp(res->points[m].method->name, "write"))
			*b = m;
	}
	if (*a != SIZE_MAX && *b != SIZE_MAX)
		return true;
	*a = *b = SIZE_MAX;
	for (size_t m = 0; m < res->nmethods; m++) {
		if (!res->points[m].checked)
			continue;
		if (*a == SIZE_MAX)
			*a = m;
		else if (*b == SIZE_MAX)
			*b = m;
	}
	return *b != SIZE_MAX;
}

/* The point of method m at chunk size chunk, or NULL. */
static const struct mmt_point *point_at(const struct mmt_results *res, size_t m, uint64_t chunk)
{
	for (size_t c = 0; c < res->nchunks; c++)
		if (res->points[c * res->nmethods + m].chunk == chunk)
			return &res->points[c * res->nmethods + m];
	return NULL;
}

/* See report.h. */
double mmt__crossover(const struct mmt_results *res, size_t a, size_t b, uint64_t lo, uint64_t hi)
{
	const struct mmt_point *al = point_at(res, a, lo), *ah = point_at(res, a, hi);
	const struct mmt_point *bl = point_at(res, b, lo), *bh = point_at(res, b, hi);
	double dl, dh, t;

	if (!al || !ah || !bl || !bh || !(al->median > 0) || !(ah->median > 0) ||
	    !(bl->median > 0) || !(bh->median > 0))
		return sqrt((double)lo * (double)hi);
	/* The log ratio of the medians changes sign between lo and hi;
	 * where it passes zero on straight lines in log-log space is where
	 * the drawn curves cross. */
	dl = log(al->median / bl->median);
	dh = log(ah->median / bh->median);
	t = dl == dh ? 0.5 : dl / (dl - dh);
	if (!(t >= 0 && t <= 1))
		t = 0.5;
	return exp(log((double)lo) + t * (log((double)hi) - log((double)lo)));
}

/* See report.h. */
void mmt__xml_text(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		size_t n = mmt__utf8_len(p);

		/* A path or host name may hold any byte; XML allows neither
		 * broken UTF-8 nor most control characters, so those
		 * become U+FFFD and the document stays well-formed. */
		if (n == 0 || (*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f) {
			fputs("\xef\xbf\xbd", out);
			continue;
		}
		if (n > 1) {
			fwrite(p, 1, n, out);
			p += n - 1;
			continue;
		}
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*p, out);
		}
	}
}

/* See report.h. */
void mmt__report_caption(FILE *out, const struct mmt_report *r)
{
	const struct mmt_job *job = r->job;
	char size[32];

	/* The command may come from a saved run or a file from elsewhere:
	 * escaped like any other text. */
	fputs("mmaptimer ", out);
	mmt__xml_text(out, r->command);
	fprintf(out, ": %s a %s file, median of %u run%s per point",
		job->op == MMT_OP_READ ? "reading" : "writing",
		mmt_format_size(job->size, size, sizeof(size)), job->runs, job->runs == 1 ? "" : "s");
	if (job->op == MMT_OP_READ)
		fprintf(out, ", %s cache, %s order",
			job->opts.read.cache == MMT_CACHE_COLD ? "cold" : "warm",
			job->opts.read.order == MMT_ORDER_RANDOM ? "random" : "sequential");
	else
		fprintf(out, ", sync %s", mmt__sync_name(job->opts.sync));
}
