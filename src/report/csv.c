/*
 * csv.c - one row per (method, chunk) point with the same figures as the
 * JSON: times in seconds, counters as medians over the runs.
 */
#include "report/report.h"

static int render_csv(FILE *out, const struct mmt_report *r)
{
	const struct mmt_results *res = r->res;
	const char *op = r->job->op == MMT_OP_READ ? "read" : "write";

	fputs("op,method,size,chunk,runs,median,min,max,setup,transfer,teardown,"
	      "syscalls,minflt,majflt,utime,stime,nvcsw,nivcsw,verified\n", out);
	for (size_t i = 0; i < res->npoints; i++) {
		const struct mmt_point *p = &res->points[i];

		fprintf(out, "%s,%s,%llu,%llu,%u,%.9f,%.9f,%.9f,%.9f,%.9f,%.9f,"
			"%.15g,%.15g,%.15g,%.6f,%.6f,%.15g,%.15g,%s\n",
			op, p->method->name, (unsigned long long)p->size,
			(unsigned long long)p->chunk, p->nruns, p->median, p->min, p->max,
			p->setup, p->transfer, p->teardown, p->c.syscalls, p->c.minflt,
			p->c.majflt, p->c.utime, p->c.stime, p->c.nvcsw, p->c.nivcsw,
			p->checked ? (p->verified ? "true" : "false") : "");
	}
	return mmt__report_status(out);
}

const struct mmt_reporter mmt__report_csv = {
	.name = "csv",
	.desc = "comma-separated values, one row per method and chunk size",
	.render = render_csv,
};
