/*
 * test-ipc.c - the shared slot ring between real processes (one and
 * several consumers, every waiting mode), its records and histogram, and
 * the ipc driver end to end: every transport verified, a lost record and
 * a killed consumer turned into errors, bad jobs refused.  The runner's
 * time limit turns a deadlock into a failure.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ipc/ipc.h"
#include "test.h"

TEST_IMPL(ipc_record_roundtrip)
{
	struct mmt_ipc_record rec;
	uint64_t seq = 0;

	for (uint64_t s = 0; s < 100000; s += 7) {
		mmt__ipc_record_make(&rec, s);
		ASSERT(mmt__ipc_record_check(&rec, &seq));
		ASSERT_EQ_U64(seq, s);
		ASSERT_EQ_INT(rec.status, MMT_IPC_FULL);
	}
	mmt__ipc_record_make(&rec, 12345);
	rec.text[3] ^= 1;
	ASSERT(!mmt__ipc_record_check(&rec, &seq));
	mmt__ipc_record_make(&rec, 12345);
	rec.v[2] += 1;
	ASSERT(!mmt__ipc_record_check(&rec, &seq));
	mmt__ipc_record_make(&rec, 12345);
	rec.v[0] = -1;
	ASSERT(!mmt__ipc_record_check(&rec, &seq));
	ASSERT(mmt__ipc_mix(1) != mmt__ipc_mix(2));
}

TEST_IMPL(ipc_hist_quantiles)
{
	static struct mmt__hist h;

	ASSERT(isnan(mmt__hist_quantile(&h, 0.5)));
	for (int i = 1; i <= 1000; i++)
		mmt__hist_add(&h, (double)i);
	ASSERT_EQ_U64(h.n, 1000);
	ASSERT_EQ_DBL(h.min, 1.0);
	ASSERT_EQ_DBL(h.max, 1000.0);
	/* Buckets are 1/32 of an octave: within about 2% of the truth. */
	ASSERT_MSG(fabs(mmt__hist_quantile(&h, 0.5) - 500) < 500 * 0.025, "median %g",
		   mmt__hist_quantile(&h, 0.5));
	ASSERT_MSG(fabs(mmt__hist_quantile(&h, 0.9) - 900) < 900 * 0.025, "p90 %g",
		   mmt__hist_quantile(&h, 0.9));
	ASSERT_MSG(fabs(mmt__hist_quantile(&h, 0.99) - 990) < 990 * 0.025, "p99 %g",
		   mmt__hist_quantile(&h, 0.99));
	ASSERT_EQ_DBL(mmt__hist_quantile(&h, 1.0), 1000.0);
	ASSERT_EQ_DBL(mmt__hist_quantile(&h, 0.0), 1.0);
	mmt__hist_add(&h, 0.01);
	mmt__hist_add(&h, 1e15);
	ASSERT_EQ_DBL(h.max, 1e15);
	ASSERT_EQ_DBL(mmt__hist_quantile(&h, 1.0), 1e15);
}

/* A ring and per-consumer tallies in one anonymous shared mapping. */
struct shared {
	struct mmt__ipc_tally tally[8];
	_Atomic uint32_t started;
	char pad[64];
};

static int no_check(void *arg)
{
	(void)arg;
	return 0;
}

/* Run the ring between this process (producer) and nc forked consumers:
 * n records, then a TERM for each; check every record arrived once. */
static void ring_between_processes(unsigned nc, uint32_t nslots, uint64_t n,
				   enum mmt_ipc_wait mode)
{
	size_t rlen = mmt__ring_size(nslots), len = sizeof(struct shared) + rlen;
	unsigned char *mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct shared *sh = (struct shared *)mem;
	struct mmt__ring *r = (struct mmt__ring *)(mem + ((sizeof(*sh) + 63) & ~(size_t)63));
	struct mmt__waiter w = { .mode = mode, .check = no_check };
	struct mmt__ring_pos pos = { 0, 0 };
	struct mmt_ipc_record rec;
	pid_t pids[8];
	uint64_t count = 0, mixsum = 0, checksum = 0, want_mix = 0, want_sum = 0;

