/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The end of a helper thread that sleeps on a condition variable (the
 * console's history sampler, cordond's backups): its stop flag is set
 * under its lock, it is woken, and joined.
 */

#ifndef CORDON_UTIL_THREAD_H
#define CORDON_UTIL_THREAD_H

#include <pthread.h>
#include <stdbool.h>

/*
 * Set *stop under lock, signal cond and join thread, which must see *stop
 * (read under lock) whenever it wakes and return.
 */
void util_thread_stop(pthread_t thread, pthread_mutex_t *lock,
		      pthread_cond_t *cond, bool *stop);

#endif /* CORDON_UTIL_THREAD_H */
