/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The packet path's side of detection, see dp_detect.h.
 */

#include <netinet/in.h>
#include <stddef.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>

#include "dp_detect.h"

void
dp_detect_init(struct dp_detect *d, const struct device_table *devices,
		struct det_dnsmatch *dns, dp_detect_emit_fn emit, void *arg)
{
	memset(d, 0, sizeof(*d));
	d->devices = devices;
	d->dns = dns;
	d->emit = emit;
	d->arg = arg;
}

enum det_dnsmatch_rc
dp_detect_answer_rc(const struct dp_detect *d, const uint8_t *msg)
{
	for (uint32_t i = 0; i < d->n_answers; i++)
		if (d->answers[i].msg == msg)
			return (enum det_dnsmatch_rc)d->answers[i].rc;
	return DET_DNS_RC_MAX;
}

/*
 * Where the next event is built: in place, in the worker's ring (d->slot),
 * so that it is written once; in d->scratch when there is no slot function
 * or the ring has no room (then it is dropped, and the slot function has
 * counted that).
 */
static inline struct det_ev *
dp_det_slot(struct dp_detect *d)
{
	struct det_ev *ev;

	if (d->slot == NULL || (ev = d->slot(d->arg)) == NULL)
		return &d->scratch;
	return ev;
}

/* The event from dp_det_slot() is complete. */
static inline void
dp_det_done(struct dp_detect *d, struct det_ev *ev)
{
	d->st.events++;
	if (d->slot == NULL)
		d->emit(d->arg, ev);
}

/* A copy of the event just done, in a slot of its own. */
static inline struct det_ev *
dp_det_again(struct dp_detect *d, const struct det_ev *ev)
{
	struct det_ev *s = dp_det_slot(d);

	if (s != ev)
		*s = *ev;
	return s;
}

/* An event built elsewhere (the rarer kinds, built on the stack). */
static void
dp_det_emit(struct dp_detect *d, const struct det_ev *ev)
{
	dp_det_done(d, dp_det_again(d, ev));
}

/* The MAC of a flow end's device, from the device table. */
static bool
dp_det_dev_mac(const struct dp_detect *d, uint32_t dev, uint8_t mac[6],
		uint16_t *vlan)
{
	uint64_t k;

	if (dev == DEVICE_NONE || d->devices == NULL || dev >= d->devices->max)
		return false;
	k = __atomic_load_n(&device_at(d->devices, dev)->key,
			__ATOMIC_ACQUIRE);
	if (k == 0)
		return false;
	*vlan = (uint16_t)((k >> 48) & 0xfff);
	/* the key's low 48 bits are the MAC, first byte highest */
	k = rte_cpu_to_be_64(k << 16);
	memcpy(mac, &k, 6);
	return true;
}

_Static_assert(sizeof(struct det_ev) == 96 &&
	offsetof(struct det_ev, pad) == 91,
	"dp_det_flow_new() writes each field of det_ev: add the new ones");

/* A flow's rate milestone: its 2^k-th packet from one side, k >= 10. */
static inline bool
dp_det_pow2k(uint64_t n)
{
	return n >= 1024 && (n & (n - 1)) == 0;
}

/* A new event about the flow's initiator (mac), seen from its side:
 * finish it, then dp_det_done(). */
