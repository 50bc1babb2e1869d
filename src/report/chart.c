/*
 * chart.c - the terminal chart under the table: median time per run
 * against chunk size, both scales logarithmic, drawn with braille dots
 * (2 x 4 per character cell) and a marker of each method's own shape at
 * each measured point, so that curves can be told apart without colour.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

/* Markers, one per method (reused past the end). */
static const char *const markers[] = {
	"\xe2\x97\x8f", "\xe2\x97\x8b", "\xe2\x96\xa0", "\xe2\x96\xa1", "\xe2\x96\xb2",
	"\xe2\x96\xb3", "\xe2\x97\x86", "\xe2\x97\x87", "\xe2\x98\x85", "\xe2\x98\x86",
};

/* ANSI colours, one per method, in the order of the SVG palette's hues. */
static const char *const ansi[] = {
	"\033[34m", "\033[31m", "\033[32m", "\033[35m", "\033[33m", "\033[36m",
	"\033[90m", "\033[91m", "\033[94m", "\033[92m",
};

#define YLABEL 7                 /* "100 ms " */

struct cell {
	unsigned char dots;      /* braille bits */
	signed char marker;      /* method index whose marker sits here, or -1 */
	signed char owner;       /* method that drew here last, or -1 */
	bool cross;              /* the crossover's column */
};

struct canvas {
	struct cell *cells;
	int cols, rows;          /* character cells of the plot area */
};

static struct cell *at(struct canvas *cv, int col, int row)
{
	return &cv->cells[row * cv->cols + col];
}

/* Set the braille dot at (x, y) in dot coordinates (2 per column, 4 per
 * row, y downwards). */
static void dot(struct canvas *cv, int x, int y, int m)
{
	static const unsigned char bits[4][2] = {
		{ 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 },
	};
	struct cell *c;

	if (x < 0 || y < 0 || x >= 2 * cv->cols || y >= 4 * cv->rows)
		return;
	c = at(cv, x / 2, y / 4);
	c->dots |= bits[y % 4][x % 2];
	c->owner = (signed char)m;
}

/* A straight line of dots from (x0, y0) to (x1, y1) (Bresenham). */
static void line(struct canvas *cv, int x0, int y0, int x1, int y1, int m)
{
	int dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
	int e = dx + dy;

	for (;;) {
		/* Both tests look at the error before either step. */
		int e2 = 2 * e;

		dot(cv, x0, y0, m);
		if (x0 == x1 && y0 == y1)
			return;
		if (e2 >= dy) {
			e += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			e += dx;
			y0 += sy;
		}
	}
}

static int dot_x(const struct canvas *cv, const struct mmt__axis *a, double v)
{
	return (int)(mmt__axis_pos(a, v) * (2 * cv->cols - 1) + 0.5);
}

static int dot_y(const struct canvas *cv, const struct mmt__axis *a, double v)
{
	return (int)((1 - mmt__axis_pos(a, v)) * (4 * cv->rows - 1) + 0.5);
}

