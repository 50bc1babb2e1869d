/*
 * ipc.h - what the ipc files share: the shared slot ring (its layout and
 * its inline fast paths), the waiting rules, the record's contents and the
 * operations table behind each transport.  Nothing here prints.
 */
#ifndef MMT_IPC_H
#define MMT_IPC_H

#include <stdalign.h>
#include <stdatomic.h>
#include <sys/types.h>

#include "core/internal.h"

#define MMT__CACHELINE 64

/*
 * Processes share these words through a mapping, so the atomics must be
 * lock-free (an address-free hardware operation): a lock-based atomic
 * would keep its lock in one process's memory.  Checked when building.
 */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomic int must be lock-free to share it between processes");
_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "atomic 64-bit words must be lock-free to share them between processes");
_Static_assert(sizeof(struct mmt_ipc_record) == 32, "the classic record is 32 bytes");

/* ---- the record ------------------------------------------------------ */

/* Fill *rec with record number seq: FULL, a 7-character string and three
 * doubles, each a function of seq (v[0] is seq itself, exact below 2^53). */
static inline void mmt__ipc_record_make(struct mmt_ipc_record *rec, uint64_t seq)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuv";

	rec->status = MMT_IPC_FULL;
	for (int i = 0; i < 7; i++)
		rec->text[i] = digits[(seq >> (5 * i)) & 31];
	rec->v[0] = (double)seq;
	rec->v[1] = (double)seq * 0.5;
	rec->v[2] = -(double)(seq & 0xffff);
}

/* Whether *rec is exactly what mmt__ipc_record_make() gives for its own
 * sequence number (in *seq). */
static inline bool mmt__ipc_record_check(const struct mmt_ipc_record *rec, uint64_t *seq)
{
	struct mmt_ipc_record want;
	double v = rec->v[0];

	if (!(v >= 0 && v < 9007199254740992.0))
		return false;
	*seq = (uint64_t)v;
	mmt__ipc_record_make(&want, *seq);
	want.status = rec->status;
	return !__builtin_memcmp(&want, rec, sizeof(want));
}

/* A 64-bit mix of a sequence number: summed over every record taken, it
 * tells whether each of 0..n-1 arrived exactly once (a loss and a
 * duplicate would have to cancel in 64 bits). */
static inline uint64_t mmt__ipc_mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

/* What a receiver counts, and the driver checks at the end. */
struct mmt__ipc_tally {
	uint64_t count;      /* FULL records taken */
	uint64_t mixsum;     /* sum of mmt__ipc_mix(seq) */
	uint64_t checksum;   /* sum of mmt_checksum() of each record's 32 bytes */
	uint64_t bad;        /* records whose contents did not match their seq */
	uint64_t disorder;   /* records that came before one they should follow */
	uint64_t terms;      /* TERM records seen (must be 1) */
};

/* Take one received record into t.  last is the previous seq + 1 (0 at
 * the start), for the order check: one sender's records arrive in order. */
static inline void mmt__ipc_tally_add(struct mmt__ipc_tally *t, const struct mmt_ipc_record *rec,
				      uint64_t *last)
{
	uint64_t seq;

	if (rec->status == MMT_IPC_TERM) {
		t->terms++;
		return;
	}
	t->count++;
	t->checksum += mmt_checksum((const unsigned char *)rec, sizeof(*rec));
	if (rec->status != MMT_IPC_FULL || !mmt__ipc_record_check(rec, &seq)) {
		t->bad++;
		return;
	}
	t->mixsum += mmt__ipc_mix(seq);
	if (seq < *last)
		t->disorder++;
	*last = seq + 1;
}

/* ---- waiting ------------------------------------------------------------ */

/* How long a wait goes between checks that the peers are still alive. */
#define MMT__IPC_CHECK_NS 100000000ull
/* Hybrid waiting spins this many times (a few microseconds) before it
 * sleeps: long enough to catch a peer that is about to answer, short
 * enough not to starve it when processes outnumber cores. */
#define MMT__IPC_HYBRID_SPINS 2048

/* How a process waits: the mode, and a check called every
 * MMT__IPC_CHECK_NS of waiting; a nonzero return ends the wait with it. */
struct mmt__waiter {
	enum mmt_ipc_wait mode;
	int (*check)(void *arg);
	void *arg;
};

static inline void mmt__cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

/* futex() on a 32-bit word that may be shared between processes (no
 * FUTEX_PRIVATE_FLAG).  wait: 0, or -errno (-EAGAIN when *word != val,
 * -ETIMEDOUT, -EINTR); wake returns the number woken. */
int mmt__futex_wait(_Atomic uint32_t *word, uint32_t val, uint64_t timeout_ns);
int mmt__futex_wake(_Atomic uint32_t *word, int n);

/* ---- the shared slot ring ------------------------------------------------ */

