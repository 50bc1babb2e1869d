/*
 * error.c - error codes to text.  The library reports failures as negative
 * errno values or MMT_E* codes and a one-line message in struct mmt_error;
 * it never prints.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/internal.h"

/* Text for err: ours for MMT_E*, strerror() for errno values. */
const char *mmt_strerror(int err)
{
	switch (err) {
	case 0: return "Success";
	case MMT_EVERIFY: return "verification failed: the file differs from the data written";
	case MMT_EUNAVAIL: return "method not available here";
	case MMT_ESIGBUS: return "bus error (SIGBUS) in a mapping: the file shrank or the disk is full";
	case MMT_ESHRUNK: return "the file shrank while it was being read";
	case MMT_ECHECKSUM: return "the data read differs from the file's (checksum mismatch)";
	case MMT_EINTERRUPTED: return "interrupted";
	case MMT_ESTALLED: return "an asynchronous I/O request never completed (the kernel lost it)";
	case MMT_EDBDAMAGED: return "the database is damaged or not an SQLite database";
	case MMT_EDBFOREIGN: return "an SQLite database of another program, not mmaptimer's";
	case MMT_EDBNEWER: return "a database of a newer mmaptimer";
	case MMT_EJSONFOREIGN: return "not an mmaptimer result";
	case MMT_EJSONNEWER: return "a result of a newer schema than this mmaptimer reads";
	case MMT_ENOTSAVED: return "no saved result with that id";
	case MMT_EOPMISMATCH: return "the results measured different things";
	case MMT_EPEERDIED: return "a peer process died during the run";
	}
	if (err < 0 && err > -4096)
		return strerror(-err);
	return "unknown error";
}

/* Fill err (may be NULL) with code and a formatted message; returns code. */
int mmt__error_set(struct mmt_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}
