/*
 * report.h - what the reporters share.
 */
#ifndef MMT_REPORT_H
#define MMT_REPORT_H

#include <errno.h>

#include "core/internal.h"

extern const struct mmt_reporter mmt__report_table;
extern const struct mmt_reporter mmt__report_csv;
extern const struct mmt_reporter mmt__report_json;

/* Names of option values, as the command line spells them. */
const char *mmt__sync_name(enum mmt_sync s);
const char *mmt__advice_name(enum mmt_advice advice);

/* JSON pieces shared with the ipc document (json.c): a string literal,
 * a number (null when not finite), and the "env" member with its comma. */
void mmt__json_str(FILE *out, const char *s);
void mmt__json_num(FILE *out, double v);
void mmt__json_env(FILE *out, const struct mmt_env *e);

/* 0 if everything written to out so far went through, -EIO otherwise. */
int mmt__report_status(FILE *out);

#endif
