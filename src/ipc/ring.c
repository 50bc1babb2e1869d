/*
 * ring.c - the shared slot ring's slow paths: its layout, waiting (spin,
 * then sleep on a futex in the mapping, checking every so often that the
 * peers live), the mapping that holds it (a file in --dir or a memfd),
 * and the latency histogram.  The fast paths are inline in ipc.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ipc/ipc.h"

/* See ipc.h. */
int mmt__futex_wait(_Atomic uint32_t *word, uint32_t val, uint64_t timeout_ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(timeout_ns / 1000000000u),
		.tv_nsec = (long)(timeout_ns % 1000000000u),
	};

	if (syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT, val, &ts, NULL, 0) == 0)
		return 0;
	return -errno;
}

/* See ipc.h. */
int mmt__futex_wake(_Atomic uint32_t *word, int n)
{
	long rc = syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE, n, NULL, NULL, 0);

	return rc < 0 ? -errno : (int)rc;
}

/* See ipc.h. */
size_t mmt__ring_size(uint32_t nslots)
{
	return sizeof(struct mmt__ring) + (size_t)nslots * sizeof(struct mmt__slot);
}

/* See ipc.h. */
void mmt__ring_init(struct mmt__ring *r, uint32_t nslots, uint32_t nconsumers)
{
	atomic_init(&r->tail, 0);
	atomic_init(&r->filled.seq, 0);
	atomic_init(&r->filled.sleepers, 0);
	atomic_init(&r->emptied.seq, 0);
	atomic_init(&r->emptied.sleepers, 0);
	r->nslots = nslots;
	r->nconsumers = nconsumers;
	for (uint32_t i = 0; i < nslots; i++) {
		memset(&r->slots[i].rec, 0, sizeof(r->slots[i].rec));
		atomic_init(&r->slots[i].state, (uint64_t)i << 2 | MMT_IPC_EMPTY);
	}
	/* The other processes see this through the fork that follows; the
	 * fence is for threads sharing the ring (the TSan test). */
	atomic_thread_fence(memory_order_release);
}

static inline bool satisfied(uint64_t st, uint64_t want, bool any_full)
{
	if (any_full)
		return st >> 2 == want >> 2 && (st & 3) != MMT_IPC_EMPTY;
	return st == want;
}

/* See ipc.h. */
int mmt__ring_wait(_Atomic uint64_t *state, uint64_t want, bool any_full, struct mmt__event *ev,
		   const struct mmt__waiter *w)
{
	uint64_t last_check = 0;
	int rc;

	if (w->mode != MMT_IPC_WAIT_SLEEP) {
		/* Spinning: the state word is in our cache until the peer
		 * writes it, so the loop costs no bus traffic; the pause
		 * keeps a hyperthread sibling fed.  Reading the clock every
		 * 64Ki turns is how a spinning wait notices a dead peer. */
		for (unsigned long n = 1;; n++) {
			if (satisfied(atomic_load_explicit(state, memory_order_acquire), want, any_full))
				return 0;
			mmt__cpu_relax();
			if (w->mode == MMT_IPC_WAIT_HYBRID && n >= MMT__IPC_HYBRID_SPINS)
				break;
			if ((n & 0xffff) == 0) {
				uint64_t t = mmt_now_ns();

				if (!last_check) {
					last_check = t;
				} else if (t - last_check >= MMT__IPC_CHECK_NS) {
					if (w->check && (rc = w->check(w->arg)))
						return rc;
					last_check = t;
				}
			}
		}
	}
	for (;;) {
		uint32_t seq = atomic_load_explicit(&ev->seq, memory_order_acquire);

		/* Count ourselves as a sleeper before the last look at the
		 * state (both seq_cst): a producer storing after that look
		 * sees the count and bumps seq, so the futex either returns
		 * at once (seq moved) or is woken.  See mmt__ring_notify(). */
		atomic_fetch_add_explicit(&ev->sleepers, 1, memory_order_seq_cst);
		if (satisfied(atomic_load_explicit(state, memory_order_seq_cst), want, any_full)) {
			atomic_fetch_sub_explicit(&ev->sleepers, 1, memory_order_relaxed);
			return 0;
		}
		rc = mmt__futex_wait(&ev->seq, seq, MMT__IPC_CHECK_NS);
		atomic_fetch_sub_explicit(&ev->sleepers, 1, memory_order_relaxed);
		if (satisfied(atomic_load_explicit(state, memory_order_acquire), want, any_full))
			return 0;
		if (rc == -ETIMEDOUT && w->check && (rc = w->check(w->arg)))
			return rc;
	}
}

