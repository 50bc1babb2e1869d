/*
 * csv.c - one row per (method, chunk) point with the same figures as the
 * JSON: times in seconds, counters as medians over the runs.  New columns
 * are only ever appended, so readers that index the first ones keep
 * working.
 */
#include "report/report.h"

/* A CSV field: quoted, with quotes doubled, as RFC 4180 has it. */
static void csv_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static int render_csv(FILE *out, const struct mmt_report *r)
{
	const struct mmt_results *res = r->res;
	const char *op = r->job->op == MMT_OP_READ ? "read" : "write";

	fputs("op,method,size,chunk,runs,median,min,max,setup,transfer,teardown,"
	      "syscalls,minflt,majflt,utime,stime,nvcsw,nivcsw,verified,"
	      "sync,storage_bytes,available,why,storage_read_bytes,resident\n", out);
	for (size_t i = 0; i < res->npoints; i++) {
		const struct mmt_point *p = &res->points[i];

		fprintf(out, "%s,%s,%llu,%llu,", op, p->method->name, (unsigned long long)p->size,
			(unsigned long long)p->chunk);
		if (!p->available) {
			fputs("0,,,,,,,,,,,,,,,,,false,", out);
			csv_str(out, p->why);
			fputs(",,\n", out);
			continue;
		}
		fprintf(out, "%u,%.9f,%.9f,%.9f,%.9f,%.9f,%.9f,"
			"%.15g,%.15g,%.15g,%.6f,%.6f,%.15g,%.15g,%s,%.9f,",
			p->nruns, p->median, p->min, p->max,
			p->setup, p->transfer, p->teardown, p->c.syscalls, p->c.minflt,
			p->c.majflt, p->c.utime, p->c.stime, p->c.nvcsw, p->c.nivcsw,
			p->checked ? (p->verified ? "true" : "false") : "", p->sync);
		if (p->c.storage_bytes >= 0)
			fprintf(out, "%.15g", p->c.storage_bytes);
		fputs(",true,,", out);
		if (p->c.storage_read_bytes >= 0)
			fprintf(out, "%.15g", p->c.storage_read_bytes);
		fputs(",", out);
		if (r->job->op == MMT_OP_READ && p->c.resident >= 0)
			fprintf(out, "%.6f", p->c.resident);
		fputs("\n", out);
	}
	return mmt__report_status(out);
}

const struct mmt_reporter mmt__report_csv = {
	.name = "csv",
	.desc = "comma-separated values, one row per method and chunk size",
	.render = render_csv,
};
