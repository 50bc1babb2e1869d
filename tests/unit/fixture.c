/*
 * fixture.c - the sweep of fixture.h.
 */
#include <stdlib.h>

#include "fixture.h"
#include "test.h"

static const uint64_t chunks[] = { 1024, 4096, 65536 };

void test_sweep_init(struct test_sweep *t)
{
	struct mmt_error err = { 0 };
	int rc;

	memset(t, 0, sizeof(*t));
	t->methods[0] = mmt_method_find("mmap");
	t->methods[1] = mmt_method_find("write");
	t->methods[2] = mmt_method_find("null");
	t->job.op = MMT_OP_WRITE;
	t->job.size = 64 * 1024;
	t->job.chunks = chunks;
	t->job.nchunks = 3;
	t->job.methods = t->methods;
	t->job.nmethods = 3;
	t->job.runs = 2;
	t->job.dir = test_dir();
	t->job.test_corrupt_at = -1;
	t->job.test_shrink_to = -1;
	rc = mmt_sweep(&t->job, &t->res, &err);
	ASSERT_MSG(rc == 0, "mmt_sweep returned %d: %s", rc, err.msg);
	ASSERT_EQ_INT(mmt_env_probe(test_dir(), &t->env), 0);
	t->rep.job = &t->job;
	t->rep.res = &t->res;
	t->rep.env = &t->env;
	t->rep.command = "write";
}

void test_sweep_free(struct test_sweep *t)
{
	mmt_results_free(&t->res);
}
