/*
 * json.c - the versioned machine-readable result (schema "mmaptimer/1",
 * documented in doc/json-schema.md): tool, environment, configuration and
 * one object per (method, chunk) point with every run's time.
 */
#include <string.h>

#include "report/report.h"

/* A JSON string literal for s.  Bytes that are not UTF-8 (a path or host
 * name may hold any) become U+FFFD, so the document stays valid JSON. */
static void jstr(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		size_t n = mmt__utf8_len(p);

		if (n == 0) {
			fputs("\\ufffd", out);
			continue;
		}
		if (n > 1) {
			fwrite(p, 1, n, out);
			p += n - 1;
			continue;
		}
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

/* A number; JSON has no NaN or infinity, so those become null. */
static void jnum(FILE *out, double v)
{
	if (v != v || v > 1e308 || v < -1e308)
		fputs("null", out);
	else
		fprintf(out, "%.15g", v);
}

static void env_json(FILE *out, const struct mmt_env *e)
{
	fputs("  \"env\": {\n    \"hostname\": ", out);
	jstr(out, e->hostname);
	fputs(",\n    \"kernel\": ", out);
	jstr(out, e->kernel);
	fputs(",\n    \"machine\": ", out);
	jstr(out, e->machine);
	fputs(",\n    \"cpu_model\": ", out);
	jstr(out, e->cpu_model);
	fprintf(out, ",\n    \"cores\": %d,\n    \"page_size\": %ld,\n    \"dir\": ", e->cores,
		e->page_size);
	jstr(out, e->dir);
	fputs(",\n    \"filesystem\": {\"type\": ", out);
	jstr(out, e->fs_type);
	fputs(", \"mount_point\": ", out);
	jstr(out, e->mount_point);
	fputs(", \"source\": ", out);
	jstr(out, e->mount_source);
	fputs("},\n    \"clock\": {\"name\": ", out);
	jstr(out, e->clock.name);
	fprintf(out, ", \"resolution_ns\": %llu, \"read_cost_ns\": ",
		(unsigned long long)e->clock.resolution_ns);
	jnum(out, e->clock.read_cost_ns);
	fputs("}", out);
	if (e->date[0]) {
		fputs(",\n    \"date\": ", out);
		jstr(out, e->date);
	}
	fputs("\n  },\n", out);
}

static void config_json(FILE *out, const struct mmt_report *r)
{
	const struct mmt_job *job = r->job;

	fputs("  \"config\": {\n    \"command\": ", out);
	jstr(out, r->command);
	fprintf(out, ",\n    \"op\": \"%s\",\n    \"size\": %llu,\n    \"chunks\": [",
		job->op == MMT_OP_READ ? "read" : "write", (unsigned long long)job->size);
	for (size_t i = 0; i < job->nchunks; i++)
		fprintf(out, "%s%llu", i ? ", " : "", (unsigned long long)job->chunks[i]);
	fputs("],\n    \"methods\": [", out);
	for (size_t i = 0; i < job->nmethods; i++) {
		fputs(i ? ", " : "", out);
		jstr(out, job->methods[i]->name);
	}
	fprintf(out, "],\n    \"runs\": %u,\n    \"warmup\": %u,\n    \"dir\": ", job->runs,
		job->warmup);
	jstr(out, job->dir);
	fputs(",\n    \"options\": {\"sync\": ", out);
	jstr(out, mmt__sync_name(job->opts.sync));
	fprintf(out, ", \"batch\": %u, \"stdio_buffer\": %zu, \"queue_depth\": %u, \"madvise\": ",
		job->opts.batch ? job->opts.batch : MMT_DEFAULT_BATCH, job->opts.stdio_buffer,
		job->opts.queue_depth ? job->opts.queue_depth : MMT_DEFAULT_QUEUE_DEPTH);
	if (job->opts.advice == MMT_ADVICE_NONE)
		fputs("null", out);
	else
		jstr(out, mmt__advice_name(job->opts.advice));
	if (job->op == MMT_OP_READ)
		fprintf(out, ", \"read\": {\"cache\": \"%s\", \"drop_caches\": %s, \"pattern\": \"%s\", \"seed\": %llu}",
			job->opts.read.cache == MMT_CACHE_COLD ? "cold" : "warm",
			job->opts.read.drop_caches ? "true" : "false",
			job->opts.read.order == MMT_ORDER_RANDOM ? "random" : "seq",
			(unsigned long long)job->opts.read.seed);
	fputs("}", out);
	fputs(",\n    \"order\": \"interleaved: every repeat runs each chunk size with each "
	      "method in turn, the method order rotated every repeat\"\n  },\n", out);
}

static void point_json(FILE *out, const struct mmt_point *p, const char *op)
{
	const struct mmt_counters *c = &p->c;
	const double mib = (double)p->size / 1048576.0;

	fprintf(out, "    {\"op\": \"%s\", \"method\": ", op);
	jstr(out, p->method->name);
	fprintf(out, ", \"size\": %llu, \"chunk\": %llu, \"available\": %s",
		(unsigned long long)p->size, (unsigned long long)p->chunk,
		p->available ? "true" : "false");
	if (!p->available) {
		/* Nothing ran: no figures, only the reason. */
		fputs(", \"why\": ", out);
		jstr(out, p->why);
		fputs(",\n     \"seconds\": [], \"median\": null, \"min\": null, \"max\": null, "
		      "\"phases\": null, \"counters\": null, \"derived\": null, \"verified\": null}", out);
		return;
	}
	fputs(",\n     \"seconds\": [", out);
	for (unsigned i = 0; i < p->nruns; i++) {
		fputs(i ? ", " : "", out);
		jnum(out, p->runs[i].seconds);
	}
	fputs("],\n     \"median\": ", out);
	jnum(out, p->median);
	fputs(", \"min\": ", out);
	jnum(out, p->min);
	fputs(", \"max\": ", out);
	jnum(out, p->max);
	fputs(",\n     \"phases\": {\"setup\": ", out);
	jnum(out, p->setup);
	fputs(", \"transfer\": ", out);
	jnum(out, p->transfer);
	fputs(", \"sync\": ", out);
	jnum(out, p->sync);
	fputs(", \"teardown\": ", out);
	jnum(out, p->teardown);
	fputs("},\n     \"counters\": {\"syscalls\": ", out);
	jnum(out, c->syscalls);
	fputs(", \"minflt\": ", out);
	jnum(out, c->minflt);
	fputs(", \"majflt\": ", out);
	jnum(out, c->majflt);
	fputs(", \"utime\": ", out);
	jnum(out, c->utime);
	fputs(", \"stime\": ", out);
	jnum(out, c->stime);
	fputs(", \"nvcsw\": ", out);
	jnum(out, c->nvcsw);
	fputs(", \"nivcsw\": ", out);
	jnum(out, c->nivcsw);
	fputs(", \"storage_bytes\": ", out);
	if (c->storage_bytes < 0)
		fputs("null", out);
	else
		jnum(out, c->storage_bytes);
	fputs(", \"storage_read_bytes\": ", out);
	if (c->storage_read_bytes < 0)
		fputs("null", out);
	else
		jnum(out, c->storage_read_bytes);
	if (op[0] == 'r') {
		/* The share of the file resident before the timer, median
		 * and worst, and whether a cold cache was confirmed. */
		fputs(", \"resident\": ", out);
		if (c->resident < 0)
			fputs("null", out);
		else
			jnum(out, c->resident);
		fputs("},\n     \"cache\": {\"resident_max\": ", out);
		if (p->resident_max < 0)
			fputs("null", out);
		else
			jnum(out, p->resident_max);
		fprintf(out, ", \"cold_confirmed\": %s", p->cold_confirmed ? "true" : "false");
		/* Each run's own figure, in the order of "seconds". */
		fputs(", \"resident_runs\": [", out);
		for (unsigned i = 0; i < p->nruns; i++) {
			if (i)
				fputs(", ", out);
			if (p->runs[i].c.resident < 0)
				fputs("null", out);
			else
				jnum(out, p->runs[i].c.resident);
		}
		fputc(']', out);
	}
	fputs("},\n     \"derived\": {\"syscalls_per_mib\": ", out);
	jnum(out, c->syscalls / mib);
	fputs(", \"faults_per_mib\": ", out);
	jnum(out, (c->minflt + c->majflt) / mib);
	fputs(", \"sys_share\": ", out);
	if (c->utime + c->stime > 0)
		jnum(out, c->stime / (c->utime + c->stime));
	else
		fputs("null", out);
	fprintf(out, "},\n     \"verified\": %s}",
		p->checked ? (p->verified ? "true" : "false") : "null");
}

static int render_json(FILE *out, const struct mmt_report *r)
{
	const char *op = r->job->op == MMT_OP_READ ? "read" : "write";

	fputs("{\n  \"schema\": \"" MMT_SCHEMA "\",\n", out);
	fputs("  \"tool\": {\"name\": \"mmaptimer\", \"version\": \"" MMT_VERSION "\"},\n", out);
	env_json(out, r->env);
	config_json(out, r);
	fputs("  \"results\": [\n", out);
	for (size_t i = 0; i < r->res->npoints; i++) {
		point_json(out, &r->res->points[i], op);
		fputs(i + 1 < r->res->npoints ? ",\n" : "\n", out);
	}
	fputs("  ],\n  \"tool_peak_rss_bytes\": ", out);
	if (r->res->peak_rss < 0)
		fputs("null", out);
	else
		jnum(out, r->res->peak_rss);
	fputs("\n}\n", out);
	return mmt__report_status(out);
}

const struct mmt_reporter mmt__report_json = {
	.name = "json",
	.desc = "versioned JSON (schema mmaptimer/1) with the environment",
	.render = render_json,
};

/* See report.h: the helpers above, for the other JSON documents (ipc). */
void mmt__json_str(FILE *out, const char *s)
{
	jstr(out, s);
}

void mmt__json_num(FILE *out, double v)
{
	jnum(out, v);
}

void mmt__json_env(FILE *out, const struct mmt_env *e)
{
	env_json(out, e);
}
