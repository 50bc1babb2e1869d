/*
 * cache.c - the file a read sweep reads, and the page cache around it:
 * preparing the file once, warming or evicting it before each run, saying
 * how much of it is resident (mincore), and the process's peak memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/internal.h"

/* Residency is counted one window at a time, so that its vector stays
 * small (256 KiB of vector for each GiB of file). */
#define RESIDENT_WINDOW (1ull << 30)

/* See internal.h. */
int mmt__prepare_file(int dirfd, const char *name, uint64_t size, const unsigned char *src,
		      size_t block)
{
	uint64_t off = 0;
	int rc = 0, fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return -errno;
	while (off < size) {
		size_t n = (size_t)MMT_MIN(block, size - off);
		ssize_t w = write(fd, src + off % MMT_PATTERN_PERIOD, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = w < 0 ? -errno : -EIO;
			break;
		}
		off += (uint64_t)w;
	}
	/* On storage, so that a cold run's eviction has nothing dirty to
	 * keep resident. */
	if (!rc && fsync(fd))
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}

/* See internal.h. */
int mmt__cache_warm(int dirfd, const char *name, unsigned char *buf, size_t len)
{
	int rc = 0, fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -errno;
	while ((r = read(fd, buf, len)) != 0) {
		if (r < 0 && errno != EINTR) {
			rc = -errno;
			break;
		}
	}
	close(fd);
	return rc;
}

/* See internal.h.  posix_fadvise(POSIX_FADV_DONTNEED) drops the file's
 * clean pages; glibc's posix_madvise(POSIX_MADV_DONTNEED) does nothing, so
 * it is not used.  Dropping every cache needs root and is optional. */
int mmt__cache_evict(int dirfd, const char *name, bool drop_all)
{
	int rc = 0, fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fdatasync(fd))
		rc = -errno;
	else if ((rc = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)))
		rc = -rc;
	close(fd);
	if (!rc && drop_all) {
		int dc = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);

		sync();
		if (dc < 0)
			return -errno;
		if (write(dc, "1", 1) != 1)
			rc = -errno;
		close(dc);
	}
	return rc;
}

/* See internal.h. */
int mmt__resident(int dirfd, const char *name, uint64_t size, double *frac)
{
	static unsigned char vec[RESIDENT_WINDOW / 4096];
	const long page = sysconf(_SC_PAGESIZE);
	uint64_t resident = 0, pages = 0;
	int rc = 0, fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	for (uint64_t off = 0; off < size && !rc; off += RESIDENT_WINDOW) {
		size_t len = (size_t)MMT_MIN(RESIDENT_WINDOW, size - off);
		size_t n = (len + (size_t)page - 1) / (size_t)page;
		/* Mapping a file does not read it: mincore() only looks. */
		void *m = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, (off_t)off);

		if (m == MAP_FAILED) {
			rc = -errno;
			break;
		}
		if (n > sizeof(vec) || mincore(m, len, vec)) {
			rc = n > sizeof(vec) ? -EINVAL : -errno;
		} else {
			for (size_t i = 0; i < n; i++)
				resident += vec[i] & 1;
			pages += n;
		}
		munmap(m, len);
	}
	close(fd);
	*frac = pages ? (double)resident / (double)pages : 0;
	return rc;
}

/* See internal.h. */
void mmt__peak_rss_reset(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);

	/* "5" resets the peak resident set size (Linux 4.0 and later). */
	if (fd >= 0) {
		if (write(fd, "5", 1) != 1) {
			/* An older kernel: the peak then covers the whole
			 * process, which only overstates it. */
		}
		close(fd);
	}
}

/* See internal.h. */
double mmt__peak_rss(void)
{
	char line[128];
	double kib = -1;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %lf kB", &kib) == 1)
			break;
	fclose(f);
	return kib < 0 ? -1 : kib * 1024;
}
