/*
 * cli.h - what the command-line front end's files share.  Only src/cli/
 * talks to people: messages go to stderr as one line "mmaptimer: ...",
 * results to stdout or --output.
 */
#ifndef MMT_CLI_H
#define MMT_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mmaptimer.h"

/* Exit codes, documented in --help and the man page. */
enum {
	EXIT_OK = 0,
	EXIT_RUN = 1,    /* a run or I/O failure */
	EXIT_USAGE = 2,  /* bad command line */
};

/* One line on stderr: "mmaptimer: <message>". */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One line on stderr: "mmaptimer: warning: <message>". */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whether to write colour escapes to fd: it is a terminal and NO_COLOR is
 * not set (or empty). */
bool cli_colour(int fd);

/* Install SIGINT, SIGTERM and SIGHUP handlers that remove the file being
 * measured and any unfinished output file, then die of the same signal so
 * the shell sees the conventional status (130, 143, 129). */
void cli_signals_install(void);

/* Output to --output FILE or stdout.  cli_output_check() runs before any
 * measuring so that a bad --output is a usage error found at once; the
 * file is written under a temporary name and renamed into place only once
 * complete, never over an existing file. */
struct cli_output {
	const char *path;        /* NULL: stdout */
	char tmp[4096];
	FILE *f;
};
int cli_output_check(const char *path);
FILE *cli_output_open(struct cli_output *o, const char *path);
/* Finish: flush, check every write went through, rename into place.
 * Returns EXIT_OK, or EXIT_RUN after printing why. */
int cli_output_close(struct cli_output *o);
/* Abandon: remove the temporary file. */
void cli_output_abort(struct cli_output *o);

/* Report what getopt_long() returned as an error (':' or '?'), naming the
 * option as the user wrote it; cmd is "mmaptimer" or "mmaptimer env"...
 * Returns EXIT_USAGE. */
struct option;
int cli_getopt_error(int opt, char **argv, const struct option *longopts, const char *cmd);

/* The options of 'mmaptimer write', for the help texts. */
void cli_write_options_help(FILE *out);

/* Strict parsing of an unsigned integer option in [min, max]. */
int cli_parse_uint(const char *opt, const char *s, unsigned min, unsigned max, unsigned *out);

/* The value parsers of the sweep commands' options, each a pure function
 * that prints one error line and returns EXIT_USAGE on bad input (so they
 * can be fuzzed): --methods (a comma list or 'all', for op, at most cap
 * entries, no duplicates), a word from a fixed list (values[i] for
 * words[i]), --stdio-buffer (a size up to 1 GiB) and --seed (a whole
 * number, 0 included). */
int cli_parse_methods(const char *s, const struct mmt_method **methods, size_t cap, size_t *n,
		      unsigned op);
int cli_parse_word(const char *opt, const char *s, const char *const *words, const int *values,
		   size_t n, int *out);
int cli_parse_stdio_buffer(const char *s, size_t *out);
int cli_parse_seed(const char *s, uint64_t *out);

/* Returned by an option parser when it has printed --help or --version:
 * the command is done and exits 0. */
#define CLI_DONE (-1)

/* A sweep command's command line, parsed and checked for everything that
 * needs no file system: cli_sweep_parse() fills *o (free it with
 * cli_sweep_opts_free(), and do not copy it: job.methods may point into
 * it).  Returns EXIT_OK, CLI_DONE, or EXIT_USAGE / EXIT_RUN after printing
 * why (and then *o holds nothing to free).  It creates nothing and
 * measures nothing, so a fuzzer can call it with any argv. */
struct cli_sweep_opts {
	struct mmt_job job;
	const struct mmt_method *methods[64];
	const struct mmt_reporter *reporter;
	uint64_t *chunks;        /* malloc'd --chunks (or default) list, or NULL */
	const char *output;      /* --output, NULL for stdout */
	bool quiet, phases;
	const char *plot, *html; /* --plot, --html files, or NULL */
	bool save;               /* --save */
	const char *dbopt;       /* --db, or NULL for the default database */
	bool show_chart;         /* draw the terminal chart under the table */
};
int cli_sweep_parse(int argc, char **argv, unsigned op, struct cli_sweep_opts *o);
void cli_sweep_opts_free(struct cli_sweep_opts *o);

/* The options of 'mmaptimer compare' and 'mmaptimer import': --db and
 * --help, then exactly nargs operands, the first at argv[*first].  Sets
 * *dbopt (NULL for the default database); returns EXIT_OK, CLI_DONE
 * after printing help(stdout), or EXIT_USAGE after printing why (need:
 * what to say when operands are missing). */
