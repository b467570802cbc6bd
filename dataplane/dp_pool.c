/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The mbuf pool, see dp_pool.h.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mbuf_pool_ops.h>
#include <rte_memory.h>

#include "dp_pool.h"
#include "util_mem.h"

void
dp_pool_umem_window(const struct rte_mempool *mp, uintptr_t *base,
		    uint64_t *len)
{
	const struct rte_mempool_memhdr *m = STAILQ_FIRST(&mp->mem_list);
	const uintptr_t pg = (uintptr_t)getpagesize();
	uintptr_t a;

	*base = 0;
	*len = 0;
	if (m == NULL)
		return;
	/* As net_af_xdp's get_base_addr() and xdp_umem_configure(). */
	a = (uintptr_t)m->addr;
	*base = a & ~(pg - 1);
	*len = (uint64_t)mp->populated_size *
		rte_mempool_calc_obj_size(mp->elt_size, mp->flags, NULL) +
		(a - *base);
}

struct dp_pool_walk {
	uintptr_t base;
	uint64_t len;
	uint32_t frame;		/* the UMEM's chunk: header, object, trailer */
	uint32_t outside;
};

/* A fill-ring address is the object's header, relative to the base; the
 * kernel takes it if a whole chunk from there lies in the UMEM. */
static bool
dp_pool_in_window(const struct rte_mempool *mp, const struct dp_pool_walk *w,
		  const void *obj)
{
	const uintptr_t hdr = (uintptr_t)obj - mp->header_size;

	return hdr >= w->base && hdr - w->base + w->frame <= w->len;
}

static void
dp_pool_walk_init(struct rte_mempool *mp, struct dp_pool_walk *w)
{
	memset(w, 0, sizeof(*w));
	dp_pool_umem_window(mp, &w->base, &w->len);
	w->frame = rte_mempool_calc_obj_size(mp->elt_size, mp->flags, NULL);
}

static void
dp_pool_count_cb(struct rte_mempool *mp, void *arg, void *obj,
		 unsigned int idx)
{
	struct dp_pool_walk *w = arg;

	(void)idx;
	if (!dp_pool_in_window(mp, w, obj))
		w->outside++;
}

uint32_t
dp_pool_count_outside(const struct rte_mempool *mp)
{
	struct rte_mempool *m = (struct rte_mempool *)(uintptr_t)mp;
	struct dp_pool_walk w;

	dp_pool_walk_init(m, &w);
	rte_mempool_obj_iter(m, dp_pool_count_cb, &w);
	return w.outside;
}

/* Take every object out, put back those in the window: the others stay
 * in p->aside until dp_pool_free(). Only at start, before any port. */
