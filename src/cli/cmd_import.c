/*
 * cmd_import.c - `mmaptimer import FILE.json`: keep a JSON result made
 * elsewhere (another machine, an older run) in the database, checked
 * first and stored in one transaction, so that a bad file changes nothing.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static void import_help(FILE *out)
{
	fputs("usage: mmaptimer import FILE.json [options]\n\n"
	      "Store a result written with --format json (on this machine or another) in the\n"
	      "database, as it is, so that 'history', 'report' and 'compare' can use it.  A file\n"
	      "that is not an mmaptimer result, or of a newer schema, is refused and the\n"
	      "database left as it was.\n\n"
	      "options:\n"
	      "      --db FILE         the database (default $XDG_DATA_HOME/mmaptimer/results.db,\n"
	      "                        or ~/.local/share/mmaptimer/results.db); created if need be\n"
	      "  -h, --help            this help\n\n", out);
	fputs(cli_exit_codes_help, out);
}

struct confirm_arg {
	const char *file, *dbpath;
	int err;                 /* why the line could not be written, or 0 */
};

/* Said before the import commits: when the line cannot be written (a
 * full disk, a closed pipe), nothing is kept, so running the command
 * again does not store the result twice. */
static int confirm(void *arg, int64_t id)
{
	struct confirm_arg *c = arg;

	errno = 0;
	if (printf("imported '%s' as result %lld in '%s'\n", c->file, (long long)id, c->dbpath) < 0 ||
	    fflush(stdout))
		return c->err = errno ? -errno : -EIO;
	return 0;
}

/* See cli.h. */
int cmd_import(int argc, char **argv)
{
	const char *dbopt, *file;
	char dbpath[4096], *text = NULL;
	struct mmt_loaded l;
	struct mmt_store *st = NULL;
	struct cli_db_made *made = NULL;
	struct mmt_error err = { 0 };
	bool created = false;
	size_t len;
	struct confirm_arg c;
	sigset_t pipe_only, saved_mask;
	int64_t id = 0;
	int first, rc;

	if ((rc = cli_parse_db_opts(argc, argv, "mmaptimer import", import_help, 1,
				    "import needs a JSON file", &dbopt, &first)))
		return rc == CLI_DONE ? EXIT_OK : rc;
	file = argv[first];
	if ((rc = cli_db_path(dbopt, dbpath, sizeof(dbpath))))
		return rc;
	if ((rc = cli_read_file(file, &text, &len)))
		return rc;
	/* Checked before the database is even opened: a bad file creates
	 * nothing and changes nothing. */
	if (mmt_load_json(text, len, &l, &err)) {
		cli_error("'%s' is %s", file, err.msg);
		free(text);
		return EXIT_RUN;
	}
	mmt_loaded_free(&l);
	if ((rc = cli_db_open(dbpath, true, &st, &created, &made))) {
		cli_db_close(dbpath, NULL, false, made, true);
		free(text);
		return rc;
	}
	/* A reader gone from stdout must not kill the process inside the
	 * transaction, leaving a hot journal (and a database it created)
	 * behind: SIGPIPE waits until the import is rolled back and the
	 * files are cleaned up, then ends the process as it would have. */
	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_only, &saved_mask);
	c = (struct confirm_arg){ .file = file, .dbpath = dbpath };
	if (mmt_store_import(st, text, len, confirm, &c, &id, &err)) {
		/* The line every command gives when its output is lost; the
		 * import was rolled back, so running it again is safe. */
		if (c.err)
			cli_error("cannot write to standard output: %s", mmt_strerror(c.err));
		else
			cli_error("cannot import '%s': %s", file, err.msg);
		rc = EXIT_RUN;
	}
	cli_db_close(dbpath, st, created, made, rc != EXIT_OK);
	free(text);
	sigprocmask(SIG_SETMASK, &saved_mask, NULL);
	return rc;
}
