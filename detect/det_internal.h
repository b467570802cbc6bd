/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_DET_INTERNAL_H
#define CORDON_DET_INTERNAL_H

/*
 * The engine's per-device state and what the detector modules share.
 * Each detector keeps a fixed-size part of struct det_dev; the engine
 * dispatches events to them and raises their alerts (det_raise), at most
 * one per device and detector per re-arm time.
 */

#include <string.h>

#include "det.h"
#include "det_envelope.h"

#define DET_MS 1000ull			/* microseconds in a millisecond */
#define DET_S 1000000ull

/* ---- small helpers (det_util.c) ---- */

uint64_t det_hash(const void *p, size_t n, uint64_t seed);
bool det_addr_is_v4(const uint8_t a[16]);
/* RFC 1918, RFC 6598, link-local, ULA, loopback: not the internet. */
bool det_addr_is_local(const uint8_t a[16]);
bool det_addr_is_group(const uint8_t a[16]);	/* multicast, broadcast */
bool det_addr_is_zero(const uint8_t a[16]);
/* "192.0.2.1" / "2001:db8::1" into buf (>= 46 bytes). */
const char *det_addr_str(const uint8_t a[16], char *buf, size_t len);
const char *det_proto_name(uint8_t proto, char *buf, size_t len);
/*
 * The registrable domain of a DNS name (lower-cased into out, >= 254
 * bytes): its last two labels, three when the second-level label is a
 * generic one under a country code (co.uk, com.au, ...). A heuristic, not
 * the Public Suffix List. Returns its length, 0 when the name has one
 * label or belongs to a local or reverse zone (.local, .arpa, ...).
 */
size_t det_registrable(const char *name, char *out, size_t cap);

/* ---- a count over a sliding window: two half-buckets ---- */

struct det_rate {
	uint64_t start_us;	/* current bucket */
	uint32_t cur, prev;
};

/* Add n at now; returns the estimate over the last win_us. */
uint32_t det_rate_add(struct det_rate *r, uint64_t now_us, uint64_t win_us,
		uint32_t n);

/* ---- per-detector state ---- */

#define DET_TRANSIT_SRCS 8

/* Scan attempts: one entry per (source, target, port). */
#define DET_ATTEMPTS 64
enum { ATT_FREE = 0, ATT_PENDING, ATT_ANSWERED, ATT_FAILED, ATT_REAL };

struct det_attempt {
	uint64_t ts_us;		/* first attempt */
	uint64_t src_h;		/* hash of the device's source address */
	uint8_t dst[16];
	uint16_t sport, dport;
	uint8_t proto;
	uint8_t status;
	uint8_t resolved;	/* the device had looked the target up */
	uint8_t pad;
};

/* Sweep targets (ICMP hosts, ARP/ND targets). */
#define DET_TARGETS 64
struct det_target {
	uint64_t ts_us;		/* first request */
	uint8_t addr[16];
	uint8_t answered;
	uint8_t pad[7];
};

struct det_sweep {
	struct det_target t[DET_TARGETS];
};

/* Brute force: per service (target, port). */
#define DET_SERVICES 8
struct det_service {
	uint64_t src_h;
	uint8_t dst[16];
	uint16_t dport;
	uint8_t proto;
	uint8_t used;
	struct det_rate rate;	/* connections in the window */
	struct det_rate fast;	/* login ports: short sessions */
	uint32_t n_ex;
	uint64_t last_us;
	uint16_t sport[DET_EXAMPLES];
	uint64_t ts[DET_EXAMPLES];
};

/* SYNs toward one host that have not (yet) completed a handshake. */
#define DET_HALFOPEN_DSTS 4
struct det_halfopen {
	uint64_t h;		/* hash of the target address; 0: free */
	uint64_t first_us;	/* first SYN of the burst */
	uint64_t last_us;
	struct det_rate syn, done;
};

struct det_flood {
	struct det_halfopen ho[DET_HALFOPEN_DSTS];
	struct det_rate syn, udp_new, icmp;
	struct det_rate amp;	/* amplified answer bytes */
	uint64_t syn_first, udp_first, icmp_first, amp_first;
	struct det_example ex[4];	/* recent targets */
	uint32_t n_ex;
};

