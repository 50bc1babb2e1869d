/*
 * report.c - the table of output formats.  To add a format, write its
 * render function in a file of its own under src/report/, declare it in
 * report.h and add a row here.
 */
#include <string.h>

#include "report/report.h"

const struct mmt_reporter *const mmt_reporters[] = {
	&mmt__report_table,
	&mmt__report_csv,
	&mmt__report_json,
	&mmt__report_svg,
	&mmt__report_html,
	NULL,
};

/* See mmaptimer.h. */
const struct mmt_reporter *mmt_reporter_find(const char *name)
{
	for (size_t i = 0; mmt_reporters[i]; i++)
		if (!strcmp(mmt_reporters[i]->name, name))
			return mmt_reporters[i];
	return NULL;
}

/* See report.h. */
uint64_t mmt__bytes(double v)
{
	if (!(v > 0))
		return 0;
	return v >= 18446744073709551616.0 ? UINT64_MAX : (uint64_t)v;
}

/* See report.h. */
const char *mmt__sync_name(enum mmt_sync s)
{
	static const char *const names[] = { "none", "end", "each" };

	return (unsigned)s < MMT_ARRAY_SIZE(names) ? names[s] : "unknown";
}

/* See report.h. */
const char *mmt__advice_name(enum mmt_advice advice)
{
	static const char *const names[] = {
		"none", "normal", "sequential", "random", "willneed", "dontneed", "hugepage",
	};

	return (unsigned)advice < MMT_ARRAY_SIZE(names) ? names[advice] : "unknown";
}

/* See report.h. */
int mmt__report_status(FILE *out)
{
	return ferror(out) ? -EIO : 0;
}
/* See report.h. */
size_t mmt__utf8_len(const unsigned char *p)
{
	size_t n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3
		 : (*p & 0xf8) == 0xf0 ? 4 : 0;

	if (n == 2 && *p < 0xc2)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}