/* Characters (not bytes) in the UTF-8 string s. */
static int utf8_chars(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* One line of text, cut to at most width characters. */
static void put_fitted(FILE *out, const char *s, int width)
{
	int n = 0;
	const char *p = s;

	for (; *p; p++) {
		if (((unsigned char)*p & 0xc0) != 0x80 && ++n > width)
			break;
	}
	fwrite(s, 1, (size_t)(p - s), out);
	fputc('\n', out);
}

/* Print the cell, in its owner's colour when asked. */
static void put_cell(FILE *out, const struct cell *c, bool colour, int *cur)
{
	int want = c->marker >= 0 ? c->marker : c->dots ? c->owner : -1;

	if (colour && want != *cur) {
		fputs(want < 0 ? "\033[0m" : ansi[want % (int)MMT_ARRAY_SIZE(ansi)], out);
		*cur = want;
	}
	if (c->marker >= 0) {
		fputs(markers[c->marker % (int)MMT_ARRAY_SIZE(markers)], out);
	} else if (c->dots) {
		/* U+2800 + the dot bits, in UTF-8. */
		unsigned v = 0x2800u + c->dots;

		fputc(0xe0 | (v >> 12), out);
		fputc(0x80 | ((v >> 6) & 0x3f), out);
		fputc(0x80 | (v & 0x3f), out);
	} else if (c->cross) {
		fputs("\xe2\x94\x86", out);   /* a dashed vertical line */
	} else {
		fputc(' ', out);
	}
}

/* The legend: marker and name of each method, those that could not run
 * said so, wrapped at width columns. */
static void legend(FILE *out, const struct mmt_results *res, int width, bool colour)
{
	int col = 0;

	for (size_t m = 0; m < res->nmethods; m++) {
		const struct mmt_point *first = &res->points[m];
		bool ran = false;
		char item[160];
		int n;

		for (size_t c = 0; c < res->nchunks; c++)
			ran |= res->points[c * res->nmethods + m].available;
		if (ran)
			n = snprintf(item, sizeof(item), "%s %s", markers[m % MMT_ARRAY_SIZE(markers)],
				     first->method->name);
		else
			n = snprintf(item, sizeof(item), "%s: unavailable", first->method->name);
		if (n < 0)
			continue;
		n = utf8_chars(item);
		if (col > 0 && col + 2 + n > width) {
			fputc('\n', out);
			col = 0;
		}
		fputs(col ? "  " : " ", out);
		if (colour && ran)
			fputs(ansi[m % MMT_ARRAY_SIZE(ansi)], out);
		fputs(item, out);
		if (colour && ran)
			fputs("\033[0m", out);
		col += (col ? 2 : 1) + n;
	}
	fputc('\n', out);
}

/* See mmaptimer.h. */
int mmt_chart(FILE *out, const struct mmt_report *r, const struct mmt_chart_opts *o)
{
	const struct mmt_results *res = r->res;
	int width = o && o->width ? (int)o->width : 80, rows = o && o->height ? (int)o->height : 12;
	bool colour = o && o->colour;
	struct mmt__axis xa, ya;
	struct canvas cv;
	struct mmt_verdict v;
	size_t a, b;
	int cur = -1;
	char lab[32], text[256];

	if (width < 40 || rows < 4 || rows > 100 || width > 1000)
		return -EINVAL;
	cv.cols = width - YLABEL - 2;   /* labels, the axis, a spare column */
	cv.rows = rows;
	mmt__axis_chunks(res, (unsigned)cv.cols / 8, &xa);
	mmt__axis_times(res, (unsigned)rows / 2 + 1, &ya);
	if (!(cv.cells = calloc((size_t)cv.cols * (size_t)cv.rows, sizeof(*cv.cells))))
		return -ENOMEM;
	for (int i = 0; i < cv.cols * cv.rows; i++)
		cv.cells[i].marker = cv.cells[i].owner = -1;

	/* The lines first, then the markers over them, so that no line
	 * hides where a point was measured. */
	for (size_t m = 0; m < res->nmethods; m++) {
		int px = -1, py = -1;

		for (size_t c = 0; c < res->nchunks; c++) {
			const struct mmt_point *p = &res->points[c * res->nmethods + m];
			int x, y;

			if (!p->available || !(p->median > 0)) {
				px = -1;
				continue;
			}
			x = dot_x(&cv, &xa, (double)p->chunk);
			y = dot_y(&cv, &ya, p->median);
			if (px >= 0)
				line(&cv, px, py, x, y, (int)m);
			else
				dot(&cv, x, y, (int)m);
			px = x;
			py = y;
		}
	}
	for (size_t m = 0; m < res->nmethods; m++) {
		for (size_t c = 0; c < res->nchunks; c++) {
			const struct mmt_point *p = &res->points[c * res->nmethods + m];

			if (p->available && p->median > 0)
				at(&cv, dot_x(&cv, &xa, (double)p->chunk) / 2,
				   dot_y(&cv, &ya, p->median) / 4)->marker = (signed char)m;
		}
	}
	if (mmt__report_pair(res, &a, &b) && !mmt_verdict(res, a, b, &v)) {
		for (size_t i = 0; i < v.ncross && i < MMT_MAX_CROSSOVERS; i++) {
			int col = dot_x(&cv, &xa, mmt__crossover(res, a, b, v.cross_lo[i], v.cross_hi[i])) / 2;

			for (int row = 0; row < cv.rows; row++)
				at(&cv, col, row)->cross = true;
		}
	} else {
		v.ncross = 0;
	}

	snprintf(text, sizeof(text), "time per run, median (log scales; %s marks each measured point)",
		 markers[0]);
	fputc('\n', out);
	put_fitted(out, text, width);
	for (int row = 0; row < cv.rows; row++) {
		const char *label = "";
		bool tick = false;

		/* A labelled tick on this row: the exponent whose dot row
		 * falls in it. */
		for (int e = ya.e_lo; e <= ya.e_hi; e++) {
			if (mmt__axis_labelled(&ya, e) && dot_y(&cv, &ya, pow(10, e)) / 4 == row) {
				label = mmt__axis_label(&ya, e, lab, sizeof(lab));
				tick = true;
			}
		}
		/* Pad by characters, not bytes: "µs" is two bytes. */
		fprintf(out, "%*s%s %s", YLABEL - 1 - utf8_chars(label), "", label,
			tick ? "\xe2\x94\xa4" : "\xe2\x94\x82");
		for (int col = 0; col < cv.cols; col++)
			put_cell(out, at(&cv, col, row), colour, &cur);
		if (colour && cur >= 0) {
			fputs("\033[0m", out);
			cur = -1;
		}
		fputc('\n', out);
	}

	/* The x axis: a tick under each labelled size, then the labels,
	 * each centred on its tick where it does not run into the last. */
	fprintf(out, "%*s\xe2\x94\x94", YLABEL, "");
	for (int col = 0; col < cv.cols; col++) {
		bool tick = false;

		for (int e = xa.e_lo; e <= xa.e_hi; e++)
			tick |= mmt__axis_labelled(&xa, e) && dot_x(&cv, &xa, pow(2, e)) / 2 == col;
		fputs(tick ? "\xe2\x94\xac" : "\xe2\x94\x80", out);
	}
	fputc('\n', out);
	{
		int used = 0;      /* columns printed on the label line */

		fprintf(out, "%*s", YLABEL, "");
		used = YLABEL;
		for (int e = xa.e_lo; e <= xa.e_hi; e++) {
			int col, start, n;

			if (!mmt__axis_labelled(&xa, e))
				continue;
			mmt__axis_label(&xa, e, lab, sizeof(lab));
			n = utf8_chars(lab);
			col = YLABEL + 1 + dot_x(&cv, &xa, pow(2, e)) / 2;
			start = MMT_MAX(col - n / 2, YLABEL);
			/* The last label may lean left to stay inside. */
			if (start + n > width - 1)
				start = width - 1 - n;
			if (start < used + (used > YLABEL))
				continue;
			fprintf(out, "%*s%s", start - used, "", lab);
			used = start + n;
		}
		fputc('\n', out);
	}
	legend(out, res, width, colour);
	if (v.ncross) {
		char lo[32], hi[32];

		mmt_format_size(v.cross_lo[0], lo, sizeof(lo));
		mmt_format_size(v.cross_hi[0], hi, sizeof(hi));
		snprintf(text, sizeof(text), " \xe2\x94\x86 the winner changes (%s and %s, first between %s and %s)",
			 res->points[a].method->name, res->points[b].method->name, lo, hi);
		put_fitted(out, text, width);
	}
	free(cv.cells);
	return mmt__report_status(out);
}
