/*
 * test-tmpfs.c - a disk that fills up during a run.  On a 1 MiB tmpfs a
 * 4 MiB file cannot be written: write() fails with ENOSPC and a store
 * through a mapping raises SIGBUS; both must come back as -ENOSPC with
 * nothing left behind, and mmt_job_check() must refuse such a job up front.
 * On a ramfs, methods that need O_DIRECT or fallocate() say why they cannot
 * run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
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
	/* And every block is free again, right away. */
	{
		struct statvfs sv;

		ASSERT_EQ_INT(statvfs(mnt, &sv), 0);
		ASSERT_MSG(sv.f_bfree == sv.f_blocks, "%s: %llu of %llu blocks still in use", name,
			   (unsigned long long)(sv.f_blocks - sv.f_bfree),
			   (unsigned long long)sv.f_blocks);
	}

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

TEST_IMPL(sweep_enospc_mmap_falloc)
{
	sweep_fills_disk("mmap-falloc");
}

TEST_IMPL(sweep_enospc_mmap_populate)
{
	sweep_fills_disk("mmap-populate");
}

/* io_uring: every request in flight must be reaped before the ring is
 * torn down, or the file's pages stay held after it is removed. */
TEST_IMPL(sweep_enospc_uring)
{
	const struct mmt_method *m = mmt_method_find("uring");
	struct mmt_opts opts = { 0 };
	struct mmt_probe q = { .dirfd = AT_FDCWD, .opts = &opts };
	char why[192] = "";
	struct statvfs sv;

	ASSERT(m);
	if (m->probe(&q, why, sizeof(why)))
		SKIP("uring cannot run here: %s", why);
	sweep_fills_disk("uring");
	/* sweep_fills_disk() unmounted it; mount a fresh one and fill it
	 * with small requests, many in flight. */
	{
		static const uint64_t chunks[] = { 4096 };
		const struct mmt_method *methods[] = { m };
		struct mmt_error err = { 0 };
		struct mmt_results res;
		struct mmt_job job;
		int rc;

		memset(&job, 0, sizeof(job));
		job.op = MMT_OP_WRITE;
		job.size = 4 * 1024 * 1024;
		job.chunks = chunks;
		job.nchunks = 1;
		job.methods = methods;
		job.nmethods = 1;
		job.runs = 1;
		job.opts.queue_depth = 64;
		snprintf(mnt, sizeof(mnt), "%s/small2", test_dir());
		ASSERT_EQ_INT(mkdir(mnt, 0700), 0);
		if (mount("tmpfs", mnt, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0700"))
			SKIP("cannot mount a 1 MiB tmpfs at '%s': %s", mnt, strerror(errno));
		job.dir = mnt;
		job.test_corrupt_at = -1;
		job.skip_space_check = true;
		rc = mmt_sweep(&job, &res, &err);
		ASSERT_MSG(rc == -ENOSPC, "mmt_sweep returned %d (%s), want -ENOSPC", rc, err.msg);
		ASSERT_EQ_INT(test_count_entries(mnt), 0);
		ASSERT_EQ_INT(statvfs(mnt, &sv), 0);
		ASSERT_MSG(sv.f_bfree == sv.f_blocks, "%llu of %llu blocks still in use",
			   (unsigned long long)(sv.f_blocks - sv.f_bfree),
			   (unsigned long long)sv.f_blocks);
		small_fs_done();
	}
}

/* A filesystem without O_DIRECT or fallocate() (ramfs): the probes say
 * so, the sweep marks those points unavailable with the reason, runs the
 * rest and leaves nothing behind. */
TEST_IMPL(sweep_unavailable_on_ramfs)
{
	static const uint64_t chunks[] = { 4096, 65536 };
	const struct mmt_method *methods[] = { mmt_method_find("direct"), mmt_method_find("mmap-falloc"),
					       mmt_method_find("write") };
	struct mmt_opts opts = { 0 };
	struct mmt_probe q = { .opts = &opts };
	struct mmt_error err = { 0 };
	struct mmt_results res;
	struct mmt_job job;
	char why[192] = "";
	int rc;

	if (geteuid() != 0)
		SKIP("mounting a ramfs needs root");
	snprintf(mnt, sizeof(mnt), "%s/ram", test_dir());
	ASSERT_EQ_INT(mkdir(mnt, 0700), 0);
	if (mount("ramfs", mnt, "ramfs", MS_NOSUID | MS_NODEV, "mode=0700"))
		SKIP("cannot mount a ramfs at '%s': %s", mnt, strerror(errno));
	q.dirfd = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT(q.dirfd >= 0);
	if (methods[0]->probe(&q, why, sizeof(why)) == 0) {
		close(q.dirfd);
		small_fs_done();
		SKIP("this kernel's ramfs accepts O_DIRECT");
	}
	ASSERT_CONTAINS(why, "the filesystem refuses O_DIRECT");
	why[0] = '\0';
	q.size = q.chunk = 4096;
	ASSERT_EQ_INT(methods[0]->probe(&q, why, sizeof(why)), MMT_EUNAVAIL);
	ASSERT_CONTAINS(why, "refuses O_DIRECT");
	why[0] = '\0';
	ASSERT_EQ_INT(methods[1]->probe(&q, why, sizeof(why)), MMT_EUNAVAIL);
	ASSERT_CONTAINS(why, "fallocate");
	ASSERT_EQ_INT(methods[2]->probe(&q, why, sizeof(why)), 0);
	close(q.dirfd);
	/* The probes leave nothing behind (they use O_TMPFILE). */
	ASSERT_EQ_INT(test_count_entries(mnt), 0);

	memset(&job, 0, sizeof(job));
	job.op = MMT_OP_WRITE;
	job.size = 65536;
	job.chunks = chunks;
	job.nchunks = 2;
	job.methods = methods;
	job.nmethods = 3;
	job.runs = 1;
	job.dir = mnt;
	job.test_corrupt_at = -1;
	rc = mmt_sweep(&job, &res, &err);
	ASSERT_MSG(rc == 0, "mmt_sweep returned %d (%s)", rc, err.msg);
	for (size_t i = 0; i < res.npoints; i++) {
		const struct mmt_point *p = &res.points[i];

		if (p->method == methods[2]) {
			ASSERT(p->available && p->verified && !p->why[0]);
		} else {
			ASSERT(!p->available && !p->verified);
			ASSERT_CONTAINS(p->why, p->method == methods[0] ? "O_DIRECT" : "fallocate");
		}
	}
	mmt_results_free(&res);
	ASSERT_EQ_INT(test_count_entries(mnt), 0);

	/* Nothing at all can run: MMT_EUNAVAIL, with the reason. */
	job.methods = methods;
	job.nmethods = 2;
	ASSERT_EQ_INT(mmt_sweep(&job, &res, &err), MMT_EUNAVAIL);
	ASSERT_CONTAINS(err.msg, "no method can run here");
	ASSERT(res.points == NULL && res.npoints == 0);
	ASSERT_EQ_INT(test_count_entries(mnt), 0);
	small_fs_done();
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
