/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * DNS response parser and the shared address -> name binding table (see
 * dns_snoop.h for the model).
 *
 * Parsing is two passes over the answer section: the first checks the
 * structure and notes each record (owner hash and length, type, TTL,
 * rdata); the second follows the CNAME chain from the question name and
 * keeps the A/AAAA records owned by a name of the chain. Owners are
 * compared by hash first and decoded again only on a hash hit.
 *
 * Table slots use a seqlock: the writer (under t->lock) makes seq odd,
 * writes, makes it even; a reader copies the slot and retries if seq was
 * odd or moved. Readers never block writers.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_pause.h>
#include <rte_spinlock.h>

#include "dns_snoop.h"
#include "util_dns.h"
#include "util_hash.h"

#define DNS_HDR_LEN 12u
#define DNS_TYPE_A 1u
#define DNS_TYPE_CNAME 5u
#define DNS_TYPE_AAAA 28u
#define DNS_CLASS_IN 1u
#define WAYS 8u
/* Reader retries of one slot before giving up (a writer stuck mid-slot
 * cannot happen, but a reader must not spin forever on garbage). */
#define SEQ_TRIES 64u

/* ---- parser ------------------------------------------------------------ */

static inline uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

static inline uint32_t
name_hash(const char *s, uint32_t len)
{
	return util_hash_fnv32(UTIL_HASH_FNV32_INIT, s, len);
}

/*
 * Decode the name at off into out (DNS_NAME_MAX + 1 bytes), lower-cased,
 * labels joined by dots, NUL-terminated. *next: the offset after the name
 * in the record. Returns the text length, -EBADMSG, or -ENAMETOOLONG (then
 * *next is still valid).
 */
static int
name_decode(const uint8_t *msg, size_t len, size_t off, char *out,
		size_t *next)
{
	int rc = util_dns_name(msg, len, off, out, DNS_NAME_MAX + 1,
			       UTIL_DNS_HOSTNAME, next);

	return rc > (int)DNS_NAME_MAX ? -ENAMETOOLONG : rc;
}

struct rr_note {
	size_t owner_off;
	size_t rdata_off;
	uint32_t ttl;
	uint32_t owner_hash;
	uint16_t owner_len;	/* UINT16_MAX: owner unusable (too long) */
	uint16_t type;
	uint16_t rdlen;
};

/* Does record r's owner equal name (len, hash)? */
static bool
owner_is(const uint8_t *msg, size_t len, const struct rr_note *r,
	 const char *name, uint32_t nlen, uint32_t h)
{
	char tmp[DNS_NAME_MAX + 1];
	size_t next;

	if (r->owner_len != nlen || r->owner_hash != h)
		return false;
	if (name_decode(msg, len, r->owner_off, tmp, &next) != (int)nlen)
		return false;
	return memcmp(tmp, name, nlen) == 0;
}

