/*
 * transports.c - the table of ways to pass records between processes, and
 * their loops: the shared slot ring, a pipe, a Unix-domain socketpair and
 * a POSIX message queue, plus the cache-line ping-pong that is the floor.
 * Each transport owns its whole loop (one record per system call for the
 * kernel's: message passing, not batching), as the methods do.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ipc/ipc.h"

/* The sequence number the producer sends as its s-th record: s, except
 * under the duplicate test hook, which sends one record twice in place of
 * the next, so verification must notice. */
static inline uint64_t produced_seq(const struct mmt__ipc_run *run, uint64_t s)
{
	if (__builtin_expect(run->job->test_duplicate, 0) && s > 0 && s == run->messages / 2)
		return s - 1;
	return s;
}

/* Every 64Ki records a producer that never has to wait still checks,
 * every MMT__IPC_CHECK_NS, that its consumers live: one that died while
 * the others keep up is noticed all the same. */
static inline int producer_tick(struct mmt__ipc_run *run, uint64_t s, uint64_t *last)
{
	uint64_t t;

	if (__builtin_expect((s & 0xffff) != 0xffff, 1))
		return 0;
	t = mmt_now_ns();
	if (t - *last < MMT__IPC_CHECK_NS)
		return 0;
	*last = t;
	return run->waiter.check ? run->waiter.check(run->waiter.arg) : 0;
}

