/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The wall clock in milliseconds since the epoch: what the store, the
 * events, the history and the console stamp. It steps with the clock;
 * measure intervals with CLOCK_MONOTONIC instead.
 */

#ifndef CORDON_UTIL_TIME_H
#define CORDON_UTIL_TIME_H

#include <stdint.h>

uint64_t util_time_now_ms(void);

#endif /* CORDON_UTIL_TIME_H */
