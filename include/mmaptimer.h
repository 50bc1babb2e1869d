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
	MMT_ESTALLED = -4102,   /* an asynchronous request never completed */
	/* Saved results (src/store/). */
	MMT_EDBDAMAGED = -4120, /* the database file is damaged or not SQLite */
	MMT_EDBFOREIGN = -4121, /* an SQLite database of another program */
	MMT_EDBNEWER = -4122,   /* written by a newer mmaptimer */
	MMT_EJSONFOREIGN = -4123, /* not an mmaptimer result */
	MMT_EJSONNEWER = -4124, /* a result of a newer schema than ours */
	MMT_ENOTSAVED = -4125,  /* no saved result with that id */
	MMT_EOPMISMATCH = -4126, /* results of different operations */
	MMT_EPEERDIED = -4140,  /* ipc: a peer process died during the run */
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
	/* Optional, for what all of a sweep's runs of the method share:
	 * begin is called in the sweep's thread before its first run (0, or
	 * a negative code with the reason in why: the method is then
	 * unavailable), end after its last.  Neither is timed. */
	int (*begin)(char *why, size_t whylen);
	void (*end)(void);
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
	char date[32];           /* when it was probed (the run began), UTC,
				  * "2026-12-02T11:20:03Z"; "" if unknown */
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

/* The pair a verdict compares: mmap and write (reading: mmap and read)
 * when both were measured, else the first two methods that touch a file,
 * in the order given.  Returns 0 with *a and *b set, or -ENOENT when
 * fewer than two such methods were measured. */
int mmt_verdict_pair(const struct mmt_results *res, size_t *a, size_t *b);

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

/* ---- saved results (src/store/, SQLite) -------------------------------- */

/*
 * A result read back from JSON (a file, or the document a database keeps):
 * everything a reporter needs, owned by this structure.  rep points into
 * it; free with mmt_loaded_free().
 */
struct mmt_loaded {
	struct mmt_report rep;
	struct mmt_job job;
	struct mmt_results res;
	struct mmt_env env;
	char command[32];
	char tool_version[32];
	/* Storage the pointers above refer to. */
	uint64_t *chunks;
	const struct mmt_method **methods;
	struct mmt_method *unknown;  /* methods this build does not know */
	char (*unknown_names)[64];
	char dir[4096];
	char clock_name[64];
};

/*
 * Read an mmaptimer/1 JSON document (json, len bytes) into *l, with
 * SQLite's JSON functions.  Points may appear in any order but must cover
 * every (method, chunk) of the configuration exactly once.  Returns 0,
 * MMT_EJSONFOREIGN (not JSON, not ours, or a field missing or of the wrong
 * type; err names it), MMT_EJSONNEWER (schema "mmaptimer/N", N > 1) or
 * -ENOMEM.  On failure *l is empty.
 */
int mmt_load_json(const char *json, size_t len, struct mmt_loaded *l, struct mmt_error *err);
void mmt_loaded_free(struct mmt_loaded *l);

/* The one-line verdict of a result, as history shows it: "mmap wins up to
 * 4 KiB, write from 8 KiB".  Returns buf. */
char *mmt_verdict_line(const struct mmt_results *res, char *buf, size_t len);

/* The database's application_id ("MMTR") and the schema version this
 * build writes; older versions are migrated on open. */
#define MMT_STORE_APPLICATION_ID 0x4d4d5452
#define MMT_STORE_VERSION 2

struct mmt_store;

/* Open flags. */
enum {
	MMT_STORE_CREATE = 1u << 0,   /* create the file if it does not exist */
	MMT_STORE_READONLY = 1u << 1, /* only check: no migration, no writes */
};

/*
 * Open the database at path.  Refuses, without writing a byte: a file
 * that is not SQLite or is damaged (MMT_EDBDAMAGED), an SQLite database
 * of another program (MMT_EDBFOREIGN), one of a newer version
 * (MMT_EDBNEWER); a missing file without MMT_STORE_CREATE is -ENOENT.
 * An older version is migrated in one transaction, except with
 * MMT_STORE_READONLY, which only checks the file (use it to find a bad
 * database before a long run) and must not be used to read an older
 * version.  *created (may be NULL) says whether this call created the
 * file.  Returns 0 with *st set, or a negative code with err filled.
 */
int mmt_store_open(const char *path, unsigned flags, struct mmt_store **st, bool *created,
		   struct mmt_error *err);
void mmt_store_close(struct mmt_store *st);

/*
 * Save a finished run: the report's environment, configuration, every
 * point and every run's figures, the verdict line and the JSON document
 * json (the report rendered as JSON) in one transaction.  Returns 0 with
 * *id set, or a negative code with err filled and nothing stored.
 */
int mmt_store_save(struct mmt_store *st, const struct mmt_report *r, const char *json,
		   int64_t *id, struct mmt_error *err);

/* Import a JSON document (validated with mmt_load_json first) in one
 * transaction; runs carry their times only, as the document does.
 * confirm (may be NULL) is called with the new id before the transaction
 * commits, to tell the user: when it returns non-zero, nothing is stored
 * and mmt_store_import returns that code. */