/*
 * A slot: its state word and the record.  The state is (ticket << 2) |
 * status: the producer may fill the slot for ticket t once its state is
 * (t << 2) | EMPTY, and stores (t << 2) | FULL (or TERM) with release
 * order after writing the record; the consumer holding ticket t waits for
 * that with acquire order, copies the record out and hands the slot on
 * with ((t + nslots) << 2) | EMPTY.  The ticket in the state is the
 * record's sequence number, so a slot can never be taken twice or for the
 * wrong turn.  A slot is one cache line so that neighbours do not share
 * one (false sharing).
 */
struct mmt__slot {
	_Atomic uint64_t state;
	struct mmt_ipc_record rec;
	char pad[MMT__CACHELINE - sizeof(uint64_t) - sizeof(struct mmt_ipc_record)];
};
_Static_assert(sizeof(struct mmt__slot) == MMT__CACHELINE, "a slot is one cache line");

/* An event word and its sleeper count, on a line of their own.  Waking
 * costs a system call only when someone sleeps (see mmt__ring_notify). */
struct mmt__event {
	alignas(MMT__CACHELINE) _Atomic uint32_t seq;
	_Atomic uint32_t sleepers;
};

struct mmt__ring {
	/* The next ticket a consumer claims, when there are several. */
	alignas(MMT__CACHELINE) _Atomic uint64_t tail;
	struct mmt__event filled;   /* a slot became FULL or TERM */
	struct mmt__event emptied;  /* a slot became EMPTY */
	/* Read-only after mmt__ring_init(). */
	alignas(MMT__CACHELINE) uint32_t nslots;
	uint32_t nconsumers;
	alignas(MMT__CACHELINE) struct mmt__slot slots[];
};

/* Bytes a ring of nslots slots needs. */
size_t mmt__ring_size(uint32_t nslots);

/* Lay out a ring in zeroed shared memory mem (mmt__ring_size() bytes,
 * cache-line aligned): every slot EMPTY for its first ticket. */
void mmt__ring_init(struct mmt__ring *r, uint32_t nslots, uint32_t nconsumers);

/* One side's position in the ring (private to its process). */
struct mmt__ring_pos {
	uint64_t ticket;
	uint32_t idx;              /* ticket % nslots */
};

/* Wait until *state satisfies the wanted condition: exactly `want`
 * (any_full false), or FULL/TERM for want's ticket (any_full true),
 * spinning and/or sleeping on ev as w says.  0, or the check's code. */
int mmt__ring_wait(_Atomic uint64_t *state, uint64_t want, bool any_full, struct mmt__event *ev,
		   const struct mmt__waiter *w);

/* After a release store a waiter may sleep for: wake the sleepers, if
 * any.  The seq_cst fence orders our store before the sleeper count we
 * read; the sleeper increments its count before re-checking the state
 * (mmt__ring_wait), so either it sees our store or we see it and wake it:
 * no wake-up is lost. */
static inline void mmt__ring_notify(struct mmt__event *ev)
{
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&ev->sleepers, memory_order_relaxed)) {
		atomic_fetch_add_explicit(&ev->seq, 1, memory_order_release);
		mmt__futex_wake(&ev->seq, 0x7fffffff);
	}
}

/* Producer: put *rec (with status FULL or TERM) in the next slot, waiting
 * for it to be EMPTY.  0, or the waiter's check code. */
static inline int mmt__ring_put(struct mmt__ring *r, struct mmt__ring_pos *p,
				const struct mmt_ipc_record *rec, unsigned status,
				const struct mmt__waiter *w)
{
	struct mmt__slot *s = &r->slots[p->idx];
	uint64_t want = p->ticket << 2 | MMT_IPC_EMPTY;

	if (atomic_load_explicit(&s->state, memory_order_acquire) != want) {
		int rc = mmt__ring_wait(&s->state, want, false, &r->emptied, w);

		if (rc)
			return rc;
	}
	s->rec = *rec;
	s->rec.status = (unsigned char)status;
	atomic_store_explicit(&s->state, p->ticket << 2 | status, memory_order_release);
	if (w->mode != MMT_IPC_WAIT_SPIN)
		mmt__ring_notify(&r->filled);
	p->ticket++;
	if (++p->idx == r->nslots)
		p->idx = 0;
	return 0;
}

/* Consumer: take the next record into *rec, waiting for it.  With one
 * consumer the tickets are simply consecutive; with several, each is
 * claimed from the shared tail.  0, or the waiter's check code. */
static inline int mmt__ring_get(struct mmt__ring *r, struct mmt__ring_pos *p,
				struct mmt_ipc_record *rec, const struct mmt__waiter *w)
{
	struct mmt__slot *s;
	uint64_t st;

	if (r->nconsumers > 1) {
		p->ticket = atomic_fetch_add_explicit(&r->tail, 1, memory_order_relaxed);
		p->idx = (uint32_t)(p->ticket % r->nslots);
	}
	s = &r->slots[p->idx];
	st = atomic_load_explicit(&s->state, memory_order_acquire);
	if (st >> 2 != p->ticket || (st & 3) == MMT_IPC_EMPTY) {
		int rc = mmt__ring_wait(&s->state, p->ticket << 2, true, &r->filled, w);

		if (rc)
			return rc;
	}
	*rec = s->rec;
	atomic_store_explicit(&s->state, (p->ticket + r->nslots) << 2 | MMT_IPC_EMPTY,
			      memory_order_release);
	if (w->mode != MMT_IPC_WAIT_SPIN)
		mmt__ring_notify(&r->emptied);
	if (r->nconsumers == 1) {
		p->ticket++;
		if (++p->idx == r->nslots)
			p->idx = 0;
	}
	return 0;
}

