/*
 * ipc.c - the outputs of `mmaptimer ipc`: a human table (latency against
 * the cache-line floor, throughput against a pipe, and a verdict), CSV
 * with one row per (mode, transport), and the same JSON document as the
 * sweep's (schema "mmaptimer/1", config.op "ipc").  A fixed table lists
 * them; to add a format, add its render function and a row.
 */
#include <math.h>
#include <string.h>

#include "report/report.h"

static const char *wait_name(enum mmt_ipc_wait w)
{
	return w == MMT_IPC_WAIT_SPIN ? "spin" : w == MMT_IPC_WAIT_SLEEP ? "sleep" : "hybrid";
}

static const char *mode_name(enum mmt_ipc_mode m)
{
	return m == MMT_IPC_LATENCY ? "latency" : "throughput";
}

static char *ns_str(double ns, char *buf, size_t len)
{
	if (!(ns == ns))
		snprintf(buf, len, "-");
	else
		mmt_format_time(ns / 1e9, buf, len);
	return buf;
}

/* 25.1M, 812K, 950 */
static char *rate_str(double v, char *buf, size_t len)
{
	if (v >= 1e9)
		snprintf(buf, len, "%.2fG", v / 1e9);
	else if (v >= 1e6)
		snprintf(buf, len, "%.2fM", v / 1e6);
	else if (v >= 1e4)
		snprintf(buf, len, "%.1fK", v / 1e3);
	else
		snprintf(buf, len, "%.0f", v);
	return buf;
}

/* A CSV field: quoted, with quotes doubled (RFC 4180). */
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

static const struct mmt_ipc_result *find_row(const struct mmt_ipc_results *res,
					     enum mmt_ipc_mode m, const char *name)
{
	for (size_t i = 0; i < res->nrows; i++)
		if (res->rows[i].mode == m && !strcmp(res->rows[i].name, name) && res->rows[i].available)
			return &res->rows[i];
	return NULL;
}

static int render_table(FILE *out, const struct mmt_ipc_report *r)
{
	const struct mmt_ipc_job *job = r->job;
	const struct mmt_ipc_results *res = r->res;
	const struct mmt_ipc_result *shm_l, *fl, *shm_t, *pipe_t;
	char a[32], b[32], c[32], d[32], e[64];
	const char *placed = NULL;

	fprintf(out, "mmaptimer ipc: %zu-byte records, %u run%s per point, %u slot%s, %s waiting, "
		"%s backing%s%s\n", sizeof(struct mmt_ipc_record), job->runs, job->runs == 1 ? "" : "s",
		job->slots, job->slots == 1 ? "" : "s", wait_name(job->wait),
		job->backing == MMT_IPC_BACKING_MEMFD ? "memfd" : "file",
		job->backing == MMT_IPC_BACKING_MEMFD ? "" : " in ",
		job->backing == MMT_IPC_BACKING_MEMFD ? "" : r->env->dir);
	fprintf(out, "machine: %s, %d CPUs; clock read %.1f ns\n", r->env->cpu_model, r->env->cores,
		r->env->clock.read_cost_ns);

	if (job->modes & MMT_IPC_LATENCY) {
		for (size_t i = 0; i < res->nrows; i++)
			if (res->rows[i].mode == MMT_IPC_LATENCY && res->rows[i].available)
				placed = res->rows[i].placement;
		fprintf(out, "\nlatency, one way (round trip / 2), %llu round trips per run; %s\n",
			(unsigned long long)job->lat_messages, placed ? placed : "");
		fprintf(out, "each sample is a batch of round trips timed together; percentiles over the samples\n\n");
		fprintf(out, "%-9s %6s %9s %9s %9s %9s %9s %8s %8s\n", "transport", "batch", "median", "p90",
			"p99", "p99.9", "max", "x floor", "csw/msg");
		for (size_t i = 0; i < res->nrows; i++) {
			const struct mmt_ipc_result *x = &res->rows[i];

			if (x->mode != MMT_IPC_LATENCY)
				continue;
			if (!x->available) {
				fprintf(out, "%-9s n/a: %s\n", x->name, x->why);
				continue;
			}
			fprintf(out, "%-9s %6u %9s %9s %9s %9s %9s %7.1fx %8.2f\n", x->name, x->batch,
				ns_str(x->median_ns, a, sizeof(a)), ns_str(x->p90_ns, b, sizeof(b)),
				ns_str(x->p99_ns, c, sizeof(c)), ns_str(x->p999_ns, d, sizeof(d)),
				ns_str(x->max_ns, e, sizeof(e)), x->floor_ratio, x->csw_per_record);
		}
	}
	if (job->modes & MMT_IPC_THROUGHPUT) {
		placed = NULL;
		for (size_t i = 0; i < res->nrows; i++)
			if (res->rows[i].mode == MMT_IPC_THROUGHPUT && res->rows[i].available)
				placed = res->rows[i].placement;
		fprintf(out, "\nthroughput, %llu records per run to %u consumer%s; %s\n\n",
			(unsigned long long)job->thr_messages, job->consumers, job->consumers == 1 ? "" : "s",
			placed ? placed : "");
		fprintf(out, "%-9s %10s %9s  %-26s %7s %8s\n", "transport", "records/s", "MB/s",
			"time, median (min-max)", "x pipe", "csw/rec");
		for (size_t i = 0; i < res->nrows; i++) {
			const struct mmt_ipc_result *x = &res->rows[i];
			char range[128];

			if (x->mode != MMT_IPC_THROUGHPUT)
				continue;
			if (!x->available) {
				fprintf(out, "%-9s n/a: %s\n", x->name, x->why);
				continue;
			}
			snprintf(range, sizeof(range), "%s (%s)", mmt_format_time(x->seconds, a, sizeof(a)),
				 mmt__format_range(x->min_s, x->max_s, e, sizeof(e)));
			if (x->pipe_ratio == x->pipe_ratio)
				snprintf(b, sizeof(b), "%.1fx", x->pipe_ratio);
			else
				snprintf(b, sizeof(b), "-");
			fprintf(out, "%-9s %10s %9.1f  %-26s %7s %8.3f\n", x->name,
				rate_str(x->records_per_s, c, sizeof(c)), x->mb_per_s, range, b, x->csw_per_record);
		}
	}

	/* The verdict: where the ring stands against its two goals. */
	shm_l = find_row(res, MMT_IPC_LATENCY, "shm");
	fl = find_row(res, MMT_IPC_LATENCY, "floor");
	shm_t = find_row(res, MMT_IPC_THROUGHPUT, "shm");
	pipe_t = find_row(res, MMT_IPC_THROUGHPUT, "pipe");
	fputc('\n', out);
	if (shm_l && fl)
		fprintf(out, "verdict: the shared ring's one-way latency is %.1fx the cache-line floor (%s against %s;\n"
			"         the ratio is the median over runs of each run against the floor measured just before it)\n",
			shm_l->floor_ratio, ns_str(shm_l->median_ns, a, sizeof(a)), ns_str(fl->median_ns, b, sizeof(b)));
	if (shm_t && pipe_t)
		fprintf(out, "verdict: the shared ring moves %.1fx the records per second of a pipe\n",
			shm_t->pipe_ratio);
	fputs("every record was verified: each delivered exactly once, intact, and TERM reached every consumer\n",
	      out);
	return mmt__report_status(out);
}

