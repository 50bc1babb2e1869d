/*
 * saved.c - what the commands that keep results share: where the database
 * is, checking it before a long run, saving a run after it (leaving
 * nothing behind if that fails), and reading "ID or FILE.json" arguments.
 */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

const char cli_save_options_help[] =
	"      --save            keep the result in the database, once the run has\n"
	"                        succeeded (see 'mmaptimer history')\n"
	"      --db FILE         the database for --save (default\n"
	"                        $XDG_DATA_HOME/mmaptimer/results.db, or\n"
	"                        ~/.local/share/mmaptimer/results.db)\n";

/* See cli.h. */
int cli_db_path(const char *opt, char *buf, size_t len)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	int n;

	if (opt) {
		if (!*opt) {
			cli_error("empty file name for --db");
			return EXIT_USAGE;
		}
		n = snprintf(buf, len, "%s", opt);
	} else if (xdg && xdg[0] == '/') {
		/* The XDG base directory rules: a relative value is ignored. */
		n = snprintf(buf, len, "%s/mmaptimer/results.db", xdg);
	} else {
		if (!home || !*home) {
			struct passwd *pw = getpwuid(getuid());

			home = pw ? pw->pw_dir : NULL;
		}
		if (!home || !*home) {
			cli_error("no place for the database: set HOME or XDG_DATA_HOME, or give --db");
			return EXIT_USAGE;
		}
		n = snprintf(buf, len, "%s/.local/share/mmaptimer/results.db", home);
	}
	if (n < 0 || (size_t)n >= len) {
		cli_error("database path too long");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* See cli.h. */
int cli_db_check(const char *path)
{
	struct mmt_store *st;
	struct mmt_error err = { 0 };
	char dir[PATH_MAX];
	struct stat sb;

	if (stat(path, &sb) == 0) {
		if (mmt_store_open(path, MMT_STORE_READONLY, &st, NULL, &err)) {
			cli_error("%s", err.msg);
			return EXIT_RUN;
		}
		mmt_store_close(st);
		return EXIT_OK;
	}
	if (errno != ENOENT) {
		cli_error("cannot use database '%s': %s", path, strerror(errno));
		return EXIT_RUN;
	}
	/* It will be created, with the directories it needs: the nearest
	 * one that exists must let us. */
	snprintf(dir, sizeof(dir), "%s", path);
	for (;;) {
		char *slash = strrchr(dir, '/');

		if (!slash)
			snprintf(dir, sizeof(dir), ".");
		else if (slash == dir)
			dir[1] = '\0';
		else
			*slash = '\0';
		if (stat(dir, &sb) == 0)
			break;
		if (errno != ENOENT || !slash || slash == dir) {
			cli_error("cannot create database '%s': %s", path, strerror(errno));
			return EXIT_RUN;
		}
	}
	if (!S_ISDIR(sb.st_mode) || access(dir, W_OK | X_OK)) {
		cli_error("cannot create database '%s': %s", path,
			  strerror(S_ISDIR(sb.st_mode) ? errno : ENOTDIR));
		return EXIT_RUN;
	}
	return EXIT_OK;
}

/* Directories made for a new database, to remove again if it fails. */
struct made_dirs {
	char path[8][PATH_MAX];
	int n;
};

/* mkdir -p of path's directory, 0700 as the XDG rules ask. */
static int make_parents(const char *path, struct made_dirs *md)
{
	char dir[PATH_MAX];
	struct stat sb;

	md->n = 0;
	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = dir + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (stat(dir, &sb) != 0) {
			if (mkdir(dir, 0700) && errno != EEXIST) {
				cli_error("cannot create directory '%s': %s", dir, strerror(errno));
				return EXIT_RUN;
			}
			if (md->n < 8)
				snprintf(md->path[md->n++], PATH_MAX, "%s", dir);
		}
		*p = '/';
	}
	return EXIT_OK;
}

static void remove_parents(struct made_dirs *md)
{
	while (md->n > 0)
		rmdir(md->path[--md->n]);
}

/* See cli.h. */
int cli_db_open(const char *path, bool create, struct mmt_store **st, bool *created,
		struct cli_db_made **made)
{
	struct mmt_error err = { 0 };
	struct made_dirs *md = calloc(1, sizeof(*md));

	*made = (struct cli_db_made *)md;
	*created = false;
	if (!md) {
		cli_error("out of memory");
		return EXIT_RUN;
	}
	if (create && make_parents(path, md)) {
		remove_parents(md);
		return EXIT_RUN;
	}
	if (mmt_store_open(path, create ? MMT_STORE_CREATE : 0, st, created, &err)) {
		cli_error("%s", err.msg);
		remove_parents(md);
		return EXIT_RUN;
	}
	return EXIT_OK;
}

