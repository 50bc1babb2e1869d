/*
 * common.c - what the fuzz targets share.
 */
#include <string.h>

#include "fuzz.h"

/* See fuzz.h. */
char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	FUZZ_ASSERT(s);
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}