/* The consumer side of the die-after test hook. */
static inline void maybe_die(const struct mmt__ipc_run *run, const struct mmt__ipc_tally *t)
{
	if (__builtin_expect(t->count == (uint64_t)run->die_after, 0))
		kill(getpid(), SIGKILL);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* ---- the shared slot ring ----------------------------------------------- */

static int shm_open_(struct mmt__ipc_run *run, struct mmt_error *err)
{
	size_t one = mmt__ring_size(run->job->slots);
	int rc;

	/* Throughput: one ring that every consumer takes from.  Latency: a
	 * ring each way. */
	one = (one + MMT__CACHELINE - 1) & ~(size_t)(MMT__CACHELINE - 1);
	rc = mmt__ipc_map(run, run->mode == MMT_IPC_LATENCY ? 2 * one : one, err);
	if (rc)
		return rc;
	run->ring = run->map;
	mmt__ring_init(run->ring, run->job->slots, run->npeers);
	if (run->mode == MMT_IPC_LATENCY) {
		run->ring_back = (struct mmt__ring *)((char *)run->map + one);
		mmt__ring_init(run->ring_back, run->job->slots, 1);
	}
	return 0;
}

static void shm_child_init(struct mmt__ipc_run *run, unsigned i)
{
	(void)run;
	(void)i;
}

static void shm_close(struct mmt__ipc_run *run)
{
	mmt__ipc_unmap(run);
}

static int shm_produce(struct mmt__ipc_run *run)
{
	struct mmt__ring *r = run->ring;
	struct mmt__ring_pos pos = { 0, 0 };
	struct mmt_ipc_record rec;
	uint64_t last = mmt_now_ns();
	int rc;

	for (uint64_t s = 0; s < run->messages; s++) {
		mmt__ipc_record_make(&rec, produced_seq(run, s));
		if ((rc = mmt__ring_put(r, &pos, &rec, MMT_IPC_FULL, &run->waiter)) ||
		    (rc = producer_tick(run, s, &last)))
			return rc;
	}
	/* One TERM per consumer: each stops at the first it takes. */
	for (unsigned i = 0; i < run->npeers; i++)
		if ((rc = mmt__ring_put(r, &pos, &rec, MMT_IPC_TERM, &run->waiter)))
			return rc;
	return 0;
}

static int shm_consume(struct mmt__ipc_run *run, unsigned i, struct mmt__ipc_tally *t)
{
	struct mmt__ring_pos pos = { 0, 0 };
	struct mmt_ipc_record rec;
	uint64_t last = 0;
	int rc;

	(void)i;
	for (;;) {
		if ((rc = mmt__ring_get(run->ring, &pos, &rec, &run->waiter)))
			return rc;
		mmt__ipc_tally_add(t, &rec, &last);
		if (rec.status == MMT_IPC_TERM)
			return 0;
		maybe_die(run, t);
	}
}

/* The latency pair's round trip, shared by every transport: send record
 * s, wait for it to come back, check it is the same. */
#define PING_LOOP(SEND, RECV, TERM)                                                   \
	do {                                                                          \
		struct mmt_ipc_record rec, echo;                                      \
		uint64_t n = run->messages, s = 0, warm = n / 10 < 1000 ? n / 10 : 1000; \
		uint64_t t0, best = UINT64_MAX;                                       \
		int rc;                                                               \
                                                                                      \
		/* Warm-up round trips, untimed but verified, to settle the  \
		 * caches and to learn how many round trips a timed batch    \
		 * needs so that the two clock reads stay below 1% of it:    \
		 * the fastest of ten warm-up chunks, so that one preemption \
		 * does not decide it. */                                     \
		for (unsigned c = 0; c < 10; c++) {                                   \
			uint64_t e = warm * (c + 1) / 10;                             \
                                                                                      \
			t0 = mmt_now_ns();                                            \
			for (; s < e; s++) {                                          \
				mmt__ipc_record_make(&rec, produced_seq(run, s));     \
				if ((rc = SEND) || (rc = RECV))                       \
					return rc;                                    \
				if (memcmp(&rec, &echo, sizeof(rec)))                 \
					return MMT_EVERIFY;                           \
			}                                                             \
			t0 = mmt_now_ns() - t0;                                       \
			if (warm >= 10 && t0 < best)                                  \
				best = t0;                                            \
		}                                                                     \
		if (!run->batch)                                                      \
			run->batch = mmt__ipc_batch(warm >= 10 ? warm / 10 : 0, best); \
		if (run->batch > n - s)                                               \
			run->batch = n - s > 0 ? (unsigned)(n - s) : 1;              \
		while (s < n) {                                                       \
			uint64_t b = n - s < run->batch ? n - s : run->batch, e = s + b; \
                                                                                      \
			t0 = mmt_now_ns();                                            \
			for (; s < e; s++) {                                          \
				mmt__ipc_record_make(&rec, produced_seq(run, s));     \
				if ((rc = SEND) || (rc = RECV))                       \
					return rc;                                    \
				if (memcmp(&rec, &echo, sizeof(rec)))                 \
					return MMT_EVERIFY;                           \
			}                                                             \
			mmt__ipc_sample(run, t0, mmt_now_ns(), (unsigned)b);          \
		}                                                                     \
		rec.status = MMT_IPC_TERM;                                            \
		return TERM;                                                          \
	} while (0)

static int shm_ping(struct mmt__ipc_run *run)
{
	struct mmt__ring_pos out = { 0, 0 }, in = { 0, 0 };

	PING_LOOP(mmt__ring_put(run->ring, &out, &rec, MMT_IPC_FULL, &run->waiter),
		  mmt__ring_get(run->ring_back, &in, &echo, &run->waiter),
		  mmt__ring_put(run->ring, &out, &rec, MMT_IPC_TERM, &run->waiter));
}

static int shm_pong(struct mmt__ipc_run *run, struct mmt__ipc_tally *t)
{
	struct mmt__ring_pos in = { 0, 0 }, out = { 0, 0 };
	struct mmt_ipc_record rec;
	uint64_t last = 0;
	int rc;

	for (;;) {
		if ((rc = mmt__ring_get(run->ring, &in, &rec, &run->waiter)))
			return rc;
		mmt__ipc_tally_add(t, &rec, &last);
		if (rec.status == MMT_IPC_TERM)
			return 0;
		maybe_die(run, t);
		if ((rc = mmt__ring_put(run->ring_back, &out, &rec, MMT_IPC_FULL, &run->waiter)))
			return rc;
	}
}

static int probe_always(char *why, size_t whylen)
{
	(void)why;
	(void)whylen;
	return 0;
}

static void nothing(struct mmt__ipc_run *run)
{
	(void)run;
}

static const struct mmt__ipc_ops shm_ops = {
	.open = shm_open_,
	.child_init = shm_child_init,
	.parent_init = nothing,
	.produce = shm_produce,
	.consume = shm_consume,
	.ping = shm_ping,
	.pong = shm_pong,
	.close = shm_close,
};

static const struct mmt_ipc_transport shm_transport = {
	.name = "shm",
	.desc = "the shared slot ring: a mapping of cache-line slots, C11 atomics, futex waits",
	.probe = probe_always,
	.ops = &shm_ops,
};

/* ---- descriptors: pipe and Unix socketpair -------------------------------- */

/*
 * Channel i runs between run->fd[i][0] (the producer's end) and
 * run->fd[i][1] (consumer i's).  A pipe is one way, so latency adds a
 * pipe back, fd_back[1] (the peer writes) to fd_back[0]; a socketpair is
 * both ways and fd_back stays -1.
 */
static void fds_child_init(struct mmt__ipc_run *run, unsigned i)
{
	for (unsigned j = 0; j < run->npeers; j++) {
		close_fd(&run->fd[j][0]);
		if (j != i)
			close_fd(&run->fd[j][1]);
	}
	close_fd(&run->fd_back[0]);
}

/* The producer keeps only its ends, so that a consumer's death shows as
 * EPIPE or end of file instead of a wait for ever. */
static void fds_parent_init(struct mmt__ipc_run *run)
{
	for (unsigned j = 0; j < run->npeers; j++)
		close_fd(&run->fd[j][1]);
	close_fd(&run->fd_back[1]);
}

static void fds_close(struct mmt__ipc_run *run)
{
	for (unsigned j = 0; j < run->npeers; j++) {
		close_fd(&run->fd[j][0]);
		close_fd(&run->fd[j][1]);
	}
	close_fd(&run->fd_back[0]);
	close_fd(&run->fd_back[1]);
}

static inline int pipe_send(int fd, const struct mmt_ipc_record *rec)
{
	ssize_t n;

	/* 32 bytes is below PIPE_BUF: the write is atomic, whole or not. */
	while ((n = write(fd, rec, sizeof(*rec))) < 0 && errno == EINTR)
		;
	return n == (ssize_t)sizeof(*rec) ? 0 : n < 0 ? -errno : -EIO;
}

static inline int pipe_recv(int fd, struct mmt_ipc_record *rec)
{
	size_t got = 0;

	while (got < sizeof(*rec)) {
		ssize_t n = read(fd, (char *)rec + got, sizeof(*rec) - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? -EPIPE : -errno;
		got += (size_t)n;
	}
	return 0;
}

static inline int sock_send(int fd, const struct mmt_ipc_record *rec)
{
	size_t done = 0;

	while (done < sizeof(*rec)) {
		ssize_t n = send(fd, (const char *)rec + done, sizeof(*rec) - done, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		done += (size_t)n;
	}
	return 0;
}

static inline int sock_recv(int fd, struct mmt_ipc_record *rec)
{
	size_t got = 0;

	while (got < sizeof(*rec)) {
		ssize_t n = recv(fd, (char *)rec + got, sizeof(*rec) - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? -EPIPE : -errno;
		got += (size_t)n;
	}
	return 0;
}

/* The descriptor loops, instantiated for each transport's send and
 * receive so that both inline into the loop. */
#define FD_LOOPS(PFX, SEND, RECV)                                                     \
	static int PFX##_produce(struct mmt__ipc_run *run)                            \
	{                                                                             \
		struct mmt_ipc_record rec;                                            \
		uint64_t last = mmt_now_ns();                                         \
		unsigned i = 0;                                                       \
		int rc;                                                               \
                                                                                      \
		/* Round robin over the consumers, one record per call. */           \
		for (uint64_t s = 0; s < run->messages; s++) {                        \
			mmt__ipc_record_make(&rec, produced_seq(run, s));             \
			if ((rc = SEND(run->fd[i][0], &rec)) ||                       \
			    (rc = producer_tick(run, s, &last)))                      \
				return rc;                                            \
			if (++i == run->npeers)                                       \
				i = 0;                                                \
		}                                                                     \
		rec.status = MMT_IPC_TERM;                                            \
		for (i = 0; i < run->npeers; i++)                                     \
			if ((rc = SEND(run->fd[i][0], &rec)))                         \
				return rc;                                            \
		return 0;                                                             \
	}                                                                             \
	static int PFX##_consume(struct mmt__ipc_run *run, unsigned i, struct mmt__ipc_tally *t) \
	{                                                                             \
		struct mmt_ipc_record rec;                                            \
		uint64_t last = 0;                                                    \
		int rc;                                                               \
                                                                                      \
		for (;;) {                                                            \
			if ((rc = RECV(run->fd[i][1], &rec)))                         \
				return rc;                                            \
			mmt__ipc_tally_add(t, &rec, &last);                           \
			if (rec.status == MMT_IPC_TERM)                               \
				return 0;                                             \
			maybe_die(run, t);                                            \
		}                                                                     \
	}                                                                             \
	static int PFX##_ping(struct mmt__ipc_run *run)                               \
	{                                                                             \
		int out = run->fd[0][0];                                              \
		int in = run->fd_back[0] >= 0 ? run->fd_back[0] : out;                \
                                                                                      \
		PING_LOOP(SEND(out, &rec), RECV(in, &echo), SEND(out, &rec));         \
	}                                                                             \
	static int PFX##_pong(struct mmt__ipc_run *run, struct mmt__ipc_tally *t)     \
	{                                                                             \
		int in = run->fd[0][1];                                               \
		int out = run->fd_back[1] >= 0 ? run->fd_back[1] : in;                \
		struct mmt_ipc_record rec;                                            \
		uint64_t last = 0;                                                    \
		int rc;                                                               \
                                                                                      \
		for (;;) {                                                            \
			if ((rc = RECV(in, &rec)))                                    \
				return rc;                                            \
			mmt__ipc_tally_add(t, &rec, &last);                           \
			if (rec.status == MMT_IPC_TERM)                               \
				return 0;                                             \
			maybe_die(run, t);                                            \
			if ((rc = SEND(out, &rec)))                                   \
				return rc;                                            \
		}                                                                     \
	}

FD_LOOPS(pipe, pipe_send, pipe_recv)
FD_LOOPS(sock, sock_send, sock_recv)

static int pipe_open(struct mmt__ipc_run *run, struct mmt_error *err)
{
	int p[2];

	for (unsigned i = 0; i < run->npeers; i++) {
		if (pipe2(p, O_CLOEXEC))
			return mmt__error_set(err, -errno, "cannot create a pipe: %s", strerror(errno));
		run->fd[i][0] = p[1];
		run->fd[i][1] = p[0];
	}
	if (run->mode == MMT_IPC_LATENCY) {
		if (pipe2(p, O_CLOEXEC))
			return mmt__error_set(err, -errno, "cannot create a pipe: %s", strerror(errno));
		run->fd_back[0] = p[0];
		run->fd_back[1] = p[1];
	}
	return 0;
}

static int sock_open(struct mmt__ipc_run *run, struct mmt_error *err)
{
	int p[2];

	for (unsigned i = 0; i < run->npeers; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p))
			return mmt__error_set(err, -errno, "cannot create a socketpair: %s",
					      strerror(errno));
		run->fd[i][0] = p[0];
		run->fd[i][1] = p[1];
	}
	return 0;
}

static const struct mmt__ipc_ops pipe_ops = {
	.open = pipe_open,
	.child_init = fds_child_init,
	.parent_init = fds_parent_init,
	.produce = pipe_produce,
	.consume = pipe_consume,
	.ping = pipe_ping,
	.pong = pipe_pong,
	.close = fds_close,
};

static const struct mmt_ipc_transport pipe_transport = {
	.name = "pipe",
	.desc = "a pipe per consumer (and one back for latency): write() and read() of each record",
	.probe = probe_always,
	.ops = &pipe_ops,
};

static const struct mmt__ipc_ops sock_ops = {
	.open = sock_open,
	.child_init = fds_child_init,
	.parent_init = fds_parent_init,
	.produce = sock_produce,
	.consume = sock_consume,
	.ping = sock_ping,
	.pong = sock_pong,
	.close = fds_close,
};

static const struct mmt_ipc_transport unix_transport = {
	.name = "unix",
	.desc = "a Unix-domain socketpair (SOCK_STREAM) per consumer: send() and recv()",
	.probe = probe_always,
	.ops = &sock_ops,
};

/* ---- POSIX message queues --------------------------------------------------- */

/*
 * A queue per consumer (and one back for latency), opened and at once
 * unlinked, so no name outlives the run.  A queue has no end-of-file: a
 * blocked call uses a deadline, and when it passes the process checks its
 * peers and tries again.  The deadline is only renewed then, so the
 * common path reads no clock.
 */
static struct timespec mq_deadline;

static int mq_wait_expired(struct mmt__ipc_run *run)
{
	int rc = run->waiter.check ? run->waiter.check(run->waiter.arg) : 0;

	clock_gettime(CLOCK_REALTIME, &mq_deadline);
	mq_deadline.tv_nsec += (long)MMT__IPC_CHECK_NS;
	if (mq_deadline.tv_nsec >= 1000000000) {
		mq_deadline.tv_sec++;
		mq_deadline.tv_nsec -= 1000000000;
	}
	return rc;
}

/* The run the mq loops check their peers for (one per process). */
static struct mmt__ipc_run *mq_run;

static inline int mq_send_(int q, const struct mmt_ipc_record *rec)
{
	for (;;) {
		int rc;

		if (mq_timedsend(q, (const char *)rec, sizeof(*rec), 0, &mq_deadline) == 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno != ETIMEDOUT)
			return -errno;
		if ((rc = mq_wait_expired(mq_run)))
			return rc;
	}
}

static inline int mq_recv_(int q, struct mmt_ipc_record *rec)
{
	for (;;) {
		ssize_t n = mq_timedreceive(q, (char *)rec, sizeof(*rec), NULL, &mq_deadline);
		int rc;

		if (n == (ssize_t)sizeof(*rec))
			return 0;
		if (n >= 0)
			return -EIO;
		if (errno == EINTR)
			continue;
		if (errno != ETIMEDOUT)
			return -errno;
		if ((rc = mq_wait_expired(mq_run)))
			return rc;
	}
}

FD_LOOPS(mqt, mq_send_, mq_recv_)

/* The deepest queue this user may create: /proc/sys/fs/mqueue/msg_max. */
static long mq_max_depth(void)
{
	FILE *f = fopen("/proc/sys/fs/mqueue/msg_max", "r");
	long v = 10;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1 || v < 1)
			v = 10;
		fclose(f);
	}
	return v;
}

