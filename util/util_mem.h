/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Big tables on transparent huge pages.
 *
 * A private anonymous mapping of at least size bytes: from UTIL_MEM_HUGE
 * up, 2 MiB aligned and advised with MADV_HUGEPAGE, so that the TLB holds
 * an entry per 2 MiB of it rather than per 4 KiB; and faulted in at once,
 * because page faults belong at start-up, not on a fast path, and the
 * resident size is then the true cost. The flow table and, without
 * hugepages, the mbuf pool live in such mappings (docs/perf.md).
 */

#ifndef CORDON_UTIL_MEM_H
#define CORDON_UTIL_MEM_H

#include <stddef.h>

/* The size of a transparent huge page, and the alignment from there up. */
#define UTIL_MEM_HUGE ((size_t)2 << 20)

/* Zeroed and at least page aligned. NULL with errno set on failure. */
void *util_mem_huge_map(size_t size);

/* Unmap what util_mem_huge_map(size) returned, given the same size. */
void util_mem_huge_unmap(void *p, size_t size);

#endif /* CORDON_UTIL_MEM_H */
