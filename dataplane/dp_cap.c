/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* Packet capture (see dp_cap.h): the capturer and its pcapng writer. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <pcap/pcap.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "dp_cap.h"
#include "util_err.h"

#define DP_CAP_BURST 64u
/* A capture with a count but no time asked: this long at most. */
#define DP_CAP_SNAP 65535u

int
dp_cap_init(struct dp *dp)
{
	char name[RTE_RING_NAMESIZE];

	dp->hot.cap = rte_zmalloc("dp_cap", sizeof(*dp->hot.cap), 0);
	if (dp->hot.cap == NULL)
		return -ENOMEM;
	for (uint16_t w = 0; w < dp->hot.n_workers; w++) {
		struct dp_worker *wk = dp->hot.workers[w];

		snprintf(name, sizeof(name), "cap%u", w);
		wk->cap = rte_ring_create_elem(name, sizeof(struct dp_cap_rec),
			DP_CAP_RING, (int)rte_lcore_to_socket_id(wk->lcore_id),
			RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (wk->cap == NULL) {
			dp_cap_fini(dp);
			return -ENOMEM;
		}
	}
	return 0;
}

/* Give the workers' references back (after they stopped adding). */
static void
dp_cap_drain(struct dp *dp)
{
	struct dp_cap_rec r;

	for (uint16_t w = 0; w < dp->hot.n_workers; w++) {
		struct dp_worker *wk = dp->hot.workers[w];

		while (wk != NULL && wk->cap != NULL &&
		       rte_ring_sc_dequeue_elem(wk->cap, &r, sizeof(r)) == 0)
			rte_pktmbuf_free(r.m);
	}
}

void
dp_cap_fini(struct dp *dp)
{
	dp_cap_drain(dp);
	for (uint16_t w = 0; w < dp->hot.n_workers; w++) {
		struct dp_worker *wk = dp->hot.workers[w];

		if (wk == NULL)
			continue;
		rte_ring_free(wk->cap);
		wk->cap = NULL;
	}
	rte_free(dp->hot.cap);
	dp->hot.cap = NULL;
}

/* --- pcapng (draft-ietf-opsawg-pcapng) ----------------------------------- */

struct dp_cap_buf {
	uint8_t *p;
	size_t len, cap;
	bool full;
};

static int
dp_cap_put(struct dp_cap_buf *b, const void *d, size_t n)
{
	if (b->len + n > DP_CAP_BYTES_MAX) {
		b->full = true;
		return -ENOSPC;
	}
	if (b->len + n > b->cap) {
		size_t c = b->cap ? b->cap : 65536;
		uint8_t *p;

		while (c < b->len + n)
			c *= 2;
		p = realloc(b->p, c);
		if (p == NULL)
			return -ENOMEM;
		b->p = p;
		b->cap = c;
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
	return 0;
}

static int
dp_cap_u32(struct dp_cap_buf *b, uint32_t v)
{
	return dp_cap_put(b, &v, 4);
}

/* A block: type, total length, body (padded to 4), total length. */
static int
dp_cap_block(struct dp_cap_buf *b, uint32_t type, const void *head,
	     size_t hlen, const void *data, size_t dlen)
{
	static const uint8_t zero[4];
	size_t pad = (4 - dlen % 4) % 4;
	uint32_t total = (uint32_t)(12 + hlen + dlen + pad);
	int rc;

	rc = dp_cap_u32(b, type);
	if (rc == 0)
		rc = dp_cap_u32(b, total);
	if (rc == 0)
		rc = dp_cap_put(b, head, hlen);
	if (rc == 0 && dlen > 0)
		rc = dp_cap_put(b, data, dlen);
	if (rc == 0 && pad > 0)
		rc = dp_cap_put(b, zero, pad);
	if (rc == 0)
		rc = dp_cap_u32(b, total);
	return rc;
}

/* The section header, and an interface block (Ethernet, ns) per port. */
static int
dp_cap_header(struct dp_cap_buf *b, const struct dp *dp)
{
	const struct {
		uint32_t magic;
		uint16_t major, minor;
		int64_t section_len;
	} __attribute__((packed)) shb = { 0x1A2B3C4D, 1, 0, -1 };
	int rc;

	rc = dp_cap_block(b, 0x0A0D0D0A, &shb, sizeof(shb), NULL, 0);
	for (uint16_t i = 0; rc == 0 && i < dp->hot.n_ports; i++) {
		uint8_t idb[256];
		size_t n = 8, name = strlen(dp->ports[i].name);

		memset(idb, 0, sizeof(idb));
		idb[0] = 1;			/* LINKTYPE_ETHERNET */
		*(uint32_t *)(idb + 4) = DP_CAP_SNAP;
		if (name > 200)
			name = 200;
		/* if_name (2), if_tsresol (9) = 9 (ns), opt_endofopt */
		*(uint16_t *)(idb + n) = 2;
		*(uint16_t *)(idb + n + 2) = (uint16_t)name;
		memcpy(idb + n + 4, dp->ports[i].name, name);
		n += 4 + (name + 3) / 4 * 4;
		*(uint16_t *)(idb + n) = 9;
		*(uint16_t *)(idb + n + 2) = 1;
		idb[n + 4] = 9;
		n += 8;
		n += 4;				/* opt_endofopt: zeros */
		rc = dp_cap_block(b, 1, idb, n, NULL, 0);
	}
	return rc;
}

static int
dp_cap_packet(struct dp_cap_buf *b, uint32_t ifc, uint64_t ns,
	      const uint8_t *data, uint32_t caplen, uint32_t len)
{
	const uint32_t head[5] = {
		ifc, (uint32_t)(ns >> 32), (uint32_t)ns, caplen, len,
	};

	return dp_cap_block(b, 6, head, sizeof(head), data, caplen);
}

/* --- the capture ------------------------------------------------------------ */

static uint64_t
dp_cap_missed(const struct dp *dp)
{
	uint64_t n = 0;

	for (uint16_t w = 0; w < dp->hot.n_workers; w++)
		n += DP_CNT_READ(dp->hot.workers[w]->stats.cap_full);
	return n;
}

int
dp_cap_run(struct dp *dp, const Cordon__CaptureRequest *req,
	   Cordon__Capture *out, char *err, size_t errlen)
{
	struct dp_cap_ctl *c = dp->hot.cap;
	const uint64_t hz = rte_get_tsc_hz();
	struct bpf_program prog = { 0 };
	struct dp_cap_buf b = { 0 };
	struct dp_cap_rec r[DP_CAP_BURST];
	uint8_t *frame = NULL;
	uint64_t tsc0, ns0, end, missed0;
	struct timeval tv;
	bool have_prog = false;
	int rc = 0;

	if (c == NULL || __atomic_load_n(&c->on, __ATOMIC_ACQUIRE)) {
		util_err_set(err, errlen, "a capture runs already");
		return -EBUSY;
	}
	if (req->filter[0] != '\0') {
		pcap_t *p = pcap_open_dead(DLT_EN10MB, DP_CAP_SNAP);

		if (p == NULL) {
			util_err_set(err, errlen, "libpcap: out of memory");
			return -ENOMEM;
		}
		if (pcap_compile(p, &prog, req->filter, 1,
				 PCAP_NETMASK_UNKNOWN) < 0) {
			util_err_set(err, errlen, "filter: %s", pcap_geterr(p));
			pcap_close(p);
			return -EINVAL;
		}
		pcap_close(p);
		have_prog = true;
	}
	if (req->has_port && req->port >= dp->hot.n_ports) {
		util_err_set(err, errlen, "no port %u (this dataplane has %u)",
			     req->port, dp->hot.n_ports);
		rc = -EINVAL;
		goto out;
	}
	frame = malloc(DP_CAP_SNAP);
	rc = frame == NULL ? -ENOMEM : dp_cap_header(&b, dp);
	if (rc < 0) {
		util_err_set(err, errlen, "out of memory");
		goto out;
	}
	c->has_mac = req->mac.len == 6;
	if (c->has_mac)
		memcpy(c->mac, req->mac.data, 6);
	c->port = req->has_port ? (uint16_t)req->port : UINT16_MAX;
	missed0 = dp_cap_missed(dp);
	gettimeofday(&tv, NULL);
	tsc0 = rte_rdtsc();
	ns0 = (uint64_t)tv.tv_sec * 1000000000ull + (uint64_t)tv.tv_usec * 1000;
	end = tsc0 + (uint64_t)req->seconds * hz;
	__atomic_store_n(&c->on, 1, __ATOMIC_RELEASE);

	while (rte_rdtsc() < end && !b.full &&
	       (req->count == 0 || out->packets < req->count)) {
		unsigned int got = 0;

		for (uint16_t w = 0; w < dp->hot.n_workers; w++) {
			unsigned int n = rte_ring_sc_dequeue_burst_elem(
				dp->hot.workers[w]->cap, r, sizeof(r[0]),
				DP_CAP_BURST, NULL);

			got += n;
			for (unsigned int i = 0; i < n; i++) {
				struct rte_mbuf *m = r[i].m;
				uint32_t len = rte_pktmbuf_pkt_len(m);
				uint32_t caplen = RTE_MIN(len, DP_CAP_SNAP);
				const uint8_t *d = rte_pktmbuf_read(m, 0,
					caplen, frame);
				struct pcap_pkthdr h = { .caplen = caplen,
							 .len = len };
				uint16_t ifc = dp->hot.port_index[m->port];

				/* Past the count: let go, uncounted. */
				if (req->count != 0 &&
				    out->packets >= req->count) {
					rte_pktmbuf_free(m);
					continue;
				}
				out->matched++;
				if (have_prog && d != NULL &&
				    !pcap_offline_filter(&prog, &h, d)) {
					out->filtered++;
					rte_pktmbuf_free(m);
					continue;
				}
				if (d != NULL && dp_cap_packet(&b,
				    ifc == UINT16_MAX ? 0 : ifc,
				    ns0 + (r[i].tsc - tsc0) * 1000000000ull /
				    hz, d, caplen, len) == 0)
					out->packets++;
				else
					out->filtered++;	/* no room */
				rte_pktmbuf_free(m);
			}
		}
		if (got == 0)
			rte_delay_us_sleep(1000);
	}
	__atomic_store_n(&c->on, 0, __ATOMIC_RELEASE);
	/* A worker may be inside its tap: let its last frames land. */
	rte_delay_us_sleep(10000);
	dp_cap_drain(dp);
	out->missed = dp_cap_missed(dp) - missed0;
	out->duration_ms = (rte_rdtsc() - tsc0) * 1000 / hz;
	out->truncated = b.full;
	out->pcapng.data = b.p;
	out->pcapng.len = b.len;
	b.p = NULL;
out:
	free(b.p);
	free(frame);
	if (have_prog)
		pcap_freecode(&prog);
	return rc;
}
