/*
 * bare.c - the bare reference loops the benchmarks hold mmaptimer (and its
 * peers) to.  Written out plainly, as a careful programmer would for this one
 * job, and deliberately not calling the library's methods.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mmaptimer.h"
#include "bare.h"

double ts_diff(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/*
 * The bare reference loops.  Written out plainly here, as a careful
 * programmer would for this one job, and deliberately not calling the
 * library's methods: they are the yardstick the methods are held to.  They
 * write the same bytes in the same order from the same source with the
 * same pointer stepping (s += chunk % period, wrapped once per chunk), open
 * the file with the same flags, and time only open..close with the same
 * clock the library reads (CLOCK_MONOTONIC).
 */

/* ftruncate, map MAP_SHARED, memcpy chunk by chunk, munmap, close. */
int bare_mmap(int dirfd, const char *name, size_t size, size_t chunk,
		     const unsigned char *src, double *secs)
{
	const size_t step = chunk % MMT_PATTERN_PERIOD;
	const unsigned char *s = src;
	unsigned char *map, *dst, *end;
	struct timespec t0, t1;
	int fd, rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	fd = openat(dirfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size)) {
		rc = -errno;
		close(fd);
		return rc;
	}
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		rc = -errno;
		close(fd);
		return rc;
	}
	end = map + size - size % chunk;
	for (dst = map; dst < end; dst += chunk) {
		memcpy(dst, s, chunk);
		s += step;
		if (s >= src + MMT_PATTERN_PERIOD)
			s -= MMT_PATTERN_PERIOD;
	}
	if (size % chunk)
		memcpy(dst, s, size % chunk);
	if (munmap(map, size))
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*secs = ts_diff(&t0, &t1);
	return rc;
}

/* Open empty, write() chunk by chunk, close. */
int bare_write(int dirfd, const char *name, size_t size, size_t chunk,
		      const unsigned char *src, double *secs)
{
	const size_t step = chunk % MMT_PATTERN_PERIOD;
	const unsigned char *s = src;
	struct timespec t0, t1;
	size_t off = 0;
	int fd, rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	while (off < size) {
		size_t n = size - off < chunk ? size - off : chunk;
		ssize_t w = write(fd, s, n);

		if (w == (ssize_t)n) {
			off += n;
			s += step;
			if (s >= src + MMT_PATTERN_PERIOD)
				s -= MMT_PATTERN_PERIOD;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = w < 0 ? -errno : -EIO;
			break;
		}
		/* A short write: carry on from where it stopped. */
		off += (size_t)w;
		s = src + off % MMT_PATTERN_PERIOD;
	}
	if (close(fd) && !rc)
		rc = -errno;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*secs = ts_diff(&t0, &t1);
	return rc;
}

/* Read the bare loop's file back and compare it with the pattern, so that
 * the yardstick is known to do the same work as the tool's methods.
 * Returns 0, MMT_EVERIFY or a negative errno. */
int bare_verify(int dirfd, const char *name, size_t size, const unsigned char *src)
{
	static unsigned char buf[1 << 16];
	struct stat st;
	size_t off = 0;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || (size_t)st.st_size != size) {
		close(fd);
		return MMT_EVERIFY;
	}
	while (off < size && !rc) {
		ssize_t got = pread(fd, buf, sizeof(buf), (off_t)off);

		if (got <= 0) {
			rc = got < 0 ? -errno : -EIO;
			break;
		}
		for (ssize_t i = 0; i < got; i++)
			if (buf[i] != src[(off + (size_t)i) % MMT_PATTERN_PERIOD]) {
				rc = MMT_EVERIFY;
				break;
			}
		off += (size_t)got;
	}
	close(fd);
	return rc;
}
