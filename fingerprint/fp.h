/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_FP_H
#define CORDON_FP_H

/*
 * Passive fingerprinting library (no DPDK in it).
 *
 * Feed Ethernet frames (or bare IP packets) to fp_process_frame() /
 * fp_process_ip(); every observation found is handed to a callback as a
 * struct fp_obs. The observation and all strings in it live in the context
 * and are only valid during the callback: copy what you keep.
 *
 * Memory is bounded: the TCP and QUIC reassembly tables have a fixed number
 * of slots (fp_config), at most tcp_buffers ClientHello buffers of tcp_buf
 * bytes exist at once, entries expire, and every eviction/expiry/drop is
 * counted in fp_stats. A context is single-threaded (one per lcore).
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum fp_obs_kind {
	FP_OBS_TLS = 0,
	FP_OBS_QUIC,
	FP_OBS_DHCP,
	FP_OBS_DHCPV6,
	FP_OBS_TCP_SYN,
	FP_OBS_TCP_SYNACK,
	FP_OBS_DNS_QUERY,
	FP_OBS_DNS_ANSWER,
	FP_OBS_MDNS,
	FP_OBS_SSDP,
	FP_OBS_HTTP,
	FP_OBS_LLDP,
	FP_OBS_DISCOVERY,	/* vendor discovery protocols (fp_disc.c) */
	FP_OBS__MAX
};

/* "tls", "quic", "dhcp", ... as used in JSON "kind". */
const char *fp_obs_kind_name(enum fp_obs_kind kind);

#define FP_STR_MAX 256		/* every short string, NUL-terminated */
#define FP_RAW_MAX 4096		/* JA4_r / JA4_ro / JA3 strings */
/* A JA4_r: the 15-character prefix and two raw lists of FP_RAW_MAX / 2. */
#define FP_JA4_RAW_MAX (16 + FP_RAW_MAX + 2)
#define FP_LIST_MAX 64
#define FP_DNS_MAX_RR 32

/* A length-counted byte string (may hold NUL bytes), always NUL-terminated. */
struct fp_str {
	uint16_t len;
	char s[FP_STR_MAX];
};

struct fp_addr {
	uint8_t family;		/* 4, 6 or 0 (none) */
	uint8_t a[16];
};

/* fp_tls.flags: what makes a ClientHello obsolete or weak */
#define FP_TLS_SSLV2_HELLO 0x01	/* SSLv2-compatible record (RFC 5246 E.2) */
#define FP_TLS_SSL3_MAX 0x02	/* offers nothing above SSL 3.0 */
#define FP_TLS_TLS10_MAX 0x04	/* offers nothing above TLS 1.0 */
#define FP_TLS_RC4 0x08		/* offers an RC4 suite */
#define FP_TLS_EXPORT 0x10	/* offers an export-grade suite */
#define FP_TLS_NULL 0x20	/* offers a NULL-encryption suite */
#define FP_TLS_SSLV2_CIPHERS 0x40	/* offers SSLv2 cipher kinds */

struct fp_tls {
	char ja4[48];
	char ja4_o[48];
	char ja4_r[FP_JA4_RAW_MAX];
	char ja4_ro[FP_JA4_RAW_MAX];
	char ja3[33];
	char ja3_string[FP_RAW_MAX];
	struct fp_str sni;
	uint16_t legacy_version;
	uint8_t n_alpn;
	struct fp_str alpn[8];
	uint8_t n_versions;
	uint16_t versions[16];	/* supported_versions, wire order, GREASE kept */
	uint16_t max_version;	/* highest version offered (GREASE aside) */
	uint8_t flags;		/* FP_TLS_* */
};

struct fp_dhcp {
	uint8_t msg_type;	/* option 53, 0 if absent */
	uint8_t op;
	uint32_t xid;
	uint8_t client_mac[6];
	uint8_t ciaddr[4], yiaddr[4];
	uint16_t n_options;
	uint8_t options[255];	/* option codes, wire order (pads excluded) */
	uint16_t n_params;
	uint8_t params[255];	/* option 55, wire order */
	struct fp_str vendor_class;	/* 60 */
	struct fp_str hostname;		/* 12 */
	struct fp_str client_id;	/* 61, raw bytes */
	struct fp_str fqdn;		/* 81, name part */
	struct fp_str mud_url;		/* 161 */
	uint16_t max_msg_size;		/* 57, 0 if absent */
	uint8_t has_requested_addr;
	uint8_t requested_addr[4];	/* 50 */
	uint32_t lease_time;		/* 51, 0 if absent */
	uint8_t n_routers, n_dns;
	uint8_t routers[4][4], dns[4][4];
};

