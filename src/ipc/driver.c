/*
 * driver.c - the ipc driver: for every mode, run and transport, fork the
 * peers over fresh channels, pin them where there are cores enough, time
 * the exchange, watch for peers that die, verify that every record arrived
 * exactly once, and gather latency histograms and throughput figures.
 * Children are always killed and reaped before it returns.
 */
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ipc/ipc.h"

/* The children of the run in progress, for mmt_ipc_cleanup_async(). */
static pid_t kids[MMT_IPC_MAX_CONSUMERS];
static volatile sig_atomic_t nkids;

/* See mmaptimer.h.  kill() and waitpid() are async-signal-safe. */
void mmt_ipc_cleanup_async(void)
{
	int n = nkids;

	nkids = 0;
	for (int i = 0; i < n; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGKILL);
	for (int i = 0; i < n; i++)
		if (kids[i] > 0)
			waitpid(kids[i], NULL, 0);
	mmt_tempfile_cleanup_async();
}

/* See mmaptimer.h. */
void mmt_ipc_job_default(struct mmt_ipc_job *job)
{
	static const struct mmt_ipc_transport *all[8];
	size_t n = 0;

	memset(job, 0, sizeof(*job));
	for (size_t i = 0; mmt_ipc_transports[i] && n < 8; i++)
		all[n++] = mmt_ipc_transports[i];
	job->transports = all;
	job->ntransports = n;
	job->modes = MMT_IPC_LATENCY | MMT_IPC_THROUGHPUT;
	job->lat_messages = 10000;
	job->thr_messages = 100000;
	job->consumers = 1;
	job->slots = 256;
	job->runs = 3;
	job->wait = MMT_IPC_WAIT_HYBRID;
	job->backing = MMT_IPC_BACKING_FILE;
	job->dir = ".";
	job->pin = true;
	job->test_die_after = -1;
}

/* See mmaptimer.h. */
int mmt_ipc_job_check(const struct mmt_ipc_job *job, struct mmt_error *err)
{
	struct stat st;

	if (!job->ntransports)
		return mmt__error_set(err, -EINVAL, "no transport to measure");
	if (!(job->modes & (MMT_IPC_LATENCY | MMT_IPC_THROUGHPUT)))
		return mmt__error_set(err, -EINVAL, "no mode to measure");
	if (job->lat_messages < 1 || job->thr_messages < 1)
		return mmt__error_set(err, -EINVAL, "invalid message count 0: at least 1");
	if (job->lat_messages >= (1ull << 52) || job->thr_messages >= (1ull << 52))
		return mmt__error_set(err, -EINVAL, "too many messages: at most 2^52 - 1");
	if (job->consumers < 1 || job->consumers > MMT_IPC_MAX_CONSUMERS)
		return mmt__error_set(err, -EINVAL, "invalid consumer count %u: from 1 to %d",
				      job->consumers, MMT_IPC_MAX_CONSUMERS);
	if (job->slots < 1 || job->slots > MMT_IPC_MAX_SLOTS)
		return mmt__error_set(err, -EINVAL, "invalid slot count %u: from 1 to %u", job->slots,
				      MMT_IPC_MAX_SLOTS);
	if (job->runs < 1)
		return mmt__error_set(err, -EINVAL, "invalid run count 0: at least 1");
	if (job->backing == MMT_IPC_BACKING_FILE) {
		if (stat(job->dir, &st))
			return mmt__error_set(err, -errno, "cannot use directory '%s': %s", job->dir,
					      strerror(errno));
		if (!S_ISDIR(st.st_mode))
			return mmt__error_set(err, -ENOTDIR, "cannot use directory '%s': %s", job->dir,
					      strerror(ENOTDIR));
		if (access(job->dir, W_OK | X_OK))
			return mmt__error_set(err, -errno, "cannot use directory '%s': %s", job->dir,
					      strerror(errno));
	}
	return 0;
}

