/*
 * runner.c - the unit-test runner.  Every test in test-list.h runs in a
 * forked process of its own, in a fresh temporary directory, with a time
 * limit, so that a crash or a deadlock fails that one test instead of the
 * suite.  Results are TAP on stdout; "unit-tests NAME" runs one test.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/internal.h"
#include "test.h"

/* Seconds a test may run; MMT_TEST_TIMEOUT overrides.  Generous, because
 * it only has to turn a deadlock into a failure, and CI machines are
 * shared: a busy one ran a healthy sweep test past 10 s. */
#define DEFAULT_TIMEOUT 30

struct test {
	const char *name;
	void (*fn)(void);
};

static const struct test tests[] = {
#define TEST(name) { #name, test_##name },
#include "test-list.h"
#undef TEST
};

/* In a test's process: its directory, and the pipe its verdict goes to. */
static char cur_dir[4096];
static int report_fd = -1;

/* See test.h. */
const char *test_dir(void)
{
	return cur_dir;
}

/* See test.h. */
int test_count_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* Send "kind:where<text>" to the runner (or to stderr when there is no
 * runner to read it). */
__attribute__((format(printf, 3, 0)))
static void report(const char *kind, const char *where, const char *fmt, va_list ap)
{
	char buf[2048];
	int n = snprintf(buf, sizeof(buf), "%s:%s", kind, where);

	if (n < 0 || (size_t)n >= sizeof(buf))
		n = 0;
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	if (report_fd < 0 || write(report_fd, buf, strlen(buf)) < 0)
		fprintf(stderr, "%s\n", buf);
}

/* See test.h.  _exit, not exit: a failed test may hold half-built state
 * whose leaks are not worth reporting. */
void test__fail(const char *file, int line, const char *fmt, ...)
{
	char where[256];
	va_list ap;

	snprintf(where, sizeof(where), "%s:%d: ", file, line);
	va_start(ap, fmt);
	report("fail", where, fmt, ap);
	va_end(ap);
	_exit(TEST_EXIT_FAIL);
}

/* See test.h. */
void test__fail_expr(const char *file, int line, const char *expr, const char *fmt, ...)
{
	char where[1024];
	va_list ap;

	snprintf(where, sizeof(where), "%s:%d: ASSERT(%s): ", file, line, expr);
	va_start(ap, fmt);
	report("fail", where, fmt, ap);
	va_end(ap);
	_exit(TEST_EXIT_FAIL);
}

/* See test.h. */
void test__skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("skip", "", fmt, ap);
	va_end(ap);
	_exit(TEST_EXIT_SKIP);
}

/* The child's side: run the test and exit.  Its stdout goes to stderr so
 * that nothing a test prints can be mistaken for TAP.  A passing test
 * leaves through exit(), so that LeakSanitizer checks it for leaks. */
static _Noreturn void child(const struct test *t, const char *dir, int fd)
{
	setpgid(0, 0);
	dup2(STDERR_FILENO, STDOUT_FILENO);
	snprintf(cur_dir, sizeof(cur_dir), "%s", dir);
	report_fd = fd;
	if (chdir(dir)) {
		fprintf(stderr, "cannot enter '%s': %s\n", dir, strerror(errno));
		_exit(TEST_EXIT_FAIL);
	}
	t->fn();
	fflush(NULL);
	exit(0);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag != FTW_DP)
		return unlink(path) ? -1 : 0;
	/* A test that died before unmounting what it mounted leaves a busy
	 * directory: detach the mount and try again. */
	if (rmdir(path) && errno == EBUSY && umount2(path, MNT_DETACH) == 0)
		return rmdir(path);
	return 0;
}

/* Remove dir and everything under it; 0 or -1. */
static int remove_tree(const char *dir)
{
	if (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS))
		return -1;
	return access(dir, F_OK) == 0 ? -1 : 0;
}

/* Append what is readable on fd to buf (at most len - 1 bytes kept). */
static void drain(int fd, char *buf, size_t len, size_t *used)
{
	char tmp[1024];
	ssize_t n;

	while ((n = read(fd, tmp, sizeof(tmp))) > 0) {
		size_t k = MMT_MIN((size_t)n, len - 1 - *used);

		memcpy(buf + *used, tmp, k);
		*used += k;
	}
	buf[*used] = '\0';
}

