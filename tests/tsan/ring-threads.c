/*
 * ring-threads.c - the shared slot ring under ThreadSanitizer.  TSan does
 * not follow memory shared between processes, so this runs the very same
 * ring code (src/ipc/ring.c and the inline paths of ipc.h) with threads
 * as producer and consumers, in every waiting mode, and checks that every
 * record arrived exactly once.  Speaks TAP; `make check-tsan` runs it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ipc/ipc.h"

enum { MAXC = 4 };

struct shared {
	struct mmt__ring *ring;
	struct mmt__waiter w;
	struct mmt__ipc_tally tally[MAXC];
};

static int no_check(void *arg)
{
	(void)arg;
	return 0;
}

static struct shared sh;
static int slot_of[MAXC];

static void *consumer(void *arg)
{
	int i = *(int *)arg;
	struct mmt__ring_pos p = { 0, 0 };
	struct mmt_ipc_record rec;
	uint64_t last = 0;

	for (;;) {
		if (mmt__ring_get(sh.ring, &p, &rec, &sh.w))
			return (void *)1;
		mmt__ipc_tally_add(&sh.tally[i], &rec, &last);
		if (rec.status == MMT_IPC_TERM)
			return NULL;
	}
}

/* One exchange; returns a failure message or NULL. */
static const char *exchange(unsigned nc, uint32_t nslots, uint64_t n, enum mmt_ipc_wait mode)
{
	size_t len = mmt__ring_size(nslots);
	struct mmt__ring_pos p = { 0, 0 };
	struct mmt_ipc_record rec;
	pthread_t th[MAXC];
	uint64_t count = 0, mix = 0, want = 0;
	const char *why = NULL;

	sh.ring = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh.ring == MAP_FAILED)
		return "mmap failed";
	memset(sh.tally, 0, sizeof(sh.tally));
	sh.w = (struct mmt__waiter){ .mode = mode, .check = no_check };
	mmt__ring_init(sh.ring, nslots, nc);
	for (unsigned i = 0; i < nc; i++) {
		slot_of[i] = (int)i;
		pthread_create(&th[i], NULL, consumer, &slot_of[i]);
	}
	for (uint64_t s = 0; s < n; s++) {
		mmt__ipc_record_make(&rec, s);
		want += mmt__ipc_mix(s);
		mmt__ring_put(sh.ring, &p, &rec, MMT_IPC_FULL, &sh.w);
	}
	for (unsigned i = 0; i < nc; i++)
		mmt__ring_put(sh.ring, &p, &rec, MMT_IPC_TERM, &sh.w);
	for (unsigned i = 0; i < nc; i++) {
		void *rv;

		pthread_join(th[i], &rv);
		if (rv)
			why = "a consumer's wait failed";
		if (sh.tally[i].terms != 1 || sh.tally[i].bad || sh.tally[i].disorder)
			why = "a consumer saw a bad record, disorder or no TERM";
		count += sh.tally[i].count;
		mix += sh.tally[i].mixsum;
	}
	if (count != n || mix != want)
		why = "records lost or duplicated";
	munmap(sh.ring, len);
	return why;
}

int main(void)
{
	static const struct {
		unsigned nc;
		uint32_t nslots;
		uint64_t n;
		enum mmt_ipc_wait mode;
		const char *name;
	} cases[] = {
		{ 1, 8, 20000, MMT_IPC_WAIT_HYBRID, "one consumer, hybrid waiting" },
		{ 1, 2, 5000, MMT_IPC_WAIT_SLEEP, "one consumer, sleeping" },
		{ 1, 8, 5000, MMT_IPC_WAIT_SPIN, "one consumer, spinning" },
		{ 3, 4, 10000, MMT_IPC_WAIT_SLEEP, "three consumers, sleeping" },
		{ 4, 16, 10000, MMT_IPC_WAIT_HYBRID, "four consumers, hybrid waiting" },
	};
	int failed = 0;

	printf("1..%zu\n", sizeof(cases) / sizeof(cases[0]));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = exchange(cases[i].nc, cases[i].nslots, cases[i].n, cases[i].mode);

		printf("%sok %zu - ring under ThreadSanitizer: %s%s%s\n", why ? "not " : "", i + 1,
		       cases[i].name, why ? ": " : "", why ? why : "");
		failed |= why != NULL;
	}
	return failed;
}
