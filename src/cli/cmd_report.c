/*
 * cmd_report.c - `mmaptimer report ID|FILE.json`: render a saved result or
 * a JSON result again, in any format of the reporter table, as if the run
 * had just been made.
 */
#include <getopt.h>
#include <string.h>

#include "cli/cli.h"

/* "table, csv or json": every format of the reporter table. */
static void format_list(char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	while (mmt_reporters[n])
		n++;
	for (size_t i = 0; i < n; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
			 i ? (i + 1 == n ? " or " : ", ") : "", mmt_reporters[i]->name);
}

static void report_help(FILE *out)
{
	char formats[256];

	format_list(formats, sizeof(formats));
	fputs("usage: mmaptimer report ID|FILE.json [options]\n\n"
	      "Render a saved result (its id, see 'mmaptimer history') or a JSON result\n"
	      "(written with --format json, here or on another machine) again, in any format.\n"
	      "An argument of digits only is an id; write a file named so as ./NAME.\n\n"
	      "options:\n"
	      "      --db FILE         the database (default $XDG_DATA_HOME/mmaptimer/results.db,\n"
	      "                        or ~/.local/share/mmaptimer/results.db)\n", out);
	fprintf(out, "  -f, --format FMT      %s (default table)\n", formats);
	fputs("  -o, --output FILE     write to FILE (never over an existing file); - is\n"
	      "                        standard output\n"
	      "      --phases          the table shows the setup, transfer, sync and teardown\n"
	      "                        split\n"
	      "      --chart, --no-chart  draw (or not) a chart of the times under the table;\n"
	      "                        by default only when standard output is a terminal\n"
	      "  -h, --help            this help\n\n", out);
	fputs(cli_exit_codes_help, out);
}

enum { OPT_DB = 256, OPT_PHASES, OPT_CHART, OPT_NO_CHART };

/* See cli.h. */
int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "phases", no_argument, NULL, OPT_PHASES },
		{ "chart", no_argument, NULL, OPT_CHART },
		{ "no-chart", no_argument, NULL, OPT_NO_CHART },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 },
	};
	const struct mmt_reporter *reporter = mmt_reporter_find("table");
	const char *dbopt = NULL, *output = NULL;
	char dbpath[4096], label[4200], formats[256];
	struct mmt_loaded l;
	struct cli_output out;
	bool phases = false, show_chart;
	int chart = -1;          /* --chart 1, --no-chart 0, else -1 */
	int opt, rc;

	opterr = 0;
	optind = 0;     /* a full reset of getopt's state, see cli_sweep_parse() */
	while ((opt = getopt_long(argc, argv, ":f:o:h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_DB:
			dbopt = optarg;
			break;
		case 'f':
			if (!(reporter = mmt_reporter_find(optarg))) {
				format_list(formats, sizeof(formats));
				cli_error("unknown format '%s' (expected %s)", optarg, formats);
				return EXIT_USAGE;
			}
			break;
		case 'o':
			output = strcmp(optarg, "-") ? optarg : NULL;
			break;
		case OPT_PHASES:
			phases = true;
			break;
		case OPT_CHART:
		case OPT_NO_CHART:
			chart = opt == OPT_CHART;
			break;
		case 'h':
			report_help(stdout);
			return EXIT_OK;
		default:
			return cli_getopt_error(opt, argv, longopts, "mmaptimer report");
		}
	}
	if (optind >= argc) {
		cli_error("report needs a saved result's id or a JSON file (see 'mmaptimer report --help')");
		return EXIT_USAGE;
	}
	if (optind + 1 < argc) {
		cli_error("unexpected argument '%s' (see 'mmaptimer report --help')", argv[optind + 1]);
		return EXIT_USAGE;
	}
	if ((rc = cli_chart_wanted(chart, reporter, output, &show_chart)) ||
	    (rc = cli_db_path(dbopt, dbpath, sizeof(dbpath))) || (rc = cli_output_check(output)))
		return rc;
	if ((rc = cli_load_arg(argv[optind], dbpath, &l, label, sizeof(label))))
		return rc;
	l.rep.phases = phases;
	if (!cli_output_open(&out, output)) {
		rc = EXIT_RUN;
	} else {
		int e = reporter->render(out.f, &l.rep);

		if (!e && show_chart)
			e = cli_chart(out.f, &l.rep, !output);

		/* A failed render never leaves a partial file in place. */
		if (e && output) {
			cli_error("cannot write '%s': %s", output, mmt_strerror(e));
			cli_output_abort(&out);
			rc = EXIT_RUN;
		} else {
			rc = cli_output_close(&out);
		}
	}
	mmt_loaded_free(&l);
	return rc;
}
