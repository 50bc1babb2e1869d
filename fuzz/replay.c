/*
 * replay.c - run every fuzz target, without libFuzzer, on each file of
 * its seed corpus (fuzz/corpus/<target>/) and of the inputs fuzzing once
 * found to break it (fuzz/regressions/<target>/).  Built with the normal
 * compiler and run by make check in every build, the sanitizer build
 * included.  Each input runs in its own process with a time limit; a
 * crash, an abort, a sanitizer report or a hang fails the target.  TAP on
 * stdout, one line per target.
 *
 *   fuzz-replay FUZZDIR
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz.h"

/* Every fuzz target.  To add one, write fuzz/fuzz-<name>.c and add a row
 * here and a name to FUZZ_TARGETS in the Makefile. */
static const struct {
	const char *name;
	int (*fn)(const uint8_t *data, size_t size);
} targets[] = {
	{ "size", fuzz_size },
	{ "chunks", fuzz_chunks },
	{ "values", fuzz_values },
	{ "argv", fuzz_argv },
	{ "import", fuzz_import },
};

#define TIME_LIMIT 20    /* seconds per input */
#define INPUT_MAX (1 << 20)

/* Run fn on the file at path in a child process; 0 when it returned
 * cleanly, else -1 with what it printed copied to the TAP diagnostics. */
static int replay_one(int (*fn)(const uint8_t *, size_t), const char *path)
{
	FILE *log = tmpfile();
	int status = 0;
	pid_t pid;

	if (!log)
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fclose(log);
		return -1;
	}
	if (pid == 0) {
		static uint8_t buf[INPUT_MAX];
		int fd = open(path, O_RDONLY | O_CLOEXEC), null = open("/dev/null", O_WRONLY);
		ssize_t n;

		if (fd < 0 || null < 0)
			_exit(3);
		n = read(fd, buf, sizeof(buf));
		close(fd);
		if (n < 0)
			_exit(3);
		/* The parsers print usage errors and help: keep them out of
		 * the TAP stream, but keep a crash report. */
		dup2(null, STDOUT_FILENO);
		dup2(fileno(log), STDERR_FILENO);
		close(null);
		alarm(TIME_LIMIT);
		fn(buf, (size_t)n);
		exit(0);   /* exit(), not _exit(): LeakSanitizer checks at exit */
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		fclose(log);
		return 0;
	}
	{
		char line[512];
		int shown = 0;

		printf("# %s: %s %d\n", path, WIFSIGNALED(status) ? "killed by signal" : "exit status",
		       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		rewind(log);
		while (fgets(line, sizeof(line), log) && shown++ < 40)
			printf("#   %s", line);
	}
	fclose(log);
	return -1;
}

/* Replay every regular file in dir; counts into *n and *bad.  A missing
 * directory is no input. */
static void replay_dir(int (*fn)(const uint8_t *, size_t), const char *dir, int *n, int *bad)
{
	struct dirent **ents;
	int k = scandir(dir, &ents, NULL, alphasort);

	for (int i = 0; i < k; i++) {
		char path[4096];

		if (ents[i]->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
			(*n)++;
			if (replay_one(fn, path))
				(*bad)++;
		}
		free(ents[i]);
	}
	if (k >= 0)
		free(ents);
}

int main(int argc, char **argv)
{
	size_t nt = sizeof(targets) / sizeof(targets[0]);
	int failed = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: fuzz-replay FUZZDIR\n");
		return 2;
	}
	printf("1..%zu\n", nt);
	for (size_t t = 0; t < nt; t++) {
		char dir[4096];
		int ncorpus = 0, nreg = 0, bad = 0;

		snprintf(dir, sizeof(dir), "%s/corpus/%s", argv[1], targets[t].name);
		replay_dir(targets[t].fn, dir, &ncorpus, &bad);
		snprintf(dir, sizeof(dir), "%s/regressions/%s", argv[1], targets[t].name);
		replay_dir(targets[t].fn, dir, &nreg, &bad);
		if (ncorpus + nreg == 0) {
			printf("not ok %zu - fuzz %s: no input found under %s\n", t + 1, targets[t].name,
			       argv[1]);
			failed++;
		} else {
			printf("%sok %zu - fuzz %s: %d corpus and %d regression inputs replayed, %d failed\n",
			       bad ? "not " : "", t + 1, targets[t].name, ncorpus, nreg, bad);
			failed += bad > 0;
		}
	}
	return failed ? 1 : 0;
}
