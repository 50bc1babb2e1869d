/*
 * mmaptimer.h - the one public header of libmmaptimer.
 *
 * The library measures memory-mapped I/O against system-call I/O and never
 * prints or exits: every function returns 0 or a negative error code (a
 * negative errno value, or one of the MMT_E* codes below), and mmt_strerror()
 * turns a code into text.  Only the command-line front end talks to people.
 */
#ifndef MMAPTIMER_H
#define MMAPTIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define MMT_VERSION "0.1.0"
#define MMT_SCHEMA "mmaptimer/1"

/* Error codes of our own, below every errno value. */
enum {
	MMT_EVERIFY = -4096,    /* the file's bytes differ from what was meant */
	MMT_EUNAVAIL = -4097,   /* the method cannot run here */
	MMT_ESIGBUS = -4098,    /* a store through a mapping raised SIGBUS */
	MMT_EINTERRUPTED = -4099, /* the sweep was asked to stop */
	MMT_ESHRUNK = -4100,    /* the file shrank while it was being read */
	MMT_ECHECKSUM = -4101,  /* a read's checksum differs from the file's */
};

/* Text for an error code; never NULL.  Works for negative errno values too. */
const char *mmt_strerror(int err);

/* A detailed error: the code and one line naming the problem, without the
 * program name and without a trailing full stop or newline. */
struct mmt_error {
	int code;
	char msg[512];
};

/* ---- clock ------------------------------------------------------------ */

/* Nanoseconds on the monotonic clock.  Cheap (vDSO); safe anywhere. */
uint64_t mmt_now_ns(void);

struct mmt_clock_info {
	const char *name;        /* "CLOCK_MONOTONIC" */
	uint64_t resolution_ns;  /* clock_getres() */
	double read_cost_ns;     /* measured median cost of one mmt_now_ns() */
};

/* Fill *ci with the clock's resolution and the measured cost of reading it. */
void mmt_clock_info(struct mmt_clock_info *ci);

/* ---- sizes and chunk lists ------------------------------------------- */

/* Parse a byte count: digits, optionally followed by K, M, G, T or KiB,
 * MiB, GiB, TiB (all 1024-based, case-insensitive) or B.  No sign, no
 * fraction, no zero.  Returns 0, -EINVAL for a malformed string or zero,
 * -ERANGE when the value does not fit in 63 bits. */
int mmt_parse_size(const char *s, uint64_t *out);

/* Parse a chunk list: comma-separated items, each a size or a range.
 * "A:B" doubles from A while <= B; "A:B:xF" multiplies by the integer F >= 2.
 * The list is returned in *out (malloc'd, caller frees), in ascending
 * order, with duplicates removed.  Returns 0, -EINVAL, -ERANGE (a value too large,
 * or more than MMT_MAX_CHUNKS sizes) or -ENOMEM. */
#define MMT_MAX_CHUNKS 4096
int mmt_parse_chunks(const char *s, uint64_t **out, size_t *n);

/* Human-readable size into buf: "1 B", "8 KiB", "1.50 MiB", "10 MiB".
 * Returns buf. */
char *mmt_format_size(uint64_t bytes, char *buf, size_t len);

/* Human-readable duration with three significant digits: "812 ns",
 * "25.1 ms", "5.21 s".  Returns buf. */
char *mmt_format_time(double seconds, char *buf, size_t len);

/* ---- the data pattern ------------------------------------------------ */

/*
 * Every method writes the same deterministic, non-zero bytes: the byte at
 * file offset o is mmt_pattern_byte(o), a hash of o modulo the period.  No
 * two offsets within a period hold a predictable relation, so a chunk
 * written at a wrong offset (by anything but a whole period) is caught by
 * verification.  The period is 257 pages: a little over 1 MiB, so memory
 * stays bounded by period + chunk, and a multiple of 4096, so that a chunk
 * whose size is a multiple of an alignment (O_DIRECT) always starts at an
 * equally aligned address in the page-aligned source.
 */
#define MMT_PATTERN_PERIOD (257u * 4096u)

/* The byte the pattern has at file offset o. */
unsigned char mmt_pattern_byte(uint64_t o);