int mmt_store_import(struct mmt_store *st, const char *json, size_t len,
		     int (*confirm)(void *arg, int64_t id), void *arg, int64_t *id,
		     struct mmt_error *err);

/* Load saved result id.  MMT_ENOTSAVED when there is none. */
int mmt_store_load(struct mmt_store *st, int64_t id, struct mmt_loaded *l,
		   struct mmt_error *err);

/* One saved result, as history lists it. */
struct mmt_history {
	int64_t id;
	char date[32];      /* of the run; "unknown" for a result without one */
	char host[256], kernel[256], fs[64], command[32], origin[16];
	char verdict[256];
};

/* Call fn for every saved result, oldest first; stops at fn's first
 * non-zero return, which it returns.  0 or a negative code. */
int mmt_store_history(struct mmt_store *st, int (*fn)(void *arg, const struct mmt_history *h),
		      void *arg, struct mmt_error *err);

/* ---- comparing two results --------------------------------------------- */

/* One (method, chunk) point of A beside the same point of B. */
struct mmt_cmp_row {
	const char *method;
	uint64_t chunk;
	const struct mmt_point *a, *b; /* NULL where that side lacks the point */
	bool both;         /* both measured it */
	double ratio;      /* b median / a median; 0 unless both */
	bool differs;      /* both, and the min-max ranges do not overlap */
};

/*
 * Pair the points of a and b by method and chunk size (A's order, then
 * what only B has) into *rows (malloc'd, caller frees).  MMT_EOPMISMATCH
 * when a and b measured different operations, or different file sizes.
 */
int mmt_compare(const struct mmt_loaded *a, const struct mmt_loaded *b,
		struct mmt_cmp_row **rows, size_t *nrows, struct mmt_error *err);

/* The comparison's verdict line: "B is 3.10x faster for 1 B writes
 * through mmap, no different above 64 KiB".  Returns buf. */
char *mmt_compare_verdict(const struct mmt_cmp_row *rows, size_t n, enum mmt_op op, char *buf,
			  size_t len);

/* ---- inter-process communication (mmaptimer ipc) -------------------------- */

/*
 * The classic record every transport carries: a status byte (EMPTY, FULL,
 * TERM), a 7-character string and three doubles, 32 bytes.  The data is a
 * function of the record's sequence number (v[0] holds it exactly), so a
 * receiver can check every record and the driver can check, at the end,
 * that each was delivered exactly once.
 */
enum { MMT_IPC_EMPTY = 0, MMT_IPC_FULL = 1, MMT_IPC_TERM = 2 };
struct mmt_ipc_record {
	unsigned char status;
	char text[7];
	double v[3];
};

/* Most consumer processes a throughput run may have: more cannot be
 * placed usefully on any machine this measures, and each is a process. */
#define MMT_IPC_MAX_CONSUMERS 64
/* Most slots of the shared ring (64 bytes each: 64 MiB). */
#define MMT_IPC_MAX_SLOTS (1u << 20)

enum mmt_ipc_mode { MMT_IPC_LATENCY = 1u << 0, MMT_IPC_THROUGHPUT = 1u << 1 };
/* How a process waits for the ring: spin only, sleep at once (a futex on
 * a word in the mapping), or spin briefly and then sleep (the default). */
enum mmt_ipc_wait { MMT_IPC_WAIT_HYBRID, MMT_IPC_WAIT_SPIN, MMT_IPC_WAIT_SLEEP };
/* What backs the ring's shared mapping: a file in the job's directory
 * (created O_EXCL|O_NOFOLLOW and unlinked once mapped) or a memfd. */
enum mmt_ipc_backing { MMT_IPC_BACKING_FILE, MMT_IPC_BACKING_MEMFD };

/* A way to pass records between processes.  To add one, write its loops
 * in src/ipc/ and add a row to the table in src/ipc/transports.c. */
struct mmt__ipc_ops;
struct mmt_ipc_transport {
	const char *name;
	const char *desc;
	/* Can it run here?  0, or MMT_EUNAVAIL with the reason in why. */
	int (*probe)(char *why, size_t whylen);
	const struct mmt__ipc_ops *ops;   /* the loops; library-internal */
};
/* The transports, NULL-terminated, in display order (shm, pipe, unix, mq). */
extern const struct mmt_ipc_transport *const mmt_ipc_transports[];
const struct mmt_ipc_transport *mmt_ipc_transport_find(const char *name);

struct mmt_ipc_job {
	const struct mmt_ipc_transport *const *transports;
	size_t ntransports;
	unsigned modes;           /* MMT_IPC_LATENCY | MMT_IPC_THROUGHPUT */
	uint64_t lat_messages;    /* latency: round trips per run, >= 1 */
	uint64_t thr_messages;    /* throughput: records per run, >= 1 */
	unsigned consumers;       /* throughput: 1 .. MMT_IPC_MAX_CONSUMERS */
	unsigned slots;           /* ring slots: 1 .. MMT_IPC_MAX_SLOTS; the
				   * kernel transports' queue depth where they
				   * have one (mq) */
	unsigned runs;            /* >= 1 */
	enum mmt_ipc_wait wait;
	enum mmt_ipc_backing backing;
	const char *dir;          /* where a file backing lives */
	bool pin;                 /* pin processes to cores when there are enough */
	/* Test hooks.  die_after >= 0: consumer 1 kills itself with SIGKILL
	 * after taking that many records, so tests can see the producer notice.
	 * duplicate: the producer sends one record twice in place of the next,
	 * so tests can see verification catch it. */
	int64_t test_die_after;
	bool test_duplicate;
};

