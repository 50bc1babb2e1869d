/*
 * sweep.c - the driver.  For each repeat, each chunk size and each method,
 * it prepares a run (fresh name, settled filesystem, counter snapshot)
 * untimed, calls the method once for the timed span, then, untimed again,
 * takes counters, verifies every byte of the file and removes it.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "core/internal.h"

/* Verification reads the file back in blocks of this size. */
#define VERIFY_BLOCK (1u << 20)

static volatile sig_atomic_t cancelled;

/* The published chunk sizes of the classic experiment. */
static const uint64_t classic_chunks[] = {
	1, 8, 16, 64, 128, 256, 1024, 8192, 131072, 262144, 524288,
	1048576, 2097152, 5242880, 10485760,
};

/* See mmaptimer.h. */
void mmt_job_classic(struct mmt_job *job)
{
	static const struct mmt_method *classic_methods[2];

	classic_methods[0] = mmt_method_find("mmap");
	classic_methods[1] = mmt_method_find("write");
	memset(job, 0, sizeof(*job));
	job->op = MMT_OP_WRITE;
	job->size = 10485760;
	job->chunks = classic_chunks;
	job->nchunks = MMT_ARRAY_SIZE(classic_chunks);
	job->methods = classic_methods;
	job->nmethods = 2;
	job->runs = 3;
	job->warmup = 0;
	job->dir = ".";
	job->opts.batch = MMT_DEFAULT_BATCH;
	job->opts.queue_depth = MMT_DEFAULT_QUEUE_DEPTH;
	job->test_corrupt_at = -1;
	job->test_shrink_to = -1;
}

/* See mmaptimer.h. */
void mmt_job_read(struct mmt_job *job)
{
	static const struct mmt_method *read_methods[2];

	mmt_job_classic(job);
	read_methods[0] = mmt_method_find("mmap");
	read_methods[1] = mmt_method_find("read");
	job->op = MMT_OP_READ;
	job->methods = read_methods;
	job->opts.read.seed = 1;
}

/* See mmaptimer.h. */
void mmt_sweep_cancel(void)
{
	cancelled = 1;
}

/* Bytes of memory in /proc/meminfo's field (MemTotal, MemAvailable), or
 * 0 when unknown. */
static uint64_t meminfo(const char *field)
{
	char line[128];
	unsigned long long kb = 0;
	size_t fl = strlen(field);
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, fl) && line[fl] == ':' &&
		    sscanf(line + fl + 1, "%llu", &kb) == 1)
			break;
	fclose(f);
	return (uint64_t)kb * 1024;
}

/* What no valid-looking value may do: record so many runs, or need so
 * large a buffer, that the tool runs out of memory instead of measuring.
 * (Results are kept per run; the pattern source is a period plus the
 * largest chunk, and every byte of it is written before timing starts;
 * reading adds a buffer of a chunk, or of a chunk per request in flight
 * for uring.) */
static int check_bounds(const struct mmt_job *job, struct mmt_error *err)
{
	uint64_t maxchunk = 0, need, total = meminfo("MemTotal");
	/* In double: no product of the three can overflow it. */
	double runs = (double)job->runs * (double)job->nchunks * (double)job->nmethods;
	char a[32], b[32], c[32];
	bool uring = false;

	if (runs > MMT_MAX_RUNS)
		return mmt__error_set(err, -E2BIG,
				      "%zu chunk sizes x %zu methods x %u runs is %.3g runs to record, more than %d: ask for fewer",
				      job->nchunks, job->nmethods, job->runs, runs, MMT_MAX_RUNS);
	for (size_t i = 0; i < job->nchunks; i++)
		maxchunk = MMT_MAX(maxchunk, job->chunks[i]);
	for (size_t i = 0; i < job->nmethods; i++)
		uring |= !strcmp(job->methods[i]->name, "uring");
	need = MMT_PATTERN_PERIOD + MMT_MAX(maxchunk, VERIFY_BLOCK) + VERIFY_BLOCK;
	if (job->op == MMT_OP_READ) {
		unsigned qd = job->opts.queue_depth ? job->opts.queue_depth : MMT_DEFAULT_QUEUE_DEPTH;
		uint64_t rbuf = maxchunk;

		if (uring && maxchunk > UINT64_MAX / qd)
			rbuf = UINT64_MAX;
		else if (uring)
			rbuf = maxchunk * qd;
		need = rbuf > UINT64_MAX - need ? UINT64_MAX : need + rbuf;
	}
	if (total && need > total / 2)
		return mmt__error_set(err, -ENOMEM,
				      "chunks of %s need %s of buffers, more than half of this machine's %s of memory: use smaller chunks%s",
				      mmt_format_size(maxchunk, a, sizeof(a)),
				      mmt_format_size(need, b, sizeof(b)),
				      mmt_format_size(total, c, sizeof(c)),
				      job->op == MMT_OP_READ && uring ? " or a lower --queue-depth" : "");
	return 0;
}

