/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The forged-DNS matcher, see det_dnsmatch.h.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "det_dnsmatch.h"
#include "det_internal.h"

#define WAYS 8

enum { Q_FREE = 0, Q_PENDING, Q_ANSWERED };

struct det_dnsq {
	uint64_t key;		/* client, port, id */
	uint64_t ts_us;
	uint32_t name_h;
	uint32_t server_h;	/* where the query went */
	uint8_t state;
	uint8_t pad[7];
};

/* A pending query is kept this many timeouts (a forwarder that queued
 * queries during an outage answers them minutes later: late, not forged). */
#define KEEP_TIMEOUTS 30

struct det_dnsb {
	struct det_dnsq q[WAYS];
	uint64_t evict_us;	/* last eviction of a pending query */
};

struct det_dnsmatch {
	uint32_t mask;		/* buckets - 1 */
	uint32_t timeout_ms;
	uint64_t start_us;	/* det_dnsmatch_watch(), or the first
				 * message */
	uint8_t own;		/* calloc'd */
	struct det_dnsmatch_stats st;
	struct det_dnsb b[];	/* [buckets] */
};

static const char *const rc_names[DET_DNS_RC_MAX] = {
	"matched", "unmatched", "name_mismatch", "duplicate", "late",
	"not_dns", "no_history",
};

const char *
det_dnsmatch_rc_name(enum det_dnsmatch_rc rc)
{
	return (unsigned int)rc < DET_DNS_RC_MAX ? rc_names[rc] : "?";
}

static uint32_t
det_buckets(uint32_t slots)
{
	uint32_t b = 1;

	while (b * WAYS < slots && b < (1u << 24))
		b <<= 1;
	return b;
}

size_t
det_dnsmatch_mem_size(uint32_t slots)
{
	return sizeof(struct det_dnsmatch) +
		(size_t)det_buckets(slots) * sizeof(struct det_dnsb);
}

struct det_dnsmatch *
det_dnsmatch_init(void *mem, size_t size, uint32_t slots, uint32_t timeout_ms)
{
	struct det_dnsmatch *m = mem;

	if (mem == NULL || slots == 0 || timeout_ms == 0 ||
			size < det_dnsmatch_mem_size(slots))
		return NULL;
	memset(mem, 0, det_dnsmatch_mem_size(slots));
	m->mask = det_buckets(slots) - 1;
	m->timeout_ms = timeout_ms;
	return m;
}

struct det_dnsmatch *
det_dnsmatch_create(uint32_t slots, uint32_t timeout_ms)
{
	size_t sz;
	void *mem;
	struct det_dnsmatch *m;

	if (slots == 0 || slots > (1u << 24))
		return NULL;
	sz = det_dnsmatch_mem_size(slots);
	mem = calloc(1, sz);
	m = det_dnsmatch_init(mem, sz, slots, timeout_ms);
	if (m == NULL) {
		free(mem);
		return NULL;
	}
	m->own = 1;
	return m;
}

void
det_dnsmatch_free(struct det_dnsmatch *m)
{
	if (m != NULL && m->own)
		free(m);
}

/* Header and the first question: id, QR, the name's hash (0 if the
 * message has no single question). -EINVAL when malformed. */
static int
det_dns_head(const uint8_t *msg, size_t len, uint16_t *id, int *qr,
		uint32_t *name_h)
{
	uint16_t qd;
	size_t off = 12;
	uint64_t h = 0xcbf29ce484222325ull;

	if (msg == NULL || len < 12)
		return -EINVAL;
	*id = (uint16_t)(msg[0] << 8 | msg[1]);
	*qr = msg[2] >> 7;
	if ((msg[2] >> 3 & 0x0f) != 0)
		return -EINVAL;		/* not a standard query */
	qd = (uint16_t)(msg[4] << 8 | msg[5]);
	*name_h = 0;
	if (qd != 1)
		return 0;
	for (int labels = 0; ; labels++) {
		uint8_t l;

		if (off >= len || labels > 127)
			return -EINVAL;
		l = msg[off++];
		if (l == 0)
			break;
		if (l & 0xc0)
			return -EINVAL;	/* nothing to point back to */
		if (off + l > len)
			return -EINVAL;
		for (uint8_t i = 0; i < l; i++) {
			uint8_t c = msg[off + i];

			if (c >= 'A' && c <= 'Z')
				c = (uint8_t)(c + 32);
			h = (h ^ c) * 0x100000001b3ull;
		}
		h = (h ^ '.') * 0x100000001b3ull;
		off += l;
	}
	if (off + 4 > len)
		return -EINVAL;
	/* the type and class belong to the question */
	for (int i = 0; i < 4; i++)
		h = (h ^ msg[off + i]) * 0x100000001b3ull;
	*name_h = (uint32_t)(h ^ h >> 32) | 1;
	return 0;
}

/* The server is not part of the match: networks that intercept DNS
 * answer from another address than the one asked, and stub resolvers
 * that accept that exist. */
static uint64_t
det_qkey(const uint8_t client[16], uint16_t cport, uint16_t id)
{
	uint8_t k[20];

	memcpy(k, client, 16);
	k[16] = (uint8_t)(cport >> 8);
	k[17] = (uint8_t)cport;
	k[18] = (uint8_t)(id >> 8);
	k[19] = (uint8_t)id;
	return det_hash(k, sizeof(k), 11) | 1;
}

