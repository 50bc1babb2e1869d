/*
 * fuzz-size.c - mmt_parse_size() on any string: it returns 0 with a value
 * in 1 .. 2^63-1, or -EINVAL / -ERANGE; and mmt_format_size() of what it
 * parsed, and of any 64-bit value, fits its buffer.
 */
#include <errno.h>
#include <string.h>

#include "mmaptimer.h"
#include "fuzz.h"

/* See fuzz.h. */
int fuzz_size(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	char buf[32];
	uint64_t v = 0, any = 0;
	int rc = mmt_parse_size(s, &v);

	FUZZ_ASSERT(rc == 0 || rc == -EINVAL || rc == -ERANGE);
	if (rc == 0) {
		FUZZ_ASSERT(v >= 1 && v <= (uint64_t)INT64_MAX);
		/* A parsed size starts with a digit.  (Parsing stops at a NUL
		 * byte, as it does on a command line: "83\0junk" is 83.) */
		FUZZ_ASSERT(s[0] >= '0' && s[0] <= '9');
		mmt_format_size(v, buf, sizeof(buf));
		FUZZ_ASSERT(strlen(buf) < sizeof(buf) - 1);
	}
	memcpy(&any, data, size < sizeof(any) ? size : sizeof(any));
	mmt_format_size(any, buf, sizeof(buf));
	FUZZ_ASSERT(strlen(buf) < sizeof(buf) - 1);
	mmt_format_time((double)any / 1e9, buf, sizeof(buf));
	free(s);
	return 0;
}

FUZZ_ENTRY(fuzz_size)
