/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#ifndef CORDON_DATAPLANE_DNS_SNOOP_H
#define CORDON_DATAPLANE_DNS_SNOOP_H

/*
 * DNS snooping: the address -> name bindings that dns_name rules need.
 *
 * A worker hands every allowed unicast DNS response (UDP source port 53) it
 * is about to transmit to dns_snoop(), synchronously, so the binding exists
 * before the device can act on the answer. The A/AAAA records at the end of
 * the CNAME chain of the question are bound, per receiving device (the
 * response's destination MAC + VLAN), to every name of that chain (question
 * name first, then the record's owner, then the CNAMEs in between), at most
 * DNS_BIND_NAMES of them, for min(TTL over the chain) seconds, raised to
 * the TTL floor and capped at DNS_TTL_MAX. Records that are not on the
 * question's chain are ignored: a server cannot bind names the device did
 * not ask for.
 *
 * The table (dns_table) is shared by all workers: a flow and the DNS answer
 * that preceded it may be on different workers. Writers (dns_table_learn)
 * serialise on one spinlock; readers (dns_table_lookup, from the
 * classifier) take no lock: every slot has a sequence counter (seqlock) and
 * a reader retries a slot it saw change. Capacity is fixed at creation:
 * bindings and interned names live in set-associative buckets (8 ways);
 * a full bucket reuses an expired way, else the one expiring first
 * (counted). Nothing is allocated after dns_table_create.
 *
 * Names are stored lower-case without the trailing dot, in a name table of
 * their own (a binding refers to a name slot and its generation: a name
 * slot reused for another name invalidates the old references).
 *
 * dns_table_gen() counts new (device, address, name) bindings whose name
 * the caller's `relevant` callback accepted (not refreshes): the worker
 * re-checks denied flows when it changes (see worker.c).
 *
 * Times are seconds of a monotonic clock, passed in (dns_table_now() reads
 * the table's clock, which tests may replace).
 *
 * Not snooped: DNS over TCP, fragmented responses, and the part of a
 * response beyond the first mbuf segment (it parses as malformed). A flow
 * allowed through a name keeps its verdict when the binding expires.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_NAME_MAX 253u		/* text, without the trailing dot */
#define DNS_BIND_NAMES 4u		/* names per (device, address) */
#define DNS_CHAIN_MAX 8u		/* question + CNAMEs followed */
#define DNS_PARSE_MAX_ADDRS 32u		/* A/AAAA kept per response */
#define DNS_PARSE_MAX_RRS 64u		/* answer records looked at */
#define DNS_TTL_FLOOR_DEFAULT 60u
#define DNS_TTL_MAX 604800u		/* one week, as RFC 8767 caps */
#define DNS_BINDINGS_DEFAULT 65536u
#define DNS_BINDINGS_MIN 64u
#define DNS_BINDINGS_MAX (1u << 24)

/* One A/AAAA record on the question's chain. */
struct dns_addr_rec {
	uint8_t family;			/* 4 or 6 */
	uint8_t n_names;
	uint8_t name[DNS_BIND_NAMES];	/* indexes into dns_parsed.chain */
	uint8_t addr[16];		/* 4 or 16 bytes used */
	uint32_t ttl;			/* min over the chain, not floored */
};

struct dns_parsed {
	uint32_t n_chain;		/* chain[0] is the question name */
	uint32_t n_addrs;
	uint32_t unrelated;		/* A/AAAA/CNAME off the chain */
	uint32_t dropped_names;		/* chain names beyond DNS_BIND_NAMES */
	uint32_t dropped_addrs;		/* beyond DNS_PARSE_MAX_ADDRS */
	uint32_t too_long;		/* answer names longer than the max */
	uint16_t chain_len[DNS_CHAIN_MAX];
	char chain[DNS_CHAIN_MAX][DNS_NAME_MAX + 1];	/* NUL-terminated */
	struct dns_addr_rec addr[DNS_PARSE_MAX_ADDRS];
};