/* ---- the floor: one cache line bounced between two processes ----------- */

struct mmt__floor_line {
	alignas(MMT__CACHELINE) _Atomic uint64_t v;
	char pad[MMT__CACHELINE - sizeof(uint64_t)];
};

/* ---- transports ---------------------------------------------------------- */

/* One run's shared control block (an anonymous shared mapping): readiness,
 * each consumer's tally and finishing time, the run's parameters. */
struct mmt__ipc_peer {
	alignas(MMT__CACHELINE) _Atomic uint32_t ready;
	_Atomic uint32_t done;
	uint64_t t_done;            /* CLOCK_MONOTONIC ns when it took TERM */
	struct mmt__ipc_tally tally;
	int err;                    /* a negative code if its loop failed */
};

struct mmt__ipc_ctl {
	_Atomic uint32_t nready;    /* futex: peers ready */
	_Atomic uint32_t ndone;     /* futex: peers done */
	struct mmt__floor_line line;   /* the floor's cache line */
	struct mmt__ipc_peer peer[MMT_IPC_MAX_CONSUMERS];
};

/* Everything one run of one transport works with, in the producer and
 * (copied by fork) in each consumer. */
struct mmt__ipc_run {
	const struct mmt_ipc_job *job;
	enum mmt_ipc_mode mode;
	unsigned npeers;            /* consumers (throughput) or 1 (latency) */
	uint64_t messages;
	struct mmt__ipc_ctl *ctl;
	struct mmt__waiter waiter;  /* the process's own check */
	/* The transport's state; fds are -1 when closed. */
	int fd[MMT_IPC_MAX_CONSUMERS][2];   /* pipe/socket: [i][0] producer end, [i][1] consumer end */
	int fd_back[2];                     /* latency: the way back */
	int memfd;
	void *map;
	size_t maplen;
	struct mmt__ring *ring, *ring_back;
	struct mmt__floor_line *line;
	/* latency: the clock's batches into hist */
	unsigned batch;
	struct mmt__hist *hist;
	int64_t die_after;          /* this consumer's test hook, -1 */
};

/* A transport's loops.  open/close run in the producer before the fork
 * and after the children are reaped; child_init in each consumer (close
 * what is not its own); produce streams run->messages records to the
 * consumers and TERM to each; consume takes records until TERM; ping and
 * pong are the latency pair.  Each returns 0 or a negative code. */
struct mmt__ipc_ops {
	int (*open)(struct mmt__ipc_run *run, struct mmt_error *err);
	void (*child_init)(struct mmt__ipc_run *run, unsigned i);
	void (*parent_init)(struct mmt__ipc_run *run);
	int (*produce)(struct mmt__ipc_run *run);
	int (*consume)(struct mmt__ipc_run *run, unsigned i, struct mmt__ipc_tally *t);
	int (*ping)(struct mmt__ipc_run *run);
	int (*pong)(struct mmt__ipc_run *run, struct mmt__ipc_tally *t);
	void (*close)(struct mmt__ipc_run *run);
};

/* The floor's loops (not a transport a user picks). */
extern const struct mmt__ipc_ops mmt__ipc_floor_ops;

/* Map a ring of nslots for the job's backing into run->map (file in dir
 * or memfd); the name of a file is registered for signal cleanup and the
 * file unlinked as soon as it is mapped.  0 or -errno with err filled. */
int mmt__ipc_map(struct mmt__ipc_run *run, size_t len, struct mmt_error *err);
void mmt__ipc_unmap(struct mmt__ipc_run *run);

/* ---- latency histogram ------------------------------------------------- */

/* Log-linear buckets of nanoseconds: 32 per octave from 1/16 ns to 2^40 ns. */
#define MMT__HIST_SUB 32
#define MMT__HIST_OCT 45
struct mmt__hist {
	uint64_t n;
	double min, max;
	uint64_t b[MMT__HIST_OCT * MMT__HIST_SUB];
};
void mmt__hist_add(struct mmt__hist *h, double ns);
/* The value below which a share q (0..1) of the samples lie: the middle
 * of that sample's bucket, clamped to [min, max]. */
double mmt__hist_quantile(const struct mmt__hist *h, double q);

/* Round trips per timed batch, from warm-up round trips that took ns in
 * all: enough that two clock reads stay under 1% of a batch. */
unsigned mmt__ipc_batch(uint64_t warm, uint64_t ns);

/* Add one latency batch: called by ping loops. */
static inline void mmt__ipc_sample(struct mmt__ipc_run *run, uint64_t t0, uint64_t t1, unsigned n)
{
	mmt__hist_add(run->hist, (double)(t1 - t0) / (2.0 * n));
}

#endif
