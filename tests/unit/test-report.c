/*
 * test-report.c - the reporters over a small real sweep: the structure of
 * the table, CSV and JSON they write (JSON checked by a small validating
 * parser), and an error return when the output stream fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"
#include "test.h"

/* Render with the reporter called name into a string (caller frees). */
static char *render(const struct test_sweep *f, const char *name)
{
	const struct mmt_reporter *r = mmt_reporter_find(name);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	ASSERT(r);
	ASSERT(out);
	ASSERT_EQ_INT(r->render(out, &f->rep), 0);
	ASSERT_EQ_INT(fclose(out), 0);
	ASSERT(buf && len == strlen(buf));
	return buf;
}

/* Occurrences of needle in s. */
static size_t count(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

TEST_IMPL(report_table)
{
	struct test_sweep f;
	char *out, *line;
	size_t rows = 0;

	test_sweep_init(&f);
	out = render(&f, "table");
	ASSERT(strncmp(out, "mmaptimer ", 10) == 0);
	ASSERT_CONTAINS(out, "verdict:");
	ASSERT_EQ_U64(count(out, "verdict:"), 1);
	/* The verdict compares the two file methods, never null. */
	ASSERT(strstr(out, "verdict:") && !strstr(strstr(out, "verdict:"), "null"));
	ASSERT_CONTAINS(out, "verified byte for byte");
	ASSERT_CONTAINS(out, "mmap");
	ASSERT_CONTAINS(out, "write");
	ASSERT_CONTAINS(out, "null");
	ASSERT(out[strlen(out) - 1] == '\n');
	/* One row per chunk size, each starting with the size. */
	for (line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		char size[32];

		for (size_t c = 0; c < 3; c++) {
			mmt_format_size(f.job.chunks[c], size, sizeof(size));
			if (strncmp(line + strspn(line, " "), size, strlen(size)) == 0 &&
			    line[strspn(line, " ") + strlen(size)] == ' ')
				rows++;
		}
	}
	ASSERT_EQ_U64(rows, 3);
	free(out);
	mmt_results_free(&f.res);
}

TEST_IMPL(report_csv)
{
	struct test_sweep f;
	char *out, *line, *save = NULL;
	size_t nline = 0;

	test_sweep_init(&f);
	out = render(&f, "csv");
	ASSERT(out[strlen(out) - 1] == '\n');
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t fields = count(line, ",") + 1;

		ASSERT_MSG(fields == 25, "line %zu has %zu fields: %s", nline, fields, line);
		if (nline == 0) {
			/* The 19 original columns first, unchanged; new ones are
			 * only ever appended. */
			ASSERT_STR_EQ(line, "op,method,size,chunk,runs,median,min,max,setup,transfer,"
					    "teardown,syscalls,minflt,majflt,utime,stime,nvcsw,nivcsw,"
					    "verified,sync,storage_bytes,available,why,storage_read_bytes,resident");
		} else {
			const struct mmt_point *p = &f.res.points[nline - 1];
			char want[128];

			snprintf(want, sizeof(want), "write,%s,%" PRIu64 ",%" PRIu64 ",2,",
				 p->method->name, p->size, p->chunk);
			ASSERT_MSG(strncmp(line, want, strlen(want)) == 0, "line %zu is \"%s\", want \"%s...\"",
				   nline, line, want);
			/* verified (field 19): true for a file method, empty for
			 * null; every point here ran: available true, no why. */
			const char *f19 = line;

			for (int k = 0; k < 18; k++)
				f19 = strchr(f19, ',') + 1;
			if (p->checked)
				ASSERT_MSG(strncmp(f19, "true,", 5) == 0, "line %zu: %s", nline, line);
			else
				ASSERT_MSG(f19[0] == ',', "line %zu: %s", nline, line);
			/* available true, no why; then storage_read_bytes, and
			 * resident, which only reads have: empty. */
			ASSERT_MSG(strstr(line, ",true,,") != NULL, "line %zu: %s", nline, line);
			ASSERT(line[strlen(line) - 1] == ',');
		}
		nline++;
	}
	ASSERT_EQ_U64(nline, 1 + f.res.npoints);
	free(out);
	mmt_results_free(&f.res);
}

/* A minimal JSON parser that only validates: enough to prove the output
 * is one well-formed value.  Returns the position after the value, or
 * NULL. */
static const char *json_value(const char *p, int depth);

static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static const char *json_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	for (; *p != '"'; p++) {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
						return NULL;
				p += 4;
			} else if (!*p || !strchr("\"\\/bfnrt", *p)) {
				return NULL;
			}
		}
	}
	return p + 1;
}

