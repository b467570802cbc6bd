/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>
#include <rte_log.h>

#include "agent.h"
#include "dns_snoop.h"
#include "dp_ask.h"
#include "dp_cap.h"
#include "detector.h"
#include "dp_policy.h"
#include "dp_report.h"
#include "flow_dump.h"
#include "wire_id.h"
#include "wire_nng.h"
#include "wire_tls.h"

/*
 * Reports are kept for cordond while it does not acknowledge them, up to
 * --report-queue (256 by default: 4 min of reports at the default second).
 * When the queue is full the main lcore makes no new report
 * (agent_report_defer()), so none made is ever pushed out.
 */
/* Alerts kept likewise; they go before any report. */
#define AGENT_ALERTS 256

struct agent_report {
	Cordon__MsgType type;	/* MSG_STATS_REPORT, MSG_ALERT or MSG_ENVELOPE */
	uint64_t seq;
	uint8_t *buf;
	size_t len;
};

/*
 * Reports or alerts, oldest first, in a ring of cap entries (under the
 * agent's lock). The main lcore pushes; the agent thread sends a copy of
 * the head and pops it once cordond has taken it.
 */
struct agent_ring {
	struct agent_report *e;
	unsigned int cap;
	unsigned int head;
	unsigned int len;
};

static void
agent_ring_init(struct agent_ring *r, struct agent_report *e,
		unsigned int cap)
{
	r->e = e;
	r->cap = cap;
}

static struct agent_report *
agent_ring_head(struct agent_ring *r)
{
	return &r->e[r->head];
}

/* Free the oldest entry. */
static void
agent_ring_pop(struct agent_ring *r)
{
	free(r->e[r->head].buf);
	r->head = (r->head + 1) % r->cap;
	r->len--;
}

/* Append one; the caller made room. */
static void
agent_ring_push(struct agent_ring *r, Cordon__MsgType type, uint64_t seq,
		uint8_t *buf, size_t len)
{
	struct agent_report *e = &r->e[(r->head + r->len) % r->cap];

	e->type = type;
	e->seq = seq;
	e->buf = buf;
	e->len = len;
	r->len++;
}

/* How long cordond may hold a poll, and how long we wait for its answer. */
#define AGENT_POLL_WAIT_MS 10000
#define AGENT_POLL_TIMEOUT_MS (AGENT_POLL_WAIT_MS + 5000)
/* The back-off of a report cordond could not store. */
#define AGENT_BACKOFF_MIN_MS 250
#define AGENT_BACKOFF_MAX_MS 8000
/* A poll refused waits this long, twice that after each refusal. */
#define AGENT_POLL_REFUSED_MIN_MS 200u
#define AGENT_POLL_REFUSED_MAX_MS 5000u
/* How long a stop may take (see agent_stop()). */
#define AGENT_STOP_MS 5000u

struct agent {
	struct dp *dp;
	nng_socket sock;
	nng_socket poll_sock;		/* long polls for policies */
	nng_socket cap_sock;		/* captures' dumps */
	/* The poll thread's calls on poll_sock: agent_stop_main() ends
	 * them with nng_aio_stop(), never by closing the socket under
	 * them (see there). */
	nng_aio *poll_aio;
	pthread_t thread;
	pthread_t poll_thread;
	pthread_t cap_thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	/* The capture the capture thread takes (under lock): the poll
	 * thread goes on polling meanwhile (policies, grants, flows). */
	pthread_cond_t cap_cond;
	struct wire_msg cap_q;
	bool cap_have;		/* cap_q waits for the capture thread */
	bool cap_busy;		/* one is taken or waits */
	bool stop;		/* under lock */
	bool need_hello;	/* under lock */
	/* A cordond older than wire minor 5 refused Hello.boot_id: this
	 * run's hellos go without it (atomic: the poll thread reads it). */
	bool boot_by_start;
	/* Over tls+tcp: our certificate chain, and the proofs of our id for
	 * this run with its boot id and without (wire_id.h); else NULL. */
	struct wire_id *id;
	ProtobufCBinaryData proof_boot, proof_start;
	uint32_t pipes;		/* pipes to cordond up; under lock */
	uint64_t request_id;
	/* Reports the main lcore built, oldest first, until acknowledged
	 * (under lock): a ring of --report-queue entries, q_slots. */
	struct agent_ring q;
	uint64_t refusing;	/* refusals in a row (agent thread only) */
	bool q_overflowing;	/* under lock: said once per episode */
	uint64_t q_deferred;	/* under lock: intervals, this episode */
	/* Alerts and envelopes (packed), the same way. */
	struct agent_report aq_slots[AGENT_ALERTS];
	struct agent_ring aq;
	struct agent_stats st;	/* relaxed atomics: read by main */
	struct agent_report q_slots[];
};

#define AGENT_CNT(a, f) __atomic_fetch_add(&(a)->st.f, 1, __ATOMIC_RELAXED)

static void
agent_pipe_cb(nng_pipe p, nng_pipe_ev ev, void *arg)
{
	struct agent *a = arg;

	(void)p;
	pthread_mutex_lock(&a->lock);
	if (ev == NNG_PIPE_EV_ADD_POST) {
		a->need_hello = true;
		a->pipes++;
		AGENT_CNT(a, connects);
		pthread_cond_signal(&a->cond);
	} else if (ev == NNG_PIPE_EV_REM_POST) {
		/* nng also says this of a pipe that closed before it was
		 * added: never below zero. */
		if (a->pipes > 0)
			a->pipes--;
		AGENT_CNT(a, disconnects);
	}
	pthread_mutex_unlock(&a->lock);
}

/* A pipe to cordond is up. */
static bool
agent_connected(struct agent *a)
{
	bool up;

	pthread_mutex_lock(&a->lock);
	up = a->pipes > 0;
	pthread_mutex_unlock(&a->lock);
	return up;
}

static uint64_t
agent_now_ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The proof of our id that goes with this run's hellos and polls: the
 * one over the boot id the hello says (0 once keyed by the start). */
static void
agent_id_fields(struct agent *a, size_t *n_chain, ProtobufCBinaryData **chain,
		ProtobufCBinaryData *proof)
{
	if (a->id == NULL)
		return;
	*n_chain = wire_id_chain(a->id, chain);
	*proof = __atomic_load_n(&a->boot_by_start, __ATOMIC_RELAXED) ?
		a->proof_start : a->proof_boot;
}

