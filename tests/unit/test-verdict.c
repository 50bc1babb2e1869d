/*
 * test-verdict.c - mmt_verdict() over results built by hand: who wins at
 * the smallest and largest chunk, where the winner changes, which points
 * are too close to call, and the refusal of bad method indices.
 */
#include <errno.h>

#include "test.h"

#define MAXC 64

static const struct mmt_method fake_a = { .name = "alpha" };
static const struct mmt_method fake_b = { .name = "beta" };
static const struct mmt_method fake_c = { .name = "gamma" };

/* Fake results for two methods, points chunk-major (chunk c, method m at
 * c * 2 + m).  Each point's range is its median +- 1%, so points whose
 * medians differ by more than 2% are never too close to call. */
struct fake {
	struct mmt_results res;
	struct mmt_point pts[MAXC * 2];
};

static void set_point(struct mmt_point *p, const struct mmt_method *m, uint64_t chunk,
		      double median, double lo, double hi)
{
	memset(p, 0, sizeof(*p));
	p->method = m;
	p->size = 1 << 20;
	p->chunk = chunk;
	p->nruns = 3;
	p->median = median;
	p->min = lo;
	p->max = hi;
	p->checked = p->verified = true;
	p->available = true;
}

static void fake_init(struct fake *f, size_t n, const uint64_t *chunks, const double *ta,
		      const double *tb)
{
	memset(f, 0, sizeof(*f));
	f->res.points = f->pts;
	f->res.nchunks = n;
	f->res.nmethods = 2;
	f->res.npoints = n * 2;
	for (size_t c = 0; c < n; c++) {
		set_point(&f->pts[c * 2], &fake_a, chunks[c], ta[c], ta[c] * 0.99, ta[c] * 1.01);
		set_point(&f->pts[c * 2 + 1], &fake_b, chunks[c], tb[c], tb[c] * 0.99,
			  tb[c] * 1.01);
	}
}

static const uint64_t chunks7[] = { 1, 8, 64, 1024, 8192, 1048576, 10485760 };

TEST_IMPL(verdict_no_crossover)
{
	static const double ta[] = { 5.3, 0.75, 0.17, 0.09, 0.06, 0.05, 0.05 };
	static const double tb[] = { 13.2, 1.78, 0.25, 0.10, 0.07, 0.06, 0.06 };
	struct fake f;
	struct mmt_verdict v;

	fake_init(&f, 7, chunks7, ta, tb);
	ASSERT_EQ_INT(mmt_verdict(&f.res, 0, 1, &v), 0);
	ASSERT(v.small == &fake_a);
	ASSERT(v.large == &fake_a);
	ASSERT_EQ_U64(v.ncross, 0);
	ASSERT_EQ_U64(v.nclose, 0);

	/* The same with the arguments swapped: the winner does not depend
	 * on the order asked. */
	ASSERT_EQ_INT(mmt_verdict(&f.res, 1, 0, &v), 0);
	ASSERT(v.small == &fake_a && v.large == &fake_a);
	ASSERT_EQ_U64(v.ncross, 0);

	/* A single chunk size: a winner, no crossover. */
	fake_init(&f, 1, chunks7 + 3, tb + 3, ta + 3);
	ASSERT_EQ_INT(mmt_verdict(&f.res, 0, 1, &v), 0);
	ASSERT(v.small == &fake_b && v.large == &fake_b);
	ASSERT_EQ_U64(v.ncross, 0);
}

/* The published classic table: mmap ahead for small chunks, write from
 * 1 KiB on. */
TEST_IMPL(verdict_one_crossover)
{
	static const double ta[] = { 5.34, 0.75, 0.17, 0.094, 0.0625, 0.094, 0.109 };
	static const double tb[] = { 13.2, 1.78, 0.25, 0.031, 0.031, 0.001, 0.002 };
	struct fake f;
	struct mmt_verdict v;

	fake_init(&f, 7, chunks7, ta, tb);
	ASSERT_EQ_INT(mmt_verdict(&f.res, 0, 1, &v), 0);
	ASSERT(v.small == &fake_a);
	ASSERT(v.large == &fake_b);
	ASSERT_EQ_U64(v.ncross, 1);
	ASSERT_EQ_U64(v.cross_lo[0], 64);
	ASSERT_EQ_U64(v.cross_hi[0], 1024);
	ASSERT_EQ_U64(v.nclose, 0);
}