/* See mmaptimer.h. */
int mmt_job_check(const struct mmt_job *job, struct mmt_error *err)
{
	char a[32], b[32];
	struct statvfs sv;
	struct stat st;
	int dirfd, rc = 0;

	if (job->size == 0)
		return mmt__error_set(err, -EINVAL, "file size must be at least 1 byte");
	/* ftruncate() and friends take an off_t. */
	if (job->size > (uint64_t)INT64_MAX)
		return mmt__error_set(err, -ERANGE, "file size is too large");
	if (job->nchunks == 0)
		return mmt__error_set(err, -EINVAL, "no chunk sizes given");
	if (job->nmethods == 0)
		return mmt__error_set(err, -EINVAL, "no methods given");
	if (job->runs == 0)
		return mmt__error_set(err, -EINVAL, "runs must be at least 1");
	for (size_t i = 0; i < job->nchunks; i++) {
		if (job->chunks[i] == 0)
			return mmt__error_set(err, -EINVAL, "chunk size must be at least 1 byte");
		if (job->chunks[i] > job->size)
			return mmt__error_set(err, -EINVAL,
					      "chunk size '%s' is larger than the file size '%s'",
					      mmt_format_size(job->chunks[i], a, sizeof(a)),
					      mmt_format_size(job->size, b, sizeof(b)));
		/* Methods hand a whole chunk to one call; keep it in range of
		 * size_t and ssize_t. */
		if (job->chunks[i] > (uint64_t)SSIZE_MAX - MMT_PATTERN_PERIOD)
			return mmt__error_set(err, -ERANGE, "chunk size '%s' is too large",
					      mmt_format_size(job->chunks[i], a, sizeof(a)));
	}
	for (size_t i = 0; i < job->nmethods; i++)
		if (!(job->methods[i]->ops & job->op))
			return mmt__error_set(err, -EINVAL, "method '%s' cannot %s files",
					      job->methods[i]->name,
					      job->op == MMT_OP_WRITE ? "write" : "read");

	if (job->opts.sync > MMT_SYNC_EACH)
		return mmt__error_set(err, -EINVAL, "unknown sync mode");
	if (job->opts.batch > IOV_MAX)
		return mmt__error_set(err, -EINVAL, "batch must be from 1 to %d chunks", IOV_MAX);
	if (job->opts.queue_depth > 4096)
		return mmt__error_set(err, -EINVAL, "queue depth must be from 1 to 4096");
	if (job->opts.advice > MMT_ADVICE_HUGEPAGE)
		return mmt__error_set(err, -EINVAL, "unknown madvise advice");
	if ((rc = check_bounds(job, err)))
		return rc;

	dirfd = open(job->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return mmt__error_set(err, -errno, "cannot use directory '%s': %s", job->dir,
				      strerror(errno));
	/* In a directory everyone may write to without the sticky bit,
	 * another user could rename or replace the tool's file mid-run, and
	 * the tool would then verify or remove a file it did not create. */
	if (fstat(dirfd, &st) == 0 && (st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))
		rc = mmt__error_set(err, -EPERM,
				    "refusing directory '%s': anyone may write to it and it is not sticky, so another user could replace the files the run creates (chmod +t, or use another directory)",
				    job->dir);
	else if (fstatvfs(dirfd, &sv) == 0 && (sv.f_flag & ST_RDONLY))
		rc = mmt__error_set(err, -EROFS, "cannot write in directory '%s': %s", job->dir,
				    strerror(EROFS));
	else if (faccessat(dirfd, ".", W_OK | X_OK, AT_EACCESS))
		rc = mmt__error_set(err, -errno, "cannot write in directory '%s': %s", job->dir,
				    strerror(errno));
	/* Refuse up front rather than fail in the middle of a sweep; the
	 * margin covers metadata and the filesystem's reserve.  Pseudo
	 * filesystems report no blocks at all: there the run itself tells. */
	/* Without figures (ramfs), a file lives in memory: a file larger than
	 * the memory available would end in the out-of-memory killer. */
	if (!rc && !job->skip_space_check && fstatvfs(dirfd, &sv) == 0 && sv.f_blocks == 0) {
		uint64_t avail = meminfo("MemAvailable");

		if (avail && job->size > avail)
			rc = mmt__error_set(err, -ENOSPC,
					    "'%s' gives no free-space figures, so its files live in memory, and a %s file is more than the %s available: %s",
					    job->dir, mmt_format_size(job->size, a, sizeof(a)),
					    mmt_format_size(avail, b, sizeof(b)), strerror(ENOSPC));
	}
	if (!rc && !job->skip_space_check && fstatvfs(dirfd, &sv) == 0 && sv.f_blocks > 0) {
		uint64_t avail = (uint64_t)sv.f_bavail * sv.f_frsize;

		if (avail < job->size + job->size / 64 + (1u << 20))
			rc = mmt__error_set(err, -ENOSPC,
					    "not enough free space in '%s' for a %s file (%s available): %s",
					    job->dir, mmt_format_size(job->size, a, sizeof(a)),
					    mmt_format_size(avail, b, sizeof(b)), strerror(ENOSPC));
	}
	close(dirfd);
	return rc;
}

/* Flip the byte at offset `at` of the file: the test hook that proves
 * verification catches a damaged file. */
static int corrupt(int dirfd, const char *name, int64_t at)
{
	unsigned char c;
	int fd = openat(dirfd, name, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (pread(fd, &c, 1, at) != 1) {
		rc = -EIO;
	} else {
		c ^= 0xff;
		if (pwrite(fd, &c, 1, at) != 1)
			rc = -EIO;
	}
	close(fd);
	return rc;
}

/* Test hook: truncate the file to `to` bytes, as another process might. */
static int shrink(int dirfd, const char *name, int64_t to)
{
	int fd = openat(dirfd, name, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, to))
		rc = -errno;
	close(fd);
	return rc;
}

/* Read the file back with pread() - never through the method that wrote
 * it - and compare every byte with the pattern.  On a mismatch, *bad is the
 * first differing offset (or the file's size when it is too short or too
 * long). */
static int verify(int dirfd, const char *name, uint64_t size, const unsigned char *src,
		  unsigned char *buf, uint64_t *bad)
{
	struct stat st;
	uint64_t off = 0;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		rc = -errno;
		goto out;
	}
	if ((uint64_t)st.st_size != size) {
		*bad = (uint64_t)st.st_size;
		rc = MMT_EVERIFY;
		goto out;
	}
	while (off < size) {
		size_t n = (size_t)MMT_MIN(size - off, VERIFY_BLOCK);
		ssize_t got = pread(fd, buf, n, (off_t)off);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			rc = got < 0 ? -errno : -EIO;
			goto out;
		}
		/* Compare in pieces that do not cross the pattern's period. */
		for (size_t i = 0; i < (size_t)got;) {
			size_t p = (size_t)((off + i) % MMT_PATTERN_PERIOD);
			size_t len = MMT_MIN((size_t)got - i, MMT_PATTERN_PERIOD - p);

			if (memcmp(buf + i, src + p, len)) {
				size_t j = 0;

				while (buf[i + j] == src[p + j])
					j++;
				*bad = off + i + j;
				rc = MMT_EVERIFY;
				goto out;
			}
			i += len;
		}
		off += (uint64_t)got;
	}