static int
agent_hello(struct agent *a)
{
	const struct dp *dp = a->dp;
	Cordon__Hello h = CORDON__HELLO__INIT;
	Cordon__PortInfo pi[DP_MAX_PORTS], *pp[DP_MAX_PORTS];
	char macs[DP_MAX_PORTS][RTE_ETHER_ADDR_FMT_SIZE];
	struct wire_msg reply;
	struct wire_err err;
	Cordon__HelloAck *ack;
	int rc;

	for (uint16_t i = 0; i < dp->hot.n_ports; i++) {
		const struct dp_port *p = &dp->ports[i];
		struct rte_eth_link link;

		cordon__port_info__init(&pi[i]);
		pi[i].port_id = p->port_id;
		pi[i].name = (char *)p->name;
		pi[i].driver = (char *)p->driver;
		rte_ether_format_addr(macs[i], sizeof(macs[i]), &p->mac);
		pi[i].mac = macs[i];
		pi[i].rx_queues = p->nb_rxq;
		pi[i].tx_queues = p->nb_txq;
		pi[i].rss = p->rss;
		if (rte_eth_link_get_nowait(p->port_id, &link) == 0) {
			pi[i].link_up = link.link_status == RTE_ETH_LINK_UP;
			pi[i].speed_mbps = link.link_speed;
		}
		pp[i] = &pi[i];
	}
	h.dataplane_id = (char *)dp->conf.id;
	h.sw_version = (char *)CORDON_VERSION;
	h.proto_version = WIRE_VERSION;
	h.n_ports = dp->hot.n_ports;
	h.ports = pp;
	h.workers = dp->hot.n_workers;
	h.policy_version = dp->policy_ctl.version;
	h.started_unix_ms = dp->started_unix_ms;
	h.pid = (uint32_t)getpid();
	/* Once a cordond keyed this run's reports by the start time, every
	 * cordond after it does too: a key that changed mid-run would store
	 * the report in flight twice and count the seqs before it as lost.
	 * The proof of our id goes all the same. */
	if (!a->boot_by_start)
		h.boot_id = dp->boot_id;
	agent_id_fields(a, &h.n_cert_chain, &h.cert_chain, &h.id_proof);
	/* Reports queued while cordond was away are dated by it. */
	h.uptime_ms = RTE_MAX(dp_uptime_ms(dp), (uint64_t)1);

again:
	rc = wire_nng_call(a->sock, CORDON__MSG_TYPE__MSG_HELLO,
			   ++a->request_id, &h.base, &reply, &err);
	if (rc < 0)
		return rc;
	ack = WIRE_PAYLOAD(&reply, CORDON__MSG_TYPE__MSG_HELLO_ACK,
			   Cordon__HelloAck);
	if (ack == NULL) {
		const Cordon__Error *e = WIRE_PAYLOAD(&reply,
			CORDON__MSG_TYPE__MSG_ERROR, Cordon__Error);

		/* A cordond older than wire minor 6: the newest field first
		 * (its uptime), then those of minor 5. */
		if (e != NULL && h.uptime_ms != 0 &&
		    e->code == CORDON__ERROR_CODE__ERR_UNKNOWN_FIELD) {
			RTE_LOG(INFO, USER1, "cordond refused a field of "
				"our hello (%s): hello without Hello.uptime_ms "
				"(wire minor 6), so reports are dated as they "
				"come\n", e->message);
			wire_msg_free(&reply);
			h.uptime_ms = 0;
			goto again;
		}
		if (e != NULL && (h.boot_id != 0 || h.n_cert_chain > 0) &&
		    e->code == CORDON__ERROR_CODE__ERR_UNKNOWN_FIELD) {
			RTE_LOG(NOTICE, USER1, "cordond is older than wire "
				"minor 5 (it refused Hello.boot_id or the "
				"proof of our id): hello without them; this "
				"run's reports are keyed by its start time\n");
			wire_msg_free(&reply);
			__atomic_store_n(&a->boot_by_start, true,
					 __ATOMIC_RELAXED);
			h.boot_id = 0;
			h.n_cert_chain = 0;
			h.id_proof = (ProtobufCBinaryData){ 0 };
			goto again;
		}
		RTE_LOG(WARNING, USER1, "cordond refused hello: %s\n",
			e ? e->message : wire_type_name(reply.type));
		AGENT_CNT(a, errors);
		wire_msg_free(&reply);
		/* Refused (another run holds our id, say): asked again
		 * less and less often. */
		return e != NULL ? -EACCES : -EPROTO;
	}
	if (ack->report_interval_ms >= 100 && ack->report_interval_ms <= 60000)
		__atomic_store_n(&a->dp->report_interval_ms,
				 ack->report_interval_ms, __ATOMIC_RELAXED);
	__atomic_store_n(&a->st.peer_proto, ack->proto_version,
			 __ATOMIC_RELAXED);
	RTE_LOG(INFO, USER1, "registered with cordond %s\n",
		ack->server_version);
	wire_msg_free(&reply);
	AGENT_CNT(a, hellos);
	return 0;
}

void
agent_submit(struct agent *a, uint64_t seq, uint8_t *buf, size_t len)
{
	pthread_mutex_lock(&a->lock);
	if (a->q.len == a->q.cap) {
		/* cordond is away too long: the oldest report goes. */
		if (!a->q_overflowing)
			RTE_LOG(WARNING, USER1, "report queue full (%u): cordond "
				"away too long, the oldest reports go, from "
				"report %" PRIu64 " on (counted: dropped, queue "
				"full)\n", a->q.cap,
				agent_ring_head(&a->q)->seq);
		a->q_overflowing = true;
		agent_ring_pop(&a->q);
		AGENT_CNT(a, dropped);
		AGENT_CNT(a, dropped_full);
	}
	agent_ring_push(&a->q, CORDON__MSG_TYPE__MSG_STATS_REPORT, seq, buf,
			len);
	pthread_cond_signal(&a->cond);
	pthread_mutex_unlock(&a->lock);
}

bool
agent_report_defer(struct agent *a)
{
	bool full;

	pthread_mutex_lock(&a->lock);
	full = a->q.len == a->q.cap;
	if (full) {
		if (!a->q_overflowing)
			RTE_LOG(WARNING, USER1, "report queue full (%u, from "
				"report %" PRIu64 "): cordond slow or away; "
				"no new report until it takes some, the next "
				"carries the counters (counted: deferred)\n",
				a->q.cap, agent_ring_head(&a->q)->seq);
		a->q_overflowing = true;
		a->q_deferred++;
		AGENT_CNT(a, deferred);
	}
	pthread_mutex_unlock(&a->lock);
	return full;
}

/* An error that resending cannot cure: the report itself is at fault. */
static bool
agent_refusal_final(Cordon__ErrorCode code)
{
	return code == CORDON__ERROR_CODE__ERR_INVALID ||
		code == CORDON__ERROR_CODE__ERR_DECODE ||
		code == CORDON__ERROR_CODE__ERR_UNKNOWN_FIELD ||
		code == CORDON__ERROR_CODE__ERR_UNEXPECTED;
}

static void
agent_urgent(struct agent *a, Cordon__MsgType type, uint64_t seq,
	     uint8_t *buf, size_t len)
{
	pthread_mutex_lock(&a->lock);
	if (a->aq.len == AGENT_ALERTS) {
		agent_ring_pop(&a->aq);
		AGENT_CNT(a, alerts_dropped);
	}
	agent_ring_push(&a->aq, type, seq, buf, len);
	pthread_cond_signal(&a->cond);
	pthread_mutex_unlock(&a->lock);
}

void
agent_alert(struct agent *a, uint64_t seq, uint8_t *buf, size_t len)
{
	agent_urgent(a, CORDON__MSG_TYPE__MSG_ALERT, seq, buf, len);
}

void
agent_envelope(struct agent *a, uint8_t *buf, size_t len)
{
	agent_urgent(a, CORDON__MSG_TYPE__MSG_ENVELOPE, 0, buf, len);
}