	ASSERT(mem != MAP_FAILED);
	ASSERT(nc <= 8);
	mmt__ring_init(r, nslots, nc);
	for (unsigned i = 0; i < nc; i++) {
		pids[i] = fork();
		ASSERT(pids[i] >= 0);
		if (pids[i] == 0) {
			struct mmt__ring_pos cp = { 0, 0 };
			uint64_t last = 0;

			for (;;) {
				if (mmt__ring_get(r, &cp, &rec, &w))
					_exit(3);
				mmt__ipc_tally_add(&sh->tally[i], &rec, &last);
				if (rec.status == MMT_IPC_TERM)
					_exit(0);
			}
		}
	}
	for (uint64_t s = 0; s < n; s++) {
		mmt__ipc_record_make(&rec, s);
		want_mix += mmt__ipc_mix(s);
		want_sum += mmt_checksum((const unsigned char *)&rec, sizeof(rec));
		ASSERT_EQ_INT(mmt__ring_put(r, &pos, &rec, MMT_IPC_FULL, &w), 0);
	}
	for (unsigned i = 0; i < nc; i++)
		ASSERT_EQ_INT(mmt__ring_put(r, &pos, &rec, MMT_IPC_TERM, &w), 0);
	for (unsigned i = 0; i < nc; i++) {
		int st;

		ASSERT_EQ_INT(waitpid(pids[i], &st, 0), pids[i]);
		ASSERT_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 0, "consumer %u status %#x", i, st);
		/* TERM reaches every consumer, exactly once each. */
		ASSERT_EQ_U64(sh->tally[i].terms, 1);
		ASSERT_EQ_U64(sh->tally[i].bad, 0);
		/* Tickets are claimed in order, so each consumer's records
		 * arrive in increasing order. */
		ASSERT_EQ_U64(sh->tally[i].disorder, 0);
		count += sh->tally[i].count;
		mixsum += sh->tally[i].mixsum;
		checksum += sh->tally[i].checksum;
	}
	ASSERT_EQ_U64(count, n);
	ASSERT_EQ_U64(mixsum, want_mix);
	ASSERT_EQ_U64(checksum, want_sum);
	munmap(mem, len);
}

TEST_IMPL(ipc_ring_one_consumer)
{
	ring_between_processes(1, 16, 100000, MMT_IPC_WAIT_HYBRID);
	ring_between_processes(1, 1, 20000, MMT_IPC_WAIT_SLEEP);
	ring_between_processes(1, 7, 50000, MMT_IPC_WAIT_SPIN);
}

TEST_IMPL(ipc_ring_many_consumers)
{
	/* More processes than this machine may have cores: sleeping must
	 * keep them all moving, and no wake-up may be lost (a lost one
	 * hangs, and the runner's time limit fails the test). */
	ring_between_processes(4, 8, 20000, MMT_IPC_WAIT_SLEEP);
	ring_between_processes(4, 3, 20000, MMT_IPC_WAIT_HYBRID);
	ring_between_processes(3, 64, 10000, MMT_IPC_WAIT_HYBRID);
}

static int check_calls;
static int failing_check(void *arg)
{
	(void)arg;
	return ++check_calls >= 2 ? -EPIPE : 0;
}

TEST_IMPL(ipc_ring_wait_checks_peers)
{
	/* Nobody fills the ring: each waiting mode must call its check
	 * every ~100 ms and give up with the check's code. */
	static const enum mmt_ipc_wait modes[] = {
		MMT_IPC_WAIT_SPIN, MMT_IPC_WAIT_SLEEP, MMT_IPC_WAIT_HYBRID,
	};
	size_t len = mmt__ring_size(4);
	struct mmt__ring *r = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct mmt_ipc_record rec;

	ASSERT(r != MAP_FAILED);
	for (size_t m = 0; m < 3; m++) {
		struct mmt__waiter w = { .mode = modes[m], .check = failing_check };
		struct mmt__ring_pos p = { 0, 0 };
		uint64_t t0 = mmt_now_ns(), t;

		mmt__ring_init(r, 4, 1);
		check_calls = 0;
		ASSERT_EQ_INT(mmt__ring_get(r, &p, &rec, &w), -EPIPE);
		t = mmt_now_ns() - t0;
		ASSERT_EQ_INT(check_calls, 2);
		ASSERT_MSG(t < 2000000000ull, "gave up after %.3f s", (double)t / 1e9);
	}
	/* A full ring: the producer's wait gives up the same way. */
	{
		struct mmt__waiter w = { .mode = MMT_IPC_WAIT_HYBRID, .check = failing_check };
		struct mmt__ring_pos p = { 0, 0 };

		mmt__ring_init(r, 4, 1);
		mmt__ipc_record_make(&rec, 0);
		for (int i = 0; i < 4; i++)
			ASSERT_EQ_INT(mmt__ring_put(r, &p, &rec, MMT_IPC_FULL, &w), 0);
		check_calls = 0;
		ASSERT_EQ_INT(mmt__ring_put(r, &p, &rec, MMT_IPC_FULL, &w), -EPIPE);
	}
	munmap(r, len);
}