static __rte_always_inline struct det_ev *
dp_det_flow_new(struct dp_detect *d, uint8_t kind, const struct flow_entry *e,
		const uint8_t mac[6], const uint8_t peer[6], uint64_t now_us)
{
	const uint8_t is = e->init_side;
	struct flow_key k;
	struct det_ev *ev;

	if (d->slot == NULL) {
		ev = &d->scratch;
	} else {
		ev = d->slot(d->arg);
		/* No room: dropped (counted), not worth building. */
		if (unlikely(ev == NULL))
			return &d->scratch;
	}
	/* Every byte once, no memset first: the slot is the ring's. */
	ev->ts_us = now_us;
	ev->kind = kind;
	ev->proto = e->key.proto;
	ev->flags = (e->tflags & FLOW_TF_MIDSTREAM) ? DET_EVF_MIDSTREAM : 0;
	ev->state = 0;
	ev->vlan = e->key.vlan & 0xfff;
	memcpy(ev->mac, mac, 6);
	if (peer != NULL)
		memcpy(ev->peer_mac, peer, 6);
	else
		memset(ev->peer_mac, 0, 6);
	ev->icmp_type = 0;
	ev->icmp_code = 0;
	flow_entry_key(e, &k);
	memcpy(ev->src, k.addr[is], 16);
	memcpy(ev->dst, k.addr[is ^ 1], 16);
	ev->sport = e->key.port[is];
	ev->dport = e->key.port[is ^ 1];
	ev->len = 0;
	ev->dur_ms = 0;
	ev->dns_id = 0;
	ev->dns_why = 0;
	/* pad, and the struct's tail padding */
	memset(&ev->pad, 0, sizeof(*ev) - offsetof(struct det_ev, pad));
	/* Low halves: what an event carries. */
	ev->pkts[0] = e->pkts_lo[FLOW_DIR_ORIG];
	ev->pkts[1] = e->pkts_lo[FLOW_DIR_REPLY];
	ev->bytes[0] = e->bytes_lo[FLOW_DIR_ORIG];
	ev->bytes[1] = e->bytes_lo[FLOW_DIR_REPLY];
	return ev;
}

/* A new event about this packet's sender, seen from its side whichever
 * side of the flow that is: the packet's MACs and addresses. */
static __rte_always_inline struct det_ev *
dp_det_pkt_new(struct dp_detect *d, uint8_t kind, const struct flow_entry *e,
	       const struct pkt_meta *pm, uint64_t now_us)
{
	struct det_ev *ev = dp_det_flow_new(d, kind, e, pm->src_mac,
					    pm->dst_mac, now_us);

	memcpy(ev->src, pm->src_addr, 16);
	memcpy(ev->dst, pm->dst_addr, 16);
	return ev;
}

/* Where the UDP payload ends (the IP length, not Ethernet padding). */
static uint32_t
dp_det_payload_len(const struct pkt_meta *pm, uint32_t frame_len)
{
	uint32_t end = (uint32_t)pm->l3_off + pm->l3_len;

	if (end > frame_len)
		end = frame_len;
	return pm->payload_off != 0 && end > pm->payload_off ?
		end - pm->payload_off : 0;
}

/* The embedded packet of an ICMP error: the prober it answers. */
static void
dp_det_icmp_error(struct dp_detect *d, const struct pkt_meta *pm,
		const uint8_t *frame, uint32_t frame_len, uint64_t now_us)
{
	const uint8_t *p = frame + pm->inner_off;
	uint32_t left = frame_len > pm->inner_off ? frame_len - pm->inner_off :
		0, hl;
	struct det_ev ev;

	memset(&ev, 0, sizeof(ev));
	if (left >= 28 && (p[0] >> 4) == 4) {
		hl = (uint32_t)(p[0] & 0x0f) * 4;
		if (hl < 20 || left < hl + 4)
			return;
		ev.proto = p[9];
		ev.src[10] = ev.src[11] = ev.dst[10] = ev.dst[11] = 0xff;
		memcpy(ev.src + 12, p + 12, 4);
		memcpy(ev.dst + 12, p + 16, 4);
	} else if (left >= 44 && (p[0] >> 4) == 6) {
		hl = 40;
		ev.proto = p[6];
		memcpy(ev.src, p + 8, 16);
		memcpy(ev.dst, p + 24, 16);
	} else {
		return;
	}
	if (ev.proto != IPPROTO_TCP && ev.proto != IPPROTO_UDP &&
			ev.proto != IPPROTO_SCTP)
		return;
	ev.sport = (uint16_t)(p[hl] << 8 | p[hl + 1]);
	ev.dport = (uint16_t)(p[hl + 2] << 8 | p[hl + 3]);
	ev.ts_us = now_us;
	ev.kind = DET_EV_REJECTED;
	ev.vlan = pm->vlan_outer & 0xfff;
	ev.icmp_type = pm->icmp_type;
	ev.icmp_code = pm->icmp_code;
	/* the error goes back to the prober */
	memcpy(ev.mac, pm->dst_mac, 6);
	memcpy(ev.peer_mac, pm->src_mac, 6);
	dp_det_emit(d, &ev);
}

