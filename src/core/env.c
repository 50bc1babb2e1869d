/*
 * env.c - the machine, kernel, filesystem and clock a set of numbers
 * belongs to.  Results without this are not comparable across machines.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "core/internal.h"

/* Copy src into dst[len], truncating: these are descriptions, where a cut
 * name is better than none. */
static void copy(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Strip leading and trailing white space in place. */
static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == '\n' || e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

static void cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char line[512];

	copy(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!colon)
			continue;
		*colon = '\0';
		/* x86 says "model name"; several other architectures say
		 * "Processor" or "cpu model". */
		if (!strcmp(trim(line), "model name") || !strcmp(trim(line), "cpu model") ||
		    !strcmp(trim(line), "Processor")) {
			copy(buf, len, trim(colon + 1));
			break;
		}
	}
	fclose(f);
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] && s[3]) {
			*d++ = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
			s += 3;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

/* The mount holding path (device dev): among the mounts of that device, the
 * one with the longest mount point that is a prefix of path. */
static void mount_of(const char *path, dev_t dev, struct mmt_env *env)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	size_t best = 0;

	copy(env->fs_type, sizeof(env->fs_type), "unknown");
	copy(env->mount_point, sizeof(env->mount_point), "unknown");
	copy(env->mount_source, sizeof(env->mount_source), "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned maj, min;
		char mp[4096], type[256], source[4096];
		char *sep = strstr(line, " - ");
		size_t l;

		if (!sep || sscanf(line, "%*s %*s %u:%u %*s %4095s", &maj, &min, mp) != 3)
			continue;
		if (sscanf(sep + 3, "%255s %4095s", type, source) != 2)
			continue;
		if (makedev(maj, min) != dev)
			continue;
		unescape(mp);
		l = strlen(mp);
		if (strncmp(path, mp, l) || (l > 1 && path[l] != '/' && path[l] != '\0'))
			continue;
		if (l >= best) {
			best = l;
			copy(env->fs_type, sizeof(env->fs_type), type);
			copy(env->mount_point, sizeof(env->mount_point), mp);
			unescape(source);
			copy(env->mount_source, sizeof(env->mount_source), source);
		}
	}
	fclose(f);
}

/* See mmaptimer.h. */
int mmt_env_probe(const char *dir, struct mmt_env *env)
{
	struct utsname u;
	struct stat st;
	char real[PATH_MAX];

	memset(env, 0, sizeof(*env));
	if (!realpath(dir, real) || stat(real, &st))
		return -errno;
	copy(env->dir, sizeof(env->dir), real);
	if (uname(&u) == 0) {
		snprintf(env->kernel, sizeof(env->kernel), "%s %s %s", u.sysname, u.release, u.version);
		copy(env->machine, sizeof(env->machine), u.machine);
		copy(env->hostname, sizeof(env->hostname), u.nodename);
	} else {
		copy(env->kernel, sizeof(env->kernel), "unknown");
		copy(env->machine, sizeof(env->machine), "unknown");
		copy(env->hostname, sizeof(env->hostname), "unknown");
	}
	cpu_model(env->cpu_model, sizeof(env->cpu_model));
	env->cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
	env->page_size = sysconf(_SC_PAGESIZE);
	mount_of(real, st.st_dev, env);
	mmt_clock_info(&env->clock);
	{
		/* When the numbers were taken: a saved result is listed and
		 * compared by this, not by when it was saved or imported. */
		time_t now = time(NULL);
		struct tm tm;

		if (gmtime_r(&now, &tm))
			strftime(env->date, sizeof(env->date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	return 0;
}