int cli_parse_db_opts(int argc, char **argv, const char *cmd, void (*help)(FILE *out),
		      int nargs, const char *need, const char **dbopt, int *first);

/* The terminal chart under the table (--chart 1, --no-chart 0, neither
 * -1): *show says whether to draw it, by default only when the table goes
 * to a terminal.  EXIT_USAGE after printing why when --chart comes with
 * another format. */
int cli_chart_wanted(int chart, const struct mmt_reporter *reporter, const char *output,
		     bool *show);
/* Draw it into f, 80 columns wide, in colour only on standard output when
 * that is a terminal that allows it (see cli_colour). */
int cli_chart(FILE *f, const struct mmt_report *r, bool to_stdout);

/* A test hook's value: the environment variable name holding a whole
 * number >= 0.  True, with *out set, when it does; false when it is
 * unset, empty or anything else. */
bool cli_env_count(const char *name, long long *out);

/* The options of 'mmaptimer methods' and 'mmaptimer env': --dir and
 * --help.  Sets *dir (default "."); returns EXIT_OK, CLI_DONE after
 * printing help(stdout), or EXIT_USAGE after printing why. */
int cli_parse_dir_opts(int argc, char **argv, const char *cmd, void (*help)(FILE *out),
		       const char **dir);

int cmd_write(int argc, char **argv);
int cmd_read(int argc, char **argv);
/* The sweep commands, write and read (op MMT_OP_*): options, checks,
 * the sweep and its report.  Returns an exit code. */
int cli_sweep(int argc, char **argv, unsigned op);
void cli_read_help(FILE *out);
int cmd_methods(int argc, char **argv);
/* `mmaptimer ipc` (cmd_ipc.c). */
int cmd_ipc(int argc, char **argv);

/* ipc's command line, parsed without touching the file system (so a
 * fuzzer can call it with any argv): fills *o (do not copy it:
 * job.transports may point into list).  Returns EXIT_OK, CLI_DONE after
 * --help, or EXIT_USAGE after printing why. */
#define MMT_IPC_MAX_LIST 16
struct cli_ipc_opts {
	struct mmt_ipc_job job;
	const struct mmt_ipc_transport *list[MMT_IPC_MAX_LIST];
	const struct mmt_ipc_reporter *reporter;
	const char *output;      /* --output, NULL for stdout */
};
int cli_ipc_parse(int argc, char **argv, struct cli_ipc_opts *o);
int cmd_env(int argc, char **argv);

/* ---- saved results (saved.c) ---- */

/* The database: --db's value opt, else $XDG_DATA_HOME/mmaptimer/results.db,
 * else ~/.local/share/mmaptimer/results.db, into buf.  EXIT_OK or
 * EXIT_USAGE after printing why. */
int cli_db_path(const char *opt, char *buf, size_t len);
/* Before a run that will be saved: the database at path is ours and
 * sound, or can be created.  Writes nothing.  EXIT_OK or EXIT_RUN. */
int cli_db_check(const char *path);
/* Open the database (with create, making it and its directories).  On
 * success or failure, cli_db_close() must follow with made. */
struct cli_db_made;
int cli_db_open(const char *path, bool create, struct mmt_store **st, bool *created,
		struct cli_db_made **made);
/* Close; when failed and this command created the database, remove it
 * and the directories made for it. */
void cli_db_close(const char *path, struct mmt_store *st, bool created,
		  struct cli_db_made *made, bool failed);
/* Save a finished run in the database at path (created if need be);
 * "saved as result N" on stderr unless quiet.  EXIT_OK or EXIT_RUN. */
int cli_db_save(const char *path, const struct mmt_report *r, bool quiet);
/* The whole of file path, malloc'd.  EXIT_OK or EXIT_RUN. */
int cli_read_file(const char *path, char **text, size_t *len);
/* An "ID or FILE.json" argument: a saved result of the database dbpath
 * (digits only) or a JSON file, into *l; label names it for people.
 * EXIT_OK or EXIT_RUN after printing why. */
int cli_load_arg(const char *arg, const char *dbpath, struct mmt_loaded *l, char *label,
		 size_t len);
/* The help lines of --save and --db, for write and read. */
extern const char cli_save_options_help[];

int cmd_history(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_import(int argc, char **argv);

/* Shared help text for the exit codes. */
extern const char cli_exit_codes_help[];

#endif