out:
	close(fd);
	return rc;
}

/* The kernel's I/O accounting for this process; all -1 when
 * /proc/self/io cannot be read (a kernel without task I/O accounting). */
struct io_acct {
	double write_bytes, cancelled, syscw, read_bytes, syscr;
};

static void io_acct_now(struct io_acct *a)
{
	char line[128];
	FILE *f = fopen("/proc/self/io", "re");

	a->write_bytes = a->cancelled = a->syscw = a->read_bytes = a->syscr = -1;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;

		if (sscanf(line, "write_bytes: %llu", &v) == 1)
			a->write_bytes = (double)v;
		else if (sscanf(line, "cancelled_write_bytes: %llu", &v) == 1)
			a->cancelled = (double)v;
		else if (sscanf(line, "syscw: %llu", &v) == 1)
			a->syscw = (double)v;
		else if (sscanf(line, "read_bytes: %llu", &v) == 1)
			a->read_bytes = (double)v;
		else if (sscanf(line, "syscr: %llu", &v) == 1)
			a->syscr = (double)v;
	}
	fclose(f);
}

struct sweep {
	const struct mmt_job *job;
	int dirfd;
	const unsigned char *src;
	unsigned char *vbuf;
	struct mmt_error *err;
	/* Reading: the prepared file, the checksum each chunk size must
	 * give, and the methods' prefaulted buffer. */
	char rname[96];
	uint64_t *expected;
	unsigned char *rbuf;
	size_t rbufsize;
};

