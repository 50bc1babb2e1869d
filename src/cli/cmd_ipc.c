/*
 * cmd_ipc.c - `mmaptimer ipc`: how fast processes exchange the classic
 * record through a shared mapping, against a pipe, a Unix socketpair and a
 * POSIX message queue.  Parse options into a job, check it before
 * anything is created, run it, render the result.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static void ipc_help(FILE *out)
{
	fprintf(out,
		"usage: mmaptimer ipc [options]\n\n"
		"Pass the classic 32-byte record (a status, a 7-character string, three doubles)\n"
		"between processes: through the shared slot ring (a mapping of cache-line slots,\n"
		"C11 atomics, futex waits), a pipe, a Unix socketpair and a POSIX message queue.\n"
		"Latency: ping-pong between two processes, one way = round trip / 2, against the\n"
		"floor (one cache line bounced between two processes).  Throughput: one producer\n"
		"streams records to the consumers.  Every record is checked to arrive exactly\n"
		"once and intact; a consumer that dies makes the run fail within a second or so.\n\n"
		"options:\n"
		"  -t, --transports LIST  shm, pipe, unix, mq, comma-separated, or 'all' (default)\n"
		"      --mode MODE       latency, throughput or both (default both)\n"
		"  -n, --messages N      round trips (latency) and records (throughput) per run\n"
		"                        (default 10000 and 100000)\n"
		"      --consumers N     throughput: consumer processes, 1 to %d (default 1)\n"
		"      --slots N         ring slots, 1 to %u (default 256); also the message\n"
		"                        queue's depth, up to /proc/sys/fs/mqueue/msg_max\n"
		"      --wait MODE       how the ring waits: spin, sleep (futex) or hybrid (spin\n"
		"                        briefly, then sleep; the default)\n"
		"      --backing KIND    the ring's mapping: file (in --dir, unlinked once mapped;\n"
		"                        the default) or memfd\n"
		"      --no-pin          do not pin processes to cores (by default each gets a\n"
		"                        core of its own when there are enough)\n"
		"  -r, --runs N          runs per transport and mode (default 3)\n"
		"  -d, --dir DIR         directory for the ring's file (default .)\n"
		"  -f, --format FMT      table, csv or json (default table)\n"
		"  -o, --output FILE     write the result to FILE (never over an existing file)\n"
		"  -q, --quiet           nothing on stderr but errors\n"
		"  -h, --help            this help\n\n",
		MMT_IPC_MAX_CONSUMERS, MMT_IPC_MAX_SLOTS);
	fputs(cli_exit_codes_help, out);
}

/* Parse --transports into list (cap entries): EXIT_OK or EXIT_USAGE. */
static int parse_transports(const char *s, const struct mmt_ipc_transport **list, size_t cap,
			    size_t *n)
{
	char buf[256], *save = NULL;

	*n = 0;
	if (!strcmp(s, "all")) {
		for (size_t i = 0; mmt_ipc_transports[i] && *n < cap; i++)
			list[(*n)++] = mmt_ipc_transports[i];
		return EXIT_OK;
	}
	if (!*s || strlen(s) >= sizeof(buf)) {
		cli_error("invalid --transports '%s'", s);
		return EXIT_USAGE;
	}
	strcpy(buf, s);
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const struct mmt_ipc_transport *t = mmt_ipc_transport_find(tok);
		bool dup = false;

		if (!t) {
			cli_error("unknown transport '%s' (expected shm, pipe, unix or mq)", tok);
			return EXIT_USAGE;
		}
		for (size_t i = 0; i < *n; i++)
			dup |= list[i] == t;
		if (!dup && *n < cap)
			list[(*n)++] = t;
	}
	if (!*n) {
		cli_error("invalid --transports '%s': no transport named", s);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* One of a few words: its index, or -1 after saying what was expected. */
static int parse_choice(const char *opt, const char *s, const char *const *words, size_t n,
			const char *expected)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, words[i]))
			return (int)i;
	cli_error("invalid %s '%s': expected %s", opt, s, expected);
	return -1;
}

/* Test-only hooks from the environment (unset in tests/cli/common.bash). */
static void test_hooks(struct mmt_ipc_job *job)
{
	const char *s = getenv("MMAPTIMER_TEST_IPC_DUPLICATE");
	long long v;

	if (cli_env_count("MMAPTIMER_TEST_IPC_DIE_AFTER", &v))
		job->test_die_after = v;
	job->test_duplicate = s && !strcmp(s, "1");
}

enum { OPT_MODE = 256, OPT_CONSUMERS, OPT_SLOTS, OPT_WAIT, OPT_BACKING, OPT_NO_PIN };

