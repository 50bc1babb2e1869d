/*
 * mmap.c - writing a file through a shared memory mapping: create it, size
 * it with ftruncate(), map it MAP_SHARED and copy one chunk at a time at
 * successively higher offsets, then unmap and close.  The first store to
 * each page takes a page fault; that, not the copy, is what a 1-byte chunk
 * is up against here.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "methods/method.h"

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

static int mmap_write(const struct mmt_io *io, struct mmt_stamps *st)
{
	const size_t size = (size_t)io->size;
	unsigned char *map;
	sigjmp_buf jb;
	uint64_t calls = 0;
	int fd, rc;

	st->t_start = mmt_now_ns();
	fd = openat(io->dirfd, io->name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	calls++;
	if (fd < 0)
		return -errno;
	calls++;
	if (ftruncate(fd, (off_t)size)) {
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
	st->t_setup = mmt_now_ns();

	copy_chunks(map, size, (size_t)io->chunk, io->src);

	st->t_transfer = mmt_now_ns();
	mmt__sigbus_jmp = NULL;
	rc = 0;
	calls += 2;
	if (munmap(map, size))
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	st->t_end = mmt_now_ns();
	st->syscalls = calls;
	return rc;
}

const struct mmt_method mmt__method_mmap = {
	.name = "mmap",
	.desc = "ftruncate, mmap MAP_SHARED, memcpy each chunk, munmap",
	.ops = MMT_OP_WRITE,
	.flags = MMT_METHOD_MAPS,
	.probe = mmt__probe_always,
	.write = mmap_write,
};