/* A small job over every transport. */
static void small_job(struct mmt_ipc_job *job)
{
	mmt_ipc_job_default(job);
	job->lat_messages = 300;
	job->thr_messages = 3000;
	job->runs = 2;
	job->dir = test_dir();
}

TEST_IMPL(ipc_job_check_errors)
{
	struct mmt_ipc_job job;
	struct mmt_error err = { 0 };

	small_job(&job);
	ASSERT_EQ_INT(mmt_ipc_job_check(&job, &err), 0);
	job.thr_messages = 0;
	ASSERT_EQ_INT(mmt_ipc_job_check(&job, &err), -EINVAL);
	ASSERT_CONTAINS(err.msg, "message count");
	small_job(&job);
	job.slots = 0;
	ASSERT_EQ_INT(mmt_ipc_job_check(&job, &err), -EINVAL);
	ASSERT_CONTAINS(err.msg, "slot count");
	small_job(&job);
	job.consumers = MMT_IPC_MAX_CONSUMERS + 1;
	ASSERT_EQ_INT(mmt_ipc_job_check(&job, &err), -EINVAL);
	ASSERT_CONTAINS(err.msg, "consumer count");
	small_job(&job);
	job.dir = "/nonexistent/dir";
	ASSERT_EQ_INT(mmt_ipc_job_check(&job, &err), -ENOENT);
	job.backing = MMT_IPC_BACKING_MEMFD;
	ASSERT_EQ_INT(mmt_ipc_job_check(&job, &err), 0);
	ASSERT(mmt_ipc_transport_find("shm") == mmt_ipc_transports[0]);
	ASSERT(mmt_ipc_transport_find("nope") == NULL);
}

/* No child of ours is left, running or zombie. */
static void assert_no_children(void)
{
	ASSERT_EQ_INT(waitpid(-1, NULL, WNOHANG), -1);
	ASSERT_EQ_INT(errno, ECHILD);
}

static void check_results(const struct mmt_ipc_job *job, const struct mmt_ipc_results *res)
{
	size_t want = job->ntransports * 2 + 1, i = 0;

	ASSERT_EQ_U64(res->nrows, want);
	ASSERT(res->rows[0].is_floor);
	ASSERT_STR_EQ(res->rows[0].name, "floor");
	for (i = 0; i < res->nrows; i++) {
		const struct mmt_ipc_result *r = &res->rows[i];

		if (!r->available) {
			ASSERT_MSG(r->why[0], "%s unavailable without a reason", r->name);
			continue;
		}
		ASSERT_MSG(r->verified, "%s not verified", r->name);
		ASSERT_EQ_INT(r->nruns, job->runs);
		if (r->mode == MMT_IPC_LATENCY) {
			ASSERT_MSG(r->median_ns > 0 && r->min_ns <= r->median_ns && r->median_ns <= r->p90_ns &&
					   r->p90_ns <= r->p99_ns && r->p99_ns <= r->p999_ns &&
					   r->p999_ns <= r->max_ns,
				   "%s: min %g median %g p90 %g p99 %g p99.9 %g max %g", r->name, r->min_ns,
				   r->median_ns, r->p90_ns, r->p99_ns, r->p999_ns, r->max_ns);
			ASSERT(r->batch >= 1);
			ASSERT(r->samples >= 1);
			ASSERT(r->floor_ratio > 0);
		} else {
			ASSERT(r->seconds > 0 && r->min_s <= r->seconds && r->seconds <= r->max_s);
			ASSERT(r->records_per_s > 0);
			ASSERT(r->pipe_ratio > 0);
		}
		ASSERT(r->placement[0]);
	}
}

