/*
 * overhead.c - how far mmaptimer's figure is from the bare cost of the same
 * work.  For mmap and write() at 1 B, 64 B, 4 KiB and 10 MiB chunks it
 * alternates, in one process, a run measured by the library (mmt_sweep) with
 * a run of a plain reference loop written out below, and prints the ratio of
 * their medians.  The goal is at most 1.05 at every point.  It reports; it
 * does not fail on speed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mmaptimer.h"
#include "bare.h"

#define PROG "bench-overhead"
#define GOAL 1.05
#define MAX_REPS 1000

/* Exit codes, as the tool's. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* The points of the issue: these chunk sizes, for these two methods. */
static const uint64_t chunks[] = { 1, 64, 4096, 10485760 };
static const char *const method_names[] = { "mmap", "write" };
#define NCHUNKS (sizeof(chunks) / sizeof(chunks[0]))
#define NMETHODS (sizeof(method_names) / sizeof(method_names[0]))

/* One point's measurements: the tool's and the bare loop's time per rep. */
struct point {
	const struct mmt_method *m;
	uint64_t chunk;
	unsigned n;              /* reps recorded */
	double tool[MAX_REPS], bare[MAX_REPS];
};

/* How many reps a point gets. */
struct plan {
	unsigned reps;           /* at least this many, rounded up to even */
	unsigned warmup;         /* unrecorded pairs first */
	double min_time;         /* and go on until this many seconds */
};

/* The bare loop's current file, for removal if we are interrupted.  The
 * name is only written while `bare_active` is 0. */
static volatile sig_atomic_t bare_active;
static int bare_dirfd = -1;
static char bare_name[96];

