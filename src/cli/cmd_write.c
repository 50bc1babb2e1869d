/*
 * cmd_write.c - `mmaptimer write` (and the classic experiment, which is
 * this command with its defaults), and the sweep command it shares with
 * `mmaptimer read`: parse options into a job, check it before creating
 * anything, run the sweep, render the result.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli.h"

static void write_help(FILE *out)
{
	fputs("usage: mmaptimer [write] [options]\n\n"
	      "Create a file with each method, one chunk at a time, and time it: a fresh file\n"
	      "per run, the time from open to close, then every byte verified and the file\n"
	      "removed.  With no options: the classic experiment (10 MiB, 15 chunk sizes from\n"
	      "1 B to 10 MiB, mmap against write, 3 runs per point).\n\n", out);
	cli_write_options_help(out);
	fputs(cli_exit_codes_help, out);
}

/* See cli.h. */
void cli_write_options_help(FILE *out)
{
	fputs("options:\n"
	      "  -s, --size SIZE       file size (default 10M)\n"
	      "  -c, --chunks LIST     chunk sizes: a comma list of sizes and ranges; A:B doubles\n"
	      "                        from A to B, A:B:xF multiplies by F (default: the 15\n"
	      "                        sizes of the published table, 1 .. 10M; with another\n"
	      "                        --size, those below it and the size itself)\n"
	      "  -m, --methods LIST    comma list of methods, or 'all' (default mmap,write);\n"
	      "                        see 'mmaptimer methods'\n"
	      "  -r, --runs N          measured runs per point (default 3)\n"
	      "  -w, --warmup N        unrecorded runs per point before them (default 0)\n"
	      "  -d, --dir DIR         directory to create the files in (default .)\n"
	      "      --sync MODE       none (page cache only, the default), end (fsync or\n"
	      "                        msync before close, timed as its own phase) or each\n"
	      "                        (after every chunk: slow)\n"
	      "      --phases          show the setup, transfer, sync and teardown split\n"
	      "      --batch N         writev, pwritev: chunks per call (default 16, max 1024)\n"
	      "      --stdio-buffer SIZE  stdio: the FILE buffer size (default: the library's)\n"
	      "      --queue-depth N   uring: requests in flight (default 8)\n"
	      "      --madvise ADVICE  mmap methods: normal, sequential, random, willneed,\n"
	      "                        dontneed or hugepage, applied after mapping\n"
	      "  -f, --format FMT      table, csv, json, svg or html (default table)\n"
	      "  -o, --output FILE     write the result to FILE (never over an existing file);\n"
	      "                        - is standard output\n"
	      "      --plot FILE       also write an SVG plot of time and throughput against\n"
	      "                        chunk size to FILE (never over an existing file)\n"
	      "      --html FILE       also write a self-contained HTML report to FILE: verdict,\n"
	      "                        plots, results, counters, configuration, environment\n"
	      "      --chart, --no-chart  draw (or not) a chart of the times under the table;\n"
	      "                        the default: only when standard output is a terminal\n"
	      "  -q, --quiet           no progress on stderr\n", out);
	fputs(cli_save_options_help, out);
	fputs("  -h, --help            this help\n"
	      "  -V, --version         the version\n\n"
	      "Sizes are whole numbers of bytes with an optional suffix K, M, G, T or KiB, MiB,\n"
	      "GiB, TiB (all 1024-based).\n\n", out);
}

/* Progress on stderr, only when it is a terminal: one line, rewritten
 * in place with \r, never wider than the terminal (a wrapped line could
 * not be rewritten), and cleared at the end. */
struct progress {
	bool on, colour;
	unsigned runs, warmup;   /* of the job, to say "run 2 of 3" */
	int width;               /* the terminal's columns */
	size_t last_len;
};

/* A duration people read at a glance: 42s, 3m07s, 1h05m. */
static char *format_eta(double s, char *buf, size_t len)
{
	unsigned long t = s > 0 && s < 1e9 ? (unsigned long)(s + 0.5) : 0;

	if (t < 60)
		snprintf(buf, len, "%lus", t);
	else if (t < 3600)
		snprintf(buf, len, "%lum%02lus", t / 60, t % 60);
	else
		snprintf(buf, len, "%luh%02lum", t / 3600, t / 60 % 60);
	return buf;
}

