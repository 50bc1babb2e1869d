/*
 * svg.c - the plot: time per run (median, with the min-max band) against
 * chunk size, and below it the throughput, both axes logarithmic, one line
 * per method, a legend that also names the methods that could not run,
 * and the chunk sizes where the verdict's winner changes.  Plain SVG 1.1
 * written by hand: no script, no external font or stylesheet.
 */
#include <math.h>
#include <string.h>

#include "report/report.h"

/* The layout, in SVG user units (pixels at 100%). */
enum {
	WIDTH = 900,
	PX0 = 84, PX1 = 624,         /* plot area, left and right */
	LEGEND_X = 648,
	PANEL_H = 290,
	PANEL1_TOP = 96,
	PANEL2_TOP = PANEL1_TOP + PANEL_H + 78,
	BOTTOM = PANEL2_TOP + PANEL_H + 52,
};

struct panel {
	const struct mmt__axis *x, *y;
	int top;
	bool rate;               /* throughput: size / time */
};

static double px(const struct panel *pn, double chunk)
{
	return PX0 + mmt__axis_pos(pn->x, chunk) * (PX1 - PX0);
}

static double py(const struct panel *pn, double v)
{
	return pn->top + PANEL_H - mmt__axis_pos(pn->y, v) * PANEL_H;
}

/* A point's median, and the ends of its band, in the panel's quantity. */
static void values(const struct panel *pn, const struct mmt_point *p, double *mid, double *lo,
		   double *hi)
{
	if (pn->rate) {
		*mid = (double)p->size / p->median;
		*lo = (double)p->size / p->max;
		*hi = (double)p->size / p->min;
	} else {
		*mid = p->median;
		*lo = p->min;
		*hi = p->max;
	}
}

static bool drawable(const struct mmt_point *p)
{
	return p->available && p->min > 0 && p->median > 0 && p->max > 0;
}

/* The frame, the grid, and the tick labels of both axes. */
static void draw_axes(FILE *out, const struct panel *pn, const char *title, const char *ytitle)
{
	char buf[48];
	int bottom = pn->top + PANEL_H;

	fprintf(out, "<text class=\"panel-title\" x=\"%d\" y=\"%d\">", PX0, pn->top - 10);
	mmt__xml_text(out, title);
	fputs("</text>\n", out);
	fprintf(out, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n", PX0,
		pn->top, PX1 - PX0, PANEL_H);
	for (int e = pn->x->e_lo; e <= pn->x->e_hi; e++) {
		double x = px(pn, pow(2, e));
		bool lab = mmt__axis_labelled(pn->x, e);

		fprintf(out, "<line class=\"%s\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n",
			lab ? "grid" : "grid minor", x, pn->top, x, bottom);
		if (lab)
			fprintf(out, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
				x, bottom + 16, mmt__axis_label(pn->x, e, buf, sizeof(buf)));
	}
	fprintf(out, "<text class=\"axis-title\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">chunk size</text>\n",
		(PX0 + PX1) / 2, bottom + 34);
	for (int e = pn->y->e_lo; e <= pn->y->e_hi; e++) {
		double v = pow(pn->y->base, e);
		double y = py(pn, v);
		bool lab = mmt__axis_labelled(pn->y, e);

		fprintf(out, "<line class=\"%s\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>\n",
			lab ? "grid" : "grid minor", PX0, y, PX1, y);
		if (lab) {
			fprintf(out, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", PX0 - 6,
				y + 4);
			mmt__xml_text(out, mmt__axis_label(pn->y, e, buf, sizeof(buf)));
			fputs("</text>\n", out);
		}
	}
	fprintf(out, "<text class=\"axis-title\" x=\"16\" y=\"%d\" text-anchor=\"middle\" "
		"transform=\"rotate(-90 16 %d)\">", pn->top + PANEL_H / 2, pn->top + PANEL_H / 2);
	mmt__xml_text(out, ytitle);
	fputs("</text>\n", out);
}

/* The verdict's changes of winner: a dashed line at each, labelled in
 * the first panel with the measured sizes it lies between. */