#define DET_DENIED 32
struct det_lateral {
	struct det_attempt d[DET_DENIED];	/* distinct denied targets */
	struct det_rate attempts;
	uint64_t attempts_first;
};

/* DNS: registrable domains answered NXDOMAIN, and generated-looking. */
#define DET_NAMES 32
struct det_name {
	uint64_t ts_us;
	uint64_t h;
	uint16_t score;		/* det_dga_score() x 1000 */
	uint8_t nx;
	uint8_t used;
};

/* Addresses the device looked up, for scans and the envelope. */
#define DET_RESOLVED 128
struct det_resolved {
	uint64_t addr_h;
	uint64_t name_h;	/* registrable domain */
	uint64_t ts_us;
};

struct det_dns {
	struct det_name nx[DET_NAMES];
	struct det_name dga[DET_NAMES];
	char nx_ex[4][64];	/* the first names, for the evidence */
	char dga_ex[4][64];
	struct det_resolved res[DET_RESOLVED];
};

/* Beacons: connection starts per destination. */
#define DET_BEACON_DSTS 8
#define DET_BEACON_STARTS 24
struct det_beacon_dst {
	uint64_t key;		/* name or address hash */
	uint8_t dst[16];
	uint16_t dport;
	uint8_t proto;
	uint8_t n;		/* starts held (ring) */
	uint8_t head;
	uint8_t named;
	uint16_t pad;
	uint32_t total;
	uint64_t last_us;
	uint64_t first_us;
	uint64_t start[DET_BEACON_STARTS];
};

struct det_beacon {
	struct det_beacon_dst d[DET_BEACON_DSTS];
};

struct det_fired {
	uint64_t at_us;		/* last alert; 0 never */
};

struct det_dev {
	uint64_t key;		/* vlan << 48 | mac, 0: free */
	uint64_t first_us, last_us;
	uint32_t hnext;		/* hash chain */
	uint32_t idx;
	uint8_t n_addrs;	/* own addresses (DHCP, ARP, ND) */
	uint8_t addrs[DET_DEV_ADDRS][16];
	uint8_t n_srcs;		/* source addresses seen on flows */
	uint8_t srcs[DET_DEV_ADDRS][16];
	/* distinct sources it sent from: more than DET_TRANSIT_SRCS is a
	 * router's MAC carrying others' traffic (transit) */
	uint8_t n_src_h;
	bool transit;
	uint32_t src_h[DET_TRANSIT_SRCS];
	bool scan_pending;	/* attempts waiting for the grace time */
	uint64_t released_us;	/* det_release(): flows begun before are
				 * the old offence's tail */
	struct det_attempt att[DET_ATTEMPTS];
	struct det_sweep icmp, arp, nd;
	struct det_service svc[DET_SERVICES];
	struct det_flood flood;
	struct det_lateral lat;
	struct det_dns dns;
	struct det_beacon beacon;
	struct det_envelope env;
	uint64_t env_hits_first;
	uint32_t env_new_dsts;	/* in the current envelope window */
	uint64_t env_window_start;
	struct det_example env_ex[DET_EXAMPLES];
	uint32_t env_n_ex;
	uint8_t ja4_miss;	/* consecutive JA4s outside the envelope */
	uint8_t env_n_pending;
	uint32_t env_pending[16];	/* novelties counted this window */
	uint8_t env_pending_set[16];
	uint8_t env_rep_head;
	uint32_t env_reported[32];	/* novelties an alert reported: not */
	uint8_t env_reported_set[32];	/* reported again (a ring) */
	struct det_fired fired[DET_N];
};

struct det_engine {
	struct det_config c;
	det_alert_cb cb;
	void *cb_arg;
	const struct det_ioc *ioc;
	struct det_dev *dev;		/* [c.max_devices] */
	uint32_t *head;			/* hash heads, [nbuckets] */
	uint32_t nbuckets;
	uint32_t used;
	uint32_t seq;
	uint64_t now_us;
	uint64_t learn_stop_us;		/* det_learn_stop(), 0: none */
	struct det_stats st;
};