/* Open a fresh, already unlinked queue of depth messages; the descriptor
 * or -errno. */
static int mq_fresh(long depth)
{
	struct mq_attr attr = { .mq_maxmsg = depth, .mq_msgsize = sizeof(struct mmt_ipc_record) };
	char name[64];

	for (int tries = 0; tries < 16; tries++) {
		mqd_t q;

		snprintf(name, sizeof(name), "/mmaptimer-%ld-%llx", (long)getpid(),
			 (unsigned long long)(mmt_now_ns() * 0x9E3779B97F4A7C15ull));
		q = mq_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600, &attr);
		if (q == (mqd_t)-1) {
			if (errno == EEXIST)
				continue;
			return -errno;
		}
		mq_unlink(name);
		return (int)q;
	}
	return -EEXIST;
}

static int mq_probe(char *why, size_t whylen)
{
	int q = mq_fresh(1);

	if (q < 0) {
		snprintf(why, whylen, "cannot create a POSIX message queue: %s", strerror(-q));
		return MMT_EUNAVAIL;
	}
	mq_close(q);
	return 0;
}

static int mqt_open(struct mmt__ipc_run *run, struct mmt_error *err)
{
	long depth = mq_max_depth();
	int q;

	if ((long)run->job->slots < depth)
		depth = run->job->slots;
	mq_run = run;
	clock_gettime(CLOCK_REALTIME, &mq_deadline);
	for (unsigned i = 0; i < run->npeers; i++) {
		if ((q = mq_fresh(depth)) < 0)
			return mmt__error_set(err, q, "cannot create a POSIX message queue of %ld messages: %s",
					      depth, strerror(-q));
		run->fd[i][0] = q;
		run->fd[i][1] = -1;
	}
	if (run->mode == MMT_IPC_LATENCY) {
		if ((q = mq_fresh(depth)) < 0)
			return mmt__error_set(err, q, "cannot create a POSIX message queue of %ld messages: %s",
					      depth, strerror(-q));
		run->fd_back[0] = q;
	}
	return 0;
}

