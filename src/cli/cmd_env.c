/*
 * cmd_env.c - `mmaptimer env`: the machine, kernel, filesystem and clock
 * that a set of numbers belongs to.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

static void env_help(FILE *out)
{
	fputs("usage: mmaptimer env [--dir DIR]\n\n"
	      "Show the machine, kernel, CPU, page size, the filesystem holding DIR\n"
	      "(default .) and the clock the measurements use, with its resolution and the\n"
	      "measured cost of reading it.\n\n", out);
	fputs(cli_exit_codes_help, out);
}

/* See cli.h. */
int cmd_env(int argc, char **argv)
{
	const char *dir = ".";
	struct mmt_env e;
	struct stat st;
	int rc;

	if ((rc = cli_parse_dir_opts(argc, argv, "mmaptimer env", env_help, &dir)))
		return rc == CLI_DONE ? EXIT_OK : rc;
	if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		cli_error("cannot use directory '%s': %s", dir, strerror(ENOTDIR));
		return EXIT_USAGE;
	}
	if ((rc = mmt_env_probe(dir, &e))) {
		cli_error("cannot use directory '%s': %s", dir, mmt_strerror(rc));
		return EXIT_USAGE;
	}
	printf("host         %s\n", e.hostname);
	printf("kernel       %s\n", e.kernel);
	printf("machine      %s\n", e.machine);
	printf("cpu          %s, %d cores online\n", e.cpu_model, e.cores);
	printf("page size    %ld bytes\n", e.page_size);
	printf("directory    %s\n", e.dir);
	printf("filesystem   %s on %s, mounted at %s\n", e.fs_type, e.mount_source, e.mount_point);
	printf("clock        %s, resolution %llu ns, %.1f ns to read\n", e.clock.name,
	       (unsigned long long)e.clock.resolution_ns, e.clock.read_cost_ns);
	return EXIT_OK;
}