/* A source buffer holding the pattern from offset 0 for period + extra
 * bytes, so that a copy of up to `extra` bytes can start anywhere within
 * the first period.  Returns NULL on allocation failure; free with
 * mmt_pattern_free(). */
unsigned char *mmt_pattern_alloc(size_t extra);
void mmt_pattern_free(unsigned char *src, size_t extra);

/* ---- methods ----------------------------------------------------------- */

enum mmt_op { MMT_OP_WRITE = 1u << 0, MMT_OP_READ = 1u << 1 };

/* Capability flags of a method. */
enum {
	MMT_METHOD_NOFILE = 1u << 0,  /* touches no file: nothing to verify */
	MMT_METHOD_MAPS = 1u << 1,    /* stores through a mapping (SIGBUS risk) */
	MMT_METHOD_SYSCW = 1u << 2,   /* its write() calls are made by a library
				       * (stdio): the sweep counts them from the
				       * kernel's syscw figure in /proc/self/io */
};

/* Durability asked of a write method. */
enum mmt_sync {
	MMT_SYNC_NONE,  /* page cache only: the classic experiment */
	MMT_SYNC_END,   /* fsync() or msync(MS_SYNC) once, timed as its own phase */
	MMT_SYNC_EACH,  /* after every chunk (or every vectored call), in transfer */
};

/* Reading: the page cache before each run, and the order of the chunks. */
enum mmt_cache { MMT_CACHE_WARM, MMT_CACHE_COLD };
enum mmt_order { MMT_ORDER_SEQ, MMT_ORDER_RANDOM };

struct mmt_read_opts {
	enum mmt_cache cache;
	bool drop_caches;        /* cold: also drop the whole page cache (root) */
	enum mmt_order order;
	uint64_t seed;           /* random: the order's seed, same for every method */
};

/* madvise() advice for the mapping methods. */
enum mmt_advice {
	MMT_ADVICE_NONE,         /* no madvise() call */
	MMT_ADVICE_NORMAL, MMT_ADVICE_SEQUENTIAL, MMT_ADVICE_RANDOM,
	MMT_ADVICE_WILLNEED, MMT_ADVICE_DONTNEED, MMT_ADVICE_HUGEPAGE,
};

/* Options that tune methods; each method reads the ones that concern it.
 * All zero means the defaults. */
struct mmt_opts {
	enum mmt_sync sync;
	unsigned batch;          /* writev, pwritev: chunks per call, up to
				  * IOV_MAX; 0 means MMT_DEFAULT_BATCH */
	size_t stdio_buffer;     /* stdio: buffer size; 0 keeps the library's */
	unsigned queue_depth;    /* uring: requests in flight, up to 4096;
				  * 0 means MMT_DEFAULT_QUEUE_DEPTH */
	enum mmt_advice advice;  /* reading: madvise() for mmap, the matching
				  * posix_fadvise() for the others */
	struct mmt_read_opts read;
};
#define MMT_DEFAULT_BATCH 16

#define MMT_DEFAULT_QUEUE_DEPTH 8

/* What a probe is asked: can the method run in dirfd, and if size and
 * chunk are not 0, at that point? */
struct mmt_probe {
	int dirfd;
	unsigned op;             /* MMT_OP_WRITE or MMT_OP_READ; 0 for either */
	uint64_t size, chunk;
	const struct mmt_opts *opts;
};

/* What one timed run of a write method gets. */
struct mmt_io {
	int dirfd;                   /* directory to create the file in */
	const char *name;            /* fresh name; the method opens it O_EXCL */
	uint64_t size;               /* bytes to write */
	uint64_t chunk;              /* bytes per operation */
	const unsigned char *src;    /* pattern source, period + chunk bytes */
	const struct mmt_opts *opts;
	/* Reading: a page-aligned, prefaulted buffer of bufsize bytes (at
	 * least one chunk; chunk * queue depth for uring). */
	unsigned char *buf;
	size_t bufsize;
};

/* What one timed run reports: the clock at its phase boundaries and the
 * number of system calls it issued inside the timed span. */
