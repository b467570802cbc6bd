/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_FP_PCAP_H
#define CORDON_FP_PCAP_H

/*
 * Capture files for the offline tools (cordon-fingerprint, cordon-detect):
 * pcap or pcapng through libpcap, one frame at a time, with the link
 * header understood. Ethernet frames come as they are; the other link
 * types (BSD loopback, raw IP, Linux cooked SLL/SLL2) come as a bare IP
 * packet, with the sender's MAC when the link header carries one.
 */

#include <stddef.h>
#include <stdint.h>

#define FP_PCAP_ERR_MAX 512

enum fp_pcap_link {
	FP_PCAP_ETHER = 0,	/* data is an Ethernet frame */
	FP_PCAP_IP,		/* data is an IPv4 or IPv6 packet */
	FP_PCAP_OTHER,		/* a link type we do not read: skip it */
};

struct fp_pcap_frame {
	uint64_t number;	/* 1-based packet number in the file */
	uint64_t ts_us;
	enum fp_pcap_link link;
	const uint8_t *data;	/* valid until the next fp_pcap_next() */
	size_t len;		/* bytes captured (after the link header) */
	size_t wire_len;	/* bytes on the wire (after the link header):
				 * more than len when the capture was cut */
	const uint8_t *src_mac;	/* FP_PCAP_IP: the sender's MAC, or NULL */
};

struct fp_pcap;

/* Open path. NULL on failure, with the reason in err. */
struct fp_pcap *fp_pcap_open(const char *path, char *err, size_t errlen);

/* 1: *f holds the next frame; 0: end of file; -EIO: the file is
 * truncated or corrupt (fp_pcap_error() says how). */
int fp_pcap_next(struct fp_pcap *r, struct fp_pcap_frame *f);

const char *fp_pcap_error(const struct fp_pcap *r);

void fp_pcap_close(struct fp_pcap *r);

#endif