/* A queue descriptor serves both ends: the consumer keeps its own queue
 * (and the way back) and closes the others'. */
static void mqt_child_init(struct mmt__ipc_run *run, unsigned i)
{
	mq_run = run;
	for (unsigned j = 0; j < run->npeers; j++)
		if (j != i)
			close_fd(&run->fd[j][0]);
	run->fd[i][1] = run->fd[i][0];
	run->fd[i][0] = -1;
	run->fd_back[1] = run->fd_back[0];
	run->fd_back[0] = -1;
}

static void mqt_parent_init(struct mmt__ipc_run *run)
{
	mq_run = run;
}

static const struct mmt__ipc_ops mq_ops = {
	.open = mqt_open,
	.child_init = mqt_child_init,
	.parent_init = mqt_parent_init,
	.produce = mqt_produce,
	.consume = mqt_consume,
	.ping = mqt_ping,
	.pong = mqt_pong,
	.close = fds_close,
};

static const struct mmt_ipc_transport mq_transport = {
	.name = "mq",
	.desc = "a POSIX message queue per consumer: mq_send() and mq_receive() of each record",
	.probe = mq_probe,
	.ops = &mq_ops,
};

/* ---- the floor ---------------------------------------------------------------- */

/*
 * Two processes bounce one cache line: the pinger stores an odd number,
 * the ponger waits for it and stores the next even one.  Each one-way trip
 * is one cache-line transfer between cores and nothing else, the least any
 * shared-memory protocol can cost here.  Always spinning.
 */
