/*
 * test-harden.c - what the library must hold under attack or misuse:
 * every write method refuses a name something else already has (a planted
 * symlink, a file) without following or changing it, and a sweep of every
 * method, writing and reading, leaves no file descriptor open behind it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"

/* Open file descriptors of this process (entries of /proc/self/fd but
 * the one reading it), or -1 when /proc is not there. */
static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}

static const char secret[] = "not the tool's to touch";

/* A file at path holding `secret`. */
static void make_victim(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);

	ASSERT(fd >= 0);
	ASSERT_EQ_INT(write(fd, secret, sizeof(secret)), (long long)sizeof(secret));
	close(fd);
}

/* The file at path still holds exactly `secret`. */
static void check_victim(const char *path)
{
	char buf[128] = "";
	int fd = open(path, O_RDONLY);
	struct stat st;

	ASSERT(fd >= 0);
	ASSERT_EQ_INT(fstat(fd, &st), 0);
	ASSERT_EQ_INT(st.st_size, (long long)sizeof(secret));
	ASSERT_EQ_INT(read(fd, buf, sizeof(buf)), (long long)sizeof(secret));
	close(fd);
	ASSERT_STR_EQ(buf, secret);
}

/* The window the sweep's own check cannot close: something appears at the
 * name between the check and the method's open.  Every write method opens
 * with O_CREAT|O_EXCL|O_NOFOLLOW, so it fails with EEXIST and neither the
 * file a planted symlink points to nor a planted file changes. */
TEST_IMPL(methods_refuse_planted_name)
{
	static const char name[] = "planted";
	char victim[4200];
	unsigned char *src = mmt_pattern_alloc(65536);
	int dirfd = open(test_dir(), O_RDONLY | O_DIRECTORY), tried = 0;
	struct mmt_opts opts = { .batch = MMT_DEFAULT_BATCH, .queue_depth = MMT_DEFAULT_QUEUE_DEPTH };

	ASSERT(src && dirfd >= 0);
	snprintf(victim, sizeof(victim), "%s/victim", test_dir());
	make_victim(victim);
	for (size_t i = 0; mmt_methods[i]; i++) {
		const struct mmt_method *m = mmt_methods[i];
		struct mmt_io io = {
			.dirfd = dirfd, .name = name, .size = 65536, .chunk = 4096, .src = src,
			.opts = &opts,
		};
		struct mmt_probe q = { .dirfd = dirfd, .op = MMT_OP_WRITE, .size = 65536,
				       .chunk = 4096, .opts = &opts };
		struct mmt_stamps st = { 0 };
		char why[256];

		if (!(m->ops & MMT_OP_WRITE) || (m->flags & MMT_METHOD_NOFILE))
			continue;
		if (m->probe && m->probe(&q, why, sizeof(why)))
			continue;
		/* A symlink to the victim, then the victim's hard link. */
		ASSERT_EQ_INT(symlinkat(victim, dirfd, name), 0);
		ASSERT_MSG(m->write(&io, &st) == -EEXIST, "method '%s' over a symlink", m->name);
		check_victim(victim);
		ASSERT_EQ_INT(unlinkat(dirfd, name, 0), 0);
		ASSERT_EQ_INT(linkat(AT_FDCWD, victim, dirfd, name, 0), 0);
		ASSERT_MSG(m->write(&io, &st) == -EEXIST, "method '%s' over a file", m->name);
		check_victim(victim);
		ASSERT_EQ_INT(unlinkat(dirfd, name, 0), 0);
		tried++;
	}
	ASSERT_MSG(tried >= 8, "only %d write methods could run here", tried);
	ASSERT_EQ_INT(test_count_entries(test_dir()), 1);
	mmt_pattern_free(src, 65536);
	close(dirfd);
}

/* Sweeps of every method, writing and reading, a failing one and an
 * interrupted-by-error one: the process has as many descriptors open
 * afterwards as before (a leak would run out of them in a long sweep). */