static void
dp_det_dns(struct dp_detect *d, const struct pkt_meta *pm,
		const uint8_t *frame, uint32_t frame_len, uint64_t now_us)
{
	uint32_t plen = dp_det_payload_len(pm, frame_len);
	const uint8_t *msg = frame + pm->payload_off;
	enum det_dnsmatch_rc rc;
	struct det_ev ev;
	uint16_t id;

	if (plen == 0 || (pm->flags & (PKT_F_FRAG | PKT_F_L2_MCAST)))
		return;
	if (pm->dport == 53) {
		d->st.dns_queries++;
		det_dnsmatch_query(d->dns, pm->src_addr, pm->sport,
				pm->dst_addr, msg, plen, now_us);
		return;
	}
	d->st.dns_answers++;
	rc = det_dnsmatch_answer(d->dns, pm->dst_addr, pm->dport,
			pm->src_addr, msg, plen, now_us, &id);
	if (d->n_answers < DP_DET_ANSWERS) {
		d->answers[d->n_answers].msg = msg;
		d->answers[d->n_answers++].rc = (uint8_t)rc;
	}
	if (rc != DET_DNS_UNMATCHED && rc != DET_DNS_NAME_MISMATCH)
		return;
	d->st.dns_forged++;
	/* about the device the answer was sent to */
	memset(&ev, 0, sizeof(ev));
	ev.ts_us = now_us;
	ev.kind = DET_EV_DNS_FORGED;
	ev.proto = IPPROTO_UDP;
	ev.vlan = pm->vlan_outer & 0xfff;
	memcpy(ev.mac, pm->dst_mac, 6);
	memcpy(ev.peer_mac, pm->src_mac, 6);
	memcpy(ev.src, pm->dst_addr, 16);
	memcpy(ev.dst, pm->src_addr, 16);
	ev.sport = pm->dport;
	ev.dport = pm->sport;
	ev.len = pm->l3_len;
	ev.dns_id = id;
	ev.dns_why = (uint8_t)rc;
	dp_det_emit(d, &ev);
}

static bool
dp_det_icmp_request(uint8_t family, uint8_t type)
{
	return family == 4 ? (type == 8 || type == 13 || type == 17) :
		type == 128;
}

static bool
dp_det_icmp_reply(uint8_t family, uint8_t type)
{
	return family == 4 ? (type == 0 || type == 14 || type == 18) :
		type == 129;
}

static void
dp_det_nd(struct dp_detect *d, const struct pkt_meta *pm, uint64_t now_us)
{
	struct det_ev ev;

	if (pm->icmp_type != 135 && pm->icmp_type != 136)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.ts_us = now_us;
	ev.kind = DET_EV_ND;
	ev.proto = IPPROTO_ICMPV6;
	ev.icmp_type = pm->icmp_type;
	ev.vlan = pm->vlan_outer & 0xfff;
	memcpy(ev.mac, pm->src_mac, 6);
	memcpy(ev.peer_mac, pm->dst_mac, 6);
	if (pm->icmp_type == 135) {
		memcpy(ev.src, pm->src_addr, 16);	/* :: for DAD */
		memcpy(ev.dst, pm->nd.target, 16);
	} else {
		ev.flags = DET_EVF_REPLY;
		memcpy(ev.src, pm->nd.target, 16);
		memcpy(ev.dst, pm->dst_addr, 16);
	}
	dp_det_emit(d, &ev);
}

/*
 * The initiator reuses a tuple whose connection ended (RST, or FIN both
 * ways): the flow table made it a new connection (SYN_SENT again), and so
 * does detection. Else a scanner that keeps its source port (nmap does for
 * a whole scan; hping3 -s -k) and scans again while the old entries live
 * (CLOSED: 10 s) would only be a retransmission: no attempt, no answer.
 * Called after flow_update(); the old connection's bits are then cleared,
 * so the new one's own retransmissions are not new again.
 */
