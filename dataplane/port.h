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

/*
 * Once a second, on the main lcore: a port whose receive buffers ran out
 * (rx_nombuf grew) or whose frames were missed (imissed grew: an AF_XDP
 * fill ring run dry) and that received nothing since is stalled: counted
 * in its rx_stalls, logged once, and again when it receives. No restart is
 * tried: net_af_xdp (DPDK 22.11) refills its fill queue only from packets
 * it received, and its stop/start only flip state flags, so a port whose
 * fill queue ran dry stays dry; only closing and probing it again (with
 * the workers stopped) would make a new socket. So it must not happen: the
 * mbuf pool is sized so that every ring can be full at once (main.c), and
 * every mbuf of it lies in the AF_XDP UMEM (dp_pool.h: the kernel drops a
 * fill entry outside it, which drained the lab's flooded port).
 */
void port_watch(struct dp *dp);

/* Stop and close every port. */
void port_fini_all(struct dp *dp);

/* The RSS key that makes Toeplitz hashing symmetric (0x6d5a repeated). */
extern const uint8_t port_rss_sym_key[40];

#endif /* CORDON_PORT_H */
