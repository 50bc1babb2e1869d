/*
 * mmap.c - writing a file through a shared memory mapping: create it, give
 * it its size, map it MAP_SHARED and copy one chunk at a time at
 * successively higher offsets, then unmap and close.  The first store to
 * each page takes a page fault; that, not the copy, is what a 1-byte chunk
 * is up against here.  Three ways to get the file ready:
 *   mmap           ftruncate: a sparse file, blocks allocated on first store
 *   mmap-falloc    fallocate: blocks reserved before the first store
 *   mmap-populate  ftruncate, then MADV_POPULATE_WRITE prefaults every page
 *                  writable (MAP_POPULATE would only map them read-only for
 *                  a shared file mapping, leaving a write fault per page)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "methods/method.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

enum prepare { PREP_TRUNCATE, PREP_FALLOCATE, PREP_POPULATE };

/* --madvise, indexed by enum mmt_advice (NONE makes no call). */
static const int advice_flags[] = {
	[MMT_ADVICE_NORMAL] = MADV_NORMAL, [MMT_ADVICE_SEQUENTIAL] = MADV_SEQUENTIAL,
	[MMT_ADVICE_RANDOM] = MADV_RANDOM, [MMT_ADVICE_WILLNEED] = MADV_WILLNEED,
	[MMT_ADVICE_DONTNEED] = MADV_DONTNEED, [MMT_ADVICE_HUGEPAGE] = MADV_HUGEPAGE,
};

/* The transfer: copy the pattern into the mapping one chunk at a time at
 * increasing offsets.  A function of its own so that the loop's variables
 * live outside the frame that sigsetjmp() saves. */
static void copy_chunks(unsigned char *map, size_t size, size_t chunk, const unsigned char *src)
{
	const size_t step = chunk % MMT_PATTERN_PERIOD;
	const unsigned char *s = src;
	unsigned char *dst = map, *end = map + size - size % chunk;

	while (dst < end) {
		memcpy(dst, s, chunk);
		dst += chunk;
		s = mmt__src_step(s, src, step);
	}
	if (size % chunk)
		memcpy(dst, s, size % chunk);
}

/* The same with --sync each: msync(MS_SYNC) the pages under every chunk
 * as soon as it is copied.  Returns the number of msync() calls, or
 * -errno. */
static long long copy_chunks_sync(unsigned char *map, size_t size, size_t chunk,
				  const unsigned char *src)
{
	long long calls = 0;

	const size_t step = chunk % MMT_PATTERN_PERIOD, page = (size_t)sysconf(_SC_PAGESIZE);
	const unsigned char *s = src;

	for (size_t off = 0; off < size; off += chunk) {
		size_t n = MMT_MIN(chunk, size - off);
		size_t start = off - off % page;

		memcpy(map + off, s, n);
		s = mmt__src_step(s, src, step);
		calls++;
		if (msync(map + start, off + n - start, MS_SYNC))
			return -errno;
	}
	return calls;
}

static int map_write(const struct mmt_io *io, struct mmt_stamps *st, enum prepare prep)
{
	const size_t size = (size_t)io->size;
	const struct mmt_opts *o = io->opts;
	unsigned char *map;
	sigjmp_buf jb;
	/* volatile: it changes after sigsetjmp() and is read after a jump. */
	volatile uint64_t calls = 0;
	int fd, rc;

	st->t_start = mmt_now_ns();
	fd = openat(io->dirfd, io->name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	calls++;
	if (fd < 0)
		return -errno;
	calls++;
	rc = prep == PREP_FALLOCATE ? fallocate(fd, 0, 0, (off_t)size) : ftruncate(fd, (off_t)size);
	if (rc) {
		rc = -errno;
		close(fd);
		return rc;
	}
	calls++;
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		rc = -errno;
		close(fd);
		return rc;
	}
	/* A store the filesystem cannot back (disk full) raises SIGBUS; the
	 * sweep's handler jumps back here and we report it as an error. */
	if (sigsetjmp(jb, 0)) {
		rc = mmt__sigbus_cause(fd, io->size);
		munmap(map, size);
		close(fd);
		return rc;
	}
	mmt__sigbus_jmp = &jb;
	if (o->advice != MMT_ADVICE_NONE) {
		calls++;
		if (madvise(map, size, advice_flags[o->advice])) {
			rc = -errno;
			goto unmap;
		}
	}
	if (prep == PREP_POPULATE) {
		calls++;
		/* It fails with EFAULT where a store would raise SIGBUS. */
		if (madvise(map, size, MADV_POPULATE_WRITE)) {
			rc = errno == EFAULT ? mmt__sigbus_cause(fd, io->size) : -errno;
			goto unmap;
		}
	}
	st->t_setup = mmt_now_ns();

	if (o->sync == MMT_SYNC_EACH) {
		long long n = copy_chunks_sync(map, size, (size_t)io->chunk, io->src);

		if (n < 0)
			rc = (int)n;
		else
			calls += (uint64_t)n;
	} else {
		copy_chunks(map, size, (size_t)io->chunk, io->src);
	}

	st->t_transfer = mmt_now_ns();
	if (!rc && o->sync == MMT_SYNC_END) {
		calls++;
		if (msync(map, size, MS_SYNC))
			rc = -errno;
	}
	st->t_sync = mmt_now_ns();
unmap:
	mmt__sigbus_jmp = NULL;
	calls += 2;
	if (munmap(map, size) && !rc)
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	st->t_end = mmt_now_ns();
	st->syscalls = calls;
	return rc;
}

/*
 * Reading through a mapping.  Files larger than MAP_BOUNDED are mapped
 * whole all the same, but the pages already consumed are dropped from the
 * mapping every MAP_RELEASE bytes (MADV_DONTNEED, counted), so that the
 * process's resident memory does not grow with the file: a reader of a
 * file larger than memory would have to do the same.
 */
