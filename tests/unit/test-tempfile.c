/*
 * test-tempfile.c - the sweep's file names: fresh on every call, refused
 * when something already has the name, removed by the async cleanup only
 * while registered, and a planted symlink never followed by a sweep.
 * Names carry 64 random bits; to plant a file at the next name this file
 * supplies getrandom() itself, see below.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/internal.h"
#include "test.h"

/*
 * The unit-test program links libmmaptimer statically, so this definition
 * takes the place of the C library's getrandom() for the library too.
 * While fake_random is set it returns a fixed byte, making the next
 * temporary name predictable; otherwise it is the real system call.
 */
static bool fake_random;

ssize_t getrandom(void *buf, size_t len, unsigned int flags)
{
	if (fake_random) {
		memset(buf, 0xab, len);
		return (ssize_t)len;
	}
	return (ssize_t)syscall(SYS_getrandom, buf, len, flags);
}

#define FAKE_HEX "abababababababab"

/* With fake_random set, the name the next mmt__tempfile_name() call will
 * make, learned from the sequence number in the name of a call now. */
static void predict_next(int dirfd, char *next, size_t len)
{
	char name[96];
	long pid;
	unsigned long seq;

	ASSERT_EQ_INT(mmt__tempfile_name(dirfd, name, sizeof(name)), 0);
	mmt__tempfile_forget();
	if (!strstr(name, FAKE_HEX))
		SKIP("the library's getrandom() could not be replaced (name '%s')", name);
	ASSERT_EQ_INT(sscanf(name, "mmaptimer-%ld-%lu-", &pid, &seq), 2);
	ASSERT_EQ_INT(pid, getpid());
	snprintf(next, len, "mmaptimer-%ld-%lu-" FAKE_HEX ".tmp", pid, seq + 1);
}

TEST_IMPL(tempfile_names_distinct)
{
	enum { N = 200 };
	static char names[N][96];
	int dirfd = open(test_dir(), O_RDONLY | O_DIRECTORY);

	ASSERT(dirfd >= 0);
	for (size_t i = 0; i < N; i++) {
		ASSERT_EQ_INT(mmt__tempfile_name(dirfd, names[i], sizeof(names[i])), 0);
		mmt__tempfile_forget();
		ASSERT(strncmp(names[i], "mmaptimer-", 10) == 0);
		ASSERT(strchr(names[i], '/') == NULL);
		for (size_t j = 0; j < i; j++)
			ASSERT_MSG(strcmp(names[i], names[j]), "name %zu repeats name %zu: %s", i, j,
				   names[i]);
	}
	/* Even with the random bits fixed, the sequence number keeps them apart. */
	fake_random = true;
	ASSERT_EQ_INT(mmt__tempfile_name(dirfd, names[0], sizeof(names[0])), 0);
	ASSERT_EQ_INT(mmt__tempfile_name(dirfd, names[1], sizeof(names[1])), 0);
	mmt__tempfile_forget();
	ASSERT(strcmp(names[0], names[1]));
	/* A short buffer gets a cut name, never an overrun. */
	{
		char small[8];

		memset(small, 'x', sizeof(small));
		mmt__tempfile_name(dirfd, small, sizeof(small));
		mmt__tempfile_forget();
		ASSERT(memchr(small, '\0', sizeof(small)));
	}
	/* Naming creates nothing. */
	ASSERT_EQ_INT(test_count_entries(test_dir()), 0);
	close(dirfd);
}

TEST_IMPL(tempfile_cleanup_async)
{
	char name[96];
	int dirfd = open(test_dir(), O_RDONLY | O_DIRECTORY), fd;

	ASSERT(dirfd >= 0);
	/* Nothing registered: nothing happens. */
	mmt_tempfile_cleanup_async();

	/* Registered: the interrupt-time cleanup removes it, once. */
	ASSERT_EQ_INT(mmt__tempfile_name(dirfd, name, sizeof(name)), 0);
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ASSERT(fd >= 0);
	close(fd);
	ASSERT_EQ_INT(test_count_entries(test_dir()), 1);
	mmt_tempfile_cleanup_async();
	ASSERT_EQ_INT(test_count_entries(test_dir()), 0);
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ASSERT(fd >= 0);
	close(fd);
	mmt_tempfile_cleanup_async();
	ASSERT_EQ_INT(test_count_entries(test_dir()), 1);
	ASSERT_EQ_INT(unlinkat(dirfd, name, 0), 0);

	/* Forgotten: no longer ours, left alone. */
	ASSERT_EQ_INT(mmt__tempfile_name(dirfd, name, sizeof(name)), 0);
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ASSERT(fd >= 0);
	close(fd);
	mmt__tempfile_forget();
	mmt_tempfile_cleanup_async();
	ASSERT_EQ_INT(test_count_entries(test_dir()), 1);
	ASSERT_EQ_INT(unlinkat(dirfd, name, 0), 0);
	close(dirfd);
}

