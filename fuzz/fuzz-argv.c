/*
 * fuzz-argv.c - whole command lines, end to end through the option
 * parsers, without running anything: the input is split at NUL bytes into
 * arguments; the first byte picks the command (the classic run with no
 * command, write, read, methods, env, ipc).  A sweep or ipc command line
 * that parses is also checked the way the tool would (cli_output_check,
 * mmt_job_check / mmt_ipc_job_check), which only looks and creates
 * nothing.
 */
#include <string.h>

#include "cli/cli.h"
#include "fuzz.h"

#define MAX_ARGS 64
#define IPC (~0u)

static void no_help(FILE *out)
{
	(void)out;
}

/* To fuzz another command's parser, add a row. */
static const struct {
	const char *argv0;
	unsigned op;             /* a sweep command, IPC, or 0: --dir/--help only */
} commands[] = {
	{ "mmaptimer", MMT_OP_WRITE },
	{ "write", MMT_OP_WRITE },
	{ "read", MMT_OP_READ },
	{ "methods", 0 },
	{ "env", 0 },
	{ "ipc", IPC },
};

static void check_sweep(int argc, char **argv, unsigned op)
{
	struct cli_sweep_opts o;
	struct mmt_error err = { 0 };
	int rc = cli_sweep_parse(argc, argv, op, &o);

	FUZZ_ASSERT(rc == EXIT_OK || rc == EXIT_USAGE || rc == EXIT_RUN || rc == CLI_DONE);
	if (rc != EXIT_OK)
		return;
	FUZZ_ASSERT(o.job.op == op && o.job.size >= 1 && o.job.nchunks >= 1);
	FUZZ_ASSERT(o.job.nmethods >= 1 && o.job.runs >= 1 && o.reporter);
	for (size_t i = 0; i < o.job.nmethods; i++)
		FUZZ_ASSERT(o.job.methods[i]->ops & op);
	if (cli_output_check(o.output) == EXIT_OK)
		(void)mmt_job_check(&o.job, &err);
	cli_sweep_opts_free(&o);
}

static void check_ipc(int argc, char **argv)
{
	struct cli_ipc_opts o;
	struct mmt_error err = { 0 };
	int rc = cli_ipc_parse(argc, argv, &o);

	FUZZ_ASSERT(rc == EXIT_OK || rc == EXIT_USAGE || rc == CLI_DONE);
	if (rc != EXIT_OK)
		return;
	FUZZ_ASSERT(o.reporter && o.job.runs >= 1 && o.job.consumers >= 1 && o.job.slots >= 1);
	FUZZ_ASSERT(o.job.ntransports <= MMT_IPC_MAX_LIST);
	if (cli_output_check(o.output) == EXIT_OK)
		(void)mmt_ipc_job_check(&o.job, &err);
}

/* See fuzz.h. */
int fuzz_argv(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 1], *buf;
	const char *dir = NULL;
	size_t which;
	int argc = 1;

	if (size < 1)
		return 0;
	which = data[0] % (sizeof(commands) / sizeof(commands[0]));
	buf = fuzz_cstr(data + 1, size - 1);
	argv[0] = (char *)commands[which].argv0;
	/* Arguments are the NUL-separated pieces after the first byte. */
	for (size_t i = 0; size > 1 && argc < MAX_ARGS; ) {
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
		if (i >= size - 1)
			break;
	}
	argv[argc] = NULL;
	if (commands[which].op == IPC) {
		check_ipc(argc, argv);
	} else if (commands[which].op) {
		check_sweep(argc, argv, commands[which].op);
	} else {
		int rc = cli_parse_dir_opts(argc, argv, "mmaptimer env", no_help, &dir);

		FUZZ_ASSERT(rc == EXIT_OK || rc == EXIT_USAGE || rc == CLI_DONE);
		FUZZ_ASSERT(rc != EXIT_OK || dir);
	}
	free(buf);
	return 0;
}

FUZZ_ENTRY(fuzz_argv)