/* Copy the oldest entry out, if any (the lock is taken here). */
static bool
agent_ring_peek(struct agent *a, struct agent_ring *r,
		struct agent_report *head)
{
	bool have;

	pthread_mutex_lock(&a->lock);
	have = r->len > 0;
	if (have)
		*head = *agent_ring_head(r);
	pthread_mutex_unlock(&a->lock);
	return have;
}

/*
 * Send a copy of r's oldest entry to cordond: 1 with its answer in *reply,
 * 0 when r is empty, or a negative errno when the link failed. The entry
 * stays in r until the caller pops it.
 */
static int
agent_send_head(struct agent *a, struct agent_ring *r,
		struct agent_report *head, struct wire_msg *reply)
{
	struct wire_err err;
	int rc;

	if (!agent_ring_peek(a, r, head))
		return 0;
	rc = wire_nng_call_raw(a->sock, head->type, ++a->request_id,
			       head->buf, head->len, reply, &err);
	return rc < 0 ? rc : 1;
}

/* Drop every alert left, counted (under the lock). */
static void
agent_alerts_drop(struct agent *a)
{
	while (a->aq.len > 0) {
		agent_ring_pop(&a->aq);
		AGENT_CNT(a, alerts_dropped);
	}
}

/*
 * Send the queued alerts, oldest first, each until cordond acknowledges
 * it. A cordond older than wire minor 3 cannot take them: they are
 * dropped, counted and said once. Called without the lock.
 */
static int
agent_alerts(struct agent *a)
{
	if (WIRE_VERSION_MINOR_OF(__atomic_load_n(&a->st.peer_proto,
			__ATOMIC_RELAXED)) < 3) {
		pthread_mutex_lock(&a->lock);
		if (a->aq.len > 0 && a->st.alerts_dropped == 0)
			RTE_LOG(WARNING, USER1, "cordond is too old for "
				"alerts (wire minor < 3): they stay here "
				"(telemetry)\n");
		agent_alerts_drop(a);
		pthread_mutex_unlock(&a->lock);
		return 0;
	}
	for (;;) {
		struct agent_report head;
		struct wire_msg reply;
		int rc = agent_send_head(a, &a->aq, &head, &reply);

		if (rc <= 0)
			return rc;
		if (reply.type != CORDON__MSG_TYPE__MSG_ACK) {
			const Cordon__Error *e = WIRE_PAYLOAD(&reply,
				CORDON__MSG_TYPE__MSG_ERROR, Cordon__Error);

			AGENT_CNT(a, errors);
			if (e != NULL && e->code ==
			    CORDON__ERROR_CODE__ERR_NOT_REGISTERED) {
				wire_msg_free(&reply);
				return -ENOTCONN;
			}
			/* One cordond cannot take would block the others. */
			RTE_LOG(WARNING, USER1, "cordond rejected %s %"
				PRIu64 ": %s\n", wire_type_name(head.type),
				head.seq,
				e ? e->message : wire_type_name(reply.type));
			AGENT_CNT(a, alerts_dropped);
		} else if (head.type == CORDON__MSG_TYPE__MSG_ALERT) {
			AGENT_CNT(a, alerts);
		}
		wire_msg_free(&reply);
		pthread_mutex_lock(&a->lock);
		if (a->aq.len > 0 && agent_ring_head(&a->aq)->buf == head.buf)
			agent_ring_pop(&a->aq);
		pthread_mutex_unlock(&a->lock);
	}
}

/*
 * Right after a hello: the envelopes cordond keeps, for the detectors
 * (installed by the main lcore). Best effort: without them devices learn
 * again.
 */
static void
agent_envelopes(struct agent *a)
{
	Cordon__EnvelopesRequest q = CORDON__ENVELOPES_REQUEST__INIT;
	struct wire_msg reply;
	struct wire_err err;

	if (WIRE_VERSION_MINOR_OF(__atomic_load_n(&a->st.peer_proto,
			__ATOMIC_RELAXED)) < 3 || a->dp->det == NULL)
		return;
	if (wire_nng_call(a->sock, CORDON__MSG_TYPE__MSG_ENVELOPES_REQUEST,
			  ++a->request_id, &q.base, &reply, &err) < 0)
		return;
	if (reply.type == CORDON__MSG_TYPE__MSG_ENVELOPES) {
		detector_envelopes_offer(a->dp,
					 (Cordon__Envelopes *)reply.payload);
		reply.payload = NULL;	/* the detector's now */
	}
	wire_msg_free(&reply);
}

/*
 * Send the oldest unacknowledged report. cordond acknowledges a report
 * once it is stored: everything up to that sequence number leaves the
 * queue. Called without the lock; the head stays put until we pop it.
 */
static int
agent_report(struct agent *a)
{
	struct agent_report head;
	struct wire_msg reply;
	int rc = agent_send_head(a, &a->q, &head, &reply);

	if (rc <= 0)
		return rc;

	if (reply.type == CORDON__MSG_TYPE__MSG_ACK) {
		uint64_t acked = ((const Cordon__Ack *)reply.payload)->seq;

		rc = 0;
		AGENT_CNT(a, reports);
		if (acked > __atomic_load_n(&a->st.acked_seq, __ATOMIC_RELAXED))
			__atomic_store_n(&a->st.acked_seq, acked,
					 __ATOMIC_RELAXED);
		pthread_mutex_lock(&a->lock);
		if (a->q_deferred != 0)
			RTE_LOG(NOTICE, USER1, "report queue takes reports "
				"again (%" PRIu64 " intervals deferred)\n",
				a->q_deferred);
		a->q_overflowing = false;
		a->q_deferred = 0;
		while (a->q.len > 0 && agent_ring_head(&a->q)->seq <= acked) {
			agent_ring_pop(&a->q);
			AGENT_CNT(a, acked);
		}
		pthread_mutex_unlock(&a->lock);
		if (a->refusing) {
			RTE_LOG(NOTICE, USER1, "cordond stores reports again "
				"(report %" PRIu64 " acknowledged after %"
				PRIu64 " refusals)\n", head.seq, a->refusing);
			a->refusing = 0;
		}
	} else {
		const Cordon__Error *e = WIRE_PAYLOAD(&reply,
			CORDON__MSG_TYPE__MSG_ERROR, Cordon__Error);

		AGENT_CNT(a, errors);
		rc = -EPROTO;
		if (e != NULL &&
		    e->code == CORDON__ERROR_CODE__ERR_NOT_REGISTERED) {
			rc = -ENOTCONN;
		} else if (e != NULL && agent_refusal_final(e->code)) {
			/* A report cordond can never take would block the
			 * queue for ever: log it and let it go (counted). */
			RTE_LOG(WARNING, USER1, "cordond refused report %"
				PRIu64 " as invalid, dropped: %s\n", head.seq,
				e->message);
			pthread_mutex_lock(&a->lock);
			if (a->q.len > 0 &&
			    agent_ring_head(&a->q)->seq == head.seq) {
				agent_ring_pop(&a->q);
				AGENT_CNT(a, dropped);
				AGENT_CNT(a, dropped_invalid);
			}
			pthread_mutex_unlock(&a->lock);
		} else {
			/* cordond could not store it (a full disk...): it
			 * stays first in the queue and goes again after a
			 * back-off. Said once, and again when it is over. */
			AGENT_CNT(a, refused);
			if (a->refusing++ == 0)
				RTE_LOG(WARNING, USER1, "cordond could not "
					"store report %" PRIu64 " (%s); kept, "
					"sent again with back-off\n", head.seq,
					e ? e->message :
					wire_type_name(reply.type));
			rc = -EAGAIN;
		}
	}
	wire_msg_free(&reply);
	return rc;
}

