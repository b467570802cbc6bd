/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_DET_DNSMATCH_H
#define CORDON_DET_DNSMATCH_H

/*
 * Forged DNS answers: an answer counts only if it matches a query the
 * device sent: same client address and port, same transaction id, same
 * question (name, case-insensitive, type and class). Not the server:
 * networks that intercept DNS answer from another address than the one
 * asked (counted in other_server). Meant to sit in
 * front of dataplane/dns_snoop.c: the worker that binds answers calls
 * det_dnsmatch_query() on the device's queries and det_dnsmatch_answer()
 * on answers, and binds only DET_DNS_MATCHED ones. A query and its answer
 * are one UDP flow, so they meet in one worker: one table per worker, no
 * locks.
 *
 * Fixed memory (set-associative, 8 ways), nothing allocated after init,
 * time passed in. Answered queries stay until their way is needed, so a
 * second answer is told apart (DET_DNS_DUPLICATE: a retransmitted query
 * answered twice, or a spoofer who guessed right; counted, not alerted).
 * A pending query is kept 30 timeouts (a forwarder that queued queries
 * through an outage answers them minutes later: DET_DNS_LATE, not
 * forged). An answer for no query is DET_DNS_UNMATCHED, unless the table
 * cannot know: it started (det_dnsmatch_watch) less than a timeout ago, or
 * the answer's bucket had to evict a pending query within the keeping
 * time (DET_DNS_NO_HISTORY, counted).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum det_dnsmatch_rc {
	DET_DNS_MATCHED = 0,
	DET_DNS_UNMATCHED,	/* forged: no such query */
	DET_DNS_NAME_MISMATCH,	/* forged: id right, question wrong */
	DET_DNS_DUPLICATE,
	DET_DNS_LATE,		/* after the timeout: the device gave up */
	DET_DNS_NOT_DNS,	/* malformed, or not a query/answer */
	DET_DNS_NO_HISTORY,
	DET_DNS_RC_MAX
};

const char *det_dnsmatch_rc_name(enum det_dnsmatch_rc rc);

struct det_dnsmatch_stats {
	uint64_t queries, answers;
	uint64_t rc[DET_DNS_RC_MAX];
	uint64_t evicted;	/* pending queries pushed out */
	uint64_t other_server;	/* matched, from another address */
};

struct det_dnsmatch;

/* Bytes for a table of at least `slots` queries (rounded up to 8 x 2^k). */
size_t det_dnsmatch_mem_size(uint32_t slots);
/* In caller memory (64-byte aligned, det_dnsmatch_mem_size bytes). */
struct det_dnsmatch *det_dnsmatch_init(void *mem, size_t size, uint32_t slots,
		uint32_t timeout_ms);
/* calloc'd; free with det_dnsmatch_free. NULL on bad args / no memory. */
struct det_dnsmatch *det_dnsmatch_create(uint32_t slots, uint32_t timeout_ms);
void det_dnsmatch_free(struct det_dnsmatch *m);

/*
 * Traffic passes here from now_us on (the caller's first packet of any
 * kind): a query sent after it was seen, so an answer a timeout later with
 * no query is unmatched. Without it, the first DNS message starts the
 * table's history, and on a quiet network that can be the very query a
 * forger races (DET_DNS_NO_HISTORY for a whole timeout). No-op once
 * started.
 */
void det_dnsmatch_watch(struct det_dnsmatch *m, uint64_t now_us);

/* A query from client:cport to server (UDP payload msg). 0, or -EINVAL
 * when msg is not a DNS query. */
int det_dnsmatch_query(struct det_dnsmatch *m, const uint8_t client[16],
		uint16_t cport, const uint8_t server[16], const uint8_t *msg,
		size_t len, uint64_t now_us);

/* An answer from server to client:cport. *id gets its transaction id. */
enum det_dnsmatch_rc det_dnsmatch_answer(struct det_dnsmatch *m,
		const uint8_t client[16], uint16_t cport,
		const uint8_t server[16], const uint8_t *msg, size_t len,
		uint64_t now_us, uint16_t *id);

/* The counters; another thread may read them while the owner counts
 * (each is read whole). */
void det_dnsmatch_stats(const struct det_dnsmatch *m,
		struct det_dnsmatch_stats *s);

/*
 * Whether an answer for no query can be told apart at now_us: the table
 * has watched for a timeout (till then, its query may have gone before
 * the table started, and it is DET_DNS_NO_HISTORY). A forgery sent
 * earlier is refused all the same, but not called one. Another thread
 * may ask.
 */
bool det_dnsmatch_ready(const struct det_dnsmatch *m, uint64_t now_us);

#endif