struct fp_dhcpv6 {
	uint8_t msg_type;
	uint32_t xid;		/* 24 bits */
	uint16_t n_options;
	uint16_t options[FP_LIST_MAX];
	uint16_t n_oro;
	uint16_t oro[FP_LIST_MAX];
	uint32_t vendor_enterprise;	/* option 16 */
	struct fp_str vendor_class;	/* option 16 data, first item */
	struct fp_str mud_url;		/* option 112 */
	struct fp_str client_duid;	/* option 1, raw */
	struct fp_str fqdn;		/* option 39 */
};

struct fp_tcp_sig {
	char p0f[256];		/* p0f v3 raw_sig */
	uint8_t ttl;
	uint16_t mss, win;
	uint8_t wscale;
	uint8_t syn_seen;	/* SYN+ACK only: the SYN of this flow was seen */
	uint16_t syn_mss;	/* MSS of the flow's SYN used for the sig */
	/* p0f's parsed view, for database matching (fp_p0f.h) */
	uint8_t ip_ver, ip_opt_len, tcp_type, opt_cnt, opt_eol_pad;
	uint8_t opt_layout[24];
	uint32_t quirks, ts1, tot_hdr, pay_len;
};

struct fp_dns_rr {
	char name[FP_STR_MAX];
	uint16_t type, klass;
	uint32_t ttl;
	/* A/AAAA in addr, CNAME/PTR/NS targets and TXT (joined) in data */
	struct fp_addr addr;
	char data[FP_STR_MAX];
	uint8_t section;	/* 0 question, 1 answer, 2 authority, 3 additional */
};

struct fp_dns {
	uint16_t id, flags;
	uint8_t qr, opcode, rcode;
	uint16_t n_q, n_rr;
	struct fp_dns_rr q[8];
	struct fp_dns_rr rr[FP_DNS_MAX_RR];
	/* mDNS only: service instance names and "key=value" TXT items */
	uint16_t n_txt;
	char txt[16][FP_STR_MAX];
};

struct fp_text {
	/* SSDP and HTTP share this: request line pieces and headers */
	char method[16];
	char uri[FP_STR_MAX];
	char status[FP_STR_MAX];	/* response status line (SSDP) */
	char host[FP_STR_MAX];
	char user_agent[FP_STR_MAX];
	char server[FP_STR_MAX];
	char st[FP_STR_MAX];
	char nt[FP_STR_MAX];
	char usn[FP_STR_MAX];
	char location[FP_STR_MAX];
	/* HTTP responses: a UPnP device description in the first segment
	 * (UPnP Device Architecture 2.0, section 2.3) */
	char manufacturer[128];
	char model_name[128];
	char model_number[64];
	char model_desc[128];
	char friendly_name[128];
	char device_type[128];
	char firmware[64];	/* <firmwareVersion>, a common extension */
};

/* A vendor discovery protocol's announcement, as "key=value" items
 * (fp_disc.c): TP-Link Smart Home (UDP/TCP 9999), Ubiquiti discovery
 * (UDP 10001), Tuya LAN broadcasts (UDP 6666/6667). */
#define FP_DISC_MAX_ITEMS 12
struct fp_disc {
	char proto[16];		/* "tplink", "ubnt", "tuya" */
	uint8_t n;
	char item[FP_DISC_MAX_ITEMS][128];
};

/* LLDP (ethertype 0x88cc). */
struct fp_lldp {
	uint8_t chassis_subtype;
	struct fp_str chassis_id;	/* raw */
	uint8_t port_subtype;
	struct fp_str port_id;		/* raw */
	uint16_t ttl;
	struct fp_str system_name;
	struct fp_str system_desc;
	struct fp_str mud_url;		/* RFC 8520 s10: TLV 127, 00:00:5E/1 */
	uint16_t caps, caps_enabled;	/* System Capabilities TLV (7) */
};

