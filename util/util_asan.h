/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * UTIL_ASAN: 1 when this file is built with AddressSanitizer, whose
 * allocator takes malloc's place. gcc says so with a macro, clang with
 * __has_feature.
 */

#ifndef CORDON_UTIL_ASAN_H
#define CORDON_UTIL_ASAN_H

#if defined(__SANITIZE_ADDRESS__)
#define UTIL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UTIL_ASAN 1
#endif
#endif
#ifndef UTIL_ASAN
#define UTIL_ASAN 0
#endif

#endif /* CORDON_UTIL_ASAN_H */
