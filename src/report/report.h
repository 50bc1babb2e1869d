/*
 * report.h - what the reporters share.
 */
#ifndef MMT_REPORT_H
#define MMT_REPORT_H

#include <errno.h>

#include "core/internal.h"

extern const struct mmt_reporter mmt__report_table;
extern const struct mmt_reporter mmt__report_csv;
extern const struct mmt_reporter mmt__report_json;
extern const struct mmt_reporter mmt__report_svg;
extern const struct mmt_reporter mmt__report_html;

/* A byte count or rate held as a double (it may come from a JSON file
 * of anywhere) as a uint64_t for mmt_format_size(): NaN and negatives are
 * 0, anything from 2^64 up is UINT64_MAX.  (A plain cast of an
 * out-of-range double is undefined.) */
uint64_t mmt__bytes(double v);

/* Names of option values, as the command line spells them. */
const char *mmt__sync_name(enum mmt_sync s);
const char *mmt__advice_name(enum mmt_advice advice);

/* JSON pieces shared with the ipc document (json.c): a string literal,
 * a number (null when not finite), and the "env" member with its comma. */
void mmt__json_str(FILE *out, const char *s);
void mmt__json_num(FILE *out, double v);
void mmt__json_env(FILE *out, const struct mmt_env *e);

/* A min-max range for a table: "24.9-25.3 ms" when both ends share a
 * unit, "998 us-1.01 ms" otherwise.  Writes at most len bytes to buf and
 * returns it. */
char *mmt__format_range(double lo, double hi, char *buf, size_t len);

/* Length of the valid UTF-8 sequence at p (1 to 4), or 0 if the bytes at
 * p are not one: what the JSON and XML writers replace with U+FFFD. */
size_t mmt__utf8_len(const unsigned char *p);

/* 0 if everything written to out so far went through, -EIO otherwise. */
int mmt__report_status(FILE *out);

/* ---- what the pictures share (plot.c) ---- */

/* A logarithmic axis: from base^e_lo to base^e_hi, a tick at every power
 * of base, a label at every step-th. */
enum mmt__axis_kind { MMT__AXIS_SIZE, MMT__AXIS_TIME, MMT__AXIS_RATE };
struct mmt__axis {
	enum mmt__axis_kind kind;
	int base;                /* 2 for sizes and rates, 10 for times */
	int e_lo, e_hi, step;
	double lo, hi;           /* base^e_lo, base^e_hi */
};

/* Axes over the chunk sizes, over every available point's min..max time,
 * and over the throughputs (size / time) those give; at most max_labels
 * labelled ticks. */
void mmt__axis_chunks(const struct mmt_results *res, unsigned max_labels, struct mmt__axis *a);
void mmt__axis_times(const struct mmt_results *res, unsigned max_labels, struct mmt__axis *a);
void mmt__axis_rates(const struct mmt_results *res, unsigned max_labels, struct mmt__axis *a);
/* Where v lies on the axis, from 0 (lo) to 1 (hi), clamped. */
double mmt__axis_pos(const struct mmt__axis *a, double v);
/* Whether the tick at base^e carries a label, and the label: "4 KiB",
 * "10 ms", "1 GiB/s".  Returns buf. */
bool mmt__axis_labelled(const struct mmt__axis *a, int e);
char *mmt__axis_label(const struct mmt__axis *a, int e, char *buf, size_t len);

/* The pair of methods the verdict compares (indices), as the table
 * chooses it; false when fewer than two methods touch a file. */
bool mmt__report_pair(const struct mmt_results *res, size_t *a, size_t *b);
/* The chunk size, between measured sizes lo and hi, where the medians of
 * methods a and b cross on a log-log plot. */
double mmt__crossover(const struct mmt_results *res, size_t a, size_t b, uint64_t lo,
		      uint64_t hi);

/* The colour ("#rrggbb") of the m-th method in every picture. */
const char *mmt__plot_colour(size_t m);

/* s as XML or HTML text (also safe inside a quoted attribute): markup
 * characters escaped, bytes that are not UTF-8 and control characters
 * replaced with U+FFFD. */
void mmt__xml_text(FILE *out, const char *s);

/* One line (no newline) saying what was measured, as XML text:
 * "mmaptimer write: writing a 10 MiB file, median of 3 runs...". */
void mmt__report_caption(FILE *out, const struct mmt_report *r);

/* The table's verdict lines (table.c), for the other reports to quote. */
void mmt__report_verdict(FILE *out, const struct mmt_results *res);

/* The plots as one SVG element; standalone adds the XML declaration (an
 * SVG file) and leaves it out for inlining in HTML. */
int mmt__svg_plot(FILE *out, const struct mmt_report *r, bool standalone);

#endif
