/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_FP_P0F_H
#define CORDON_FP_P0F_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * p0f v3 TCP signatures: the raw_sig string p0f 3.09b prints
 * (ver:ttl+dist:olen:mss:wsize,scale:olayout:quirks:pclass) and a matcher
 * for the [tcp:request]/[tcp:response] sections of p0f.fp.
 */

#define FP_P0F_MAX_OPT 24

struct fp_p0f_pkt {
	uint8_t ip_ver;
	uint8_t ttl;
	uint8_t ip_opt_len;
	uint8_t tcp_type;	/* flags & (SYN|ACK|FIN|RST) */
	uint16_t mss, win;
	uint8_t wscale;
	uint8_t opt_cnt;
	uint8_t opt_layout[FP_P0F_MAX_OPT];
	uint8_t opt_eol_pad;
	uint32_t quirks;
	uint32_t ts1;
	uint32_t tot_hdr;
	uint32_t pay_len;
};

/* Quirk bits, in p0f's printing order. */
#define FP_Q_DF		(1u << 0)
#define FP_Q_NZ_ID	(1u << 1)
#define FP_Q_ZERO_ID	(1u << 2)
#define FP_Q_ECN	(1u << 3)
#define FP_Q_NZ_MBZ	(1u << 4)
#define FP_Q_FLOW	(1u << 5)
#define FP_Q_ZERO_SEQ	(1u << 6)
#define FP_Q_NZ_ACK	(1u << 7)
#define FP_Q_ZERO_ACK	(1u << 8)
#define FP_Q_NZ_URG	(1u << 9)
#define FP_Q_URG	(1u << 10)
#define FP_Q_PUSH	(1u << 11)
#define FP_Q_TS1_ZERO	(1u << 12)
#define FP_Q_TS2_NZ	(1u << 13)
#define FP_Q_EOL_NZ	(1u << 14)
#define FP_Q_EXWS	(1u << 15)
#define FP_Q_BAD	(1u << 16)

/* Extract p0f's view of an IP+TCP packet. ip points to the IP header,
 * ip_len is the captured length. Returns 0, or -EINVAL when p0f would not
 * look at the packet (truncated, fragment, IPv6 extension headers, silly
 * flag combination). */
int fp_p0f_extract(const uint8_t *ip, size_t ip_len, struct fp_p0f_pkt *p);

/* Render raw_sig. syn_mss is the MSS of the flow's SYN (0 if unknown). */
void fp_p0f_sig(const struct fp_p0f_pkt *p, uint16_t syn_mss, char *out,
		size_t cap);

struct fp_tcp_sig;
/* Copy between the parsed view and an observation's fp_tcp_sig. */
void fp_p0f_to_obs(const struct fp_p0f_pkt *p, uint16_t syn_mss,
		struct fp_tcp_sig *o);
void fp_p0f_from_obs(const struct fp_tcp_sig *o, struct fp_p0f_pkt *p);

/* p0f.fp database (TCP sections only). */
struct fp_p0f_db;
struct fp_p0f_db *fp_p0f_db_load(const char *path);
void fp_p0f_db_free(struct fp_p0f_db *db);
/* Match a raw_sig-style packet; writes the label ("s:unix:Linux:3.11 and
 * newer") and returns true when found (fuzzy/generic matches included,
 * reported in *generic). */
bool fp_p0f_db_match(const struct fp_p0f_db *db, bool syn,
		const struct fp_p0f_pkt *p, uint16_t syn_mss, char *label,
		size_t cap, bool *generic);

#endif
