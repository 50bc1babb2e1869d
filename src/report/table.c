/*
 * table.c - the human table.  Two methods side by side (the classic
 * experiment): one row per chunk size with each method's median and
 * min-max and their ratio.  More methods, or --phases: one row per chunk
 * and method, with how far it is from the fastest and why it costs what it
 * costs.  Then the verdict: who wins where, and where the winner changes.
 */
#include <string.h>

#include "report/report.h"

/* See report.h. */
char *mmt__format_range(double lo, double hi, char *buf, size_t len)
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

/* A count people can read at a glance: 2176, 25.6K, 10.5M. */
static char *format_count(double v, char *buf, size_t len)
{
	if (v < 10000)
		snprintf(buf, len, "%.0f", v);
	else if (v < 1e6)
		snprintf(buf, len, "%.1fK", v / 1e3);
	else if (v < 1e9)
		snprintf(buf, len, "%.1fM", v / 1e6);
	else
		snprintf(buf, len, "%.1fG", v / 1e9);
	return buf;
}

/* The compact "why" of a point: its page faults and system calls, and the
 * bytes it sent to storage when there were any. */
static char *format_why(const struct mmt_point *p, char *buf, size_t len)
{
	char f[16], mj[16], c[16], b[32];
	int n;

	if (!p->checked) {
		snprintf(buf, len, "the loop alone");
		return buf;
	}
	n = snprintf(buf, len, "%s faults", format_count(p->c.minflt + p->c.majflt, f, sizeof(f)));
	if (p->c.majflt >= 1 && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " (%s major)", format_count(p->c.majflt, mj, sizeof(mj)));
	if (n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, ", %s calls", format_count(p->c.syscalls, c, sizeof(c)));
	/* Creating and removing a file dirties a few metadata blocks (a few
	 * KiB); only data that moved to or from storage says something. */
	if (p->c.storage_bytes >= (double)p->size / 2 && p->c.storage_bytes > 0 && n > 0 &&
	    (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, ", %s out",
			      mmt_format_size(mmt__bytes(p->c.storage_bytes), b, sizeof(b)));
	if (p->c.storage_read_bytes >= (double)p->size / 2 && p->c.storage_read_bytes > 0 && n > 0 &&
	    (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, ", %s in",
			 mmt_format_size(mmt__bytes(p->c.storage_read_bytes), b, sizeof(b)));
	return buf;
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

/* One verdict sentence about methods a and b. */
static void pair_verdict(FILE *out, const struct mmt_results *res, size_t a, size_t b,
			 const char *label)
{
	const struct mmt_method *ma = res->points[a].method, *mb = res->points[b].method;
	struct mmt_verdict v;
	char lo[32], hi[32];

	if (mmt_verdict(res, a, b, &v))
		return;
	fputs(label, out);
	if (v.ncross == 0) {
		fprintf(out, "%s is faster than %s at every chunk size measured", v.small->name,
			v.small == ma ? mb->name : ma->name);
	} else if (v.ncross == 1) {
		fprintf(out, "%s wins for small chunks (up to %s), %s for large ones (from %s); "
			"the winner changes between %s and %s",
			v.small->name, mmt_format_size(v.cross_lo[0], lo, sizeof(lo)),
			v.large->name, mmt_format_size(v.cross_hi[0], hi, sizeof(hi)), lo, hi);
	} else {
		/* With two contenders the lead alternates between them. */
		const struct mmt_method *other = v.small == ma ? mb : ma;

		fprintf(out, "the lead changes %zu times: %s wins up to %s", v.ncross, v.small->name,
			mmt_format_size(v.cross_lo[0], lo, sizeof(lo)));
		for (size_t i = 0; i < v.ncross && i < MMT_MAX_CROSSOVERS; i++)
			fprintf(out, ", %s from %s", i % 2 ? v.small->name : other->name,
				mmt_format_size(v.cross_hi[i], hi, sizeof(hi)));
		if (v.ncross > MMT_MAX_CROSSOVERS)
			fputs(", ...", out);
	}
	fputs("\n", out);
	print_unsteady(out, &v);
	if (v.nclose) {
		fprintf(out, "  (%s and %s are too close to call (each median within the other's min-max range) at",
			ma->name, mb->name);
		for (size_t i = 0; i < v.nclose && i < MMT_ARRAY_SIZE(v.close); i++)
			fprintf(out, "%s %s", i ? "," : "", mmt_format_size(v.close[i], lo, sizeof(lo)));
		if (v.nclose > MMT_ARRAY_SIZE(v.close))
			fprintf(out, " and %zu more", v.nclose - MMT_ARRAY_SIZE(v.close));
		fputs(")\n", out);
	}
}

/*
 * The verdict: between the two classic methods (or the first two that
 * write files), then, when more methods ran, which is fastest where and
 * where the lead passes between the two that win most often.
 */
void mmt__report_verdict(FILE *out, const struct mmt_results *res)
{
	size_t wins[64] = { 0 }, contenders = 0, a = SIZE_MAX, b = SIZE_MAX;
	int prev = -1;
	char buf[32];

	for (size_t m = 0; m < res->nmethods; m++)
		contenders += res->points[m].checked;
	mmt_verdict_pair(res, &a, &b);
	if (a != SIZE_MAX && b != SIZE_MAX)
		pair_verdict(out, res, a, b, "verdict: ");
	if (contenders <= 2)
		return;

	fputs("fastest: ", out);
	for (size_t c = 0; c < res->nchunks; c++) {
		int f = mmt_fastest(res, c, NULL);

		if (f < 0)
			continue;
		if ((size_t)f < MMT_ARRAY_SIZE(wins))
			wins[f]++;
		if (f != prev)
			fprintf(out, "%s%s from %s", prev < 0 ? "" : ", ", res->points[f].method->name,
				mmt_format_size(res->points[c * res->nmethods].chunk, buf, sizeof(buf)));
		prev = f;
	}
	fputs("\n", out);

	/* The pair that wins most often, if it is not the classic pair. */
	size_t f1 = SIZE_MAX, f2 = SIZE_MAX;

	for (size_t m = 0; m < res->nmethods && m < MMT_ARRAY_SIZE(wins); m++) {
		if (!wins[m])
			continue;
		if (f1 == SIZE_MAX || wins[m] > wins[f1]) {
			f2 = f1;
			f1 = m;
		} else if (f2 == SIZE_MAX || wins[m] > wins[f2]) {
			f2 = m;
		}
	}
	if (f1 != SIZE_MAX && f2 != SIZE_MAX &&
	    !((f1 == a && f2 == b) || (f1 == b && f2 == a)))
		pair_verdict(out, res, f1, f2, "fastest pair: ");
}

static void print_header(FILE *out, const struct mmt_report *r)
{
	static const char *const sync_names[] = { "page cache only", "fsync/msync at the end",
						   "fsync/msync after every chunk" };
	const struct mmt_job *job = r->job;
	const struct mmt_env *env = r->env;
	char buf[32];

	fprintf(out, "mmaptimer %s: %s a %s file, %zu chunk size%s, %u run%s per point, ",
		MMT_VERSION, r->command, mmt_format_size(job->size, buf, sizeof(buf)),
		r->res->nchunks, r->res->nchunks == 1 ? "" : "s", job->runs,
		job->runs == 1 ? "" : "s");
	if (job->op == MMT_OP_READ)
		fprintf(out, "%s cache, %s order\n",
			job->opts.read.cache == MMT_CACHE_COLD ? "cold" : "warm",
			job->opts.read.order == MMT_ORDER_RANDOM ? "random" : "sequential");
	else
		fprintf(out, "%s\n", sync_names[job->opts.sync]);
	fprintf(out, "in %s (%s on %s), %s, %d cores\n\n", env->dir, env->fs_type,
		env->mount_source, env->cpu_model, env->cores);
}

/* Two methods side by side: the classic experiment's table. */
static void wide_table(FILE *out, const struct mmt_results *res)
{
	char buf[64], buf2[64];

	fprintf(out, "%10s", "chunk");
	for (size_t m = 0; m < 2; m++)
		fprintf(out, "  %-9s %-16s", res->points[m].method->name, "");
	snprintf(buf, sizeof(buf), "%s/%s", res->points[1].method->name, res->points[0].method->name);
	fprintf(out, "  %10s\n%10s", buf, "");
	for (size_t m = 0; m < 2; m++)
		fprintf(out, "  %-9s %-16s", "median", "min-max");
	fputs("\n", out);

	for (size_t c = 0; c < res->nchunks; c++) {
		const struct mmt_point *row = &res->points[c * 2];

		fprintf(out, "%10s", mmt_format_size(row->chunk, buf, sizeof(buf)));
		for (size_t m = 0; m < 2; m++) {
			if (!row[m].available)
				fprintf(out, "  %-9s %-16s", "n/a", "");
			else
				fprintf(out, "  %-9s %-16s", mmt_format_time(row[m].median, buf, sizeof(buf)),
					mmt__format_range(row[m].min, row[m].max, buf2, sizeof(buf2)));
		}
		if (row[0].available && row[1].available && row[0].checked && row[1].checked &&
		    row[0].median > 0)
			fprintf(out, "  %9.2fx", row[1].median / row[0].median);
		fputs("\n", out);
	}
}

/* The compact explanation under the wide table: the counters at the
 * smallest and the largest chunk, which is where the story is. */
static void wide_why(FILE *out, const struct mmt_results *res)
{
	char buf[32], w0[96], w1[96];
	size_t ends[2] = { 0, res->nchunks - 1 };

	for (size_t i = 0; i < (res->nchunks > 1 ? 2u : 1u); i++) {
		const struct mmt_point *row = &res->points[ends[i] * 2];

		if (!row[0].available || !row[1].available)
			continue;
		fprintf(out, "why, at %s: %s %s; %s %s\n",
			mmt_format_size(row->chunk, buf, sizeof(buf)), row[0].method->name,
			format_why(&row[0], w0, sizeof(w0)), row[1].method->name,
			format_why(&row[1], w1, sizeof(w1)));
	}
}

/* One row per chunk and method, with the margin to the fastest and the
 * counters that explain the point; with --phases, the phase split. */
static void long_table(FILE *out, const struct mmt_results *res, bool phases)
{
	char buf[64], buf2[64];
	size_t width = 6;

	for (size_t m = 0; m < res->nmethods; m++)
		width = MMT_MAX(width, strlen(res->points[m].method->name));
	fprintf(out, "%10s  %-*s  %-9s %-16s %-8s ", "chunk", (int)width, "method", "median",
		"min-max", "vs best");
	if (phases)
		fprintf(out, " %-9s %-9s %-9s %-9s", "setup", "transfer", "sync", "teardown");
	else
		fputs(" why", out);
	fputs("\n", out);

	for (size_t c = 0; c < res->nchunks; c++) {
		int best = mmt_fastest(res, c, NULL);

		for (size_t m = 0; m < res->nmethods; m++) {
			const struct mmt_point *p = &res->points[c * res->nmethods + m];
			const struct mmt_point *bp = best < 0 ? NULL : &res->points[c * res->nmethods + (size_t)best];

			fprintf(out, "%10s  %-*s  ", m ? "" : mmt_format_size(p->chunk, buf, sizeof(buf)),
				(int)width, p->method->name);
			if (!p->available) {
				fprintf(out, "n/a: %s\n", p->why);
				continue;
			}
			fprintf(out, "%-9s %-16s ", mmt_format_time(p->median, buf, sizeof(buf)),
				mmt__format_range(p->min, p->max, buf2, sizeof(buf2)));
			if (!p->checked || !bp)
				fprintf(out, "%-8s ", "-");
			else if (p == bp)
				fprintf(out, "%-8s ", "fastest");
			else {
				snprintf(buf, sizeof(buf), "%.2fx", bp->median > 0 ? p->median / bp->median : 0);
				fprintf(out, "%-8s ", buf);
			}
			if (phases) {
				char ph[4][32];

				fprintf(out, " %-9s %-9s %-9s %-9s", mmt_format_time(p->setup, ph[0], 32),
					mmt_format_time(p->transfer, ph[1], 32),
					mmt_format_time(p->sync, ph[2], 32),
					mmt_format_time(p->teardown, ph[3], 32));
			} else {
				fprintf(out, " %s", format_why(p, buf2, sizeof(buf2)));
			}
			fputs("\n", out);
		}
	}
}

/* Reading: whether cold was cold, and the tool's own memory. */
static void print_read_footer(FILE *out, const struct mmt_report *r)
{
	const struct mmt_results *res = r->res;
	double worst = 0;
	bool cold = r->job->opts.read.cache == MMT_CACHE_COLD, unknown = false;
	char buf[32];

	for (size_t i = 0; i < res->npoints; i++) {
		const struct mmt_point *p = &res->points[i];

		if (!p->available || !p->checked)
			continue;
		if (p->resident_max < 0)
			unknown = true;
		else
			worst = MMT_MAX(worst, p->resident_max);
	}
	if (cold && unknown)
		fprintf(out, "cache: NOT confirmed cold: the file's residency could not be read (mincore)\n");
	else if (cold && worst > 0.01)
		fprintf(out, "cache: NOT confirmed cold: up to %.1f%% of the file was resident before a run\n",
			worst * 100);
	else if (cold)
		fprintf(out, "cache: cold, confirmed: at most %.2f%% of the file resident before any run\n",
			worst * 100);
	if (res->peak_rss >= 0)
		fprintf(out, "tool's peak resident memory: %s\n",
			mmt_format_size(mmt__bytes(res->peak_rss), buf, sizeof(buf)));
}

static int render_table(FILE *out, const struct mmt_report *r)
{
	const struct mmt_results *res = r->res;
	bool all_verified = true, any_file = false, wide = res->nmethods == 2 && !r->phases;

	for (size_t i = 0; i < res->npoints; i++) {
		const struct mmt_point *p = &res->points[i];

		if (p->available && p->checked) {
			any_file = true;
			all_verified &= p->verified;
		}
	}
	print_header(out, r);
	if (wide)
		wide_table(out, res);
	else
		long_table(out, res, r->phases);
	fprintf(out, "\ntimes: open to close, median of %u run%s; %s\n", r->job->runs,
		r->job->runs == 1 ? "" : "s",
		r->job->op == MMT_OP_READ
		? "every read checked against the file's checksum"
		: !any_file ? "no file written (null writes none)"
		: all_verified ? "every written file verified byte for byte" : "NOT every file verified");
	if (r->job->op == MMT_OP_READ)
		print_read_footer(out, r);
	if (wide) {
		char buf[32];

		for (size_t i = 0; i < res->npoints; i++)
			if (!res->points[i].available)
				fprintf(out, "n/a: %s at %s: %s\n", res->points[i].method->name,
					mmt_format_size(res->points[i].chunk, buf, sizeof(buf)),
					res->points[i].why);
		wide_why(out, res);
	}
	mmt__report_verdict(out, res);
	return mmt__report_status(out);
}

const struct mmt_reporter mmt__report_table = {
	.name = "table",
	.desc = "a table for people, with a verdict",
	.render = render_table,
};
