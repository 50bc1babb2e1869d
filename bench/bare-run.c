/*
 * bare-run.c - one run of a bare reference loop, for benchmark scripts that
 * compare other tools with it (bench/peers).
 *
 *   bench-bare mmap|write SIZE CHUNK DIR
 *
 * Creates a fresh file in DIR, settles the filesystem (syncfs) untimed, runs
 * the loop of bare.c timed from open to close, verifies every byte against
 * the pattern untimed, removes the file and prints the seconds on stdout.
 * Exit status: 0 ran and verified, 1 failed, 2 usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mmaptimer.h"
#include "bare.h"

#define PROG "bench-bare"

static int dirfd_ = -1;
static char name[96];

static void on_signal(int sig)
{
	unlinkat(dirfd_, name, 0);
	signal(sig, SIG_DFL);
	raise(sig);
}

int main(int argc, char **argv)
{
	uint64_t size, chunk;
	unsigned char *src;
	double secs = 0;
	int rc;

	if (argc != 5 || (strcmp(argv[1], "mmap") && strcmp(argv[1], "write"))) {
		fprintf(stderr, "usage: %s mmap|write SIZE CHUNK DIR\n", PROG);
		return 2;
	}
	if (mmt_parse_size(argv[2], &size) || mmt_parse_size(argv[3], &chunk) ||
	    !size || !chunk || chunk > size || size > SIZE_MAX / 2) {
		fprintf(stderr, "%s: bad size or chunk: %s %s\n", PROG, argv[2], argv[3]);
		return 2;
	}
	dirfd_ = open(argv[4], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd_ < 0) {
		fprintf(stderr, "%s: %s: %s\n", PROG, argv[4], strerror(errno));
		return 1;
	}
	src = mmt_pattern_alloc((size_t)chunk);
	if (!src) {
		fprintf(stderr, "%s: cannot allocate the pattern source\n", PROG);
		return 1;
	}
	snprintf(name, sizeof(name), "bare-%ld.tmp", (long)getpid());
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	syncfs(dirfd_);
	if (!strcmp(argv[1], "mmap"))
		rc = bare_mmap(dirfd_, name, (size_t)size, (size_t)chunk, src, &secs);
	else
		rc = bare_write(dirfd_, name, (size_t)size, (size_t)chunk, src, &secs);
	if (rc != -EEXIST) {
		if (!rc)
			rc = bare_verify(dirfd_, name, (size_t)size, src);
		unlinkat(dirfd_, name, 0);
	}
	mmt_pattern_free(src, (size_t)chunk);
	if (rc) {
		fprintf(stderr, "%s: %s %s chunks: %s\n", PROG, argv[1], argv[3], mmt_strerror(rc));
		return 1;
	}
	printf("%.9f\n", secs);
	return 0;
}
