/*
 * cmd_history.c - `mmaptimer history`: the saved results, one line each
 * (id, when the run was made, the machine, kernel and filesystem, the
 * command and its verdict), as a table, CSV or JSON.
 */
#include <getopt.h>
#include <string.h>

#include "cli/cli.h"

static void history_help(FILE *out)
{
	fputs("usage: mmaptimer history [options]\n\n"
	      "List the saved results (see --save), oldest first: the id that 'report' and\n"
	      "'compare' take, the date of the run itself (UTC), the host, kernel release and\n"
	      "filesystem, the command, and its verdict in one line.\n\n"
	      "options:\n"
	      "      --db FILE         the database (default $XDG_DATA_HOME/mmaptimer/results.db,\n"
	      "                        or ~/.local/share/mmaptimer/results.db)\n"
	      "  -f, --format FMT      table, csv or json (default table)\n"
	      "  -h, --help            this help\n\n", out);
	fputs(cli_exit_codes_help, out);
}

enum fmt { FMT_TABLE, FMT_CSV, FMT_JSON };

struct listing {
	enum fmt fmt;
	size_t n;
};

/* A JSON string: quotes, backslashes and control characters escaped;
 * bytes that are not UTF-8 become U+FFFD so the output stays JSON. */
static void json_str(const char *s)
{
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		size_t n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 && *p >= 0xc2 ? 2
			 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;

		for (size_t i = 1; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				n = 0;
		if (n == 0) {
			fputs("\\ufffd", stdout);
		} else if (n > 1) {
			fwrite(p, 1, n, stdout);
			p += n - 1;
		} else if (*p == '"' || *p == '\\') {
			printf("\\%c", *p);
		} else if (*p < 0x20) {
			printf("\\u%04x", *p);
		} else {
			putchar(*p);
		}
	}
	putchar('"');
}

/* A CSV field, quoted as RFC 4180 has it. */
static void csv_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

/* The kernel's release: the second word of "Linux 6.1.0-13-amd64 #1 ...". */
static void release(const char *kernel, char *buf, size_t len)
{
	const char *sp = strchr(kernel, ' ');
	const char *r = sp ? sp + 1 : kernel;

	snprintf(buf, len, "%.*s", (int)strcspn(r, " "), r);
}

static int row(void *arg, const struct mmt_history *h)
{
	struct listing *ls = arg;
	char rel[64], date[32];

	switch (ls->fmt) {
	case FMT_TABLE:
		if (ls->n == 0)
			printf("%4s  %-19s  %-16s  %-18s  %-6s  %-7s %s\n", "id", "date (UTC)", "host",
			       "kernel", "fs", "command", "verdict");
		release(h->kernel, rel, sizeof(rel));
		/* "2026-12-02T11:20:03Z" as "2026-12-02 11:20:03". */
		snprintf(date, sizeof(date), "%s", h->date);
		if (strlen(date) == 20) {
			date[10] = ' ';
			date[19] = '\0';
		}
		printf("%4lld  %-19s  %-16.16s  %-18.18s  %-6.6s  %-7s %s%s\n", (long long)h->id,
		       date, h->host, rel, h->fs, h->command, h->verdict,
		       strcmp(h->origin, "import") ? "" : " (imported)");
		break;
	case FMT_CSV:
		if (ls->n == 0)
			puts("id,date,host,kernel,filesystem,command,origin,verdict");
		printf("%lld,", (long long)h->id);
		csv_str(h->date);
		putchar(',');
		csv_str(h->host);
		putchar(',');
		csv_str(h->kernel);
		putchar(',');
		csv_str(h->fs);
		putchar(',');
		csv_str(h->command);
		putchar(',');
		csv_str(h->origin);
		putchar(',');
		csv_str(h->verdict);
		putchar('\n');
		break;
	case FMT_JSON:
		printf("%s  {\"id\": %lld, \"date\": ", ls->n ? ",\n" : "", (long long)h->id);
		if (strcmp(h->date, "unknown"))
			json_str(h->date);
		else
			fputs("null", stdout);
		fputs(", \"host\": ", stdout);
		json_str(h->host);
		fputs(", \"kernel\": ", stdout);
		json_str(h->kernel);
		fputs(", \"filesystem\": ", stdout);
		json_str(h->fs);
		fputs(", \"command\": ", stdout);
		json_str(h->command);
		fputs(", \"origin\": ", stdout);
		json_str(h->origin);
		fputs(", \"verdict\": ", stdout);
		json_str(h->verdict);
		fputs("}", stdout);
		break;
	}
	ls->n++;
	return 0;
}

/* See cli.h. */
int cmd_history(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 },
	};
	struct listing ls = { FMT_TABLE, 0 };
	struct mmt_store *st = NULL;
	struct cli_db_made *made = NULL;
	struct mmt_error err = { 0 };
	const char *dbopt = NULL;
	char dbpath[4096];
	bool created = false;
	int opt, rc;

	opterr = 0;
	optind = 0;     /* a full reset of getopt's state, see cli_sweep_parse() */
	while ((opt = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'D':
			dbopt = optarg;
			break;
		case 'f':
			if (!strcmp(optarg, "table")) {
				ls.fmt = FMT_TABLE;
			} else if (!strcmp(optarg, "csv")) {
				ls.fmt = FMT_CSV;
			} else if (!strcmp(optarg, "json")) {
				ls.fmt = FMT_JSON;
			} else {
				cli_error("unknown format '%s' (expected table, csv or json)", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			history_help(stdout);
			return EXIT_OK;
		default:
			return cli_getopt_error(opt, argv, longopts, "mmaptimer history");
		}
	}
	if (optind < argc) {
		cli_error("unexpected argument '%s' (see 'mmaptimer history --help')", argv[optind]);
		return EXIT_USAGE;
	}
	if ((rc = cli_db_path(dbopt, dbpath, sizeof(dbpath))))
		return rc;
	if ((rc = cli_db_open(dbpath, false, &st, &created, &made))) {
		cli_db_close(dbpath, NULL, false, made, false);
		return rc;
	}
	if (ls.fmt == FMT_JSON)
		fputs("[\n", stdout);
	if (mmt_store_history(st, row, &ls, &err)) {
		cli_error("%s", err.msg);
		rc = EXIT_RUN;
	} else if (ls.fmt == FMT_JSON) {
		fputs(ls.n ? "\n]\n" : "]\n", stdout);
	} else if (ls.fmt == FMT_TABLE && ls.n == 0) {
		printf("no saved results in '%s'\n", dbpath);
	}
	cli_db_close(dbpath, st, false, made, false);
	return rc;
}