TEST_IMPL(ipc_run_every_transport)
{
	struct mmt_ipc_job job;
	struct mmt_ipc_results res;
	struct mmt_error err = { 0 };

	small_job(&job);
	ASSERT_MSG(mmt_ipc_run(&job, &res, &err) == 0, "%s", err.msg);
	check_results(&job, &res);
	mmt_ipc_results_free(&res);
	assert_no_children();
	ASSERT_EQ_INT(test_count_entries(test_dir()), 0);
}

TEST_IMPL(ipc_run_consumers_memfd_sleep)
{
	struct mmt_ipc_job job;
	struct mmt_ipc_results res;
	struct mmt_error err = { 0 };

	small_job(&job);
	job.consumers = 3;
	job.slots = 5;
	job.runs = 1;
	job.backing = MMT_IPC_BACKING_MEMFD;
	job.wait = MMT_IPC_WAIT_SLEEP;
	ASSERT_MSG(mmt_ipc_run(&job, &res, &err) == 0, "%s", err.msg);
	check_results(&job, &res);
	mmt_ipc_results_free(&res);
	job.wait = MMT_IPC_WAIT_SPIN;
	job.consumers = 1;
	ASSERT_MSG(mmt_ipc_run(&job, &res, &err) == 0, "%s", err.msg);
	check_results(&job, &res);
	mmt_ipc_results_free(&res);
	assert_no_children();
}

TEST_IMPL(ipc_run_catches_duplicate)
{
	/* One record sent twice in place of the next: the counts agree, the
	 * sequence sums do not.  Every transport, both modes. */
	for (size_t t = 0; mmt_ipc_transports[t]; t++) {
		for (unsigned m = MMT_IPC_LATENCY; m <= MMT_IPC_THROUGHPUT; m <<= 1) {
			const struct mmt_ipc_transport *one[1] = { mmt_ipc_transports[t] };
			struct mmt_ipc_job job;
			struct mmt_ipc_results res;
			struct mmt_error err = { 0 };
			char why[192];

			if (one[0]->probe(why, sizeof(why)))
				continue;
			small_job(&job);
			job.transports = one;
			job.ntransports = 1;
			job.modes = m;
			job.runs = 1;
			job.test_duplicate = true;
			ASSERT_EQ_INT(mmt_ipc_run(&job, &res, &err), MMT_EVERIFY);
			ASSERT_MSG(strstr(err.msg, one[0]->name), "%s", err.msg);
			ASSERT(res.rows == NULL);
		}
	}
	assert_no_children();
}

TEST_IMPL(ipc_run_consumer_killed)
{
	/* A consumer killed mid-run: noticed within a couple of seconds,
	 * named, every other child reaped, nothing left in the directory. */
	for (size_t t = 0; mmt_ipc_transports[t]; t++) {
		for (unsigned m = MMT_IPC_LATENCY; m <= MMT_IPC_THROUGHPUT; m <<= 1) {
			const struct mmt_ipc_transport *one[1] = { mmt_ipc_transports[t] };
			struct mmt_ipc_job job;
			struct mmt_ipc_results res;
			struct mmt_error err = { 0 };
			char why[192];
			uint64_t t0;

			if (one[0]->probe(why, sizeof(why)))
				continue;
			small_job(&job);
			job.transports = one;
			job.ntransports = 1;
			job.modes = m;
			job.runs = 1;
			job.consumers = 2;
			job.lat_messages = 20000;
			job.thr_messages = 1000000;
			job.test_die_after = 100;
			t0 = mmt_now_ns();
			ASSERT_EQ_INT(mmt_ipc_run(&job, &res, &err), MMT_EPEERDIED);
			ASSERT_MSG(mmt_now_ns() - t0 < 2000000000ull, "%s: took %.2f s", one[0]->name,
				   (double)(mmt_now_ns() - t0) / 1e9);
			ASSERT_CONTAINS(err.msg, "consumer 1 ");
			ASSERT_CONTAINS(err.msg, "killed by signal 9");
			assert_no_children();
			ASSERT_EQ_INT(test_count_entries(test_dir()), 0);
		}
	}
}