static void draw_crossovers(FILE *out, const struct panel *pn, const struct mmt_results *res,
			    bool labels)
{
	struct mmt_verdict v;
	size_t a, b;
	char lo[32], hi[32];

	if (!mmt__report_pair(res, &a, &b) || mmt_verdict(res, a, b, &v))
		return;
	for (size_t i = 0; i < v.ncross && i < MMT_MAX_CROSSOVERS; i++) {
		double x = px(pn, mmt__crossover(res, a, b, v.cross_lo[i], v.cross_hi[i]));
		bool right = x > PX1 - 110;

		fprintf(out, "<line class=\"crossover\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\">"
			"<title>winner changes between %s and %s</title></line>\n", x, pn->top, x,
			pn->top + PANEL_H, mmt_format_size(v.cross_lo[i], lo, sizeof(lo)),
			mmt_format_size(v.cross_hi[i], hi, sizeof(hi)));
		if (labels)
			fprintf(out, "<text class=\"crossover-label\" x=\"%.1f\" y=\"%zu\" text-anchor=\"%s\">"
				"crossover %s\xe2\x80\x93%s</text>\n", right ? x - 4 : x + 4,
				pn->top + 14 + 13 * (i % 4), right ? "end" : "start", lo, hi);
	}
}

/* One method's curve: the min-max band of each stretch of consecutive
 * points it has, then one path through the medians (a gap where it could
 * not run), then a dot with a tooltip at each point. */
static void draw_method(FILE *out, const struct panel *pn, const struct mmt_results *res, size_t m)
{
	const char *colour = mmt__plot_colour(m);
	const struct mmt_point *first = &res->points[m];
	bool pen = false, any = false;

	for (size_t c = 0; c < res->nchunks; c++)
		any |= drawable(&res->points[c * res->nmethods + m]);
	if (!any)
		return;
	fputs("<g class=\"method\" data-method=\"", out);
	mmt__xml_text(out, first->method->name);
	fprintf(out, "\" stroke=\"%s\" fill=\"%s\">\n", colour, colour);

	for (size_t c = 0; c < res->nchunks;) {
		size_t end = c;
		double mid, lo, hi;

		while (end < res->nchunks && drawable(&res->points[end * res->nmethods + m]))
			end++;
		if (end == c) {
			c++;
			continue;
		}
		if (end - c == 1) {
			const struct mmt_point *p = &res->points[c * res->nmethods + m];

			values(pn, p, &mid, &lo, &hi);
			fprintf(out, "<line class=\"bar\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
				px(pn, (double)p->chunk), py(pn, lo), px(pn, (double)p->chunk), py(pn, hi));
		} else {
			fputs("<polygon class=\"band\" points=\"", out);
			for (size_t k = c; k < end; k++) {
				const struct mmt_point *p = &res->points[k * res->nmethods + m];

				values(pn, p, &mid, &lo, &hi);
				fprintf(out, "%s%.1f,%.1f", k == c ? "" : " ", px(pn, (double)p->chunk), py(pn, hi));
			}
			for (size_t k = end; k-- > c;) {
				const struct mmt_point *p = &res->points[k * res->nmethods + m];

				values(pn, p, &mid, &lo, &hi);
				fprintf(out, " %.1f,%.1f", px(pn, (double)p->chunk), py(pn, lo));
			}
			fputs("\"/>\n", out);
		}
		c = end;
	}

	fprintf(out, "<path class=\"line%s\" d=\"", first->checked ? "" : " yardstick");
	for (size_t c = 0; c < res->nchunks; c++) {
		const struct mmt_point *p = &res->points[c * res->nmethods + m];
		double mid, lo, hi;

		if (!drawable(p)) {
			pen = false;
			continue;
		}
		values(pn, p, &mid, &lo, &hi);
		fprintf(out, "%s%.1f %.1f ", pen ? "L" : "M", px(pn, (double)p->chunk), py(pn, mid));
		pen = true;
	}
	fputs("\"/>\n", out);

	for (size_t c = 0; c < res->nchunks; c++) {
		const struct mmt_point *p = &res->points[c * res->nmethods + m];
		char cs[32], t[3][32];
		double mid, lo, hi;

		if (!drawable(p))
			continue;
		values(pn, p, &mid, &lo, &hi);
		fprintf(out, "<circle class=\"dot\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.6\"><title>", px(pn, (double)p->chunk),
			py(pn, mid));
		mmt__xml_text(out, p->method->name);
		mmt_format_size(p->chunk, cs, sizeof(cs));
		if (pn->rate)
			fprintf(out, " at %s: %s/s (%s/s\xe2\x80\x93%s/s)", cs,
				mmt_format_size(mmt__bytes(mid), t[0], 32), mmt_format_size(mmt__bytes(lo), t[1], 32),
				mmt_format_size(mmt__bytes(hi), t[2], 32));
		else
			fprintf(out, " at %s: %s (%s\xe2\x80\x93%s)", cs, mmt_format_time(mid, t[0], 32),
				mmt_format_time(lo, t[1], 32), mmt_format_time(hi, t[2], 32));
		fputs("</title></circle>\n", out);
	}
	fputs("</g>\n", out);
}