/* Wait until the main lcore has dealt with the given policy version. */
static void
agent_wait_applied(struct agent *a, uint64_t version)
{
	struct dp *dp = a->dp;

	for (int i = 0; i < 2000 && !dp_quitting(dp); i++) {
		uint64_t rej;

		if (__atomic_load_n(&dp->policy_ctl.version, __ATOMIC_RELAXED) >=
		    version)
			return;
		pthread_mutex_lock(&dp->policy_ctl.info_lock);
		rej = dp->policy_ctl.rejected_version;
		pthread_mutex_unlock(&dp->policy_ctl.info_lock);
		if (rej == version)
			return;
		usleep(2000);
	}
}

/* How long the workers get to copy their flows, and the most we send. */
#define AGENT_FLOWS_TIMEOUT_MS 1000
#define AGENT_FLOWS_DEFAULT 1000u
#define AGENT_FLOWS_MAX 100000u

static bool
agent_knows_mac(const struct dp *dp, const uint8_t *mac)
{
	uint64_t want = device_key(mac, 0) & 0xffffffffffffull;
	uint32_t n = device_count(&dp->hot.devices);

	for (uint32_t i = 0; i < n && i < dp->hot.devices.max; i++)
		if ((device_live(&dp->hot.devices, i) & 0xffffffffffffull) ==
		    want)
			return true;
	return false;
}

static void
agent_dev_mac(const struct dp *dp, uint32_t idx, uint8_t mac[6],
	      ProtobufCBinaryData *out)
{
	uint64_t k;

	if (idx == DEVICE_NONE || idx >= dp->hot.devices.max)
		return;
	k = __atomic_load_n(&dp->hot.devices.e[idx].key, __ATOMIC_ACQUIRE);
	if (k == 0 || (k & DEVICE_SLOT_PENDING))
		return;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(k >> (40 - 8 * i));
	out->data = mac;
	out->len = 6;
}

/* Fill f from r. addr and mac are r's own storage (16 + 16, 6 + 6). */
static void
agent_flow_msg(const struct dp *dp, const struct flow_dump_rec *r,
	       uint32_t epoch, Cordon__Flow *f, uint8_t macs[2][6])
{
	const uint8_t i = r->init_side & 1, o = i ^ 1;
	const size_t alen = r->key.family == 4 ? 4 : 16;
	const size_t aoff = r->key.family == 4 ? 12 : 0;

	cordon__flow__init(f);
	f->family = r->key.family;
	f->ip_proto = r->key.proto;
	f->src_addr.data = (uint8_t *)r->key.addr[i] + aoff;
	f->src_addr.len = alen;
	f->dst_addr.data = (uint8_t *)r->key.addr[o] + aoff;
	f->dst_addr.len = alen;
	f->src_port = r->key.port[i];
	f->dst_port = r->key.port[o];
	f->vlan = r->key.vlan;
	agent_dev_mac(dp, r->dev[FLOW_DIR_ORIG], macs[0], &f->src_mac);
	agent_dev_mac(dp, r->dev[FLOW_DIR_REPLY], macs[1], &f->dst_mac);
	f->state = (char *)flow_dump_state_name(r->state);
	f->action = (r->verdict & FLOW_DUMP_VERDICT_ALLOW) ?
		CORDON__ACTION__ACTION_ALLOW : CORDON__ACTION__ACTION_DENY;
	f->rule_id = r->rule_id;
	f->default_action = (r->verdict & FLOW_DUMP_VERDICT_DEFAULT) != 0;
	f->packets_out = r->pkts[FLOW_DIR_ORIG];
	f->bytes_out = r->bytes[FLOW_DIR_ORIG];
	f->packets_in = r->pkts[FLOW_DIR_REPLY];
	f->bytes_in = r->bytes[FLOW_DIR_REPLY];
	f->age_ms = r->age_ms;
	f->idle_ms = r->idle_ms;
	f->worker = r->worker;
	f->midstream = (r->tflags & FLOW_TF_MIDSTREAM) != 0;
	f->stale = r->epoch != epoch;
}

/*
 * cordond wants our live flows: have the workers copy them, and send the
 * dump back as a request of its own on the poll socket.
 */
static void
agent_flows(struct agent *a, const Cordon__FlowsQuery *q)
{
	struct dp *dp = a->dp;
	Cordon__FlowsDump dump = CORDON__FLOWS_DUMP__INIT;
	Cordon__Flows flows = CORDON__FLOWS__INIT;
	struct flow_dump_result res = { 0 };
	Cordon__Flow *f = NULL, **fp = NULL;
	uint8_t (*macs)[2][6] = NULL;
	uint32_t limit = q->limit ? q->limit : AGENT_FLOWS_DEFAULT;
	const uint8_t *mac = NULL;
	struct wire_msg reply;
	struct wire_err err;
	uint32_t epoch;
	int rc;

	dump.dataplane_id = (char *)dp->conf.id;
	dump.query_id = q->query_id;
	if (limit > AGENT_FLOWS_MAX)
		limit = AGENT_FLOWS_MAX;
	if (q->mac.len != 0 && q->mac.len != 6) {
		dump.error_code = CORDON__ERROR_CODE__ERR_INVALID;
		dump.error = (char *)"a MAC is 6 bytes";
		goto send;
	}
	if (q->mac.len == 6) {
		mac = q->mac.data;
		if (!agent_knows_mac(dp, mac)) {
			dump.error_code = CORDON__ERROR_CODE__ERR_NOT_FOUND;
			dump.error = (char *)"this dataplane has not seen that "
				"device";
			goto send;
		}
	}
	rc = flow_dump_collect(dp->hot.flow_dump, mac, limit,
			       AGENT_FLOWS_TIMEOUT_MS, &res);
	if (rc < 0) {
		dump.error_code = CORDON__ERROR_CODE__ERR_INTERNAL;
		dump.error = rc == -ETIMEDOUT ?
			(char *)"a worker did not answer in time" :
			(char *)"cannot dump the flow tables";
		goto send;
	}
	f = calloc(res.n ? res.n : 1, sizeof(*f));
	fp = calloc(res.n ? res.n : 1, sizeof(*fp));
	macs = calloc(res.n ? res.n : 1, sizeof(*macs));
	if (f == NULL || fp == NULL || macs == NULL) {
		dump.error_code = CORDON__ERROR_CODE__ERR_INTERNAL;
		dump.error = (char *)"out of memory";
		goto send;
	}
	pthread_mutex_lock(&dp->policy_ctl.info_lock);
	epoch = dp->policy_ctl.info.epoch;
	pthread_mutex_unlock(&dp->policy_ctl.info_lock);
	for (size_t i = 0; i < res.n; i++) {
		agent_flow_msg(dp, &res.recs[i], epoch, &f[i], macs[i]);
		fp[i] = &f[i];
	}
	for (uint16_t w = 0; w < dp->hot.n_workers; w++) {
		struct flow_table_stats st;

		flow_table_stats_read(dp->hot.workers[w]->ft, &st);
		flows.active += st.active;
	}
	flows.dataplane_id = (char *)dp->conf.id;
	flows.n_flows = res.n;
	flows.flows = fp;
	flows.matched = res.matched;
	flows.truncated = res.matched > res.n;
	dump.flows = &flows;
send:
	rc = wire_nng_call_aio(a->poll_sock, a->poll_aio,
			       CORDON__MSG_TYPE__MSG_FLOWS_DUMP, q->query_id,
			       &dump.base, &reply, &err);
	if (rc == 0)
		wire_msg_free(&reply);
	else
		AGENT_CNT(a, failures);
	free(f);
	free(fp);
	free(macs);
	free(res.recs);
}

