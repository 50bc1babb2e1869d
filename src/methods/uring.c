/*
 * uring.c - io_uring through liburing: write requests for successive
 * chunks, up to --queue-depth in flight, submitted and reaped in batches.
 * Built only when liburing was found at build time; otherwise the method
 * is still listed, and says why it cannot run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "methods/method.h"

#ifdef MMT_HAVE_LIBURING
#include <liburing.h>

static int uring_probe(const struct mmt_probe *p, char *why, size_t whylen)
{
	struct io_uring ring;
	int rc;

	/* A request's length is 32 bits. */
	if (p->chunk > UINT32_MAX) {
		snprintf(why, whylen, "io_uring requests are limited to 4 GiB");
		return MMT_EUNAVAIL;
	}
	/* The kernel may be built without io_uring, or have it disabled
	 * (kernel.io_uring_disabled), or a seccomp policy may refuse it. */
	if ((rc = io_uring_queue_init(2, &ring, 0))) {
		snprintf(why, whylen, "io_uring_setup failed: %s", mmt_strerror(rc));
		return MMT_EUNAVAIL;
	}
	io_uring_queue_exit(&ring);
	return 0;
}

/*
 * The anchor: a ring the sweep's thread keeps open, with one request
 * done through it, from before the first run to after the last.  On
 * Linux 6.18 (6.18.44 here) a task's io-wq workers exit as soon as the
 * task has no ring left (io_tctx_exit_cb -> io_wq_set_exit_on_idle).  A
 * run's buffered writes go to those workers; when the next run's new ring
 * queued its first writes while the last worker was on its way out, no
 * worker was started for them and the run waited forever (7 of 19 sweeps
 * of 16 KiB files here, none of 42 with the anchor).
 * With the anchor open the thread always has a ring, so the workers stay.
 * It costs one idle ring, set up outside every timed run.
 */
static _Thread_local struct {
	struct io_uring ring;
	unsigned users;
} anchor;

static int uring_begin(char *why, size_t whylen)
{
	struct io_uring_cqe *cqe;
	int rc;

	if (anchor.users++)
		return 0;
	if ((rc = io_uring_queue_init(1, &anchor.ring, 0))) {
		anchor.users = 0;
		snprintf(why, whylen, "io_uring_setup failed: %s", mmt_strerror(rc));
		return MMT_EUNAVAIL;
	}
	/* The thread is known to the kernel as a user of the ring only once
	 * it has submitted through it. */
	io_uring_prep_nop(io_uring_get_sqe(&anchor.ring));
	rc = io_uring_submit_and_wait(&anchor.ring, 1);
	if (rc >= 0)
		rc = io_uring_peek_cqe(&anchor.ring, &cqe);
	if (rc < 0) {
		io_uring_queue_exit(&anchor.ring);
		anchor.users = 0;
		snprintf(why, whylen, "io_uring refused a no-op request: %s", mmt_strerror(rc));
		return MMT_EUNAVAIL;
	}
	io_uring_cqe_seen(&anchor.ring, cqe);
	return 0;
}

static void uring_end(void)
{
	if (anchor.users && !--anchor.users)
		io_uring_queue_exit(&anchor.ring);
}

/*
 * Submit what is queued and wait for at least one completion: one
 * io_uring_enter.  When nothing completes for a minute, plus a second
 * for every 8 MiB of the chunk (a slow disk's share), the requests are
 * taken as lost by the kernel, as the race above lost them: the run ends
 * with MMT_ESTALLED instead of hanging, and the ring's teardown cancels
 * what is still queued.
 */
static int uring_submit_wait(struct io_uring *ring, uint64_t chunk)
{
	struct __kernel_timespec ts = { .tv_sec = 60 + (long long)(chunk >> 23) };
	struct io_uring_cqe *cqe;
	int ret = io_uring_submit_and_wait_timeout(ring, &cqe, 1, &ts, NULL);

	return ret == -ETIME ? MMT_ESTALLED : ret;
}

/* The queue depth a run uses: --queue-depth, and for --sync each room
 * for a write and its linked fsync. */
