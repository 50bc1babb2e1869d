/*
 * test-tmpfs.c - a disk that fills up during a run.  On a 1 MiB tmpfs a
 * 4 MiB file cannot be written: write() fails with ENOSPC and a store
 * through a mapping raises SIGBUS; both must come back as -ENOSPC with
 * nothing left behind, and mmt_job_check() must refuse such a job up front.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"

static char mnt[4200];

/* Mount a 1 MiB tmpfs with mount flags `flags` at <test dir>/small, or
 * skip the test.  If the test fails before unmounting it, the runner
 * detaches it when it removes the directory. */
static const char *small_fs_flags(unsigned long flags)
{
	if (geteuid() != 0)
		SKIP("mounting a small tmpfs needs root");
	snprintf(mnt, sizeof(mnt), "%s/small", test_dir());
	ASSERT_EQ_INT(mkdir(mnt, 0700), 0);
	if (mount("tmpfs", mnt, "tmpfs", MS_NOSUID | MS_NODEV | flags, "size=1m,mode=0700"))
		SKIP("cannot mount a 1 MiB tmpfs at '%s': %s", mnt, strerror(errno));
	return mnt;
}

static const char *small_fs(void)
{
	return small_fs_flags(0);
}

static void small_fs_done(void)
{
	ASSERT_EQ_INT(umount2(mnt, MNT_DETACH), 0);
}

/* A 4 MiB sweep with method `name` on the small tmpfs, free-space check
 * off, fails with -ENOSPC and leaves the filesystem empty. */
static void sweep_fills_disk(const char *name)
{
	static const uint64_t chunks[] = { 65536 };
	const struct mmt_method *methods[] = { mmt_method_find(name) };
	struct mmt_error err = { 0 };
	struct mmt_results res;
	struct mmt_job job;
	int rc;

	ASSERT(methods[0]);
	memset(&job, 0, sizeof(job));
	job.op = MMT_OP_WRITE;
	job.size = 4 * 1024 * 1024;
	job.chunks = chunks;
	job.nchunks = 1;
	job.methods = methods;
	job.nmethods = 1;
	job.runs = 2;
	job.dir = small_fs();
	job.test_corrupt_at = -1;
	job.skip_space_check = true;

	/* The filesystem takes a 4 MiB size without storing it, so the mmap
	 * method's failure comes from its stores (SIGBUS), not ftruncate(). */
	{
		char probe[4300];
		int fd;

		snprintf(probe, sizeof(probe), "%s/probe", mnt);
		fd = open(probe, O_RDWR | O_CREAT | O_EXCL, 0600);
		ASSERT(fd >= 0);
		ASSERT_EQ_INT(ftruncate(fd, (off_t)job.size), 0);
		close(fd);
		ASSERT_EQ_INT(unlink(probe), 0);
	}

	rc = mmt_sweep(&job, &res, &err);
	ASSERT_MSG(rc == -ENOSPC, "mmt_sweep returned %d (%s), want -ENOSPC", rc, err.msg);
	ASSERT_EQ_INT(err.code, -ENOSPC);
	ASSERT_CONTAINS(err.msg, name);
	ASSERT_CONTAINS(err.msg, strerror(ENOSPC));
	ASSERT(res.points == NULL && res.npoints == 0);
	ASSERT_EQ_INT(test_count_entries(mnt), 0);

	/* The disk is usable again: a file that fits is written. */
	job.size = 256 * 1024;
	rc = mmt_sweep(&job, &res, &err);
	ASSERT_MSG(rc == 0, "mmt_sweep returned %d (%s)", rc, err.msg);
	ASSERT(res.points[0].verified);
	mmt_results_free(&res);
	ASSERT_EQ_INT(test_count_entries(mnt), 0);
	small_fs_done();
}

TEST_IMPL(sweep_enospc_mmap)
{
	sweep_fills_disk("mmap");
}

TEST_IMPL(sweep_enospc_write)
{
	sweep_fills_disk("write");
}

TEST_IMPL(job_check_enospc_upfront)
{
	static const uint64_t chunks[] = { 65536 };
	const struct mmt_method *methods[] = { mmt_method_find("mmap"), mmt_method_find("write") };
	struct mmt_error err = { 0 };
	struct mmt_results res;
	struct mmt_job job;

	memset(&job, 0, sizeof(job));
	job.op = MMT_OP_WRITE;
	job.size = 4 * 1024 * 1024;
	job.chunks = chunks;
	job.nchunks = 1;
	job.methods = methods;
	job.nmethods = 2;
	job.runs = 1;
	job.dir = small_fs();
	job.test_corrupt_at = -1;

	ASSERT_EQ_INT(mmt_job_check(&job, &err), -ENOSPC);
	ASSERT_EQ_INT(err.code, -ENOSPC);
	ASSERT_CONTAINS(err.msg, "not enough free space");
	ASSERT_CONTAINS(err.msg, mnt);
	ASSERT_CONTAINS(err.msg, "4 MiB");
	/* mmt_sweep() refuses the same way, before creating anything. */
	memset(&err, 0, sizeof(err));
	ASSERT_EQ_INT(mmt_sweep(&job, &res, &err), -ENOSPC);
	ASSERT_CONTAINS(err.msg, "not enough free space");
	ASSERT(res.points == NULL && res.npoints == 0);
	ASSERT_EQ_INT(test_count_entries(mnt), 0);
	/* The check is what refused it. */
	job.skip_space_check = true;
	ASSERT_EQ_INT(mmt_job_check(&job, &err), 0);
	small_fs_done();
}

/* A read-only filesystem is refused up front with -EROFS. */
TEST_IMPL(job_check_readonly_dir)
{
	static const uint64_t chunks[] = { 4096 };
	const struct mmt_method *methods[] = { mmt_method_find("write") };
	struct mmt_error err = { 0 };
	struct mmt_job job;

	memset(&job, 0, sizeof(job));
	job.op = MMT_OP_WRITE;
	job.size = 64 * 1024;
	job.chunks = chunks;
	job.nchunks = 1;
	job.methods = methods;
	job.nmethods = 1;
	job.runs = 1;
	job.dir = small_fs_flags(MS_RDONLY);
	job.test_corrupt_at = -1;
	job.skip_space_check = true;
	ASSERT_EQ_INT(mmt_job_check(&job, &err), -EROFS);
	ASSERT_EQ_INT(err.code, -EROFS);
	ASSERT_CONTAINS(err.msg, "cannot write in directory");
	ASSERT_CONTAINS(err.msg, mnt);
	small_fs_done();
}
