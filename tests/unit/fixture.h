/*
 * fixture.h - the small real sweep that the reporter, store and compare
 * tests work on: 64 KiB written by mmap, write and null at 1, 4 and
 * 64 KiB chunks, twice each, in the test's directory, with the
 * environment and the report that renders it.
 */
#ifndef MMT_TEST_FIXTURE_H
#define MMT_TEST_FIXTURE_H

#include "mmaptimer.h"

struct test_sweep {
	const struct mmt_method *methods[3];
	struct mmt_job job;      /* job.methods points into methods: do not copy */
	struct mmt_results res;
	struct mmt_env env;
	struct mmt_report rep;
};

/* Run the sweep (a failure ends the test) and fill in the report. */
void test_sweep_init(struct test_sweep *t);
void test_sweep_free(struct test_sweep *t);

#endif
