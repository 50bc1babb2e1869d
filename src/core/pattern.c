/*
 * pattern.c - the deterministic data every method writes.  Not zeros (a
 * filesystem or device may treat zeros specially) and not a short repeat
 * (a chunk at a wrong offset must show): a hash of the offset modulo a
 * period of 257 pages.
 */
#include <sys/mman.h>

#include "core/internal.h"

/* The byte at file offset o: a 64-bit mix of (o mod period), top byte. */
unsigned char mmt_pattern_byte(uint64_t o)
{
	uint64_t x = (o % MMT_PATTERN_PERIOD) + 1;

	x *= 0x9E3779B97F4A7C15ull;
	x ^= x >> 29;
	x *= 0xBF58476D1CE4E5B9ull;
	x ^= x >> 32;
	return (unsigned char)(x >> 56);
}

static size_t src_len(size_t extra)
{
	return MMT_PATTERN_PERIOD + extra;
}

/* See mmaptimer.h.  The buffer is an anonymous mapping, page-aligned, and
 * every byte is written here, so no page fault on the source lands inside
 * a timed run. */
unsigned char *mmt_pattern_alloc(size_t extra)
{
	size_t len = src_len(extra);
	unsigned char *p;

	if (extra > SIZE_MAX - MMT_PATTERN_PERIOD)
		return NULL;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	for (size_t i = 0; i < MMT_PATTERN_PERIOD; i++)
		p[i] = mmt_pattern_byte(i);
	for (size_t i = MMT_PATTERN_PERIOD; i < len; i++)
		p[i] = p[i - MMT_PATTERN_PERIOD];
	return p;
}

/* Release a buffer from mmt_pattern_alloc(extra). */
void mmt_pattern_free(unsigned char *src, size_t extra)
{
	if (src)
		munmap(src, src_len(extra));
}