static bool
dp_det_reopened(const struct flow_entry *e, uint8_t tf, unsigned int dir)
{
	return e->key.proto == IPPROTO_TCP && dir == FLOW_DIR_ORIG &&
		(tf & (FLOW_TCP_SYN | FLOW_TCP_ACK)) == FLOW_TCP_SYN &&
		e->state == FLOW_S_TCP_SYN_SENT &&
		(e->user_flags & (DP_DET_UF_ANSWERED | DP_DET_UF_CLOSED)) &&
		((e->tcp_flags_seen[FLOW_DIR_ORIG] |
		  e->tcp_flags_seen[FLOW_DIR_REPLY]) &
		 (FLOW_TCP_FIN | FLOW_TCP_RST));
}

void
dp_detect_ip_slow(struct dp_detect *d, const struct pkt_meta *pm,
		const uint8_t *frame, uint32_t frame_len, struct flow_entry *e,
		unsigned int dir, bool denied, uint64_t now_us,
		uint32_t now_ms)
{
	const bool created = (e->user_flags & DP_DET_UF_NEW) != 0 ||
		dp_det_reopened(e, pm->tcp_flags, dir);
	const uint8_t proto = e->key.proto;
	/* the initiator's MAC: the sender of an initiator's packet, the
	 * receiver of a reply */
	const uint8_t *imac = dir == FLOW_DIR_ORIG ? pm->src_mac : pm->dst_mac;
	const uint8_t *rmac = dir == FLOW_DIR_ORIG ? pm->dst_mac : pm->src_mac;
	const uint8_t tf = pm->tcp_flags;
	const uint32_t n_lo = e->pkts_lo[dir];
	uint8_t uf = e->user_flags;
	struct det_ev *ev;

	d->st.slow++;
	/* from the first packet on, every query passes here: the matcher
	 * can call an answer with none unmatched a timeout later */
	if (unlikely(!d->watching) && d->dns != NULL) {
		det_dnsmatch_watch(d->dns, now_us);
		d->watching = true;
	}
	if (created) {
		uf &= (uint8_t)~DP_DET_UF_MASK;
		if (proto != IPPROTO_TCP)
			uf |= DP_DET_UF_DATA;
		if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6)
			uf |= DP_DET_UF_WATCH;
		if (proto == IPPROTO_UDP && (pm->sport == 53 ||
				pm->dport == 53))
			uf |= DP_DET_UF_WATCH;
		/* Below, an amplifier's answers make events, one each; the
		 * asker's packets none. Which side is the amplifier is known
		 * from the flow's key (the responder's port), not from this
		 * packet, which may be either. */
		e->user8 = (uint8_t)((e->user8 & ~DP_DET_U8_WATCH_REPLY) |
			(proto == IPPROTO_UDP &&
			 det_amp_port(e->key.port[e->init_side ^ 1]) ?
			 DP_DET_U8_WATCH_REPLY : 0));
		ev = dp_det_flow_new(d, DET_EV_FLOW_NEW, e, imac, rmac, now_us);
		if (pm->flags & PKT_F_L2_MCAST)
			ev->flags |= DET_EVF_L2_MCAST;
		/* an answer whose question we missed (the flow expired, or
		 * went another way): its "initiator" is really the server */
		if (proto == IPPROTO_UDP && pm->dport >= 1024 &&
				(pm->sport == 53 || pm->sport == 67 ||
				 pm->sport == 68 || pm->sport == 123))
			ev->flags |= DET_EVF_MIDSTREAM;
		if (pm->flags & PKT_F_ICMP) {
			ev->icmp_type = pm->icmp_type;
			ev->icmp_code = pm->icmp_code;
		}
		ev->len = pm->l3_len;
		dp_det_done(d, ev);
		if (denied) {
			ev = dp_det_again(d, ev);
			ev->kind = DET_EV_FLOW_DENIED;
			dp_det_done(d, ev);
		}
	}

	if (proto == IPPROTO_TCP) {
		bool data = pm->payload_off != 0 &&
			(uint32_t)pm->l3_off + pm->l3_len > pm->payload_off;
		uint8_t kind = 0;

		if (!created && dir == FLOW_DIR_ORIG &&
				(tf & (FLOW_TCP_SYN | FLOW_TCP_ACK)) ==
				FLOW_TCP_SYN)
			kind = DET_EV_SYN;	/* again, or a new connection */
		else if (dir == FLOW_DIR_REPLY && !(uf & DP_DET_UF_ANSWERED))
			kind = (tf & FLOW_TCP_RST) ? DET_EV_REJECTED :
				DET_EV_ANSWERED;
		if (dir == FLOW_DIR_REPLY)
			uf |= DP_DET_UF_ANSWERED;
		if (kind != 0) {
			ev = dp_det_flow_new(d, kind, e, imac, rmac, now_us);
			dp_det_done(d, ev);
		}
		if ((tf & (FLOW_TCP_FIN | FLOW_TCP_RST)) &&
				kind != DET_EV_REJECTED) {
			kind = 0;
			if (!(uf & DP_DET_UF_DATA) && !data)
				kind = dir == FLOW_DIR_ORIG ? DET_EV_ABORTED :
					DET_EV_REJECTED;
			else if (!(uf & DP_DET_UF_CLOSED))
				kind = DET_EV_CLOSED;
			uf |= DP_DET_UF_CLOSED;
			if (kind != 0) {
				ev = dp_det_flow_new(d, kind, e, imac, rmac,
						now_us);
				ev->dur_ms = now_ms - flow_cold(e)->created;
				dp_det_done(d, ev);
			}
		}
		if (data && !(uf & DP_DET_UF_DATA)) {
			uf |= DP_DET_UF_DATA;
			ev = dp_det_flow_new(d, DET_EV_DATA, e, imac, rmac,
					now_us);
			dp_det_done(d, ev);
		}
	} else {
		if (dir == FLOW_DIR_REPLY && !(uf & DP_DET_UF_ANSWERED)) {
			uf |= DP_DET_UF_ANSWERED;
			/* an ICMP error is no answer to the flow it is in */
			if (!(pm->flags & PKT_F_ICMP_ERR)) {
				ev = dp_det_flow_new(d, DET_EV_ANSWERED, e,
						imac, rmac, now_us);
				dp_det_done(d, ev);
			}
		}
		if (pm->flags & PKT_F_ICMP) {
			const uint8_t fam = e->key.family;

			if (pm->flags & PKT_F_ICMP_ERR) {
				dp_det_icmp_error(d, pm, frame, frame_len,
						now_us);
			} else if (pm->flags & PKT_F_ND) {
				dp_det_nd(d, pm, now_us);
			} else if (dp_det_icmp_request(fam, pm->icmp_type)) {
				ev = dp_det_pkt_new(d, DET_EV_ICMP_REQ, e, pm,
						now_us);
				ev->icmp_type = pm->icmp_type;
				ev->icmp_code = pm->icmp_code;
				ev->len = pm->l3_len;
				if (pm->flags & PKT_F_L2_MCAST)
					ev->flags |= DET_EVF_L2_MCAST;
				dp_det_done(d, ev);
			} else if (dp_det_icmp_reply(fam, pm->icmp_type)) {
				/* answered above */
			}
		}
		if (proto == IPPROTO_UDP) {
			if (d->dns != NULL && (pm->sport == 53 ||
					pm->dport == 53))
				dp_det_dns(d, pm, frame, frame_len, now_us);
			if (dir == FLOW_DIR_REPLY &&
					det_amp_port(e->key.port[
						e->init_side ^ 1])) {
				/* about the answering device, then the
				 * asking one */
				ev = dp_det_pkt_new(d, DET_EV_AMP_REPLY, e, pm,
						now_us);
				ev->sport = pm->sport;
				ev->dport = pm->dport;
				ev->flags |= DET_EVF_INBOUND;
				ev->len = pm->l3_len;
				dp_det_done(d, ev);
				{
					uint8_t om[6];
					uint16_t ov;

					/* the asker is whoever sent the
					 * flow's first packet, whatever
					 * source it wrote */
					if (!dp_det_dev_mac(d,
							e->dev[FLOW_DIR_ORIG],
							om, &ov))
						memcpy(om, imac, 6);
					ev = dp_det_flow_new(d,
						DET_EV_AMP_REPLY, e, om,
						rmac, now_us);
				}
				ev->len = pm->l3_len;
				dp_det_done(d, ev);
			}
		}
	}
	/* a flow's rate, at its 2^k-th packet from this side (k >= 10) */
	if (unlikely(dp_detect_milestone_lo(n_lo)) &&
	    dp_det_pow2k(flow_pkts(e, dir))) {
		ev = dp_det_pkt_new(d, DET_EV_RATE, e, pm, now_us);
		ev->sport = pm->sport;
		ev->dport = pm->dport;
		ev->pkts[0] = n_lo;
		ev->pkts[1] = e->pkts_lo[dir ^ 1];
		ev->bytes[0] = e->bytes_lo[dir];
		ev->bytes[1] = e->bytes_lo[dir ^ 1];
		ev->dur_ms = now_ms - flow_cold(e)->created;
		dp_det_done(d, ev);
	}
	e->user_flags = uf;
}