struct mmt_stamps {
	uint64_t t_start;     /* before open */
	uint64_t t_setup;     /* file open, sized and mapped: transfer begins */
	uint64_t t_transfer;  /* last chunk done */
	uint64_t t_sync;      /* --sync end done (== t_transfer without it) */
	uint64_t t_end;       /* after close: the timed span ends */
	uint64_t syscalls;
	uint64_t checksum;    /* reading: mmt_checksum() summed over the chunks */
};

/*
 * An I/O method.  It owns its whole chunk loop: the driver calls run()
 * once per timed run, never once per chunk, because an indirect call per
 * chunk costs as much as copying a 1-byte chunk through a mapping.
 * To add a method, write it in src/methods/ and add a row to the table in
 * src/methods/methods.c.
 */
struct mmt_method {
	const char *name;
	const char *desc;      /* one line */
	unsigned ops;          /* MMT_OP_* it supports */
	unsigned flags;        /* MMT_METHOD_* */
	/* Can it run here (and at p's point)?  0, or a negative code
	 * (MMT_EUNAVAIL) with the reason written into why. */
	int (*probe)(const struct mmt_probe *p, char *why, size_t whylen);
	/* One timed run: create io->name in io->dirfd, write io->size bytes of
	 * the pattern io->chunk at a time at increasing offsets, close.  Fills
	 * *st.  Returns 0 or a negative code; on failure the file may exist
	 * and the caller removes it. */
	int (*write)(const struct mmt_io *io, struct mmt_stamps *st);
	/* One timed run of reading: open io->name in io->dirfd (an existing
	 * file of io->size bytes), read it io->chunk at a time in the order
	 * of io->opts->read (sequential, or mmt_order_*), consuming every
	 * byte with mmt_checksum() into st->checksum, close. */
	int (*read)(const struct mmt_io *io, struct mmt_stamps *st);
};

/*
 * The checksum a read consumes every byte with: the sum of the chunk's
 * little-endian 64-bit words, and of its last bytes.  Summing is cheap
 * (the compiler vectorises it) and commutative, so the expected total is
 * the same in any order; a reader that skips or misplaces data sees it
 * differ.
 */
static inline uint64_t mmt_checksum(const unsigned char *p, size_t n)
{
	uint64_t sum = 0, w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		__builtin_memcpy(&w, p + i, 8);
		sum += w;
	}
	for (; i < n; i++)
		sum += (uint64_t)p[i] << (8 * (i % 8));
	return sum;
}

/*
 * A random order of the chunks 0..n-1 that visits each exactly once and
 * needs no memory: a full-period linear congruential generator modulo the
 * next power of two, skipping values >= n.  The same seed gives the same
 * order, for every method.
 */
struct mmt_order_state {
	uint64_t n, mask, a, c, x;
};
void mmt_order_init(struct mmt_order_state *o, uint64_t n, uint64_t seed);
static inline uint64_t mmt_order_next(struct mmt_order_state *o)
{
	do
		o->x = (o->a * o->x + o->c) & o->mask;
	while (o->x >= o->n);
	return o->x;
}

/* The methods table, NULL-terminated, in display order. */
extern const struct mmt_method *const mmt_methods[];

/* Look a method up by name; NULL if there is none. */
const struct mmt_method *mmt_method_find(const char *name);

/* ---- the environment the numbers belong to --------------------------- */

struct mmt_env {
	char hostname[256];
	char kernel[256];        /* "Linux 6.1.0-13-amd64 #1 SMP ..." */
	char machine[64];        /* "x86_64" */
	char cpu_model[256];
	int cores;               /* online CPUs */
	long page_size;
	char fs_type[64];        /* filesystem of the run directory */
	char mount_point[1024];
	char mount_source[1024];
	char dir[4096];          /* the run directory, absolute */
	struct mmt_clock_info clock;
};

/* Describe the machine and the filesystem holding dir.  Fields that cannot
 * be found are "unknown"; returns 0 or a negative errno when dir cannot be
 * resolved. */
int mmt_env_probe(const char *dir, struct mmt_env *env);

/* ---- counters ---------------------------------------------------------- */

