/*
 * size.c - byte counts and chunk lists as people write them ("10M",
 * "4KiB", "1:1M", "1:10M:x8") and as people read them ("8 KiB", "25.1 ms").
 * All suffixes are 1024-based.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/internal.h"

#define SIZE_LIMIT ((uint64_t)INT64_MAX)

static const struct {
	const char *suffix;
	unsigned shift;
} suffixes[] = {
	{ "", 0 }, { "b", 0 },
	{ "k", 10 }, { "kib", 10 },
	{ "m", 20 }, { "mib", 20 },
	{ "g", 30 }, { "gib", 30 },
	{ "t", 40 }, { "tib", 40 },
};

/* Parse the size in s[0..len) (not NUL-terminated). */
static int parse_size_n(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;

	if (len == 0 || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	for (; i < len && isdigit((unsigned char)s[i]); i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (v > (SIZE_LIMIT - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	for (size_t k = 0; k < MMT_ARRAY_SIZE(suffixes); k++) {
		size_t sl = strlen(suffixes[k].suffix);

		if (sl != len - i || strncasecmp(s + i, suffixes[k].suffix, sl))
			continue;
		if (v > (SIZE_LIMIT >> suffixes[k].shift))
			return -ERANGE;
		v <<= suffixes[k].shift;
		if (v == 0)
			return -EINVAL;
		*out = v;
		return 0;
	}
	return -EINVAL;
}

/* See mmaptimer.h. */
int mmt_parse_size(const char *s, uint64_t *out)
{
	return parse_size_n(s, strlen(s), out);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Sort v[0..*n) and drop duplicates. */
static void compact(uint64_t *v, size_t *n)
{
	size_t k = 0;

	qsort(v, *n, sizeof(*v), cmp_u64);
	for (size_t i = 0; i < *n; i++)
		if (k == 0 || v[k - 1] != v[i])
			v[k++] = v[i];
	*n = k;
}

/* Append x.  Duplicates are dropped by sorting when the array is full
 * rather than by a scan per item, so a long list costs n log n, not n^2;
 * and the array never grows past twice MMT_MAX_CHUNKS, however long the
 * list.  (Fuzzing found the scan: a 130 KiB list of 4096 sizes and then
 * repeats took 50 ms, and long lists held the fuzzer to 330 inputs/s.) */
static int push(uint64_t **v, size_t *n, size_t *cap, uint64_t x)
{
	if (*n == *cap && *cap >= 2 * MMT_MAX_CHUNKS) {
		compact(*v, n);
		if (*n > MMT_MAX_CHUNKS)
			return -ERANGE;
	}
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		uint64_t *nv = realloc(*v, nc * sizeof(**v));

		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = x;
	return 0;
}

/* One item of a chunk list: "A", "A:B" or "A:B:xF". */
static int parse_item(const char *s, size_t len, uint64_t **v, size_t *n, size_t *cap)
{
	const char *c1 = memchr(s, ':', len), *c2;
	uint64_t a, b, f = 2;
	int rc;

	if (!c1) {
		if ((rc = parse_size_n(s, len, &a)))
			return rc;
		return push(v, n, cap, a);
	}
	if ((rc = parse_size_n(s, (size_t)(c1 - s), &a)))
		return rc;
	c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - s));
	if ((rc = parse_size_n(c1 + 1, (size_t)((c2 ? c2 : s + len) - c1 - 1), &b)))
		return rc;
	if (c2) {
		const char *fs = c2 + 1;
		size_t fl = len - (size_t)(fs - s);

		if (fl < 2 || (fs[0] != 'x' && fs[0] != 'X'))
			return -EINVAL;
		for (size_t i = 1; i < fl; i++)
			if (!isdigit((unsigned char)fs[i]))
				return -EINVAL;
		if (fl > 10)
			return -ERANGE;
		f = strtoull(fs + 1, NULL, 10);
		if (f < 2)
			return -EINVAL;
	}
	if (a > b)
		return -EINVAL;
	for (uint64_t x = a;; x *= f) {
		if ((rc = push(v, n, cap, x)))
			return rc;
		if (x > b / f)
			break;
	}
	return 0;
}

/* See mmaptimer.h. */
int mmt_parse_chunks(const char *s, uint64_t **out, size_t *n)
{
	uint64_t *v = NULL;
	size_t cnt = 0, cap = 0;
	const char *p = s;

	for (;;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		int rc = parse_item(p, len, &v, &cnt, &cap);

		if (rc) {
			free(v);
			return rc;
		}
		if (!e)
			break;
		p = e + 1;
	}
	/* Ascending: tables, verdicts and crossovers read along the sizes. */
	compact(v, &cnt);
	if (cnt > MMT_MAX_CHUNKS) {
		free(v);
		return -ERANGE;
	}
	*out = v;
	*n = cnt;
	return 0;
}

/* See mmaptimer.h.  Exact multiples print without decimals ("8 KiB");
 * others with three significant digits ("1.50 MiB"), the digits chosen
 * after rounding so that 10239 bytes is "10.0 KiB" and 1048575 is
 * "1.00 MiB", never "10.00 KiB" or "1024 KiB". */
char *mmt_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned u = 0;
	double v;

	while (u + 1 < MMT_ARRAY_SIZE(units) && bytes >= ((uint64_t)1 << (10 * (u + 1))))
		u++;
	if (u == 0 || bytes % ((uint64_t)1 << (10 * u)) == 0) {
		snprintf(buf, len, "%llu %s", (unsigned long long)(bytes >> (10 * u)), units[u]);
		return buf;
	}
	v = (double)bytes / (double)((uint64_t)1 << (10 * u));
	if (v >= 1023.5 && u + 1 < MMT_ARRAY_SIZE(units)) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.*f %s", v < 9.995 ? 2 : v < 99.95 ? 1 : 0, v, units[u]);
	return buf;
}

/* See mmaptimer.h. */
char *mmt_format_time(double s, char *buf, size_t len)
{
	static const struct { double scale; const char *unit; } u[] = {
		{ 1, "s" }, { 1e-3, "ms" }, { 1e-6, "us" }, { 1e-9, "ns" },
	};
	size_t i = 0;

	while (i + 1 < MMT_ARRAY_SIZE(u) && s < u[i].scale * 0.9995)
		i++;
	double v = s / u[i].scale;

	snprintf(buf, len, "%.*f %s", v < 9.995 ? 2 : v < 99.95 ? 1 : 0, v, u[i].unit);
	return buf;
}
