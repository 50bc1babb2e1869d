/*
 * clock.c - the one clock every figure is read from: CLOCK_MONOTONIC in
 * nanoseconds, with its resolution and the measured cost of reading it.
 */
#include <time.h>

#include "core/internal.h"

/* Nanoseconds on CLOCK_MONOTONIC (a vDSO call: no system call). */
uint64_t mmt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Resolution from clock_getres(); read cost as the median, over 31
 * batches, of the mean cost of 1000 back-to-back reads.  Batches keep the
 * clock's own granularity out of the figure. */
void mmt_clock_info(struct mmt_clock_info *ci)
{
	struct timespec res;
	double batch[31];

	ci->name = "CLOCK_MONOTONIC";
	clock_getres(CLOCK_MONOTONIC, &res);
	ci->resolution_ns = (uint64_t)res.tv_sec * 1000000000u + (uint64_t)res.tv_nsec;
	for (size_t b = 0; b < MMT_ARRAY_SIZE(batch); b++) {
		uint64_t t0 = mmt_now_ns(), sink = 0;

		for (int i = 0; i < 1000; i++)
			sink += mmt_now_ns();
		__asm__ volatile("" : : "r"(sink) : "memory");
		batch[b] = (double)(mmt_now_ns() - t0) / 1001.0;
	}
	ci->read_cost_ns = mmt__median(batch, MMT_ARRAY_SIZE(batch));
}