void
dp_detect_l2(struct dp_detect *d, const struct pkt_meta *pm, uint64_t now_us)
{
	struct det_ev ev;

	if (!(pm->flags & PKT_F_ARP) || (pm->arp.op != 1 && pm->arp.op != 2))
		return;
	d->st.slow++;
	memset(&ev, 0, sizeof(ev));
	ev.ts_us = now_us;
	ev.kind = DET_EV_ARP;
	ev.vlan = pm->vlan_outer & 0xfff;
	memcpy(ev.mac, pm->arp.sha, 6);
	ev.src[10] = ev.src[11] = ev.dst[10] = ev.dst[11] = 0xff;
	memcpy(ev.src + 12, pm->arp.spa, 4);
	if (pm->arp.op == 2) {
		ev.flags = DET_EVF_REPLY;
		memcpy(ev.peer_mac, pm->arp.tha, 6);
		memcpy(ev.dst + 12, pm->arp.tpa, 4);
	} else {
		memcpy(ev.peer_mac, pm->dst_mac, 6);
		memcpy(ev.dst + 12, pm->arp.tpa, 4);
	}
	dp_det_emit(d, &ev);
}

void
dp_detect_flow_end(struct dp_detect *d, const struct flow_entry *e,
		enum flow_end_reason why, uint64_t now_us, uint32_t now_ms)
{
	uint8_t mac[6], peer[6];
	uint16_t vlan;
	struct det_ev *ev;
	bool answered = flow_pkts(e, FLOW_DIR_REPLY) > 0;

	(void)why;
	if (!dp_det_dev_mac(d, e->dev[FLOW_DIR_ORIG], mac, &vlan))
		return;
	if (!dp_det_dev_mac(d, e->dev[FLOW_DIR_REPLY], peer, &vlan))
		memset(peer, 0, sizeof(peer));
	ev = dp_det_flow_new(d, DET_EV_FLOW_END, e, mac, peer, now_us);
	ev->dur_ms = e->last_seen - flow_cold(e)->created;
	(void)now_ms;
	if (answered)
		ev->flags |= DET_EVF_ANSWERED;
	/* a connection, not a probe: TCP payload with an answer; UDP: any
	 * answer */
	if (answered && (e->key.proto != IPPROTO_TCP ||
			(e->user_flags & DP_DET_UF_DATA)))
		ev->flags |= DET_EVF_DATA;
	ev->state = !answered ? DET_END_UNANSWERED :
		!(e->user_flags & DP_DET_UF_DATA) ? DET_END_REJECTED :
		e->state == FLOW_S_TCP_CLOSED ? DET_END_CLOSED : DET_END_OPEN;
	dp_det_done(d, ev);
}
