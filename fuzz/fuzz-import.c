/*
 * fuzz-import.c - mmt_load_json() (what report, compare and import read)
 * on any bytes: 0 with a result every reporter can render, that compares
 * with itself point for point; or MMT_EJSONFOREIGN, MMT_EJSONNEWER,
 * -ENOMEM with nothing left allocated (a leak fails under LeakSanitizer).
 */
#include <errno.h>
#include <string.h>

#include "mmaptimer.h"
#include "fuzz.h"

/* See fuzz.h. */
int fuzz_import(const uint8_t *data, size_t size)
{
	struct mmt_loaded l;
	struct mmt_error err = { 0 };
	int rc = mmt_load_json((const char *)data, size, &l, &err);

	FUZZ_ASSERT(rc == 0 || rc == MMT_EJSONFOREIGN || rc == MMT_EJSONNEWER || rc == -ENOMEM);
	if (rc) {
		FUZZ_ASSERT(err.msg[0] != '\0');
		return 0;
	}
	FUZZ_ASSERT(l.job.nchunks >= 1 && l.job.nmethods >= 1);
	FUZZ_ASSERT(l.res.npoints == l.job.nchunks * l.job.nmethods);
	for (size_t i = 0; i < l.job.nchunks; i++)
		FUZZ_ASSERT(l.job.chunks[i] >= 1);
	{
		FILE *out = fopen("/dev/null", "w");
		char line[512];

		FUZZ_ASSERT(out);
		for (size_t i = 0; mmt_reporters[i]; i++) {
			l.rep.phases = !l.rep.phases;
			mmt_reporters[i]->render(out, &l.rep);
		}
		fclose(out);
		mmt_verdict_line(&l.res, line, sizeof(line));
		FUZZ_ASSERT(memchr(line, '\0', sizeof(line)));
	}
	{
		struct mmt_cmp_row *rows = NULL;
		size_t n = 0;
		char line[512];

		FUZZ_ASSERT(mmt_compare(&l, &l, &rows, &n, &err) == 0);
		FUZZ_ASSERT(n == l.res.npoints);
		mmt_compare_verdict(rows, n, l.job.op, line, sizeof(line));
		free(rows);
	}
	mmt_loaded_free(&l);
	return 0;
}

FUZZ_ENTRY(fuzz_import)