static const char *json_number(const char *p)
{
	const char *s = p;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return NULL;
	if (*p == '.') {
		if (!(*++p >= '0' && *p <= '9'))
			return NULL;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return NULL;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return p > s ? p : NULL;
}

/* Members of an object (obj) or elements of an array, after the opener. */
static const char *json_items(const char *p, int depth, bool obj)
{
	char close = obj ? '}' : ']';

	p = json_ws(p);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (obj) {
			if (!(p = json_string(json_ws(p))))
				return NULL;
			p = json_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		if (!(p = json_value(p, depth + 1)))
			return NULL;
		p = json_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *json_value(const char *p, int depth)
{
	if (depth > 32)
		return NULL;
	p = json_ws(p);
	switch (*p) {
	case '{': return json_items(p + 1, depth, true);
	case '[': return json_items(p + 1, depth, false);
	case '"': return json_string(p);
	case 't': return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f': return strncmp(p, "false", 5) ? NULL : p + 5;
	case 'n': return strncmp(p, "null", 4) ? NULL : p + 4;
	default: return json_number(p);
	}
}

TEST_IMPL(report_json)
{
	struct test_sweep f;
	const char *end, *bad[] = { "{", "{\"a\" 1}", "[1,]", "\"x", "01", "{\"a\":tru}" };
	char *out;

	/* The validator itself refuses what is not JSON. */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		end = json_value(bad[i], 0);
		ASSERT_MSG(!end || *json_ws(end), "validator accepts %s", bad[i]);
	}

	test_sweep_init(&f);
	out = render(&f, "json");
	end = json_value(out, 0);
	ASSERT_MSG(end != NULL, "not valid JSON:\n%.400s", out);
	ASSERT_MSG(*json_ws(end) == '\0', "text after the JSON value: %.100s", end);
	/* {"schema": "mmaptimer/1", ... first of all. */
	ASSERT(*json_ws(out) == '{');
	{
		static const char schema[] = "\"schema\": \"" MMT_SCHEMA "\",";

		ASSERT(strncmp(json_ws(json_ws(out) + 1), schema, strlen(schema)) == 0);
	}
	/* One "method" per point ("methods" in the config does not count). */
	ASSERT_EQ_U64(count(out, "\"method\": "), f.res.npoints);
	ASSERT_EQ_U64(count(out, "\"median\": "), f.res.npoints);
	ASSERT_EQ_U64(count(out, "\"verified\": true"), 6);
	ASSERT_EQ_U64(count(out, "\"verified\": null"), 3);
	ASSERT_CONTAINS(out, "\"version\": \"" MMT_VERSION "\"");
	ASSERT_CONTAINS(out, "\"env\": {");
	ASSERT_CONTAINS(out, "\"chunks\": [1024, 4096, 65536]");
	ASSERT_CONTAINS(out, "\"methods\": [\"mmap\", \"write\", \"null\"]");
	free(out);
	mmt_results_free(&f.res);
}

/* The plot: one SVG document, one median line per method in each of the
 * two panels, the legend naming every method, the round tick labels. */
TEST_IMPL(report_svg)
{
	struct test_sweep f;
	char *out;

	test_sweep_init(&f);
	out = render(&f, "svg");
	ASSERT(strncmp(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44) == 0);
	ASSERT(strlen(out) > 7 && strcmp(out + strlen(out) - 7, "</svg>\n") == 0);
	ASSERT_EQ_U64(count(out, "<svg "), 1);
	ASSERT_EQ_U64(count(out, "<path class=\"line"), 6);
	ASSERT_EQ_U64(count(out, "data-method=\"mmap\""), 2);
	ASSERT_EQ_U64(count(out, "data-method=\"write\""), 2);
	ASSERT_EQ_U64(count(out, "data-method=\"null\""), 2);
	ASSERT_EQ_U64(count(out, "class=\"legend-label\""), 3);
	ASSERT_CONTAINS(out, ">1 KiB</text>");
	ASSERT_CONTAINS(out, ">64 KiB</text>");
	/* Every element opened is closed: as many '<' as '>' (no text
	 * here holds either unescaped). */
	ASSERT_EQ_U64(count(out, "<"), count(out, ">"));
	free(out);
	mmt_results_free(&f.res);
}

/* The HTML page: one document with the plot inlined (no XML declaration
 * inside it), every section, and no script. */
TEST_IMPL(report_html)
{
	static const char *const sections[] = {
		"<section class=\"verdict\" id=\"verdict\">", "<section id=\"plots\">",
		"<section id=\"results\">", "<section id=\"counters\">", "<section id=\"config\">",
		"<section id=\"env\">",
	};
	struct test_sweep f;
	char *out;

	test_sweep_init(&f);
	out = render(&f, "html");
	ASSERT(strncmp(out, "<!DOCTYPE html>\n<html lang=\"en\">\n", 32) == 0);
	ASSERT(strlen(out) > 8 && strcmp(out + strlen(out) - 8, "</html>\n") == 0);
	ASSERT_EQ_U64(count(out, "<svg "), 1);
	ASSERT_EQ_U64(count(out, "<?xml"), 0);
	ASSERT_EQ_U64(count(out, "<script"), 0);
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		ASSERT_EQ_U64(count(out, sections[i]), 1);
	ASSERT_EQ_U64(count(out, "<section"), count(out, "</section>"));
	ASSERT_EQ_U64(count(out, "<tr"), count(out, "</tr>"));
	/* A header row and a row per point, in each of the two tables. */
	ASSERT_EQ_U64(count(out, "<tr"), 2 * (1 + f.res.npoints));
	ASSERT_CONTAINS(out, "<p>verdict: ");
	free(out);
	/* A command name from elsewhere (a saved run, a JSON file) is text,
	 * never markup, in the page and in the plot. */
	f.rep.command = "<x&y>";
	out = render(&f, "html");
	ASSERT_EQ_U64(count(out, "<x&y>"), 0);
	ASSERT(count(out, "mmaptimer &lt;x&amp;y&gt;") >= 3);
	free(out);
	out = render(&f, "svg");
	ASSERT_EQ_U64(count(out, "<x&y>"), 0);
	ASSERT_EQ_U64(count(out, "mmaptimer &lt;x&amp;y&gt;"), 2);
	free(out);
	mmt_results_free(&f.res);
}

/* Characters (not bytes) in the longest line of UTF-8 text s. */
static size_t widest_line(const char *s)
{
	size_t w = 0, n = 0;

	for (; *s; s++) {
		if (*s == '\n') {
			w = n > w ? n : w;
			n = 0;
		} else if (((unsigned char)*s & 0xc0) != 0x80) {
			n++;
		}
	}
	return n > w ? n : w;
}

/* The terminal chart: within the width asked, in any width from 40, with
 * a marker per method in the legend, escapes only when colour is asked,
 * and options out of range refused. */
TEST_IMPL(chart_fits)
{
	static const unsigned widths[] = { 40, 60, 80, 132 };
	struct test_sweep f;

	test_sweep_init(&f);
	for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		for (int colour = 0; colour < 2; colour++) {
			struct mmt_chart_opts o = { .width = widths[i], .height = 8, .colour = colour };
			char *buf = NULL;
			size_t len = 0;
			FILE *out = open_memstream(&buf, &len);

			ASSERT(out);
			ASSERT_EQ_INT(mmt_chart(out, &f.rep, &o), 0);
			ASSERT_EQ_INT(fclose(out), 0);
			if (!colour)
				ASSERT_MSG(widest_line(buf) <= widths[i], "width %u: a line of %zu characters:\n%s",
					   widths[i], widest_line(buf), buf);
			ASSERT_EQ_U64(count(buf, "\033") > 0, (size_t)colour);
			ASSERT_CONTAINS(buf, "mmap");
			ASSERT_CONTAINS(buf, "write");
			ASSERT_CONTAINS(buf, "null");
			/* The plot's rows, the axis and its labels, the legend. */
			ASSERT(count(buf, "\n") >= 8 + 3);
			free(buf);
		}
	}
	{
		struct mmt_chart_opts bad[] = { { .width = 39 }, { .width = 80, .height = 3 } };
		FILE *out = fopen("/dev/null", "w");

		ASSERT(out);
		for (size_t i = 0; i < 2; i++)
			ASSERT_EQ_INT(mmt_chart(out, &f.rep, &bad[i]), -EINVAL);
		fclose(out);
	}
	mmt_results_free(&f.res);
}

/* Output that does not reach its file is an error, not a success. */
TEST_IMPL(report_write_error)
{
	struct test_sweep f;
	size_t n = 0;

	test_sweep_init(&f);
	for (size_t i = 0; mmt_reporters[i]; i++, n++) {
		const struct mmt_reporter *r = mmt_reporters[i];
		FILE *out = fopen("/dev/full", "w");

		if (!out)
			SKIP("cannot open /dev/full: %s", strerror(errno));
		ASSERT_EQ_INT(setvbuf(out, NULL, _IONBF, 0), 0);
		ASSERT_MSG(r->render(out, &f.rep) != 0, "reporter '%s' reports success on /dev/full",
			   r->name);
		fclose(out);
		ASSERT(mmt_reporter_find(r->name) == r);
	}
	ASSERT(n >= 3);
	ASSERT(mmt_reporter_find("nosuch") == NULL);
	mmt_results_free(&f.res);
}
