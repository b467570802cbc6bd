/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_FP_INTERNAL_H
#define CORDON_FP_INTERNAL_H

/* Library-internal declarations shared by the protocol modules. */

#include <stdbool.h>
#include <string.h>

#include "fp.h"

static inline uint16_t fp_rd16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t fp_rd24(const uint8_t *p)
{
	return ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2];
}

static inline uint32_t fp_rd32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
		((uint32_t)p[2] << 8) | p[3];
}

/* A decoded packet: pointers into the caller's buffer, all bounds-checked. */
struct fp_pkt {
	uint64_t ts_us;
	uint8_t depth;		/* tunnel nesting level */
	bool has_mac;
	uint8_t src_mac[6], dst_mac[6];
	uint16_t vlan;
	uint16_t ethertype;	/* after the tags */
	/* Non-IP frames fp_decode_eth() accepts (LLDP): what follows the
	 * ethertype. */
	const uint8_t *l2_pay;
	size_t l2_pay_len;
	uint8_t ipver;		/* 4 or 6 */
	const uint8_t *ip;	/* start of the IP header */
	size_t ip_len;		/* bytes of IP packet available (clamped) */
	uint32_t ip_hdr_len;	/* v4: IHL*4, v6: 40 (+ext headers in l4 offset) */
	uint8_t ttl;
	bool frag;		/* non-first fragment or fragmented: no L4 */
	struct fp_addr src, dst;
	uint8_t proto;		/* L4 protocol */
	const uint8_t *l4;
	size_t l4_len;
	uint16_t sport, dport;
	/* TCP */
	const uint8_t *tcp;
	uint32_t tcp_hdr_len;
	uint8_t tcp_flags;
	uint32_t seq, ack;
	/* L4 payload (TCP or UDP) */
	const uint8_t *pay;
	size_t pay_len;
};

#define FP_ETH_P_LLDP 0x88cc
/* Ethernet: IP is decoded; LLDP returns 0 with l2_pay set and no IP. */
int fp_decode_eth(const uint8_t *frame, size_t len, struct fp_pkt *pk);
int fp_decode_ip(const uint8_t *ip, size_t len, struct fp_pkt *pk);

/* Observation sink. */
struct fp_emit {
	struct fp_ctx *ctx;
	fp_observation_cb cb;
	void *arg;
	int count;
	bool ctx_malformed;	/* a module found the frame malformed */
};

/* Returns a zeroed observation (the context's scratch) with the common
 * fields filled from the packet. */
struct fp_obs *fp_obs_begin(struct fp_emit *em, const struct fp_pkt *pk,
		enum fp_obs_kind kind);
void fp_obs_deliver(struct fp_emit *em, struct fp_obs *obs);

/* Copy up to FP_STR_MAX-1 bytes into a counted string. */
void fp_str_set(struct fp_str *dst, const uint8_t *src, size_t len);
void fp_cstr_set(char *dst, size_t cap, const uint8_t *src, size_t len);

/* Protocol modules. Each takes a decoded packet whose payload is untrusted. */
struct fp_tcp_table;
struct fp_quic_table;

struct fp_tcp_table *fp_tcp_table_create(uint32_t slots, uint32_t buf,
		uint32_t max_bufs, uint64_t timeout_us);
void fp_tcp_table_destroy(struct fp_tcp_table *t);
void fp_tcp_table_expire(struct fp_tcp_table *t, uint64_t now_us);
void fp_tcp_process(struct fp_tcp_table *t, const struct fp_pkt *pk,
		struct fp_emit *em);
void fp_tcp_stats(const struct fp_tcp_table *t, struct fp_stats *st);

struct fp_quic_table *fp_quic_table_create(uint32_t slots, uint64_t timeout_us);
void fp_quic_table_destroy(struct fp_quic_table *t);
void fp_quic_table_expire(struct fp_quic_table *t, uint64_t now_us);
/* Returns true when the datagram looked like a QUIC long header. */
bool fp_quic_process(struct fp_quic_table *t, const struct fp_pkt *pk,
		struct fp_emit *em);
void fp_quic_stats(const struct fp_quic_table *t, struct fp_stats *st);
/* The decrypted payload of a client Initial (also a fuzzing entry). */
void fp_quic_crypto_payload(struct fp_quic_table *t, const struct fp_pkt *pk,
		const uint8_t *dcid, uint8_t dlen, const uint8_t *plain,
		size_t len, struct fp_emit *em);

/* QUIC Initial client keys (RFC 9001 s5.2, RFC 9369 for v2). */
int fp_quic_initial_keys(uint32_t version, const uint8_t *dcid, size_t len,
		uint8_t key[16], uint8_t iv[12], uint8_t hp[16]);

void fp_dhcp_process(const struct fp_pkt *pk, struct fp_emit *em);
void fp_dhcpv6_process(const struct fp_pkt *pk, struct fp_emit *em);
void fp_dns_process(const struct fp_pkt *pk, const uint8_t *msg, size_t len,
		bool mdns, struct fp_emit *em);
void fp_ssdp_process(const struct fp_pkt *pk, struct fp_emit *em);
void fp_lldp_process(const struct fp_pkt *pk, struct fp_emit *em);
/* Returns true when the payload was an HTTP request. */
bool fp_http_process(const struct fp_pkt *pk, struct fp_emit *em);
/* Returns true when the payload was an HTTP response's start (reported
 * when it names the server: Server header or UPnP description). */
bool fp_http_response(const struct fp_pkt *pk, struct fp_emit *em);
/* Vendor discovery protocols (fp_disc.c); true when the ports were
 * theirs. */
bool fp_disc_process(const struct fp_pkt *pk, struct fp_emit *em);
/* An SSLv2-compatible ClientHello record start (RFC 5246 E.2). */
bool fp_tls_sslv2_start(const uint8_t *p, size_t n);

#endif