static void on_signal(int sig)
{
	if (bare_active) {
		bare_active = 0;
		unlinkat(bare_dirfd, bare_name, 0);
	}
	mmt_tempfile_cleanup_async();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void help(FILE *out)
{
	fputs("usage: bench/overhead [--size SIZE] [--reps N] [--min-time S] [--warmup N]\n"
	      "                      [--dir DIR]\n\n"
	      "Compare mmaptimer's median for mmap and write at 1 B, 64 B, 4 KiB and 10 MiB\n"
	      "chunks with a bare reference loop doing the same work, alternating the two in\n"
	      "one process, and print each ratio tool/bare (goal: at most 1.05).\n\n"
	      "options:\n"
	      "  -s, --size SIZE   file size (default 10M); chunks above it are skipped\n"
	      "  -r, --reps N      at least N runs of each side per point, rounded up to an\n"
	      "                    even number (default 8)\n"
	      "  -t, --min-time S  and more, until S seconds went into the point (default 2)\n"
	      "  -w, --warmup N    unrecorded runs of each side per point first (default 1)\n"
	      "  -d, --dir DIR     directory to create the files in (default .)\n"
	      "  -h, --help        this help\n\n"
	      "Exit status: 0 the benchmark ran (whatever the ratios), 1 a run failed,\n"
	      "2 a usage error.\n", out);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median, min and max of v[n] (v is left untouched). */
static double median(const double *v, size_t n, double *min, double *max)
{
	double t[MAX_REPS], m;

	memcpy(t, v, n * sizeof(*v));
	qsort(t, n, sizeof(*t), cmp_double);
	m = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
	if (min)
		*min = t[0];
	if (max)
		*max = t[n - 1];
	return m;
}

/*
 * One bare run with the harness's own untimed preparation around it:
 * a fresh name, syncfs() on the directory right before the timed span (the
 * sweep's "settle", so neither side starts with the other's dirty pages
 * still to write back), and removal afterwards.  With `check`, the file is
 * verified before removal.
 */
static int bare_run(int dirfd, const struct mmt_method *m, size_t size, size_t chunk,
		    const unsigned char *src, bool check, double *secs)
{
	static unsigned long seq;
	bool is_mmap = !strcmp(m->name, "mmap");
	int rc;

	bare_active = 0;
	snprintf(bare_name, sizeof(bare_name), "overhead-%ld-%lu.tmp", (long)getpid(), ++seq);
	bare_dirfd = dirfd;
	bare_active = 1;
	syncfs(dirfd);
	if (is_mmap)
		rc = bare_mmap(dirfd, bare_name, size, chunk, src, secs);
	else
		rc = bare_write(dirfd, bare_name, size, chunk, src, secs);
	if (rc == -EEXIST) {
		bare_active = 0;
		return rc;
	}
	if (!rc && check)
		rc = bare_verify(dirfd, bare_name, size, src);
	unlinkat(dirfd, bare_name, 0);
	bare_active = 0;
	return rc;
}

/* One tool run: a sweep of this single point with runs = 1, so the tool
 * does everything it always does around a run (job check, pattern,
 * SIGBUS guard, name, settle, counters, verification, removal).  Its
 * median is that run's open-to-close time.  Returns 0 or a negative code
 * with err filled. */
static int tool_run(const struct mmt_method *m, uint64_t size, uint64_t chunk,
		    const char *dir, double *secs, struct mmt_error *err)
{
	const struct mmt_method *methods[1] = { m };
	struct mmt_results res;
	struct mmt_job job;
	int rc;

	mmt_job_classic(&job);
	job.size = size;
	job.chunks = &chunk;
	job.nchunks = 1;
	job.methods = methods;
	job.nmethods = 1;
	job.runs = 1;
	job.warmup = 0;
	job.dir = dir;
	if ((rc = mmt_sweep(&job, &res, err)))
		return rc;
	*secs = res.points[0].median;
	mmt_results_free(&res);
	return 0;
}

/* The null method's medians at every chunk, reps runs each: the harness's
 * own loop with no I/O, for context. */
static int null_medians(uint64_t size, const char *dir, unsigned reps, double *out,
			struct mmt_error *err)
{
	const struct mmt_method *methods[1] = { mmt_method_find("null") };
	uint64_t cs[NCHUNKS];
	struct mmt_results res;
	struct mmt_job job;
	size_t n = 0;
	int rc;

	for (size_t c = 0; c < NCHUNKS; c++)
		if (chunks[c] <= size)
			cs[n++] = chunks[c];
	mmt_job_classic(&job);
	job.size = size;
	job.chunks = cs;
	job.nchunks = n;
	job.methods = methods;
	job.nmethods = 1;
	job.runs = reps;
	job.dir = dir;
	if ((rc = mmt_sweep(&job, &res, err)))
		return rc;
	for (size_t i = 0; i < res.npoints; i++)
		out[i] = res.points[i].median;
	mmt_results_free(&res);
	return 0;
}

/* Fill err for a failed bare run. */
static void bare_failed(struct mmt_error *err, int rc, const struct point *p, const char *cs,
			const char *dir)
{
	err->code = rc;
	if (rc == MMT_EVERIFY)
		snprintf(err->msg, sizeof(err->msg),
			 "bare %s loop with %s chunks wrote a file that differs from the pattern",
			 p->m->name, cs);
	else
		snprintf(err->msg, sizeof(err->msg), "bare %s loop with %s chunks failed in '%s': %s",
			 p->m->name, cs, dir, mmt_strerror(rc));
}

/*
 * Measure one point.  Each rep is a tool run and a bare run; which goes
 * first alternates (tool first on even reps, bare first on odd ones) so
 * that drift, and whatever one run leaves behind (page cache, free page
 * lists, CPU caches), hit both sides alike - hence an even number of reps.
 * The first `warmup` pairs are not recorded: the first run after a change
 * of workload pays one-off costs (the new chunk size's source buffer, free
 * memory the kernel has not handed out before) that belong to neither side.
 * Cheap points go on past plan->reps until plan->min_time has passed, so
 * that their medians rest on enough runs to see a few per cent.  The bare
 * loop's file is verified once, in the last warm-up pair (or in a run of its
 * own when there is no warm-up), so that the check is outside every
 * recorded comparison.
 */
static int measure(struct point *p, uint64_t size, const char *dir, int dirfd,
		   const struct plan *plan, struct mmt_error *err)
{
	char cs[32], t[32];
	unsigned char *src = mmt_pattern_alloc((size_t)p->chunk);
	struct timespec t0, t1;
	double scratch;
	int rc = 0;

	if (!src) {
		snprintf(err->msg, sizeof(err->msg), "cannot allocate the pattern source");
		return err->code = -ENOMEM;
	}
	mmt_format_size(p->chunk, cs, sizeof(cs));
	p->n = 0;
	if (plan->warmup == 0 &&
	    (rc = bare_run(dirfd, p->m, (size_t)size, (size_t)p->chunk, src, true, &scratch)))
		bare_failed(err, rc, p, cs, dir);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned r = 0; !rc; r++) {
		bool warm = r < plan->warmup, check = r + 1 == plan->warmup;
		unsigned i = warm ? 0 : r - plan->warmup;

		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (!warm && i >= plan->reps && i % 2 == 0 &&
		    (ts_diff(&t0, &t1) >= plan->min_time || i >= MAX_REPS))
			break;
		for (int side = 0; side < 2 && !rc; side++) {
			if ((side == 0) == (i % 2 == 0)) {
				rc = tool_run(p->m, size, p->chunk, dir,
					      warm ? &scratch : &p->tool[i], err);
				continue;
			}
			rc = bare_run(dirfd, p->m, (size_t)size, (size_t)p->chunk, src, check,
				      warm ? &scratch : &p->bare[i]);
			if (rc)
				bare_failed(err, rc, p, cs, dir);
		}
		if (warm) {
			/* Time spent warming up does not count towards min_time. */
			clock_gettime(CLOCK_MONOTONIC, &t0);
			continue;
		}
		p->n = i + 1;
		if (!rc && isatty(2))
			fprintf(stderr, "\r%s: %-5s %-7s rep %u  %s ", PROG, p->m->name, cs, p->n,
				mmt_format_time(ts_diff(&t0, &t1), t, sizeof(t)));
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!rc)
		fprintf(stderr, "%s%s: %-5s %-7s %u reps  %s\n", isatty(2) ? "\r" : "", PROG,
			p->m->name, cs, p->n, mmt_format_time(ts_diff(&t0, &t1), t, sizeof(t)));
	mmt_pattern_free(src, (size_t)p->chunk);
	return rc;
}

/* "  38.6 ms - 50.0 ms": a min-max range for the table. */
static char *range(double lo, double hi, char *buf, size_t len)
{
	char a[32], b[32];

	snprintf(buf, len, "  %s - %s", mmt_format_time(lo, a, sizeof(a)),
		 mmt_format_time(hi, b, sizeof(b)));
	return buf;
}

static void print_table(const struct point *pts, size_t npts, unsigned nullreps,
			const double *nullmed, uint64_t size)
{
	char cs[32], a[32], b[32], ra[64], rb[64];
	double pr[MAX_REPS];
	size_t within = 0;

	printf("%-6s %7s %5s  %9s %-19s  %9s %-19s  %6s %6s  %s\n", "method", "chunk", "reps",
	       "tool", "  min - max", "bare", "  min - max", "ratio", "paired", "within 1.05");
	for (size_t i = 0; i < npts; i++) {
		const struct point *p = &pts[i];
		double tmin, tmax, bmin, bmax, tm, bm, ratio, paired;

		tm = median(p->tool, p->n, &tmin, &tmax);
		bm = median(p->bare, p->n, &bmin, &bmax);
		/* The paired ratio (median over reps of tool/bare within one
		 * rep) cancels drift slower than a rep; shown next to the
		 * ratio of medians as a check on it, not instead of it. */
		for (unsigned r = 0; r < p->n; r++)
			pr[r] = p->tool[r] / p->bare[r];
		paired = median(pr, p->n, NULL, NULL);
		ratio = tm / bm;
		within += ratio <= GOAL;
		printf("%-6s %7s %5u  %9s %-19s  %9s %-19s  %6.3f %6.3f  %s\n", p->m->name,
		       mmt_format_size(p->chunk, cs, sizeof(cs)), p->n,
		       mmt_format_time(tm, a, sizeof(a)),
		       range(tmin, tmax, ra, sizeof(ra)), mmt_format_time(bm, b, sizeof(b)),
		       range(bmin, bmax, rb, sizeof(rb)), ratio, paired,
		       ratio <= GOAL ? "yes" : "NO");
	}
	printf("\n%zu of %zu points within the goal (ratio of medians <= %.2f)\n", within, npts,
	       GOAL);
	printf("\nnull method (the harness's chunk loop with no I/O), median of %u:\n", nullreps);
	for (size_t c = 0, n = 0; c < NCHUNKS; c++) {
		if (chunks[c] > size)
			continue;
		printf("  %7s  %s\n", mmt_format_size(chunks[c], cs, sizeof(cs)),
		       mmt_format_time(nullmed[n++], a, sizeof(a)));
	}
}

/* Parse a whole number in [lo, hi] for option `opt`; 0 or -1. */
static int parse_uint(const char *opt, const char *arg, unsigned long lo, unsigned long hi,
		      unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || *out < lo || *out > hi) {
		fprintf(stderr, "%s: invalid %s '%s' (a whole number from %lu to %lu)\n", PROG,
			opt, arg, lo, hi);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "reps", required_argument, NULL, 'r' },
		{ "min-time", required_argument, NULL, 't' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 },
	};
	static struct point pts[NCHUNKS * NMETHODS];
	struct plan plan = { .reps = 8, .warmup = 1, .min_time = 2.0 };
	double nullmed[NCHUNKS];
	struct mmt_error err = { 0 };
	struct mmt_env env;
	const char *dir = ".";
	uint64_t size = 10485760;
	unsigned long v;
	size_t npts = 0;
	char ss[32];
	int opt, rc, dirfd;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":s:r:t:w:d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (mmt_parse_size(optarg, &size)) {
				fprintf(stderr, "%s: invalid size '%s'\n", PROG, optarg);
				return EXIT_USAGE;
			}
			break;
		case 'r':
			if (parse_uint("reps", optarg, 1, MAX_REPS, &v))
				return EXIT_USAGE;
			/* Even, so that each side goes first equally often. */
			plan.reps = (unsigned)(v + v % 2);
			break;
		case 't':
			if (parse_uint("min-time", optarg, 0, 3600, &v))
				return EXIT_USAGE;
			plan.min_time = (double)v;
			break;
		case 'w':
			if (parse_uint("warmup", optarg, 0, 100, &v))
				return EXIT_USAGE;
			plan.warmup = (unsigned)v;
			break;
		case 'd':
			dir = optarg;
			break;
		case 'h':
			help(stdout);
			return EXIT_OK;
		case ':':
			fprintf(stderr, "%s: option '%s' needs a value\n", PROG, argv[optind - 1]);
			return EXIT_USAGE;
		default:
			fprintf(stderr, "%s: unknown option '%s' (see --help)\n", PROG,
				argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s' (see --help)\n", PROG, argv[optind]);
		return EXIT_USAGE;
	}
	if ((rc = mmt_env_probe(dir, &env)) ||
	    (dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "%s: cannot use directory '%s': %s\n", PROG, dir,
			rc ? mmt_strerror(rc) : strerror(errno));
		return EXIT_USAGE;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	for (size_t c = 0; c < NCHUNKS; c++) {
		if (chunks[c] > size)
			continue;
		for (size_t k = 0; k < NMETHODS; k++) {
			pts[npts].m = mmt_method_find(method_names[k]);
			pts[npts++].chunk = chunks[c];
		}
	}

	/* Measure first, print after: nothing is written to stdout while a
	 * run is being timed. */
	for (size_t i = 0; i < npts; i++)
		if ((rc = measure(&pts[i], size, dir, dirfd, &plan, &err)))
			goto fail;
	if ((rc = null_medians(size, dir, plan.reps, nullmed, &err)))
		goto fail;
	close(dirfd);

	printf("mmaptimer overhead: tool median / bare loop median, %s file\n",
	       mmt_format_size(size, ss, sizeof(ss)));
	printf("kernel %s; cpu %s, %d cores; fs %s on %s (%s); clock %s, %.1f ns to read\n",
	       env.kernel, env.cpu_model, env.cores, env.fs_type, env.mount_source, env.dir,
	       env.clock.name, env.clock.read_cost_ns);
	printf("per point: %u warm-up pair(s), then at least %u reps and %.0f s, alternating which side goes first\n\n",
	       plan.warmup, plan.reps, plan.min_time);
	print_table(pts, npts, plan.reps, nullmed, size);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "%s: cannot write the table: %s\n", PROG, strerror(errno));
		return EXIT_FAIL;
	}
	return EXIT_OK;
fail:
	fprintf(stderr, "%s: %s\n", PROG, err.msg);
	return EXIT_FAIL;
}