static void progress_start(struct progress *pg, const struct mmt_job *job, bool quiet)
{
	struct winsize ws;

	pg->on = !quiet && isatty(STDERR_FILENO);
	pg->colour = pg->on && cli_colour(STDERR_FILENO);
	pg->runs = job->runs;
	pg->warmup = job->warmup;
	pg->width = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20 ? ws.ws_col : 80;
	pg->last_len = 0;
}

static void show_progress(void *arg, const struct mmt_progress *p)
{
	struct progress *pg = arg;
	char cs[32], el[32], left[32], line[256];
	bool warm = p->warmup;
	size_t len;
	int n;

	if (!pg->on)
		return;
	mmt_format_size(p->chunk, cs, sizeof(cs));
	/* The estimate assumes the runs still to come cost what the runs
	 * so far did on average: every repeat sweeps all sizes, so after
	 * the first repeat it is close. */
	if (p->done > 0)
		format_eta(p->elapsed / (double)p->done * (double)(p->total - p->done), left, sizeof(left));
	n = snprintf(line, sizeof(line), "[%zu/%zu] %s %s chunks, %s %u of %u, %s elapsed%s%s%s",
		     p->done + 1, p->total, p->method->name, cs, warm ? "warmup" : "run",
		     warm ? p->run + 1 : p->run - pg->warmup + 1, warm ? pg->warmup : pg->runs,
		     format_eta(p->elapsed, el, sizeof(el)), p->done ? ", about " : "",
		     p->done ? left : "", p->done ? " left" : "");
	if (n < 0)
		return;
	len = (size_t)n < sizeof(line) - 1 ? (size_t)n : sizeof(line) - 1;
	/* One column short of the width: a line that reaches the last
	 * column makes some terminals wrap. */
	if (len > (size_t)pg->width - 1)
		len = (size_t)pg->width - 1;
	line[len] = '\0';
	if (pg->colour)
		fprintf(stderr, "\r\033[K\033[1m%s\033[0m", line);
	else
		fprintf(stderr, "\r%-*s", (int)pg->last_len, line);
	pg->last_len = len;
}

static void end_progress(struct progress *pg)
{
	if (!pg->on || !pg->last_len)
		return;
	if (pg->colour)
		fputs("\r\033[K", stderr);
	else
		fprintf(stderr, "\r%*s\r", (int)pg->last_len, "");
}

