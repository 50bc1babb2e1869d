/*
 * null.c - the same chunk loop over the same source with no I/O at all.
 * Its time is the harness's own cost plus the loop's: whatever the other
 * methods measure above this is the cost of their I/O.
 */
#include "methods/method.h"

static int null_write(const struct mmt_io *io, struct mmt_stamps *st)
{
	const uint64_t size = io->size;
	const size_t chunk = (size_t)io->chunk, step = chunk % MMT_PATTERN_PERIOD;
	const unsigned char *s = io->src;
	uint64_t calls = 0;

	st->t_start = mmt_now_ns();
	st->t_setup = mmt_now_ns();
	for (uint64_t off = 0; off < size; off += chunk) {
		size_t n = size - off < chunk ? (size_t)(size - off) : chunk;

		/* Hand the chunk to nobody, but make the compiler believe
		 * someone looked, so the loop is not optimised away. */
		__asm__ volatile("" : : "r"(s), "r"(n) : "memory");
		s = mmt__src_step(s, io->src, step);
	}
	st->t_transfer = mmt_now_ns();
	st->t_sync = st->t_transfer;
	st->t_end = mmt_now_ns();
	st->syscalls = calls;
	return 0;
}

const struct mmt_method mmt__method_null = {
	.name = "null",
	.desc = "the same chunk loop with no I/O: the harness's own cost",
	.ops = MMT_OP_WRITE,
	.flags = MMT_METHOD_NOFILE,
	.probe = mmt__probe_always,
	.write = null_write,
};
