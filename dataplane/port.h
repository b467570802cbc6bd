/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#ifndef CORDON_PORT_H
#define CORDON_PORT_H

#include "dp.h"

/*
 * Configure and start every probed port with one RX queue per worker (as
 * many as the device allows) and RSS over them using a symmetric key, so
 * that both directions of a flow reach the same worker. Fills dp->ports and
 * dp->hot.port_index. Returns 0 or a negative errno, with a log line.
 */
int port_init_all(struct dp *dp);

/* Stop and close every port. */
void port_fini_all(struct dp *dp);

/* The RSS key that makes Toeplitz hashing symmetric (0x6d5a repeated). */
extern const uint8_t port_rss_sym_key[40];

#endif /* CORDON_PORT_H */
