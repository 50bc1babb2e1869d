/*
 * test-size.c - byte counts and chunk lists as people write them
 * (mmt_parse_size, mmt_parse_chunks) and as people read them
 * (mmt_format_size, mmt_format_time).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "test.h"

#define KI ((uint64_t)1 << 10)
#define MI ((uint64_t)1 << 20)
#define GI ((uint64_t)1 << 30)
#define TI ((uint64_t)1 << 40)

/* s parses to want. */
static void parses_to(const char *s, uint64_t want, const char *file, int line)
{
	uint64_t v = 0xdeadbeef;
	int rc = mmt_parse_size(s, &v);

	if (rc)
		test__fail(file, line, "mmt_parse_size(\"%s\") returned %d, want 0", s, rc);
	if (v != want)
		test__fail(file, line, "mmt_parse_size(\"%s\") gave %" PRIu64 ", want %" PRIu64,
			   s, v, want);
}
#define PARSES_TO(s, want) parses_to(s, want, __FILE__, __LINE__)

/* s is refused with code want and *out is left alone. */
static void size_refused(const char *s, int want, const char *file, int line)
{
	uint64_t v = 12345;
	int rc = mmt_parse_size(s, &v);

	if (rc != want)
		test__fail(file, line, "mmt_parse_size(\"%s\") returned %d, want %d", s, rc, want);
	if (v != 12345)
		test__fail(file, line, "mmt_parse_size(\"%s\") failed but changed *out", s);
}
#define SIZE_REFUSED(s, want) size_refused(s, want, __FILE__, __LINE__)

TEST_IMPL(size_parse_plain)
{
	PARSES_TO("1", 1);
	PARSES_TO("7", 7);
	PARSES_TO("4096", 4096);
	PARSES_TO("100003", 100003);
	PARSES_TO("0001", 1);
	PARSES_TO("10485760", 10485760);
	PARSES_TO("9223372036854775807", (uint64_t)INT64_MAX);
}

