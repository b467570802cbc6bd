/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * libFuzzer targets, one per parser, selected at compile time with
 * -DFUZZ_TARGET=<n> (see meson.build). Each wraps the input the way the
 * parser sees it on the wire (e.g. a UDP/53 payload for DNS) so the whole
 * path from the decoder down is exercised; "frame" feeds raw Ethernet
 * frames to one long-lived context so the TCP/QUIC reassembly state is
 * fuzzed across inputs too. Every observation also goes through device
 * identity with the shipped signatures (FP_DATA_DIR), so hostile strings
 * meet the signature regexes; "re" fuzzes the regex compiler and matcher.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fp.h"
#include "fp_identity.h"
#include "fp_internal.h"
#include "fp_json.h"
#include "fp_p0f.h"
#include "fp_re.h"
#include "fp_tls.h"

#define T_FRAME 1
#define T_DNS 2
#define T_DHCP 3
#define T_DHCPV6 4
#define T_TLS 5
#define T_QUIC 6
#define T_TCP 7
#define T_P0F 8
#define T_SSDP 9
#define T_QUIC_FRAMES 10
#define T_DISC 11
#define T_RE 12

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fp_ctx *ctx;
static struct fp_identity *id;

static void sink(const struct fp_obs *obs, void *arg)
{
	json_t *j = fp_json_obs(obs);
	char *s = json_dumps(j, JSON_COMPACT);

	(void)arg;
	free(s);
	json_decref(j);
	if (id) {
		const struct fp_device *d;

		fp_identity_add(id, obs);
		d = fp_identity_get(id, obs->mac);
		if (d) {
			j = fp_json_device(d);
			s = json_dumps(j, JSON_COMPACT);
			free(s);
			json_decref(j);
		}
	}
}

/* IPv4 + UDP/TCP header in front of the payload. */
/* The fixed UDP ports (source, destination) of the plain UDP targets. */
static const uint16_t udp_ports[T_QUIC_FRAMES + 1][2] = {
	[T_DHCP] = { 68, 67 },
	[T_DHCPV6] = { 546, 547 },
	[T_QUIC] = { 50000, 443 },
	[T_SSDP] = { 50000, 1900 },
};

static size_t wrap(uint8_t *out, size_t cap, uint8_t proto, uint16_t sport,
		uint16_t dport, const uint8_t *pay, size_t len)
{
	size_t l4 = proto == 6 ? 20 : 8, tot = 20 + l4 + len;

	if (tot > cap || tot > 65535)
		return 0;
	memset(out, 0, 20 + l4);
	out[0] = 0x45;
	out[2] = (uint8_t)(tot >> 8);
	out[3] = (uint8_t)tot;
	out[8] = 64;
	out[9] = proto;
	out[12] = 10;
	out[15] = 1;
	out[16] = 10;
	out[19] = 2;
	out[20] = (uint8_t)(sport >> 8);
	out[21] = (uint8_t)sport;
	out[22] = (uint8_t)(dport >> 8);
	out[23] = (uint8_t)dport;
	if (proto == 6) {
		out[24 + 3] = 1;	/* seq */
		out[32] = 0x50;
		out[33] = 0x18;		/* PSH ACK */
	} else {
		out[24] = (uint8_t)((8 + len) >> 8);
		out[25] = (uint8_t)(8 + len);
	}
	memcpy(out + 20 + l4, pay, len);
	return tot;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[70000];
	uint64_t ts = 1000000;
	size_t n = 0;

	if (!ctx) {
		struct fp_config cfg = { .tcp_flows = 64, .quic_flows = 16 };

		struct fp_identity_config icfg = {
			.signatures = FP_DATA_DIR, .max_devices = 64,
		};

		ctx = fp_ctx_create(&cfg);
		id = fp_identity_create(&icfg);
		if (!ctx || !id)
			abort();
	}
	switch (FUZZ_TARGET) {
	case T_FRAME:
		fp_interest(data, size);
		fp_process_frame(ctx, data, size, ts, sink, NULL);
		return 0;
	case T_RE: {
		/* pattern, NUL, subject */
		static struct fp_re re;
		const uint8_t *z = memchr(data, 0, size);
		char pat[512], err[128];
		int caps[FP_RE_NCAP];
		size_t pl;

		if (!z)
			return 0;
		pl = (size_t)(z - data);
		if (pl >= sizeof(pat))
			return 0;
		memcpy(pat, data, pl);
		pat[pl] = '\0';
		if (fp_re_compile(&re, pat, err, sizeof(err)) == 0)
			fp_re_match(&re, (const char *)z + 1, size - pl - 1,
					caps);
		return 0;
	}
	case T_TLS: {
		static struct fp_tls_ch ch;
		static struct fp_tls out;

		if (fp_tls_parse_ch(data, size, &ch) == 0)
			fp_tls_fingerprint(&ch, 't', &out);
		return 0;
	}
	case T_QUIC_FRAMES: {
		/* frames of a decrypted Initial (encryption keeps random input
		 * out of this path in the "quic" target); the first input byte
		 * picks one of four connections so reassembly spans inputs */
		static struct fp_quic_table *qt;
		struct fp_emit em = { .ctx = ctx, .cb = sink };
		struct fp_pkt pk;
		uint8_t dcid[8] = { 1, 2, 3, 4, 5, 6, 7, 0 };

		if (!qt)
			qt = fp_quic_table_create(4, 1000000);
		if (!qt || size < 1)
			return 0;
		memset(&pk, 0, sizeof(pk));
		pk.src.family = 4;
		pk.sport = 443;
		pk.ts_us = ts;
		dcid[7] = data[0] & 3;
		fp_quic_crypto_payload(qt, &pk, dcid, 8, data + 1, size - 1,
				&em);
		return 0;
	}
	case T_P0F: {
		struct fp_p0f_pkt p;
		char sig[256];

		if (fp_p0f_extract(data, size, &p) == 0)
			fp_p0f_sig(&p, 1460, sig, sizeof(sig));
		return 0;
	}
	case T_DNS:
		n = wrap(buf, sizeof(buf), 17, 53, 5353 - (size & 1) * 5300,
				data, size);
		break;
	case T_DHCP:
	case T_DHCPV6:
	case T_QUIC:
	case T_SSDP:
		n = wrap(buf, sizeof(buf), 17, udp_ports[FUZZ_TARGET][0],
				udp_ports[FUZZ_TARGET][1], data, size);
		break;
	case T_TCP:
		n = wrap(buf, sizeof(buf), 6, 50000, (size & 1) ? 53 : 443,
				data, size);	/* TLS or DNS over TCP */
		break;
	case T_DISC: {
		/* the first byte picks the protocol: Kasa answers (UDP and
		 * TCP 9999), Ubiquiti (10001), Tuya (6666/6667), an HTTP
		 * response from a LAN server */
		static const struct { uint8_t proto; uint16_t sp, dp; } w[] = {
			{ 17, 9999, 50000 }, { 6, 9999, 50000 },
			{ 17, 40000, 10001 }, { 17, 40000, 6666 },
			{ 17, 40000, 6667 }, { 6, 80, 50000 },
		};
		uint8_t k;

		if (size < 1)
			return 0;
		k = data[0] % (sizeof(w) / sizeof(w[0]));
		n = wrap(buf, sizeof(buf), w[k].proto, w[k].sp, w[k].dp,
				data + 1, size - 1);
		break;
	}
	default:
		return 0;
	}
	if (n)
		fp_process_ip(ctx, buf, n, NULL, ts, sink, NULL);
	return 0;
}