/* The checksum a complete read of the pattern file gives, chunk by chunk:
 * what every method's st->checksum must equal. */
static uint64_t expected_checksum(const unsigned char *src, uint64_t size, uint64_t chunk)
{
	uint64_t sum = 0;

	for (uint64_t off = 0; off < size; off += chunk)
		sum += mmt_checksum(src + off % MMT_PATTERN_PERIOD, (size_t)MMT_MIN(chunk, size - off));
	return sum;
}

/* The timing fields of a run from the method's stamps. */
static void stamps_to_run(const struct mmt_stamps *st, struct mmt_run *out)
{
	out->seconds = (double)(st->t_end - st->t_start) / 1e9;
	out->setup = (double)(st->t_setup - st->t_start) / 1e9;
	out->transfer = (double)(st->t_transfer - st->t_setup) / 1e9;
	out->sync = (double)(st->t_sync - st->t_transfer) / 1e9;
	out->teardown = (double)(st->t_end - st->t_sync) / 1e9;
}

/* One read run of method m at chunk index ci: untimed, the page cache
 * made warm or cold and the file's residency measured; the timed method;
 * untimed, the counters and the checksum compared. */
static int run_read_once(struct sweep *s, const struct mmt_method *m, size_t ci,
			 struct mmt_run *out)
{
	const struct mmt_job *job = s->job;
	const uint64_t chunk = job->chunks[ci];
	struct mmt_io io = {
		.dirfd = s->dirfd, .name = s->rname, .size = job->size, .chunk = chunk,
		.src = s->src, .opts = &job->opts, .buf = s->rbuf, .bufsize = s->rbufsize,
	};
	struct io_acct io0, io1;
	struct mmt_stamps st = { 0 };
	struct mmt__usage u0, u1;
	bool file = !(m->flags & MMT_METHOD_NOFILE);
	double frac = 0;
	char cs[32];
	int rc = 0;

	mmt_format_size(chunk, cs, sizeof(cs));
	if (file) {
		syncfs(s->dirfd);
		if (job->opts.read.cache == MMT_CACHE_COLD)
			rc = mmt__cache_evict(s->dirfd, s->rname, job->opts.read.drop_caches);
		else
			rc = mmt__cache_warm(s->dirfd, s->rname, s->vbuf, VERIFY_BLOCK);
		if (rc)
			return mmt__error_set(s->err, rc, "cannot make the page cache %s for '%s/%s': %s",
					      job->opts.read.cache == MMT_CACHE_COLD ? "cold" : "warm",
					      job->dir, s->rname, mmt_strerror(rc));
		/* What is resident just before the timer starts: the proof
		 * (or not) that a cold run was cold. */
		if (mmt__resident(s->dirfd, s->rname, job->size, &frac))
			frac = -1;
	}
	if (file && job->test_shrink_to >= 0 && (rc = shrink(s->dirfd, s->rname, job->test_shrink_to)))
		return mmt__error_set(s->err, rc, "test hook: cannot truncate '%s': %s", s->rname,
				      mmt_strerror(rc));
	io_acct_now(&io0);
	mmt__usage_now(&u0);
	rc = m->read(&io, &st);
	mmt__usage_now(&u1);
	io_acct_now(&io1);
	if (rc)
		return mmt__error_set(s->err, rc, "method '%s' failed reading %s chunks of '%s/%s': %s",
				      m->name, cs, job->dir, s->rname, mmt_strerror(rc));
	if (st.checksum != s->expected[ci])
		return mmt__error_set(s->err, MMT_ECHECKSUM,
				      "verification failed: method '%s' with %s chunks read data whose checksum %016llx differs from the file's %016llx",
				      m->name, cs, (unsigned long long)st.checksum,
				      (unsigned long long)s->expected[ci]);
	stamps_to_run(&st, out);
	mmt__usage_diff(&u0, &u1, &out->c);
	out->c.syscalls = (double)st.syscalls;
	/* stdio's read() calls are the library's: the kernel counted them. */
	if ((m->flags & MMT_METHOD_SYSCW) && io0.syscr >= 0 && io1.syscr >= 0)
		out->c.syscalls += io1.syscr - io0.syscr;
	out->c.storage_bytes = 0;
	out->c.storage_read_bytes = io0.read_bytes < 0 || io1.read_bytes < 0
		? -1 : io1.read_bytes - io0.read_bytes;
	out->c.resident = frac;
	return 0;
}