#define FLOOR_TERM UINT64_MAX

/* The line lives in the run's control block (anonymous shared memory):
 * for one line the backing does not matter. */
static int floor_open(struct mmt__ipc_run *run, struct mmt_error *err)
{
	(void)err;
	run->line = &run->ctl->line;
	return 0;
}

static inline int floor_wait(struct mmt__ipc_run *run, uint64_t want)
{
	_Atomic uint64_t *v = &run->line->v;
	uint64_t last = 0;

	for (unsigned long n = 1;; n++) {
		uint64_t x = atomic_load_explicit(v, memory_order_acquire);

		if (x == want || x == FLOOR_TERM)
			return 0;
		mmt__cpu_relax();
		if ((n & 0xffff) == 0) {
			uint64_t t = mmt_now_ns();
			int rc;

			if (!last)
				last = t;
			else if (t - last >= MMT__IPC_CHECK_NS) {
				if (run->waiter.check && (rc = run->waiter.check(run->waiter.arg)))
					return rc;
				last = t;
			}
		}
	}
}

static int floor_ping(struct mmt__ipc_run *run)
{
	_Atomic uint64_t *v = &run->line->v;
	uint64_t n = run->messages, k = 0, warm = n / 10 < 1000 ? n / 10 : 1000, t0;
	uint64_t best = UINT64_MAX;
	int rc;

	/* Warm-up and batch size as in PING_LOOP. */
	for (unsigned c = 0; c < 10; c++) {
		uint64_t e = warm * (c + 1) / 10;

		t0 = mmt_now_ns();
		for (; k < e; k++) {
			atomic_store_explicit(v, 2 * k + 1, memory_order_release);
			if ((rc = floor_wait(run, 2 * k + 2)))
				return rc;
		}
		t0 = mmt_now_ns() - t0;
		if (warm >= 10 && t0 < best)
			best = t0;
	}
	if (!run->batch)
		run->batch = mmt__ipc_batch(warm >= 10 ? warm / 10 : 0, best);
	if (run->batch > n - k)
		run->batch = n - k > 0 ? (unsigned)(n - k) : 1;
	while (k < n) {
		uint64_t b = n - k < run->batch ? n - k : run->batch, e = k + b;

		t0 = mmt_now_ns();
		for (; k < e; k++) {
			atomic_store_explicit(v, 2 * k + 1, memory_order_release);
			if ((rc = floor_wait(run, 2 * k + 2)))
				return rc;
		}
		mmt__ipc_sample(run, t0, mmt_now_ns(), (unsigned)b);
	}
	atomic_store_explicit(v, FLOOR_TERM, memory_order_release);
	return 0;
}

