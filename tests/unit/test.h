/*
 * test.h - what every unit test file includes: TEST_IMPL() to define a
 * test, assertion macros that end the test's process with a diagnostic,
 * SKIP() for a test that cannot run here, and the per-test temporary
 * directory.  The runner (runner.c) forks one process per test.
 */
#ifndef MMT_TEST_H
#define MMT_TEST_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mmaptimer.h"

/* Exit codes of a test's process, read by the runner. */
#define TEST_EXIT_FAIL 1
#define TEST_EXIT_SKIP 77

/* Define the test `name`; it must also have a line in test-list.h. */
#define TEST_IMPL(name) void test_##name(void)

/* Every test's prototype, from the one list. */
#define TEST(name) void test_##name(void);
#include "test-list.h"
#undef TEST

/* Report a failed check at file:line and end the test's process. */
_Noreturn void test__fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same for ASSERT_MSG: "ASSERT(expr): " and the explanation. */
_Noreturn void test__fail_expr(const char *file, int line, const char *expr, const char *fmt,
			       ...) __attribute__((format(printf, 4, 5)));
/* Report why the test cannot run here and end its process as a skip. */
_Noreturn void test__skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The fresh, empty directory the runner made for this test (absolute; also
 * the test's working directory).  The runner removes it afterwards. */
const char *test_dir(void);

/* Entries in directory path other than "." and "..", or -1 if it cannot
 * be read. */
int test_count_entries(const char *path);

#define SKIP(...) test__skip(__VA_ARGS__)

#define ASSERT(expr)                                                            \
	do {                                                                    \
		if (!(expr))                                                    \
			test__fail(__FILE__, __LINE__, "ASSERT(%s)", #expr);    \
	} while (0)

/* Like ASSERT, with a printf-style explanation added. */
#define ASSERT_MSG(expr, ...)                                                   \
	do {                                                                    \
		if (!(expr))                                                    \
			test__fail_expr(__FILE__, __LINE__, #expr, __VA_ARGS__); \
	} while (0)

#define ASSERT_EQ_U64(a, b)                                                     \
	do {                                                                    \
		uint64_t test_a_ = (a), test_b_ = (b);                          \
		if (test_a_ != test_b_)                                         \
			test__fail(__FILE__, __LINE__,                          \
				   "ASSERT_EQ_U64(%s, %s): %" PRIu64 " != %" PRIu64, \
				   #a, #b, test_a_, test_b_);                   \
	} while (0)

#define ASSERT_EQ_INT(a, b)                                                     \
	do {                                                                    \
		long long test_a_ = (a), test_b_ = (b);                         \
		if (test_a_ != test_b_)                                         \
			test__fail(__FILE__, __LINE__,                          \
				   "ASSERT_EQ_INT(%s, %s): %lld != %lld", #a, #b,   \
				   test_a_, test_b_);                           \
	} while (0)

#define ASSERT_EQ_DBL(a, b)                                                     \
	do {                                                                    \
		double test_a_ = (a), test_b_ = (b);                            \
		if (!(test_a_ == test_b_))                                      \
			test__fail(__FILE__, __LINE__,                          \
				   "ASSERT_EQ_DBL(%s, %s): %.17g != %.17g", #a, #b, \
				   test_a_, test_b_);                           \
	} while (0)

#define ASSERT_STR_EQ(a, b)                                                     \
	do {                                                                    \
		const char *test_a_ = (a), *test_b_ = (b);                      \
		if (strcmp(test_a_, test_b_))                                   \
			test__fail(__FILE__, __LINE__,                          \
				   "ASSERT_STR_EQ(%s, %s): \"%s\" != \"%s\"", #a,   \
				   #b, test_a_, test_b_);                       \
	} while (0)

/* haystack contains needle. */
#define ASSERT_CONTAINS(haystack, needle)                                       \
	do {                                                                    \
		const char *test_h_ = (haystack), *test_n_ = (needle);          \
		if (!strstr(test_h_, test_n_))                                  \
			test__fail(__FILE__, __LINE__,                          \
				   "ASSERT_CONTAINS(%s, %s): \"%s\" not in \"%s\"", \
				   #haystack, #needle, test_n_, test_h_);       \
	} while (0)

#endif
