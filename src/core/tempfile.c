/*
 * tempfile.c - names for the files the sweep creates, and their removal if
 * the process is interrupted.  A name carries the pid, a sequence number
 * and 64 random bits, so two instances in one directory never collide;
 * methods open it with O_CREAT|O_EXCL|O_NOFOLLOW, so a file or symlink an
 * attacker planted at that name makes the run fail instead of being
 * followed or overwritten.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/internal.h"

/* The registered file.  The name buffer is only written while `active` is
 * 0, so a signal handler that sees active == 1 reads a complete name. */
static volatile sig_atomic_t active;
static int cur_dirfd = -1;
static char cur_name[96];

/* See internal.h.  Returns 0, or -EEXIST if something already has the name
 * (checked so that a planted file is reported before timing). */
int mmt__tempfile_name(int dirfd, char *buf, size_t len)
{
	static unsigned long seq;
	uint64_t rnd = 0;
	struct stat st;

	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
		rnd = mmt_now_ns() * 0x9E3779B97F4A7C15ull ^ (uint64_t)getpid();
	active = 0;
	snprintf(cur_name, sizeof(cur_name), "mmaptimer-%ld-%lu-%016llx.tmp",
		 (long)getpid(), ++seq, (unsigned long long)rnd);
	cur_dirfd = dirfd;
	snprintf(buf, len, "%s", cur_name);
	if (fstatat(dirfd, cur_name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return -EEXIST;
	active = 1;
	return 0;
}

/* Stop treating the current name as ours (after removing it, or when
 * opening it failed and so it was never ours). */
void mmt__tempfile_forget(void)
{
	active = 0;
}

/* See mmaptimer.h.  Only unlinkat(), which is async-signal-safe. */
void mmt_tempfile_cleanup_async(void)
{
	if (active) {
		active = 0;
		unlinkat(cur_dirfd, cur_name, 0);
	}
}
