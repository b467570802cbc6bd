/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_TEST_FP_CH_H
#define CORDON_TEST_FP_CH_H

/* A hand-built TLS ClientHello shared by the TLS, TCP and QUIC tests.
 * Expected values (computed independently with Python's hashlib):
 *   JA4    t13d0306h2_5559582ccdc4_fb71836bce29
 *   JA4_o  t13d0306h2_e9d77f181187_adb36274755c
 *   JA3    771,49195-4865-4866,0-16-13-10-11-43,29-23,0
 *          5e6b8d50e1af41050c532543f528d870 */

#define CH_JA4 "t13d0306h2_5559582ccdc4_fb71836bce29"
#define CH_JA4_R "t13d0306h2_1301,1302,c02b_000a,000b,000d,002b_0403,0804"
#define CH_JA4_O "t13d0306h2_e9d77f181187_adb36274755c"
#define CH_JA4_RO "t13d0306h2_c02b,1301,1302_0000,0010,000d,000a,000b,002b_0403,0804"
#define CH_JA3_STR "771,49195-4865-4866,0-16-13-10-11-43,29-23,0"
#define CH_JA3 "5e6b8d50e1af41050c532543f528d870"

/* Handshake message (type 1 + length + body); returns its length. */
static inline size_t build_ch(uint8_t *b, const char *alpn0)
{
	size_t o = 4, e, x;
	size_t al = strlen(alpn0);

	b[0] = 1;
	b[o++] = 3;
	b[o++] = 3;
	memset(b + o, 0x11, 32);
	o += 32;
	b[o++] = 0;			/* session id */
	b[o++] = 0;
	b[o++] = 8;			/* 4 ciphers */
	b[o++] = 0x0a; b[o++] = 0x0a;	/* GREASE */
	b[o++] = 0xc0; b[o++] = 0x2b;
	b[o++] = 0x13; b[o++] = 0x01;
	b[o++] = 0x13; b[o++] = 0x02;
	b[o++] = 1;
	b[o++] = 0;			/* null compression */
	e = o;
	o += 2;
	/* GREASE extension */
	b[o++] = 0x1a; b[o++] = 0x1a; b[o++] = 0; b[o++] = 0;
	/* SNI example.com */
	b[o++] = 0; b[o++] = 0; b[o++] = 0; b[o++] = 16;
	b[o++] = 0; b[o++] = 14; b[o++] = 0; b[o++] = 0; b[o++] = 11;
	memcpy(b + o, "example.com", 11);
	o += 11;
	/* ALPN alpn0, http/1.1 */
	b[o++] = 0; b[o++] = 0x10;
	x = 2 + 1 + al + 1 + 8;
	b[o++] = 0; b[o++] = (uint8_t)x;
	b[o++] = 0; b[o++] = (uint8_t)(x - 2);
	b[o++] = (uint8_t)al;
	memcpy(b + o, alpn0, al);
	o += al;
	b[o++] = 8;
	memcpy(b + o, "http/1.1", 8);
	o += 8;
	/* signature_algorithms */
	b[o++] = 0; b[o++] = 0x0d; b[o++] = 0; b[o++] = 6;
	b[o++] = 0; b[o++] = 4;
	b[o++] = 0x04; b[o++] = 0x03; b[o++] = 0x08; b[o++] = 0x04;
	/* supported_groups GREASE, x25519, secp256r1 */
	b[o++] = 0; b[o++] = 0x0a; b[o++] = 0; b[o++] = 8;
	b[o++] = 0; b[o++] = 6;
	b[o++] = 0x2a; b[o++] = 0x2a; b[o++] = 0; b[o++] = 0x1d;
	b[o++] = 0; b[o++] = 0x17;
	/* ec_point_formats */
	b[o++] = 0; b[o++] = 0x0b; b[o++] = 0; b[o++] = 2;
	b[o++] = 1; b[o++] = 0;
	/* supported_versions GREASE, 1.3, 1.2 */
	b[o++] = 0; b[o++] = 0x2b; b[o++] = 0; b[o++] = 7;
	b[o++] = 6;
	b[o++] = 0x3a; b[o++] = 0x3a; b[o++] = 3; b[o++] = 4;
	b[o++] = 3; b[o++] = 3;
	b[e] = (uint8_t)((o - e - 2) >> 8);
	b[e + 1] = (uint8_t)(o - e - 2);
	b[1] = 0;
	b[2] = (uint8_t)((o - 4) >> 8);
	b[3] = (uint8_t)(o - 4);
	return o;
}

/* Wrap a handshake message in one TLS record. */
static inline size_t build_record(uint8_t *r, const uint8_t *hs, size_t n)
{
	r[0] = 22;
	r[1] = 3;
	r[2] = 1;
	r[3] = (uint8_t)(n >> 8);
	r[4] = (uint8_t)n;
	memcpy(r + 5, hs, n);
	return n + 5;
}

#endif