TEST_IMPL(verdict_several_crossovers)
{
	/* Winners: a a b b a b b */
	static const double ta[] = { 1, 1, 3, 3, 1, 3, 3 };
	static const double tb[] = { 2, 2, 2, 2, 2, 2, 2 };
	struct fake f;
	struct mmt_verdict v;

	fake_init(&f, 7, chunks7, ta, tb);
	ASSERT_EQ_INT(mmt_verdict(&f.res, 0, 1, &v), 0);
	ASSERT(v.small == &fake_a);
	ASSERT(v.large == &fake_b);
	ASSERT_EQ_U64(v.ncross, 3);
	ASSERT_EQ_U64(v.cross_lo[0], 8);
	ASSERT_EQ_U64(v.cross_hi[0], 64);
	ASSERT_EQ_U64(v.cross_lo[1], 1024);
	ASSERT_EQ_U64(v.cross_hi[1], 8192);
	ASSERT_EQ_U64(v.cross_lo[2], 8192);
	ASSERT_EQ_U64(v.cross_hi[2], 1048576);
	ASSERT_EQ_U64(v.nclose, 0);
}

/* More changes of winner than the verdict has room for: the first
 * MMT_MAX_CROSSOVERS are kept, in order, and nothing is written past
 * the arrays (which ASan would see only for a heap object, so the
 * verdict sits between two guards here). */
TEST_IMPL(verdict_many_crossovers)
{
	uint64_t chunks[40];
	double ta[40], tb[40];
	struct fake f;
	struct {
		uint64_t before[8];
		struct mmt_verdict v;
		uint64_t after[8];
	} g;

	for (size_t c = 0; c < 40; c++) {
		chunks[c] = c + 1;
		ta[c] = c % 2 ? 3 : 1;
		tb[c] = 2;
	}
	fake_init(&f, 40, chunks, ta, tb);
	memset(&g, 0x5a, sizeof(g));
	ASSERT_EQ_INT(mmt_verdict(&f.res, 0, 1, &g.v), 0);
	for (size_t i = 0; i < 8; i++) {
		ASSERT_EQ_U64(g.before[i], 0x5a5a5a5a5a5a5a5aull);
		ASSERT_EQ_U64(g.after[i], 0x5a5a5a5a5a5a5a5aull);
	}
	ASSERT(g.v.small == &fake_a);
	ASSERT(g.v.large == &fake_b);      /* chunk 40: b wins */
	/* 39 changes happened; how many are counted beyond the arrays is
	 * not specified, but at least all that fit must be. */
	ASSERT(g.v.ncross >= MMT_MAX_CROSSOVERS);
	ASSERT(g.v.ncross <= 39);
	for (size_t i = 0; i < MMT_MAX_CROSSOVERS; i++) {
		ASSERT_EQ_U64(g.v.cross_lo[i], i + 1);
		ASSERT_EQ_U64(g.v.cross_hi[i], i + 2);
	}
}

TEST_IMPL(verdict_close_points)
{
	static const double ta[] = { 1, 1, 1, 1, 1, 1, 1 };
	static const double tb[] = { 2, 2, 2, 2, 2, 2, 2 };
	struct fake f;
	struct mmt_verdict v;

	fake_init(&f, 7, chunks7, ta, tb);
	/* chunk 8: b's median 1.05 lies in a's range [0.9, 1.1] and a's
	 * median 1 in b's [0.95, 1.2]: too close to call. */
	set_point(&f.pts[1 * 2 + 1], &fake_b, 8, 1.05, 0.95, 1.2);
	set_point(&f.pts[1 * 2], &fake_a, 8, 1, 0.9, 1.1);
	/* chunk 1024: the ranges overlap, but b's median 1.5 is outside a's
	 * range [0.98, 1.02]: one outlier run of b must not hide that. */
	set_point(&f.pts[3 * 2 + 1], &fake_b, 1024, 1.5, 0.99, 1.6);
	/* chunk 8192: equal medians and ranges; a wins the tie. */
	set_point(&f.pts[4 * 2], &fake_a, 8192, 1, 0.9, 1.1);
	set_point(&f.pts[4 * 2 + 1], &fake_b, 8192, 1, 0.9, 1.1);
	/* chunk 10 MiB: b faster, but within a's range and a within b's. */
	set_point(&f.pts[6 * 2], &fake_a, 10485760, 1, 0.5, 1.5);
	set_point(&f.pts[6 * 2 + 1], &fake_b, 10485760, 0.9, 0.5, 1.5);

	ASSERT_EQ_INT(mmt_verdict(&f.res, 0, 1, &v), 0);
	ASSERT_EQ_U64(v.nclose, 3);
	ASSERT_EQ_U64(v.close[0], 8);
	ASSERT_EQ_U64(v.close[1], 8192);
	ASSERT_EQ_U64(v.close[2], 10485760);
	/* Close points still have a winner by median. */
	ASSERT(v.small == &fake_a);
	ASSERT(v.large == &fake_b);
	ASSERT_EQ_U64(v.ncross, 1);
	ASSERT_EQ_U64(v.cross_lo[0], 1048576);
	ASSERT_EQ_U64(v.cross_hi[0], 10485760);
}

