/*
 * html.c - the report as one self-contained HTML file: the verdict, the
 * plots (inline SVG), the results, the counters that explain each point,
 * the configuration and the environment.  No script, no external
 * stylesheet, font or image: it opens anywhere, offline, as it was made.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

static const char style[] =
	"body { font-family: system-ui, 'DejaVu Sans', Arial, sans-serif; margin: 1.5em auto;"
	" max-width: 1100px; padding: 0 1em; color: #222; background: #fff; line-height: 1.4; }\n"
	"h1 { font-size: 1.5em; margin-bottom: 0.2em; }\n"
	"h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }\n"
	".caption { color: #555; margin-top: 0; }\n"
	".verdict p { margin: 0.3em 0; }\n"
	".verdict p:first-child { font-weight: bold; }\n"
	".scroll { overflow-x: auto; }\n"
	"table { border-collapse: collapse; font-size: 0.9em; }\n"
	"th, td { padding: 0.2em 0.6em; border-bottom: 1px solid #eee; text-align: right;"
	" white-space: nowrap; }\n"
	"th { background: #f4f4f4; }\n"
	"td.l, th.l { text-align: left; }\n"
	"tr.first td { border-top: 1px solid #bbb; }\n"
	"td.na { color: #888; text-align: left; white-space: normal; }\n"
	".fastest { font-weight: bold; }\n"
	"svg.mmaptimer-plot { max-width: 100%; height: auto; }\n"
	"dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }\n"
	"dt { color: #555; }\n"
	"dd { margin: 0; overflow-wrap: anywhere; }\n"
	"footer { margin-top: 2em; color: #888; font-size: 0.85em; }\n";

static void text(FILE *out, const char *s)
{
	mmt__xml_text(out, s);
}

/* A cell of a table: <td class="l">text</td> when left, escaped. */
static void cell(FILE *out, const char *s, bool left)
{
	fputs(left ? "<td class=\"l\">" : "<td>", out);
	text(out, s);
	fputs("</td>", out);
}

static void count_cell(FILE *out, double v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%.0f", v);
	cell(out, buf, false);
}

static void time_cell(FILE *out, double v)
{
	char buf[32];

	cell(out, mmt_format_time(v, buf, sizeof(buf)), false);
}

/* Bytes, or "unknown" when the kernel would not say (-1). */
static void bytes_cell(FILE *out, double v)
{
	char buf[32];

	cell(out, v < 0 ? "unknown" : mmt_format_size(mmt__bytes(v), buf, sizeof(buf)), false);
}

/* One term of a definition list. */
static void def(FILE *out, const char *term, const char *value)
{
	fputs("<dt>", out);
	text(out, term);
	fputs("</dt><dd>", out);
	text(out, value);
	fputs("</dd>\n", out);
}

/* The verdict lines of the table, each a paragraph; then how the times
 * were taken and checked. */
static int verdict(FILE *out, const struct mmt_report *r)
{
	const struct mmt_results *res = r->res;
	bool all_verified = true, any_file = false;
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	if (!mem)
		return -errno;
	mmt__report_verdict(mem, res);
	if (fclose(mem)) {
		free(buf);
		return -ENOMEM;
	}
	fputs("<section class=\"verdict\" id=\"verdict\">\n<h2>Verdict</h2>\n", out);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		fputs("<p>", out);
		text(out, line + strspn(line, " "));
		fputs("</p>\n", out);
	}
	free(buf);
	for (size_t i = 0; i < res->npoints; i++) {
		const struct mmt_point *p = &res->points[i];

		if (p->available && p->checked) {
			any_file = true;
			all_verified &= p->verified;
		}
	}
	fprintf(out, "<p>Times: open to close, median of %u run%s; %s.</p>\n</section>\n", r->job->runs,
		r->job->runs == 1 ? "" : "s",
		r->job->op == MMT_OP_READ ? "every read checked against the file's checksum"
		: !any_file ? "no file written (null writes none)"
		: all_verified ? "every written file verified byte for byte" : "NOT every file verified");
	return 0;
}

/* One row per chunk and method: the median, the spread, the throughput
 * and how far from the fastest. */
