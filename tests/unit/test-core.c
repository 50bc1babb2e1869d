/*
 * test-core.c - the small pieces of the core: the data pattern every
 * method writes, the median, error texts and the methods table.
 */
#include <errno.h>
#include <stdlib.h>

#include "core/internal.h"
#include "test.h"

TEST_IMPL(pattern_matches_alloc)
{
	const size_t extra = 10000;
	unsigned char *src = mmt_pattern_alloc(extra);
	size_t zeros = 0, seen[256] = { 0 }, distinct = 0;

	ASSERT(src);
	/* Page-aligned, so that an aligned chunk starts at an aligned address. */
	ASSERT_EQ_U64((uintptr_t)src % 4096, 0);
	for (size_t i = 0; i < MMT_PATTERN_PERIOD + extra; i++) {
		if (src[i] != mmt_pattern_byte(i))
			test__fail(__FILE__, __LINE__, "source byte %zu is %u, pattern byte is %u", i,
				   src[i], mmt_pattern_byte(i));
		zeros += src[i] == 0;
		distinct += seen[src[i]]++ == 0;
	}
	/* Not zeros, and not a handful of values: every byte value shows up. */
	ASSERT(zeros < MMT_PATTERN_PERIOD / 64);
	ASSERT_EQ_U64(distinct, 256);
	mmt_pattern_free(src, extra);
	mmt_pattern_free(NULL, 0);

	src = mmt_pattern_alloc(0);
	ASSERT(src);
	ASSERT_EQ_INT(src[MMT_PATTERN_PERIOD - 1], mmt_pattern_byte(MMT_PATTERN_PERIOD - 1));
	mmt_pattern_free(src, 0);
	/* A size that cannot be allocated is refused, not wrapped around. */
	ASSERT(mmt_pattern_alloc(SIZE_MAX) == NULL);
	ASSERT(mmt_pattern_alloc(SIZE_MAX - MMT_PATTERN_PERIOD + 1) == NULL);
}

TEST_IMPL(pattern_period)
{
	static const uint64_t far[] = {
		0, 1, 4095, 4096, MMT_PATTERN_PERIOD - 1, 10485759, (uint64_t)1 << 40,
		((uint64_t)1 << 62) + 12345,
	};

	ASSERT_EQ_U64(MMT_PATTERN_PERIOD, 257u * 4096u);
	ASSERT_EQ_U64(MMT_PATTERN_PERIOD % 4096, 0);
	for (uint64_t o = 0; o < 3 * 4096; o++)
		ASSERT_EQ_INT(mmt_pattern_byte(o), mmt_pattern_byte(o + MMT_PATTERN_PERIOD));
	for (size_t i = 0; i < sizeof(far) / sizeof(far[0]); i++)
		for (uint64_t k = 1; k < 1000000; k *= 7)
			ASSERT_EQ_INT(mmt_pattern_byte(far[i]),
				      mmt_pattern_byte(far[i] + k * MMT_PATTERN_PERIOD));

	/* A chunk written at a wrong offset shows: no shift d short of the
	 * period maps the first 64 bytes onto those at d. */
	for (uint64_t d = 1; d < MMT_PATTERN_PERIOD; d++) {
		uint64_t o = 0;

		while (o < 64 && mmt_pattern_byte(o) == mmt_pattern_byte(o + d))
			o++;
		ASSERT_MSG(o < 64, "bytes 0..63 repeat at offset %" PRIu64, d);
	}
}

TEST_IMPL(median)
{
	double one[] = { 7 };
	double odd[] = { 3, 1, 2 };
	double even[] = { 4, 1, 3, 2 };
	double dup[] = { 5, 5, 1, 5, 9 };
	double neg[] = { -1, -3, 10, 0.5 };
	double big[101];

	ASSERT_EQ_DBL(mmt__median(NULL, 0), 0);
	ASSERT_EQ_DBL(mmt__median(one, 1), 7);
	ASSERT_EQ_DBL(mmt__median(odd, 3), 2);
	ASSERT_EQ_DBL(mmt__median(even, 4), 2.5);
	ASSERT_EQ_DBL(mmt__median(dup, 5), 5);
	ASSERT_EQ_DBL(mmt__median(neg, 4), -0.25);
	/* 0..100 in a scrambled order. */
	for (size_t i = 0; i < 101; i++)
		big[i] = (double)((i * 37) % 101);
	ASSERT_EQ_DBL(mmt__median(big, 101), 50);
	ASSERT_EQ_DBL(mmt__median(big, 100), 49.5); /* big is now sorted: 0..99 */
}

TEST_IMPL(strerror)
{
	static const int ours[] = { MMT_EVERIFY, MMT_EUNAVAIL, MMT_ESIGBUS, MMT_EINTERRUPTED };

	for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++) {
		ASSERT(mmt_strerror(ours[i]) && *mmt_strerror(ours[i]));
		ASSERT(strcmp(mmt_strerror(ours[i]), "unknown error"));
		for (size_t j = 0; j < i; j++)
			ASSERT(strcmp(mmt_strerror(ours[i]), mmt_strerror(ours[j])));
		/* Below every errno value. */
		ASSERT(ours[i] <= -4096);
	}
	ASSERT_STR_EQ(mmt_strerror(-ENOSPC), strerror(ENOSPC));
	ASSERT_STR_EQ(mmt_strerror(-EEXIST), strerror(EEXIST));
	ASSERT(mmt_strerror(0) != NULL);
	ASSERT(mmt_strerror(1) != NULL);
	ASSERT(mmt_strerror(-5000) != NULL);
	ASSERT(mmt_strerror(-2147483647 - 1) != NULL);
}

TEST_IMPL(methods_table)
{
	size_t n = 0;

	for (; mmt_methods[n]; n++) {
		const struct mmt_method *m = mmt_methods[n];

		ASSERT(m->name && *m->name);
		ASSERT(m->desc && *m->desc);
		/* ops says exactly which operations the method implements. */
		ASSERT(m->write || m->read);
		ASSERT(!!(m->ops & MMT_OP_WRITE) == !!m->write);
		ASSERT(!!(m->ops & MMT_OP_READ) == !!m->read);
		ASSERT(mmt_method_find(m->name) == m);
		for (size_t j = 0; j < n; j++)
			ASSERT(strcmp(mmt_methods[j]->name, m->name));
	}
	ASSERT(n >= 3);
	ASSERT(mmt_method_find("mmap") && (mmt_method_find("mmap")->flags & MMT_METHOD_MAPS));
	ASSERT(mmt_method_find("write") && !(mmt_method_find("write")->flags & MMT_METHOD_NOFILE));
	ASSERT(mmt_method_find("null") && (mmt_method_find("null")->flags & MMT_METHOD_NOFILE));
	ASSERT(mmt_method_find("mmap")->ops & MMT_OP_WRITE);
	ASSERT(mmt_method_find("mmap")->ops & MMT_OP_READ);
	ASSERT(mmt_method_find("read") && mmt_method_find("read")->ops == MMT_OP_READ);
	ASSERT(mmt_method_find("") == NULL);
	ASSERT(mmt_method_find("MMAP") == NULL);
	ASSERT(mmt_method_find("nosuch") == NULL);
}
