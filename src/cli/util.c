/*
 * util.c - the front end's plumbing: error lines, signal cleanup, safe
 * output files and strict number parsing.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

const char cli_exit_codes_help[] =
	"Exit status: 0 success, 1 a run or I/O failure (nothing is reported as a result),\n"
	"2 a usage error (nothing is created); 128+N when killed by signal N, after\n"
	"removing every file the run created.\n";

/* See cli.h. */
void cli_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("mmaptimer: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* See cli.h. */
bool cli_colour(int fd)
{
	const char *no = getenv("NO_COLOR");

	/* https://no-color.org: present and not empty means no colour. */
	return isatty(fd) && !(no && *no);
}

/* See cli.h. */
void cli_warn(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("mmaptimer: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The unfinished output file, for the signal handler. */
static volatile sig_atomic_t out_tmp_active;
static char out_tmp[4096];

static void on_signal(int sig)
{
	mmt_tempfile_cleanup_async();
	mmt_ipc_cleanup_async();
	if (out_tmp_active)
		unlink(out_tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* See cli.h. */
void cli_signals_install(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;

		/* A signal the caller ignores stays ignored: nohup's SIGHUP,
		 * SIGINT for a shell's background job. */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

/* The directory part of path, in buf. */
static char *dir_of(const char *path, char *buf, size_t len)
{
	char tmp[4096];

	snprintf(tmp, sizeof(tmp), "%s", path);
	snprintf(buf, len, "%s", dirname(tmp));
	return buf;
}

/* See cli.h.  Returns EXIT_OK or EXIT_USAGE after printing why. */
int cli_output_check(const char *path)
{
	char dir[4096];
	const char *base;
	struct stat st;

	if (!path)
		return EXIT_OK;
	if (!*path) {
		cli_error("empty file name for --output");
		return EXIT_USAGE;
	}
	if (path[strlen(path) - 1] == '/') {
		cli_error("cannot write '%s': %s", path, strerror(EISDIR));
		return EXIT_USAGE;
	}
	if (fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		cli_error("will not overwrite '%s': it already exists", path);
		return EXIT_USAGE;
	}
	if (errno != ENOENT) {
		cli_error("cannot write '%s': %s", path, strerror(errno));
		return EXIT_USAGE;
	}
	/* The result is first written beside it under a longer name. */
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (strlen(base) > NAME_MAX - 32 || strlen(path) > sizeof(dir) - 64) {
		cli_error("cannot write '%s': %s", path, strerror(ENAMETOOLONG));
		return EXIT_USAGE;
	}
	dir_of(path, dir, sizeof(dir));
	if (stat(dir, &st)) {
		cli_error("cannot write '%s': %s", path, strerror(errno));
		return EXIT_USAGE;
	}
	if (!S_ISDIR(st.st_mode)) {
		cli_error("cannot write '%s': %s", path, strerror(ENOTDIR));
		return EXIT_USAGE;
	}
	if (access(dir, W_OK | X_OK)) {
		cli_error("cannot write '%s': %s", path, strerror(errno));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* See cli.h. */
int cli_getopt_error(int opt, char **argv, const struct option *longopts, const char *cmd)
{
	/* getopt_long() leaves argv[optind - 1] at the long option it
	 * rejected, but inside a group of short options ("-zq") at the
	 * argument before; optopt says which short option it was. */
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	bool is_long = !strncmp(arg, "--", 2);
	size_t len = is_long ? strcspn(arg + 2, "=") : 0;

	if (opt == ':') {
		if (optopt && !is_long)
			cli_error("option '-%c' needs a value", optopt);
		else
			cli_error("option '%.*s' needs a value", (int)(len + 2), arg);
		return EXIT_USAGE;
	}
	if (optopt && is_long) {
		for (const struct option *o = longopts; o->name; o++) {
			if (o->val == optopt && strlen(o->name) == len && !strncmp(o->name, arg + 2, len)) {
				cli_error("option '--%s' takes no value", o->name);
				return EXIT_USAGE;
			}
		}
	}
	if (optopt)
		cli_error("unknown option '-%c' (see '%s --help')", optopt, cmd);
	else
		cli_error("unknown option '%.*s' (see '%s --help')", (int)(len + 2), arg, cmd);
	return EXIT_USAGE;
}

/* See cli.h.  NULL after printing why. */
FILE *cli_output_open(struct cli_output *o, const char *path)
{
	char dir[4096];
	int fd;

	memset(o, 0, sizeof(*o));
	o->path = path;
	if (!path)
		return o->f = stdout;
	if (snprintf(out_tmp, sizeof(out_tmp), "%s/.mmaptimer-out-%ld-XXXXXX",
		     dir_of(path, dir, sizeof(dir)), (long)getpid()) >= (int)sizeof(out_tmp)) {
		cli_error("cannot write '%s': %s", path, strerror(ENAMETOOLONG));
		return NULL;
	}
	fd = mkstemp(out_tmp);
	if (fd < 0) {
		cli_error("cannot create a file beside '%s': %s", path, strerror(errno));
		return NULL;
	}
	out_tmp_active = 1;
	snprintf(o->tmp, sizeof(o->tmp), "%s", out_tmp);
	{
		/* mkstemp() makes 0600; give the result the mode any new
		 * file of the user's would get. */
		mode_t mask = umask(0);

		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	o->f = fdopen(fd, "w");
	if (!o->f) {
		cli_error("cannot write '%s': %s", path, strerror(errno));
		close(fd);
		cli_output_abort(o);
	}
	return o->f;
}

/* See cli.h. */
void cli_output_abort(struct cli_output *o)
{
	if (o->path && o->tmp[0]) {
		out_tmp_active = 0;
		if (o->f)
			fclose(o->f);
		o->f = NULL;
		unlink(o->tmp);
		o->tmp[0] = '\0';
	}
}

/* See cli.h. */
int cli_output_close(struct cli_output *o)
{
	const char *what = o->path ? o->path : "standard output";
	int err = 0;

	if (fflush(o->f) || ferror(o->f))
		err = errno ? errno : EIO;
	if (!o->path) {
		/* A full disk or a closed pipe must not end in a report of
		 * success; main() also checks the final close of stdout. */
		if (err) {
			cli_error("cannot write to %s: %s", what, strerror(err));
			return EXIT_RUN;
		}
		return EXIT_OK;
	}
	if (!err && fsync(fileno(o->f)))
		err = errno;
	if (fclose(o->f) && !err)
		err = errno ? errno : EIO;
	o->f = NULL;
	if (!err && renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->path, RENAME_NOREPLACE)) {
		/* Filesystems without RENAME_NOREPLACE: link() never
		 * replaces either. */
		if (errno == EINVAL || errno == ENOSYS) {
			if (link(o->tmp, o->path))
				err = errno;
			else
				unlink(o->tmp);
		} else {
			err = errno;
		}
	}
	out_tmp_active = 0;
	if (err) {
		unlink(o->tmp);
		cli_error(err == EEXIST ? "will not overwrite '%s': it appeared during the run"
					: "cannot write '%s': %s", what, strerror(err));
		return EXIT_RUN;
	}
	return EXIT_OK;
}

/* See cli.h.  Returns EXIT_OK or EXIT_USAGE after printing why. */
int cli_parse_uint(const char *opt, const char *s, unsigned min, unsigned max, unsigned *out)
{
	unsigned long v = 0;

	if (!*s)
		goto bad;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > max)
			goto bad;
	}
	if (v < min)
		goto bad;
	*out = (unsigned)v;
	return EXIT_OK;
bad:
	cli_error("invalid %s '%s': expected a whole number from %u to %u", opt, s, min, max);
	return EXIT_USAGE;
}

/* The small commands' parsers: --help, the one long option with a value
 * that is longopts[0] (its value into *value), then exactly nargs
 * operands (need says what is missing when there are fewer).  Leaves
 * optind at the first operand; returns EXIT_OK, CLI_DONE after printing
 * help(stdout), or EXIT_USAGE after printing why. */
static int parse_one_opt(int argc, char **argv, const char *cmd, void (*help)(FILE *out),
			 const char *shortopts, const struct option *longopts, const char **value,
			 int nargs, const char *need)
{
	int opt;

	opterr = 0;
	optind = 0;     /* a full reset of getopt's state, see cli_sweep_parse() */
	while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (opt == longopts[0].val) {
			*value = optarg;
		} else if (opt == 'h') {
			help(stdout);
			return CLI_DONE;
		} else {
			return cli_getopt_error(opt, argv, longopts, cmd);
		}
	}
	if (argc - optind > nargs) {
		cli_error("unexpected argument '%s' (see '%s --help')", argv[optind + nargs], cmd);
		return EXIT_USAGE;
	}
	if (argc - optind < nargs) {
		cli_error("%s (see '%s --help')", need, cmd);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* See cli.h. */
int cli_parse_dir_opts(int argc, char **argv, const char *cmd, void (*help)(FILE *out),
		       const char **dir)
{
	static const struct option longopts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 },
	};

	*dir = ".";
	return parse_one_opt(argc, argv, cmd, help, ":d:h", longopts, dir, 0, NULL);
}

/* See cli.h. */
bool cli_env_count(const char *name, long long *out)
{
	const char *s = getenv(name);
	char *end;
	long long v;

	if (!s || !*s)
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || v < 0 || errno)
		return false;
	*out = v;
	return true;
}

/* See cli.h. */
int cli_parse_db_opts(int argc, char **argv, const char *cmd, void (*help)(FILE *out),
		      int nargs, const char *need, const char **dbopt, int *first)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ 0, 0, 0, 0 },
	};
	int rc;

	*dbopt = NULL;
	if ((rc = parse_one_opt(argc, argv, cmd, help, ":h", longopts, dbopt, nargs, need)))
		return rc;
	*first = optind;
	return EXIT_OK;
}

/* See cli.h. */
int cli_chart_wanted(int chart, const struct mmt_reporter *reporter, const char *output,
		     bool *show)
{
	bool table = !strcmp(reporter->name, "table");

	if (chart == 1 && !table) {
		cli_error("--chart is drawn under the table, not with --format %s", reporter->name);
		return EXIT_USAGE;
	}
	*show = table && (chart == 1 || (chart == -1 && !output && isatty(STDOUT_FILENO)));
	return EXIT_OK;
}

/* See cli.h. */
int cli_chart(FILE *f, const struct mmt_report *r, bool to_stdout)
{
	struct mmt_chart_opts co = {
		.width = 80, .height = 12,
		.colour = to_stdout && cli_colour(STDOUT_FILENO),
	};

	return mmt_chart(f, r, &co);
}
