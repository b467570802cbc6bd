/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * dp_pool: every mbuf an AF_XDP port can be handed lies in the UMEM that
 * DPDK 22.11's net_af_xdp registers over the pool (populated_size objects
 * of rte_mempool_calc_obj_size() bytes from the first chunk's page), so
 * the kernel never drops a fill-ring entry as invalid (issue 13's release
 * flake). The window is computed here again, apart from dp_pool.c, from
 * what the PMD does. EAL without hugepages, as the lab runs.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <rte_mbuf.h>
#include <rte_memory.h>
#include <rte_mempool.h>

#include "dp_pool.h"
#include "util_mem.h"
#include "test_eal.h"
#include "test_smaps.h"

#define N_MBUFS 8192

/* net_af_xdp's xdp_umem_configure(), restated. */
static void
umem_of(const struct rte_mempool *mp, uintptr_t *base, uint64_t *len,
	uint32_t *frame)
{
	const struct rte_mempool_memhdr *m = STAILQ_FIRST(&mp->mem_list);
	uintptr_t a = (uintptr_t)m->addr;

	*base = a & ~((uintptr_t)getpagesize() - 1);
	*frame = rte_mempool_calc_obj_size(mp->elt_size, mp->flags, NULL);
	*len = (uint64_t)mp->populated_size * *frame + (a - *base);
}

/* The kernel's test of a fill-ring address (xp_check_unaligned()). */
static bool
umem_takes(const struct rte_mempool *mp, const void *obj)
{
	uintptr_t base, hdr = (uintptr_t)obj - mp->header_size;
	uint64_t len;
	uint32_t frame;

	umem_of(mp, &base, &len, &frame);
	return hdr >= base && hdr - base + frame <= len;
}

/* Every mbuf the pool gives (as the PMD's fill would take them): how
 * many the kernel would refuse. Puts them back. */
static uint32_t
refused_of_all(struct rte_mempool *mp, uint32_t *given)
{
	uint32_t n = rte_mempool_avail_count(mp), bad = 0;
	struct rte_mbuf **m = calloc(n, sizeof(*m));

	assert_non_null(m);
	assert_int_equal(rte_pktmbuf_alloc_bulk(mp, m, n), 0);
	for (uint32_t i = 0; i < n; i++)
		bad += !umem_takes(mp, m[i]);
	for (uint32_t i = 0; i < n; i++)
		rte_pktmbuf_free(m[i]);
	free(m);
	*given = n;
	return bad;
}

/* The hazard: DPDK's own pool, no hugepages, an object per page. If this
 * ever passes, the EAL packs pools by itself and dp_pool's work is moot;
 * then the test says so instead of testing nothing. */