/* One run of method m at one chunk size: untimed preparation, the timed
 * method, untimed counters, verification and removal.  Fills *out. */
static int run_once(struct sweep *s, const struct mmt_method *m, uint64_t chunk,
		    struct mmt_run *out)
{
	const struct mmt_job *job = s->job;
	char name[96] = "", cs[32];
	struct mmt_io io = {
		.dirfd = s->dirfd, .name = name, .size = job->size, .chunk = chunk, .src = s->src,
		.opts = &job->opts,
	};
	struct io_acct io0, io1, io2;
	struct mmt_stamps st = { 0 };
	struct mmt__usage u0, u1;
	bool file = !(m->flags & MMT_METHOD_NOFILE);
	uint64_t bad = 0;
	int rc;

	mmt_format_size(chunk, cs, sizeof(cs));
	if (file) {
		rc = mmt__tempfile_name(s->dirfd, name, sizeof(name));
		if (rc)
			return mmt__error_set(s->err, rc, "cannot create '%s/%s': %s", job->dir,
					      name, mmt_strerror(rc));
		/* Settle: write back whatever earlier runs (or anything else)
		 * left dirty on this filesystem, so that its writeback does
		 * not land inside this run's timed span. */
		syncfs(s->dirfd);
	}
	io_acct_now(&io0);
	mmt__usage_now(&u0);
	rc = m->write(&io, &st);
	mmt__usage_now(&u1);
	io_acct_now(&io1);
	io2 = io1;
	if (rc == -EEXIST) {
		/* Someone else created the name between our check and the
		 * method's O_EXCL open: it is not ours, so leave it alone. */
		mmt__tempfile_forget();
		return mmt__error_set(s->err, rc, "cannot create '%s/%s': %s", job->dir, name,
				      mmt_strerror(rc));
	}
	if (rc) {
		if (file)
			unlinkat(s->dirfd, name, 0);
		mmt__tempfile_forget();
		return mmt__error_set(s->err, rc, "method '%s' failed writing %s chunks to '%s': %s",
				      m->name, cs, job->dir, mmt_strerror(rc));
	}
	if (file) {
		if (job->test_corrupt_at >= 0 && (uint64_t)job->test_corrupt_at < job->size)
			rc = corrupt(s->dirfd, name, job->test_corrupt_at);
		if (!rc)
			rc = verify(s->dirfd, name, job->size, s->src, s->vbuf, &bad);
		unlinkat(s->dirfd, name, 0);
		mmt__tempfile_forget();
		io_acct_now(&io2);
		if (rc == MMT_EVERIFY)
			return mmt__error_set(s->err, rc,
					      "verification failed: method '%s' with %s chunks wrote a file that differs from the pattern at offset %llu",
					      m->name, cs, (unsigned long long)bad);
		if (rc)
			return mmt__error_set(s->err, rc, "cannot read back '%s/%s' to verify it: %s",
					      job->dir, name, mmt_strerror(rc));
	}
	stamps_to_run(&st, out);
	mmt__usage_diff(&u0, &u1, &out->c);
	out->c.syscalls = (double)st.syscalls;
	/* stdio's write() calls are the library's: the kernel counted them. */
	if ((m->flags & MMT_METHOD_SYSCW) && io0.syscw >= 0 && io1.syscw >= 0)
		out->c.syscalls += io1.syscw - io0.syscw;
	/* Net bytes sent to storage, measured across the removal of the file
	 * so that dirty pages dropped by unlink() count as never written. */
	if (!file)
		out->c.storage_bytes = 0;
	else if (io0.write_bytes < 0 || io2.write_bytes < 0 || io2.cancelled < 0)
		out->c.storage_bytes = -1;
	else
		out->c.storage_bytes = MMT_MAX(0.0, (io2.write_bytes - io0.write_bytes) -
						    (io2.cancelled - io0.cancelled));
	return 0;
}