static void results(FILE *out, const struct mmt_results *res)
{
	char buf[64];

	fputs("<section id=\"results\">\n<h2>Results</h2>\n<div class=\"scroll\"><table>\n<thead><tr>"
	      "<th>chunk</th><th class=\"l\">method</th><th>median</th><th>fastest run</th>"
	      "<th>slowest run</th><th>throughput</th><th>vs fastest</th><th class=\"l\">verified</th>"
	      "</tr></thead>\n<tbody>\n", out);
	for (size_t c = 0; c < res->nchunks; c++) {
		int best = mmt_fastest(res, c, NULL);

		for (size_t m = 0; m < res->nmethods; m++) {
			const struct mmt_point *p = &res->points[c * res->nmethods + m];
			const struct mmt_point *bp = best < 0 ? NULL : &res->points[c * res->nmethods + (size_t)best];

			fputs(m ? "<tr>" : "<tr class=\"first\">", out);
			cell(out, mmt_format_size(p->chunk, buf, sizeof(buf)), false);
			fputs(p == bp ? "<td class=\"l fastest\">" : "<td class=\"l\">", out);
			text(out, p->method->name);
			fputs("</td>", out);
			if (!p->available) {
				fputs("<td class=\"na\" colspan=\"6\">n/a: ", out);
				text(out, p->why);
				fputs("</td></tr>\n", out);
				continue;
			}
			time_cell(out, p->median);
			time_cell(out, p->min);
			time_cell(out, p->max);
			mmt_format_size(p->median > 0 ? mmt__bytes((double)p->size / p->median) : 0, buf,
					sizeof(buf));
			strncat(buf, "/s", sizeof(buf) - strlen(buf) - 1);
			cell(out, buf, false);
			if (!p->checked || !bp)
				cell(out, "-", false);
			else if (p == bp)
				cell(out, "fastest", false);
			else {
				snprintf(buf, sizeof(buf), "%.2fx", bp->median > 0 ? p->median / bp->median : 0);
				cell(out, buf, false);
			}
			cell(out, !p->checked ? "no file" : p->verified ? "yes" : "NO", true);
			fputs("</tr>\n", out);
		}
	}
	fputs("</tbody></table></div>\n</section>\n", out);
}

/* The counters that explain each point (medians over its runs) and its
 * phase split. */
static void counters(FILE *out, const struct mmt_report *r)
{
	const struct mmt_results *res = r->res;
	bool rd = r->job->op == MMT_OP_READ;
	char buf[64];

	fputs("<section id=\"counters\">\n<h2>Why: the counters behind each point</h2>\n"
	      "<p>Medians over the runs of a point.  Faults and system calls say where the time"
	      " went; bytes to and from storage say whether it waited for a disk.</p>\n"
	      "<div class=\"scroll\"><table>\n<thead><tr><th>chunk</th><th class=\"l\">method</th>"
	      "<th>system calls</th><th>minor faults</th><th>major faults</th><th>user CPU</th>"
	      "<th>system CPU</th><th>voluntary switches</th><th>involuntary switches</th>"
	      "<th>to storage</th><th>from storage</th>", out);
	if (rd)
		fputs("<th>resident before</th>", out);
	fputs("<th>setup</th><th>transfer</th><th>sync</th><th>teardown</th></tr></thead>\n<tbody>\n", out);
	for (size_t c = 0; c < res->nchunks; c++) {
		for (size_t m = 0; m < res->nmethods; m++) {
			const struct mmt_point *p = &res->points[c * res->nmethods + m];

			fputs(m ? "<tr>" : "<tr class=\"first\">", out);
			cell(out, mmt_format_size(p->chunk, buf, sizeof(buf)), false);
			cell(out, p->method->name, true);
			if (!p->available) {
				fprintf(out, "<td class=\"na\" colspan=\"%d\">n/a</td></tr>\n", rd ? 14 : 13);
				continue;
			}
			count_cell(out, p->c.syscalls);
			count_cell(out, p->c.minflt);
			count_cell(out, p->c.majflt);
			time_cell(out, p->c.utime);
			time_cell(out, p->c.stime);
			count_cell(out, p->c.nvcsw);
			count_cell(out, p->c.nivcsw);
			bytes_cell(out, p->c.storage_bytes);
			bytes_cell(out, p->c.storage_read_bytes);
			if (rd) {
				if (p->c.resident < 0)
					cell(out, "unknown", false);
				else {
					snprintf(buf, sizeof(buf), "%.1f%%", p->c.resident * 100);
					cell(out, buf, false);
				}
			}
			time_cell(out, p->setup);
			time_cell(out, p->transfer);
			time_cell(out, p->sync);
			time_cell(out, p->teardown);
			fputs("</tr>\n", out);
		}
	}
	fputs("</tbody></table></div>\n</section>\n", out);
}

