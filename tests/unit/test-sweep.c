/*
 * test-sweep.c - mmt_sweep() end to end in the test's directory with small
 * files: every point filled and verified, the system-call counts the
 * methods report, corruption caught, progress and cancellation, and no
 * file left behind whatever happens.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "test.h"

/* Every method of the table, in table order. */
/* Every method that can write files, in table order. */
static size_t all_methods(const struct mmt_method **out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; mmt_methods[i] && n < cap; i++)
		if (mmt_methods[i]->ops & MMT_OP_WRITE)
			out[n++] = mmt_methods[i];
	return n;
}

static void job_init(struct mmt_job *job, uint64_t size, const uint64_t *chunks, size_t nchunks,
		     const struct mmt_method *const *methods, size_t nmethods, unsigned runs)
{
	memset(job, 0, sizeof(*job));
	job->op = MMT_OP_WRITE;
	job->size = size;
	job->chunks = chunks;
	job->nchunks = nchunks;
	job->methods = methods;
	job->nmethods = nmethods;
	job->runs = runs;
	job->dir = test_dir();
	job->test_corrupt_at = -1;
}

/* Check the shape of a successful sweep's results against its job.
 * Points a method could not run have no runs' figures, only a reason. */
static void check_results(const struct mmt_job *job, const struct mmt_results *res)
{
	ASSERT_EQ_U64(res->nchunks, job->nchunks);
	ASSERT_EQ_U64(res->nmethods, job->nmethods);
	ASSERT_EQ_U64(res->npoints, job->nchunks * job->nmethods);
	ASSERT(res->points);
	for (size_t i = 0; i < res->npoints; i++) {
		const struct mmt_point *p = &res->points[i];
		bool file = !(p->method->flags & MMT_METHOD_NOFILE);

		/* Chunk-major: index = chunk * nmethods + method. */
		ASSERT(p->method == job->methods[i % job->nmethods]);
		ASSERT_EQ_U64(p->chunk, job->chunks[i / job->nmethods]);
		ASSERT_EQ_U64(p->size, job->size);
		ASSERT_EQ_U64(p->nruns, job->runs);
		ASSERT(p->runs);
		ASSERT(p->checked == file);
		if (!p->available) {
			ASSERT_MSG(p->why[0], "%s at %" PRIu64 ": unavailable without a reason",
				   p->method->name, p->chunk);
			ASSERT(!p->verified);
			continue;
		}
		ASSERT_MSG(!p->why[0], "%s: available, yet a reason: %s", p->method->name, p->why);
		ASSERT_MSG(p->verified == file, "%s at %" PRIu64 ": verified %d", p->method->name,
			   p->chunk, p->verified);
		ASSERT(p->min >= 0);
		ASSERT(p->min <= p->median && p->median <= p->max);
		for (unsigned r = 0; r < p->nruns; r++) {
			const struct mmt_run *run = &p->runs[r];

			ASSERT(run->seconds >= p->min && run->seconds <= p->max);
			ASSERT(run->setup >= 0 && run->transfer >= 0 && run->sync >= 0 &&
			       run->teardown >= 0);
			ASSERT(run->c.syscalls >= 0 && run->c.minflt >= 0);
			/* -1 only without /proc/self/io; null writes nothing. */
			ASSERT(run->c.storage_bytes >= 0 || run->c.storage_bytes == -1);
			if (!file)
				ASSERT_EQ_DBL(run->c.storage_bytes, 0);
		}
		ASSERT(p->setup >= 0 && p->transfer >= 0 && p->sync >= 0 && p->teardown >= 0);
	}
}

/* System calls a method issues for one run with the default options, or
 * -1 if not known exactly (stdio's depend on the C library's buffer,
 * uring's on how completions arrive). */
