/*
 * direct.c - O_DIRECT: write() each chunk straight to the device, past
 * the page cache.  Buffers, offsets and lengths must be aligned to what
 * the filesystem reports (statx STATX_DIOALIGN); a chunk size that cannot
 * be aligned is reported unavailable for that point, never faked.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "methods/method.h"

/* The alignment O_DIRECT needs in this directory: the larger of the
 * memory and offset alignments statx reports, on a scratch O_TMPFILE
 * (which vanishes on close).  0 with the reason in why when O_DIRECT is
 * refused. */
static unsigned dio_align(int dirfd, char *why, size_t whylen, int *err)
{
	struct statx sx;
	unsigned align = 0;
	int fd = openat(dirfd, ".", O_TMPFILE | O_WRONLY | O_DIRECT | O_CLOEXEC, 0600);

	*err = 0;
	if (fd < 0) {
		*err = -errno;
		snprintf(why, whylen, "the filesystem refuses O_DIRECT: %s", mmt_strerror(*err));
		return 0;
	}
	if (statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &sx) == 0 &&
	    (sx.stx_mask & STATX_DIOALIGN) && sx.stx_dio_offset_align) {
		align = MMT_MAX(sx.stx_dio_mem_align, sx.stx_dio_offset_align);
	} else {
		/* Older kernels and some filesystems do not say; the page
		 * size satisfies every filesystem that takes O_DIRECT. */
		align = 4096;
	}
	close(fd);
	return align;
}

static int direct_probe(const struct mmt_probe *p, char *why, size_t whylen)
{
	char a[32], b[32];
	int err;
	unsigned align = dio_align(p->dirfd, why, whylen, &err);

	if (!align)
		return MMT_EUNAVAIL;
	/* The pattern's period is a multiple of 4096, so a chunk that is a
	 * multiple of the alignment starts at an aligned source address. */
	if (align > 4096) {
		snprintf(why, whylen, "O_DIRECT alignment %u is larger than a page", align);
		return MMT_EUNAVAIL;
	}
	if (p->chunk && p->chunk % align) {
		snprintf(why, whylen, "%s chunks are not a multiple of the %u-byte O_DIRECT alignment",
			 mmt_format_size(p->chunk, a, sizeof(a)), align);
		return MMT_EUNAVAIL;
	}
	if (p->size && p->size % align) {
		snprintf(why, whylen, "a %s file is not a multiple of the %u-byte O_DIRECT alignment",
			 mmt_format_size(p->size, b, sizeof(b)), align);
		return MMT_EUNAVAIL;
	}
	return 0;
}

static int direct_write(const struct mmt_io *io, struct mmt_stamps *st)
{
	const uint64_t size = io->size;
	const size_t chunk = (size_t)io->chunk, step = chunk % MMT_PATTERN_PERIOD;
	const bool each = io->opts->sync == MMT_SYNC_EACH;
	const unsigned char *s = io->src;
	uint64_t calls = 0, off = 0;
	int fd, rc = 0;

	st->t_start = mmt_now_ns();
	fd = openat(io->dirfd, io->name,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_DIRECT, 0600);
	calls++;
	if (fd < 0)
		return -errno;
	st->t_setup = mmt_now_ns();

	while (off < size) {
		size_t n = size - off < chunk ? (size_t)(size - off) : chunk;
		ssize_t w = write(fd, s, n);

		calls++;
		if (w == (ssize_t)n) {
			off += n;
			s = mmt__src_step(s, io->src, step);
			if (each) {
				calls++;
				if (fsync(fd)) {
					rc = -errno;
					break;
				}
			}
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		/* A short O_DIRECT write leaves the next offset unaligned;
		 * there is no honest way to go on. */
		rc = w < 0 ? -errno : -EIO;
		break;
	}

	st->t_transfer = mmt_now_ns();
	/* The data is on the device; fsync still writes the metadata (the
	 * file's size and blocks) and flushes the device's cache. */
	if (!rc && io->opts->sync == MMT_SYNC_END) {
		calls++;
		if (fsync(fd))
			rc = -errno;
	}
	st->t_sync = mmt_now_ns();
	calls++;
	if (close(fd) && !rc)
		rc = -errno;
	st->t_end = mmt_now_ns();
	st->syscalls = calls;
	return rc;
}

/* O_DIRECT reads: pread() each aligned chunk into the aligned buffer. */
static int direct_read(const struct mmt_io *io, struct mmt_stamps *st)
{
	const uint64_t size = io->size, chunk = io->chunk, n = (size + chunk - 1) / chunk;
	struct mmt__visit v;
	uint64_t calls = 0, sum = 0;
	int fd, rc = 0;

	st->t_start = mmt_now_ns();
	fd = openat(io->dirfd, io->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_DIRECT);
	calls++;
	if (fd < 0)
		return -errno;
	st->t_setup = mmt_now_ns();

	mmt__visit_init(&v, io);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t off = mmt__visit_next(&v, i);
		size_t len = (size_t)MMT_MIN(chunk, size - off);
		ssize_t r = pread(fd, io->buf, len, (off_t)off);

		calls++;
		if (r < 0 && errno == EINTR) {
			i--;
			continue;
		}
		/* A short O_DIRECT read leaves the rest unaligned: the file
		 * shrank, or the device failed. */
		if (r != (ssize_t)len) {
			rc = r < 0 ? -errno : MMT_ESHRUNK;
			break;
		}
		sum += mmt_checksum(io->buf, len);
	}

	st->t_transfer = st->t_sync = mmt_now_ns();
	st->checksum = sum;
	calls++;
	if (close(fd) && !rc)
		rc = -errno;
	st->t_end = mmt_now_ns();
	st->syscalls = calls;
	return rc;
}

const struct mmt_method mmt__method_direct = {
	.name = "direct",
	.desc = "O_DIRECT write()/pread() of aligned chunks, past the page cache",
	.ops = MMT_OP_WRITE | MMT_OP_READ,
	.probe = direct_probe,
	.write = direct_write,
	.read = direct_read,
};
