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
int mmt__report_status(FILE *out)
{
	return ferror(out) ? -EIO : 0;
}