/* See ipc.h. */
unsigned mmt__ipc_batch(uint64_t warm, uint64_t ns)
{
	static double clock_ns;
	double rtt;
	unsigned b = 1;

	if (clock_ns == 0) {
		struct mmt_clock_info ci;

		mmt_clock_info(&ci);
		clock_ns = ci.read_cost_ns > 0 ? ci.read_cost_ns : 20;
	}
	if (warm == 0)
		return 64;
	rtt = (double)ns / (double)warm;
	while (b < 4096 && (double)b * rtt < 200.0 * clock_ns)
		b <<= 1;
	return b;
}

/* ---- one run ------------------------------------------------------------- */

struct watch {
	struct mmt__ipc_run *run;
	pid_t pid[MMT_IPC_MAX_CONSUMERS];
	bool reaped[MMT_IPC_MAX_CONSUMERS];
	int status[MMT_IPC_MAX_CONSUMERS];
	int dead;                   /* the peer found dead, or -1 */
	pid_t parent;               /* in a child: its parent */
};

/* The producer's check: has a peer ended before handing in its tally? */
static int parent_check(void *arg)
{
	struct watch *w = arg;

	for (unsigned i = 0; i < w->run->npeers; i++) {
		int st;

		if (w->reaped[i] || w->pid[i] <= 0)
			continue;
		if (waitpid(w->pid[i], &st, WNOHANG) == w->pid[i]) {
			w->reaped[i] = true;
			w->status[i] = st;
			if (!atomic_load_explicit(&w->run->ctl->peer[i].done, memory_order_acquire) ||
			    !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
				w->dead = (int)i;
				return MMT_EPEERDIED;
			}
		}
	}
	return 0;
}

/* A peer's check: is the producer still there?  (PR_SET_PDEATHSIG kills
 * us when it goes, this covers the moment before that was set.) */
static int child_check(void *arg)
{
	struct watch *w = arg;

	return getppid() != w->parent ? -EPIPE : 0;
}

/* Wait until *word reaches n, checking the peers as we go. */
static int wait_count(_Atomic uint32_t *word, uint32_t n, struct watch *w)
{
	for (;;) {
		uint32_t v = atomic_load_explicit(word, memory_order_acquire);
		int rc;

		if (v >= n)
			return 0;
		mmt__futex_wait(word, v, MMT__IPC_CHECK_NS);
		if ((rc = parent_check(w)))
			return rc;
	}
}

/* CPUs this process may run on, in *cpus (at most cap); their count. */
static unsigned allowed_cpus(int *cpus, unsigned cap, cpu_set_t *set)
{
	unsigned n = 0;

	if (sched_getaffinity(0, sizeof(*set), set))
		return 0;
	for (int c = 0; c < CPU_SETSIZE && n < cap; c++)
		if (CPU_ISSET(c, set))
			cpus[n++] = c;
	return n;
}

static void pin_to(int cpu)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	sched_setaffinity(0, sizeof(s), &s);
}

/* Describe the chosen placement, or why there is none. */
static void describe_placement(char *buf, size_t len, bool pinned, const int *cpus, unsigned ncpu,
			       unsigned nproc, bool asked)
{
	int n;

	if (!asked) {
		snprintf(buf, len, "not pinned (--no-pin)");
		return;
	}
	if (!pinned) {
		snprintf(buf, len, "not pinned: %u processes, %u CPUs allowed", nproc, ncpu);
		return;
	}
	n = snprintf(buf, len, "producer cpu %d, %s cpu", cpus[0], nproc > 2 ? "consumers" : "peer");
	for (unsigned i = 1; i < nproc && n > 0 && (size_t)n < len; i++)
		n += snprintf(buf + n, len - (size_t)n, "%s%d", i > 1 ? "," : " ", cpus[i]);
}