static unsigned uring_depth(const struct mmt_io *io)
{
	unsigned qd = io->opts->queue_depth ? io->opts->queue_depth : MMT_DEFAULT_QUEUE_DEPTH;

	return MMT_MAX(qd, io->opts->sync == MMT_SYNC_EACH ? 2u : 1u);
}

static int uring_write(const struct mmt_io *io, struct mmt_stamps *st)
{
	const uint64_t size = io->size;
	const size_t chunk = (size_t)io->chunk, step = chunk % MMT_PATTERN_PERIOD;
	const bool each = io->opts->sync == MMT_SYNC_EACH;
	const unsigned qd = uring_depth(io);
	const unsigned char *s = io->src;
	struct io_uring ring;
	uint64_t calls = 0, queued = 0, done = 0;
	unsigned inflight = 0;
	int fd, ret, rc = 0;

	st->t_start = mmt_now_ns();
	fd = openat(io->dirfd, io->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	calls++;
	if (fd < 0)
		return -errno;
	/* io_uring_setup, and the ring mappings: one with
	 * IORING_FEAT_SINGLE_MMAP, two without, plus the SQE array. */
	if ((rc = io_uring_queue_init(qd, &ring, 0))) {
		close(fd);
		return rc;
	}
	calls += (ring.features & IORING_FEAT_SINGLE_MMAP) ? 3 : 4;
	st->t_setup = mmt_now_ns();

	/* With --sync each, every write is linked to an fsync that runs
	 * after it; that is one request more per chunk. */
	/* After an error nothing more is queued, but every request in flight
	 * is still reaped: a request left behind would keep the file (and
	 * its blocks) alive after close, until the ring's teardown. */
	while ((done < size && !rc) || inflight) {
		struct io_uring_cqe *cqe;
		unsigned head, seen = 0;

		while (!rc && queued < size && inflight + (each ? 2 : 1) <= qd) {
			size_t n = size - queued < chunk ? (size_t)(size - queued) : chunk;
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

			io_uring_prep_write(sqe, fd, s, (unsigned)n, queued);
			sqe->user_data = n;
			inflight++;
			if (each) {
				sqe->flags |= IOSQE_IO_LINK;
				sqe = io_uring_get_sqe(&ring);
				io_uring_prep_fsync(sqe, fd, 0);
				sqe->user_data = 0;
				inflight++;
			}
			queued += n;
			s = mmt__src_step(s, io->src, step);
		}
		/* One io_uring_enter: submit what is queued and wait for at
		 * least one completion. */
		calls++;
		ret = uring_submit_wait(&ring, chunk);
		if (ret < 0 && ret != -EINTR) {
			if (!rc || ret == MMT_ESTALLED)
				rc = ret;
			/* Submission itself failed: what is queued never
			 * reached the kernel, and nothing more will come. */
			if (ret == MMT_ESTALLED || io_uring_sq_ready(&ring) >= inflight)
				break;
		}
		io_uring_for_each_cqe(&ring, head, cqe) {
			seen++;
			inflight--;
			if (cqe->res < 0) {
				if (!rc && cqe->res != -ECANCELED)
					rc = cqe->res;
				continue;
			}
			/* A short write of a chunk cannot be resubmitted in
			 * order without stalling; report it as the error it
			 * almost always is (a full disk). */
			if (cqe->user_data && (uint64_t)cqe->res != cqe->user_data) {
				if (!rc)
					rc = -ENOSPC;
				continue;
			}
			done += cqe->user_data;
		}
		io_uring_cq_advance(&ring, seen);
	}

	st->t_transfer = mmt_now_ns();
	if (!rc && io->opts->sync == MMT_SYNC_END) {
		calls++;
		if (fsync(fd))
			rc = -errno;
	}
	st->t_sync = mmt_now_ns();
	/* Unmapping the rings, closing the ring, then the file. */
	calls += ((ring.features & IORING_FEAT_SINGLE_MMAP) ? 3 : 4) + 1;
	io_uring_queue_exit(&ring);
	if (close(fd) && !rc)
		rc = -errno;
	st->t_end = mmt_now_ns();
	st->syscalls = calls;
	return rc;
}

/* Reading: up to queue-depth reads in flight, each into a slot of its
 * own in io->buf; a completed slot is consumed and reused. */
static int uring_read(const struct mmt_io *io, struct mmt_stamps *st)
{
	const uint64_t size = io->size, chunk = io->chunk, n = (size + chunk - 1) / chunk;
	const unsigned qd = uring_depth(io);
	size_t lens[4096];
	unsigned freelist[4096], nfree = qd, inflight = 0;
	struct mmt__visit v;
	struct io_uring ring;
	uint64_t calls = 0, sum = 0, next = 0;
	int fd, ret, rc = 0;

	st->t_start = mmt_now_ns();
	fd = openat(io->dirfd, io->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	calls++;
	if (fd < 0)
		return -errno;
	if ((rc = io_uring_queue_init(qd, &ring, 0))) {
		close(fd);
		return rc;
	}
	calls += (ring.features & IORING_FEAT_SINGLE_MMAP) ? 3 : 4;
	for (unsigned i = 0; i < qd; i++)
		freelist[i] = i;
	st->t_setup = mmt_now_ns();

	mmt__visit_init(&v, io);
	/* As for writing: after an error nothing more is queued, but every
	 * request in flight is reaped before the file is closed. */
	while ((next < n && !rc) || inflight) {
		struct io_uring_cqe *cqe;
		unsigned head, seen = 0;

		while (!rc && next < n && nfree) {
			uint64_t off = mmt__visit_next(&v, next++);
			unsigned slot = freelist[--nfree];
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

			lens[slot] = (size_t)MMT_MIN(chunk, size - off);
			io_uring_prep_read(sqe, fd, io->buf + (size_t)slot * chunk, (unsigned)lens[slot], off);
			sqe->user_data = slot;
			inflight++;
		}
		calls++;
		ret = uring_submit_wait(&ring, chunk);
		if (ret < 0 && ret != -EINTR) {
			if (!rc || ret == MMT_ESTALLED)
				rc = ret;
			if (ret == MMT_ESTALLED || io_uring_sq_ready(&ring) >= inflight)
				break;
		}
		io_uring_for_each_cqe(&ring, head, cqe) {
			unsigned slot = (unsigned)cqe->user_data;

			seen++;
			inflight--;
			freelist[nfree++] = slot;
			if (cqe->res < 0) {
				if (!rc)
					rc = cqe->res;
			} else if ((size_t)cqe->res != lens[slot]) {
				if (!rc)
					rc = MMT_ESHRUNK;
			} else {
				sum += mmt_checksum(io->buf + (size_t)slot * chunk, lens[slot]);
			}
		}
		io_uring_cq_advance(&ring, seen);
	}

	st->t_transfer = st->t_sync = mmt_now_ns();
	st->checksum = sum;
	calls += ((ring.features & IORING_FEAT_SINGLE_MMAP) ? 3 : 4) + 1;
	io_uring_queue_exit(&ring);
	if (close(fd) && !rc)
		rc = -errno;
	st->t_end = mmt_now_ns();
	st->syscalls = calls;
	return rc;
}

#else /* !MMT_HAVE_LIBURING */

static int uring_probe(const struct mmt_probe *p, char *why, size_t whylen)
{
	(void)p;
	snprintf(why, whylen, "built without liburing (install liburing-dev and rebuild)");
	return MMT_EUNAVAIL;
}

static int uring_write(const struct mmt_io *io, struct mmt_stamps *st)
{
	(void)io;
	(void)st;
	return MMT_EUNAVAIL;
}

static int uring_read(const struct mmt_io *io, struct mmt_stamps *st)
{
	(void)io;
	(void)st;
	return MMT_EUNAVAIL;
}

#endif

const struct mmt_method mmt__method_uring = {
	.name = "uring",
	.desc = "io_uring writes/reads via liburing, --queue-depth in flight (default 8)",
	.ops = MMT_OP_WRITE | MMT_OP_READ,
	.probe = uring_probe,
	.write = uring_write,
	.read = uring_read,
#ifdef MMT_HAVE_LIBURING
	.begin = uring_begin,
	.end = uring_end,
#endif
};