TEST_IMPL(sweep_leaves_no_fd_open)
{
	static const uint64_t chunks[] = { 1, 4096, 65536 };
	const struct mmt_method *methods[32];
	struct mmt_error err = { 0 };
	struct mmt_results res;
	struct mmt_job job;
	int before = open_fds(), rc;

	if (before < 0)
		SKIP("no /proc/self/fd");
	for (int op = 0; op < 2; op++) {
		size_t n = 0;

		for (size_t i = 0; mmt_methods[i] && n < 32; i++)
			if (mmt_methods[i]->ops & (op ? MMT_OP_READ : MMT_OP_WRITE))
				methods[n++] = mmt_methods[i];
		if (op)
			mmt_job_read(&job);
		else
			mmt_job_classic(&job);
		job.size = 65536;
		job.chunks = chunks;
		job.nchunks = 3;
		job.methods = methods;
		job.nmethods = n;
		job.runs = 2;
		job.dir = test_dir();
		rc = mmt_sweep(&job, &res, &err);
		ASSERT_MSG(rc == 0, "sweep: %s", err.msg);
		mmt_results_free(&res);
		ASSERT_EQ_INT(open_fds(), before);

		/* A run that fails verification ends the sweep early. */
		job.test_corrupt_at = 10;
		rc = mmt_sweep(&job, &res, &err);
		ASSERT_MSG(rc == MMT_EVERIFY || rc == MMT_ECHECKSUM, "corrupted sweep gave %d", rc);
		ASSERT_EQ_INT(open_fds(), before);
		job.test_corrupt_at = -1;

		/* A directory that is not there. */
		job.dir = "/nonexistent/dir";
		ASSERT(mmt_sweep(&job, &res, &err) < 0);
		ASSERT_EQ_INT(open_fds(), before);
	}
	ASSERT_EQ_INT(test_count_entries(test_dir()), 0);
}

/* A million chunk sizes, which no command line can carry (the kernel caps
 * one argument at 128 KiB), straight to the parser: distinct ones are
 * refused as too many, repeats of one size are one size; both quickly and
 * with memory bounded by MMT_MAX_CHUNKS, not by the list. */
TEST_IMPL(chunks_parse_a_million)
{
	enum { N = 1000000 };
	char *s = malloc((size_t)N * 8 + 16);
	uint64_t *v = NULL, t0;
	size_t n = 0, o = 0;

	ASSERT(s);
	for (int i = 1; i <= N; i++)
		o += (size_t)sprintf(s + o, "%d,", i);
	s[o - 1] = '\0';
	t0 = mmt_now_ns();
	ASSERT_EQ_INT(mmt_parse_chunks(s, &v, &n), -ERANGE);
	ASSERT(v == NULL || n == 0);
	o = 0;
	for (int i = 1; i <= N; i++)
		o += (size_t)sprintf(s + o, "4096,");
	s[o - 1] = '\0';
	ASSERT_EQ_INT(mmt_parse_chunks(s, &v, &n), 0);
	ASSERT_EQ_U64(n, 1);
	ASSERT_EQ_U64(v[0], 4096);
	free(v);
	/* Not a timing assertion: a bound on work that is quadratic only in
	 * MMT_MAX_CHUNKS, far from the test's time limit either way. */
	ASSERT_MSG(mmt_now_ns() - t0 < 30000000000ull, "took %.1f s", (mmt_now_ns() - t0) / 1e9);
	free(s);
}

/* The bounds mmt_job_check() puts on what a job may make the tool hold:
 * recorded runs, and buffers against the machine's memory. */
TEST_IMPL(job_check_bounds)
{
	static const uint64_t small[] = { 4096 };
	uint64_t big[1];
	const struct mmt_method *m[] = { mmt_method_find("mmap"), mmt_method_find("write") };
	const struct mmt_method *u[] = { mmt_method_find("uring") };
	struct mmt_error err = { 0 };
	struct mmt_job job;

	mmt_job_classic(&job);
	job.dir = test_dir();
	job.size = 65536;
	job.chunks = small;
	job.nchunks = 1;
	job.methods = m;
	job.nmethods = 2;
	job.runs = MMT_MAX_RUNS / 2;
	ASSERT_EQ_INT(mmt_job_check(&job, &err), 0);
	job.runs = MMT_MAX_RUNS / 2 + 1;
	ASSERT_EQ_INT(mmt_job_check(&job, &err), -E2BIG);
	ASSERT_CONTAINS(err.msg, "runs to record, more than 1000000");

	/* A chunk of 4 EiB cannot be a buffer anywhere. */
	big[0] = (uint64_t)1 << 62;
	job.runs = 1;
	job.size = big[0];
	job.chunks = big;
	ASSERT_EQ_INT(mmt_job_check(&job, &err), -ENOMEM);
	ASSERT_CONTAINS(err.msg, "of buffers, more than half of this machine's");

	/* Reading with uring: a chunk per request in flight, no overflow. */
	mmt_job_read(&job);
	job.dir = test_dir();
	job.size = big[0];
	job.chunks = big;
	job.nchunks = 1;
	job.methods = u;
	job.nmethods = 1;
	job.opts.queue_depth = 4096;
	ASSERT(u[0]);
	ASSERT_EQ_INT(mmt_job_check(&job, &err), -ENOMEM);
	ASSERT_CONTAINS(err.msg, "a lower --queue-depth");
}