static void
test_plain_pool_outgrows_umem(void **state)
{
	struct rte_mempool *mp;
	uint32_t given, bad;

	(void)state;
	mp = rte_pktmbuf_pool_create("tpool_plain", N_MBUFS, 0, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(mp);
	bad = refused_of_all(mp, &given);
	print_message("DPDK's pool: %u of %u mbufs outside the UMEM window "
		      "(%u chunks)\n", bad, given, mp->nb_mem_chunks);
	assert_int_equal(dp_pool_count_outside(mp), bad);
	assert_true(bad > 0);
	rte_mempool_free(mp);
}

/* dp_pool's own: packed, every mbuf in the window, none set aside. */
static void
test_pool_fits_umem(void **state)
{
	struct dp_pool p;
	uint32_t given, bad;

	(void)state;
	assert_int_equal(dp_pool_create(&p, "tpool_own", N_MBUFS, 256,
					RTE_MBUF_DEFAULT_BUF_SIZE,
					SOCKET_ID_ANY, true), 0);
	assert_true(p.packed);
	assert_int_equal(p.n, N_MBUFS);
	assert_int_equal(p.outside, 0);
	bad = refused_of_all(p.mp, &given);
	print_message("dp_pool: %u of %u mbufs outside the UMEM window "
		      "(%u chunks)\n", bad, given, p.chunks);
	assert_int_equal(given, N_MBUFS);
	assert_int_equal(bad, 0);
	/* still an mbuf pool: data room as asked */
	assert_int_equal(rte_pktmbuf_data_room_size(p.mp),
			 RTE_MBUF_DEFAULT_BUF_SIZE);
	dp_pool_free(&p);
	assert_null(p.mp);
}

/* Without hugepages: one chunk, in a 2 MiB aligned mapping of its own
 * that the kernel was asked to back with transparent huge pages. */
static void
test_pool_own_mapping(void **state)
{
	const struct rte_mempool_memhdr *m;
	struct dp_pool p;
	char flags[512];
	void *addr;

	(void)state;
	assert_false(rte_eal_has_hugepages());
	assert_int_equal(dp_pool_create(&p, "tpool_map", N_MBUFS, 256,
					RTE_MBUF_DEFAULT_BUF_SIZE,
					SOCKET_ID_ANY, false), 0);
	assert_true(p.own_map);
	assert_int_equal(p.chunks, 1);
	m = STAILQ_FIRST(&p.mp->mem_list);
	assert_non_null(m);
	assert_int_equal((uintptr_t)m->addr % UTIL_MEM_HUGE, 0);
	assert_true(m->len >= (size_t)N_MBUFS *
		    rte_mempool_calc_obj_size(p.mp->elt_size, p.mp->flags,
					      NULL));
	/* Not in the EAL's memory: its own private mapping. */
	assert_null(rte_mem_virt2memseg_list(m->addr));
	assert_int_equal(test_vm_flags(m->addr, flags, sizeof(flags)), 0);
	print_message("dp_pool's mapping: %zu MiB, VmFlags:%s", m->len >> 20,
		      flags);
	assert_non_null(strstr(flags, " hg"));
	/* and an mbuf pool like any other */
	struct rte_mbuf *mb = rte_pktmbuf_alloc(p.mp);

	assert_non_null(mb);
	assert_ptr_equal(mb->pool, p.mp);
	memset(rte_pktmbuf_append(mb, 1500), 0xa5, 1500);
	rte_pktmbuf_free(mb);
	addr = m->addr;
	dp_pool_free(&p);
	/* freed with the pool: the mapping is gone */
	assert_int_equal(test_vm_flags(addr, flags, sizeof(flags)), -1);
}

/* The EAL's -m (512 MB here) is still the budget: a pool beyond it is
 * refused at once, nothing left behind. */
static void
test_pool_over_budget(void **state)
{
	/* an mbuf's object is over 2 KiB: n of them are over -m */
	const uint32_t n = (uint32_t)(rte_eal_get_physmem_size() / 2048);
	struct dp_pool p;

	(void)state;
	assert_int_equal(dp_pool_create(&p, "tpool_big", n, 256,
					RTE_MBUF_DEFAULT_BUF_SIZE,
					SOCKET_ID_ANY, false), -ENOMEM);
	assert_null(p.mp);
	assert_null(rte_mempool_lookup("tpool_big"));
	/* and the name is free again: a pool that fits takes it */
	assert_int_equal(dp_pool_create(&p, "tpool_big", N_MBUFS, 256,
					RTE_MBUF_DEFAULT_BUF_SIZE,
					SOCKET_ID_ANY, false), 0);
	dp_pool_free(&p);
}

/* A pool the window does not cover (DPDK's layout): adopted, the outside
 * mbufs are never given out, and the count says how many. */
static void
test_adopt_sets_aside(void **state)
{
	struct rte_mempool *mp;
	struct dp_pool p;
	uint32_t given, bad, outside;

	(void)state;
	mp = rte_pktmbuf_pool_create("tpool_adopt", N_MBUFS, 64, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(mp);
	outside = dp_pool_count_outside(mp);
	assert_true(outside > 0);
	assert_int_equal(dp_pool_adopt(&p, mp, true), 0);
	assert_int_equal(p.outside, outside);
	assert_int_equal(rte_mempool_avail_count(mp), N_MBUFS - outside);
	bad = refused_of_all(mp, &given);
	print_message("adopted: %u set aside, %u of %u given refused\n",
		      outside, bad, given);
	assert_int_equal(given, N_MBUFS - outside);
	assert_int_equal(bad, 0);
	dp_pool_free(&p);
}

/* Without AF_XDP ports nothing is set aside: counted only. */
static void
test_adopt_without_umem(void **state)
{
	struct rte_mempool *mp;
	struct dp_pool p;

	(void)state;
	mp = rte_pktmbuf_pool_create("tpool_noumem", N_MBUFS, 0, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	assert_non_null(mp);
	assert_int_equal(dp_pool_adopt(&p, mp, false), 0);
	assert_true(p.outside > 0);
	assert_null(p.aside);
	assert_int_equal(rte_mempool_avail_count(mp), N_MBUFS);
	dp_pool_free(&p);
}

TEST_EAL_MAIN("tpool",
	cmocka_unit_test(test_plain_pool_outgrows_umem),
	cmocka_unit_test(test_pool_fits_umem),
	cmocka_unit_test(test_pool_own_mapping),
	cmocka_unit_test(test_pool_over_budget),
	cmocka_unit_test(test_adopt_sets_aside),
	cmocka_unit_test(test_adopt_without_umem))