#define MAP_BOUNDED (1ull << 30)
#define MAP_RELEASE (32ull << 20)

/* The transfer of a read: checksum every chunk in the visit's order into
 * st->checksum; adds the madvise() calls it made to st->syscalls. */
static void sum_chunks(const unsigned char *map, const struct mmt_io *io, struct mmt_stamps *st)
{
	const uint64_t size = io->size, chunk = io->chunk, n = (size + chunk - 1) / chunk;
	const bool bounded = size > MAP_BOUNDED;
	struct mmt__visit v;
	uint64_t sum = 0, since = 0, released = 0;

	mmt__visit_init(&v, io);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t off = mmt__visit_next(&v, i);
		size_t len = (size_t)MMT_MIN(chunk, size - off);

		sum += mmt_checksum(map + off, len);
		if (bounded && (since += len) >= MAP_RELEASE) {
			/* In order, drop what lies behind; in random order,
			 * everything touched so far. */
			uint64_t from = v.random ? 0 : released, to = v.random ? size : off + len;

			to -= to % 4096;
			if (to > from) {
				madvise((void *)(map + from), to - from, MADV_DONTNEED);
				st->syscalls++;
			}
			released = to;
			since = 0;
		}
	}
	st->checksum = sum;
}

static int mmap_read(const struct mmt_io *io, struct mmt_stamps *st)
{
	const size_t size = (size_t)io->size;
	const struct mmt_opts *o = io->opts;
	unsigned char *map;
	sigjmp_buf jb;
	volatile uint64_t calls = 0;
	volatile int rc = 0;
	int fd;

	st->t_start = mmt_now_ns();
	st->syscalls = 0;
	fd = openat(io->dirfd, io->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	calls++;
	if (fd < 0)
		return -errno;
	calls++;
	map = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		rc = -errno;
		close(fd);
		return rc;
	}
	/* A file that shrinks under the mapping (another process truncates
	 * it) raises SIGBUS on the next load past its end. */
	if (sigsetjmp(jb, 0)) {
		struct stat sb;

		int why = fstat(fd, &sb) == 0 && (uint64_t)sb.st_size < io->size ? MMT_ESHRUNK
										  : MMT_ESIGBUS;

		munmap(map, size);
		close(fd);
		return why;
	}
	mmt__sigbus_jmp = &jb;
	if (o->advice != MMT_ADVICE_NONE) {
		calls++;
		if (madvise(map, size, advice_flags[o->advice])) {
			rc = -errno;
			goto unmap;
		}
	}
	st->t_setup = mmt_now_ns();

	sum_chunks(map, io, st);

	st->t_transfer = mmt_now_ns();
	st->t_sync = st->t_transfer;
	calls += st->syscalls;
unmap:
	mmt__sigbus_jmp = NULL;
	calls += 2;
	if (munmap(map, size) && !rc)
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	st->t_end = mmt_now_ns();
	st->syscalls = calls;
	return rc;
}

static int mmap_write(const struct mmt_io *io, struct mmt_stamps *st)
{
	return map_write(io, st, PREP_TRUNCATE);
}

static int falloc_write(const struct mmt_io *io, struct mmt_stamps *st)
{
	return map_write(io, st, PREP_FALLOCATE);
}

static int populate_write(const struct mmt_io *io, struct mmt_stamps *st)
{
	return map_write(io, st, PREP_POPULATE);
}

/* fallocate() is not supported everywhere (some FUSE and network
 * filesystems); try it on a scratch O_TMPFILE. */
static int falloc_probe(const struct mmt_probe *p, char *why, size_t whylen)
{
	int fd = openat(p->dirfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600), rc = 0;

	if (fd < 0)
		return 0; /* no O_TMPFILE here: find out in the run */
	if (fallocate(fd, 0, 0, 4096) && (errno == EOPNOTSUPP || errno == ENOSYS)) {
		snprintf(why, whylen, "the filesystem does not support fallocate()");
		rc = MMT_EUNAVAIL;
	}
	close(fd);
	return rc;
}

/* MADV_POPULATE_WRITE arrived in Linux 5.14; older kernels say EINVAL. */
static int populate_probe(const struct mmt_probe *p, char *why, size_t whylen)
{
	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int rc = 0;

	(void)p;
	if (m == MAP_FAILED)
		return -errno;
	if (madvise(m, 4096, MADV_POPULATE_WRITE)) {
		snprintf(why, whylen, "the kernel lacks MADV_POPULATE_WRITE (Linux 5.14+): %s",
			 strerror(errno));
		rc = MMT_EUNAVAIL;
	}
	munmap(m, 4096);
	return rc;
}

const struct mmt_method mmt__method_mmap = {
	.name = "mmap",
	.desc = "write: ftruncate, mmap MAP_SHARED, memcpy each chunk; read: mmap, consume in place",
	.ops = MMT_OP_WRITE | MMT_OP_READ,
	.flags = MMT_METHOD_MAPS,
	.probe = mmt__probe_always,
	.write = mmap_write,
	.read = mmap_read,
};

const struct mmt_method mmt__method_mmap_falloc = {
	.name = "mmap-falloc",
	.desc = "as mmap, but fallocate reserves the blocks before the first store",
	.ops = MMT_OP_WRITE,
	.flags = MMT_METHOD_MAPS,
	.probe = falloc_probe,
	.write = falloc_write,
};

const struct mmt_method mmt__method_mmap_populate = {
	.name = "mmap-populate",
	.desc = "as mmap, but MADV_POPULATE_WRITE prefaults every page writable first",
	.ops = MMT_OP_WRITE,
	.flags = MMT_METHOD_MAPS,
	.probe = populate_probe,
	.write = populate_write,
};