static void configuration(FILE *out, const struct mmt_report *r)
{
	const struct mmt_job *job = r->job;
	char buf[256], list[1024] = "";

	fputs("<section id=\"config\">\n<h2>Configuration</h2>\n<dl>\n", out);
	def(out, "command", r->command);
	def(out, "file size", mmt_format_size(job->size, buf, sizeof(buf)));
	for (size_t c = 0; c < job->nchunks; c++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", c ? ", " : "",
			 mmt_format_size(job->chunks[c], buf, sizeof(buf)));
	def(out, "chunk sizes", list);
	list[0] = '\0';
	for (size_t m = 0; m < job->nmethods; m++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", m ? ", " : "",
			 job->methods[m]->name);
	def(out, "methods", list);
	snprintf(buf, sizeof(buf), "%u measured, %u warmup", job->runs, job->warmup);
	def(out, "runs per point", buf);
	def(out, "directory", job->dir);
	if (job->op == MMT_OP_READ) {
		def(out, "cache", job->opts.read.cache == MMT_CACHE_COLD
				  ? (job->opts.read.drop_caches ? "cold, whole page cache dropped" : "cold")
				  : "warm");
		def(out, "order", job->opts.read.order == MMT_ORDER_RANDOM ? "random" : "sequential");
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)job->opts.read.seed);
		if (job->opts.read.order == MMT_ORDER_RANDOM)
			def(out, "seed", buf);
		def(out, "advice", mmt__advice_name(job->opts.advice));
	} else {
		def(out, "sync", mmt__sync_name(job->opts.sync));
		snprintf(buf, sizeof(buf), "%u", job->opts.batch ? job->opts.batch : MMT_DEFAULT_BATCH);
		def(out, "batch (writev, pwritev)", buf);
		if (job->opts.stdio_buffer)
			mmt_format_size(job->opts.stdio_buffer, buf, sizeof(buf));
		else
			snprintf(buf, sizeof(buf), "the library's");
		def(out, "stdio buffer", buf);
		def(out, "madvise", mmt__advice_name(job->opts.advice));
	}
	snprintf(buf, sizeof(buf), "%u",
		 job->opts.queue_depth ? job->opts.queue_depth : MMT_DEFAULT_QUEUE_DEPTH);
	def(out, "queue depth (uring)", buf);
	fputs("</dl>\n</section>\n", out);
}

static void environment(FILE *out, const struct mmt_report *r)
{
	const struct mmt_env *e = r->env;
	char buf[256];

	fputs("<section id=\"env\">\n<h2>Environment</h2>\n<dl>\n", out);
	def(out, "host", e->hostname);
	def(out, "kernel", e->kernel);
	def(out, "machine", e->machine);
	def(out, "CPU", e->cpu_model);
	snprintf(buf, sizeof(buf), "%d", e->cores);
	def(out, "cores", buf);
	snprintf(buf, sizeof(buf), "%ld bytes", e->page_size);
	def(out, "page size", buf);
	def(out, "filesystem", e->fs_type);
	def(out, "mount point", e->mount_point);
	def(out, "mounted from", e->mount_source);
	def(out, "run directory", e->dir);
	snprintf(buf, sizeof(buf), "%s, resolution %llu ns, %.1f ns to read", e->clock.name,
		 (unsigned long long)e->clock.resolution_ns, e->clock.read_cost_ns);
	def(out, "clock", buf);
	if (r->res->peak_rss >= 0)
		def(out, "the tool's peak resident memory",
		    mmt_format_size(mmt__bytes(r->res->peak_rss), buf, sizeof(buf)));
	fputs("</dl>\n</section>\n", out);
}

static int render_html(FILE *out, const struct mmt_report *r)
{
	int rc;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
	      "<meta name=\"generator\" content=\"mmaptimer " MMT_VERSION "\"/>\n<title>", out);
	mmt__report_caption(out, r);
	fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>mmaptimer ", style);
	text(out, r->command);
	fputs("</h1>\n<p class=\"caption\">", out);
	mmt__report_caption(out, r);
	fputs(", on ", out);
	text(out, r->env->hostname);
	fputs("</p>\n", out);
	if ((rc = verdict(out, r)))
		return rc;
	fputs("<section id=\"plots\">\n<h2>Plots</h2>\n", out);
	if ((rc = mmt__svg_plot(out, r, false)))
		return rc;
	fputs("</section>\n", out);
	results(out, r->res);
	counters(out, r);
	configuration(out, r);
	environment(out, r);
	fputs("<footer>Made by mmaptimer " MMT_VERSION " (JSON schema " MMT_SCHEMA ").</footer>\n"
	      "</body>\n</html>\n", out);
	return mmt__report_status(out);
}

const struct mmt_reporter mmt__report_html = {
	.name = "html",
	.desc = "one self-contained HTML page: verdict, plots, results, counters, environment",
	.render = render_html,
};
