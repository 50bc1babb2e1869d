/*
 * syscall.c - the system-call family: write(), pwrite(), writev() and
 * pwritev() into a file opened empty.  Each call costs a kernel entry and
 * a copy into the page cache; for tiny chunks the entry dominates, which
 * is what the vectored calls amortise by passing several chunks per call.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/uio.h>
#include <unistd.h>

#include "methods/method.h"

/* Open the run's file for writing; counts the call.  -errno on failure. */
static int open_new(const struct mmt_io *io, uint64_t *calls)
{
	int fd = openat(io->dirfd, io->name,
			O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	++*calls;
	return fd < 0 ? -errno : fd;
}

/* The end of a run: the sync phase (fsync when --sync end), then close.
 * Stamps t_transfer, t_sync and t_end; returns the first error. */
static int finish(const struct mmt_io *io, struct mmt_stamps *st, int fd, int rc,
		  uint64_t *calls)
{
	st->t_transfer = mmt_now_ns();
	if (!rc && io->opts->sync == MMT_SYNC_END) {
		++*calls;
		if (fsync(fd))
			rc = -errno;
	}
	st->t_sync = mmt_now_ns();
	++*calls;
	if (close(fd) && !rc)
		rc = -errno;
	st->t_end = mmt_now_ns();
	st->syscalls = *calls;
	return rc;
}

/* write(), or pwrite() at the running offset. */
static int plain_loop(const struct mmt_io *io, struct mmt_stamps *st, bool positional)
{
	const uint64_t size = io->size;
	const size_t chunk = (size_t)io->chunk, step = chunk % MMT_PATTERN_PERIOD;
	const bool each = io->opts->sync == MMT_SYNC_EACH;
	const unsigned char *s = io->src;
	uint64_t calls = 0, off = 0;
	int fd, rc = 0;

	st->t_start = mmt_now_ns();
	if ((fd = open_new(io, &calls)) < 0)
		return fd;
	st->t_setup = mmt_now_ns();

	while (off < size) {
		size_t n = size - off < chunk ? (size_t)(size - off) : chunk;
		ssize_t w = positional ? pwrite(fd, s, n, (off_t)off) : write(fd, s, n);

		calls++;
		if (w == (ssize_t)n) {
			off += n;
			s = mmt__src_step(s, io->src, step);
			if (each) {
				calls++;
				if (fsync(fd)) {
					rc = -errno;
					break;
				}
			}
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
	return finish(io, st, fd, rc, &calls);
}

static int write_write(const struct mmt_io *io, struct mmt_stamps *st)
{
	return plain_loop(io, st, false);
}

static int pwrite_write(const struct mmt_io *io, struct mmt_stamps *st)
{
	return plain_loop(io, st, true);
}

/* writev(), or pwritev() at the running offset: io->opts->batch chunks per
 * call, each its own iovec pointing into the pattern source. */
static int vector_loop(const struct mmt_io *io, struct mmt_stamps *st, bool positional)
{
	const uint64_t size = io->size;
	const size_t chunk = (size_t)io->chunk, step = chunk % MMT_PATTERN_PERIOD;
	const unsigned batch = io->opts->batch ? io->opts->batch : MMT_DEFAULT_BATCH;
	const bool each = io->opts->sync == MMT_SYNC_EACH;
	const unsigned char *s = io->src;
	struct iovec iov[IOV_MAX];
	uint64_t calls = 0, off = 0;
	int fd, rc = 0;

	st->t_start = mmt_now_ns();
	if ((fd = open_new(io, &calls)) < 0)
		return fd;
	st->t_setup = mmt_now_ns();

	while (off < size) {
		uint64_t want = 0;
		unsigned k = 0;
		ssize_t w;

		for (; k < batch && off + want < size; k++) {
			size_t n = size - off - want < chunk ? (size_t)(size - off - want) : chunk;

			iov[k].iov_base = (void *)s;
			iov[k].iov_len = n;
			want += n;
			s = mmt__src_step(s, io->src, step);
		}
		w = positional ? pwritev(fd, iov, (int)k, (off_t)off) : writev(fd, iov, (int)k);
		calls++;
		if (w == (ssize_t)want) {
			off += want;
			if (each) {
				calls++;
				if (fsync(fd)) {
					rc = -errno;
					break;
				}
			}
			continue;
		}
		if (w < 0 && errno != EINTR) {
			rc = -errno;
			break;
		}
		if (w == 0) {
			rc = -EIO;
			break;
		}
		/* Interrupted or short: redo the batch from where the file
		 * now ends. */
		if (w > 0)
			off += (uint64_t)w;
		s = io->src + off % MMT_PATTERN_PERIOD;
		/* The next batch must start on the pattern at `off`; the
		 * chunk boundaries shift, which does not change the bytes. */
	}
	return finish(io, st, fd, rc, &calls);
}

static int writev_write(const struct mmt_io *io, struct mmt_stamps *st)
{
	return vector_loop(io, st, false);
}

static int pwritev_write(const struct mmt_io *io, struct mmt_stamps *st)
{
	return vector_loop(io, st, true);
}

/* Read exactly n bytes into buf, at off when off >= 0 (pread) or at the
 * file position; short reads are continued.  0, MMT_ESHRUNK at an early
 * end of file, or -errno.  Counts the calls. */
static int read_full(int fd, unsigned char *buf, size_t n, int64_t off, uint64_t *calls)
{
	while (n) {
		ssize_t r = off >= 0 ? pread(fd, buf, n, off) : read(fd, buf, n);

		++*calls;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return MMT_ESHRUNK;
		buf += r;
		n -= (size_t)r;
		if (off >= 0)
			off += r;
	}
	return 0;
}

/* read() at the file position (with lseek() before each chunk in random
 * order), or pread() at each chunk's offset; every chunk lands in the same
 * buffer and is consumed from there. */
static int read_loop(const struct mmt_io *io, struct mmt_stamps *st, bool positional)
{
	const uint64_t size = io->size, chunk = io->chunk, n = (size + chunk - 1) / chunk;
	const int adv = mmt__fadvice(io->opts->advice);
	struct mmt__visit v;
	uint64_t calls = 0, sum = 0;
	int fd, rc = 0;

	st->t_start = mmt_now_ns();
	fd = openat(io->dirfd, io->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	calls++;
	if (fd < 0)
		return -errno;
	if (adv >= 0) {
		calls++;
		if ((rc = posix_fadvise(fd, 0, 0, adv)))
			rc = -rc;
	}
	st->t_setup = mmt_now_ns();

	mmt__visit_init(&v, io);
	for (uint64_t i = 0; i < n && !rc; i++) {
		uint64_t off = mmt__visit_next(&v, i);
		size_t len = (size_t)MMT_MIN(chunk, size - off);

		if (v.random && !positional) {
			calls++;
			if (lseek(fd, (off_t)off, SEEK_SET) < 0) {
				rc = -errno;
				break;
			}
		}
		if (!(rc = read_full(fd, io->buf, len, positional ? (int64_t)off : -1, &calls)))
			sum += mmt_checksum(io->buf, len);
	}

	st->t_transfer = st->t_sync = mmt_now_ns();
	st->checksum = sum;
	calls++;
	if (close(fd) && !rc)
		rc = -errno;
	st->t_end = mmt_now_ns();
	st->syscalls = calls;
	return rc;
}

static int read_read(const struct mmt_io *io, struct mmt_stamps *st)
{
	return read_loop(io, st, false);
}

static int pread_read(const struct mmt_io *io, struct mmt_stamps *st)
{
	return read_loop(io, st, true);
}

const struct mmt_method mmt__method_read = {
	.name = "read",
	.desc = "read() each chunk into one buffer (lseek first in random order)",
	.ops = MMT_OP_READ,
	.probe = mmt__probe_always,
	.read = read_read,
};

const struct mmt_method mmt__method_pread = {
	.name = "pread",
	.desc = "pread() each chunk at its offset into one buffer",
	.ops = MMT_OP_READ,
	.probe = mmt__probe_always,
	.read = pread_read,
};

const struct mmt_method mmt__method_write = {
	.name = "write",
	.desc = "open an empty file, write() each chunk, close",
	.ops = MMT_OP_WRITE,
	.probe = mmt__probe_always,
	.write = write_write,
};

const struct mmt_method mmt__method_pwrite = {
	.name = "pwrite",
	.desc = "pwrite() each chunk at its offset",
	.ops = MMT_OP_WRITE,
	.probe = mmt__probe_always,
	.write = pwrite_write,
};

const struct mmt_method mmt__method_writev = {
	.name = "writev",
	.desc = "writev() --batch chunks per call (default 16)",
	.ops = MMT_OP_WRITE,
	.probe = mmt__probe_always,
	.write = writev_write,
};

const struct mmt_method mmt__method_pwritev = {
	.name = "pwritev",
	.desc = "pwritev() --batch chunks per call at their offset",
	.ops = MMT_OP_WRITE,
	.probe = mmt__probe_always,
	.write = pwritev_write,
};