/* Median over a point's runs of the double at byte offset `field` of
 * struct mmt_run. */
static double median_of(const struct mmt_point *p, size_t field, double *tmp)
{
	for (size_t i = 0; i < p->nruns; i++)
		memcpy(&tmp[i], (const char *)&p->runs[i] + field, sizeof(double));
	return mmt__median(tmp, p->nruns);
}

/* Medians, min and max of a point's runs. */
static void summarise(struct mmt_point *p, double *tmp)
{
#define M(f) median_of(p, offsetof(struct mmt_run, f), tmp)
	p->min = p->max = p->runs[0].seconds;
	for (size_t i = 1; i < p->nruns; i++) {
		p->min = MMT_MIN(p->min, p->runs[i].seconds);
		p->max = MMT_MAX(p->max, p->runs[i].seconds);
	}
	p->median = M(seconds);
	p->setup = M(setup);
	p->transfer = M(transfer);
	p->sync = M(sync);
	p->teardown = M(teardown);
	p->c.syscalls = M(c.syscalls);
	p->c.minflt = M(c.minflt);
	p->c.majflt = M(c.majflt);
	p->c.utime = M(c.utime);
	p->c.stime = M(c.stime);
	p->c.nvcsw = M(c.nvcsw);
	p->c.nivcsw = M(c.nivcsw);
	p->c.storage_bytes = M(c.storage_bytes);
	p->c.storage_read_bytes = M(c.storage_read_bytes);
	p->c.resident = M(c.resident);
	p->resident_max = p->runs[0].c.resident;
	for (size_t i = 1; i < p->nruns; i++)
		p->resident_max = MMT_MAX(p->resident_max, p->runs[i].c.resident);
#undef M
}

/* See mmaptimer.h. */
void mmt_results_free(struct mmt_results *res)
{
	if (!res->points)
		return;
	for (size_t i = 0; i < res->npoints; i++)
		free(res->points[i].runs);
	free(res->points);
	memset(res, 0, sizeof(*res));
}

/* Reading: the file every run reads, made once (untimed) and registered
 * for removal; the checksum each chunk size must give; the buffer the
 * methods read into, prefaulted so that no method pays for its faults. */
