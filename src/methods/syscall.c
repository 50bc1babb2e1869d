/*
 * syscall.c - the system-call family of methods: one write() per chunk
 * into a file opened empty.  Each chunk costs a kernel entry and a copy
 * into the page cache; for tiny chunks the entry dominates.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "methods/method.h"

static int write_write(const struct mmt_io *io, struct mmt_stamps *st)
{
	const uint64_t size = io->size;
	const size_t chunk = (size_t)io->chunk, step = chunk % MMT_PATTERN_PERIOD;
	const unsigned char *s = io->src;
	uint64_t calls = 0, off = 0;
	int fd, rc = 0;

	st->t_start = mmt_now_ns();
	fd = openat(io->dirfd, io->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	calls++;
	if (fd < 0)
		return -errno;
	st->t_setup = mmt_now_ns();

	while (off < size) {
		size_t n = size - off < chunk ? (size_t)(size - off) : chunk;
		ssize_t w = write(fd, s, n);

		calls++;
		if (w == (ssize_t)n) {
			off += n;
			s = mmt__src_step(s, io->src, step);
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = w < 0 ? -errno : -EIO;
			break;
		}
		/* A short write: carry on from where it stopped. */
		off += (uint64_t)w;
		s = io->src + off % MMT_PATTERN_PERIOD;
	}

	st->t_transfer = mmt_now_ns();
	calls++;
	if (close(fd) && !rc)
		rc = -errno;
	st->t_end = mmt_now_ns();
	st->syscalls = calls;
	return rc;
}

const struct mmt_method mmt__method_write = {
	.name = "write",
	.desc = "open an empty file, write() each chunk, close",
	.ops = MMT_OP_WRITE,
	.probe = mmt__probe_always,
	.write = write_write,
};
