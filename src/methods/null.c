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

/* Reading with no I/O: the same visit, consuming the pattern source
 * instead of a file, so the loop and the checksum's own cost show. */
static int null_read(const struct mmt_io *io, struct mmt_stamps *st)
{
	const uint64_t size = io->size, chunk = io->chunk, n = (size + chunk - 1) / chunk;
	struct mmt__visit v;
	uint64_t sum = 0;

	st->t_start = mmt_now_ns();
	st->t_setup = mmt_now_ns();
	mmt__visit_init(&v, io);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t off = mmt__visit_next(&v, i);

		sum += mmt_checksum(io->src + off % MMT_PATTERN_PERIOD, (size_t)MMT_MIN(chunk, size - off));
	}
	st->t_transfer = st->t_sync = mmt_now_ns();
	st->t_end = mmt_now_ns();
	st->checksum = sum;
	st->syscalls = 0;
	return 0;
}

const struct mmt_method mmt__method_null = {
	.name = "null",
	.desc = "the same chunk loop with no I/O: the harness's own cost",
	.ops = MMT_OP_WRITE | MMT_OP_READ,
	.flags = MMT_METHOD_NOFILE,
	.probe = mmt__probe_always,
	.write = null_write,
	.read = null_read,
};
