/*
 * method.h - what the method files share: the loop helpers that walk the
 * pattern source, and the methods' declarations for the table.
 */
#ifndef MMT_METHOD_H
#define MMT_METHOD_H

#include "core/internal.h"

/*
 * The source pointer for the chunk at file offset `off` is src + off % P
 * (P = MMT_PATTERN_PERIOD), so every method writes the same bytes whatever
 * its chunk size.  Rather than divide once per chunk, a loop keeps the
 * pointer and steps it: s += chunk % P, then one compare-and-subtract keeps
 * it within the first period.  The source holds P + chunk bytes, so a whole
 * chunk can be copied from any such s.
 */
static inline const unsigned char *mmt__src_step(const unsigned char *s,
						  const unsigned char *src, size_t step)
{
	s += step;
	if (s >= src + MMT_PATTERN_PERIOD)
		s -= MMT_PATTERN_PERIOD;
	return s;
}

extern const struct mmt_method mmt__method_mmap;
extern const struct mmt_method mmt__method_mmap_falloc;
extern const struct mmt_method mmt__method_mmap_populate;
extern const struct mmt_method mmt__method_write;
extern const struct mmt_method mmt__method_pwrite;
extern const struct mmt_method mmt__method_writev;
extern const struct mmt_method mmt__method_pwritev;
extern const struct mmt_method mmt__method_stdio;
extern const struct mmt_method mmt__method_direct;
extern const struct mmt_method mmt__method_uring;
extern const struct mmt_method mmt__method_null;

#endif