/*
 * Parse a DNS message (UDP payload). Every read is bounds-checked; name
 * compression pointers must point backwards and are followed at most a
 * fixed number of times. Returns 0 (p filled; n_addrs may be 0),
 * -ENOMSG (well-formed but nothing to learn: a query, rcode != 0, not
 * exactly one question, opcode != 0), -ENAMETOOLONG (question name longer
 * than DNS_NAME_MAX) or -EBADMSG (malformed, truncated, bad characters in
 * a name).
 */
int dns_parse(const uint8_t *msg, size_t len, struct dns_parsed *p);

/*
 * Normalise a name into out (DNS_NAME_MAX + 1 bytes): ASCII lower-case,
 * one trailing dot removed. Returns the length, or -ENAMETOOLONG / -EINVAL
 * (empty).
 */
int dns_name_normalise(const char *in, size_t len, char *out);

struct dns_stats {
	uint64_t responses;		/* handed to dns_snoop */
	uint64_t parsed;		/* parsed successfully */
	uint64_t malformed;
	uint64_t ignored;		/* -ENOMSG: queries, errors, ... */
	uint64_t names_too_long;
	uint64_t unrelated;		/* records off the question's chain */
	uint64_t names_dropped;		/* more than DNS_BIND_NAMES */
	uint64_t addrs_dropped;		/* more than DNS_PARSE_MAX_ADDRS */
	uint64_t bindings_created;	/* new (device, address) slots */
	uint64_t names_bound;		/* new (device, address, name) */
	uint64_t refreshed;		/* known name, expiry moved */
	uint64_t evicted;		/* live binding replaced (full) */
	uint64_t expired;		/* expired binding slot reused */
	uint64_t name_evicted;		/* live interned name replaced */
	uint64_t gen;			/* dns_table_gen() */
	uint32_t capacity;
	uint32_t name_capacity;
	uint32_t ttl_floor_s;
};

struct dns_table_params {
	uint32_t capacity;		/* bindings; 0: DNS_BINDINGS_DEFAULT */
	uint32_t ttl_floor_s;		/* e.g. DNS_TTL_FLOOR_DEFAULT */
	/* Clock for dns_table_now; NULL: CLOCK_MONOTONIC_COARSE seconds. */
	uint32_t (*clock)(void *arg);
	void *clock_arg;
};

struct dns_table;

/* Everything is allocated here (rounded up to powers of two). */
struct dns_table *dns_table_create(const struct dns_table_params *prm);
void dns_table_free(struct dns_table *t);

uint32_t dns_table_now(const struct dns_table *t);

/* Bumped (atomically) by every new binding of a relevant name. */
uint32_t dns_table_gen(const struct dns_table *t);

/* Does the policy in force care about this name? (name is normalised) */
typedef bool (*dns_relevant_fn)(void *arg, const char *name, uint32_t len);

/*
 * Bind p's addresses for the device (mac, vlan). relevant may be NULL (then
 * every new name bumps the generation). Returns the number of new
 * (device, address, name) bindings.
 */
uint32_t dns_table_learn(struct dns_table *t, const uint8_t mac[6],
		uint16_t vlan, const struct dns_parsed *p, uint32_t now_s,
		dns_relevant_fn relevant, void *arg);

/* dns_parse + dns_table_learn + counters. Returns dns_parse's code. */
int dns_snoop(struct dns_table *t, const uint8_t mac[6], uint16_t vlan,
		const uint8_t *msg, size_t len, uint32_t now_s,
		dns_relevant_fn relevant, void *arg);

/* Called with each live name of a binding (normalised, NUL-terminated). */
typedef void (*dns_name_cb)(void *arg, const char *name, uint32_t len);

/*
 * Names bound to (mac, vlan, family 4|6, addr 4|16 bytes) at now_s. Lock
 * free. Returns how many names cb got (0: no live binding).
 */
uint32_t dns_table_lookup(const struct dns_table *t, const uint8_t mac[6],
		uint16_t vlan, uint8_t family, const uint8_t *addr,
		uint32_t now_s, dns_name_cb cb, void *arg);

void dns_table_stats(const struct dns_table *t, struct dns_stats *s);

#endif /* CORDON_DATAPLANE_DNS_SNOOP_H */