/* See cli.h. */
int cli_parse_methods(const char *s, const struct mmt_method **methods, size_t cap,
		      size_t *n, unsigned op)
{
	char buf[1024];
	char *save = NULL;

	*n = 0;
	if (!strcmp(s, "all")) {
		for (size_t i = 0; mmt_methods[i] && *n < cap; i++)
			if (mmt_methods[i]->ops & op)
				methods[(*n)++] = mmt_methods[i];
		return EXIT_OK;
	}
	if (strlen(s) >= sizeof(buf) || !*s) {
		cli_error("invalid --methods '%s'", s);
		return EXIT_USAGE;
	}
	strcpy(buf, s);
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const struct mmt_method *m = mmt_method_find(tok);
		bool dup = false;

		if (!m) {
			cli_error("unknown method '%s' (see 'mmaptimer methods')", tok);
			return EXIT_USAGE;
		}
		if (!(m->ops & op)) {
			cli_error("method '%s' cannot %s files", tok, op == MMT_OP_READ ? "read" : "write");
			return EXIT_USAGE;
		}
		for (size_t i = 0; i < *n; i++)
			dup |= methods[i] == m;
		if (!dup && *n < cap)
			methods[(*n)++] = m;
	}
	if (*n == 0) {
		cli_error("invalid --methods '%s': no method named", s);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static const char *size_problem(int rc)
{
	return rc == -ERANGE ? "too large"
			     : "expected a positive whole number of bytes with an optional "
			       "K, M, G, T (or KiB, MiB, GiB, TiB) suffix";
}

/* Without --chunks, a --size other than the classic 10 MiB gets the
 * classic chunk sizes that fit in it, and the whole file as the last one:
 * the same question, 1 byte to the whole file, at that size. */
static int default_chunks(struct mmt_job *job, uint64_t **chunks)
{
	size_t n = 0;

	if (!(*chunks = calloc(job->nchunks + 1, sizeof(**chunks)))) {
		cli_error("out of memory");
		return EXIT_RUN;
	}
	for (size_t i = 0; i < job->nchunks; i++)
		if (job->chunks[i] < job->size)
			(*chunks)[n++] = job->chunks[i];
	(*chunks)[n++] = job->size;
	job->chunks = *chunks;
	job->nchunks = n;
	return EXIT_OK;
}

/* Test-only hooks from the environment, so that end-to-end tests can see
 * verification catch a damaged file and a method fail on a full disk. */
static void test_hooks(struct mmt_job *job)
{
	const char *s = getenv("MMAPTIMER_TEST_NO_SPACE_CHECK");
	long long v;

	if (cli_env_count("MMAPTIMER_TEST_CORRUPT", &v))
		job->test_corrupt_at = v;
	if (cli_env_count("MMAPTIMER_TEST_SHRINK", &v))
		job->test_shrink_to = v;
	job->skip_space_check = s && !strcmp(s, "1");
}

/* Which exit code a failed job check deserves: a bad directory or value
 * is the user's to fix (usage); too little space or memory, a read-only
 * filesystem or an unavailable method is a run failure. */
static int check_exit_code(int rc)
{
	return rc == -ENOSPC || rc == -ENOMEM || rc == -EROFS || rc == MMT_EUNAVAIL ? EXIT_RUN
										    : EXIT_USAGE;
}

/* Long options without a short form. */
enum {
	OPT_SYNC = 256, OPT_PHASES, OPT_BATCH, OPT_STDIO_BUFFER, OPT_QUEUE_DEPTH, OPT_MADVISE,
	OPT_CACHE, OPT_DROP_CACHES, OPT_PATTERN, OPT_SEED, OPT_ADVICE,
	OPT_SAVE, OPT_DB, OPT_PLOT, OPT_HTML, OPT_CHART, OPT_NO_CHART,
};

/* See cli.h. */
int cli_parse_word(const char *opt, const char *s, const char *const *words,
		   const int *values, size_t n, int *out)
{
	char list[256] = "";

	for (size_t i = 0; i < n; i++) {
		if (!strcmp(s, words[i])) {
			*out = values[i];
			return EXIT_OK;
		}
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
			 i ? (i + 1 == n ? " or " : ", ") : "", words[i]);
	}
	cli_error("invalid %s '%s': expected %s", opt, s, list);
	return EXIT_USAGE;
}

#define MMT_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* An output written besides the result, in a fixed format: the SVG plot
 * of --plot, the HTML report of --html. */
struct extra {
	const char *opt;         /* "--plot" */
	const char *format;      /* a reporter's name */
	const char *path;        /* NULL: not asked for */
};

/* Check the extra outputs before anything runs, as cli_output_check()
 * does --output, and that no two outputs name the same file.  EXIT_OK or
 * EXIT_USAGE after saying why. */
static int check_extras(const struct extra *x, size_t n, const char *output)
{
	for (size_t i = 0; i < n; i++) {
		int rc;

		if (!x[i].path)
			continue;
		if (!*x[i].path) {
			cli_error("empty file name for %s", x[i].opt);
			return EXIT_USAGE;
		}
		if (!strcmp(x[i].path, "-")) {
			cli_error("%s needs a file name ('-f %s' writes it to standard output)", x[i].opt,
				  x[i].format);
			return EXIT_USAGE;
		}
		if (output && !strcmp(x[i].path, output)) {
			cli_error("'%s' is named by both --output and %s", output, x[i].opt);
			return EXIT_USAGE;
		}
		for (size_t j = 0; j < i; j++) {
			if (x[j].path && !strcmp(x[i].path, x[j].path)) {
				cli_error("'%s' is named by both %s and %s", x[i].path, x[j].opt, x[i].opt);
				return EXIT_USAGE;
			}
		}
		if ((rc = cli_output_check(x[i].path)))
			return rc;
	}
	return EXIT_OK;
}

