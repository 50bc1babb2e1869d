/*
 * table.c - the human table: one row per chunk size, each method's median
 * and min-max, the ratio between two methods, and a verdict line.
 */
#include <string.h>

#include "report/report.h"

/* "24.9-25.3 ms" when both ends share a unit, "998 us-1.01 ms" otherwise. */
static char *format_range(double lo, double hi, char *buf, size_t len)
{
	char a[32], b[32];
	char *ua, *ub;

	mmt_format_time(lo, a, sizeof(a));
	mmt_format_time(hi, b, sizeof(b));
	ua = strchr(a, ' ');
	ub = strchr(b, ' ');
	if (ua && ub && !strcmp(ua, ub))
		*ua = '\0';
	snprintf(buf, len, "%s-%s", a, b);
	return buf;
}

/* The two methods the verdict compares: the first two that write a file.
 * null is a yardstick, not a contender: with fewer than two others there
 * is no verdict.  Returns 0, or -1 when there is none. */
static int contenders(const struct mmt_results *res, size_t *a, size_t *b)
{
	size_t found = 0, idx[2] = { 0, 0 };

	for (size_t i = 0; i < res->nmethods && found < 2; i++)
		if (res->points[i].checked)
			idx[found++] = i;
	if (found < 2)
		return -1;
	*a = idx[0];
	*b = idx[1];
	return 0;
}

/* Say which changes of winner rest on unsteady runs, so that nobody takes
 * a crossover made of one disturbed run for a property of the machine. */
static void print_unsteady(FILE *out, const struct mmt_verdict *v)
{
	char lo[32], hi[32];
	size_t n = 0;

	for (size_t i = 0; i < v->ncross && i < MMT_MAX_CROSSOVERS; i++) {
		if (!v->cross_unsteady[i])
			continue;
		fprintf(out, "%s%s-%s", n++ ? ", " : "  (unsteady runs, the slowest over twice the fastest, around the change at ",
			mmt_format_size(v->cross_lo[i], lo, sizeof(lo)),
			mmt_format_size(v->cross_hi[i], hi, sizeof(hi)));
	}
	if (n)
		fputs(": measure again with more --runs before trusting it)\n", out);
}

static void print_verdict(FILE *out, const struct mmt_results *res)
{
	struct mmt_verdict v;
	char lo[32], hi[32];
	size_t a, b;

	if (contenders(res, &a, &b) || mmt_verdict(res, a, b, &v))
		return;
	if (v.ncross == 0) {
		const struct mmt_method *loser = res->points[a].method == v.small
			? res->points[b].method : res->points[a].method;

		fprintf(out, "verdict: %s is faster than %s at every chunk size measured",
			v.small->name, loser->name);
	} else if (v.ncross == 1) {
		fprintf(out, "verdict: %s wins for small chunks (up to %s), %s for large ones (from %s); "
			"the winner changes between %s and %s",
			v.small->name, mmt_format_size(v.cross_lo[0], lo, sizeof(lo)),
			v.large->name, mmt_format_size(v.cross_hi[0], hi, sizeof(hi)), lo, hi);
	} else {
		/* With only two contenders the lead alternates between them. */
		const struct mmt_method *other = res->points[a].method == v.small
			? res->points[b].method : res->points[a].method;

		fprintf(out, "verdict: the lead changes %zu times: %s wins up to %s", v.ncross,
			v.small->name, mmt_format_size(v.cross_lo[0], lo, sizeof(lo)));
		for (size_t i = 0; i < v.ncross && i < MMT_MAX_CROSSOVERS; i++)
			fprintf(out, ", %s from %s", i % 2 ? v.small->name : other->name,
				mmt_format_size(v.cross_hi[i], hi, sizeof(hi)));
		if (v.ncross > MMT_MAX_CROSSOVERS)
			fputs(", ...", out);
	}
	fputs("\n", out);
	print_unsteady(out, &v);
	if (v.nclose) {
		fprintf(out, "too close to call (each median within the other's min-max range) at");
		for (size_t i = 0; i < v.nclose && i < MMT_ARRAY_SIZE(v.close); i++)
			fprintf(out, "%s %s", i ? "," : "", mmt_format_size(v.close[i], lo, sizeof(lo)));
		if (v.nclose > MMT_ARRAY_SIZE(v.close))
			fprintf(out, " and %zu more", v.nclose - MMT_ARRAY_SIZE(v.close));
		fputs("\n", out);
	}
}

