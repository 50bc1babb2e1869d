/*
 * main.c - the mmaptimer command: dispatch to a subcommand from a table.
 * With no subcommand (or only options) it runs the classic experiment,
 * which is `mmaptimer write` with its defaults.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

/* To add a subcommand, write cmd_<name>() in cli/cmd_<name>.c and add a
 * row here. */
static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "write", cmd_write, "time creating a file: mmap against write(), any sizes and chunks" },
	{ "read", cmd_read, "time reading a file: mmap against read(), warm or cold, in order or not" },
	{ "ipc", cmd_ipc, "pass records between processes: a shared mapping against pipe, socket, queue" },
	{ "methods", cmd_methods, "list every I/O method, whether it can run here, and why not" },
	{ "env", cmd_env, "show the machine, kernel, filesystem and clock the numbers belong to" },
	{ "history", cmd_history, "list the saved results (see --save)" },
	{ "report", cmd_report, "render a saved result or a JSON result again, in any format" },
	{ "compare", cmd_compare, "two results side by side: which is faster where, beyond the spread" },
	{ "import", cmd_import, "keep a JSON result from another machine in the database" },
};

static void usage(FILE *out)
{
	fputs("usage: mmaptimer [write options]      the classic experiment: a 10 MiB file,\n"
	      "                                      chunks 1 B .. 10 MiB, mmap against write()\n"
	      "       mmaptimer <command> [options]\n"
	      "       mmaptimer --help | --version\n\ncommands:\n", out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].help);
	fputs("\n'mmaptimer <command> --help' describes a command's options; with no command\n"
	      "the options are those of 'mmaptimer write':\n\n", out);
	cli_write_options_help(out);
	fputs(cli_exit_codes_help, out);
}

/* Flush and close stdout, reporting a failure (a full disk, a closed pipe)
 * instead of exiting 0 over lost output. */
static int finish(int rc)
{
	if (fflush(stdout) || ferror(stdout) || fclose(stdout)) {
		if (rc == EXIT_OK) {
			cli_error("cannot write to standard output: %s", strerror(errno ? errno : EIO));
			rc = EXIT_RUN;
		}
	}
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return finish(EXIT_OK);
	}
	if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
		printf("mmaptimer %s (JSON schema %s)\n", MMT_VERSION, MMT_SCHEMA);
		return finish(EXIT_OK);
	}
	if (argc < 2 || argv[1][0] == '-')
		return finish(cmd_write(argc, argv));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return finish(commands[i].fn(argc - 1, argv + 1));
	cli_error("unknown command '%s' (see 'mmaptimer --help')", argv[1]);
	return EXIT_USAGE;
}