/*
 * cordond wants a capture: take it (the capture thread, up to the
 * capture's 60 s at most) and send it back on sock.
 */
static void
agent_capture(struct agent *a, const Cordon__CaptureQuery *q, nng_socket sock)
{
	Cordon__CaptureDump dump = CORDON__CAPTURE_DUMP__INIT;
	Cordon__Capture cap = CORDON__CAPTURE__INIT;
	struct dp *dp = a->dp;
	struct wire_msg reply;
	struct wire_err err;
	char why[256] = "";
	int rc;

	dump.query_id = q->query_id;
	dump.dataplane_id = (char *)dp->conf.id;
	rc = q->request == NULL ? -EINVAL :
		dp_cap_run(dp, q->request, &cap, why, sizeof(why));
	if (rc < 0) {
		dump.error_code = rc == -EINVAL ?
			CORDON__ERROR_CODE__ERR_INVALID :
			CORDON__ERROR_CODE__ERR_INTERNAL;
		dump.error = why[0] ? why : (char *)"no capture request";
	} else {
		dump.capture = &cap;
		RTE_LOG(INFO, USER1, "capture: %" PRIu64 " packets (%" PRIu64
			" matched, %" PRIu64 " filtered out, %" PRIu64
			" missed) in %" PRIu64 " ms\n", cap.packets,
			cap.matched, cap.filtered, cap.missed,
			cap.duration_ms);
	}
	rc = wire_nng_call(sock, CORDON__MSG_TYPE__MSG_CAPTURE_DUMP,
			   q->query_id, &dump.base, &reply, &err);
	if (rc == 0)
		wire_msg_free(&reply);
	else
		AGENT_CNT(a, failures);
	free(cap.pcapng.data);
}

/* The capture thread: one capture at a time, handed over by the poll
 * thread, so that a long one holds neither polls nor grants. */