static int render_csv(FILE *out, const struct mmt_ipc_report *r)
{
	fputs("mode,transport,available,why,runs,messages,consumers,batch,samples,min_ns,median_ns,"
	      "p90_ns,p99_ns,p999_ns,max_ns,floor_ratio,seconds,min_s,max_s,records_per_s,mb_per_s,"
	      "pipe_ratio,csw_per_record,verified,placement\n", out);
	for (size_t i = 0; i < r->res->nrows; i++) {
		const struct mmt_ipc_result *x = &r->res->rows[i];
		bool lat = x->mode == MMT_IPC_LATENCY;

		fprintf(out, "%s,%s,%s,", mode_name(x->mode), x->name, x->available ? "true" : "false");
		csv_str(out, x->available ? "" : x->why);
		fputc(',', out);
		if (!x->available) {
			fputs(",,,,,,,,,,,,,,,,,,,,\n", out);
			continue;
		}
		fprintf(out, "%u,%llu,%u,", x->nruns, (unsigned long long)x->messages,
			lat ? 1 : r->job->consumers);
		if (lat)
			fprintf(out, "%u,%llu,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.6f,,,,,,,", x->batch,
				(unsigned long long)x->samples, x->min_ns, x->median_ns, x->p90_ns, x->p99_ns,
				x->p999_ns, x->max_ns, x->floor_ratio);
		else
			fprintf(out, ",,,,,,,,,%.9f,%.9f,%.9f,%.1f,%.3f,%.6f,", x->seconds, x->min_s, x->max_s,
				x->records_per_s, x->mb_per_s, x->pipe_ratio);
		fprintf(out, "%.6f,%s,", x->csw_per_record, x->verified ? "true" : "false");
		csv_str(out, x->placement);
		fputc('\n', out);
	}
	return mmt__report_status(out);
}

