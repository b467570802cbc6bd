/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_FP_JSON_H
#define CORDON_FP_JSON_H

#include <jansson.h>

#include "fp.h"

/*
 * JSON rendering shared by cordon-fingerprint and the control plane.
 * Strings from the wire are made valid UTF-8: bytes that are not part of
 * a valid sequence become "\xNN" text, NUL bytes are kept (\u0000).
 */

json_t *fp_json_string(const char *s, size_t len);
/* A printable, valid UTF-8 copy of s[0..len): control characters dropped,
 * bytes that are not part of a valid sequence become '?', truncated on a
 * character boundary. Returns the length written. */
size_t fp_utf8_clean(char *out, size_t cap, const char *s, size_t len);
void fp_json_addr(char *out, size_t cap, const struct fp_addr *a);
/* One observation: common fields (ts, mac, src, dst, kind, ...) plus the
 * kind's own fields. New reference, NULL on allocation failure. */
json_t *fp_json_obs(const struct fp_obs *obs);

/* ["sslv2-hello", "rc4-ciphers", ...] for FP_TLS_* flags. */
json_t *fp_json_tls_flags(uint8_t flags);

struct fp_behav_summary;
/* A behaviour interval summary (fp_behav.h). */
json_t *fp_json_behav(const struct fp_behav_summary *s);

#endif
