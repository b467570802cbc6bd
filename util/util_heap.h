/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Keep freed memory in the heap, for a process that builds and frees the
 * same large blocks over and over.
 *
 * glibc serves a block of 128 KiB and up by mmap and unmaps it at its free;
 * after such a free its threshold rises to the size freed, and it gives
 * the heap's free top back to the kernel past twice that. rte_acl's build
 * callocs its pools 8 MiB at a time and frees them at its end, so each
 * policy build in the dataplane faulted most of its working memory in
 * afresh: in a KVM guest, a third of a swap's time (docs/perf.md). Kept in
 * the heap, the next build reuses those pages.
 *
 * The cost is resident memory after a build: at most keep bytes, and never
 * more than the build itself took at its peak, which the next build needs
 * again anyway. The peak is unchanged.
 */

#ifndef CORDON_UTIL_HEAP_H
#define CORDON_UTIL_HEAP_H

#include <stddef.h>

/* The most the threshold can be set to (glibc's HEAP_MAX_SIZE / 2). */
#define UTIL_HEAP_MMAP_MAX ((size_t)32 << 20)

/*
 * Serve blocks up to min(keep, UTIL_HEAP_MMAP_MAX) from the heap, and give
 * its free top back only past keep bytes. keep 0 leaves glibc's defaults.
 * Returns 0 when set or left at the defaults; 1 when GLIBC_TUNABLES sets
 * either threshold, which is then the operator's word and is left alone;
 * -ENOTSUP without glibc's allocator (another libc, or ASan's); -EINVAL
 * for a keep past INT_MAX, or if glibc would not take a value.
 */
int util_heap_keep(size_t keep);

#endif /* CORDON_UTIL_HEAP_H */
