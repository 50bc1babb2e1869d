/*
 * cmd_import.c - `mmaptimer import FILE.json`: keep a JSON result made
 * elsewhere (another machine, an older run) in the database, checked
 * first and stored in one transaction, so that a bad file changes nothing.
 */
#include <getopt.h>
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

enum { OPT_DB = 256 };

/* See cli.h. */
int cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 },
	};
	const char *dbopt = NULL, *file;
	char dbpath[4096], *text = NULL;
	struct mmt_loaded l;
	struct mmt_store *st = NULL;
	struct cli_db_made *made = NULL;
	struct mmt_error err = { 0 };
	bool created = false;
	size_t len;
	int64_t id = 0;
	int opt, rc;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_DB:
			dbopt = optarg;
			break;
		case 'h':
			import_help(stdout);
			return EXIT_OK;
		default:
			return cli_getopt_error(opt, argv, longopts, "mmaptimer import");
		}
	}
	if (optind >= argc) {
		cli_error("import needs a JSON file (see 'mmaptimer import --help')");
		return EXIT_USAGE;
	}
	if (optind + 1 < argc) {
		cli_error("unexpected argument '%s' (see 'mmaptimer import --help')", argv[optind + 1]);
		return EXIT_USAGE;
	}
	file = argv[optind];
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
	if (mmt_store_import(st, text, len, &id, &err)) {
		cli_error("cannot import '%s': %s", file, err.msg);
		rc = EXIT_RUN;
	} else {
		printf("imported '%s' as result %lld in '%s'\n", file, (long long)id, dbpath);
	}
	cli_db_close(dbpath, st, created, made, rc != EXIT_OK);
	free(text);
	return rc;
}