/* At most max bytes of s, cut at a character boundary, with an ellipsis
 * when cut, as XML text. */
static void short_text(FILE *out, const char *s, size_t max)
{
	char buf[256];
	size_t n = strlen(s);

	if (n <= max) {
		mmt__xml_text(out, s);
		return;
	}
	n = MMT_MIN(max, sizeof(buf) - 1);
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	memcpy(buf, s, n);
	buf[n] = '\0';
	mmt__xml_text(out, buf);
	fputs("\xe2\x80\xa6", out);
}

/* The legend: every method, with its colour when it ran, or greyed out
 * with the reason when it could not run at all.  Returns its bottom. */
static int draw_legend(FILE *out, const struct mmt_results *res)
{
	int y = PANEL1_TOP;

	fprintf(out, "<g class=\"legend\">\n<text class=\"legend-title\" x=\"%d\" y=\"%d\">methods</text>\n",
		LEGEND_X, y - 10);
	for (size_t m = 0; m < res->nmethods; m++) {
		const struct mmt_point *first = &res->points[m];
		size_t avail = 0;

		for (size_t c = 0; c < res->nchunks; c++)
			avail += drawable(&res->points[c * res->nmethods + m]);
		y += 8;
		if (!avail) {
			fprintf(out, "<text class=\"legend-label unavailable\" x=\"%d\" y=\"%d\">", LEGEND_X + 30, y + 4);
			mmt__xml_text(out, first->method->name);
			fputs(": unavailable<title>", out);
			mmt__xml_text(out, first->why);
			fputs("</title></text>\n", out);
			fprintf(out, "<text class=\"legend-note\" x=\"%d\" y=\"%d\">", LEGEND_X + 30, y + 18);
			short_text(out, first->why, 38);
			fputs("</text>\n", out);
			y += 28;
			continue;
		}
		fprintf(out, "<line class=\"swatch\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"/>"
			"<circle cx=\"%d\" cy=\"%d\" r=\"2.6\" fill=\"%s\"/>\n", LEGEND_X, y, LEGEND_X + 24, y,
			mmt__plot_colour(m), LEGEND_X + 12, y, mmt__plot_colour(m));
		fprintf(out, "<text class=\"legend-label\" x=\"%d\" y=\"%d\">", LEGEND_X + 30, y + 4);
		mmt__xml_text(out, first->method->name);
		if (!first->checked)
			fputs(" (the loop alone)", out);
		if (avail < res->nchunks)
			fprintf(out, " (n/a at %zu of %zu sizes)", res->nchunks - avail, res->nchunks);
		fputs("</text>\n", out);
		y += 12;
	}
	y += 16;
	fprintf(out, "<text class=\"legend-note\" x=\"%d\" y=\"%d\">line: median of the runs</text>\n"
		"<text class=\"legend-note\" x=\"%d\" y=\"%d\">band: fastest to slowest run</text>\n"
		"<text class=\"legend-note\" x=\"%d\" y=\"%d\">dashed: the winner changes</text>\n</g>\n",
		LEGEND_X, y, LEGEND_X, y + 14, LEGEND_X, y + 28);
	return y + 28;
}