/* See cli.h. */
int cli_ipc_parse(int argc, char **argv, struct cli_ipc_opts *o)
{
	static const struct option longopts[] = {
		{ "transports", required_argument, NULL, 't' },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "messages", required_argument, NULL, 'n' },
		{ "consumers", required_argument, NULL, OPT_CONSUMERS },
		{ "slots", required_argument, NULL, OPT_SLOTS },
		{ "wait", required_argument, NULL, OPT_WAIT },
		{ "backing", required_argument, NULL, OPT_BACKING },
		{ "no-pin", no_argument, NULL, OPT_NO_PIN },
		{ "runs", required_argument, NULL, 'r' },
		{ "dir", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 },
	};
	static const char *const modes[] = { "latency", "throughput", "both" };
	static const unsigned mode_bits[] = {
		MMT_IPC_LATENCY, MMT_IPC_THROUGHPUT, MMT_IPC_LATENCY | MMT_IPC_THROUGHPUT,
	};
	static const char *const waits[] = { "hybrid", "spin", "sleep" };
	static const char *const backings[] = { "file", "memfd" };
	struct mmt_ipc_job *job = &o->job;
	int opt, rc = EXIT_OK, k;

	memset(o, 0, sizeof(*o));
	mmt_ipc_job_default(job);
	o->reporter = mmt_ipc_reporter_find("table");
	opterr = 0;
	optind = 0;     /* a full reset of getopt's state, see cli_sweep_parse() */
	while ((opt = getopt_long(argc, argv, ":t:n:r:d:f:o:qh", longopts, NULL)) != -1) {
		switch (opt) {
		case 't':
			rc = parse_transports(optarg, o->list, MMT_IPC_MAX_LIST, &job->ntransports);
			job->transports = o->list;
			break;
		case OPT_MODE:
			if ((k = parse_choice("--mode", optarg, modes, 3, "latency, throughput or both")) < 0)
				rc = EXIT_USAGE;
			else
				job->modes = mode_bits[k];
			break;
		case 'n': {
			unsigned v;

			if ((rc = cli_parse_uint("--messages", optarg, 1, 1000000000, &v)) == EXIT_OK)
				job->lat_messages = job->thr_messages = v;
			break;
		}
		case OPT_CONSUMERS:
			rc = cli_parse_uint("--consumers", optarg, 1, MMT_IPC_MAX_CONSUMERS, &job->consumers);
			break;
		case OPT_SLOTS:
			rc = cli_parse_uint("--slots", optarg, 1, MMT_IPC_MAX_SLOTS, &job->slots);
			break;
		case OPT_WAIT:
			if ((k = parse_choice("--wait", optarg, waits, 3, "spin, sleep or hybrid")) < 0)
				rc = EXIT_USAGE;
			else
				job->wait = (enum mmt_ipc_wait)k;
			break;
		case OPT_BACKING:
			if ((k = parse_choice("--backing", optarg, backings, 2, "file or memfd")) < 0)
				rc = EXIT_USAGE;
			else
				job->backing = (enum mmt_ipc_backing)k;
			break;
		case OPT_NO_PIN:
			job->pin = false;
			break;
		case 'r':
			rc = cli_parse_uint("--runs", optarg, 1, 100000, &job->runs);
			break;
		case 'd':
			job->dir = optarg;
			break;
		case 'f':
			if (!(o->reporter = mmt_ipc_reporter_find(optarg))) {
				cli_error("unknown format '%s' (expected table, csv or json)", optarg);
				rc = EXIT_USAGE;
			}
			break;
		case 'o':
			o->output = strcmp(optarg, "-") ? optarg : NULL;
			break;
		case 'q':
			break;
		case 'h':
			ipc_help(stdout);
			return CLI_DONE;
		default:
			rc = cli_getopt_error(opt, argv, longopts, "mmaptimer ipc");
			break;
		}
		if (rc != EXIT_OK)
			return rc;
	}
	if (optind < argc) {
		cli_error("unexpected argument '%s' (see 'mmaptimer ipc --help')", argv[optind]);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* See cli.h. */
int cmd_ipc(int argc, char **argv)
{
	struct cli_ipc_opts o;
	struct mmt_ipc_job *job = &o.job;
	const struct mmt_ipc_reporter *reporter;
	struct mmt_ipc_results res;
	struct mmt_error err = { 0 };
	struct mmt_env env;
	struct cli_output out;
	const char *output;
	int rc;

	if ((rc = cli_ipc_parse(argc, argv, &o)))
		return rc == CLI_DONE ? EXIT_OK : rc;
	reporter = o.reporter;
	output = o.output;
	test_hooks(job);

	/* Everything the user could have got wrong is found here, before a
	 * process is started or a file created. */
	if ((rc = cli_output_check(output)))
		return rc;
	if (mmt_ipc_job_check(job, &err)) {
		cli_error("%s", err.msg);
		return EXIT_USAGE;
	}
	if ((rc = mmt_env_probe(job->dir, &env))) {
		cli_error("cannot use directory '%s': %s", job->dir, mmt_strerror(rc));
		return EXIT_USAGE;
	}

	cli_signals_install();
	if ((rc = mmt_ipc_run(job, &res, &err))) {
		cli_error("%s", err.msg);
		return EXIT_RUN;
	}
	if (!cli_output_open(&out, output)) {
		rc = EXIT_RUN;
	} else {
		struct mmt_ipc_report report = { .job = job, .res = &res, .env = &env };
		int e = reporter->render(out.f, &report);

		/* A failed render never leaves a partial file in place. */
		if (e && output) {
			cli_error("cannot write '%s': %s", output, mmt_strerror(e));
			cli_output_abort(&out);
			rc = EXIT_RUN;
		} else {
			rc = cli_output_close(&out);
		}
	}
	mmt_ipc_results_free(&res);
	return rc;
}