static int
dp_pool_set_aside(struct dp_pool *p)
{
	struct rte_mempool *mp = p->mp;
	const uint32_t n = rte_mempool_avail_count(mp);
	struct dp_pool_walk w;
	uint32_t in = 0, out = 0;
	void **objs;
	int rc;

	objs = malloc((size_t)n * sizeof(*objs));
	p->aside = malloc((size_t)p->outside * sizeof(*p->aside));
	if (objs == NULL || p->aside == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	/* No cache: straight from the pool's ring, all of it. */
	rc = rte_mempool_generic_get(mp, objs, n, NULL);
	if (rc < 0)
		goto out;
	dp_pool_walk_init(mp, &w);
	for (uint32_t i = 0; i < n; i++) {
		if (dp_pool_in_window(mp, &w, objs[i]))
			objs[in++] = objs[i];
		else if (out < p->outside)
			p->aside[out++] = objs[i];
		else
			objs[in++] = objs[i];	/* cannot be: counted */
	}
	rte_mempool_generic_put(mp, objs, in, NULL);
	p->outside = out;
	rc = 0;
out:
	free(objs);
	if (rc < 0) {
		free(p->aside);
		p->aside = NULL;
	}
	return rc;
}

/* The mapping of an own-memory pool, undone when the pool is freed. */
static void
dp_pool_map_free(struct rte_mempool_memhdr *memhdr, void *opaque)
{
	util_mem_huge_unmap(memhdr->addr, (size_t)(uintptr_t)opaque);
}

/*
 * Without hugepages, the EAL's memory is a shared memfd of 4 KiB pages,
 * mapped where no 2 MiB page fits its offsets: no transparent huge pages
 * even with shmem_enabled=always. Every packet touches an mbuf's header
 * and data, and a pool of 65,536 mbufs spans 155 MB: 38,000 pages,
 * twenty times what a core's TLB holds. So the pool gets a mapping of its
 * own on huge pages (util_mem.h, as the flow table), the objects packed
 * in that one chunk. The vdevs need no IOVA: it is the address in
 * IOVA-as-VA mode, else none. The EAL's -m stays the budget, as when the
 * pool lived in it: a pool larger than that is refused (-ENOMEM), not
 * faulted in until the kernel kills the process.
 */
static int
dp_pool_populate_own(struct rte_mempool *mp)
{
	const size_t obj = rte_mempool_calc_obj_size(mp->elt_size, mp->flags,
						     NULL);
	const size_t len = RTE_ALIGN_CEIL((size_t)mp->size * obj +
					  RTE_MEMPOOL_ALIGN, UTIL_MEM_HUGE);
	rte_iova_t iova;
	void *p;
	int rc;

	if (len > rte_eal_get_physmem_size())
		return -ENOMEM;
	p = util_mem_huge_map(len);
	if (p == NULL)
		return -errno;
	iova = rte_eal_iova_mode() == RTE_IOVA_VA ?
		(rte_iova_t)(uintptr_t)p : RTE_BAD_IOVA;
	rc = rte_mempool_populate_iova(mp, p, iova, len, dp_pool_map_free,
				       (void *)(uintptr_t)len);
	if (rc < 0) {
		util_mem_huge_unmap(p, len);
		return rc;
	}
	/* The mempool owns the mapping now: freed with it. */
	return (unsigned int)rc == mp->size ? 0 : -ENOMEM;
}

int
dp_pool_create(struct dp_pool *p, const char *name, uint32_t n,
	       uint32_t cache, uint16_t data_room, int socket, bool umem)
{
	struct rte_pktmbuf_pool_private priv = {
		.mbuf_data_room_size = data_room,
	};
	/* No hugepages: no device DMA either (IOVA as VA, vdevs), and an
	 * object per 4 KiB page would outgrow the UMEM (dp_pool.h). */
	const unsigned int flags = rte_eal_has_hugepages() ? 0 :
		RTE_MEMPOOL_F_NO_IOVA_CONTIG;
	struct rte_mempool *mp;
	bool own_map = false;
	int rc;

	memset(p, 0, sizeof(*p));
	mp = rte_mempool_create_empty(name, n, sizeof(struct rte_mbuf) +
				      data_room, cache, sizeof(priv), socket,
				      flags);
	if (mp == NULL)
		return rte_errno ? -rte_errno : -ENOMEM;
	rc = rte_mempool_set_ops_byname(mp, rte_mbuf_best_mempool_ops(),
					NULL);
	if (rc != 0)
		goto fail;
	rte_pktmbuf_pool_init(mp, &priv);
	if (rte_eal_has_hugepages()) {
		rc = rte_mempool_populate_default(mp);
	} else {
		rc = dp_pool_populate_own(mp);
		own_map = true;
	}
	if (rc < 0)
		goto fail;
	rte_mempool_obj_iter(mp, rte_pktmbuf_init, NULL);
	rc = dp_pool_adopt(p, mp, umem);
	if (rc < 0)
		goto fail;
	p->own_map = own_map;
	return 0;
fail:
	rte_mempool_free(mp);
	memset(p, 0, sizeof(*p));
	return rc < 0 ? rc : -ENOMEM;
}

int
dp_pool_adopt(struct dp_pool *p, struct rte_mempool *mp, bool umem)
{
	int rc;

	memset(p, 0, sizeof(*p));
	p->mp = mp;
	p->n = mp->populated_size;
	p->chunks = mp->nb_mem_chunks;
	p->packed = (mp->flags & RTE_MEMPOOL_F_NO_IOVA_CONTIG) != 0;
	p->umem = umem;
	p->outside = dp_pool_count_outside(mp);
	if (umem && p->outside > 0) {
		rc = dp_pool_set_aside(p);
		if (rc < 0) {
			memset(p, 0, sizeof(*p));
			return rc;
		}
	}
	return 0;
}

void
dp_pool_free(struct dp_pool *p)
{
	if (p->mp == NULL)
		return;
	if (p->aside != NULL)
		rte_mempool_generic_put(p->mp, p->aside, p->outside, NULL);
	free(p->aside);
	rte_mempool_free(p->mp);
	memset(p, 0, sizeof(*p));
}