/* Render one extra output into its file (a temporary name, renamed into
 * place once complete).  EXIT_OK, or EXIT_RUN after saying why. */
static int write_extra(const struct extra *x, const struct mmt_report *rep)
{
	const struct mmt_reporter *r = mmt_reporter_find(x->format);
	struct cli_output o;
	int e;

	if (!x->path)
		return EXIT_OK;
	if (!r) {
		cli_error("no %s reporter in this build", x->format);
		return EXIT_RUN;
	}
	if (!cli_output_open(&o, x->path))
		return EXIT_RUN;
	if ((e = r->render(o.f, rep))) {
		cli_error("cannot write '%s': %s", x->path, mmt_strerror(e));
		cli_output_abort(&o);
		return EXIT_RUN;
	}
	return cli_output_close(&o);
}

/* See cli.h. */
int cli_parse_stdio_buffer(const char *s, size_t *out)
{
	uint64_t v = 0;
	int e = mmt_parse_size(s, &v);

	if (e || v > (1u << 30)) {
		cli_error("invalid --stdio-buffer '%s': %s", s, e ? size_problem(e) : "at most 1 GiB");
		return EXIT_USAGE;
	}
	*out = (size_t)v;
	return EXIT_OK;
}

/* See cli.h. */
int cli_parse_seed(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!strcmp(s, "0")) {
		*out = 0;
		return EXIT_OK;
	}
	if (mmt_parse_size(s, &v)) {
		cli_error("invalid --seed '%s': expected a whole number", s);
		return EXIT_USAGE;
	}
	*out = v;
	return EXIT_OK;
}

/* See cli.h. */
int cmd_write(int argc, char **argv)
{
	return cli_sweep(argc, argv, MMT_OP_WRITE);
}

/* An option of one operation given to the other: a usage error. */
static int wrong_op(const char *opt, unsigned op)
{
	cli_error("option '%s' is for '%s', not '%s'", opt,
		  op == MMT_OP_READ ? "mmaptimer write" : "mmaptimer read",
		  op == MMT_OP_READ ? "mmaptimer read" : "mmaptimer write");
	return EXIT_USAGE;
}

