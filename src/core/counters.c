/*
 * counters.c - the per-run counters that explain a cost: page faults, CPU
 * time split into user and system, and context switches, from getrusage().
 * Snapshots are taken outside the timed span.
 */
#include <sys/resource.h>

#include "core/internal.h"

static double tv_seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* Snapshot this process's resource usage into *u. */
void mmt__usage_now(struct mmt__usage *u)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	u->utime = tv_seconds(ru.ru_utime);
	u->stime = tv_seconds(ru.ru_stime);
	u->minflt = ru.ru_minflt;
	u->majflt = ru.ru_majflt;
	u->nvcsw = ru.ru_nvcsw;
	u->nivcsw = ru.ru_nivcsw;
}

/* The usage between two snapshots, into the counters (not syscalls, which
 * the method counts itself). */
void mmt__usage_diff(const struct mmt__usage *b, const struct mmt__usage *a,
		     struct mmt_counters *c)
{
	c->utime = a->utime - b->utime;
	c->stime = a->stime - b->stime;
	c->minflt = (double)(a->minflt - b->minflt);
	c->majflt = (double)(a->majflt - b->majflt);
	c->nvcsw = (double)(a->nvcsw - b->nvcsw);
	c->nivcsw = (double)(a->nivcsw - b->nivcsw);
}
