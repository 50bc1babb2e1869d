/*
 * test-read.c - reading: the random order visits every chunk exactly once,
 * the checksum is order-independent and sees a changed byte, and read
 * sweeps with every method verify, in both orders and both cache modes.
 */
#include <errno.h>
#include <stdlib.h>

#include "test.h"

/* Every index of 0..n-1 exactly once, for many n and seeds. */
TEST_IMPL(read_order_is_a_permutation)
{
	static const uint64_t ns[] = { 1, 2, 3, 5, 8, 17, 100, 1023, 1024, 1025, 4099, 65536 };
	unsigned char *seen = malloc(65536);

	ASSERT(seen);
	for (size_t k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
		for (uint64_t seed = 0; seed < 5; seed++) {
			struct mmt_order_state o;
			uint64_t n = ns[k];

			memset(seen, 0, n);
			mmt_order_init(&o, n, seed);
			for (uint64_t i = 0; i < n; i++) {
				uint64_t x = mmt_order_next(&o);

				ASSERT_MSG(x < n, "n %" PRIu64 " seed %" PRIu64 ": %" PRIu64 " out of range", n, seed, x);
				ASSERT_MSG(!seen[x], "n %" PRIu64 " seed %" PRIu64 ": %" PRIu64 " twice", n, seed, x);
				seen[x] = 1;
			}
		}
	}
	free(seen);
}

/* The same seed gives the same order; another seed, another order; and
 * the order is not simply sequential. */
TEST_IMPL(read_order_seeded)
{
	struct mmt_order_state a, b, c;
	bool differs = false, shuffled = false;

	mmt_order_init(&a, 1000, 7);
	mmt_order_init(&b, 1000, 7);
	mmt_order_init(&c, 1000, 8);
	for (uint64_t i = 0; i < 1000; i++) {
		uint64_t x = mmt_order_next(&a), y = mmt_order_next(&b), z = mmt_order_next(&c);

		ASSERT_EQ_U64(x, y);
		differs |= x != z;
		shuffled |= x != i;
	}
	ASSERT(differs);
	ASSERT(shuffled);
}

/* The checksum of a whole buffer is the sum of its chunks' in any order
 * when chunks are multiples of 8; one changed byte changes it. */
TEST_IMPL(read_checksum)
{
	unsigned char buf[4096];
	uint64_t whole, parts = 0;

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = mmt_pattern_byte(i);
	whole = mmt_checksum(buf, sizeof(buf));
	for (size_t off = sizeof(buf); off > 0; off -= 512)
		parts += mmt_checksum(buf + off - 512, 512);
	ASSERT_EQ_U64(whole, parts);
	buf[1234] ^= 1;
	ASSERT(mmt_checksum(buf, sizeof(buf)) != whole);
	/* Tails shorter than a word count each byte at its place. */
	ASSERT_EQ_U64(mmt_checksum((const unsigned char *)"\x01\x02", 2), 0x0201);
}

/* A read sweep with every method that can read, at an odd size and
 * chunks that do not divide it, in the given order and cache mode: every
 * available point ran, and the directory is empty afterwards. */
static void read_sweep(enum mmt_order order, enum mmt_cache cache)
{
	static const uint64_t chunks[] = { 1, 7, 4096, 100003 };
	const struct mmt_method *methods[16];
	struct mmt_results res;
	struct mmt_error err = { 0 };
	struct mmt_job job;
	size_t n = 0;
	int rc;

	for (size_t i = 0; mmt_methods[i]; i++)
		if (mmt_methods[i]->ops & MMT_OP_READ)
			methods[n++] = mmt_methods[i];
	ASSERT(n >= 6);
	mmt_job_read(&job);
	job.size = 100003;
	job.chunks = chunks;
	job.nchunks = 4;
	job.methods = methods;
	job.nmethods = n;
	job.runs = 1;
	job.dir = test_dir();
	job.opts.read.order = order;
	job.opts.read.cache = cache;
	rc = mmt_sweep(&job, &res, &err);
	ASSERT_MSG(rc == 0, "mmt_sweep: %d %s", rc, err.msg);
	for (size_t i = 0; i < res.npoints; i++) {
		const struct mmt_point *p = &res.points[i];

		if (!strcmp(p->method->name, "direct") || !strcmp(p->method->name, "uring") ||
		    (!strcmp(p->method->name, "stdio") && order == MMT_ORDER_RANDOM)) {
			if (!p->available)
				ASSERT_MSG(p->why[0], "%s unavailable without a reason", p->method->name);
			continue;
		}
		ASSERT_MSG(p->available, "%s at %" PRIu64 ": %s", p->method->name, p->chunk, p->why);
		ASSERT(p->median >= p->min && p->median <= p->max);
		if (p->checked && cache == MMT_CACHE_COLD && p->resident_max >= 0)
			ASSERT_MSG(p->cold_confirmed == (p->resident_max <= 0.01), "cold flag");
	}
	ASSERT(res.peak_rss != 0);
	mmt_results_free(&res);
	ASSERT_EQ_INT(test_count_entries(test_dir()), 0);
}

TEST_IMPL(read_sweep_seq_warm)
{
	read_sweep(MMT_ORDER_SEQ, MMT_CACHE_WARM);
}

TEST_IMPL(read_sweep_random_cold)
{
	read_sweep(MMT_ORDER_RANDOM, MMT_CACHE_COLD);
}

/* stdio cannot read in random order with its calls counted: the point is
 * unavailable, with the reason. */
TEST_IMPL(read_stdio_random_unavailable)
{
	static const uint64_t chunk = 4096;
	const struct mmt_method *methods[1] = { mmt_method_find("stdio") };
	struct mmt_results res;
	struct mmt_error err = { 0 };
	struct mmt_job job;

	mmt_job_read(&job);
	job.size = 65536;
	job.chunks = &chunk;
	job.nchunks = 1;
	job.methods = methods;
	job.nmethods = 1;
	job.runs = 1;
	job.dir = test_dir();
	job.opts.read.order = MMT_ORDER_RANDOM;
	ASSERT_EQ_INT(mmt_sweep(&job, &res, &err), MMT_EUNAVAIL);
	ASSERT_CONTAINS(err.msg, "fseeko");
	ASSERT_EQ_INT(test_count_entries(test_dir()), 0);
}

/* A method that cannot read is refused by the job check. */
TEST_IMPL(read_refuses_write_only_method)
{
	static const uint64_t chunk = 4096;
	const struct mmt_method *methods[1] = { mmt_method_find("writev") };
	struct mmt_error err = { 0 };
	struct mmt_job job;

	mmt_job_read(&job);
	job.size = 65536;
	job.chunks = &chunk;
	job.nchunks = 1;
	job.methods = methods;
	job.nmethods = 1;
	job.dir = test_dir();
	ASSERT_EQ_INT(mmt_job_check(&job, &err), -EINVAL);
	ASSERT_CONTAINS(err.msg, "cannot read");
}