/* Something already at the next name: -EEXIST, and the planted file is
 * not registered, so the interrupt-time cleanup does not remove it. */
TEST_IMPL(tempfile_planted_name)
{
	char next[96], got[96];
	int dirfd = open(test_dir(), O_RDONLY | O_DIRECTORY), fd;
	struct stat st;

	ASSERT(dirfd >= 0);
	fake_random = true;
	predict_next(dirfd, next, sizeof(next));
	fd = openat(dirfd, next, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ASSERT(fd >= 0);
	close(fd);
	ASSERT_EQ_INT(mmt__tempfile_name(dirfd, got, sizeof(got)), -EEXIST);
	ASSERT_STR_EQ(got, next);
	mmt_tempfile_cleanup_async();
	ASSERT_EQ_INT(fstatat(dirfd, next, &st, 0), 0);

	/* A dangling symlink counts as something there too. */
	predict_next(dirfd, next, sizeof(next));
	ASSERT_EQ_INT(symlinkat("/nonexistent/target", dirfd, next), 0);
	ASSERT_EQ_INT(mmt__tempfile_name(dirfd, got, sizeof(got)), -EEXIST);
	mmt_tempfile_cleanup_async();
	ASSERT_EQ_INT(fstatat(dirfd, next, &st, AT_SYMLINK_NOFOLLOW), 0);
	close(dirfd);
}

/* A symlink planted at the name a sweep is about to use: the sweep fails
 * with -EEXIST naming it, the file the link points to is untouched and
 * the link itself is not ours to remove. */
TEST_IMPL(sweep_planted_symlink)
{
	static const uint64_t chunks[] = { 4096 };
	const struct mmt_method *methods[] = { mmt_method_find("write") };
	char run[4200], victim[4200], next[96];
	static const char secret[] = "not yours";
	struct mmt_error err = { 0 };
	struct mmt_results res;
	struct mmt_job job;
	char buf[64] = "";
	int dirfd, fd;

	snprintf(run, sizeof(run), "%s/run", test_dir());
	snprintf(victim, sizeof(victim), "%s/victim", test_dir());
	ASSERT_EQ_INT(mkdir(run, 0700), 0);
	fd = open(victim, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ASSERT(fd >= 0);
	ASSERT_EQ_INT(write(fd, secret, sizeof(secret)), (long long)sizeof(secret));
	close(fd);
	dirfd = open(run, O_RDONLY | O_DIRECTORY);
	ASSERT(dirfd >= 0);

	fake_random = true;
	predict_next(dirfd, next, sizeof(next));
	ASSERT_EQ_INT(symlinkat(victim, dirfd, next), 0);

	memset(&job, 0, sizeof(job));
	job.op = MMT_OP_WRITE;
	job.size = 64 * 1024;
	job.chunks = chunks;
	job.nchunks = 1;
	job.methods = methods;
	job.nmethods = 1;
	job.runs = 1;
	job.dir = run;
	job.test_corrupt_at = -1;
	ASSERT_EQ_INT(mmt_sweep(&job, &res, &err), -EEXIST);
	ASSERT_EQ_INT(err.code, -EEXIST);
	ASSERT_CONTAINS(err.msg, next);
	ASSERT(res.points == NULL && res.npoints == 0);
	mmt_tempfile_cleanup_async();

	fd = open(victim, O_RDONLY);
	ASSERT(fd >= 0);
	ASSERT_EQ_INT(read(fd, buf, sizeof(buf)), (long long)sizeof(secret));
	close(fd);
	ASSERT_STR_EQ(buf, secret);
	ASSERT_EQ_INT(test_count_entries(run), 1);
	ASSERT_EQ_INT(readlinkat(dirfd, next, buf, sizeof(buf)) > 0, 1);

	/* With the planted link gone, the same sweep runs. */
	fake_random = false;
	ASSERT_EQ_INT(unlinkat(dirfd, next, 0), 0);
	ASSERT_EQ_INT(mmt_sweep(&job, &res, &err), 0);
	mmt_results_free(&res);
	ASSERT_EQ_INT(test_count_entries(run), 0);
	close(dirfd);
}