/* Print text as TAP diagnostic lines. */
static void diag(const char *text)
{
	while (*text) {
		size_t n = strcspn(text, "\n");

		printf("# %.*s\n", (int)n, text);
		text += n;
		if (*text)
			text++;
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run test number num (1-based) in a child process and print its TAP
 * line.  Returns true if it passed or was skipped. */
static bool run_test(const struct test *t, size_t num, double limit)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096], msg[2048], why[4400];
	size_t used = 0;
	bool timed_out = false, ok = false;
	int fds[2], status = 0;
	double t0;
	pid_t pid;

	snprintf(dir, sizeof(dir), "%s/mmt-unit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		printf("not ok %zu - %s\n# cannot create a temporary directory in '%s': %s\n",
		       num, t->name, tmp && *tmp ? tmp : "/tmp", strerror(errno));
		return false;
	}
	if (pipe2(fds, O_CLOEXEC)) {
		printf("not ok %zu - %s\n# cannot create a pipe: %s\n", num, t->name,
		       strerror(errno));
		remove_tree(dir);
		return false;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		child(t, dir, fds[1]);
	}
	close(fds[1]);
	if (pid < 0) {
		printf("not ok %zu - %s\n# cannot fork: %s\n", num, t->name, strerror(errno));
		close(fds[0]);
		remove_tree(dir);
		return false;
	}
	/* The child's own process group, so that a timeout also ends any
	 * helper it started.  Set on both sides to close the race. */
	setpgid(pid, pid);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);

	/* Poll rather than block, so the time limit holds whatever the
	 * child is stuck in.  WNOWAIT leaves the child a zombie until its
	 * process group has been killed, so the group id cannot have been
	 * reused by then. */
	t0 = now();
	for (;;) {
		siginfo_t si = { 0 };
		int w = waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT);

		drain(fds[0], msg, sizeof(msg), &used);
		if ((w == 0 && si.si_pid == pid) || (w < 0 && errno != EINTR))
			break;
		if (now() - t0 > limit) {
			timed_out = true;
			break;
		}
		nanosleep(&(struct timespec){ 0, 2000000 }, NULL);
	}
	/* End the test if it is late, and any helper it left behind. */
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	drain(fds[0], msg, sizeof(msg), &used);
	close(fds[0]);

	if (timed_out) {
		snprintf(why, sizeof(why), "timed out after %g s%s%s", limit, used ? ": " : "",
			 msg);
	} else if (WIFSIGNALED(status)) {
		snprintf(why, sizeof(why), "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	} else if (WEXITSTATUS(status) == 0) {
		ok = true;
	} else if (WEXITSTATUS(status) == TEST_EXIT_SKIP && !strncmp(msg, "skip:", 5)) {
		for (char *c = msg; *c; c++)
			if (*c == '\n')
				*c = ' ';
		printf("ok %zu - %s # SKIP %s\n", num, t->name, msg + 5);
		ok = true;
		goto out;
	} else if (WEXITSTATUS(status) == TEST_EXIT_FAIL && !strncmp(msg, "fail:", 5)) {
		snprintf(why, sizeof(why), "%s", msg + 5);
	} else {
		/* A sanitizer's report (a leak, say) ends the process with a
		 * status of its own, the report itself on stderr. */
		snprintf(why, sizeof(why), "exited with status %d%s%s", WEXITSTATUS(status),
			 used ? ": " : " without a verdict (see stderr)", msg);
	}
	printf("%sok %zu - %s\n", ok ? "" : "not ", num, t->name);
	if (!ok)
		diag(why);
out:
	if (remove_tree(dir))
		printf("# cannot remove the test directory '%s'\n", dir);
	fflush(stdout);
	return ok;
}

int main(int argc, char **argv)
{
	const char *env = getenv("MMT_TEST_TIMEOUT");
	double limit = env && atof(env) > 0 ? atof(env) : DEFAULT_TIMEOUT;
	size_t n = MMT_ARRAY_SIZE(tests), failed = 0;

	if (argc > 2) {
		fprintf(stderr, "usage: %s [test-name]\n", argv[0]);
		return 2;
	}
	if (argc == 2) {
		for (size_t i = 0; i < n; i++) {
			if (!strcmp(tests[i].name, argv[1])) {
				printf("1..1\n");
				return run_test(&tests[i], 1, limit) ? 0 : 1;
			}
		}
		fprintf(stderr, "%s: no test named '%s'\n", argv[0], argv[1]);
		return 2;
	}
	printf("1..%zu\n", n);
	for (size_t i = 0; i < n; i++)
		failed += !run_test(&tests[i], i + 1, limit);
	return failed ? 1 : 0;
}