/* Per-run counters explaining a cost. */
struct mmt_counters {
	double syscalls;
	/* Reading: bytes read from storage (/proc/self/io read_bytes), and
	 * the share of the file resident in the page cache just before the
	 * timer started. */
	double storage_read_bytes;
	double resident;
	double minflt, majflt;
	double utime, stime;     /* seconds */
	double nvcsw, nivcsw;
	/* Bytes sent to storage by the run, net of what removing the file
	 * cancelled (/proc/self/io write_bytes - cancelled_write_bytes), so
	 * page-cache-only runs show ~0 and synced runs the file's size;
	 * -1 when /proc/self/io cannot be read. */
	double storage_bytes;
};

/* ---- the sweep --------------------------------------------------------- */

/* One measured run of a (method, chunk) point. */
struct mmt_run {
	double seconds;          /* the timed span, open to close */
	double setup, transfer, sync, teardown;
	struct mmt_counters c;
};

/* A (method, chunk) point: every run, and the summary over them. */
struct mmt_point {
	const struct mmt_method *method;
	uint64_t size, chunk;
	unsigned nruns;
	struct mmt_run *runs;    /* nruns entries, in the order they ran */
	double median, min, max; /* of runs[].seconds */
	double setup, transfer, sync, teardown; /* medians */
	struct mmt_counters c;   /* medians */
	bool verified;           /* every run's file matched the pattern */
	bool checked;            /* false for methods with no file */
	bool available;          /* false: no runs, and why says why */
	bool cold_confirmed;     /* reading cold: every run started with at most
				  * 1% of the file resident */
	double resident_max;     /* reading: the largest resident share seen */
	char why[192];
};

struct mmt_progress {
	size_t done, total;      /* timed runs, warmups included */
	const struct mmt_method *method;
	uint64_t chunk;
	unsigned run;            /* 0-based; warmups first */
	bool warmup;
	double elapsed;          /* seconds since the sweep started */
};

struct mmt_job {
	enum mmt_op op;
	uint64_t size;
	const uint64_t *chunks;
	size_t nchunks;
	const struct mmt_method *const *methods;
	size_t nmethods;
	unsigned runs;           /* measured runs per point, >= 1 */
	unsigned warmup;         /* unrecorded runs per point before them */
	const char *dir;
	struct mmt_opts opts;
	/* Test hook: when >= 0, flip the byte at this file offset after every
	 * run's method returns and before verification, so tests can see that
	 * verification catches a corrupted file.  -1 otherwise. */
	int64_t test_corrupt_at;
	/* Test hook, reading: when >= 0, truncate the prepared file to this
	 * size just before each timed run, as another process might, so tests
	 * can see every method turn a shrunken file into an error.  -1
	 * otherwise.  (Writing: test_corrupt_at flips a byte of the prepared
	 * file once it is prepared, so every read's checksum must differ.) */
	int64_t test_shrink_to;
	/* Skip the free-space check of mmt_job_check(), so that tests can see
	 * how a method fails when the disk fills up during a run. */
	bool skip_space_check;
	/* Called before every timed run, from the measuring thread and never
	 * inside a timed span; may be NULL. */
	void (*progress)(void *arg, const struct mmt_progress *p);
	void *progress_arg;
};

/* Set *job to the defaults of reading: the classic experiment's sizes
 * and chunks, methods mmap and read, warm cache, sequential. */
void mmt_job_read(struct mmt_job *job);

/* Set *job to defaults: the classic experiment (10 MiB, the published 15
 * chunk sizes, methods mmap and write, 3 runs, no warmup, dir "."). */
void mmt_job_classic(struct mmt_job *job);

struct mmt_results {
	struct mmt_point *points; /* nchunks * nmethods, chunk-major */
	size_t npoints;
	size_t nchunks, nmethods;
	/* The tool's own peak resident memory during the sweep, in bytes
	 * (VmHWM, reset at the start where the kernel allows); -1 unknown.
	 * Pages of a file mapped while it is read count in it. */
	double peak_rss;
};