/* Set *job to the defaults: every transport, both modes, 10000 round
 * trips, 100000 records, 1 consumer, 256 slots, 3 runs, hybrid waiting,
 * a file in ".", pinned where possible. */
void mmt_ipc_job_default(struct mmt_ipc_job *job);

/* Check a job before anything is created: 0, or a negative code with err
 * filled (-EINVAL for a value out of range). */
int mmt_ipc_job_check(const struct mmt_ipc_job *job, struct mmt_error *err);

/* One (transport, mode) row of the result.  Latencies are one-way, in
 * nanoseconds: each sample is a batch of round trips timed together,
 * divided by twice the batch, so that reading the clock does not dominate;
 * percentiles come from a log-linear histogram (1/32 octave buckets). */
struct mmt_ipc_result {
	const char *name;         /* transport name, or "floor" */
	bool is_floor;            /* the cache-line ping-pong */
	enum mmt_ipc_mode mode;
	bool available;           /* false: nothing ran; why says why */
	char why[192];
	unsigned nruns;
	double *runs;             /* per run: median one-way ns (latency) or
				   * seconds (throughput), in run order; the
				   * floor is measured before each transport's
				   * latency run, so it has one per such run */
	uint64_t messages;        /* per run */
	/* latency */
	unsigned batch;           /* round trips per sample */
	uint64_t samples;         /* over all runs */
	double min_ns, median_ns, p90_ns, p99_ns, p999_ns, max_ns;
	double floor_ratio;       /* median over runs of the run's median over
				   * the floor measured just before it; NAN if none */
	/* throughput */
	double seconds, min_s, max_s;      /* median, min, max over runs */
	double records_per_s, mb_per_s;    /* from the median run */
	double pipe_ratio;        /* records/s over the pipe's; NAN if none */
	double csw_per_record;    /* context switches (all processes, median run) per record */
	bool verified;            /* every record arrived exactly once, intact */
	char placement[160];      /* "producer cpu 0, consumer cpu 1" or why not pinned */
};

struct mmt_ipc_results {
	struct mmt_ipc_result *rows;   /* latency rows (floor first), then throughput */
	size_t nrows;
};

/*
 * Run the job: for each mode, each run, the floor (latency) and then every
 * transport in turn (rotated each run), each in freshly forked processes
 * over fresh channels.  Every record is verified; a consumer that dies,
 * a lost or duplicated record, or a damaged one is an error.  Returns 0
 * with *res filled (free with mmt_ipc_results_free), or a negative code
 * with err filled; never a partial result.  Children are always killed and
 * reaped and every file removed before it returns.
 */
int mmt_ipc_run(const struct mmt_ipc_job *job, struct mmt_ipc_results *res,
		struct mmt_error *err);
void mmt_ipc_results_free(struct mmt_ipc_results *res);

/* Kill and reap the children of a running mmt_ipc_run() and remove its
 * backing file.  Async-signal-safe: for a SIGINT/SIGTERM handler that
 * then ends the process. */
void mmt_ipc_cleanup_async(void);

/* What an ipc reporter gets. */
struct mmt_ipc_report {
	const struct mmt_ipc_job *job;
	const struct mmt_ipc_results *res;
	const struct mmt_env *env;
};

/* An output format for ipc results; a fixed table like mmt_reporters. */
struct mmt_ipc_reporter {
	const char *name;
	int (*render)(FILE *out, const struct mmt_ipc_report *r);
};
extern const struct mmt_ipc_reporter *const mmt_ipc_reporters[];
const struct mmt_ipc_reporter *mmt_ipc_reporter_find(const char *name);

/* ---- the terminal chart ------------------------------------------------- */

/* How mmt_chart() draws.  All zero means 80 columns, 12 rows, no colour. */
struct mmt_chart_opts {
	unsigned width;          /* columns the chart may use, 40 to 1000 */
	unsigned height;         /* rows of the plot area, 4 to 100 */
	bool colour;             /* ANSI colour escapes, one colour per method */
};

/*
 * Draw the median time per run against chunk size for a terminal: log
 * scales, braille dots for the curves, a marker of each method's own shape
 * at every measured point (so the curves can be told apart without
 * colour), the winner's changes as a dashed column, and a legend naming
 * the methods that could not run.  Every line fits in o->width characters
 * (UTF-8; one column each).  Writes to out; returns 0, -EINVAL for
 * options out of range, -ENOMEM, or -EIO when out failed.
 */
int mmt_chart(FILE *out, const struct mmt_report *r, const struct mmt_chart_opts *o);

#endif /* MMAPTIMER_H */