static struct det_dnsb *
det_bucket_of(struct det_dnsmatch *m, uint64_t key)
{
	return &m->b[(size_t)((key >> 20) & m->mask)];
}

void
det_dnsmatch_watch(struct det_dnsmatch *m, uint64_t now_us)
{
	if (m->start_us == 0)
		__atomic_store_n(&m->start_us, now_us ? now_us : 1,
				__ATOMIC_RELAXED);
}

bool
det_dnsmatch_ready(const struct det_dnsmatch *m, uint64_t now_us)
{
	uint64_t start = __atomic_load_n(&m->start_us, __ATOMIC_RELAXED);

	return start != 0 && now_us >= start + (uint64_t)m->timeout_ms * DET_MS;
}

int
det_dnsmatch_query(struct det_dnsmatch *m, const uint8_t client[16],
		uint16_t cport, const uint8_t server[16], const uint8_t *msg,
		size_t len, uint64_t now_us)
{
	const uint64_t keep = (uint64_t)m->timeout_ms * DET_MS *
		KEEP_TIMEOUTS;
	struct det_dnsq *b, *slot = NULL;
	struct det_dnsb *bk;
	uint32_t name_h;
	uint16_t id;
	uint64_t key;
	int qr;

	if (det_dns_head(msg, len, &id, &qr, &name_h) != 0 || qr != 0)
		return -EINVAL;
	det_dnsmatch_watch(m, now_us);
	m->st.queries++;
	key = det_qkey(client, cport, id);
	bk = det_bucket_of(m, key);
	b = bk->q;
	for (int i = 0; i < WAYS; i++) {
		struct det_dnsq *q = &b[i];

		if (q->key == key) {
			slot = q;	/* a retransmission */
			break;
		}
		if (slot == NULL && (q->state == Q_FREE ||
				q->ts_us + keep < now_us))
			slot = q;
	}
	if (slot == NULL) {
		/* answered ones go first, then the oldest pending */
		for (int i = 0; i < WAYS; i++)
			if (b[i].state == Q_ANSWERED && (slot == NULL ||
					b[i].ts_us < slot->ts_us))
				slot = &b[i];
		if (slot == NULL) {
			slot = &b[0];
			for (int i = 1; i < WAYS; i++)
				if (b[i].ts_us < slot->ts_us)
					slot = &b[i];
			/* its answer may still come: this bucket cannot
			 * call an answer unmatched for a while */
			m->st.evicted++;
			bk->evict_us = now_us ? now_us : 1;
		}
	}
	slot->key = key;
	slot->ts_us = now_us;
	slot->name_h = name_h;
	slot->server_h = (uint32_t)det_hash(server, 16, 12);
	slot->state = Q_PENDING;
	return 0;
}

static enum det_dnsmatch_rc
det_count(struct det_dnsmatch *m, enum det_dnsmatch_rc rc)
{
	m->st.rc[rc]++;
	return rc;
}

enum det_dnsmatch_rc
det_dnsmatch_answer(struct det_dnsmatch *m, const uint8_t client[16],
		uint16_t cport, const uint8_t server[16], const uint8_t *msg,
		size_t len, uint64_t now_us, uint16_t *id)
{
	const uint64_t tmo = (uint64_t)m->timeout_ms * DET_MS;
	const uint64_t keep = tmo * KEEP_TIMEOUTS;
	struct det_dnsb *bk;
	struct det_dnsq *b;
	uint32_t name_h;
	uint64_t key;
	int qr;

	*id = 0;
	if (det_dns_head(msg, len, id, &qr, &name_h) != 0 || qr != 1)
		return det_count(m, DET_DNS_NOT_DNS);
	m->st.answers++;
	det_dnsmatch_watch(m, now_us);
	key = det_qkey(client, cport, *id);
	bk = det_bucket_of(m, key);
	b = bk->q;
	for (int i = 0; i < WAYS; i++) {
		struct det_dnsq *q = &b[i];

		if (q->key != key || q->state == Q_FREE)
			continue;
		if (q->state == Q_ANSWERED)
			return det_count(m, DET_DNS_DUPLICATE);
		if (name_h != 0 && q->name_h != 0 && name_h != q->name_h)
			return det_count(m, DET_DNS_NAME_MISMATCH);
		q->state = Q_ANSWERED;
		if (q->server_h != (uint32_t)det_hash(server, 16, 12))
			m->st.other_server++;
		if (now_us > q->ts_us + tmo)
			return det_count(m, DET_DNS_LATE);
		return det_count(m, DET_DNS_MATCHED);
	}
	/* Can we know this answer had no query? Not when we started after
	 * it was sent, nor when its query may have been evicted. */
	if (now_us < m->start_us + tmo ||
			(bk->evict_us != 0 && now_us < bk->evict_us + keep))
		return det_count(m, DET_DNS_NO_HISTORY);
	return det_count(m, DET_DNS_UNMATCHED);
}

void
det_dnsmatch_stats(const struct det_dnsmatch *m, struct det_dnsmatch_stats *s)
{
	const uint64_t *from = (const uint64_t *)&m->st;
	uint64_t *to = (uint64_t *)s;

	_Static_assert(sizeof(*s) % sizeof(uint64_t) == 0,
		"det_dnsmatch_stats: counters only");
	for (size_t i = 0; i < sizeof(*s) / sizeof(uint64_t); i++)
		to[i] = __atomic_load_n(&from[i], __ATOMIC_RELAXED);
}
