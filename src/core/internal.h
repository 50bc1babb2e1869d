/*
 * internal.h - declarations shared between the library's own files
 * (prefix mmt__).  Nothing here is part of the public interface.
 */
#ifndef MMT_INTERNAL_H
#define MMT_INTERNAL_H

#include <setjmp.h>
#include <stdarg.h>

#include "mmaptimer.h"

#define MMT_MIN(a, b) ((a) < (b) ? (a) : (b))
#define MMT_MAX(a, b) ((a) > (b) ? (a) : (b))
#define MMT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Fill err with code and a printf-style message; returns code. */
int mmt__error_set(struct mmt_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* SIGBUS guard for methods that store through a mapping.  A method points
 * mmt__sigbus_jmp at its own sigjmp_buf (set with sigsetjmp(jb, 0), which
 * costs no system call) before its loop and back to NULL after it; the
 * handler the sweep installs jumps there.  Outside a guarded loop a SIGBUS
 * takes its default action. */
extern sigjmp_buf *volatile mmt__sigbus_jmp;
int mmt__sigbus_install(void);
void mmt__sigbus_restore(void);

/* Decide what a SIGBUS during stores to a file mapping of `need` bytes on
 * fd most likely meant: -ENOSPC when the filesystem has less free space
 * than that, MMT_ESIGBUS otherwise. */
int mmt__sigbus_cause(int fd, uint64_t need);

/* Temporary files of the sweep.  mmt__tempfile_name() makes a fresh name
 * that no other instance can produce (pid, sequence number and 64 random
 * bits) and registers it, with dirfd, as the file to remove if the process
 * is interrupted; mmt__tempfile_forget() unregisters it. */
int mmt__tempfile_name(int dirfd, char *buf, size_t len);
void mmt__tempfile_forget(void);

/* Reading (cache.c).  Create name in dirfd (O_EXCL) and fill it with size
 * bytes of the pattern, written block bytes at a time from src (period +
 * block bytes), then fsync it; -errno on failure (the caller removes it). */
int mmt__prepare_file(int dirfd, const char *name, uint64_t size, const unsigned char *src,
		      size_t block);
/* Read the whole file once through buf, so its pages are cached. */
int mmt__cache_warm(int dirfd, const char *name, unsigned char *buf, size_t len);
/* Write the file back and drop its pages from the page cache; with
 * drop_all, drop the whole page cache too (root only). */
int mmt__cache_evict(int dirfd, const char *name, bool drop_all);
/* The share of the file's pages resident in the page cache (mincore). */
int mmt__resident(int dirfd, const char *name, uint64_t size, double *frac);
/* The process's peak resident memory in bytes (VmHWM), -1 if unknown;
 * and a reset of it where the kernel allows. */
double mmt__peak_rss(void);
void mmt__peak_rss_reset(void);

/* Median of n doubles (the array is reordered).  0 for n == 0. */
double mmt__median(double *v, size_t n);

/* Resource-usage snapshot for counters. */
struct mmt__usage {
	double utime, stime;
	long minflt, majflt, nvcsw, nivcsw;
};
void mmt__usage_now(struct mmt__usage *u);
/* after - before into c (syscalls are left untouched). */
void mmt__usage_diff(const struct mmt__usage *before,
		     const struct mmt__usage *after, struct mmt_counters *c);

/* Probe helpers for methods. */
int mmt__probe_always(const struct mmt_probe *p, char *why, size_t whylen);

#endif