static int render_json(FILE *out, const struct mmt_ipc_report *r)
{
	const struct mmt_ipc_job *job = r->job;

	fputs("{\n  \"schema\": \"" MMT_SCHEMA "\",\n", out);
	fputs("  \"tool\": {\"name\": \"mmaptimer\", \"version\": \"" MMT_VERSION "\"},\n", out);
	mmt__json_env(out, r->env);
	fputs("  \"config\": {\n    \"command\": \"ipc\",\n    \"op\": \"ipc\",\n    \"transports\": [", out);
	for (size_t i = 0; i < job->ntransports; i++) {
		fputs(i ? ", " : "", out);
		mmt__json_str(out, job->transports[i]->name);
	}
	fputs("],\n    \"modes\": [", out);
	fputs(job->modes & MMT_IPC_LATENCY ? "\"latency\"" : "", out);
	fputs(job->modes & MMT_IPC_THROUGHPUT ? (job->modes & MMT_IPC_LATENCY ? ", \"throughput\"" : "\"throughput\"") : "", out);
	fprintf(out, "],\n    \"record_bytes\": %zu,\n    \"latency_messages\": %llu,\n"
		"    \"throughput_messages\": %llu,\n    \"consumers\": %u,\n    \"slots\": %u,\n"
		"    \"runs\": %u,\n    \"wait\": \"%s\",\n    \"backing\": \"%s\",\n    \"pin\": %s,\n"
		"    \"dir\": ", sizeof(struct mmt_ipc_record), (unsigned long long)job->lat_messages,
		(unsigned long long)job->thr_messages, job->consumers, job->slots, job->runs,
		wait_name(job->wait), job->backing == MMT_IPC_BACKING_MEMFD ? "memfd" : "file",
		job->pin ? "true" : "false");
	mmt__json_str(out, job->dir);
	fputs(",\n    \"order\": \"every run measures the floor (latency) and then each transport in "
	      "turn, the order rotated every run\"\n  },\n  \"results\": [\n", out);
	for (size_t i = 0; i < r->res->nrows; i++) {
		const struct mmt_ipc_result *x = &r->res->rows[i];

		fprintf(out, "    {\"op\": \"ipc\", \"mode\": \"%s\", \"transport\": ", mode_name(x->mode));
		mmt__json_str(out, x->name);
		fprintf(out, ", \"floor\": %s, \"available\": %s", x->is_floor ? "true" : "false",
			x->available ? "true" : "false");
		if (!x->available) {
			fputs(", \"why\": ", out);
			mmt__json_str(out, x->why);
			fputs(", \"verified\": null}", out);
			fputs(i + 1 < r->res->nrows ? ",\n" : "\n", out);
			continue;
		}
		fprintf(out, ",\n     \"messages\": %llu, \"consumers\": %u, \"runs\": [",
			(unsigned long long)x->messages, x->mode == MMT_IPC_LATENCY ? 1 : job->consumers);
		for (unsigned k = 0; k < x->nruns; k++) {
			fputs(k ? ", " : "", out);
			mmt__json_num(out, x->runs[k]);
		}
		fputs("],\n     ", out);
		if (x->mode == MMT_IPC_LATENCY) {
			fprintf(out, "\"batch\": %u, \"samples\": %llu, \"latency_ns\": {\"min\": ", x->batch,
				(unsigned long long)x->samples);
			mmt__json_num(out, x->min_ns);
			fputs(", \"median\": ", out);
			mmt__json_num(out, x->median_ns);
			fputs(", \"p90\": ", out);
			mmt__json_num(out, x->p90_ns);
			fputs(", \"p99\": ", out);
			mmt__json_num(out, x->p99_ns);
			fputs(", \"p999\": ", out);
			mmt__json_num(out, x->p999_ns);
			fputs(", \"max\": ", out);
			mmt__json_num(out, x->max_ns);
			fputs("}, \"floor_ratio\": ", out);
			mmt__json_num(out, x->floor_ratio);
		} else {
			fputs("\"median\": ", out);
			mmt__json_num(out, x->seconds);
			fputs(", \"min\": ", out);
			mmt__json_num(out, x->min_s);
			fputs(", \"max\": ", out);
			mmt__json_num(out, x->max_s);
			fputs(", \"records_per_s\": ", out);
			mmt__json_num(out, x->records_per_s);
			fputs(", \"mb_per_s\": ", out);
			mmt__json_num(out, x->mb_per_s);
			fputs(", \"pipe_ratio\": ", out);
			mmt__json_num(out, x->pipe_ratio);
		}
		fputs(",\n     \"csw_per_record\": ", out);
		mmt__json_num(out, x->csw_per_record);
		fprintf(out, ", \"verified\": %s, \"placement\": ", x->verified ? "true" : "false");
		mmt__json_str(out, x->placement);
		fputs(i + 1 < r->res->nrows ? "},\n" : "}\n", out);
	}
	fputs("  ]\n}\n", out);
	return mmt__report_status(out);
}

static const struct mmt_ipc_reporter ipc_table = { .name = "table", .render = render_table };
static const struct mmt_ipc_reporter ipc_csv = { .name = "csv", .render = render_csv };
static const struct mmt_ipc_reporter ipc_json = { .name = "json", .render = render_json };

const struct mmt_ipc_reporter *const mmt_ipc_reporters[] = {
	&ipc_table,
	&ipc_csv,
	&ipc_json,
	NULL,
};

/* See mmaptimer.h. */
const struct mmt_ipc_reporter *mmt_ipc_reporter_find(const char *name)
{
	for (size_t i = 0; mmt_ipc_reporters[i]; i++)
		if (!strcmp(mmt_ipc_reporters[i]->name, name))
			return mmt_ipc_reporters[i];
	return NULL;
}