/* See ipc.h. */
int mmt__ipc_map(struct mmt__ipc_run *run, size_t len, struct mmt_error *err)
{
	int fd, rc;
	void *p;

	run->map = NULL;
	run->maplen = len;
	if (run->job->backing == MMT_IPC_BACKING_MEMFD) {
		fd = memfd_create("mmaptimer-ipc", MFD_CLOEXEC);
		if (fd < 0)
			return mmt__error_set(err, -errno, "cannot create a memfd: %s", strerror(errno));
	} else {
		char name[96];
		int dirfd = open(run->job->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (dirfd < 0)
			return mmt__error_set(err, -errno, "cannot open directory '%s': %s",
					      run->job->dir, strerror(errno));
		rc = mmt__tempfile_name(dirfd, name, sizeof(name));
		if (rc) {
			close(dirfd);
			return mmt__error_set(err, rc, "cannot create '%s/%s': %s", run->job->dir, name,
					      mmt_strerror(rc));
		}
		/* O_EXCL|O_NOFOLLOW: a file or symlink planted at the name
		 * fails the run instead of being followed or shared. */
		fd = openat(dirfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0) {
			rc = -errno;
			mmt__tempfile_forget();
			close(dirfd);
			return mmt__error_set(err, rc, "cannot create '%s/%s': %s", run->job->dir, name,
					      strerror(-rc));
		}
		/* The processes share the mapping, which outlives the name:
		 * unlinking now means no file is left behind whatever
		 * happens to the run, even a SIGKILL of the tool. */
		rc = unlinkat(dirfd, name, 0) ? -errno : 0;
		mmt__tempfile_forget();
		close(dirfd);
		if (rc) {
			close(fd);
			return mmt__error_set(err, rc, "cannot remove '%s/%s': %s", run->job->dir, name,
					      strerror(-rc));
		}
	}
	if (ftruncate(fd, (off_t)len)) {
		rc = -errno;
		close(fd);
		return mmt__error_set(err, rc, "cannot size the shared mapping to %zu bytes: %s", len,
				      strerror(-rc));
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	rc = p == MAP_FAILED ? -errno : 0;
	close(fd);
	if (rc)
		return mmt__error_set(err, rc, "cannot map %zu bytes: %s", len, strerror(-rc));
	/* Touch every page now, untimed, so no run pays for page faults. */
	memset(p, 0, len);
	run->map = p;
	return 0;
}

/* See ipc.h. */
void mmt__ipc_unmap(struct mmt__ipc_run *run)
{
	if (run->map)
		munmap(run->map, run->maplen);
	run->map = NULL;
}

/* Bucket of a value in ns. */
static size_t bucket(double ns)
{
	int e;
	double m;
	long idx;

	if (!(ns > 0))
		return 0;
	m = frexp(ns * 16.0, &e);   /* ns * 16 = m * 2^e, m in [0.5, 1) */
	if (e < 1)
		return 0;
	idx = (long)(e - 1) * MMT__HIST_SUB + (long)((m * 2.0 - 1.0) * MMT__HIST_SUB);
	if (idx >= MMT__HIST_OCT * MMT__HIST_SUB)
		idx = MMT__HIST_OCT * MMT__HIST_SUB - 1;
	return (size_t)idx;
}

/* See ipc.h. */
void mmt__hist_add(struct mmt__hist *h, double ns)
{
	if (h->n == 0 || ns < h->min)
		h->min = ns;
	if (h->n == 0 || ns > h->max)
		h->max = ns;
	h->n++;
	h->b[bucket(ns)]++;
}

/* See ipc.h. */
double mmt__hist_quantile(const struct mmt__hist *h, double q)
{
	uint64_t rank, seen = 0;

	if (h->n == 0)
		return NAN;
	if (q <= 0)
		return h->min;
	if (q >= 1)
		return h->max;
	/* The sample of rank ceil(q * n), 1-based. */
	rank = (uint64_t)ceil(q * (double)h->n);
	if (rank < 1)
		rank = 1;
	for (size_t i = 0; i < MMT__HIST_OCT * MMT__HIST_SUB; i++) {
		seen += h->b[i];
		if (seen >= rank) {
			size_t oct = i / MMT__HIST_SUB, sub = i % MMT__HIST_SUB;
			double v = ldexp(1.0 + (sub + 0.5) / MMT__HIST_SUB, (int)oct) / 16.0;

			return v < h->min ? h->min : v > h->max ? h->max : v;
		}
	}
	return h->max;
}
