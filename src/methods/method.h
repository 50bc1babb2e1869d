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

/*
 * Reading: the offset of the next chunk, in sequential or random order.
 * One predictable branch per chunk, so each method keeps one loop for
 * both orders.
 */
struct mmt__visit {
	bool random;
	uint64_t off, chunk;
	struct mmt_order_state o;
};

static inline void mmt__visit_init(struct mmt__visit *v, const struct mmt_io *io)
{
	v->random = io->opts->read.order == MMT_ORDER_RANDOM;
	v->off = 0;
	v->chunk = io->chunk;
	if (v->random)
		mmt_order_init(&v->o, (io->size + io->chunk - 1) / io->chunk, io->opts->read.seed);
}

/* The offset of chunk number i (0-based) of the visit. */
static inline uint64_t mmt__visit_next(struct mmt__visit *v, uint64_t i)
{
	return v->random ? mmt_order_next(&v->o) * v->chunk : i * v->chunk;
}

/* posix_fadvise() advice matching --advice, or -1 for none. */
int mmt__fadvice(enum mmt_advice a);

extern const struct mmt_method mmt__method_read;
extern const struct mmt_method mmt__method_pread;
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
