/*
 * cmd_methods.c - `mmaptimer methods`: every method in the table, what it
 * does, and whether it can run in the given directory (and why not).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
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
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 },
	};
	const char *dir = ".";
	struct mmt_job job;
	struct mmt_opts opts;
	int opt, dirfd;

	mmt_job_classic(&job);
	opts = job.opts;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":d:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			dir = optarg;
			break;
		case 'h':
			methods_help(stdout);
			return EXIT_OK;
		default:
			return cli_getopt_error(opt, argv, longopts, "mmaptimer methods");
		}
	}
	if (optind < argc) {
		cli_error("unexpected argument '%s' (see 'mmaptimer methods --help')", argv[optind]);
		return EXIT_USAGE;
	}
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
		int rc = m->probe ? m->probe(&q, why, sizeof(why)) : 0;
		char ops[16];

		snprintf(ops, sizeof(ops), "%s%s%s", m->ops & MMT_OP_WRITE ? "write" : "",
			 (m->ops & MMT_OP_WRITE) && (m->ops & MMT_OP_READ) ? "," : "",
			 m->ops & MMT_OP_READ ? "read" : "");
		printf("%-14s %-10s %-10s %s\n", m->name, ops, rc ? "no" : "yes", m->desc);
		if (rc)
			printf("%-14s %-10s %-10s   not here: %s\n", "", "", "",
			       why[0] ? why : mmt_strerror(rc));
	}
	close(dirfd);
	return EXIT_OK;
}
