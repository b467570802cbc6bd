/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#ifndef CORDON_WORKER_H
#define CORDON_WORKER_H

#include "dp.h"

/*
 * Create one worker per worker lcore and give each its RX queues: worker w
 * polls queue w of every port that has more than w queues, and transmits on
 * queue (w mod nb_txq) of every port.
 */
int worker_setup_all(struct dp *dp);

/*
 * After the ports are up: decide whether flows must be steered to workers
 * in software, and make the rings if so.
 */
int worker_setup_steering(struct dp *dp);
/* After the workers stopped: count and free what is left in flight. */
void worker_drain_all(struct dp *dp);
void worker_free_all(struct dp *dp);

/* Main lcore, before the workers start: give worker wk its side of
 * detection (detector.c made it). */
void worker_det_attach(struct dp_worker *wk, struct dp_worker_det *d);

/* lcore entry point; arg is the struct dp_worker. */
int worker_main(void *arg);

#endif /* CORDON_WORKER_H */