static double expected_syscalls(const struct mmt_method *m, uint64_t size, uint64_t chunk)
{
	uint64_t n = (size + chunk - 1) / chunk;

	/* open, one call per chunk, close */
	if (!strcmp(m->name, "write") || !strcmp(m->name, "pwrite") || !strcmp(m->name, "direct"))
		return (double)(n + 2);
	/* open, one call per MMT_DEFAULT_BATCH chunks, close */
	if (!strcmp(m->name, "writev") || !strcmp(m->name, "pwritev"))
		return (double)((n + MMT_DEFAULT_BATCH - 1) / MMT_DEFAULT_BATCH + 2);
	/* open, ftruncate or fallocate, mmap, munmap, close */
	if (!strcmp(m->name, "mmap") || !strcmp(m->name, "mmap-falloc"))
		return 5;
	/* and MADV_POPULATE_WRITE */
	if (!strcmp(m->name, "mmap-populate"))
		return 6;
	if (!strcmp(m->name, "null"))
		return 0;
	return -1;
}

TEST_IMPL(sweep_end_to_end)
{
	/* A size that is a multiple of the page and one that is not even a
	 * multiple of the chunks, so the last chunk is a short one. */
	static const uint64_t sizes[] = { 16 * 1024, 20011 };
	const struct mmt_method *methods[32];
	size_t nm = all_methods(methods, 32);

	ASSERT_MSG(nm >= 11, "%zu methods", nm);
	for (size_t s = 0; s < 2; s++) {
		uint64_t chunks[] = { 1, 7, 4096, sizes[s] };
		struct mmt_error err = { 0 };
		struct mmt_results res;
		struct mmt_job job;
		int rc;

		job_init(&job, sizes[s], chunks, 4, methods, nm, 2);
		job.warmup = 1;
		rc = mmt_sweep(&job, &res, &err);
		ASSERT_MSG(rc == 0, "mmt_sweep returned %d: %s", rc, err.msg);
		check_results(&job, &res);
		for (size_t i = 0; i < res.npoints; i++) {
			const struct mmt_point *p = &res.points[i];
			double want = expected_syscalls(p->method, p->size, p->chunk);
			bool direct = !strcmp(p->method->name, "direct");

			/* O_DIRECT needs aligned chunks and file: at 1 and 7
			 * bytes, and anywhere in a 20011-byte file, direct
			 * cannot run and says why.  Everything else runs,
			 * uring unless built without liburing. */
			if (direct && !p->available && strstr(p->why, "refuses O_DIRECT"))
				continue; /* a filesystem without O_DIRECT */
			if (direct && (p->chunk < 512 || p->size % 512)) {
				ASSERT_MSG(!p->available, "direct ran %" PRIu64 "-byte chunks of a %" PRIu64
					   "-byte file", p->chunk, p->size);
				ASSERT_CONTAINS(p->why, "O_DIRECT alignment");
				continue;
			}
			if (!strcmp(p->method->name, "uring") && !p->available) {
				ASSERT_MSG(strstr(p->why, "liburing") || strstr(p->why, "io_uring"),
					   "uring unavailable: %s", p->why);
				continue;
			}
			ASSERT_MSG(p->available, "%s at %" PRIu64 " unavailable: %s", p->method->name,
				   p->chunk, p->why);
			for (unsigned r = 0; want >= 0 && r < p->nruns; r++)
				ASSERT_MSG(p->runs[r].c.syscalls == want,
					   "%s, size %" PRIu64 ", chunk %" PRIu64
					   ": %g system calls, want %g",
					   p->method->name, p->size, p->chunk,
					   p->runs[r].c.syscalls, want);
		}
		mmt_results_free(&res);
		ASSERT(res.points == NULL && res.npoints == 0);
		ASSERT_EQ_INT(test_count_entries(test_dir()), 0);
	}
}

/* The per-point probe: direct at a chunk or a file size off the O_DIRECT
 * alignment says why it cannot run; the directory-only question (size and
 * chunk 0) asks only about the filesystem; methods that need nothing but
 * POSIX files always can. */
