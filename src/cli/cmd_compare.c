/*
 * cmd_compare.c - `mmaptimer compare A B`: two results (saved ids or JSON
 * files, from two machines, filesystems or days) side by side per method
 * and chunk size: the ratio B/A of the medians, whether the difference is
 * larger than the runs' spread, and a verdict line.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static void compare_help(FILE *out)
{
	fputs("usage: mmaptimer compare A B [options]\n\n"
	      "Put two results side by side: A and B are each a saved result's id (see\n"
	      "'mmaptimer history') or a JSON result file, for instance from two machines.\n"
	      "For every method and chunk size: both medians and min-max ranges, the ratio\n"
	      "B/A of the medians (below 1: B is faster), and whether the difference is\n"
	      "beyond the runs' spread (the two min-max ranges do not overlap).  Then one\n"
	      "verdict line.  Results of different operations (write against read) or of\n"
	      "different file sizes are refused.\n\n"
	      "options:\n"
	      "      --db FILE         the database ids refer to (default\n"
	      "                        $XDG_DATA_HOME/mmaptimer/results.db, or\n"
	      "                        ~/.local/share/mmaptimer/results.db)\n"
	      "  -h, --help            this help\n\n", out);
	fputs(cli_exit_codes_help, out);
}

/* "24.9-25.3 ms" when both ends share a unit, "998 us-1.01 ms" otherwise. */
static char *range(const struct mmt_point *p, char *buf, size_t len)
{
	char a[32], b[32];
	char *ua, *ub;

	mmt_format_time(p->min, a, sizeof(a));
	mmt_format_time(p->max, b, sizeof(b));
	ua = strchr(a, ' ');
	ub = strchr(b, ' ');
	if (ua && ub && !strcmp(ua, ub))
		*ua = '\0';
	snprintf(buf, len, "%s-%s", a, b);
	return buf;
}

/* One line about a side: where and when its numbers were taken. */
static void side(const char *name, const char *label, const struct mmt_loaded *l)
{
	char size[32];
	const char *rel = strchr(l->env.kernel, ' ');

	printf("%s: %s: %s of a %s file, %u run%s per point\n   %s, %s on %s, %s %.*s, %s\n", name,
	       label, l->command, mmt_format_size(l->job.size, size, sizeof(size)), l->job.runs,
	       l->job.runs == 1 ? "" : "s", l->env.hostname, l->env.fs_type, l->env.mount_source,
	       "kernel", rel ? (int)strcspn(rel + 1, " ") : 0, rel ? rel + 1 : "",
	       l->env.date[0] ? l->env.date : "date unknown");
}

/* One cell: median and range of p, or what is missing. */
static void cell(const struct mmt_point *p)
{
	char m[32], r[72];

	if (!p)
		printf("  %-9s %-16s", "-", "");
	else if (!p->available)
		printf("  %-9s %-16s", "n/a", "");
	else
		printf("  %-9s %-16s", mmt_format_time(p->median, m, sizeof(m)), range(p, r, sizeof(r)));
}

/* See cli.h. */
int cmd_compare(int argc, char **argv)
{
	const char *dbopt;
	char dbpath[4096], la[4200], lb[4200], buf[512];
	struct mmt_loaded a, b;
	struct mmt_cmp_row *rows = NULL;
	struct mmt_error err = { 0 };
	size_t n = 0, width = 6;
	int first, rc;

	if ((rc = cli_parse_db_opts(argc, argv, "mmaptimer compare", compare_help, 2,
				    "compare needs two results, A and B: saved ids or JSON files",
				    &dbopt, &first)))
		return rc == CLI_DONE ? EXIT_OK : rc;
	if ((rc = cli_db_path(dbopt, dbpath, sizeof(dbpath))))
		return rc;
	if ((rc = cli_load_arg(argv[first], dbpath, &a, la, sizeof(la))))
		return rc;
	if ((rc = cli_load_arg(argv[first + 1], dbpath, &b, lb, sizeof(lb)))) {
		mmt_loaded_free(&a);
		return rc;
	}
	if (mmt_compare(&a, &b, &rows, &n, &err)) {
		cli_error("%s", err.msg);
		rc = EXIT_RUN;
		goto out;
	}
	side("A", la, &a);
	side("B", lb, &b);
	for (size_t i = 0; i < n; i++)
		width = strlen(rows[i].method) > width ? strlen(rows[i].method) : width;
	printf("\n%10s  %-*s  %-9s %-16s  %-9s %-16s  %7s  %s\n", "chunk", (int)width, "method",
	       "A median", "A min-max", "B median", "B min-max", "B/A", "beyond spread");
	for (size_t i = 0; i < n; i++) {
		const struct mmt_cmp_row *r = &rows[i];

		printf("%10s  %-*s", mmt_format_size(r->chunk, buf, sizeof(buf)), (int)width, r->method);
		cell(r->a);
		cell(r->b);
		if (!r->both || r->ratio <= 0) {
			printf("  %7s  %s\n", "-", "-");
			continue;
		}
		printf("  %6.2fx  %s\n", r->ratio,
		       !r->differs ? "no" : r->ratio < 1 ? "yes, B faster" : "yes, B slower");
	}
	printf("\nverdict: %s\n", mmt_compare_verdict(rows, n, a.job.op, buf, sizeof(buf)));
out:
	free(rows);
	mmt_loaded_free(&a);
	mmt_loaded_free(&b);
	return rc;
}