struct fp_obs {
	enum fp_obs_kind kind;
	uint64_t ts_us;
	uint8_t has_mac;
	uint8_t mac[6];		/* Ethernet source */
	uint8_t dst_mac[6];
	uint16_t vlan;		/* innermost VLAN id, 0 if none */
	struct fp_addr src, dst;
	uint16_t sport, dport;
	union {
		struct fp_tls tls;	/* TLS and QUIC */
		struct fp_dhcp dhcp;
		struct fp_dhcpv6 dhcpv6;
		struct fp_tcp_sig tcp;
		struct fp_dns dns;	/* DNS and mDNS */
		struct fp_text text;	/* SSDP and HTTP */
		struct fp_lldp lldp;
		struct fp_disc disc;
	} u;
};

typedef void (*fp_observation_cb)(const struct fp_obs *obs, void *arg);

struct fp_config {
	uint32_t tcp_flows;	/* reassembly/SYN-state slots (default 4096) */
	uint32_t tcp_buf;	/* bytes kept per flow for a ClientHello (16384) */
	uint32_t tcp_buffers;	/* ClientHello buffers alive at once (256) */
	uint32_t quic_flows;	/* QUIC Initial reassembly slots (256) */
	uint64_t flow_timeout_us;	/* idle expiry (30 s) */
};

struct fp_stats {
	uint64_t frames, malformed, observations;
	uint64_t tcp_flows_created, tcp_flows_evicted, tcp_flows_expired;
	uint64_t tcp_bytes_dropped, tcp_buffers_refused;
	uint64_t quic_decrypt_fail, quic_flows_evicted;
};

struct fp_ctx;

struct fp_ctx *fp_ctx_create(const struct fp_config *cfg);
void fp_ctx_destroy(struct fp_ctx *ctx);
void fp_ctx_stats(const struct fp_ctx *ctx, struct fp_stats *st);
/* Drop flow state idle since before now_us - timeout. */
void fp_ctx_expire(struct fp_ctx *ctx, uint64_t now_us);

/* Ethernet frame, 802.1Q / 802.1ad tags allowed. Returns observations count
 * delivered, or a negative errno if the frame could not be decoded. */
int fp_process_frame(struct fp_ctx *ctx, const uint8_t *frame, size_t len,
		uint64_t ts_us, fp_observation_cb cb, void *arg);
/* Bare IPv4/IPv6 packet (no link header; mac may be NULL). */
int fp_process_ip(struct fp_ctx *ctx, const uint8_t *pkt, size_t len,
		const uint8_t *src_mac, uint64_t ts_us,
		fp_observation_cb cb, void *arg);

/* The addresses of a frame, for traffic accounting: Ethernet source and
 * destination, and the (innermost) IP addresses when it carries IP (else
 * family 0). 0, or a negative errno when the frame cannot be decoded. */
int fp_frame_addrs(const uint8_t *frame, size_t len, uint8_t src[6],
		uint8_t dst[6], struct fp_addr *src_ip, struct fp_addr *dst_ip);
/* The same for a bare IP packet. */
int fp_packet_addrs(const uint8_t *pkt, size_t len, struct fp_addr *src_ip,
		struct fp_addr *dst_ip);

/* Parse an LLDPDU (the frame after the ethertype). 0, or -EINVAL when it
 * is malformed (a TLV overruns, the first three are not Chassis ID, Port
 * ID, TTL, ...). */
int fp_lldp_parse(const uint8_t *p, size_t len, struct fp_lldp *out);

/* Cheap allocation-free pre-filter for the dataplane workers. Returns
 * FP_INTEREST_YES when the frame may carry something fp_process_frame()
 * fingerprints (LLDP, DHCP, DHCPv6, DNS, mDNS, SSDP, vendor discovery
 * (UDP 10001, 6666/6667, 23272, port 9999 and 2081 answers), TCP SYN or SYN+ACK, TCP payload
 * that starts like a TLS handshake (SSLv2-compatible hellos included), an
 * HTTP request or response, a QUIC long header), FP_INTEREST_FLOW_START for
 * any other TCP data segment (worth copying only among the first few data
 * packets of a flow: a ClientHello may span segments), 0 otherwise. */
#define FP_INTEREST_YES 1
#define FP_INTEREST_FLOW_START 2
int fp_interest(const uint8_t *frame, size_t len);

#ifdef __cplusplus
}
#endif

#endif
