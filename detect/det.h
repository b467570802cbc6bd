/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_DET_H
#define CORDON_DET_H

/*
 * Threat detection per device (no DPDK in it): see README.md.
 *
 * A det_engine holds one fixed-size state per device (MAC + VLAN) and is
 * fed events in time order by one thread: the dataplane's main lcore, or
 * cordon-detect reading a capture. Time always comes with the event
 * (capture time offline, TSC time inline): the engine never reads a clock,
 * so the same events give the same alerts. Nothing is allocated after
 * det_engine_create(); a full device table recycles the device idle the
 * longest (counted).
 *
 * Events come from what the dataplane already has per packet: the parsed
 * L2-L4 summary and its flow table (dataplane/dp_detect.h turns those into
 * struct det_ev), plus the observations of fingerprint/ (DNS, DHCP, TLS,
 * TCP SYN) and the forged-DNS matcher (det_dnsmatch.h).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Detectors: X(ENUM, "name", default severity). The names are stable: they
 * are policy keys, telemetry counter names and Prometheus label values.
 */
#define DET_DETECTORS(X) \
	X(SCAN_HORIZONTAL, "scan_horizontal", DET_SEV_QUARANTINE) \
	X(SCAN_VERTICAL,   "scan_vertical",   DET_SEV_QUARANTINE) \
	X(SCAN_ICMP,       "scan_icmp",       DET_SEV_QUARANTINE) \
	X(SCAN_ARP,        "scan_arp",        DET_SEV_QUARANTINE) \
	X(SCAN_ND,         "scan_nd",         DET_SEV_QUARANTINE) \
	X(BRUTEFORCE,      "bruteforce",      DET_SEV_QUARANTINE) \
	X(FLOOD_SYN,       "flood_syn",       DET_SEV_QUARANTINE) \
	X(FLOOD_UDP,       "flood_udp",       DET_SEV_QUARANTINE) \
	X(FLOOD_ICMP,      "flood_icmp",      DET_SEV_QUARANTINE) \
	X(AMPLIFICATION,   "amplification",   DET_SEV_QUARANTINE) \
	X(LATERAL,         "lateral",         DET_SEV_QUARANTINE) \
	X(ENVELOPE,        "envelope",        DET_SEV_ALERT)      \
	X(DNS_NXDOMAIN,    "dns_nxdomain",    DET_SEV_ALERT)      \
	X(DNS_DGA,         "dns_dga",         DET_SEV_ALERT)      \
	X(BEACON,          "beacon",          DET_SEV_ALERT)      \
	X(IDENTITY_CHANGE, "identity_change", DET_SEV_ALERT)      \
	X(DNS_FORGED,      "dns_forged",      DET_SEV_ALERT)      \
	X(INDICATOR,       "indicator",       DET_SEV_ALERT)

enum det_detector {
#define DET_X_ENUM(e, n, s) DET_##e,
	DET_DETECTORS(DET_X_ENUM)
#undef DET_X_ENUM
	DET_N
};

enum det_severity {
	DET_SEV_ALERT = 0,	/* tell the operator */
	DET_SEV_QUARANTINE,	/* contain the device at once */
};

/* "scan_vertical", ...; NULL when out of range. */
const char *det_detector_name(enum det_detector d);
/* -1 when unknown. */
int det_detector_from_name(const char *name);
const char *det_severity_name(enum det_severity s);

/* A duration as options write it: "90s", "15m", "2h", "1d", "250ms", or a
 * bare number of seconds. Milliseconds, or -1 when it is not one. */
int64_t det_parse_duration(const char *s);

/* ---- input: events ----------------------------------------------------- */

enum det_ev_kind {
	DET_EV_FLOW_NEW = 1,	/* a flow's first packet, from its initiator */
	DET_EV_FLOW_DENIED,	/* a new flow the policy denied */
	DET_EV_ANSWERED,	/* the responder's first packet */
	DET_EV_REJECTED,	/* responder RST before data, or ICMP error */
	DET_EV_ABORTED,		/* initiator RST before data (half-open) */
	DET_EV_DATA,		/* the flow's first payload byte */
	DET_EV_CLOSED,		/* the first FIN or RST of a flow with data */
	DET_EV_FLOW_END,	/* the flow table let the flow go */
	DET_EV_RATE,		/* a flow's packets from one side reached 2^k */
	DET_EV_SYN,		/* a SYN without ACK from the initiator */
	DET_EV_ICMP_REQ,	/* an ICMP/ICMPv6 request (echo, timestamp) */
	DET_EV_AMP_REPLY,	/* reply on a UDP flow to an amplifier port */
	DET_EV_ARP,		/* ARP request or reply */
	DET_EV_ND,		/* IPv6 neighbour solicitation / advertisement */
	DET_EV_DNS_FORGED,	/* det_dnsmatch found no query for an answer */
	DET_EV_MAX
};