static void *
agent_cap_main(void *arg)
{
	struct agent *a = arg;
	struct wire_msg m;

	pthread_mutex_lock(&a->lock);
	for (;;) {
		while (!a->cap_have && !__atomic_load_n(&a->stop,
							 __ATOMIC_RELAXED))
			pthread_cond_wait(&a->cap_cond, &a->lock);
		if (!a->cap_have || __atomic_load_n(&a->stop,
						    __ATOMIC_RELAXED))
			break;		/* stopping */
		m = a->cap_q;
		a->cap_have = false;
		pthread_mutex_unlock(&a->lock);
		agent_capture(a, (const Cordon__CaptureQuery *)m.payload,
			      a->cap_sock);
		wire_msg_free(&m);
		pthread_mutex_lock(&a->lock);
		a->cap_busy = false;
	}
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

/* Poll thread: hand capture query m (ours now) to the capture thread, or
 * refuse it at once when one is running. */
static void
agent_capture_offer(struct agent *a, struct wire_msg *m)
{
	const Cordon__CaptureQuery *q = (const Cordon__CaptureQuery *)
		m->payload;
	Cordon__CaptureDump dump = CORDON__CAPTURE_DUMP__INIT;
	struct wire_msg reply;
	struct wire_err err;
	bool busy;

	pthread_mutex_lock(&a->lock);
	busy = a->cap_busy;
	if (!busy) {
		a->cap_q = *m;
		a->cap_have = true;
		a->cap_busy = true;
		pthread_cond_signal(&a->cap_cond);
	}
	pthread_mutex_unlock(&a->lock);
	if (!busy)
		return;
	dump.query_id = q->query_id;
	dump.dataplane_id = (char *)a->dp->conf.id;
	dump.error_code = CORDON__ERROR_CODE__ERR_INVALID;
	dump.error = (char *)"a capture is running on this dataplane already";
	if (wire_nng_call_aio(a->poll_sock, a->poll_aio,
			      CORDON__MSG_TYPE__MSG_CAPTURE_DUMP, q->query_id,
			      &dump.base, &reply, &err) == 0)
		wire_msg_free(&reply);
	else
		AGENT_CNT(a, failures);
	wire_msg_free(m);
}

/* Flows per AskReport. */
#define AGENT_ASK_BURST 64u

/*
 * Flows the workers held denied in ask mode, to cordond (dp_ask.h). What
 * cannot be sent is lost, counted, and said in the next report.
 */
static int
agent_ask(struct agent *a)
{
	struct dp *dp = a->dp;
	struct dp_ask_rec r[AGENT_ASK_BURST];
	Cordon__AskFlow f[AGENT_ASK_BURST], *fp[AGENT_ASK_BURST];
	Cordon__AskReport rep = CORDON__ASK_REPORT__INIT;
	uint8_t macs[AGENT_ASK_BURST][6];
	char names[AGENT_ASK_BURST][DNS_NAME_MAX + 1];
	struct wire_msg reply;
	struct wire_err err;
	unsigned int n;
	int rc;

	n = dp_ask_collect(dp, r, AGENT_ASK_BURST);
	if (n == 0)
		return 0;
	for (unsigned int i = 0; i < n; i++) {
		const uint8_t s = r[i].init_side & 1, o = s ^ 1;
		const size_t alen = r[i].key.family == 4 ? 4 : 16;
		const size_t aoff = r[i].key.family == 4 ? 12 : 0;

		cordon__ask_flow__init(&f[i]);
		agent_dev_mac(dp, r[i].dev, macs[i], &f[i].mac);
		f[i].vlan = r[i].key.vlan;
		f[i].src_ip.data = r[i].key.addr[s] + aoff;
		f[i].src_ip.len = alen;
		f[i].dst_ip.data = r[i].key.addr[o] + aoff;
		f[i].dst_ip.len = alen;
		f[i].src_port = r[i].key.port[s];
		f[i].dst_port = r[i].key.port[o];
		f[i].ip_proto = r[i].key.proto;
		f[i].token.data = (uint8_t *)&r[i];
		f[i].token.len = sizeof(r[i]);
		if (f[i].mac.len == 6) {
			dp_ask_dst_name(dp, &r[i], macs[i], names[i],
					sizeof(names[i]));
			f[i].dst_name = names[i];
		}
		fp[i] = &f[i];
	}
	rep.dataplane_id = (char *)dp->conf.id;
	rep.flows = fp;
	rep.n_flows = n;
	rep.lost = __atomic_load_n(&a->st.ask_lost, __ATOMIC_RELAXED);
	rc = wire_nng_call(a->sock, CORDON__MSG_TYPE__MSG_ASK_REPORT,
			   ++a->request_id, &rep.base, &reply, &err);
	if (rc == 0) {
		if (reply.type != CORDON__MSG_TYPE__MSG_ACK)
			rc = -EPROTO;
		wire_msg_free(&reply);
	}
	if (rc < 0)
		__atomic_fetch_add(&a->st.ask_lost, n, __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&a->st.asked, n, __ATOMIC_RELAXED);
	return rc;
}

/*
 * The second half of the link: ask cordond for newer policies and hand
 * them to the main lcore. cordond holds the request until it has one, so
 * a new policy reaches the dataplane as soon as it is pushed.
 */
static void *
agent_poll_main(void *arg)
{
	struct agent *a = arg;
	struct dp *dp = a->dp;
	uint64_t req = 1ull << 40;	/* apart from the report ids */
	uint32_t refused_ms = AGENT_POLL_REFUSED_MIN_MS;

	while (!__atomic_load_n(&a->stop, __ATOMIC_RELAXED)) {
		Cordon__Poll poll = CORDON__POLL__INIT;
		Cordon__PollReply *pr;
		char reason[256];
		struct wire_msg reply;
		struct wire_err err;
		uint32_t peer;
		int rc;

		poll.dataplane_id = (char *)dp->conf.id;
		poll.policy_version = __atomic_load_n(&dp->policy_ctl.version,
						      __ATOMIC_RELAXED);
		poll.wait_ms = AGENT_POLL_WAIT_MS;
		pthread_mutex_lock(&dp->policy_ctl.info_lock);
		poll.rejected_version = dp->policy_ctl.rejected_version;
		snprintf(reason, sizeof(reason), "%s",
			 dp->policy_ctl.rejected_reason);
		pthread_mutex_unlock(&dp->policy_ctl.info_lock);
		poll.rejected_reason = reason;
		/* The poll's connection is its own: a cordond of minor 5
		 * binds it to us by the same proof as the hello's. */
		peer = WIRE_VERSION_MINOR_OF(__atomic_load_n(&a->st.peer_proto,
							     __ATOMIC_RELAXED));
		if (peer >= 5)
			agent_id_fields(a, &poll.n_cert_chain,
					&poll.cert_chain, &poll.id_proof);
		/* Which run polls: one of 6 answers only the registered
		 * one. None once this run is keyed by its start time. */
		if (peer >= 6 && !__atomic_load_n(&a->boot_by_start,
						  __ATOMIC_RELAXED))
			poll.boot_id = dp->boot_id;

		rc = wire_nng_call_aio(a->poll_sock, a->poll_aio,
				       CORDON__MSG_TYPE__MSG_POLL, ++req,
				       &poll.base, &reply, &err);
		if (rc == -ECANCELED || rc == -EPIPE)
			break;		/* poll_aio stopped: stopping */
		if (rc < 0) {
			/* Not connected, or no answer: try again soon. */
			usleep(200 * 1000);
			continue;
		}
		if (reply.type == CORDON__MSG_TYPE__MSG_CAPTURE_QUERY) {
			agent_capture_offer(a, &reply);
			continue;
		}
		if (reply.type == CORDON__MSG_TYPE__MSG_FLOWS_QUERY) {
			agent_flows(a, (const Cordon__FlowsQuery *)
				    reply.payload);
			wire_msg_free(&reply);
			continue;
		}
		if (reply.type == CORDON__MSG_TYPE__MSG_RELEARN) {
			const Cordon__Relearn *rl = (const Cordon__Relearn *)
				reply.payload;

			if (rl->mac.len == 6)
				detector_relearn_offer(dp, rl->mac.data);
			wire_msg_free(&reply);
			continue;
		}
		pr = WIRE_PAYLOAD(&reply, CORDON__MSG_TYPE__MSG_POLL_REPLY,
				  Cordon__PollReply);
		if (pr == NULL) {
			/* Most likely not registered yet: the report
			 * thread is saying hello. Asked again less and less
			 * often while that lasts (another run holds our
			 * id, say). */
			wire_msg_free(&reply);
			/* In steps, so that a stop is not kept waiting. */
			for (uint32_t t = 0; t < refused_ms &&
			     !__atomic_load_n(&a->stop, __ATOMIC_RELAXED);
			     t += 100)
				usleep(100 * 1000);
			refused_ms = RTE_MIN(refused_ms * 2,
					     AGENT_POLL_REFUSED_MAX_MS);
			continue;
		}
		refused_ms = AGENT_POLL_REFUSED_MIN_MS;
		for (size_t i = 0; i < pr->n_grants; i++) {
			if (dp_ask_grant(dp, pr->grants[i]->token.data,
					 pr->grants[i]->token.len) == 0)
				AGENT_CNT(a, grants);
			else
				AGENT_CNT(a, grants_refused);
		}
		if (pr->policy != NULL) {
			Cordon__Policy *pol = pr->policy;
			uint64_t version = pol->version;
			uint8_t *sig = NULL;
			size_t sig_len = 0;

			__atomic_fetch_add(&a->st.policies, 1,
					   __ATOMIC_RELAXED);
			if (dp->policy_ctl.keys.n > 0) {
				/* Only what our key signed; the policy is
				 * the one inside the signature. */
				struct policy_verify_out out;
				char why[256];

				if (pr->signed_policy.len == 0) {
					dp_policy_refused(dp, version,
						"unsigned: this dataplane "
						"requires a signature");
					wire_msg_free(&reply);
					continue;
				}
				if (policy_verify(&dp->policy_ctl.keys,
						  pr->signed_policy.data,
						  pr->signed_policy.len, &out,
						  why, sizeof(why)) < 0) {
					dp_policy_refused(dp, version, why);
					wire_msg_free(&reply);
					continue;
				}
				pol = out.policy;
				out.policy = NULL;
				version = pol->version;
				sig = malloc(pr->signed_policy.len);
				if (sig != NULL) {
					memcpy(sig, pr->signed_policy.data,
					       pr->signed_policy.len);
					sig_len = pr->signed_policy.len;
				}
				policy_verify_out_free(&out);
			} else {
				pr->policy = NULL;	/* the main lcore's */
			}
			dp_policy_submit(dp, pol, sig, sig_len);
			wire_msg_free(&reply);
			agent_wait_applied(a, version);
			continue;
		}
		wire_msg_free(&reply);
	}
	return NULL;
}

static void *
agent_main(void *arg)
{
	struct agent *a = arg;
	bool registered = false;
	uint64_t retry_at = 0, backoff = 0;

	pthread_mutex_lock(&a->lock);
	while (!a->stop) {
		uint64_t now = agent_now_ms(CLOCK_MONOTONIC);
		bool hello = a->need_hello || !registered;
		bool work = a->q.len > 0 || a->aq.len > 0 || hello ||
			(registered && dp_ask_pending(a->dp));
		int rc = 0;

		/* Nothing to do, or backing off after a failure: wait for a
		 * report, a new connection or the end of the back-off. */
		if (!work || (now < retry_at && !a->need_hello)) {
			struct timespec ts;
			/* Idle: look at the ask rings 10 times a second. */
			uint64_t wait = work ? retry_at - now : 100;
			uint64_t until = agent_now_ms(CLOCK_REALTIME) + wait;

			ts.tv_sec = until / 1000;
			ts.tv_nsec = (long)(until % 1000) * 1000000;
			pthread_cond_timedwait(&a->cond, &a->lock, &ts);
			continue;
		}
		a->need_hello = false;
		pthread_mutex_unlock(&a->lock);

		if (hello) {
			rc = agent_hello(a);
			registered = rc == 0;
			if (registered)
				agent_envelopes(a);
			/* The connection that raised need_hello while this
			 * hello was on its way is the one that carried it. */
			if (registered) {
				pthread_mutex_lock(&a->lock);
				a->need_hello = false;
				pthread_mutex_unlock(&a->lock);
			}
		}
		if (rc == 0)
			rc = agent_alerts(a);
		if (rc == 0)
			rc = agent_report(a);
		if (rc == 0 && registered)
			rc = agent_ask(a);
		if (rc == -ENOTCONN) {
			/* cordond restarted and forgot us: say hello now. */
			registered = false;
			rc = 0;
		}
		if (rc < 0) {
			/* A refused report or hello backs off further each
			 * time, up to AGENT_BACKOFF_MAX_MS; anything else
			 * 500 ms. */
			backoff = rc != -EAGAIN && rc != -EACCES ? 500 :
				backoff == 0 ? AGENT_BACKOFF_MIN_MS :
				backoff * 2;
			if (backoff > AGENT_BACKOFF_MAX_MS)
				backoff = AGENT_BACKOFF_MAX_MS;
			if (rc != -EAGAIN)
				AGENT_CNT(a, failures);
			retry_at = agent_now_ms(CLOCK_MONOTONIC) + backoff;
		} else {
			backoff = 0;
		}
		pthread_mutex_lock(&a->lock);
	}
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

/* tls+tcp://: our certificate, cordond's CA and the name it must carry. */
static int
agent_tls(const struct dp_conf *conf, nng_tls_config **tls)
{
	struct wire_tls_files f = {
		.cert = conf->tls_cert,
		.key = conf->tls_key[0] ? conf->tls_key : NULL,
		.ca = conf->tls_ca,
	};
	char host[256], port[16], err[512];
	int rc;

	if (conf->tls_server_name[0] != '\0') {
		f.server_name = conf->tls_server_name;
	} else if (wire_tls_url_host(conf->control_url, host, sizeof(host),
				     port, sizeof(port)) == 0) {
		f.server_name = host;
	}
	rc = wire_tls_config(false, &f, tls, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "cordon-dataplane: --control %s: %s\n",
			conf->control_url, err);
	return rc;
}

/* Over tls+tcp: the chain and key of our certificate, and the proofs of
 * our id for this run (wire_id.h). */
static int
agent_id_load(struct agent *a, const struct dp *dp)
{
	const struct dp_conf *conf = &dp->conf;
	char err[512];
	int rc;

	rc = wire_id_load(conf->tls_cert, conf->tls_key[0] ? conf->tls_key :
			  NULL, &a->id, err, sizeof(err));
	if (rc == 0)
		rc = wire_id_prove(a->id, conf->id, dp->boot_id,
				   dp->started_unix_ms, &a->proof_boot, err,
				   sizeof(err));
	if (rc == 0)
		rc = wire_id_prove(a->id, conf->id, 0, dp->started_unix_ms,
				   &a->proof_start, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "cordon-dataplane: the proof of our id: %s\n",
			err);
	return rc;
}

static void
agent_id_free(struct agent *a)
{
	free(a->proof_boot.data);
	free(a->proof_start.data);
	wire_id_free(a->id);
}

/* Non-blocking: cordond may come up later; nng keeps redialing. */
static int
agent_dial(nng_socket s, const char *url, nng_tls_config *tls)
{
	nng_dialer d;
	int rv;

	rv = nng_dialer_create(&d, s, url);
	if (rv == 0 && tls != NULL)
		rv = nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, tls);
	if (rv == 0)
		rv = nng_dialer_start(d, NNG_FLAG_NONBLOCK);
	return wire_nng_errno(rv);
}

/* A REQ socket to cordond: redialled fast, answers awaited recv_ms. */
static int
agent_req_open(nng_socket *s, int recv_ms)
{
	int rc = wire_nng_errno(nng_req0_open(s));

	if (rc < 0)
		return rc;
	nng_socket_set_ms(*s, NNG_OPT_RECONNMINT, 100);
	nng_socket_set_ms(*s, NNG_OPT_RECONNMAXT, 500);
	nng_socket_set_ms(*s, NNG_OPT_SENDTIMEO, 1000);
	nng_socket_set_ms(*s, NNG_OPT_RECVTIMEO, recv_ms);
	nng_socket_set_ms(*s, NNG_OPT_REQ_RESENDTIME, NNG_DURATION_INFINITE);
	nng_socket_set_size(*s, NNG_OPT_RECVMAXSZ, WIRE_MAX_MSG);
	return 0;
}

int
agent_start(struct dp *dp, struct agent **out)
{
	nng_tls_config *tls = NULL;
	struct agent *a;
	int rc;

	if (dp->conf.report_queue == 0)
		return -EINVAL;
	if (wire_tls_url(dp->conf.control_url)) {
		rc = agent_tls(&dp->conf, &tls);
		if (rc < 0)
			return rc;
	}
	a = calloc(1, sizeof(*a) +
		   dp->conf.report_queue * sizeof(a->q_slots[0]));
	if (a == NULL) {
		if (tls != NULL)
			nng_tls_config_free(tls);
		return -ENOMEM;
	}
	a->dp = dp;
	agent_ring_init(&a->q, a->q_slots, dp->conf.report_queue);
	agent_ring_init(&a->aq, a->aq_slots, AGENT_ALERTS);
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->cond, NULL);
	pthread_cond_init(&a->cap_cond, NULL);
	if (tls != NULL) {
		rc = agent_id_load(a, dp);
		if (rc < 0)
			goto fail;
	}

	/* Redial fast: cordond restarts should cost one report at most. */
	rc = agent_req_open(&a->sock, 1500);
	if (rc < 0)
		goto fail;
	nng_pipe_notify(a->sock, NNG_PIPE_EV_ADD_POST, agent_pipe_cb, a);
	nng_pipe_notify(a->sock, NNG_PIPE_EV_REM_POST, agent_pipe_cb, a);
	rc = agent_req_open(&a->poll_sock, AGENT_POLL_TIMEOUT_MS);
	if (rc < 0) {
		nng_close(a->sock);
		goto fail;
	}
	rc = agent_req_open(&a->cap_sock, 5000);
	if (rc < 0) {
		nng_close(a->poll_sock);
		nng_close(a->sock);
		goto fail;
	}
	rc = wire_nng_errno(nng_aio_alloc(&a->poll_aio, NULL, NULL));
	if (rc < 0)
		goto fail_socks;

	rc = agent_dial(a->sock, dp->conf.control_url, tls);
	if (rc == 0)
		rc = agent_dial(a->poll_sock, dp->conf.control_url, tls);
	if (rc == 0)
		rc = agent_dial(a->cap_sock, dp->conf.control_url, tls);
	/* The dialers hold their own references. */
	if (tls != NULL)
		nng_tls_config_free(tls);
	tls = NULL;
	if (rc < 0) {
		RTE_LOG(ERR, USER1, "cannot dial %s: %s\n",
			dp->conf.control_url, strerror(-rc));
		goto fail_socks;
	}
	rc = -pthread_create(&a->cap_thread, NULL, agent_cap_main, a);
	if (rc < 0)
		goto fail_socks;
	pthread_setname_np(a->cap_thread, "cordon-capture");
	rc = -pthread_create(&a->thread, NULL, agent_main, a);
	if (rc < 0)
		goto fail_cap;
	pthread_setname_np(a->thread, "cordon-agent");
	rc = -pthread_create(&a->poll_thread, NULL, agent_poll_main, a);
	if (rc < 0) {
		pthread_mutex_lock(&a->lock);
		__atomic_store_n(&a->stop, true, __ATOMIC_RELAXED);
		pthread_cond_signal(&a->cond);
		pthread_mutex_unlock(&a->lock);
		pthread_join(a->thread, NULL);
		goto fail_cap;
	}
	pthread_setname_np(a->poll_thread, "cordon-poll");
	*out = a;
	return 0;
fail_cap:
	pthread_mutex_lock(&a->lock);
	__atomic_store_n(&a->stop, true, __ATOMIC_RELAXED);
	pthread_cond_signal(&a->cap_cond);
	pthread_mutex_unlock(&a->lock);
	pthread_join(a->cap_thread, NULL);
fail_socks:
	nng_close(a->cap_sock);
	nng_close(a->poll_sock);
	nng_close(a->sock);
	if (a->poll_aio != NULL)
		nng_aio_free(a->poll_aio);
fail:
	if (tls != NULL)
		nng_tls_config_free(tls);
	agent_id_free(a);
	pthread_cond_destroy(&a->cap_cond);
	pthread_cond_destroy(&a->cond);
	pthread_mutex_destroy(&a->lock);
	free(a);
	return rc;
}

