/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The mbuf pool, made so that AF_XDP ports keep every buffer they are
 * given.
 *
 * DPDK 22.11's net_af_xdp registers the pool's memory as the socket's
 * UMEM: from the page of its first memory chunk, populated_size objects
 * of rte_mempool_calc_obj_size() bytes long (its xdp_umem_configure()).
 * It assumes the objects are packed in one chunk. Without hugepages they
 * are not: an object may not cross a 4 KiB page, so each 2,368-byte mbuf
 * takes a page of its own and the pool spans 1.7 times the UMEM. The
 * kernel refuses a fill-ring entry outside the UMEM and drops it without
 * a word (its invalid_descs): the buffer is gone from the ring and from
 * the pool. A port that receives enough (a flood draws the pool deep)
 * loses every fill entry and receives nothing ever after, its packets
 * counted as missed (issue 13's release flake: the laptop's port went
 * deaf after three SYN floods). A transmit from such an mbuf is refused
 * the same way.
 *
 * So: without hugepages, the objects are packed (no IOVA contiguity is
 * asked: the vdevs copy or map by virtual address); and with AF_XDP ports,
 * any object the UMEM window still does not cover (hugepage boundaries,
 * a pool in several chunks) is taken out of circulation at start, counted
 * and said, and given back at dp_pool_free().
 *
 * Without hugepages the pool is also not in the EAL's memory, a shared
 * memfd of 4 KiB pages, but in a private mapping of its own, 2 MiB
 * aligned and advised for transparent huge pages: one chunk, and a TLB
 * entry per 2 MiB instead of per 4 KiB (docs/perf.md, the thirteenth
 * round: 7 % more packets a second through bench_peers' mix). The EAL's
 * -m still bounds it, as when the pool lived there.
 */

#ifndef CORDON_DP_POOL_H
#define CORDON_DP_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mempool.h>

struct dp_pool {
	struct rte_mempool *mp;
	uint32_t n;		/* objects made */
	uint32_t chunks;	/* memory chunks they lie in */
	uint32_t outside;	/* outside the UMEM window */
	bool packed;		/* made without IOVA contiguity */
	bool own_map;		/* in its own THP-advised mapping */
	bool umem;		/* the window was enforced */
	void **aside;		/* the outside objects, out of circulation */
};

/*
 * Make a pktmbuf pool of n mbufs of data_room bytes (RTE_MBUF_DEFAULT_
 * BUF_SIZE for the usual), a per-lcore cache of cache. With umem, take
 * the objects an AF_XDP UMEM would not cover out of circulation. Returns
 * 0 or a negative errno (rte_errno's).
 */
int dp_pool_create(struct dp_pool *p, const char *name, uint32_t n,
		   uint32_t cache, uint16_t data_room, int socket, bool umem);

/* The same rules for a pool made elsewhere, full and unused: p owns it
 * from now on. 0 or -ENOMEM (p is then cleared, mp left as it was). */
int dp_pool_adopt(struct dp_pool *p, struct rte_mempool *mp, bool umem);

/* Give the set-aside objects back and free the pool. */
void dp_pool_free(struct dp_pool *p);

/* The UMEM net_af_xdp registers over mp: its base and length. */
void dp_pool_umem_window(const struct rte_mempool *mp, uintptr_t *base,
			 uint64_t *len);

/* Objects of mp outside that window (the kernel would refuse them). */
uint32_t dp_pool_count_outside(const struct rte_mempool *mp);

#endif /* CORDON_DP_POOL_H */