/* det_ev.flags */
#define DET_EVF_MIDSTREAM 0x01	/* TCP flow picked up without its SYN; a
				 * UDP flow that starts with an answer
				 * (from 53, 67, 68, 123) */
#define DET_EVF_ANSWERED  0x02	/* FLOW_END: the responder answered */
#define DET_EVF_DATA      0x04	/* FLOW_END: payload was seen */
#define DET_EVF_L2_MCAST  0x08	/* to a group MAC (multicast, broadcast) */
#define DET_EVF_REPLY     0x10	/* ARP reply / neighbour advertisement */
#define DET_EVF_INBOUND   0x20	/* AMP_REPLY: mac is the responder */

/* det_ev.state: how a flow ended (FLOW_END) */
enum det_flow_end {
	DET_END_UNANSWERED = 0,	/* no packet back */
	DET_END_REJECTED,	/* RST / ICMP error before data */
	DET_END_OPEN,		/* answered, never closed */
	DET_END_CLOSED,		/* FIN or RST after an answer */
};

/*
 * One event. Addresses are 16 bytes, IPv4 as ::ffff:a.b.c.d. The device
 * is (mac, vlan): the one the event is about (the initiator of a flow, the
 * sender of an ARP, the receiver of a forged answer...). src is that
 * device's address and sport its port; dst/dport are the other end's.
 */
struct det_ev {
	uint64_t ts_us;
	uint8_t kind;		/* enum det_ev_kind */
	uint8_t proto;		/* IPPROTO_*; 0 for ARP */
	uint8_t flags;		/* DET_EVF_* */
	uint8_t state;		/* FLOW_END: enum det_flow_end */
	uint16_t vlan;
	uint8_t mac[6];
	uint8_t peer_mac[6];	/* the other end's MAC, as on the wire */
	uint8_t icmp_type, icmp_code;
	uint8_t src[16];
	uint8_t dst[16];
	uint16_t sport, dport;
	uint32_t len;		/* this packet's L3 length */
	uint32_t pkts[2];	/* flow: [0] from the initiator, [1] back */
	uint32_t bytes[2];
	uint32_t dur_ms;	/* flow: last packet - first packet */
	uint16_t dns_id;	/* DNS_FORGED */
	uint8_t dns_why;	/* DNS_FORGED: enum det_dnsmatch_rc */
	uint8_t pad;
};

/* A UDP service that answers far more than it is asked (NTP, DNS, SSDP,
 * memcached...): whose answers the caller reports as DET_EV_AMP_REPLY. */
bool det_amp_port(uint16_t port);

/* ---- output: alerts --------------------------------------------------- */

#define DET_EXAMPLES 8

/* One packet or flow among those counted. */
struct det_example {
	uint64_t ts_us;
	uint8_t proto;
	uint8_t pad[3];
	uint16_t sport, dport;
	uint8_t src[16], dst[16];
};

struct det_evidence {
	char what[96];		/* what was counted, in words */
	char key[128];		/* on what: "tcp/22", "192.0.2.7", a name */
	uint64_t count;		/* the value that crossed the threshold */
	uint64_t threshold;
	uint64_t window_ms;	/* over what time (0: not windowed) */
	char detail[256];	/* more, as "k=v k=v" */
	uint32_t n_examples;
	struct det_example ex[DET_EXAMPLES];	/* the first ones, by time */
};

#define DET_DEV_ADDRS 4

struct det_alert {
	enum det_detector detector;
	enum det_severity severity;
	uint8_t mac[6];
	uint16_t vlan;
	uint8_t n_addrs;
	uint8_t addrs[DET_DEV_ADDRS][16];	/* the device's own addresses */
	uint64_t ts_us;		/* detection: the event that crossed it */
	uint64_t first_us;	/* the first packet counted */
	uint32_t seq;		/* per engine, from 1 */
	struct det_evidence ev;
};

