/*
 * cmd_read.c - `mmaptimer read`: the other half of the "mmap() vs.
 * reading blocks" question.  It shares the sweep command with write; this
 * file holds what is its own, the entry point and the help.
 */
#include "cli/cli.h"

/* See cli.h. */
void cli_read_help(FILE *out)
{
	fputs("usage: mmaptimer read [options]\n\n"
	      "Read a file with each method, one chunk at a time, and time it.  The file is\n"
	      "prepared once, untimed, with the project's data pattern, and removed at the end.\n"
	      "Every method consumes every byte (a checksum over each chunk, compared with the\n"
	      "file's: a mismatch is an error, never a number).\n\n"
	      "options:\n"
	      "  -s, --size SIZE       file size (default 10M); larger than memory works\n"
	      "  -c, --chunks LIST     chunk sizes, as for write (default 1 .. 10M)\n"
	      "  -m, --methods LIST    mmap, read, pread, stdio, direct, uring, null, or 'all'\n"
	      "                        (default mmap,read)\n"
	      "  -r, --runs N          measured runs per point (default 3)\n"
	      "  -w, --warmup N        unrecorded runs per point before them (default 0)\n"
	      "  -d, --dir DIR         directory for the file (default .)\n"
	      "      --cache MODE      warm (read once, untimed, before each run; the default)\n"
	      "                        or cold (written back and evicted before each run, the\n"
	      "                        eviction checked with mincore: at most 1% resident)\n"
	      "      --drop-caches     cold: also drop the whole page cache (root only)\n"
	      "      --pattern ORDER   seq (the default) or random: every chunk exactly once\n"
	      "                        in a seeded order, the same for every method\n"
	      "      --seed N          the random order's seed (default 1)\n"
	      "      --advice ADVICE   normal, sequential, random, willneed or dontneed:\n"
	      "                        madvise() for mmap, posix_fadvise() for the others\n"
	      "      --phases          show the setup, transfer and teardown split\n"
	      "      --stdio-buffer SIZE  stdio: the FILE buffer size\n"
	      "      --queue-depth N   uring: requests in flight (default 8)\n"
	      "  -f, --format FMT      table, csv, json, svg or html (default table)\n"
	      "  -o, --output FILE     write the result to FILE (never over an existing file)\n"
	      "      --plot FILE       also write an SVG plot of time and throughput against\n"
	      "                        chunk size to FILE (never over an existing file)\n"
	      "      --html FILE       also write a self-contained HTML report to FILE: verdict,\n"
	      "                        plots, results, counters, configuration, environment\n"
	      "      --chart, --no-chart  draw (or not) a chart of the times under the table;\n"
	      "                        the default: only when standard output is a terminal\n"
	      "  -q, --quiet           no progress on stderr\n", out);
	fputs(cli_save_options_help, out);
	fputs("  -h, --help            this help\n\n", out);
	fputs(cli_exit_codes_help, out);
}

/* See cli.h. */
int cmd_read(int argc, char **argv)
{
	return cli_sweep(argc, argv, MMT_OP_READ);
}
