/*
 * sigbus.c - turning SIGBUS into an error.  A store into a shared file
 * mapping whose page the filesystem cannot back (disk full, file truncated
 * underneath) raises SIGBUS instead of returning an error; a benchmark must
 * report that, not die of it.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/statvfs.h>

#include "core/internal.h"

sigjmp_buf *volatile mmt__sigbus_jmp;

static struct sigaction old_action;
static int installed;

static void on_sigbus(int sig)
{
	sigjmp_buf *jb = mmt__sigbus_jmp;

	if (jb) {
		mmt__sigbus_jmp = NULL;
		siglongjmp(*jb, 1);
	}
	/* Not inside a guarded loop: a real bug; take the default action. */
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Install the SIGBUS handler (once; nested calls are counted).  SA_NODEFER
 * because the guarded code jumps out with sigsetjmp(jb, 0), which does not
 * restore the signal mask: SIGBUS must not stay blocked afterwards. */
int mmt__sigbus_install(void)
{
	struct sigaction sa;

	if (installed++)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	sa.sa_flags = SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &old_action)) {
		installed--;
		return -errno;
	}
	return 0;
}

/* Put back the SIGBUS action found by the matching install. */
void mmt__sigbus_restore(void)
{
	if (installed && --installed == 0)
		sigaction(SIGBUS, &old_action, NULL);
}

/* See internal.h. */
int mmt__sigbus_cause(int fd, uint64_t need)
{
	struct statvfs sv;

	if (fstatvfs(fd, &sv) == 0 && (uint64_t)sv.f_bavail * sv.f_frsize < need)
		return -ENOSPC;
	return MMT_ESIGBUS;
}