/* Three methods: the verdict between the first and the last must read
 * points c * 3 + 0 and c * 3 + 2, never the middle one. */
TEST_IMPL(verdict_indexing)
{
	struct mmt_point pts[3 * 3];
	struct mmt_results res = { .points = pts, .npoints = 9, .nchunks = 3, .nmethods = 3 };
	struct mmt_verdict v;

	for (size_t c = 0; c < 3; c++) {
		uint64_t chunk = (uint64_t)1 << (4 * c);

		/* a: 10, 10, 10; gamma (middle): always fastest; c: 20, 5, 5 */
		set_point(&pts[c * 3], &fake_a, chunk, 10, 9.9, 10.1);
		set_point(&pts[c * 3 + 1], &fake_b, chunk, 0.001, 0.001, 0.001);
		set_point(&pts[c * 3 + 2], &fake_c, chunk, c ? 5 : 20, c ? 4.9 : 19.9,
			  c ? 5.1 : 20.1);
	}
	ASSERT_EQ_INT(mmt_verdict(&res, 0, 2, &v), 0);
	ASSERT(v.small == &fake_a);
	ASSERT(v.large == &fake_c);
	ASSERT_EQ_U64(v.ncross, 1);
	ASSERT_EQ_U64(v.cross_lo[0], 1);
	ASSERT_EQ_U64(v.cross_hi[0], 16);

	ASSERT_EQ_INT(mmt_verdict(&res, 1, 2, &v), 0);
	ASSERT(v.small == &fake_b && v.large == &fake_b);
	ASSERT_EQ_U64(v.ncross, 0);
}

TEST_IMPL(verdict_bad_indices)
{
	static const double ta[] = { 1, 1, 1, 1, 1, 1, 1 };
	struct fake f;
	struct mmt_verdict v;

	fake_init(&f, 7, chunks7, ta, ta);
	memset(&v, 0x5a, sizeof(v));
	ASSERT_EQ_INT(mmt_verdict(&f.res, 0, 2, &v), -EINVAL);
	/* A refused verdict is empty, not stale. */
	ASSERT(v.small == NULL && v.large == NULL);
	ASSERT_EQ_U64(v.ncross, 0);
	ASSERT_EQ_U64(v.nclose, 0);
	ASSERT_EQ_INT(mmt_verdict(&f.res, 2, 0, &v), -EINVAL);
	ASSERT_EQ_INT(mmt_verdict(&f.res, 0, 0, &v), -EINVAL);
	ASSERT_EQ_INT(mmt_verdict(&f.res, 1, 1, &v), -EINVAL);
	ASSERT_EQ_INT(mmt_verdict(&f.res, (size_t)-1, 1, &v), -EINVAL);
	f.res.nchunks = 0;
	f.res.npoints = 0;
	ASSERT_EQ_INT(mmt_verdict(&f.res, 0, 1, &v), -EINVAL);
	f.res.nchunks = 7;
	f.res.nmethods = 1;
	ASSERT_EQ_INT(mmt_verdict(&f.res, 0, 1, &v), -EINVAL);
}

/* A change of winner next to a point whose slowest run took over twice its
 * fastest is marked unsteady; one between steady points is not. */
TEST_IMPL(verdict_unsteady_crossover)
{
	static const uint64_t chunks4[] = { 1, 64, 4096, 1048576 };
	static const double ta[] = { 1.0, 1.0, 1.0, 1.0 };
	static const double tb[] = { 2.0, 0.5, 2.0, 0.5 };
	struct fake f;
	struct mmt_verdict v;

	fake_init(&f, 4, chunks4, ta, tb);
	ASSERT_EQ_INT(mmt_verdict(&f.res, 0, 1, &v), 0);
	ASSERT_EQ_U64(v.ncross, 3);
	ASSERT(!v.cross_unsteady[0] && !v.cross_unsteady[1] && !v.cross_unsteady[2]);

	/* One disturbed run of beta at 4 KiB: the changes on either side of
	 * it (64 B-4 KiB and 4 KiB-1 MiB) rest on it, the first does not. */
	f.pts[2 * 2 + 1].min = 0.4;
	ASSERT_EQ_INT(mmt_verdict(&f.res, 0, 1, &v), 0);
	ASSERT_EQ_U64(v.ncross, 3);
	ASSERT(!v.cross_unsteady[0]);
	ASSERT(v.cross_unsteady[1]);
	ASSERT(v.cross_unsteady[2]);
}

/* Points a method could not run are left out of the verdict: the winners
 * and crossovers come from the chunks where both ran, and with none in
 * common there is no verdict at all. */
