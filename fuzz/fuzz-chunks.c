/*
 * fuzz-chunks.c - mmt_parse_chunks() on any string: 0 with 1 ..
 * MMT_MAX_CHUNKS sizes, each 1 .. 2^63-1, strictly ascending; or -EINVAL,
 * -ERANGE, -ENOMEM with nothing allocated (a leak fails the run under
 * LeakSanitizer).
 */
#include <errno.h>

#include "mmaptimer.h"
#include "fuzz.h"

/* See fuzz.h. */
int fuzz_chunks(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	uint64_t *v = NULL;
	size_t n = 0;
	int rc = mmt_parse_chunks(s, &v, &n);

	FUZZ_ASSERT(rc == 0 || rc == -EINVAL || rc == -ERANGE || rc == -ENOMEM);
	if (rc == 0) {
		FUZZ_ASSERT(v && n >= 1 && n <= MMT_MAX_CHUNKS);
		for (size_t i = 0; i < n; i++) {
			FUZZ_ASSERT(v[i] >= 1 && v[i] <= (uint64_t)INT64_MAX);
			FUZZ_ASSERT(i == 0 || v[i - 1] < v[i]);
		}
		free(v);
	}
	free(s);
	return 0;
}

FUZZ_ENTRY(fuzz_chunks)