/* See report.h. */
int mmt__svg_plot(FILE *out, const struct mmt_report *r, bool standalone)
{
	const struct mmt_results *res = r->res;
	const struct mmt_env *env = r->env;
	struct mmt__axis xa, ta, ra;
	struct panel p1 = { .x = &xa, .y = &ta, .top = PANEL1_TOP };
	struct panel p2 = { .x = &xa, .y = &ra, .top = PANEL2_TOP, .rate = true };
	int height = BOTTOM;

	mmt__axis_chunks(res, 10, &xa);
	mmt__axis_times(res, 12, &ta);
	mmt__axis_rates(res, 12, &ra);
	/* The legend may run below the panels when many methods could not
	 * run; the picture grows to hold it. */
	height = MMT_MAX(height, PANEL1_TOP + 40 * (int)res->nmethods + 80);

	if (standalone)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" class=\"mmaptimer-plot\" role=\"img\">\n", WIDTH, height, WIDTH, height);
	fputs("<title>", out);
	mmt__report_caption(out, r);
	fputs("</title>\n<style>\n"
	      "text { font-family: 'DejaVu Sans', Verdana, Arial, sans-serif; font-size: 11px; fill: #222; stroke: none; }\n"
	      ".title { font-size: 15px; font-weight: bold; }\n"
	      ".panel-title { font-size: 12px; font-weight: bold; }\n"
	      ".frame { fill: none; stroke: #888; }\n"
	      ".grid { stroke: #ccc; stroke-width: 1; }\n"
	      ".grid.minor { stroke: #eee; }\n"
	      ".band { stroke: none; fill-opacity: 0.15; }\n"
	      ".bar { stroke-width: 1.5; }\n"
	      ".line { fill: none; stroke-width: 2; }\n"
	      ".line.yardstick { stroke-dasharray: 2 3; }\n"
	      ".swatch { stroke-width: 2; }\n"
	      ".crossover { stroke: #444; stroke-width: 1; stroke-dasharray: 5 4; }\n"
	      ".crossover-label, .legend-note, .caption { fill: #555; }\n"
	      ".unavailable { fill: #999; }\n"
	      "</style>\n"
	      "<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n", out);

	fputs("<text class=\"title\" x=\"16\" y=\"24\">", out);
	mmt__report_caption(out, r);
	fputs("</text>\n<text class=\"caption\" x=\"16\" y=\"42\">", out);
	mmt__xml_text(out, env->hostname);
	fputs(", ", out);
	mmt__xml_text(out, env->kernel);
	fputs("</text>\n<text class=\"caption\" x=\"16\" y=\"57\">", out);
	mmt__xml_text(out, env->cpu_model);
	fputs("; ", out);
	mmt__xml_text(out, env->fs_type);
	fputs(" at ", out);
	mmt__xml_text(out, env->dir);
	fputs("</text>\n", out);

	draw_axes(out, &p1, "time per run (log scale; lower is faster)", "time per run");
	draw_crossovers(out, &p1, res, true);
	for (size_t m = 0; m < res->nmethods; m++)
		draw_method(out, &p1, res, m);
	draw_axes(out, &p2, "throughput: file size / time (log scale; higher is faster)", "throughput");
	draw_crossovers(out, &p2, res, false);
	for (size_t m = 0; m < res->nmethods; m++)
		draw_method(out, &p2, res, m);
	draw_legend(out, res);
	fputs("</svg>\n", out);
	return mmt__report_status(out);
}

static int render_svg(FILE *out, const struct mmt_report *r)
{
	return mmt__svg_plot(out, r, true);
}

const struct mmt_reporter mmt__report_svg = {
	.name = "svg",
	.desc = "an SVG plot: time and throughput against chunk size, log scales",
	.render = render_svg,
};
