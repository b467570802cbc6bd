/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Big tables on transparent huge pages, see util_mem.h.
 */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util_mem.h"

/* What a mapping of size bytes really spans. */
static size_t
util_mem_len(size_t size)
{
	const size_t unit = size >= UTIL_MEM_HUGE ? UTIL_MEM_HUGE :
		(size_t)sysconf(_SC_PAGESIZE);

	return (size + unit - 1) & ~(unit - 1);
}

/*
 * Fault the zeroed mapping in. MADV_POPULATE_WRITE (Linux 5.14) does it in
 * one call: a memset takes a page fault per page, and in a VM a fault is
 * dear (4 KiB pages: 142 MiB, the default flow table, took 1 s by memset
 * and 73 ms by madvise on the PVM guests; on huge pages half the time).
 * It also says ENOMEM where the memory is not there, where a memset would
 * have met the OOM killer. Kernels without it get the memset.
 */
static int
util_mem_populate(void *p, size_t len)
{
#ifdef MADV_POPULATE_WRITE
	if (madvise(p, len, MADV_POPULATE_WRITE) == 0)
		return 0;
	if (errno != EINVAL)
		return -errno;
#endif
	memset(p, 0, len);
	return 0;
}

void *
util_mem_huge_map(size_t size)
{
	const size_t huge = UTIL_MEM_HUGE;
	size_t len, extra;
	uint8_t *raw, *p;

	if (size == 0 || size > SIZE_MAX / 2) {
		errno = EINVAL;
		return NULL;
	}
	len = util_mem_len(size);
	/* Over-map by one huge page and keep the aligned part. */
	extra = len >= huge ? huge : 0;
	raw = mmap(NULL, len + extra, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		return NULL;
	p = raw;
	if (extra != 0) {
		p = (uint8_t *)(((uintptr_t)raw + huge - 1) &
				~(uintptr_t)(huge - 1));
		if (p != raw)
			munmap(raw, (size_t)(p - raw));
		munmap(p + len, (size_t)(raw + extra - p));
#ifdef MADV_HUGEPAGE
		(void)madvise(p, len, MADV_HUGEPAGE);
#endif
	}
	if (util_mem_populate(p, len) < 0) {
		int e = errno;

		munmap(p, len);
		errno = e;
		return NULL;
	}
	return p;
}

void
util_mem_huge_unmap(void *p, size_t size)
{
	if (p != NULL && size != 0)
		munmap(p, util_mem_len(size));
}