TEST_IMPL(size_parse_suffixes)
{
	static const struct {
		const char *s;
		uint64_t v;
	} cases[] = {
		{ "1B", 1 }, { "1b", 1 }, { "100B", 100 },
		{ "1K", KI }, { "1k", KI }, { "8K", 8 * KI },
		{ "1KiB", KI }, { "1kib", KI }, { "1KIB", KI }, { "4KiB", 4 * KI },
		{ "1M", MI }, { "1m", MI }, { "10M", 10 * MI },
		{ "1MiB", MI }, { "1mIb", MI }, { "10MiB", 10 * MI },
		{ "1G", GI }, { "1g", GI }, { "3GiB", 3 * GI }, { "1gib", GI },
		{ "1T", TI }, { "1t", TI }, { "2TiB", 2 * TI }, { "1tib", TI },
		/* The largest values that fit in 63 bits. */
		{ "8388607T", 8388607 * TI }, { "8589934591G", 8589934591 * GI },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		PARSES_TO(cases[i].s, cases[i].v);
}

TEST_IMPL(size_parse_rejects)
{
	static const char *const bad[] = {
		"", "10X", "-1", "+1", "0", "00", "1.5M", "M", "KiB", " 1", "1 ", "1 K",
		"0K", "0KiB", "0B", "1KB", "1Ki", "1MB", "1P", "1e3", "0x10", "1,2", "1:2",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		SIZE_REFUSED(bad[i], -EINVAL);
}

TEST_IMPL(size_parse_overflow)
{
	SIZE_REFUSED("9223372036854775808", -ERANGE);   /* 2^63 */
	SIZE_REFUSED("18446744073709551616", -ERANGE);  /* 2^64 */
	SIZE_REFUSED("99999999999999999999999", -ERANGE);
	SIZE_REFUSED("8589934592G", -ERANGE);           /* 2^63 */
	SIZE_REFUSED("8388608T", -ERANGE);              /* 2^63 */
	SIZE_REFUSED("8388608TiB", -ERANGE);
	SIZE_REFUSED("9007199254740992K", -ERANGE);     /* 2^63 */
}

/* s parses as a chunk list equal to want[0..n) (ascending, no duplicates). */
static void chunks_are(const char *s, const uint64_t *want, size_t n, const char *file,
		       int line)
{
	uint64_t *v = NULL;
	size_t got = 0;
	int rc = mmt_parse_chunks(s, &v, &got);

	if (rc)
		test__fail(file, line, "mmt_parse_chunks(\"%s\") returned %d, want 0", s, rc);
	if (got != n)
		test__fail(file, line, "mmt_parse_chunks(\"%s\") gave %zu sizes, want %zu", s, got,
			   n);
	for (size_t i = 0; i < n; i++)
		if (v[i] != want[i])
			test__fail(file, line,
				   "mmt_parse_chunks(\"%s\")[%zu] is %" PRIu64 ", want %" PRIu64, s,
				   i, v[i], want[i]);
	free(v);
}
#define CHUNKS_ARE(s, ...)                                                      \
	chunks_are(s, (const uint64_t[]){ __VA_ARGS__ },                        \
		   sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t),    \
		   __FILE__, __LINE__)

/* s is refused with code want. */
static void chunks_refused(const char *s, int want, const char *file, int line)
{
	uint64_t *v = NULL;
	size_t n = 0;
	int rc = mmt_parse_chunks(s, &v, &n);

	if (rc != want) {
		free(rc ? NULL : v);
		test__fail(file, line, "mmt_parse_chunks(\"%s\") returned %d, want %d", s, rc,
			   want);
	}
}
#define CHUNKS_REFUSED(s, want) chunks_refused(s, want, __FILE__, __LINE__)

TEST_IMPL(chunks_parse_lists)
{
	CHUNKS_ARE("1", 1);
	CHUNKS_ARE("4K", 4096);
	CHUNKS_ARE("1,8,64", 1, 8, 64);
	CHUNKS_ARE("64,8,1", 1, 8, 64);       /* ascending, whatever the order given */
	CHUNKS_ARE("1M,1,4K,7", 1, 7, 4 * KI, MI);
	CHUNKS_ARE("1K,1M,10MiB", KI, MI, 10 * MI);
	CHUNKS_ARE("7,100003", 7, 100003);
}

TEST_IMPL(chunks_parse_ranges)
{
	CHUNKS_ARE("1:16", 1, 2, 4, 8, 16);
	CHUNKS_ARE("3:20", 3, 6, 12);
	CHUNKS_ARE("5:5", 5);
	CHUNKS_ARE("1:1000:x10", 1, 10, 100, 1000);
	CHUNKS_ARE("1:999:x10", 1, 10, 100);
	CHUNKS_ARE("1:1000:X10", 1, 10, 100, 1000);
	CHUNKS_ARE("2:100:x3", 2, 6, 18, 54);
	CHUNKS_ARE("1K:1M:x8", KI, 8 * KI, 64 * KI, 512 * KI);
	CHUNKS_ARE("1:4,100", 1, 2, 4, 100);
	CHUNKS_ARE("100,1:4", 1, 2, 4, 100);
	CHUNKS_ARE("3:20,1:16", 1, 2, 3, 4, 6, 8, 12, 16);
	CHUNKS_ARE("1,1K:4K", 1, KI, 2 * KI, 4 * KI);
	/* Doubling up to the largest size must stop without overflowing. */
	CHUNKS_ARE("4611686018427387904:9223372036854775807", (uint64_t)1 << 62);
}

TEST_IMPL(chunks_parse_duplicates)
{
	CHUNKS_ARE("8,8", 8);
	CHUNKS_ARE("8,1,8,1", 1, 8);
	CHUNKS_ARE("4,1:16", 1, 2, 4, 8, 16);
	CHUNKS_ARE("1:8,2:16", 1, 2, 4, 8, 16);
	CHUNKS_ARE("1K,1024,1KiB", 1024);
}

TEST_IMPL(chunks_parse_errors)
{
	static const char *const bad[] = {
		"", ",", "1,", ",1", "1,,2", "4:2", "1:8:x1", "1:8:x0", "1:8:x", "1:8:y2",
		"1:8:2", "1:8:", "1:8:x2:3", "1::8", ":8", "8:", "0", "0:8", "1,0", "1:8:x-2",
		"1: 8", "1M:1K", "abc",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHUNKS_REFUSED(bad[i], -EINVAL);
	CHUNKS_REFUSED("9223372036854775808", -ERANGE);
	CHUNKS_REFUSED("1,99999999999999999999", -ERANGE);
	CHUNKS_REFUSED("1:8589934592G", -ERANGE);
}

TEST_IMPL(chunks_parse_too_many)
{
	/* "1,2,...,n": exactly MMT_MAX_CHUNKS sizes are fine, one more is not. */
	size_t cap = 64 * 1024;
	char *s = malloc(cap);
	uint64_t *v = NULL;
	size_t len = 0, n = 0;

	ASSERT(s);
	for (unsigned i = 1; i <= MMT_MAX_CHUNKS; i++)
		len += (size_t)snprintf(s + len, cap - len, "%s%u", i > 1 ? "," : "", i);
	ASSERT_EQ_INT(mmt_parse_chunks(s, &v, &n), 0);
	ASSERT_EQ_U64(n, MMT_MAX_CHUNKS);
	ASSERT_EQ_U64(v[MMT_MAX_CHUNKS - 1], MMT_MAX_CHUNKS);
	free(v);

	/* Duplicates do not count against the limit. */
	snprintf(s + len, cap - len, ",1,2:16");
	v = NULL;
	ASSERT_EQ_INT(mmt_parse_chunks(s, &v, &n), 0);
	ASSERT_EQ_U64(n, MMT_MAX_CHUNKS);
	free(v);

	snprintf(s + len, cap - len, ",%u", MMT_MAX_CHUNKS + 1);
	v = NULL;
	ASSERT_EQ_INT(mmt_parse_chunks(s, &v, &n), -ERANGE);

	/* Ranges count one size each: 1500 odd numbers, each doubled at
	 * least 8 times up to 10^6, make far more than the limit. */
	len = 0;
	for (unsigned i = 1; i < 3000; i += 2)
		len += (size_t)snprintf(s + len, cap - len, "%s%u:1000000", i > 1 ? "," : "", i);
	ASSERT(len < cap);
	ASSERT_EQ_INT(mmt_parse_chunks(s, &v, &n), -ERANGE);
	free(s);
}

/* mmt_format_size(bytes) is want. */
static void size_reads(uint64_t bytes, const char *want, const char *file, int line)
{
	char buf[32];

	memset(buf, 'x', sizeof(buf));
	if (mmt_format_size(bytes, buf, sizeof(buf)) != buf)
		test__fail(file, line, "mmt_format_size did not return its buffer");
	if (strcmp(buf, want))
		test__fail(file, line, "mmt_format_size(%" PRIu64 ") is \"%s\", want \"%s\"", bytes,
			   buf, want);
}
#define SIZE_READS(bytes, want) size_reads(bytes, want, __FILE__, __LINE__)

/* Exact multiples of a unit print as integers; anything else in the
 * largest unit it reaches, with 2, 1 or 0 decimals below 10, 100 and
 * above, all 1024-based. */
TEST_IMPL(format_size)
{
	char small[4];

	SIZE_READS(0, "0 B");
	SIZE_READS(1, "1 B");
	SIZE_READS(7, "7 B");
	SIZE_READS(1023, "1023 B");
	SIZE_READS(KI, "1 KiB");
	SIZE_READS(8 * KI, "8 KiB");
	SIZE_READS(1023 * KI, "1023 KiB");
	SIZE_READS(MI, "1 MiB");
	SIZE_READS(10 * MI, "10 MiB");
	SIZE_READS(GI, "1 GiB");
	SIZE_READS(5 * TI, "5 TiB");
	SIZE_READS((uint64_t)1 << 50, "1 PiB");
	SIZE_READS((uint64_t)1 << 60, "1 EiB");
	SIZE_READS(1536, "1.50 KiB");
	SIZE_READS(MI + MI / 2, "1.50 MiB");
	SIZE_READS(5000, "4.88 KiB");
	SIZE_READS(100003, "97.7 KiB");
	SIZE_READS(1100000, "1.05 MiB");
	SIZE_READS(150 * MI + 1, "150 MiB");
	SIZE_READS(10 * GI + 300 * MI, "10.3 GiB");
	SIZE_READS(UINT64_MAX, "16.0 EiB");

	/* A short buffer is cut, never overrun. */
	memset(small, 'x', sizeof(small));
	mmt_format_size(8 * KI, small, sizeof(small));
	ASSERT_STR_EQ(small, "8 K");
}

/*
 * LIBRARY BUG (src/core/size.c, mmt_format_size): the decimals are chosen
 * from the unrounded value (v < 10 ? 2 : v < 100 ? 1 : 0), so a value that
 * rounds up across 10 or 100 gets one digit too many, and one that rounds
 * up to 1024 stays in the smaller unit.  The contract is "up to three
 * significant digits" and mmt_format_time() already handles the same
 * boundaries (9.995, 99.95, 0.9995 of the next unit).
 */
TEST_IMPL(format_size_rounding)
{
	SIZE_READS(10239, "10.0 KiB");          /* 9.999 KiB, not "10.00 KiB" */
	SIZE_READS(102399, "100 KiB");          /* 99.999 KiB, not "100.0 KiB" */
	SIZE_READS(MI - 1, "1.00 MiB");         /* 1023.999 KiB, not "1024 KiB" */
}

/* mmt_format_time(s) is want. */
static void time_reads(double s, const char *want, const char *file, int line)
{
	char buf[32];

	if (mmt_format_time(s, buf, sizeof(buf)) != buf)
		test__fail(file, line, "mmt_format_time did not return its buffer");
	if (strcmp(buf, want))
		test__fail(file, line, "mmt_format_time(%g) is \"%s\", want \"%s\"", s, buf, want);
}
#define TIME_READS(s, want) time_reads(s, want, __FILE__, __LINE__)

/* Three significant digits in the largest unit of s, ms, us, ns that
 * keeps the value at 1 or more after rounding. */
TEST_IMPL(format_time)
{
	TIME_READS(0, "0.00 ns");
	TIME_READS(1e-9, "1.00 ns");
	TIME_READS(812e-9, "812 ns");
	TIME_READS(999.4e-9, "999 ns");
	TIME_READS(999.6e-9, "1.00 us");        /* rounds up into the next unit */
	TIME_READS(1e-6, "1.00 us");
	TIME_READS(12.345e-6, "12.3 us");
	TIME_READS(250e-6, "250 us");
	TIME_READS(1.5e-3, "1.50 ms");
	TIME_READS(9.996e-3, "10.0 ms");        /* not "10.00 ms" */
	TIME_READS(25.1e-3, "25.1 ms");
	TIME_READS(99.96e-3, "100 ms");         /* not "100.0 ms" */
	TIME_READS(0.12345, "123 ms");
	TIME_READS(0.9994, "999 ms");
	TIME_READS(0.9996, "1.00 s");
	TIME_READS(1, "1.00 s");
	TIME_READS(5.21, "5.21 s");
	TIME_READS(13.2, "13.2 s");
	TIME_READS(1234.5, "1234 s");           /* no unit above seconds */
}