/* The child's side of a run: never returns. */
static _Noreturn void child(struct mmt__ipc_run *run, const struct mmt__ipc_ops *ops, unsigned i,
			    pid_t parent, int cpu)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct mmt__ipc_peer *me = &run->ctl->peer[i];
	struct mmt__ipc_tally t = { 0 };
	struct watch w = { .run = run, .dead = -1, .parent = parent };
	int rc;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	/* The front end's handlers clean up for the whole tool: a child
	 * interrupted with it simply dies (ignored signals stay ignored). */
	for (size_t k = 0; k < sizeof(sigs) / sizeof(sigs[0]); k++) {
		struct sigaction old;

		if (sigaction(sigs[k], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			signal(sigs[k], SIG_DFL);
	}
	if (cpu >= 0)
		pin_to(cpu);
	ops->child_init(run, i);
	run->waiter.check = child_check;
	run->waiter.arg = &w;
	run->die_after = i == 0 && ops != &mmt__ipc_floor_ops ? run->job->test_die_after : -1;
	atomic_store_explicit(&me->ready, 1, memory_order_release);
	atomic_fetch_add_explicit(&run->ctl->nready, 1, memory_order_release);
	mmt__futex_wake(&run->ctl->nready, 1);
	rc = run->mode == MMT_IPC_LATENCY ? ops->pong(run, &t) : ops->consume(run, i, &t);
	me->t_done = mmt_now_ns();
	me->tally = t;
	me->err = rc;
	atomic_store_explicit(&me->done, 1, memory_order_release);
	atomic_fetch_add_explicit(&run->ctl->ndone, 1, memory_order_release);
	mmt__futex_wake(&run->ctl->ndone, 1);
	_exit(rc ? 1 : 0);
}

/* "killed by signal 9 (Killed)" or "exited with status 3". */
static void describe_status(int st, char *buf, size_t len)
{
	if (WIFSIGNALED(st))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
	else if (WIFEXITED(st))
		snprintf(buf, len, "exited with status %d before it finished", WEXITSTATUS(st));
	else
		snprintf(buf, len, "ended (status %#x)", st);
}

/* What the run was to deliver: expected sums over records 0..n-1. */
struct expect {
	uint64_t n, mixsum, checksum;
};

static void expect_for(struct expect *e, uint64_t n)
{
	struct mmt_ipc_record rec;

	if (e->n == n)
		return;
	e->n = n;
	e->mixsum = e->checksum = 0;
	for (uint64_t s = 0; s < n; s++) {
		mmt__ipc_record_make(&rec, s);
		e->mixsum += mmt__ipc_mix(s);
		e->checksum += mmt_checksum((const unsigned char *)&rec, sizeof(rec));
	}
}

/* Every record delivered exactly once, intact, and TERM to every peer?
 * 0 or MMT_EVERIFY with err saying what went wrong. */
static int verify(const struct mmt__ipc_run *run, const char *what, struct expect *e,
		  bool floor, struct mmt_error *err)
{
	uint64_t count = 0, mixsum = 0, checksum = 0;

	for (unsigned i = 0; i < run->npeers; i++) {
		const struct mmt__ipc_tally *t = &run->ctl->peer[i].tally;

		if (t->terms != 1)
			return mmt__error_set(err, MMT_EVERIFY, "%s: consumer %u saw %llu TERM records, not 1",
					      what, i + 1, (unsigned long long)t->terms);
		if (t->bad)
			return mmt__error_set(err, MMT_EVERIFY, "%s: consumer %u received %llu damaged records",
					      what, i + 1, (unsigned long long)t->bad);
		count += t->count;
		mixsum += t->mixsum;
		checksum += t->checksum;
	}
	if (count != run->messages)
		return mmt__error_set(err, MMT_EVERIFY, "%s: %llu records delivered, %llu sent", what,
				      (unsigned long long)count, (unsigned long long)run->messages);
	if (floor)
		return 0;
	/* Computed here, after the run, so that a long run starts at once. */
	expect_for(e, run->messages);
	if (mixsum != e->mixsum || checksum != e->checksum)
		return mmt__error_set(err, MMT_EVERIFY,
				      "%s: the records delivered are not each of the %llu sent exactly once "
				      "(sequence or payload checksum mismatch)",
				      what, (unsigned long long)run->messages);
	for (unsigned i = 0; i < run->npeers; i++)
		if (run->ctl->peer[i].tally.disorder)
			return mmt__error_set(err, MMT_EVERIFY, "%s: consumer %u received %llu records out of order",
					      what, i + 1, (unsigned long long)run->ctl->peer[i].tally.disorder);
	return 0;
}

/* Per-run measurements that one_run hands back. */
struct run_out {
	double seconds;       /* throughput: first record sent to last TERM taken */
	double csw;           /* voluntary + involuntary context switches, all processes */
	char placement[160];
};

static double csw_of(int who)
{
	struct rusage ru;

	if (getrusage(who, &ru))
		return 0;
	return (double)ru.ru_nvcsw + (double)ru.ru_nivcsw;
}

/*
 * One run of one transport (ops) in one mode: open its channels, fork the
 * peers, time the exchange, reap, verify.  On any failure every child is
 * killed and reaped and every channel closed before returning.
 */
static int one_run(const struct mmt_ipc_job *job, const char *name, const struct mmt__ipc_ops *ops,
		   enum mmt_ipc_mode mode, struct mmt__hist *hist, unsigned *batch,
		   struct expect *e, struct run_out *out, struct mmt_error *err)
{
	struct mmt__ipc_run run;
	struct watch w;
	char what[96], st[128];
	int cpus[MMT_IPC_MAX_CONSUMERS + 1];
	cpu_set_t saved;
	unsigned ncpu, nproc;
	bool pinned, floor = ops == &mmt__ipc_floor_ops;
	double csw0, cswc0;
	uint64_t t0, t1 = 0;
	pid_t self = getpid();
	int rc;

	memset(&run, 0, sizeof(run));
	memset(&w, 0, sizeof(w));
	w.run = &run;
	w.dead = -1;
	run.job = job;
	run.mode = mode;
	run.npeers = mode == MMT_IPC_LATENCY ? 1 : job->consumers;
	run.messages = mode == MMT_IPC_LATENCY ? job->lat_messages : job->thr_messages;
	run.memfd = -1;
	run.hist = hist;
	run.batch = *batch;
	run.die_after = -1;
	for (unsigned i = 0; i < MMT_IPC_MAX_CONSUMERS; i++)
		run.fd[i][0] = run.fd[i][1] = -1;
	run.fd_back[0] = run.fd_back[1] = -1;
	snprintf(what, sizeof(what), "%s %s run", name, mode == MMT_IPC_LATENCY ? "latency" : "throughput");

	run.ctl = mmap(NULL, sizeof(*run.ctl), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (run.ctl == MAP_FAILED)
		return mmt__error_set(err, -errno, "cannot map the control block: %s", strerror(errno));
	if ((rc = ops->open(&run, err)))
		goto out_close;

	/* Pin the producer and each peer to a core of its own when there
	 * are enough: otherwise the scheduler moves them, and a spinning
	 * wait may share a core with the process it waits for. */
	nproc = run.npeers + 1;
	ncpu = allowed_cpus(cpus, MMT_IPC_MAX_CONSUMERS + 1, &saved);
	pinned = job->pin && ncpu >= nproc;
	describe_placement(out->placement, sizeof(out->placement), pinned, cpus, ncpu, nproc, job->pin);

	csw0 = csw_of(RUSAGE_SELF);
	cswc0 = csw_of(RUSAGE_CHILDREN);
	for (unsigned i = 0; i < run.npeers; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			rc = mmt__error_set(err, -errno, "%s: cannot start consumer %u: %s", what, i + 1,
					    strerror(errno));
			goto out_kill;
		}
		if (pid == 0)
			child(&run, ops, i, self, pinned ? cpus[1 + i] : -1);
		w.pid[i] = pid;
		kids[i] = pid;
		nkids = (sig_atomic_t)(i + 1);
	}
	ops->parent_init(&run);
	if (pinned)
		pin_to(cpus[0]);
	run.waiter = (struct mmt__waiter){ .mode = job->wait, .check = parent_check, .arg = &w };
	if ((rc = wait_count(&run.ctl->nready, run.npeers, &w)))
		goto out_dead;

	t0 = mmt_now_ns();
	rc = mode == MMT_IPC_LATENCY ? ops->ping(&run) : ops->produce(&run);
	if (rc) {
		/* A peer's death shows first as a broken channel (EPIPE, end of
		 * file): name the peer, not the symptom. */
		for (int tries = 0; tries < 20 && w.dead < 0 && !parent_check(&w); tries++)
			usleep(50000);
		if (w.dead >= 0)
			goto out_dead;
		if (rc == MMT_EVERIFY)
			rc = mmt__error_set(err, rc, "%s: a record came back different from the one sent", what);
		else
			rc = mmt__error_set(err, rc, "%s: %s", what, mmt_strerror(rc));
		goto out_kill;
	}
	if ((rc = wait_count(&run.ctl->ndone, run.npeers, &w)))
		goto out_dead;
	for (unsigned i = 0; i < run.npeers; i++)
		if (run.ctl->peer[i].t_done > t1)
			t1 = run.ctl->peer[i].t_done;
	out->seconds = (double)(t1 - t0) / 1e9;

	/* Every peer has handed in its tally and is exiting: reap them. */
	for (unsigned i = 0; i < run.npeers; i++) {
		if (!w.reaped[i]) {
			waitpid(w.pid[i], &w.status[i], 0);
			w.reaped[i] = true;
		}
	}
	nkids = 0;
	out->csw = csw_of(RUSAGE_SELF) - csw0 + csw_of(RUSAGE_CHILDREN) - cswc0;
	for (unsigned i = 0; i < run.npeers; i++) {
		if (run.ctl->peer[i].err) {
			rc = mmt__error_set(err, run.ctl->peer[i].err, "%s: consumer %u failed: %s", what,
					    i + 1, mmt_strerror(run.ctl->peer[i].err));
			goto out_restore;
		}
		if (!WIFEXITED(w.status[i]) || WEXITSTATUS(w.status[i])) {
			describe_status(w.status[i], st, sizeof(st));
			rc = mmt__error_set(err, MMT_EPEERDIED, "%s: consumer %u (pid %ld) %s", what, i + 1,
					    (long)w.pid[i], st);
			goto out_restore;
		}
	}
	*batch = run.batch;
	rc = verify(&run, what, e, floor, err);
	goto out_restore;

out_dead:
	if (w.dead >= 0) {
		describe_status(w.status[w.dead], st, sizeof(st));
		rc = mmt__error_set(err, MMT_EPEERDIED, "%s: consumer %d of %u (pid %ld) died: %s", what,
				    w.dead + 1, run.npeers, (long)w.pid[w.dead], st);
	}
out_kill:
	for (unsigned i = 0; i < run.npeers; i++)
		if (w.pid[i] > 0 && !w.reaped[i])
			kill(w.pid[i], SIGKILL);
	for (unsigned i = 0; i < run.npeers; i++)
		if (w.pid[i] > 0 && !w.reaped[i]) {
			waitpid(w.pid[i], NULL, 0);
			w.reaped[i] = true;
		}
	nkids = 0;
out_restore:
	if (pinned)
		sched_setaffinity(0, sizeof(saved), &saved);
out_close:
	ops->close(&run);
	munmap(run.ctl, sizeof(*run.ctl));
	return rc;
}

/* ---- the whole job --------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of v[0..n-1], v left as it is; NAN when n is 0 or no memory. */
static double median_of(const double *v, unsigned n)
{
	double *tmp = n ? malloc(n * sizeof(*v)) : NULL, m;

	if (!tmp)
		return NAN;
	memcpy(tmp, v, n * sizeof(*v));
	qsort(tmp, n, sizeof(*tmp), cmp_double);
	m = n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
	free(tmp);
	return m;
}

/* See mmaptimer.h. */
void mmt_ipc_results_free(struct mmt_ipc_results *res)
{
	if (!res->rows)
		return;
	for (size_t i = 0; i < res->nrows; i++)
		free(res->rows[i].runs);
	free(res->rows);
	res->rows = NULL;
	res->nrows = 0;
}

/* See mmaptimer.h. */
int mmt_ipc_run(const struct mmt_ipc_job *job, struct mmt_ipc_results *res, struct mmt_error *err)
{
	static const enum mmt_ipc_mode modes[] = { MMT_IPC_LATENCY, MMT_IPC_THROUGHPUT };
	struct sigaction ign = { .sa_handler = SIG_IGN }, oldpipe;
	struct mmt__hist **hists = NULL;
	double *csw = NULL;
	size_t nrows = 0, r0;
	struct expect e = { .n = (uint64_t)-1 };
	int rc;

	memset(res, 0, sizeof(*res));
	if ((rc = mmt_ipc_job_check(job, err)))
		return rc;
	for (size_t m = 0; m < 2; m++)
		if (job->modes & modes[m])
			nrows += job->ntransports + (modes[m] == MMT_IPC_LATENCY);
	res->rows = calloc(nrows, sizeof(*res->rows));
	hists = calloc(nrows, sizeof(*hists));
	csw = calloc(nrows * job->runs, sizeof(*csw));
	if (!res->rows || !hists || !csw) {
		rc = mmt__error_set(err, -ENOMEM, "out of memory");
		goto done;
	}
	res->nrows = nrows;

	/* Rows: per mode, the floor first (latency), then the transports. */
	r0 = 0;
	for (size_t m = 0; m < 2; m++) {
		if (!(job->modes & modes[m]))
			continue;
		for (size_t t = 0; t < job->ntransports + (modes[m] == MMT_IPC_LATENCY); t++) {
			struct mmt_ipc_result *row = &res->rows[r0++];
			bool isfloor = modes[m] == MMT_IPC_LATENCY && t == 0;
			const struct mmt_ipc_transport *tr =
				isfloor ? NULL : job->transports[t - (modes[m] == MMT_IPC_LATENCY)];

			row->name = isfloor ? "floor" : tr->name;
			row->is_floor = isfloor;
			row->mode = modes[m];
			row->messages = modes[m] == MMT_IPC_LATENCY ? job->lat_messages : job->thr_messages;
			row->floor_ratio = row->pipe_ratio = NAN;
			row->available = isfloor || tr->probe(row->why, sizeof(row->why)) == 0;
			row->runs = calloc(job->runs, sizeof(double));
			hists[r0 - 1] = calloc(1, sizeof(struct mmt__hist));
			if (!row->runs || !hists[r0 - 1]) {
				rc = mmt__error_set(err, -ENOMEM, "out of memory");
				goto done;
			}
		}
	}

	/* A consumer that dies makes writes to its pipe fail with EPIPE
	 * instead of killing the tool; restored before returning. */
	sigaction(SIGPIPE, &ign, &oldpipe);
	r0 = 0;
	for (size_t m = 0; m < 2 && !rc; m++) {
		size_t first = r0, n;

		if (!(job->modes & modes[m]))
			continue;
		n = job->ntransports + (modes[m] == MMT_IPC_LATENCY);
		r0 += n;
		for (unsigned run = 0; run < job->runs && !rc; run++) {
			/* The floor first, then each transport in turn, the order
			 * rotated every run so that drift hits all alike. */
			for (size_t k = 0; k < n && !rc; k++) {
				size_t idx = modes[m] == MMT_IPC_LATENCY
						     ? (k == 0 ? 0 : 1 + (k - 1 + run) % (n - 1))
						     : (k + run) % n;
				struct mmt_ipc_result *row = &res->rows[first + idx];
				const struct mmt__ipc_ops *ops =
					row->is_floor ? &mmt__ipc_floor_ops
						      : job->transports[idx - (modes[m] == MMT_IPC_LATENCY)]->ops;
				struct run_out o = { 0 };
				struct mmt__hist one = { 0 };

				if (!row->available)
					continue;
				rc = one_run(job, row->name, ops, modes[m], &one, &row->batch, &e, &o, err);
				if (rc)
					break;
				snprintf(row->placement, sizeof(row->placement), "%s", o.placement);
				csw[(first + idx) * job->runs + run] = o.csw;
				if (modes[m] == MMT_IPC_LATENCY) {
					struct mmt__hist *h = hists[first + idx];

					row->runs[run] = mmt__hist_quantile(&one, 0.5);
					for (size_t b = 0; b < MMT__HIST_OCT * MMT__HIST_SUB; b++)
						h->b[b] += one.b[b];
					if (h->n == 0 || one.min < h->min)
						h->min = one.min;
					if (h->n == 0 || one.max > h->max)
						h->max = one.max;
					h->n += one.n;
				} else {
					row->runs[run] = o.seconds;
				}
				row->nruns = run + 1;
			}
		}
	}
	sigaction(SIGPIPE, &oldpipe, NULL);
	if (rc)
		goto done;

	/* Summaries, and each row against the floor or the pipe. */
	{
		double floor_median = NAN, pipe_rps = NAN;

		for (size_t i = 0; i < nrows; i++) {
			struct mmt_ipc_result *row = &res->rows[i];
			const struct mmt__hist *h = hists[i];
			double c = median_of(&csw[i * job->runs], job->runs);

			row->verified = row->available;
			if (!row->available)
				continue;
			if (row->mode == MMT_IPC_LATENCY) {
				row->samples = h->n;
				row->min_ns = h->min;
				row->median_ns = mmt__hist_quantile(h, 0.5);
				row->p90_ns = mmt__hist_quantile(h, 0.9);
				row->p99_ns = mmt__hist_quantile(h, 0.99);
				row->p999_ns = mmt__hist_quantile(h, 0.999);
				row->max_ns = h->max;
				if (row->is_floor)
					floor_median = row->median_ns;
				row->floor_ratio = row->median_ns / floor_median;
				row->csw_per_record = c / (2.0 * (double)row->messages);
			} else {
				double lo = row->runs[0], hi = row->runs[0];

				for (unsigned k = 1; k < row->nruns; k++) {
					lo = row->runs[k] < lo ? row->runs[k] : lo;
					hi = row->runs[k] > hi ? row->runs[k] : hi;
				}
				row->seconds = median_of(row->runs, row->nruns);
				row->min_s = lo;
				row->max_s = hi;
				row->records_per_s = (double)row->messages / row->seconds;
				row->mb_per_s = row->records_per_s * (double)sizeof(struct mmt_ipc_record) / 1e6;
				row->csw_per_record = c / (double)row->messages;
				if (!strcmp(row->name, "pipe"))
					pipe_rps = row->records_per_s;
			}
		}
		for (size_t i = 0; i < nrows; i++)
			if (res->rows[i].mode == MMT_IPC_THROUGHPUT && res->rows[i].available)
				res->rows[i].pipe_ratio = res->rows[i].records_per_s / pipe_rps;
	}
done:
	if (hists)
		for (size_t i = 0; i < nrows; i++)
			free(hists[i]);
	free(hists);
	free(csw);
	if (rc)
		mmt_ipc_results_free(res);
	return rc;
}