static int floor_pong(struct mmt__ipc_run *run, struct mmt__ipc_tally *t)
{
	_Atomic uint64_t *v = &run->line->v;
	int rc;

	for (uint64_t k = 0;; k++) {
		if ((rc = floor_wait(run, 2 * k + 1)))
			return rc;
		if (atomic_load_explicit(v, memory_order_acquire) == FLOOR_TERM) {
			t->terms++;
			return 0;
		}
		t->count++;
		maybe_die(run, t);
		atomic_store_explicit(v, 2 * k + 2, memory_order_release);
	}
}

static int floor_unused(struct mmt__ipc_run *run)
{
	(void)run;
	return -ENOTSUP;
}

static int floor_unused_consume(struct mmt__ipc_run *run, unsigned i, struct mmt__ipc_tally *t)
{
	(void)run;
	(void)i;
	(void)t;
	return -ENOTSUP;
}

/* See ipc.h.  The driver gives the floor its line in the control block. */
const struct mmt__ipc_ops mmt__ipc_floor_ops = {
	.open = floor_open,
	.child_init = shm_child_init,
	.parent_init = nothing,
	.produce = floor_unused,
	.consume = floor_unused_consume,
	.ping = floor_ping,
	.pong = floor_pong,
	.close = nothing,
};

/* ---- the table ------------------------------------------------------------------ */

/* To add a transport, write its loops above (or in a file of its own) and
 * add a row here; the CLI, the reports and the tests pick it up. */
const struct mmt_ipc_transport *const mmt_ipc_transports[] = {
	&shm_transport,
	&pipe_transport,
	&unix_transport,
	&mq_transport,
	NULL,
};

/* See mmaptimer.h. */
const struct mmt_ipc_transport *mmt_ipc_transport_find(const char *name)
{
	for (size_t i = 0; mmt_ipc_transports[i]; i++)
		if (!strcmp(mmt_ipc_transports[i]->name, name))
			return mmt_ipc_transports[i];
	return NULL;
}