/* Find or make the device's state (never NULL once created). */
struct det_dev *det_dev_get(struct det_engine *e, const uint8_t mac[6],
		uint16_t vlan, uint64_t now_us);
struct det_dev *det_dev_find(const struct det_engine *e,
		const uint8_t mac[6], uint16_t vlan);

/*
 * Raise an alert for detector d on the device unless it fired within the
 * re-arm time (then counted as suppressed). Returns true if raised.
 */
bool det_raise(struct det_engine *e, struct det_dev *dv, enum det_detector d,
		uint64_t ts_us, uint64_t first_us, const struct det_evidence *ev);
/* Would det_raise() raise now? (skips building evidence). */
bool det_armed(const struct det_engine *e, const struct det_dev *dv,
		enum det_detector d, uint64_t now_us);

/* Evidence helpers. */
void det_ev_init(struct det_evidence *ev, const char *what, const char *key,
		uint64_t count, uint64_t threshold, uint64_t window_ms);
void det_ev_add(struct det_evidence *ev, uint64_t ts_us, uint8_t proto,
		const uint8_t src[16], uint16_t sport, const uint8_t dst[16],
		uint16_t dport);
void det_ev_detail(struct det_evidence *ev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Sort the examples by time. */
void det_ev_sort(struct det_evidence *ev);

/* x: ev's time, protocol, addresses and ports, as an example. */
static inline void
det_example_of(struct det_example *x, const struct det_ev *ev)
{
	memset(x, 0, sizeof(*x));
	x->ts_us = ev->ts_us;
	x->proto = ev->proto;
	x->sport = ev->sport;
	x->dport = ev->dport;
	memcpy(x->src, ev->src, 16);
	memcpy(x->dst, ev->dst, 16);
}

/* ---- detector modules: each sees the events it cares about ---- */

/* A detector's hook for an event of device dv. */
typedef void det_event_fn(struct det_engine *e, struct det_dev *dv,
		const struct det_ev *ev);

det_event_fn det_scan_event;
void det_scan_tick(struct det_engine *e, struct det_dev *dv, uint64_t now);
det_event_fn det_sweep_event;
det_event_fn det_brute_event;
det_event_fn det_flood_event;
det_event_fn det_lateral_event;
det_event_fn det_beacon_event;
det_event_fn det_envelope_event;
det_event_fn det_ioc_event;

void det_dns_on_answer(struct det_engine *e, struct det_dev *dv,
		uint64_t ts, const char *qname, uint8_t rcode,
		const uint8_t (*addrs)[16], uint32_t n);
void det_dns_on_query(struct det_engine *e, struct det_dev *dv, uint64_t ts,
		const char *qname, const uint8_t src[16], const uint8_t dst[16]);
det_event_fn det_dns_forged_event;
/* Name hash of the registrable domain the device resolved addr from, or 0. */
uint64_t det_dns_resolved(const struct det_dev *dv, const uint8_t addr[16],
		uint64_t now_us);

void det_identity_facet(struct det_engine *e, struct det_dev *dv,
		uint64_t ts, enum det_facet f, const char *value);
void det_ioc_name(struct det_engine *e, struct det_dev *dv, uint64_t ts,
		const char *name, const uint8_t src[16], const uint8_t dst[16]);
void det_ioc_facet(struct det_engine *e, struct det_dev *dv, uint64_t ts,
		enum det_facet f, const char *value);

/* The device sent this from a source of its own (its announced
 * addresses, or any source when it is not a router carrying others'). */
bool det_own_src(const struct det_dev *dv, const uint8_t src[16]);
/* Note a source address the device sent from. */
void det_note_src(struct det_dev *dv, const uint8_t a[16]);

/* Is the device still learning its envelope at now? */
bool det_learning(const struct det_engine *e, const struct det_dev *dv,
		uint64_t now_us);

#endif /* CORDON_DET_INTERNAL_H */
