/*
 * cmd_methods.c - `mmaptimer methods`: every method in the table, what it
 * does, and whether it can run in the given directory (and why not).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static void methods_help(FILE *out)
{
	fputs("usage: mmaptimer methods [--dir DIR]\n\n"
	      "List every I/O method with a one-line description and whether it can run in\n"
	      "DIR (default .) on this machine, with the reason when it cannot.\n\n", out);
	fputs(cli_exit_codes_help, out);
}

/* See cli.h. */
int cmd_methods(int argc, char **argv)
{
	const char *dir = ".";
	struct mmt_job job;
	struct mmt_opts opts;
	int rc, dirfd;

	mmt_job_classic(&job);
	opts = job.opts;

	if ((rc = cli_parse_dir_opts(argc, argv, "mmaptimer methods", methods_help, &dir)))
		return rc == CLI_DONE ? EXIT_OK : rc;
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		cli_error("cannot use directory '%s': %s", dir, strerror(errno));
		return EXIT_USAGE;
	}
	printf("%-14s %-10s %-10s %s\n", "method", "ops", "available", "description");
	for (size_t i = 0; mmt_methods[i]; i++) {
		const struct mmt_method *m = mmt_methods[i];
		char why[256] = "";
		struct mmt_probe q = { .dirfd = dirfd, .opts = &opts };
		int e = m->probe ? m->probe(&q, why, sizeof(why)) : 0;
		char ops[16];

		snprintf(ops, sizeof(ops), "%s%s%s", m->ops & MMT_OP_WRITE ? "write" : "",
			 (m->ops & MMT_OP_WRITE) && (m->ops & MMT_OP_READ) ? "," : "",
			 m->ops & MMT_OP_READ ? "read" : "");
		printf("%-14s %-10s %-10s %s\n", m->name, ops, e ? "no" : "yes", m->desc);
		if (e)
			printf("%-14s %-10s %-10s   not here: %s\n", "", "", "",
			       why[0] ? why : mmt_strerror(e));
	}
	close(dirfd);
	return EXIT_OK;
}
