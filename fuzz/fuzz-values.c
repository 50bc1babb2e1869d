/*
 * fuzz-values.c - the command line's value parsers, one chosen by the
 * first input byte, on the rest as the value: whole numbers in a range
 * (--runs, --batch, ...), --methods lists, fixed words (--sync, --cache,
 * ...), --stdio-buffer, --seed, and the format and method look-ups.
 * Each either accepts a value within its contract or returns EXIT_USAGE.
 */
#include <limits.h>
#include <string.h>

#include "cli/cli.h"
#include "fuzz.h"

/* The parsers, by first byte (modulo the count).  To fuzz another value
 * parser, add a case here and a seed file beginning with its number. */
enum { V_UINT, V_METHODS, V_WORD, V_STDIO_BUFFER, V_SEED, V_LOOKUP, V_COUNT };

static void check_uint(const char *s, unsigned min, unsigned max)
{
	unsigned v = 12345;
	int rc = cli_parse_uint("--runs", s, min, max, &v);

	FUZZ_ASSERT(rc == EXIT_OK || rc == EXIT_USAGE);
	if (rc == EXIT_OK) {
		char back[16];

		FUZZ_ASSERT(v >= min && v <= max);
		/* Only digits are accepted, so the value reads back the same
		 * but for leading zeros. */
		while (s[0] == '0' && s[1])
			s++;
		snprintf(back, sizeof(back), "%u", v);
		FUZZ_ASSERT(!strcmp(back, s));
	} else {
		FUZZ_ASSERT(v == 12345);
	}
}

static void check_methods(const char *s, unsigned op, size_t cap)
{
	const struct mmt_method *m[64];
	size_t n = 99;
	int rc = cli_parse_methods(s, m, cap, &n, op);

	FUZZ_ASSERT(rc == EXIT_OK || rc == EXIT_USAGE);
	if (rc != EXIT_OK)
		return;
	FUZZ_ASSERT(n >= 1 && n <= cap);
	for (size_t i = 0; i < n; i++) {
		FUZZ_ASSERT(m[i] && (m[i]->ops & op));
		for (size_t j = 0; j < i; j++)
			FUZZ_ASSERT(m[i] != m[j]);
	}
}

static void check_word(const char *s)
{
	static const char *const words[] = { "none", "end", "each" };
	static const int values[] = { 10, 20, 30 };
	int v = -1;
	int rc = cli_parse_word("--sync", s, words, values, 3, &v);

	FUZZ_ASSERT(rc == EXIT_OK || rc == EXIT_USAGE);
	if (rc == EXIT_OK)
		FUZZ_ASSERT((v == 10 && !strcmp(s, "none")) || (v == 20 && !strcmp(s, "end")) ||
			    (v == 30 && !strcmp(s, "each")));
	else
		FUZZ_ASSERT(v == -1);
}

/* See fuzz.h. */
int fuzz_values(const uint8_t *data, size_t size)
{
	unsigned which, arg;
	char *s;

	if (size < 2)
		return 0;
	which = data[0] % V_COUNT;
	arg = data[1];
	s = fuzz_cstr(data + 2, size - 2);
	switch (which) {
	case V_UINT:
		/* The ranges the options use, and the extremes. */
		switch (arg % 5) {
		case 0: check_uint(s, 1, 100000); break;
		case 1: check_uint(s, 0, 100000); break;
		case 2: check_uint(s, 1, IOV_MAX); break;
		case 3: check_uint(s, 1, 4096); break;
		default: check_uint(s, 0, UINT_MAX); break;
		}
		break;
	case V_METHODS:
		check_methods(s, arg & 1 ? MMT_OP_READ : MMT_OP_WRITE, 1 + (arg >> 1) % 64);
		break;
	case V_WORD:
		check_word(s);
		break;
	case V_STDIO_BUFFER: {
		size_t v = 7;
		int rc = cli_parse_stdio_buffer(s, &v);

		FUZZ_ASSERT(rc == EXIT_OK ? v >= 1 && v <= (1u << 30) : rc == EXIT_USAGE && v == 7);
		break;
	}
	case V_SEED: {
		uint64_t v = 7;
		int rc = cli_parse_seed(s, &v);

		FUZZ_ASSERT(rc == EXIT_OK || (rc == EXIT_USAGE && v == 7));
		FUZZ_ASSERT(rc != EXIT_OK || v > 0 || !strcmp(s, "0"));
		break;
	}
	case V_LOOKUP: {
		const struct mmt_reporter *r = mmt_reporter_find(s);
		const struct mmt_method *m = mmt_method_find(s);

		FUZZ_ASSERT(!r || !strcmp(r->name, s));
		FUZZ_ASSERT(!m || !strcmp(m->name, s));
		break;
	}
	}
	free(s);
	return 0;
}

FUZZ_ENTRY(fuzz_values)