int
dns_parse(const uint8_t *msg, size_t len, struct dns_parsed *p)
{
	struct rr_note rr[DNS_PARSE_MAX_RRS];
	uint32_t chain_ttl[DNS_CHAIN_MAX], chain_hash[DNS_CHAIN_MAX];
	bool rr_used[DNS_PARSE_MAX_RRS];
	char tmp[DNS_NAME_MAX + 1];
	uint16_t flags, qd, an;
	uint32_t n_rr = 0, i;
	size_t off;
	int rc;

	p->n_chain = p->n_addrs = 0;
	p->unrelated = p->dropped_names = p->dropped_addrs = 0;
	p->too_long = 0;
	if (msg == NULL || len < DNS_HDR_LEN)
		return -EBADMSG;
	flags = rd16(msg + 2);
	qd = rd16(msg + 4);
	an = rd16(msg + 6);
	if (!(flags & 0x8000) || ((flags >> 11) & 0xf) != 0 ||
	    (flags & 0xf) != 0 || qd != 1)
		return -ENOMSG;

	rc = name_decode(msg, len, DNS_HDR_LEN, p->chain[0], &off);
	if (rc == -ENAMETOOLONG) {
		p->too_long++;
		return rc;
	}
	if (rc < 0)
		return rc;
	if (off + 4 > len)
		return -EBADMSG;
	if (rc == 0 || rd16(msg + off + 2) != DNS_CLASS_IN)
		return -ENOMSG;		/* the root, or not Internet */
	p->chain_len[0] = (uint16_t)rc;
	chain_hash[0] = name_hash(p->chain[0], (uint32_t)rc);
	chain_ttl[0] = UINT32_MAX;
	p->n_chain = 1;
	off += 4;

	/* Pass 1: structure of the answer section. */
	for (i = 0; i < an && n_rr < DNS_PARSE_MAX_RRS; i++) {
		struct rr_note *r = &rr[n_rr];
		size_t next;

		r->owner_off = off;
		rc = name_decode(msg, len, off, tmp, &next);
		if (rc == -EBADMSG)
			return rc;
		if (next + 10 > len)
			return -EBADMSG;
		r->type = rd16(msg + next);
		r->ttl = rd32(msg + next + 4);
		/* RFC 2181 8: a TTL with the top bit set means zero. */
		if (r->ttl & 0x80000000u)
			r->ttl = 0;
		r->rdlen = rd16(msg + next + 8);
		r->rdata_off = next + 10;
		if (r->rdata_off + r->rdlen > len)
			return -EBADMSG;
		off = r->rdata_off + r->rdlen;
		if (rd16(msg + next + 2) != DNS_CLASS_IN)
			continue;
		if (r->type != DNS_TYPE_A && r->type != DNS_TYPE_AAAA &&
		    r->type != DNS_TYPE_CNAME)
			continue;
		if (rc < 0) {
			p->too_long++;
			continue;
		}
		r->owner_len = (uint16_t)rc;
		r->owner_hash = name_hash(tmp, (uint32_t)rc);
		rr_used[n_rr] = false;
		n_rr++;
	}

	/* Pass 2a: the CNAME chain from the question. */
	while (p->n_chain < DNS_CHAIN_MAX) {
		const uint32_t c = p->n_chain - 1;
		bool found = false;

		for (i = 0; i < n_rr && !found; i++) {
			struct rr_note *r = &rr[i];
			size_t next;
			uint32_t h, k;

			if (r->type != DNS_TYPE_CNAME || rr_used[i] ||
			    !owner_is(msg, len, r, p->chain[c],
				      p->chain_len[c], chain_hash[c]))
				continue;
			rr_used[i] = true;
			found = true;
			rc = name_decode(msg, r->rdata_off + r->rdlen,
					 r->rdata_off, p->chain[c + 1], &next);
			if (rc == -ENAMETOOLONG)
				p->too_long++;
			if (rc == -EBADMSG)
				return rc;
			if (rc <= 0)
				goto chain_done;	/* root, too long */
			h = name_hash(p->chain[c + 1], (uint32_t)rc);
			for (k = 0; k <= c; k++)
				if (chain_hash[k] == h &&
				    p->chain_len[k] == rc &&
				    memcmp(p->chain[k], p->chain[c + 1],
					   (size_t)rc) == 0)
					break;
			if (k <= c)
				found = false;	/* a CNAME loop: stop */
			else {
				p->chain_len[c + 1] = (uint16_t)rc;
				chain_hash[c + 1] = h;
				chain_ttl[c + 1] = chain_ttl[c] < r->ttl ?
					chain_ttl[c] : r->ttl;
				p->n_chain++;
			}
			if (!found)
				goto chain_done;
		}
		if (!found)
			break;
	}
chain_done:

	/* Pass 2b: addresses owned by a chain name. */
	for (i = 0; i < n_rr; i++) {
		struct rr_note *r = &rr[i];
		struct dns_addr_rec *a;
		uint32_t c, k, n;

		if (r->type == DNS_TYPE_CNAME) {
			p->unrelated += !rr_used[i];
			continue;
		}
		if (r->rdlen != (r->type == DNS_TYPE_A ? 4 : 16))
			return -EBADMSG;
		for (c = 0; c < p->n_chain; c++)
			if (owner_is(msg, len, r, p->chain[c], p->chain_len[c],
				     chain_hash[c]))
				break;
		if (c == p->n_chain) {
			p->unrelated++;
			continue;
		}
		if (p->n_addrs == DNS_PARSE_MAX_ADDRS) {
			p->dropped_addrs++;
			continue;
		}
		a = &p->addr[p->n_addrs++];
		a->family = r->type == DNS_TYPE_A ? 4 : 6;
		memset(a->addr, 0, sizeof(a->addr));
		memcpy(a->addr, msg + r->rdata_off, r->rdlen);
		a->ttl = chain_ttl[c] < r->ttl ? chain_ttl[c] : r->ttl;
		/* The question first, then the owner, then the middle. */
		a->name[0] = 0;
		n = 1;
		if (c != 0)
			a->name[n++] = (uint8_t)c;
		for (k = 1; k < c; k++) {
			if (n == DNS_BIND_NAMES) {
				p->dropped_names += c - k;
				break;
			}
			a->name[n++] = (uint8_t)k;
		}
		a->n_names = (uint8_t)n;
	}
	return 0;
}

