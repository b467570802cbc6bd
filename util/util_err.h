/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Error messages into a caller's buffer. Every module that reports why it
 * failed takes (char *err, size_t errlen); this is the one formatter they
 * share. Truncation is fine: a message is best effort, the errno is not.
 */

#ifndef CORDON_UTIL_ERR_H
#define CORDON_UTIL_ERR_H

#include <stdarg.h>
#include <stddef.h>

/* Format into err; nothing when err is NULL or errlen is 0. */
void util_err_set(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void util_err_vset(char *err, size_t errlen, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

#endif /* CORDON_UTIL_ERR_H */
