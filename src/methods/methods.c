/*
 * methods.c - the table of every I/O method.  To add a method, define its
 * struct mmt_method in a file of its family under src/methods/, declare it
 * in method.h and add a row here; the CLI, the reports and the tests pick
 * it up from this table.
 */
#include <fcntl.h>
#include <string.h>

#include "methods/method.h"

const struct mmt_method *const mmt_methods[] = {
	&mmt__method_mmap,
	&mmt__method_mmap_falloc,
	&mmt__method_mmap_populate,
	&mmt__method_write,
	&mmt__method_read,
	&mmt__method_pwrite,
	&mmt__method_pread,
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

/* See method.h. */
int mmt__fadvice(enum mmt_advice a)
{
	switch (a) {
	case MMT_ADVICE_NORMAL: return POSIX_FADV_NORMAL;
	case MMT_ADVICE_SEQUENTIAL: return POSIX_FADV_SEQUENTIAL;
	case MMT_ADVICE_RANDOM: return POSIX_FADV_RANDOM;
	case MMT_ADVICE_WILLNEED: return POSIX_FADV_WILLNEED;
	case MMT_ADVICE_DONTNEED: return POSIX_FADV_DONTNEED;
	default: return -1;
	}
}

/* See mmaptimer.h.  The multiplier is 1 mod 4 and the increment odd, the
 * conditions for a full period modulo a power of two; both come from the
 * seed, so different seeds give different orders. */
void mmt_order_init(struct mmt_order_state *o, uint64_t n, uint64_t seed)
{
	uint64_t m = 1;

	while (m < n)
		m <<= 1;
	seed = (seed ^ 0x9E3779B97F4A7C15ull) * 0xBF58476D1CE4E5B9ull;
	o->n = n;
	o->mask = m - 1;
	o->a = ((seed >> 7) << 2 | 1) & o->mask;
	if (m >= 4)
		o->a = (o->a & ~(uint64_t)3) | 1;
	o->c = ((seed >> 17) | 1) & o->mask;
	if (m == 1) {
		o->a = 1;
		o->c = 0;
	}
	o->x = (seed >> 31) & o->mask;
}

/* A probe for methods that need nothing but POSIX files. */
int mmt__probe_always(const struct mmt_probe *p, char *why, size_t whylen)
{
	(void)p;
	(void)why;
	(void)whylen;
	return 0;
}