/* See cli.h. */
int cli_sweep_parse(int argc, char **argv, unsigned op, struct cli_sweep_opts *o)
{
	static const char *const cache_words[] = { "warm", "cold" };
	static const int cache_values[] = { MMT_CACHE_WARM, MMT_CACHE_COLD };
	static const char *const pattern_words[] = { "seq", "random" };
	static const int pattern_values[] = { MMT_ORDER_SEQ, MMT_ORDER_RANDOM };
	static const char *const sync_words[] = { "none", "end", "each" };
	static const int sync_values[] = { MMT_SYNC_NONE, MMT_SYNC_END, MMT_SYNC_EACH };
	static const char *const advice_words[] = {
		"normal", "sequential", "random", "willneed", "dontneed", "hugepage",
	};
	static const int advice_values[] = {
		MMT_ADVICE_NORMAL, MMT_ADVICE_SEQUENTIAL, MMT_ADVICE_RANDOM, MMT_ADVICE_WILLNEED,
		MMT_ADVICE_DONTNEED, MMT_ADVICE_HUGEPAGE,
	};
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "chunks", required_argument, NULL, 'c' },
		{ "methods", required_argument, NULL, 'm' },
		{ "runs", required_argument, NULL, 'r' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "dir", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "sync", required_argument, NULL, OPT_SYNC },
		{ "phases", no_argument, NULL, OPT_PHASES },
		{ "batch", required_argument, NULL, OPT_BATCH },
		{ "stdio-buffer", required_argument, NULL, OPT_STDIO_BUFFER },
		{ "queue-depth", required_argument, NULL, OPT_QUEUE_DEPTH },
		{ "madvise", required_argument, NULL, OPT_MADVISE },
		{ "cache", required_argument, NULL, OPT_CACHE },
		{ "drop-caches", no_argument, NULL, OPT_DROP_CACHES },
		{ "pattern", required_argument, NULL, OPT_PATTERN },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "advice", required_argument, NULL, OPT_ADVICE },
		{ "save", no_argument, NULL, OPT_SAVE },
		{ "db", required_argument, NULL, OPT_DB },
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ "html", required_argument, NULL, OPT_HTML },
		{ "chart", no_argument, NULL, OPT_CHART },
		{ "no-chart", no_argument, NULL, OPT_NO_CHART },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0, 0, 0, 0 },
	};
	const struct mmt_method **methods = o->methods;
	const struct mmt_reporter *reporter = mmt_reporter_find("table");
	struct mmt_job job;
	uint64_t *chunks = NULL;
	const char *output = NULL;
	/* Pictures written besides the result: --plot and --html. */
	struct extra extras[] = { { "--plot", "svg", NULL }, { "--html", "html", NULL } };
	bool quiet = false, phases = false, show_chart;
	/* --save: keep the result in the database (saved.c). */
	const char *dbopt = NULL;
	bool save = false;
	int chart = -1;          /* --chart 1, --no-chart 0, else -1 */
	int opt, rc = EXIT_OK;

	const char *cmdname = op == MMT_OP_READ ? "mmaptimer read" : "mmaptimer";

	memset(o, 0, sizeof(*o));
	if (op == MMT_OP_READ)
		mmt_job_read(&job);
	else
		mmt_job_classic(&job);
	opterr = 0;
	/* 0, not 1: glibc then also forgets where it was inside a group of
	 * short options, which matters when a caller (a test, a fuzzer)
	 * parses more than one command line in a process. */
	optind = 0;
	while ((opt = getopt_long(argc, argv, ":s:c:m:r:w:d:f:o:qhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 's': {
			int e = mmt_parse_size(optarg, &job.size);

			if (e) {
				cli_error("invalid --size '%s': %s", optarg, size_problem(e));
				rc = EXIT_USAGE;
			}
			break;
		}
		case 'c': {
			size_t n = 0;
			int e;

			free(chunks);
			chunks = NULL;
			e = mmt_parse_chunks(optarg, &chunks, &n);
			if (e == -ENOMEM) {
				cli_error("out of memory");
				rc = EXIT_RUN;
			} else if (e) {
				cli_error("invalid --chunks '%s': %s", optarg,
					  e == -ERANGE ? "a size is too large or the list is longer than 4096 sizes"
						       : "expected sizes and ranges A:B or A:B:xF, separated by commas");
				rc = EXIT_USAGE;
			} else {
				job.chunks = chunks;
				job.nchunks = n;
			}
			break;
		}
		case 'm':
			rc = cli_parse_methods(optarg, methods,
					       sizeof(o->methods) / sizeof(o->methods[0]),
					       &job.nmethods, op);
			job.methods = methods;
			break;
		case 'r':
			rc = cli_parse_uint("--runs", optarg, 1, 100000, &job.runs);
			break;
		case 'w':
			rc = cli_parse_uint("--warmup", optarg, 0, 100000, &job.warmup);
			break;
		case 'd':
			job.dir = optarg;
			break;
		case 'f':
			if (!(reporter = mmt_reporter_find(optarg))) {
				char list[256] = "";

				/* Every format in the reporters' table. */
				for (size_t i = 0; mmt_reporters[i]; i++)
					snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
						 i ? (mmt_reporters[i + 1] ? ", " : " or ") : "",
						 mmt_reporters[i]->name);
				cli_error("unknown format '%s' (expected %s)", optarg, list);
				rc = EXIT_USAGE;
			}
			break;
		case 'o':
			/* "-" is standard output, as everywhere else. */
			output = strcmp(optarg, "-") ? optarg : NULL;
			break;
		case 'q':
			quiet = true;
			break;
		case OPT_CHART:
		case OPT_NO_CHART:
			chart = opt == OPT_CHART;
			break;
		case OPT_PLOT:
		case OPT_HTML:
			extras[opt == OPT_HTML].path = optarg;
			break;
		case OPT_SYNC: {
			int v = 0;

			if (op == MMT_OP_READ) {
				rc = wrong_op("--sync", op);
				break;
			}
			rc = cli_parse_word("--sync", optarg, sync_words, sync_values, 3, &v);
			job.opts.sync = (enum mmt_sync)v;
			break;
		}
		case OPT_PHASES:
			phases = true;
			break;
		case OPT_BATCH:
			if (op == MMT_OP_READ) {
				rc = wrong_op("--batch", op);
				break;
			}
			rc = cli_parse_uint("--batch", optarg, 1, IOV_MAX, &job.opts.batch);
			break;
		case OPT_STDIO_BUFFER:
			rc = cli_parse_stdio_buffer(optarg, &job.opts.stdio_buffer);
			break;
		case OPT_QUEUE_DEPTH:
			rc = cli_parse_uint("--queue-depth", optarg, 1, 4096, &job.opts.queue_depth);
			break;
		case OPT_MADVISE:
		case OPT_ADVICE: {
			int v = 0;

			/* --madvise for writing through a mapping; --advice for
			 * reading, madvise() for mmap and posix_fadvise() for
			 * the others.  hugepage has no posix_fadvise(). */
			if (op == MMT_OP_READ && opt == OPT_MADVISE) {
				rc = wrong_op("--madvise", op);
				break;
			}
			if (op == MMT_OP_WRITE && opt == OPT_ADVICE) {
				rc = wrong_op("--advice", op);
				break;
			}
			rc = cli_parse_word(opt == OPT_ADVICE ? "--advice" : "--madvise", optarg,
					    advice_words, advice_values,
					    sizeof(advice_words) / sizeof(advice_words[0]) -
						    (opt == OPT_ADVICE),
					    &v);
			job.opts.advice = (enum mmt_advice)v;
			break;
		}
		case OPT_CACHE:
		case OPT_PATTERN: {
			int v = 0;

			if (op != MMT_OP_READ) {
				rc = wrong_op(opt == OPT_CACHE ? "--cache" : "--pattern", op);
				break;
			}
			if (opt == OPT_CACHE) {
				rc = cli_parse_word("--cache", optarg, cache_words, cache_values, 2, &v);
				job.opts.read.cache = (enum mmt_cache)v;
			} else {
				rc = cli_parse_word("--pattern", optarg, pattern_words, pattern_values, 2, &v);
				job.opts.read.order = (enum mmt_order)v;
			}
			break;
		}
		case OPT_DROP_CACHES:
			if (op != MMT_OP_READ)
				rc = wrong_op("--drop-caches", op);
			else if (geteuid() != 0) {
				cli_error("--drop-caches needs root (it writes /proc/sys/vm/drop_caches)");
				rc = EXIT_USAGE;
			}
			job.opts.read.drop_caches = true;
			break;
		case OPT_SEED:
			if (op != MMT_OP_READ) {
				rc = wrong_op("--seed", op);
				break;
			}
			rc = cli_parse_seed(optarg, &job.opts.read.seed);
			break;
		case OPT_SAVE:
			save = true;
			break;
		case OPT_DB:
			dbopt = optarg;
			break;
		case 'h':
			if (op == MMT_OP_READ)
				cli_read_help(stdout);
			else
				write_help(stdout);
			free(chunks);
			return CLI_DONE;
		case 'V':
			printf("mmaptimer %s (JSON schema %s)\n", MMT_VERSION, MMT_SCHEMA);
			free(chunks);
			return CLI_DONE;
		default:
			rc = cli_getopt_error(opt, argv, longopts, cmdname);
			break;
		}
		if (rc != EXIT_OK)
			goto done;
	}
	if (optind < argc) {
		cli_error("unexpected argument '%s' (see '%s --help')", argv[optind], cmdname);
		rc = EXIT_USAGE;
		goto done;
	}
	if (dbopt && !save) {
		cli_error("--db needs --save (to browse a database: 'mmaptimer history --db FILE')");
		rc = EXIT_USAGE;
		goto done;
	}
	if (job.opts.read.drop_caches && job.opts.read.cache != MMT_CACHE_COLD) {
		cli_error("--drop-caches needs --cache cold");
		rc = EXIT_USAGE;
		goto done;
	}
	if ((rc = cli_chart_wanted(chart, reporter, output, &show_chart)))
		goto done;
	if (!chunks && job.size != 10485760 && (rc = default_chunks(&job, &chunks)))
		goto done;
	o->job = job;
	o->chunks = chunks;
	o->reporter = reporter;
	o->output = output;
	o->quiet = quiet;
	o->phases = phases;
	o->plot = extras[0].path;
	o->html = extras[1].path;
	o->save = save;
	o->dbopt = dbopt;
	o->show_chart = show_chart;
	return EXIT_OK;