/* The whole of a stop; agent_stop() bounds how long it may take. */
static void *
agent_stop_main(void *arg)
{
	struct agent *a = arg;

	pthread_mutex_lock(&a->lock);
	__atomic_store_n(&a->stop, true, __ATOMIC_RELAXED);
	pthread_cond_signal(&a->cond);
	pthread_mutex_unlock(&a->lock);
	pthread_join(a->thread, NULL);
	/*
	 * End the poll thread's wait at once by stopping its aio; close
	 * poll_sock only once the thread is gone. Closing the socket under
	 * the wait aborted the process now and then with nng 1.5.2 (panic:
	 * pthread_mutex_lock: Invalid argument, in nng's aio expiry thread):
	 * when the wait timed out as the socket closed, the expiry thread
	 * took the aio's cancel routine and let go of its lock, the close
	 * finished that aio with NNG_ECLOSED and freed the socket, mutex
	 * destroyed, and then the cancel routine locked that mutex. With
	 * cordond down it is likely: the poll thread's send and the agent
	 * thread's (joined just above) time out in the same expiry pass.
	 * nng_aio_stop() returns once the aio is finished, by whichever
	 * thread ran its cancel routine, which does so holding the socket's
	 * mutex; nng_close() takes that mutex before destroying it, and
	 * nng_aio_free() waits for the expiry thread to let go of the aio.
	 */
	nng_aio_stop(a->poll_aio);
	pthread_join(a->poll_thread, NULL);
	nng_close(a->poll_sock);
	nng_aio_free(a->poll_aio);
	a->poll_aio = NULL;
	/* A capture runs to its end (60 s at most), as it did on the poll
	 * thread; agent_stop() bounds the wait. */
	pthread_mutex_lock(&a->lock);
	pthread_cond_signal(&a->cap_cond);
	pthread_mutex_unlock(&a->lock);
	pthread_join(a->cap_thread, NULL);
	nng_close(a->cap_sock);
	if (a->cap_have) {
		wire_msg_free(&a->cap_q);
		a->cap_have = false;
	}

	/*
	 * What is left, final counters last, if cordond is there. With no
	 * pipe to it a request only waits out its timeout, and nng 1.5 loses
	 * (leaks) a request still queued when the socket closes (nng#1643,
	 * fixed in 1.6): ask only while connected.
	 */
	nng_socket_set_ms(a->sock, NNG_OPT_SENDTIMEO, 300);
	nng_socket_set_ms(a->sock, NNG_OPT_RECVTIMEO, 300);
	if (agent_connected(a)) {
		agent_alerts(a);
		for (unsigned int i = 0; i < a->q.cap && a->q.len > 0 &&
		     agent_connected(a); i++)
			if (agent_report(a) < 0)
				break;
	}
	agent_alerts_drop(a);
	/* Not acknowledged, so not lost to cordond's knowledge: a gap it
	 * counts. Here they are pending, not dropped. */
	while (a->q.len > 0) {
		agent_ring_pop(&a->q);
		AGENT_CNT(a, pending);
	}
	nng_close(a->sock);
	return NULL;
}