/* See cli.h. */
void cli_db_close(const char *path, struct mmt_store *st, bool created,
		  struct cli_db_made *made, bool failed)
{
	struct made_dirs *md = (struct made_dirs *)made;

	mmt_store_close(st);
	if (failed && created) {
		char j[PATH_MAX + 16];

		/* Nothing of a database this command made, and failed to
		 * fill, stays behind. */
		unlink(path);
		snprintf(j, sizeof(j), "%s-journal", path);
		unlink(j);
		if (md)
			remove_parents(md);
	}
	free(md);
}

/* See cli.h. */
int cli_db_save(const char *path, const struct mmt_report *r, bool quiet)
{
	struct mmt_store *st = NULL;
	struct mmt_error err = { 0 };
	struct cli_db_made *made = NULL;
	bool created = false;
	char *json = NULL;
	size_t len = 0;
	int64_t id = 0;
	FILE *f;
	int rc;

	/* The document is the record: the JSON the run would print. */
	if (!(f = open_memstream(&json, &len))) {
		cli_error("out of memory");
		return EXIT_RUN;
	}
	rc = mmt_reporter_find("json")->render(f, r);
	if (fclose(f) || rc) {
		cli_error("cannot save the result: %s", mmt_strerror(rc ? rc : -ENOMEM));
		free(json);
		return EXIT_RUN;
	}
	if ((rc = cli_db_open(path, true, &st, &created, &made))) {
		free(json);
		cli_db_close(path, NULL, false, made, true);
		return rc;
	}
	if (mmt_store_save(st, r, json, &id, &err)) {
		cli_error("%s", err.msg);
		rc = EXIT_RUN;
	} else if (!quiet) {
		fprintf(stderr, "mmaptimer: saved as result %lld in '%s'\n", (long long)id, path);
	}
	cli_db_close(path, st, created, made, rc != EXIT_OK);
	free(json);
	return rc;
}

/* See cli.h. */
int cli_read_file(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 0;

	*text = NULL;
	*len = 0;
	if (!f) {
		cli_error("cannot read '%s': %s", path, strerror(errno));
		return EXIT_RUN;
	}
	for (;;) {
		size_t n;

		if (*len == cap) {
			char *p;

			/* A result of 4096 chunks and every method is a few
			 * MiB; a file far larger is not one of ours. */
			if (cap >= (size_t)1 << 30 || !(p = realloc(*text, cap = cap * 2 + 65536))) {
				cli_error("cannot read '%s': %s", path,
					  strerror(cap >= (size_t)1 << 30 ? EFBIG : ENOMEM));
				goto fail;
			}
			*text = p;
		}
		if ((n = fread(*text + *len, 1, cap - *len, f)) == 0)
			break;
		*len += n;
	}
	if (ferror(f)) {
		cli_error("cannot read '%s': %s", path, strerror(errno ? errno : EIO));
		goto fail;
	}
	fclose(f);
	return EXIT_OK;
fail:
	fclose(f);
	free(*text);
	*text = NULL;
	return EXIT_RUN;
}

/* Whether s is a saved result's id: digits only. */
static bool is_id(const char *s)
{
	if (!*s || strlen(s) > 18)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* See cli.h. */
int cli_load_arg(const char *arg, const char *dbpath, struct mmt_loaded *l, char *label,
		 size_t len)
{
	struct mmt_error err = { 0 };
	int rc;

	if (is_id(arg)) {
		struct mmt_store *st = NULL;
		struct cli_db_made *made = NULL;
		bool created = false;

		snprintf(label, len, "result %s in '%s'", arg, dbpath);
		if ((rc = cli_db_open(dbpath, false, &st, &created, &made))) {
			cli_db_close(dbpath, NULL, false, made, false);
			return rc;
		}
		if (mmt_store_load(st, strtoll(arg, NULL, 10), l, &err)) {
			cli_error("%s", err.msg);
			rc = EXIT_RUN;
		}
		cli_db_close(dbpath, st, false, made, false);
		return rc;
	} else {
		char *text;
		size_t n;

		snprintf(label, len, "'%s'", arg);
		if ((rc = cli_read_file(arg, &text, &n)))
			return rc;
		if (mmt_load_json(text, n, l, &err)) {
			cli_error("'%s' is %s", arg, err.msg);
			rc = EXIT_RUN;
		}
		free(text);
		return rc;
	}
}
