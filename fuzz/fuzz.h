/*
 * fuzz.h - the fuzz targets.  Each takes any bytes, feeds them to one of
 * the tool's parsers and aborts when an invariant of the result breaks.
 * libFuzzer builds (make fuzz) wrap one target each; the replay driver
 * (replay.c, run by make check) calls them all from one table.
 */
#ifndef MMT_FUZZ_H
#define MMT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* A NUL-terminated, malloc'd copy of data[0..size) (aborts when out of
 * memory: a fuzz input is small). */
char *fuzz_cstr(const uint8_t *data, size_t size);

/* An invariant that must hold whatever the input. */
#define FUZZ_ASSERT(expr)                                                        \
	do {                                                                     \
		if (!(expr)) {                                                   \
			fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n",    \
				__FILE__, __LINE__, #expr);                      \
			abort();                                                 \
		}                                                                \
	} while (0)

/* The targets; each returns 0. */
int fuzz_size(const uint8_t *data, size_t size);
int fuzz_chunks(const uint8_t *data, size_t size);
int fuzz_values(const uint8_t *data, size_t size);
int fuzz_argv(const uint8_t *data, size_t size);
int fuzz_import(const uint8_t *data, size_t size);

/* In a libFuzzer build (-DMMT_LIBFUZZER), the entry point of target fn. */
#ifdef MMT_LIBFUZZER
#define FUZZ_ENTRY(fn)                                                          \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);           \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)            \
	{                                                                       \
		return fn(data, size);                                          \
	}
#else
#define FUZZ_ENTRY(fn)
#endif

#endif