/*
 * Validate a job against its directory before anything is created:
 * the directory exists and is writable, every method supports the op,
 * every chunk is between 1 and size, the options are in range, there is
 * room for the file.  A method that cannot run here is not an error: its
 * points are reported unavailable, with the reason.  Returns 0, or a
 * negative code with err filled.
 * Also refused up front, so that no value makes the tool allocate without
 * bound: more than MMT_MAX_RUNS recorded runs in all (-E2BIG), and
 * buffers (a chunk, the pattern, a read queue) needing more than half of
 * the machine's memory (-ENOMEM); on a filesystem without free-space
 * figures (ramfs, whose files live in memory), a file larger than the
 * memory available (-ENOSPC).
 */
#define MMT_MAX_RUNS 1000000
int mmt_job_check(const struct mmt_job *job, struct mmt_error *err);

/*
 * Run the sweep: for each repeat, for each chunk size, each method in turn
 * (rotated every repeat so drift and order effects hit all alike), one
 * timed run on a fresh file, verified and removed afterwards.  Points a
 * method cannot run are marked unavailable (with the probe's reason) and
 * not run.  Returns 0 with *res filled (free with mmt_results_free), or a
 * negative code with err filled and *res empty; no partial results are
 * returned.  MMT_EUNAVAIL when no point at all could run.
 * Installs a SIGBUS handler for its duration and restores the old one.
 */
int mmt_sweep(const struct mmt_job *job, struct mmt_results *res,
	      struct mmt_error *err);
void mmt_results_free(struct mmt_results *res);

/* Ask a running sweep to stop after the current run.  Async-signal-safe. */
void mmt_sweep_cancel(void);

/*
 * Remove the file the sweep is measuring right now, if any.
 * Async-signal-safe: meant for a SIGINT/SIGTERM handler that then ends the
 * process, so that an interrupted run leaves nothing behind.
 */
void mmt_tempfile_cleanup_async(void);

/* ---- the verdict -------------------------------------------------------- */

#define MMT_MAX_CROSSOVERS 16

/* Who wins where between two methods a and b over the measured chunks. */
struct mmt_verdict {
	const struct mmt_method *small;   /* winner at the smallest chunk */
	const struct mmt_method *large;   /* winner at the largest chunk */
	size_t ncross;                    /* changes of winner, all counted;
					   * the first MMT_MAX_CROSSOVERS kept */
	uint64_t cross_lo[MMT_MAX_CROSSOVERS], cross_hi[MMT_MAX_CROSSOVERS];
	/* The change rests on unsteady runs: at cross_lo or cross_hi, one of
	 * the two methods' slowest run took over twice its fastest. */
	bool cross_unsteady[MMT_MAX_CROSSOVERS];
	size_t nclose;                    /* points too close to call (each
					   * median within the other's min-max),
					   * all counted; the first 64 kept */
	uint64_t close[64];               /* their chunk sizes, the first 64 */
};

/* Compare methods a and b (indices into the job's methods) over every chunk
 * where both ran, by median time.  Returns 0, -EINVAL for bad indices, or
 * -ENOENT when there is no chunk where both ran. */
int mmt_verdict(const struct mmt_results *res, size_t a, size_t b,
		struct mmt_verdict *v);

/* The fastest method (index) at chunk index c among those that ran and
 * wrote a file, and in *second (if not NULL) the runner-up or SIZE_MAX.
 * -1 when none ran there. */
int mmt_fastest(const struct mmt_results *res, size_t c, size_t *second);

/* ---- reports ------------------------------------------------------------ */

/* Everything a reporter needs. */
struct mmt_report {
	const struct mmt_job *job;
	const struct mmt_results *res;
	const struct mmt_env *env;
	const char *command;     /* "write" */
	bool phases;             /* the table shows the phase split */
};

/*
 * An output format.  render() writes to out and returns 0, or a negative
 * errno when the stream failed.  To add a format, write it in src/report/
 * and add a row to the table in src/report/report.c.
 */
struct mmt_reporter {
	const char *name;
	const char *desc;
	int (*render)(FILE *out, const struct mmt_report *r);
};

extern const struct mmt_reporter *const mmt_reporters[];
const struct mmt_reporter *mmt_reporter_find(const char *name);

#endif /* MMAPTIMER_H */
