/*
 * stdio.c - fwrite() through the C library's buffering: what most
 * high-level languages' buffered file writes amount to.  Small chunks are
 * gathered in the FILE's buffer and reach the kernel one buffer at a time.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "methods/method.h"

static int stdio_write(const struct mmt_io *io, struct mmt_stamps *st)
{
	const uint64_t size = io->size;
	const size_t chunk = (size_t)io->chunk, step = chunk % MMT_PATTERN_PERIOD;
	const bool each = io->opts->sync == MMT_SYNC_EACH;
	const unsigned char *s = io->src;
	uint64_t calls = 0, off = 0;
	char *buf = NULL;
	FILE *f;
	int fd, rc = 0;

	st->t_start = mmt_now_ns();
	fd = openat(io->dirfd, io->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	calls++;
	if (fd < 0)
		return -errno;
	/* fdopen() checks the descriptor's flags with one fcntl(). */
	calls++;
	if (!(f = fdopen(fd, "w"))) {
		rc = -errno;
		close(fd);
		return rc;
	}
	if (io->opts->stdio_buffer) {
		/* glibc ignores the size when setvbuf() is given no buffer,
		 * so give it one. */
		if (!(buf = malloc(io->opts->stdio_buffer)) ||
		    setvbuf(f, buf, _IOFBF, io->opts->stdio_buffer)) {
			fclose(f);
			free(buf);
			return -ENOMEM;
		}
	} else {
		/* The library sizes its own buffer from st_blksize, with one
		 * fstat() on the first write. */
		calls++;
	}
	st->t_setup = mmt_now_ns();

	while (off < size) {
		size_t n = size - off < chunk ? (size_t)(size - off) : chunk;

		if (fwrite(s, 1, n, f) != n) {
			rc = errno ? -errno : -EIO;
			break;
		}
		off += n;
		s = mmt__src_step(s, io->src, step);
		if (each) {
			calls++;
			if (fflush(f) || fsync(fd)) {
				rc = -errno;
				break;
			}
		}
	}

	st->t_transfer = mmt_now_ns();
	if (!rc && io->opts->sync == MMT_SYNC_END) {
		calls++;
		if (fflush(f) || fsync(fd))
			rc = -errno;
	}
	st->t_sync = mmt_now_ns();
	calls++;
	/* fclose() writes what is still buffered: a failure there (a full
	 * disk) is a failure of the run. */
	if (fclose(f) && !rc)
		rc = errno ? -errno : -EIO;
	st->t_end = mmt_now_ns();
	free(buf);
	/* The write() calls the library made are counted by the kernel
	 * (MMT_METHOD_SYSCW): the sweep adds them from /proc/self/io. */
	st->syscalls = calls;
	return rc;
}

/* fread() each chunk through the C library's buffer, sequentially. */
static int stdio_read(const struct mmt_io *io, struct mmt_stamps *st)
{
	const uint64_t size = io->size;
	const size_t chunk = (size_t)io->chunk;
	uint64_t calls = 0, off = 0, sum = 0;
	char *buf = NULL;
	FILE *f;
	int fd, rc = 0;

	st->t_start = mmt_now_ns();
	fd = openat(io->dirfd, io->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	calls++;
	if (fd < 0)
		return -errno;
	calls++; /* fdopen()'s fcntl() */
	if (!(f = fdopen(fd, "r"))) {
		rc = -errno;
		close(fd);
		return rc;
	}
	if (io->opts->stdio_buffer) {
		if (!(buf = malloc(io->opts->stdio_buffer)) ||
		    setvbuf(f, buf, _IOFBF, io->opts->stdio_buffer)) {
			fclose(f);
			free(buf);
			return -ENOMEM;
		}
	} else {
		calls++; /* the library's fstat() to size its buffer */
	}
	st->t_setup = mmt_now_ns();

	while (off < size) {
		size_t n = size - off < chunk ? (size_t)(size - off) : chunk;

		if (fread(io->buf, 1, n, f) != n) {
			rc = ferror(f) ? (errno ? -errno : -EIO) : MMT_ESHRUNK;
			break;
		}
		sum += mmt_checksum(io->buf, n);
		off += n;
	}

	st->t_transfer = st->t_sync = mmt_now_ns();
	st->checksum = sum;
	calls++;
	fclose(f);
	st->t_end = mmt_now_ns();
	free(buf);
	/* The read() calls the library made are counted by the kernel
	 * (MMT_METHOD_SYSCW: the sweep adds syscr when reading). */
	st->syscalls = calls;
	return rc;
}

/* Reading in random order would need fseeko(), whose lseek() calls happen
 * inside the C library where they cannot be counted. */
static int stdio_probe(const struct mmt_probe *p, char *why, size_t whylen)
{
	if (p->op == MMT_OP_READ && p->opts && p->opts->read.order == MMT_ORDER_RANDOM) {
		snprintf(why, whylen, "random order would need fseeko(), whose system calls cannot be counted");
		return MMT_EUNAVAIL;
	}
	return 0;
}

const struct mmt_method mmt__method_stdio = {
	.name = "stdio",
	.desc = "fwrite()/fread() each chunk through the C library's buffer (--stdio-buffer)",
	.ops = MMT_OP_WRITE | MMT_OP_READ,
	.flags = MMT_METHOD_SYSCW,
	.probe = stdio_probe,
	.write = stdio_write,
	.read = stdio_read,
};