int
dns_name_normalise(const char *in, size_t len, char *out)
{
	if (len != 0 && in[len - 1] == '.')
		len--;
	if (len == 0)
		return -EINVAL;
	if (len > DNS_NAME_MAX)
		return -ENAMETOOLONG;
	for (size_t i = 0; i < len; i++) {
		char c = in[i];

		out[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	out[len] = '\0';
	return (int)len;
}

/* ---- table ------------------------------------------------------------- */

struct name_slot {
	uint32_t seq;
	uint32_t gen;		/* bumped when the slot takes another name */
	uint32_t hash;
	uint32_t expires;	/* writer only: latest binding expiry */
	uint16_t len;		/* 0: empty */
	char s[DNS_NAME_MAX + 1];
};

struct bind_slot {
	uint32_t seq;
	uint32_t expires;		/* latest of name_exp */
	uint64_t key;			/* 0: empty */
	uint8_t addr[16];
	uint32_t name[DNS_BIND_NAMES];	/* name slot + 1, 0: none */
	uint32_t name_gen[DNS_BIND_NAMES];
	uint32_t name_exp[DNS_BIND_NAMES];
};

struct dns_table {
	uint32_t gen;			/* atomic */
	rte_spinlock_t lock;		/* writers */
	struct bind_slot *b;
	uint32_t b_mask;		/* buckets - 1 */
	struct name_slot *n;
	uint32_t n_mask;
	uint32_t ttl_floor;
	uint32_t (*clock)(void *arg);
	void *clock_arg;
	struct dns_stats st;		/* counters: atomic adds */
};

#define CNT(t, f, v) __atomic_fetch_add(&(t)->st.f, (v), __ATOMIC_RELAXED)

static uint32_t
clock_default(void *arg)
{
	struct timespec ts;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint32_t)ts.tv_sec;
}

static uint32_t
pow2_at_least(uint32_t v)
{
	uint32_t p = 1;

	while (p < v)
		p <<= 1;
	return p;
}

struct dns_table *
dns_table_create(const struct dns_table_params *prm)
{
	struct dns_table *t;
	uint32_t cap = prm->capacity ? prm->capacity : DNS_BINDINGS_DEFAULT;
	uint32_t ncap;

	if (cap < DNS_BINDINGS_MIN)
		cap = DNS_BINDINGS_MIN;
	if (cap > DNS_BINDINGS_MAX)
		cap = DNS_BINDINGS_MAX;
	cap = pow2_at_least(cap);
	/* Names are shared by devices and by the addresses of one name. */
	ncap = cap / 2;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->b = calloc(cap, sizeof(*t->b));
	t->n = calloc(ncap, sizeof(*t->n));
	if (t->b == NULL || t->n == NULL) {
		dns_table_free(t);
		return NULL;
	}
	rte_spinlock_init(&t->lock);
	t->b_mask = cap / WAYS - 1;
	t->n_mask = ncap / WAYS - 1;
	t->ttl_floor = prm->ttl_floor_s;
	t->clock = prm->clock ? prm->clock : clock_default;
	t->clock_arg = prm->clock_arg;
	t->st.capacity = cap;
	t->st.name_capacity = ncap;
	t->st.ttl_floor_s = prm->ttl_floor_s;
	return t;
}

void
dns_table_free(struct dns_table *t)
{
	if (t == NULL)
		return;
	free(t->b);
	free(t->n);
	free(t);
}

uint32_t
dns_table_now(const struct dns_table *t)
{
	return t->clock(t->clock_arg);
}

uint32_t
dns_table_gen(const struct dns_table *t)
{
	return __atomic_load_n(&t->gen, __ATOMIC_ACQUIRE);
}

static inline uint64_t
bind_key(const uint8_t mac[6], uint16_t vlan, uint8_t family)
{
	uint64_t k = 0;

	for (int i = 0; i < 6; i++)
		k = k << 8 | mac[i];
	return k | (uint64_t)(vlan & 0xfff) << 48 |
		(uint64_t)(family == 6) << 60 | 1ull << 63;
}

static inline uint32_t
bind_bucket(const struct dns_table *t, uint64_t key, const uint8_t a[16])
{
	uint64_t x, y, h;

	memcpy(&x, a, 8);
	memcpy(&y, a + 8, 8);
	h = (key ^ x * 0x9e3779b97f4a7c15ull) * 0xff51afd7ed558ccdull;
	h ^= (h >> 29) ^ y * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 32;
	return (uint32_t)h & t->b_mask;
}

static inline void
seq_write_begin(uint32_t *seq)
{
	__atomic_store_n(seq, *seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void
seq_write_end(uint32_t *seq)
{
	__atomic_store_n(seq, *seq + 1, __ATOMIC_RELEASE);
}

/* Writer: the slot of this name (existing or new), or UINT32_MAX. */
static uint32_t
name_intern(struct dns_table *t, const char *s, uint32_t len,
	    uint32_t expires, uint32_t now)
{
	const uint32_t h = name_hash(s, len);
	const uint32_t base = (h & t->n_mask) * WAYS;
	uint32_t victim = UINT32_MAX, w;

	for (w = 0; w < WAYS; w++) {
		struct name_slot *n = &t->n[base + w];

		if (n->len == len && n->hash == h &&
		    memcmp(n->s, s, len) == 0) {
			if (expires > n->expires)
				n->expires = expires;
			return base + w;
		}
		if (n->len == 0) {
			if (victim == UINT32_MAX || t->n[victim].len != 0)
				victim = base + w;
		} else if (victim == UINT32_MAX ||
			   (t->n[victim].len != 0 &&
			    n->expires < t->n[victim].expires)) {
			victim = base + w;
		}
	}
	struct name_slot *n = &t->n[victim];

	if (n->len != 0 && n->expires > now)
		CNT(t, name_evicted, 1);
	seq_write_begin(&n->seq);
	n->gen++;
	n->hash = h;
	n->expires = expires;
	n->len = (uint16_t)len;
	memcpy(n->s, s, len);
	n->s[len] = '\0';
	seq_write_end(&n->seq);
	return victim;
}

/* Writer: the binding slot for (key, addr), found or taken. */
static struct bind_slot *
bind_slot_get(struct dns_table *t, uint64_t key, const uint8_t a[16],
	      uint32_t now, bool *fresh)
{
	const uint32_t base = bind_bucket(t, key, a) * WAYS;
	struct bind_slot *victim = NULL;
	uint32_t w;

	for (w = 0; w < WAYS; w++) {
		struct bind_slot *s = &t->b[base + w];

		if (s->key == key && memcmp(s->addr, a, 16) == 0) {
			*fresh = false;
			return s;
		}
		if (victim == NULL || (victim->key != 0 &&
		    (s->key == 0 || s->expires < victim->expires)))
			victim = s;
	}
	if (victim->key != 0) {
		if (victim->expires > now)
			CNT(t, evicted, 1);
		else
			CNT(t, expired, 1);
	}
	*fresh = true;
	return victim;
}

uint32_t
dns_table_learn(struct dns_table *t, const uint8_t mac[6], uint16_t vlan,
		const struct dns_parsed *p, uint32_t now_s,
		dns_relevant_fn relevant, void *arg)
{
	uint32_t created = 0, bumps = 0, i, k;

	if (p->n_addrs == 0)
		return 0;
	rte_spinlock_lock(&t->lock);
	for (i = 0; i < p->n_addrs; i++) {
		const struct dns_addr_rec *a = &p->addr[i];
		const uint64_t key = bind_key(mac, vlan, a->family);
		uint32_t ttl = a->ttl, exp, idx[DNS_BIND_NAMES];
		struct bind_slot *s;
		bool fresh;

		if (ttl < t->ttl_floor)
			ttl = t->ttl_floor;
		if (ttl > DNS_TTL_MAX)
			ttl = DNS_TTL_MAX;
		exp = now_s + ttl;
		/* Interned before the slot is opened: no nested writes. */
		for (k = 0; k < a->n_names; k++)
			idx[k] = name_intern(t, p->chain[a->name[k]],
					     p->chain_len[a->name[k]], exp,
					     now_s);
		s = bind_slot_get(t, key, a->addr, now_s, &fresh);
		seq_write_begin(&s->seq);
		if (fresh) {
			s->key = key;
			memcpy(s->addr, a->addr, 16);
			memset(s->name, 0, sizeof(s->name));
			s->expires = 0;
			CNT(t, bindings_created, 1);
		}
		for (k = 0; k < a->n_names; k++) {
			const uint32_t ni = idx[k] + 1;
			const uint32_t gen = t->n[idx[k]].gen;
			uint32_t j, slot = DNS_BIND_NAMES;

			for (j = 0; j < DNS_BIND_NAMES; j++) {
				if (s->name[j] == ni && s->name_gen[j] == gen &&
				    s->name_exp[j] > now_s)
					break;
				/* Free: empty, expired, or its name slot
				 * was given to another name. */
				if (slot == DNS_BIND_NAMES &&
				    (s->name[j] == 0 ||
				     s->name_exp[j] <= now_s ||
				     t->n[s->name[j] - 1].gen !=
				     s->name_gen[j]))
					slot = j;
			}
			if (j < DNS_BIND_NAMES) {
				if (exp > s->name_exp[j])
					s->name_exp[j] = exp;
				CNT(t, refreshed, 1);
				continue;
			}
			if (slot == DNS_BIND_NAMES) {
				/* Four live names: the newest answer wins
				 * over the one expiring first. */
				slot = 0;
				for (j = 1; j < DNS_BIND_NAMES; j++)
					if (s->name_exp[j] < s->name_exp[slot])
						slot = j;
				CNT(t, names_dropped, 1);
			}
			s->name[slot] = ni;
			s->name_gen[slot] = gen;
			s->name_exp[slot] = exp;
			created++;
			CNT(t, names_bound, 1);
			if (relevant == NULL ||
			    relevant(arg, p->chain[a->name[k]],
				     p->chain_len[a->name[k]]))
				bumps++;
		}
		s->expires = 0;
		for (k = 0; k < DNS_BIND_NAMES; k++)
			if (s->name[k] != 0 && s->name_exp[k] > s->expires)
				s->expires = s->name_exp[k];
		seq_write_end(&s->seq);
	}
	/* After the slots: a reader that sees the new generation sees them. */
	if (bumps != 0) {
		__atomic_fetch_add(&t->gen, 1, __ATOMIC_RELEASE);
		CNT(t, gen, 1);
	}
	rte_spinlock_unlock(&t->lock);
	return created;
}

int
dns_snoop(struct dns_table *t, const uint8_t mac[6], uint16_t vlan,
	  const uint8_t *msg, size_t len, uint32_t now_s,
	  dns_relevant_fn relevant, void *arg)
{
	struct dns_parsed p;
	int rc;

	CNT(t, responses, 1);
	rc = dns_parse(msg, len, &p);
	if (p.too_long != 0)
		CNT(t, names_too_long, p.too_long);
	if (rc == -ENOMSG) {
		CNT(t, ignored, 1);
		return rc;
	}
	if (rc < 0) {
		CNT(t, malformed, rc == -EBADMSG);
		CNT(t, ignored, rc != -EBADMSG);
		return rc;
	}
	CNT(t, parsed, 1);
	if (p.unrelated != 0)
		CNT(t, unrelated, p.unrelated);
	if (p.dropped_names != 0)
		CNT(t, names_dropped, p.dropped_names);
	if (p.dropped_addrs != 0)
		CNT(t, addrs_dropped, p.dropped_addrs);
	dns_table_learn(t, mac, vlan, &p, now_s, relevant, arg);
	return 0;
}

/* Reader: a consistent copy of name slot i if it still has generation
 * gen. Returns the length, 0 if it moved on. */
static uint32_t
name_read(const struct dns_table *t, uint32_t i, uint32_t gen, char *out)
{
	const struct name_slot *n = &t->n[i];

	for (uint32_t tries = 0; tries < SEQ_TRIES; tries++) {
		uint32_t s0 = __atomic_load_n(&n->seq, __ATOMIC_ACQUIRE);
		uint32_t g, l;

		if (s0 & 1) {
			rte_pause();
			continue;
		}
		g = n->gen;
		l = n->len;
		if (l > DNS_NAME_MAX)
			l = 0;
		memcpy(out, n->s, l);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&n->seq, __ATOMIC_RELAXED) != s0)
			continue;
		if (g != gen)
			return 0;
		out[l] = '\0';
		return l;
	}
	return 0;
}

uint32_t
dns_table_lookup(const struct dns_table *t, const uint8_t mac[6],
		 uint16_t vlan, uint8_t family, const uint8_t *addr,
		 uint32_t now_s, dns_name_cb cb, void *arg)
{
	const uint64_t key = bind_key(mac, vlan, family);
	uint8_t a[16] = { 0 };
	uint32_t base, w, k, n = 0;

	memcpy(a, addr, family == 4 ? 4 : 16);
	base = bind_bucket(t, key, a) * WAYS;
	for (w = 0; w < WAYS; w++) {
		const struct bind_slot *s = &t->b[base + w];
		struct bind_slot c;
		uint32_t tries;

		if (__atomic_load_n(&s->key, __ATOMIC_RELAXED) != key)
			continue;
		for (tries = 0; tries < SEQ_TRIES; tries++) {
			uint32_t s0 = __atomic_load_n(&s->seq,
						      __ATOMIC_ACQUIRE);

			if (s0 & 1) {
				rte_pause();
				continue;
			}
			memcpy(&c, s, sizeof(c));
			__atomic_thread_fence(__ATOMIC_ACQUIRE);
			if (__atomic_load_n(&s->seq, __ATOMIC_RELAXED) == s0)
				break;
		}
		if (tries == SEQ_TRIES || c.key != key ||
		    memcmp(c.addr, a, 16) != 0 || c.expires <= now_s)
			continue;
		for (k = 0; k < DNS_BIND_NAMES; k++) {
			char name[DNS_NAME_MAX + 1];
			uint32_t l;

			if (c.name[k] == 0 || c.name_exp[k] <= now_s ||
			    c.name[k] - 1 > t->n_mask * WAYS + WAYS - 1)
				continue;
			l = name_read(t, c.name[k] - 1, c.name_gen[k], name);
			if (l == 0)
				continue;
			cb(arg, name, l);
			n++;
		}
		return n;
	}
	return 0;
}

void
dns_table_stats(const struct dns_table *t, struct dns_stats *s)
{
	const uint64_t *src = (const uint64_t *)&t->st;
	uint64_t *dst = (uint64_t *)s;
	size_t i;

	*s = t->st;
	for (i = 0; i < offsetof(struct dns_stats, capacity) / 8; i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}