TEST_IMPL(method_probe_points)
{
	const struct mmt_method *direct = mmt_method_find("direct"), *uring = mmt_method_find("uring");
	struct mmt_opts opts = { 0 };
	struct mmt_probe q = { .opts = &opts };
	char why[192];
	int rc;

	ASSERT(direct && uring);
	q.dirfd = open(test_dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT(q.dirfd >= 0);

	why[0] = '\0';
	rc = direct->probe(&q, why, sizeof(why));
	if (rc) {
		ASSERT_EQ_INT(rc, MMT_EUNAVAIL);
		ASSERT_CONTAINS(why, "refuses O_DIRECT");
		close(q.dirfd);
		SKIP("the filesystem of '%s' refuses O_DIRECT: %s", test_dir(), why);
	}
	for (uint64_t chunk = 1; chunk < 512; chunk = chunk * 3 + 1) {
		q.size = 65536;
		q.chunk = chunk;
		why[0] = '\0';
		ASSERT_EQ_INT(direct->probe(&q, why, sizeof(why)), MMT_EUNAVAIL);
		ASSERT_CONTAINS(why, "chunks are not a multiple of the");
		ASSERT_CONTAINS(why, "O_DIRECT alignment");
	}
	/* 4 KiB is a multiple of every alignment we accept (the page). */
	q.size = 65536;
	q.chunk = 4096;
	ASSERT_EQ_INT(direct->probe(&q, why, sizeof(why)), 0);
	q.chunk = 65536;
	ASSERT_EQ_INT(direct->probe(&q, why, sizeof(why)), 0);
	/* An aligned chunk of a file whose size is not. */
	q.size = 100003;
	q.chunk = 4096;
	why[0] = '\0';
	ASSERT_EQ_INT(direct->probe(&q, why, sizeof(why)), MMT_EUNAVAIL);
	ASSERT_CONTAINS(why, "file is not a multiple of the");
	/* The directory alone. */
	q.size = q.chunk = 0;
	ASSERT_EQ_INT(direct->probe(&q, why, sizeof(why)), 0);

	/* uring: runs when built with liburing and the kernel allows it;
	 * otherwise it says which of the two it is. */
	why[0] = '\0';
	rc = uring->probe(&q, why, sizeof(why));
	ASSERT_MSG(rc == 0 || (rc == MMT_EUNAVAIL && (strstr(why, "built without liburing") ||
						     strstr(why, "io_uring_setup failed"))),
		   "uring probe: %d (%s)", rc, why);

	for (size_t i = 0; mmt_methods[i]; i++) {
		const struct mmt_method *m = mmt_methods[i];

		ASSERT_MSG(m->probe, "%s has no probe", m->name);
		if (m == direct || m == uring)
			continue;
		q.size = 100003;
		q.chunk = 7;
		why[0] = '\0';
		ASSERT_MSG(m->probe(&q, why, sizeof(why)) == 0, "%s cannot run: %s", m->name, why);
	}
	close(q.dirfd);
}

/* --sync end adds exactly one call (fsync or msync) to every method that
 * counts exactly, and a sync phase; --madvise one madvise() to the
 * mapping methods; --batch changes the vectored calls' count. */
TEST_IMPL(sweep_option_counts)
{
	static const uint64_t chunks[] = { 4096 };
	const char *names[] = { "mmap", "mmap-falloc", "mmap-populate", "write", "pwrite",
				"writev", "pwritev", "direct" };
	const struct mmt_method *methods[8];
	struct mmt_error err = { 0 };
	struct mmt_results res;
	struct mmt_job job;
	int rc;

	for (size_t i = 0; i < 8; i++)
		ASSERT((methods[i] = mmt_method_find(names[i])));
	for (int k = 0; k < 3; k++) {
		job_init(&job, 64 * 1024, chunks, 1, methods, 8, 1);
		if (k == 0)
			job.opts.sync = MMT_SYNC_END;
		else if (k == 1)
			job.opts.advice = MMT_ADVICE_SEQUENTIAL;
		else
			job.opts.batch = 4;
		rc = mmt_sweep(&job, &res, &err);
		ASSERT_MSG(rc == 0, "mmt_sweep returned %d: %s", rc, err.msg);
		for (size_t i = 0; i < res.npoints; i++) {
			const struct mmt_point *p = &res.points[i];
			double want = expected_syscalls(p->method, p->size, p->chunk);
			bool maps = p->method->flags & MMT_METHOD_MAPS;
			bool vec = strstr(p->method->name, "writev") != NULL;

			if (!p->available) {
				ASSERT(!strcmp(p->method->name, "direct"));
				continue;
			}
			ASSERT(p->verified);
			if (k == 0)
				want += 1;
			else if (k == 1 && maps)
				want += 1;
			else if (k == 2 && vec)
				want = 16 / 4 + 2;
			ASSERT_MSG(p->c.syscalls == want, "%s, option set %d: %g calls, want %g",
				   p->method->name, k, p->c.syscalls, want);
		}
		mmt_results_free(&res);
		ASSERT_EQ_INT(test_count_entries(test_dir()), 0);
	}
}

/* The worked example: 64 KiB in 4 KiB chunks through write() is 16
 * writes, an open and a close. */
TEST_IMPL(sweep_syscall_counts)
{
	static const uint64_t chunks[] = { 4096 };
	const struct mmt_method *methods[] = { mmt_method_find("write"), mmt_method_find("mmap") };
	struct mmt_error err = { 0 };
	struct mmt_results res;
	struct mmt_job job;

	job_init(&job, 64 * 1024, chunks, 1, methods, 2, 3);
	ASSERT_EQ_INT(mmt_sweep(&job, &res, &err), 0);
	ASSERT_EQ_U64(res.npoints, 2);
	ASSERT(res.points[0].method == methods[0]);
	ASSERT_EQ_DBL(res.points[0].c.syscalls, 18);
	for (unsigned r = 0; r < 3; r++)
		ASSERT_EQ_DBL(res.points[0].runs[r].c.syscalls, 18);
	ASSERT_EQ_DBL(res.points[1].c.syscalls, 5);
	mmt_results_free(&res);
	ASSERT_EQ_INT(test_count_entries(test_dir()), 0);
}

TEST_IMPL(sweep_verify_catches_corruption)
{
	static const uint64_t chunks[] = { 4096, 65536 };
	const uint64_t size = 64 * 1024;
	const int64_t offsets[] = { 0, 12345, (int64_t)size - 1 };
	const struct mmt_method *orders[2][2] = {
		{ mmt_method_find("mmap"), mmt_method_find("write") },
		{ mmt_method_find("write"), mmt_method_find("mmap") },
	};

	for (size_t o = 0; o < 3; o++) {
		for (size_t k = 0; k < 2; k++) {
			struct mmt_error err = { 0 };
			struct mmt_results res;
			struct mmt_job job;
			char want[64];

			job_init(&job, size, chunks, 2, orders[k], 2, 2);
			job.test_corrupt_at = offsets[o];
			memset(&res, 0x5a, sizeof(res));
			ASSERT_EQ_INT(mmt_sweep(&job, &res, &err), MMT_EVERIFY);
			ASSERT_EQ_INT(err.code, MMT_EVERIFY);
			snprintf(want, sizeof(want), "offset %lld", (long long)offsets[o]);
			ASSERT_CONTAINS(err.msg, want);
			/* The first run fails: the first method's. */
			ASSERT_CONTAINS(err.msg, orders[k][0]->name);
			/* No partial results, no file left behind. */
			ASSERT(res.points == NULL);
			ASSERT_EQ_U64(res.npoints, 0);
			ASSERT_EQ_INT(test_count_entries(test_dir()), 0);
		}
	}

	/* null writes no file: there is nothing to corrupt or verify. */
	{
		const struct mmt_method *null[] = { mmt_method_find("null") };
		struct mmt_error err = { 0 };
		struct mmt_results res;
		struct mmt_job job;

		job_init(&job, size, chunks, 2, null, 1, 1);
		job.test_corrupt_at = 0;
		ASSERT_EQ_INT(mmt_sweep(&job, &res, &err), 0);
		ASSERT(!res.points[0].checked && !res.points[0].verified);
		mmt_results_free(&res);
	}
}

struct seen {
	size_t calls;
	struct mmt_progress p[32];
	size_t cancel_at;       /* cancel on this call (1-based); 0 never */
};

static void on_progress(void *arg, const struct mmt_progress *p)
{
	struct seen *s = arg;

	if (s->calls < 32)
		s->p[s->calls] = *p;
	s->calls++;
	if (s->calls == s->cancel_at)
		mmt_sweep_cancel();
}

TEST_IMPL(sweep_progress)
{
	static const uint64_t chunks[] = { 4096, 16384 };
	const struct mmt_method *methods[] = { mmt_method_find("mmap"), mmt_method_find("write") };
	struct mmt_error err = { 0 };
	struct mmt_results res;
	struct seen s = { 0 };
	struct mmt_job job;

	job_init(&job, 64 * 1024, chunks, 2, methods, 2, 2);
	job.warmup = 1;
	job.progress = on_progress;
	job.progress_arg = &s;
	ASSERT_EQ_INT(mmt_sweep(&job, &res, &err), 0);
	/* (warmup + runs) * chunks * methods timed runs, one call before each. */
	ASSERT_EQ_U64(s.calls, 12);
	for (size_t i = 0; i < 12; i++) {
		const struct mmt_progress *p = &s.p[i];
		unsigned r = (unsigned)(i / 4);
		size_t c = (i / 2) % 2, k = i % 2;

		ASSERT_EQ_U64(p->done, i);
		ASSERT_EQ_U64(p->total, 12);
		ASSERT_EQ_INT(p->run, r);
		ASSERT(p->warmup == (r == 0));
		ASSERT_EQ_U64(p->chunk, chunks[c]);
		/* The method order rotates every repeat. */
		ASSERT(p->method == methods[(k + r) % 2]);
		ASSERT(p->elapsed >= 0);
		if (i)
			ASSERT(p->elapsed >= s.p[i - 1].elapsed);
	}
	/* Warmups are not recorded. */
	ASSERT_EQ_U64(res.points[0].nruns, 2);
	mmt_results_free(&res);
	ASSERT_EQ_INT(test_count_entries(test_dir()), 0);
}

TEST_IMPL(sweep_cancel)
{
	static const uint64_t chunks[] = { 4096, 16384, 65536 };
	const struct mmt_method *methods[] = { mmt_method_find("mmap"), mmt_method_find("write") };
	struct mmt_error err = { 0 };
	struct mmt_results res;
	struct seen s = { .cancel_at = 3 };
	struct mmt_job job;

	job_init(&job, 64 * 1024, chunks, 3, methods, 2, 2);
	job.progress = on_progress;
	job.progress_arg = &s;
	ASSERT_EQ_INT(mmt_sweep(&job, &res, &err), MMT_EINTERRUPTED);
	ASSERT_EQ_INT(err.code, MMT_EINTERRUPTED);
	ASSERT(err.msg[0]);
	/* The run in progress finishes; no other starts. */
	ASSERT_EQ_U64(s.calls, 3);
	ASSERT(res.points == NULL);
	ASSERT_EQ_U64(res.npoints, 0);
	ASSERT_EQ_INT(test_count_entries(test_dir()), 0);

	/* A cancel is for that sweep only: the next one runs to the end. */
	s.calls = 0;
	s.cancel_at = 0;
	ASSERT_EQ_INT(mmt_sweep(&job, &res, &err), 0);
	ASSERT_EQ_U64(s.calls, 12);
	mmt_results_free(&res);
	/* Even one cancelled before it starts. */
	mmt_sweep_cancel();
	ASSERT_EQ_INT(mmt_sweep(&job, &res, &err), 0);
	mmt_results_free(&res);
	ASSERT_EQ_INT(test_count_entries(test_dir()), 0);
}

static void own_sigbus(int sig)
{
	(void)sig;
}

/* The sweep's SIGBUS handler is there only for the sweep's duration. */
TEST_IMPL(sweep_restores_sigbus)
{
	static const uint64_t chunks[] = { 4096 };
	const struct mmt_method *methods[] = { mmt_method_find("mmap") };
	struct sigaction sa = { .sa_handler = own_sigbus }, now;
	struct mmt_error err = { 0 };
	struct mmt_results res;
	struct mmt_job job;

	sigemptyset(&sa.sa_mask);
	ASSERT_EQ_INT(sigaction(SIGBUS, &sa, NULL), 0);
	job_init(&job, 64 * 1024, chunks, 1, methods, 1, 1);
	ASSERT_EQ_INT(mmt_sweep(&job, &res, &err), 0);
	mmt_results_free(&res);
	ASSERT_EQ_INT(sigaction(SIGBUS, NULL, &now), 0);
	ASSERT(now.sa_handler == own_sigbus);

	/* And after a sweep that failed. */
	job.test_corrupt_at = 1;
	ASSERT_EQ_INT(mmt_sweep(&job, &res, &err), MMT_EVERIFY);
	ASSERT_EQ_INT(sigaction(SIGBUS, NULL, &now), 0);
	ASSERT(now.sa_handler == own_sigbus);

	/* And the default action when that was what it found. */
	signal(SIGBUS, SIG_DFL);
	job.test_corrupt_at = -1;
	ASSERT_EQ_INT(mmt_sweep(&job, &res, &err), 0);
	mmt_results_free(&res);
	ASSERT_EQ_INT(sigaction(SIGBUS, NULL, &now), 0);
	ASSERT(now.sa_handler == SIG_DFL);
}

/* A method's begin/end hooks: what they saw, and whether begin fails. */
static int begins, ends;
static bool begin_fails;

static int counting_begin(char *why, size_t whylen)
{
	begins++;
	if (begin_fails) {
		snprintf(why, whylen, "the test said no");
		return MMT_EUNAVAIL;
	}
	return 0;
}

static void counting_end(void)
{
	ends++;
}

/* The sweep calls begin once before a method's first run and end once
 * after its last, also when the sweep fails; a method whose begin fails
 * is unavailable at every point with begin's reason, and end is not
 * called for it.  uring's own hooks nest and leave no descriptor open. */
TEST_IMPL(sweep_method_hooks)
{
	static const uint64_t chunks[] = { 4096, 65536 };
	struct mmt_method hooked = *mmt_method_find("null");
	const struct mmt_method *methods[] = { mmt_method_find("mmap"), &hooked };
	const struct mmt_method *uring = mmt_method_find("uring");
	struct mmt_error err = { 0 };
	struct mmt_results res;
	struct mmt_job job;
	char why[128];

	hooked.name = "hooked";
	hooked.begin = counting_begin;
	hooked.end = counting_end;
	job_init(&job, 64 * 1024, chunks, 2, methods, 2, 2);
	ASSERT_EQ_INT(mmt_sweep(&job, &res, &err), 0);
	ASSERT_EQ_INT(begins, 1);
	ASSERT_EQ_INT(ends, 1);
	mmt_results_free(&res);

	job.test_corrupt_at = 1;
	ASSERT_EQ_INT(mmt_sweep(&job, &res, &err), MMT_EVERIFY);
	ASSERT_EQ_INT(begins, 2);
	ASSERT_EQ_INT(ends, 2);

	job.test_corrupt_at = -1;
	begin_fails = true;
	ASSERT_EQ_INT(mmt_sweep(&job, &res, &err), 0);
	ASSERT_EQ_INT(begins, 3);
	ASSERT_EQ_INT(ends, 2);
	for (size_t i = 0; i < res.npoints; i++) {
		const struct mmt_point *p = &res.points[i];

		if (p->method == &hooked) {
			ASSERT(!p->available);
			ASSERT_STR_EQ(p->why, "the test said no");
		} else {
			ASSERT(p->available);
		}
	}
	mmt_results_free(&res);
	job.methods = methods + 1;
	job.nmethods = 1;
	ASSERT_EQ_INT(mmt_sweep(&job, &res, &err), MMT_EUNAVAIL);
	ASSERT_CONTAINS(err.msg, "the test said no");
	ASSERT_EQ_INT(ends, 2);

	if (!uring->begin)
		SKIP("built without liburing: uring has no hooks");
	{
		int before = test_count_entries("/proc/self/fd");

		if (uring->begin(why, sizeof(why)))
			SKIP("io_uring cannot run here: %s", why);
		ASSERT_EQ_INT(uring->begin(why, sizeof(why)), 0);
		ASSERT_EQ_INT(test_count_entries("/proc/self/fd"), before + 1);
		uring->end();
		ASSERT_EQ_INT(test_count_entries("/proc/self/fd"), before + 1);
		uring->end();
		ASSERT_EQ_INT(test_count_entries("/proc/self/fd"), before);
	}
}