done:
	free(chunks);
	return rc;
}

/* See cli.h. */
void cli_sweep_opts_free(struct cli_sweep_opts *o)
{
	free(o->chunks);
	o->chunks = NULL;
}

/* See cli.h. */
int cli_sweep(int argc, char **argv, unsigned op)
{
	struct cli_sweep_opts o;
	struct mmt_job job;
	struct mmt_results res;
	struct mmt_error err = { 0 };
	struct mmt_env env;
	struct cli_output out;
	struct progress pg = { 0 };
	int rc = cli_sweep_parse(argc, argv, op, &o);

	if (rc == CLI_DONE)
		return EXIT_OK;
	if (rc)
		return rc;
	/* The parsed options, under the names the run below uses. */
	const struct mmt_reporter *reporter = o.reporter;
	const char *output = o.output;
	bool quiet = o.quiet, phases = o.phases, save = o.save, show_chart = o.show_chart;
	/* Pictures written besides the result: --plot and --html. */
	struct extra extras[] = { { "--plot", "svg", o.plot }, { "--html", "html", o.html } };
	const char *dbopt = o.dbopt;
	char dbpath[4096];

	job = o.job;
	test_hooks(&job);

	/* Everything the user could have got wrong is found here, before a
	 * single file is created or a second spent measuring. */
	if ((rc = cli_output_check(output)) || (rc = check_extras(extras, MMT_ARRAY_LEN(extras), output)))
		goto done;
	if ((rc = mmt_job_check(&job, &err))) {
		cli_error("%s", err.msg);
		rc = check_exit_code(rc);
		goto done;
	}
	if ((rc = mmt_env_probe(job.dir, &env))) {
		cli_error("cannot use directory '%s': %s", job.dir, mmt_strerror(rc));
		rc = EXIT_USAGE;
		goto done;
	}
	/* A database that cannot take the result is found now, not after
	 * the run; it is opened for writing only once the run succeeded. */
	if (save && ((rc = cli_db_path(dbopt, dbpath, sizeof(dbpath))) || (rc = cli_db_check(dbpath))))
		goto done;

	progress_start(&pg, &job, quiet);
	job.progress = show_progress;
	job.progress_arg = &pg;
	cli_signals_install();
	if (job.opts.sync == MMT_SYNC_EACH && !quiet)
		cli_warn("--sync each forces every chunk to storage: small chunks will take a long time");
	rc = mmt_sweep(&job, &res, &err);
	end_progress(&pg);
	if (rc) {
		cli_error("%s", err.msg);
		rc = EXIT_RUN;
		goto done;
	}

	if (!cli_output_open(&out, output)) {
		rc = EXIT_RUN;
	} else {
		struct mmt_report report = {
			.job = &job, .res = &res, .env = &env,
			.command = op == MMT_OP_READ ? "read" : "write", .phases = phases,
		};

		int e = reporter->render(out.f, &report);

		if (!e && show_chart)
			e = cli_chart(out.f, &report, !output);

		/* A failed render never leaves a partial file in place. */
		if (e && output) {
			cli_error("cannot write '%s': %s", output, mmt_strerror(e));
			cli_output_abort(&out);
			rc = EXIT_RUN;
		} else {
			rc = cli_output_close(&out);
		}
		for (size_t i = 0; i < MMT_ARRAY_LEN(extras); i++) {
			int xe = write_extra(&extras[i], &report);

			rc = rc ? rc : xe;
		}
		if (rc == EXIT_OK && save)
			rc = cli_db_save(dbpath, &report, quiet);
	}
	mmt_results_free(&res);
done:
	cli_sweep_opts_free(&o);
	return rc;
}