void
agent_stop(struct agent *a, struct agent_stats *st)
{
	struct timespec deadline;
	pthread_t t;

	if (a == NULL)
		return;
	/*
	 * nng 1.5 can hang in nng_close() when a pipe closes at the wrong
	 * moment (nng#1498, fixed in 1.6). The dataplane must still stop: a
	 * stop that has not ended after AGENT_STOP_MS is left behind, with
	 * the agent, and said.
	 */
	if (pthread_create(&t, NULL, agent_stop_main, a) != 0) {
		agent_stop_main(a);
	} else {
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_sec += AGENT_STOP_MS / 1000;
		if (pthread_timedjoin_np(t, NULL, &deadline) != 0) {
			RTE_LOG(ERR, USER1, "the link to cordond did not close "
				"within %u ms (nng); leaving it\n",
				AGENT_STOP_MS);
			if (st != NULL) {
				agent_get_stats(a, st);
				/* Left in the queue: still pending. */
				st->pending += __atomic_load_n(
					&a->q.len, __ATOMIC_RELAXED);
			}
			return;
		}
	}
	if (st != NULL)
		agent_get_stats(a, st);
	agent_id_free(a);
	pthread_cond_destroy(&a->cap_cond);
	pthread_cond_destroy(&a->cond);
	pthread_mutex_destroy(&a->lock);
	free(a);
}

void
agent_get_stats(const struct agent *a, struct agent_stats *st)
{
#define AGENT_STATS_LOAD(field, name) \
	st->field = __atomic_load_n(&a->st.field, __ATOMIC_RELAXED);
	AGENT_STATS_REPORTED(AGENT_STATS_LOAD)
	AGENT_STATS_LOAD(pending, NULL)
	AGENT_STATS_LOAD(acked_seq, NULL)
	AGENT_STATS_LOAD(peer_proto, NULL)
#undef AGENT_STATS_LOAD
}