static int render_table(FILE *out, const struct mmt_report *r)
{
	const struct mmt_results *res = r->res;
	const struct mmt_job *job = r->job;
	const struct mmt_env *env = r->env;
	char buf[64], buf2[64];
	size_t a = 0, b = 1;
	size_t contending = 0;
	bool ratio, fastest, all_checked = true;

	for (size_t m = 0; m < res->nmethods; m++)
		contending += res->points[m].checked;
	ratio = res->nmethods == 2;
	fastest = !ratio && contending > 1;

	if (ratio && contenders(res, &a, &b))
		ratio = false;
	fprintf(out, "mmaptimer %s: %s a %s file, %zu chunk size%s, %u run%s per point\n",
		MMT_VERSION, r->command, mmt_format_size(job->size, buf, sizeof(buf)),
		res->nchunks, res->nchunks == 1 ? "" : "s", job->runs, job->runs == 1 ? "" : "s");
	fprintf(out, "in %s (%s on %s), %s, %d cores\n\n", env->dir, env->fs_type,
		env->mount_source, env->cpu_model, env->cores);

	fprintf(out, "%10s", "chunk");
	for (size_t m = 0; m < res->nmethods; m++)
		fprintf(out, "  %-9s %-16s", res->points[m].method->name, "");
	if (ratio) {
		snprintf(buf, sizeof(buf), "%s/%s", res->points[b].method->name,
			 res->points[a].method->name);
		fprintf(out, "  %10s", buf);
	}
	if (fastest)
		fprintf(out, "  fastest, by");
	fprintf(out, "\n%10s", "");
	for (size_t m = 0; m < res->nmethods; m++)
		fprintf(out, "  %-9s %-16s", "median", "min-max");
	fputs("\n", out);

	for (size_t c = 0; c < res->nchunks; c++) {
		const struct mmt_point *row = &res->points[c * res->nmethods];
		const struct mmt_point *best = NULL, *second = NULL;

		fprintf(out, "%10s", mmt_format_size(row->chunk, buf, sizeof(buf)));
		for (size_t m = 0; m < res->nmethods; m++) {
			const struct mmt_point *p = &row[m];

			fprintf(out, "  %-9s %-16s", mmt_format_time(p->median, buf, sizeof(buf)),
				format_range(p->min, p->max, buf2, sizeof(buf2)));
			if (p->checked && !p->verified)
				all_checked = false;
			/* null is the yardstick for the harness, not a contender. */
			if (!p->checked)
				continue;
			if (!best || p->median < best->median) {
				second = best;
				best = p;
			} else if (!second || p->median < second->median) {
				second = p;
			}
		}
		if (ratio)
			fprintf(out, "  %9.2fx", row[a].median > 0 ? row[b].median / row[a].median : 0);
		if (fastest && best && second)
			fprintf(out, "  %s %.2fx", best->method->name,
				best->median > 0 ? second->median / best->median : 0);
		fputs("\n", out);
	}
	fprintf(out, "\ntimes: open to close, median of %u run%s; %s\n", job->runs,
		job->runs == 1 ? "" : "s",
		!contending ? "no file written (null writes none)"
		: all_checked ? "every written file verified byte for byte" : "NOT every file verified");
	print_verdict(out, res);
	return mmt__report_status(out);
}

const struct mmt_reporter mmt__report_table = {
	.name = "table",
	.desc = "a table for people, with a verdict",
	.render = render_table,
};
