/*
 * bare.h - the bare reference loops: mmap and write() as a careful
 * programmer would write them for one job.  Each times open..close with
 * CLOCK_MONOTONIC into *secs and returns 0 or a negative errno.
 */
#ifndef MMT_BENCH_BARE_H
#define MMT_BENCH_BARE_H

#include <stddef.h>
#include <time.h>

double ts_diff(const struct timespec *a, const struct timespec *b);
int bare_mmap(int dirfd, const char *name, size_t size, size_t chunk,
	      const unsigned char *src, double *secs);
int bare_write(int dirfd, const char *name, size_t size, size_t chunk,
	       const unsigned char *src, double *secs);
/* Compare the file with the pattern: 0, MMT_EVERIFY or a negative errno. */
int bare_verify(int dirfd, const char *name, size_t size, const unsigned char *src);

#endif