typedef void (*det_alert_cb)(const struct det_alert *a, void *arg);

/* ---- configuration -------------------------------------------------------
 * Every threshold has a default argued in README.md (published tools'
 * defaults where one exists). Windows are sliding, in milliseconds.
 */
struct det_config {
	uint32_t max_devices;		/* states kept (default 4096) */
	uint64_t learn_ms;		/* envelope learning window (24 h); 0:
					 * no envelope (its detectors stay
					 * quiet, beacons are judged as while
					 * learning) */
	uint64_t rearm_ms;		/* one alert per device+detector per (1 h) */
	uint8_t severity[DET_N];	/* enum det_severity, per detector */
	bool enabled[DET_N];

	/* scans */
	uint32_t scan_window_ms;	/* 300 s (Zeek Scan::*_interval) */
	uint32_t scan_grace_ms;		/* unanswered after this = failed (3 s) */
	uint32_t scan_vertical;		/* 15 ports (Zeek port_scan_threshold) */
	uint32_t scan_horizontal;	/* 25 hosts (Zeek addr_scan_threshold) */
	uint32_t sweep_window_ms;	/* ICMP/ARP/ND sweeps: 30 s (Slips) */
	uint32_t sweep_icmp;		/* 10 hosts */
	uint32_t sweep_l2;		/* 10 unanswered ARP/NS targets */
	uint32_t sweep_l2_fast;		/* or 32 targets ... */
	uint32_t sweep_l2_fast_ms;	/* ... within 5 s */
	uint32_t sweep_l2_grace_ms;	/* 1 s */

	/* brute force */
	uint32_t brute_window_ms;	/* 60 s */
	uint32_t brute_login;		/* 10 connections to a login port */
	uint32_t brute_login_short;	/* or 6 short, small sessions of it */
	uint32_t brute_login_short_ms;	/* ... within 10 s */
	uint32_t brute_other;		/* 60 short connections elsewhere */
	uint32_t brute_short_ms;	/* "short": closed within 30 s */
	uint32_t brute_small_bytes;	/* ... having sent back <= 16 KiB */

	/* floods (per second, 1 s sliding window) */
	uint32_t flood_syn_pps;		/* 1000 SYN/s */
	uint32_t flood_halfopen;	/* or 50 SYNs to one host, more than
					 * completed handshakes ... */
	uint32_t flood_halfopen_ms;	/* ... within 1 s */
	uint32_t flood_udp_fps;		/* 1000 new UDP flows/s */
	uint32_t flood_udp_pps;		/* 20000 pkt/s on one unanswered flow */
	uint32_t flood_icmp_pps;	/* 1000 requests/s */
	uint32_t amp_ratio;		/* answers >= 10 x the questions */
	uint32_t amp_bytes;		/* 1 MB of such answers ... */
	uint32_t amp_window_ms;		/* ... within 10 s */

	/* lateral movement: denied device-to-device attempts */
	uint32_t lateral_window_ms;	/* 300 s */
	uint32_t lateral_targets;	/* 8 distinct (host, port) */
	uint32_t lateral_attempts;	/* or 30 attempts ... */
	uint32_t lateral_attempts_ms;	/* ... within 60 s */

	/* DNS */
	uint32_t dns_window_ms;		/* 300 s */
	uint32_t nxdomain_domains;	/* 10 registrable domains NXDOMAIN */
	uint32_t dga_domains;		/* 5 generated-looking ones NXDOMAIN */
	uint32_t dns_forged;		/* 1 forged answer */

	/* beacons */
	uint32_t beacon_min;		/* 10 connection starts */
	uint32_t beacon_min_period_ms;	/* 1 s */
	uint32_t beacon_max_period_ms;	/* 3600 s */
	uint32_t beacon_jitter_pct;	/* MAD <= 20 % of the median period */
	uint32_t beacon_learning_max_period_ms;	/* while learning: 10 s */
	uint32_t beacon_learning_min;	/* while learning: 20 starts */

	/* envelope */
	uint32_t env_window_ms;		/* 3600 s */
	uint32_t env_new_dsts;		/* 5 new destination prefixes */
};

/* The defaults. */
void det_config_default(struct det_config *c);

