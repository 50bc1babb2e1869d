/*
 * methods.c - the table of every I/O method.  To add a method, define its
 * struct mmt_method in a file of its family under src/methods/, declare it
 * in method.h and add a row here; the CLI, the reports and the tests pick
 * it up from this table.
 */
#include <string.h>

#include "methods/method.h"

const struct mmt_method *const mmt_methods[] = {
	&mmt__method_mmap,
	&mmt__method_mmap_falloc,
	&mmt__method_mmap_populate,
	&mmt__method_write,
	&mmt__method_pwrite,
	&mmt__method_writev,
	&mmt__method_pwritev,
	&mmt__method_stdio,
	&mmt__method_direct,
	&mmt__method_uring,
	&mmt__method_null,
	NULL,
};

/* See mmaptimer.h. */
const struct mmt_method *mmt_method_find(const char *name)
{
	for (size_t i = 0; mmt_methods[i]; i++)
		if (!strcmp(mmt_methods[i]->name, name))
			return mmt_methods[i];
	return NULL;
}

/* A probe for methods that need nothing but POSIX files. */
int mmt__probe_always(const struct mmt_probe *p, char *why, size_t whylen)
{
	(void)p;
	(void)why;
	(void)whylen;
	return 0;
}
