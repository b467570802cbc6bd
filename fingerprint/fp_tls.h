/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_FP_TLS_H
#define CORDON_FP_TLS_H

#include <stdbool.h>

#include "fp.h"

/*
 * TLS ClientHello parsing and the JA4 (TLS client only, FoxIO spec) and JA3
 * fingerprints. GREASE values (RFC 8701, 0x?a?a) are ignored everywhere JA4
 * and JA3 say so.
 */

#define FP_TLS_MAX_CIPHERS 256
#define FP_TLS_MAX_EXT 128
#define FP_TLS_MAX_LIST 128

struct fp_tls_ch {
	uint16_t legacy_version;
	uint16_t n_ciphers, n_ext, n_sigalgs, n_groups, n_pf, n_versions;
	uint16_t ciphers[FP_TLS_MAX_CIPHERS];
	uint16_t ext[FP_TLS_MAX_EXT];
	uint16_t sigalgs[FP_TLS_MAX_LIST];
	uint16_t groups[FP_TLS_MAX_LIST];
	uint8_t pf[FP_TLS_MAX_LIST];
	uint16_t versions[FP_TLS_MAX_LIST];
	bool has_sni;
	struct fp_str sni;
	uint8_t n_alpn;
	struct fp_str alpn[8];
	/* first ALPN value, raw bytes (for the JA4 ALPN code) */
	uint8_t alpn0_len;
	uint8_t alpn0[255];
	/* SSLv2-compatible hello: its 3-byte cipher specs (ciphers[] stays
	 * empty, as tshark and so FoxIO's ja4.py see no cipher suites) */
	bool sslv2;
	uint16_t n_v2;
	uint32_t v2_specs[FP_TLS_MAX_CIPHERS];
};

bool fp_tls_is_grease(uint16_t v);

/* Parse a handshake message (type byte, 24-bit length, body). Returns 0, or
 * -EINVAL when it is not a well-formed ClientHello. Lists longer than the
 * arrays are truncated (counted in full where a count matters). */
int fp_tls_parse_ch(const uint8_t *hs, size_t len, struct fp_tls_ch *ch);

/* Parse an SSLv2-compatible CLIENT-HELLO (RFC 5246 appendix E.2; the
 * record body after the 2-byte header). Returns 0 or -EINVAL. */
int fp_tls_parse_sslv2(const uint8_t *msg, size_t len, struct fp_tls_ch *ch);

/* Fill JA4, JA4_r, JA4_o, JA4_ro, JA3 and the plain fields. proto is 't'
 * for TCP, 'q' for QUIC, 'd' for DTLS. */
void fp_tls_fingerprint(const struct fp_tls_ch *ch, char proto,
		struct fp_tls *out);

/* The names of the FP_TLS_* flags set in flags ("sslv2-hello",
 * "tls1.0-max", "rc4-ciphers", ...), at most cap, in a fixed order;
 * returns how many. */
size_t fp_tls_flag_names(uint8_t flags, const char **out, size_t cap);
/* "TLS 1.2", "SSL 3.0", ... for a protocol version; "unknown" else. */
const char *fp_tls_version_name(uint16_t version);

/* FP_TLS_* flags for one cipher suite (RC4, export, NULL). */
uint8_t fp_tls_suite_flags(uint16_t suite);

/* The two-character JA4 ALPN code of the first ALPN value. */
void fp_ja4_alpn(const uint8_t *v, size_t len, char out[3]);

#endif