static int prepare_read(struct sweep *s)
{
	const struct mmt_job *job = s->job;
	uint64_t maxchunk = 0;
	bool uring = false;
	int rc;

	for (size_t i = 0; i < job->nchunks; i++)
		maxchunk = MMT_MAX(maxchunk, job->chunks[i]);
	for (size_t i = 0; i < job->nmethods; i++)
		uring |= !strcmp(job->methods[i]->name, "uring");
	s->rbufsize = (size_t)maxchunk *
		      (uring ? (job->opts.queue_depth ? job->opts.queue_depth : MMT_DEFAULT_QUEUE_DEPTH) : 1);
	s->rbuf = mmap(NULL, s->rbufsize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	s->expected = calloc(job->nchunks, sizeof(*s->expected));
	if (s->rbuf == MAP_FAILED || !s->expected) {
		s->rbuf = s->rbuf == MAP_FAILED ? NULL : s->rbuf;
		return mmt__error_set(s->err, -ENOMEM, "cannot allocate a %s read buffer",
				      mmt_format_size(s->rbufsize, (char[32]){ 0 }, 32));
	}
	memset(s->rbuf, 0x5a, s->rbufsize);
	for (size_t i = 0; i < job->nchunks; i++)
		s->expected[i] = expected_checksum(s->src, job->size, job->chunks[i]);

	if ((rc = mmt__tempfile_name(s->dirfd, s->rname, sizeof(s->rname)))) {
		mmt__error_set(s->err, rc, "cannot create '%s/%s': %s", job->dir, s->rname,
			       mmt_strerror(rc));
		s->rname[0] = '\0';
		return rc;
	}
	if ((rc = mmt__prepare_file(s->dirfd, s->rname, job->size, s->src, VERIFY_BLOCK))) {
		if (rc == -EEXIST) {
			mmt__tempfile_forget();
			s->rname[0] = '\0';
		}
		return mmt__error_set(s->err, rc, "cannot prepare the file to read, '%s/%s': %s",
				      job->dir, s->rname, mmt_strerror(rc));
	}
	if (job->test_corrupt_at >= 0 && (uint64_t)job->test_corrupt_at < job->size &&
	    (rc = corrupt(s->dirfd, s->rname, job->test_corrupt_at)))
		return mmt__error_set(s->err, rc, "test hook: cannot corrupt '%s': %s", s->rname,
				      mmt_strerror(rc));
	return 0;
}

/* Whether method number k of the job can run at any of its points. */
static bool method_runs(const struct mmt_results *res, size_t k)
{
	for (size_t c = 0; c < res->nchunks; c++)
		if (res->points[c * res->nmethods + k].available)
			return true;
	return false;
}

/* See mmaptimer.h. */
int mmt_sweep(const struct mmt_job *job, struct mmt_results *res, struct mmt_error *err)
{
	struct sweep s = { .job = job, .dirfd = -1, .err = err };
	struct mmt_progress pr = { 0 };
	uint64_t maxchunk = 0, t0;
	size_t navail = 0;
	unsigned char *src = NULL;
	double *tmp = NULL;
	bool *began = NULL;
	int rc;

	memset(res, 0, sizeof(*res));
	cancelled = 0;
	if ((rc = mmt_job_check(job, err)))
		return rc;
	for (size_t i = 0; i < job->nchunks; i++)
		maxchunk = MMT_MAX(maxchunk, job->chunks[i]);

	s.dirfd = open(job->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s.dirfd < 0)
		return mmt__error_set(err, -errno, "cannot use directory '%s': %s", job->dir,
				      strerror(errno));
	res->nchunks = job->nchunks;
	res->nmethods = job->nmethods;
	res->npoints = job->nchunks * job->nmethods;
	res->points = calloc(res->npoints, sizeof(*res->points));
	/* Reading prepares its file in blocks of up to VERIFY_BLOCK. */
	if (job->op == MMT_OP_READ)
		maxchunk = MMT_MAX(maxchunk, VERIFY_BLOCK);
	mmt__peak_rss_reset();
	src = mmt_pattern_alloc((size_t)maxchunk);
	s.vbuf = malloc(VERIFY_BLOCK);
	tmp = calloc(job->runs, sizeof(*tmp));
	rc = -ENOMEM;
	if (!res->points || !src || !s.vbuf || !tmp) {
		mmt__error_set(err, rc, "cannot allocate memory for a sweep with %s chunks",
			       mmt_format_size(maxchunk, (char[32]){ 0 }, 32));
		goto out;
	}
	s.src = src;
	for (size_t i = 0; i < res->npoints; i++) {
		struct mmt_point *p = &res->points[i];

		p->method = job->methods[i % job->nmethods];
		p->size = job->size;
		p->chunk = job->chunks[i / job->nmethods];
		p->nruns = job->runs;
		p->checked = !(p->method->flags & MMT_METHOD_NOFILE);
		if (!(p->runs = calloc(job->runs, sizeof(*p->runs)))) {
			mmt__error_set(err, rc, "cannot allocate memory for %u runs", job->runs);
			goto out;
		}
		/* Ask each method about each point before anything runs: an
		 * O_DIRECT chunk that cannot be aligned is reported, not
		 * faked and not silently skipped. */
		p->available = true;
		if (p->method->probe) {
			struct mmt_probe q = {
				.dirfd = s.dirfd, .op = job->op, .size = p->size, .chunk = p->chunk,
				.opts = &job->opts,
			};
			int e = p->method->probe(&q, p->why, sizeof(p->why));

			if (e) {
				p->available = false;
				if (!p->why[0])
					snprintf(p->why, sizeof(p->why), "%s", mmt_strerror(e));
			}
		}
		if (p->available)
			navail++;
	}
	/* What a method's runs share is set up once, untimed; a method that
	 * cannot set it up is unavailable at every point, with the reason. */
	if (!(began = calloc(job->nmethods, sizeof(*began)))) {
		mmt__error_set(err, rc, "cannot allocate memory for %zu methods", job->nmethods);
		goto out;
	}
	for (size_t k = 0; k < job->nmethods; k++) {
		const struct mmt_method *m = job->methods[k];
		char why[sizeof(res->points[0].why)] = "";
		int e;

		if (!m->begin || !method_runs(res, k))
			continue;
		if (!(e = m->begin(why, sizeof(why)))) {
			began[k] = true;
			continue;
		}
		for (size_t c = 0; c < job->nchunks; c++) {
			struct mmt_point *p = &res->points[c * job->nmethods + k];

			if (!p->available)
				continue;
			p->available = false;
			snprintf(p->why, sizeof(p->why), "%s", why[0] ? why : mmt_strerror(e));
			navail--;
		}
	}
	if (navail == 0) {
		rc = mmt__error_set(err, MMT_EUNAVAIL, "no method can run here: %s: %s",
				    res->points[0].method->name, res->points[0].why);
		goto out;
	}
	if (job->op == MMT_OP_READ && (rc = prepare_read(&s)))
		goto out;
	if ((rc = mmt__sigbus_install())) {
		mmt__error_set(err, rc, "cannot install a SIGBUS handler: %s", mmt_strerror(rc));
		goto out;
	}

	pr.total = (size_t)(job->warmup + job->runs) * navail;
	t0 = mmt_now_ns();
	for (unsigned r = 0; r < job->warmup + job->runs; r++) {
		for (size_t c = 0; c < job->nchunks; c++) {
			for (size_t k = 0; k < job->nmethods; k++) {
				/* Rotate the order every repeat so that no method
				 * always runs right after another's writeback. */
				size_t mi = (k + r) % job->nmethods;
				struct mmt_point *p = &res->points[c * job->nmethods + mi];
				struct mmt_run run;

				if (!p->available)
					continue;
				if (cancelled) {
					rc = mmt__error_set(err, MMT_EINTERRUPTED, "interrupted");
					goto restore;
				}
				if (job->progress) {
					pr.method = p->method;
					pr.chunk = p->chunk;
					pr.run = r;
					pr.warmup = r < job->warmup;
					pr.elapsed = (double)(mmt_now_ns() - t0) / 1e9;
					job->progress(job->progress_arg, &pr);
				}
				memset(&run, 0, sizeof(run));
				rc = job->op == MMT_OP_READ ? run_read_once(&s, p->method, c, &run)
							    : run_once(&s, p->method, p->chunk, &run);
				if (rc)
					goto restore;
				if (r >= job->warmup)
					p->runs[r - job->warmup] = run;
				pr.done++;
			}
		}
	}
	for (size_t i = 0; i < res->npoints; i++) {
		struct mmt_point *p = &res->points[i];

		if (!p->available)
			continue;
		summarise(p, tmp);
		p->verified = p->checked;
		p->cold_confirmed = job->op == MMT_OP_READ && job->opts.read.cache == MMT_CACHE_COLD &&
				    p->checked && p->resident_max >= 0 && p->resident_max <= 0.01;
	}
	res->peak_rss = mmt__peak_rss();
	rc = 0;
restore:
	mmt__sigbus_restore();
out:
	if (s.rname[0]) {
		unlinkat(s.dirfd, s.rname, 0);
		mmt__tempfile_forget();
	}
	if (rc)
		mmt_results_free(res);
	for (size_t k = 0; began && k < job->nmethods; k++)
		if (began[k])
			job->methods[k]->end();
	free(began);
	free(s.expected);
	if (s.rbuf)
		munmap(s.rbuf, s.rbufsize);
	free(tmp);
	free(s.vbuf);
	mmt_pattern_free(src, (size_t)maxchunk);
	close(s.dirfd);
	return rc;
}