TEST_IMPL(verdict_skips_unavailable)
{
	/* Winners where both ran: a at 8, b at 1024 and 1 MiB.  At 1 and 64
	 * b did not run (its times there, which would win, must not count). */
	static const double ta[] = { 1, 1, 5, 5, 5, 5, 5 };
	static const double tb[] = { 0.1, 2, 0.1, 2, 2, 1, 1 };
	struct fake f;
	struct mmt_verdict v;

	fake_init(&f, 7, chunks7, ta, tb);
	f.pts[0 * 2 + 1].available = false;
	f.pts[2 * 2 + 1].available = false;
	/* Unavailable points carry no figures. */
	f.pts[0 * 2 + 1].median = f.pts[2 * 2 + 1].median = 0;
	ASSERT_EQ_INT(mmt_verdict(&f.res, 0, 1, &v), 0);
	ASSERT(v.small == &fake_a);
	ASSERT(v.large == &fake_b);
	ASSERT_EQ_U64(v.ncross, 1);
	ASSERT_EQ_U64(v.cross_lo[0], chunks7[1]);
	ASSERT_EQ_U64(v.cross_hi[0], chunks7[3]);
	ASSERT_EQ_U64(v.nclose, 0);

	/* No chunk where both ran: -ENOENT, whichever side is missing. */
	fake_init(&f, 7, chunks7, ta, tb);
	for (size_t c = 0; c < 7; c++)
		f.pts[c * 2 + (c % 2)].available = false;
	ASSERT_EQ_INT(mmt_verdict(&f.res, 0, 1, &v), -ENOENT);
	ASSERT_EQ_INT(mmt_verdict(&f.res, 1, 0, &v), -ENOENT);
	/* One method that ran nowhere. */
	fake_init(&f, 7, chunks7, ta, tb);
	for (size_t c = 0; c < 7; c++)
		f.pts[c * 2].available = false;
	ASSERT_EQ_INT(mmt_verdict(&f.res, 0, 1, &v), -ENOENT);
	/* A single common chunk is enough. */
	f.pts[6 * 2].available = true;
	ASSERT_EQ_INT(mmt_verdict(&f.res, 0, 1, &v), 0);
	ASSERT(v.small == &fake_b && v.large == &fake_b);
	ASSERT_EQ_U64(v.ncross, 0);
}

/* mmt_fastest(): the fastest and the runner-up among the points that ran
 * and wrote a file; null (no file) and unavailable points never count. */
TEST_IMPL(fastest)
{
	static const struct mmt_method fake_null = { .name = "null", .flags = MMT_METHOD_NOFILE };
	static const double t[3][4] = {
		/* alpha, beta, gamma, null */
		{ 3, 2, 1, 0.001 },
		{ 1, 2, 3, 0.001 },
		{ 2, 1, 2, 0.001 },
	};
	const struct mmt_method *ms[4] = { &fake_a, &fake_b, &fake_c, &fake_null };
	struct mmt_point pts[3 * 4];
	struct mmt_results res = { .points = pts, .npoints = 12, .nchunks = 3, .nmethods = 4 };
	size_t second;

	for (size_t c = 0; c < 3; c++)
		for (size_t m = 0; m < 4; m++) {
			set_point(&pts[c * 4 + m], ms[m], 1024u << c, t[c][m], t[c][m], t[c][m]);
			pts[c * 4 + m].checked = pts[c * 4 + m].verified = m != 3;
		}
	ASSERT_EQ_INT(mmt_fastest(&res, 0, &second), 2);
	ASSERT_EQ_U64(second, 1);
	ASSERT_EQ_INT(mmt_fastest(&res, 1, &second), 0);
	ASSERT_EQ_U64(second, 1);
	ASSERT_EQ_INT(mmt_fastest(&res, 2, NULL), 1);
	/* A tie for second place: either of the two. */
	ASSERT_EQ_INT(mmt_fastest(&res, 2, &second), 1);
	ASSERT(second == 0 || second == 2);

	/* The fastest could not run there: the runner-up moves up. */
	pts[0 * 4 + 2].available = false;
	ASSERT_EQ_INT(mmt_fastest(&res, 0, &second), 1);
	ASSERT_EQ_U64(second, 0);
	/* Only one contender left: no runner-up. */
	pts[0 * 4 + 1].available = false;
	ASSERT_EQ_INT(mmt_fastest(&res, 0, &second), 0);
	ASSERT_EQ_U64(second, SIZE_MAX);
	/* None (null alone does not count): -1. */
	pts[0 * 4 + 0].available = false;
	ASSERT_EQ_INT(mmt_fastest(&res, 0, &second), -1);
	ASSERT_EQ_U64(second, SIZE_MAX);
	/* The other chunks are untouched. */
	ASSERT_EQ_INT(mmt_fastest(&res, 1, NULL), 0);
}