/* ---- the engine ---------------------------------------------------------- */

struct det_engine;
struct det_ioc;
struct det_envelope;

struct det_engine *det_engine_create(const struct det_config *c,
		det_alert_cb cb, void *arg);
void det_engine_destroy(struct det_engine *e);

/* Known-bad indicators to match (det_ioc.h); NULL for none. Not owned. */
void det_engine_set_ioc(struct det_engine *e, const struct det_ioc *ioc);

/* One event, in time order. */
void det_event(struct det_engine *e, const struct det_ev *ev);

/* Let time pass (pending attempts age, windows slide): call at least once
 * a second of event time, and at the end with the last time. */
void det_tick(struct det_engine *e, uint64_t now_us);

/* ---- observations from fingerprint/ (by the caller's device) ---- */

/* A DNS answer to the device: the first question's name, rcode, and the
 * A/AAAA addresses in it (16 bytes each, IPv4 mapped). */
void det_dns_answer(struct det_engine *e, const uint8_t mac[6],
		uint16_t vlan, uint64_t ts_us, const char *qname,
		uint8_t rcode, const uint8_t (*addrs)[16], uint32_t n_addrs);
/* A DNS query from the device. */
void det_dns_query(struct det_engine *e, const uint8_t mac[6],
		uint16_t vlan, uint64_t ts_us, const char *qname,
		const uint8_t src[16], const uint8_t dst[16]);

enum det_facet {
	DET_FACET_DHCP = 0,	/* DHCP: option 55 list and vendor class */
	DET_FACET_OS,		/* p0f OS genre of the device's SYNs */
	DET_FACET_JA4,		/* a TLS ClientHello's JA4 */
	DET_FACET_JA3,		/* its JA3 (MD5), for indicators */
	DET_FACET_MAX
};

/* An identity facet of the device (text as given, e.g. the JA4). */
void det_facet(struct det_engine *e, const uint8_t mac[6], uint16_t vlan,
		uint64_t ts_us, enum det_facet f, const char *value);

/* An address the device owns (DHCP lease, its ARP/ND announcements). */
void det_own_addr(struct det_engine *e, const uint8_t mac[6], uint16_t vlan,
		const uint8_t addr[16]);

/*
 * The device was released from quarantine: forget what it was counted for
 * and arm every detector again, so that offending again is caught at once
 * (not an hour later). Its envelope and addresses stay. 0 or -ENOENT.
 */
int det_release(struct det_engine *e, const uint8_t mac[6], uint16_t vlan);

/* ---- envelope -------------------------------------------------------- */

/* Freeze every device's envelope now (cordon-detect --learn-until). */
void det_learn_stop(struct det_engine *e, uint64_t now_us);
/* Start learning the device again (the operator's re-learn). */
int det_relearn(struct det_engine *e, const uint8_t mac[6], uint16_t vlan,
		uint64_t now_us);
/* The device's envelope (det_envelope.h), or NULL if none. */
const struct det_envelope *det_envelope_of(const struct det_engine *e,
		const uint8_t mac[6], uint16_t vlan);
/* Install an envelope (stored by cordond, or from a MUD profile). */
int det_envelope_install(struct det_engine *e, const struct det_envelope *env);
/* Call cb for every device's envelope. */
void det_envelope_foreach(const struct det_engine *e,
		void (*cb)(const struct det_envelope *env, void *arg),
		void *arg);

/* ---- counters ----------------------------------------------------- */

struct det_stats {
	uint64_t events[DET_EV_MAX];
	uint64_t alerts[DET_N];		/* raised */
	uint64_t suppressed[DET_N];	/* would have fired, re-armed later */
	uint64_t devices;		/* states in use */
	uint64_t devices_recycled;	/* a full table reused the idlest */
	uint64_t set_full;		/* attempt sets that refused an entry */
	uint64_t observations;		/* det_dns_* / det_facet calls */
};

void det_engine_stats(const struct det_engine *e, struct det_stats *s);

/* Devices seen (for per-device-hour rates): first and last event time. */
void det_device_foreach(const struct det_engine *e,
		void (*cb)(const uint8_t mac[6], uint16_t vlan, uint64_t first_us,
			uint64_t last_us, void *arg), void *arg);

#ifdef __cplusplus
}
#endif

#endif /* CORDON_DET_H */
