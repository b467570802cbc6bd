/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Policy compiler and classifier (see policy.h and the "Compiled policy"
 * comment in proto/cordon.proto).
 *
 * Build: every Rule becomes one or more normalised entries "initiator ->
 * responder" (INITIATOR_SRC: src->dst, _DST: dst->src, _EITHER: both; one
 * entry per responder port range) for IPv4, IPv6, or both when the rule
 * names no address. Rules are ranked by (priority, file order) and rank r
 * gets rte_acl priority MAX - r, so the highest rte_acl priority is the
 * first rule in evaluation order, and ties cannot happen between different
 * rules. userdata = r + 1 indexes the rule table (id, action).
 *
 * Entries are split into classes by their most discriminating field (see
 * K_*), one rte_acl ctx per (family, class), that field first in the trie.
 * A query is classified against every non-empty class of its family and
 * the smallest rank wins, which is the same as one ctx holding everything.
 *
 * rte_acl input (one key per query, network byte order): proto, then 4-byte
 * groups: src/dst segment index, src device, dst device, src IP, dst IP,
 * dst port + locality flags, src/dst DNS name id. A group that no entry of
 * a ctx constrains is left out of its field definitions, so a policy
 * without device rules pays nothing for them.
 *
 * Locality (for internet/local endpoints) is one bit per side in the key,
 * computed per query by binary search over local_networks merged into
 * sorted disjoint intervals: O(log n) and no expansion of "internet" into
 * up to 32 (128) complement prefixes per local network in every rule.
 *
 * Devices: a MAC(+VLAN) -> (segment index, device index) open-addressing
 * table with linear probing, immutable after build. Key = MAC | VLAN << 48
 * | bit 63 (bit 63 keeps 0 free as the empty marker); VLAN 0 is the "any
 * VLAN" entry that every named MAC has. Quarantine is applied at build by
 * rewriting the segment of all entries of a quarantined MAC, and a
 * quarantined MAC has no device identity for rules (its ACL device value is
 * 0, "no device"): rules naming it as a device would otherwise keep its
 * access while it is held. Results still report its device index.
 *
 * DNS names: each distinct dns_name (lower-cased, without a trailing dot)
 * gets an id (1..n); entries carry it in the name field. A hash table maps
 * a name to its ids: the exact entry plus every "*.suffix" entry whose
 * suffix is a proper suffix of the name at a label boundary, so a lookup
 * is one probe per label. The names an address has come from the DNS
 * snooper (dns_snoop.h), per device: dst_name is what the initiator was
 * told about the responder's address, src_name what the responder was
 * told about the initiator's. An address can have several names and a
 * name several ids, so a query whose addresses have bindings is classified
 * once per (src id, dst id) pair (all of them: DNS_IDS_MAX is the most an
 * address can have) and the best rank wins: "some name of the address
 * matches". Rules without names match every variant. A policy without dns
 * names does none of this.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <rte_acl.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_rcu_qsbr.h>

#include "dns_snoop.h"
#include "policy.h"
#include "util_err.h"
#include "util_hash.h"

#define ACL_MAX_SIZE_DEFAULT (256u << 20)
/* Queries classified per rte_acl_classify call. */
#define CHUNK 64

#define SLOT_TAG (1ull << 63)

/*
 * Name ids a name can have: its own and one "*.suffix" per dot, and a name
 * of DNS_NAME_MAX characters has at most (DNS_NAME_MAX - 1) / 2 dots.
 * Per side of a query (see classify_chunk), every id of every name the
 * address has: the best rank over all of them decides, so none may be left
 * out (the ids a lookup finds are bounded by the policy's own names).
 */
#define DNS_NAME_IDS_MAX ((DNS_NAME_MAX + 1) / 2)
#define DNS_IDS_MAX (DNS_BIND_NAMES * DNS_NAME_IDS_MAX)

/* dns_name hash table entry: exact name or the suffix of "*.suffix". */
struct dns_hent {
	const char *key;	/* NULL: empty */
	uint32_t hash;
	uint32_t id;
	uint16_t len;
	uint8_t wild;
};

struct dev_slot {
	uint64_t key;		/* 0: empty */
	uint32_t dev;
	uint16_t seg;		/* index into ctx->segs */
	uint8_t quarantined;	/* 1: device rules do not match it */
	uint8_t cls;		/* CLS_BIT(K_SDEV/K_DDEV): rules of that
				 * class name the device; and its segment's
				 * seg_ent.cls (see classify_chunk) */
};

struct seg_ent {
	uint32_t id;
	uint8_t default_action;
	uint8_t l2_action;
	uint8_t ask;		/* Segment.ask */
	uint8_t cls;		/* CLS_BIT(K_SSEG/K_DSEG): rules of that
				 * class name the segment (see
				 * classify_chunk) */
};

struct rule_ent {
	uint32_t id;
	uint8_t action;
};

struct dev_ent {
	uint8_t mac[6];
	bool quarantined;
	uint8_t cls;		/* dev_slot.cls, by device */
	const char *name;
};

struct net6 {
	unsigned __int128 lo, hi;
};

/*
 * rte_acl input layouts. Offsets matter, see field_plan(). Both families'
 * keys are this head, the two addresses, acl_key_tail and the names.
 */
struct acl_key_head {
	uint8_t proto;
	uint8_t pad[3];
	uint16_t src_seg;
	uint16_t dst_seg;
	uint32_t src_dev;
	uint32_t dst_dev;
};

struct acl_key_tail {
	uint16_t dport;
	uint16_t flags;
};

struct acl4_key {
	struct acl_key_head h;
	uint32_t src_ip;
	uint32_t dst_ip;
	struct acl_key_tail t;
	uint32_t src_name;
	uint32_t dst_name;
};

struct acl6_key {
	struct acl_key_head h;
	uint8_t src_ip[16];
	uint8_t dst_ip[16];
	struct acl_key_tail t;
	uint32_t src_name;
	uint32_t dst_name;
};

/*
 * Entries are split by which field discriminates them best, one rte_acl
 * ctx per class, with that field first in the trie: rte_acl's build time
 * and memory explode when rules constrain different fields and wildcard
 * the others (1000 mixed rules in one ctx: 5 s, 66 MiB), while a trie that
 * branches on the device first keeps each device's few rules apart.
 * Each query is classified against every non-empty class of its family
 * and the best (lowest) rank wins.
 */
enum {
	K_SDEV,		/* initiator is a device */
	K_SSEG,		/* initiator is a segment */
	K_DDEV,		/* responder is a device */
	K_DSEG,		/* responder is a segment */
	K_DIP,		/* responder is a CIDR */
	K_SIP,		/* initiator is a CIDR */
	K_REST,		/* any, internet, local, dns_name on both sides */
	K_NUM
};

/*
 * A class whose rules all name the initiator (K_SDEV, K_SSEG) or the
 * responder (K_DDEV, K_DSEG) cannot match a query whose device or segment
 * no rule of the class names: its trie is not searched for that query
 * (build: dev_slot.cls, seg_ent.cls; classify_chunk). The other
 * classes are searched for every query of their family.
 */
#define CLS_BIT(c) (1u << (c))
#define CLS_ALWAYS (CLS_BIT(K_DIP) | CLS_BIT(K_SIP) | CLS_BIT(K_REST))

#define FLAG_SRC_LOCAL 1u
#define FLAG_DST_LOCAL 2u

/*
 * One built rte_acl ctx and the exact rules it was built from. The next
 * policy version reuses it when its rules for that (family, class) come out
 * byte for byte the same: a quarantine, a release, a device moved between
 * segments or an action changed leaves most tries as they were, and
 * rte_acl_build() is most of a build. Freed with its last user.
 */
struct acl_shared {
	struct rte_acl_ctx *acl;
	uint8_t *rules;		/* n rules of rsz bytes, as added */
	size_t n, rsz;
	struct rte_acl_config cfg;
	size_t mem;		/* heap bytes of acl */
	uint32_t refcnt;
};

struct policy_ctx {
	uint32_t epoch;
	uint64_t version;

	struct seg_ent *segs;
	uint32_t n_segs;
	uint16_t default_seg;
	uint16_t quarantine_seg;

	struct dev_slot *slots;
	uint32_t slot_bits;
	uint32_t slot_mask;

	struct dev_ent *devs;
	uint32_t n_devs;

	struct rule_ent *rules;
	uint32_t n_rules;

	uint32_t (*net4)[2];	/* host order [lo, hi], sorted, disjoint */
	uint32_t n_net4;
	struct net6 *net6;
	uint32_t n_net6;
	bool need_local;	/* some entry is internet/local */

	/* [family 0: v4, 1: v6][class], NULL when the class is empty */
	struct rte_acl_ctx *acl[2][K_NUM];
	/* Who owns each: shared with the versions before or after. */
	struct acl_shared *acl_sh[2][K_NUM];

	char **dns_names;	/* sorted, normalised; id = index + 1 */
	uint32_t n_dns_names;
	struct dns_hent *dns_ht;
	uint32_t dns_ht_mask;
	const struct dns_table *dns;	/* bindings; NULL: none */
	bool has_ask;		/* a segment in ask mode: its prompts name
				 * destinations (dp_ask_dst_name) */

	char *names;		/* device names, one block */

	struct policy_info info;
};

static uint32_t policy_epoch_seq;

/* ---- devices ---------------------------------------------------------- */

/*
 * Byte order for the classifier's keys: DPDK's rte_bswap16/32 are asm on
 * x86, which the compiler can neither fold nor merge with a load; the
 * builtins become a movbe or a rotate, and a swapped 0 stays 0.
 */
#define POL_LE (RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN)

static inline uint16_t
pol_be16(uint16_t x)
{
	return POL_LE ? __builtin_bswap16(x) : x;
}

static inline uint32_t
pol_be32(uint32_t x)
{
	return POL_LE ? __builtin_bswap32(x) : x;
}

/* The MAC as a big-endian 48-bit number (two loads and two swaps). */
static inline uint64_t
mac48(const uint8_t m[6])
{
	uint32_t hi;
	uint16_t lo;

	memcpy(&hi, m, 4);
	memcpy(&lo, m + 4, 2);
	return (uint64_t)pol_be32(hi) << 16 | pol_be16(lo);
}

static inline uint32_t
slot_hash(uint64_t key, uint32_t bits)
{
	return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> (64 - bits));
}

static inline const struct dev_slot *
slot_find(const struct policy_ctx *ctx, uint64_t key)
{
	uint32_t i = slot_hash(key, ctx->slot_bits);

	for (;;) {
		const struct dev_slot *s = &ctx->slots[i];

		if (s->key == key)
			return s;
		if (s->key == 0)
			return NULL;
		i = (i + 1) & ctx->slot_mask;
	}
}

/* Build time only: find or claim the slot for key. */
static struct dev_slot *
slot_get(struct policy_ctx *ctx, uint64_t key, bool *is_new)
{
	uint32_t i = slot_hash(key, ctx->slot_bits);

	for (;;) {
		struct dev_slot *s = &ctx->slots[i];

		if (s->key == key) {
			*is_new = false;
			return s;
		}
		if (s->key == 0) {
			s->key = key;
			*is_new = true;
			return s;
		}
		i = (i + 1) & ctx->slot_mask;
	}
}

/* The any-VLAN entry of mac, creating the device if needed. */
static struct dev_slot *
dev_get(struct policy_ctx *ctx, const uint8_t mac[6])
{
	struct dev_slot *s;
	bool is_new;

	s = slot_get(ctx, mac48(mac) | SLOT_TAG, &is_new);
	if (is_new) {
		s->dev = ctx->n_devs++;
		s->seg = ctx->default_seg;
		memcpy(ctx->devs[s->dev].mac, mac, 6);
		ctx->devs[s->dev].name = "";
	}
	return s;
}

/* *acl_dev: the device as rules see it, index + 1 or 0 for none. Returns
 * the device's dev_slot.cls (its segment's classes for none). */
static inline uint8_t
dev_resolve(const struct policy_ctx *ctx, const uint8_t mac[6], uint16_t vlan,
		uint16_t *seg, uint32_t *dev, uint32_t *acl_dev)
{
	uint64_t m = mac48(mac) | SLOT_TAG;
	const struct dev_slot *s = NULL;

	vlan &= 0xfff;
	if (vlan != 0)
		s = slot_find(ctx, m | (uint64_t)vlan << 48);
	if (s == NULL)
		s = slot_find(ctx, m);
	if (s != NULL) {
		*seg = s->seg;
		*dev = s->dev;
		*acl_dev = s->quarantined ? 0 : s->dev + 1;
		return s->cls;
	}
	*seg = ctx->default_seg;
	*dev = POLICY_DEV_UNKNOWN;
	*acl_dev = 0;
	return ctx->segs[ctx->default_seg].cls;
}

/* ---- locality --------------------------------------------------------- */

static inline unsigned __int128
be128(const uint8_t a[16])
{
	unsigned __int128 v = 0;
	int i;

	for (i = 0; i < 16; i++)
		v = v << 8 | a[i];
	return v;
}

static inline bool
local4(const struct policy_ctx *ctx, uint32_t be_addr)
{
	uint32_t a = rte_be_to_cpu_32(be_addr);
	uint32_t lo = 0, hi = ctx->n_net4;

	/* First interval with lo > a, then check the one before it. */
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (ctx->net4[mid][0] <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && a <= ctx->net4[lo - 1][1];
}

static inline bool
local6(const struct policy_ctx *ctx, const uint8_t addr[16])
{
	unsigned __int128 a;
	uint32_t lo = 0, hi = ctx->n_net6;

	if (hi == 0)
		return false;
	a = be128(addr);
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (ctx->net6[mid].lo <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && a <= ctx->net6[lo - 1].hi;
}

static int
net4_cmp(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

static int
net6_cmp(const void *a, const void *b)
{
	const struct net6 *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int
build_local_nets(struct policy_ctx *ctx, const Cordon__Policy *pol)
{
	uint32_t i, n4 = 0, n6 = 0, k;

	ctx->net4 = calloc(pol->n_local_networks + 1, sizeof(*ctx->net4));
	ctx->net6 = calloc(pol->n_local_networks + 1, sizeof(*ctx->net6));
	if (ctx->net4 == NULL || ctx->net6 == NULL)
		return -ENOMEM;
	for (i = 0; i < pol->n_local_networks; i++) {
		const Cordon__Cidr *c = pol->local_networks[i];

		if (c->addr.len == 4) {
			uint32_t a, m;

			memcpy(&a, c->addr.data, 4);
			a = rte_be_to_cpu_32(a);
			m = c->prefix_len == 0 ? 0 :
				~0u << (32 - c->prefix_len);
			ctx->net4[n4][0] = a & m;
			ctx->net4[n4][1] = (a & m) | ~m;
			n4++;
		} else {
			unsigned __int128 a = be128(c->addr.data), m;

			m = c->prefix_len == 0 ? 0 :
				~(unsigned __int128)0 << (128 - c->prefix_len);
			ctx->net6[n6].lo = a & m;
			ctx->net6[n6].hi = (a & m) | ~m;
			n6++;
		}
	}
	/* Sort and merge overlapping or adjacent intervals. */
	qsort(ctx->net4, n4, sizeof(*ctx->net4), net4_cmp);
	for (i = 0, k = 0; i < n4; i++) {
		if (k > 0 && (ctx->net4[k - 1][1] == UINT32_MAX ||
				ctx->net4[i][0] <= ctx->net4[k - 1][1] + 1)) {
			if (ctx->net4[i][1] > ctx->net4[k - 1][1])
				ctx->net4[k - 1][1] = ctx->net4[i][1];
		} else {
			ctx->net4[k][0] = ctx->net4[i][0];
			ctx->net4[k][1] = ctx->net4[i][1];
			k++;
		}
	}
	ctx->n_net4 = k;
	qsort(ctx->net6, n6, sizeof(*ctx->net6), net6_cmp);
	for (i = 0, k = 0; i < n6; i++) {
		if (k > 0 && (ctx->net6[k - 1].hi == ~(unsigned __int128)0 ||
				ctx->net6[i].lo <= ctx->net6[k - 1].hi + 1)) {
			if (ctx->net6[i].hi > ctx->net6[k - 1].hi)
				ctx->net6[k - 1].hi = ctx->net6[i].hi;
		} else {
			ctx->net6[k++] = ctx->net6[i];
		}
	}
	ctx->n_net6 = k;
	ctx->info.mem_bytes += (pol->n_local_networks + 1) *
		(sizeof(*ctx->net4) + sizeof(*ctx->net6));
	return 0;
}

/* ---- segments --------------------------------------------------------- */

struct seg_map {
	uint32_t id;
	uint16_t idx;
};

static int
seg_map_cmp(const void *a, const void *b)
{
	const struct seg_map *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static uint16_t
seg_idx(const struct seg_map *map, uint32_t n, uint32_t id)
{
	struct seg_map key = { .id = id };
	const struct seg_map *m;

	m = bsearch(&key, map, n, sizeof(*map), seg_map_cmp);
	return m != NULL ? m->idx : 0;	/* validated: always found */
}

/* ---- normalised entries ---------------------------------------------- */

struct side {
	bool has_seg, has_dev, has_ip, has_name;
	int8_t local;		/* -1 any, 0 internet, 1 local */
	uint8_t plen;
	uint16_t seg;
	uint32_t dev;		/* device index + 1 */
	uint32_t name;
	uint8_t ip[16];		/* network order */
};

struct norm {
	uint32_t rank;
	uint8_t fam;		/* 4, 6 or 0 for both */
	uint8_t cls;		/* K_* */
	uint8_t proto;
	uint16_t plo, phi;
	struct side init, resp;
};

struct norm_vec {
	struct norm *v;
	size_t n, cap;
};

static int
norm_push(struct norm_vec *nv, const struct norm *e)
{
	if (nv->n == nv->cap) {
		size_t cap = nv->cap ? nv->cap * 2 : 1024;
		struct norm *v = realloc(nv->v, cap * sizeof(*v));

		if (v == NULL)
			return -ENOMEM;
		nv->v = v;
		nv->cap = cap;
	}
	nv->v[nv->n++] = *e;
	return 0;
}

struct build_state {
	struct policy_ctx *ctx;
	const struct seg_map *segmap;
	uint32_t n_seg;
	/* dns names, sorted, with ids */
	char **dns_sorted;
	uint32_t n_dns;
};

static int
str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static uint32_t
dns_lookup(char *const *sorted, uint32_t n, const char *name)
{
	char *const *p;

	p = bsearch(&name, sorted, n, sizeof(*sorted), str_ptr_cmp);
	return p != NULL ? (uint32_t)(p - sorted) + 1 : 0;
}

static void
side_from(struct build_state *bs, const Cordon__Endpoint *e, struct side *s,
		uint8_t *fam)
{
	const struct dev_slot *sl;

	memset(s, 0, sizeof(*s));
	s->local = -1;
	switch (e->kind_case) {
	case CORDON__ENDPOINT__KIND_SEGMENT:
		s->has_seg = true;
		s->seg = seg_idx(bs->segmap, bs->n_seg, e->segment);
		break;
	case CORDON__ENDPOINT__KIND_DEVICE:
		sl = slot_find(bs->ctx, mac48(e->device.data) | SLOT_TAG);
		s->has_dev = true;
		s->dev = sl->dev + 1;
		break;
	case CORDON__ENDPOINT__KIND_CIDR:
		s->has_ip = true;
		s->plen = (uint8_t)e->cidr->prefix_len;
		memcpy(s->ip, e->cidr->addr.data, e->cidr->addr.len);
		*fam = e->cidr->addr.len == 4 ? 4 : 6;
		break;
	case CORDON__ENDPOINT__KIND_INTERNET:
		s->local = 0;
		break;
	case CORDON__ENDPOINT__KIND_LOCAL:
		s->local = 1;
		break;
	case CORDON__ENDPOINT__KIND_DNS_NAME: {
		char nm[DNS_NAME_MAX + 1];

		s->has_name = true;
		s->name = dns_name_normalise(e->dns_name, strlen(e->dns_name),
				nm) > 0 ?
			dns_lookup(bs->dns_sorted, bs->n_dns, nm) : 0;
		break;
	}
	default:		/* any */
		break;
	}
}

static int
normalise(struct build_state *bs, const Cordon__Rule *r, uint32_t rank,
		struct norm_vec *nv)
{
	const Cordon__Endpoint *ep[2][2] = {
		{ r->src, r->dst }, { r->dst, r->src },
	};
	int dirs[2], nd = 0, d;
	size_t p, np;

	switch (r->initiator) {
	case CORDON__INITIATOR__INITIATOR_DST:
		dirs[nd++] = 1;
		break;
	case CORDON__INITIATOR__INITIATOR_EITHER:
		dirs[nd++] = 0;
		dirs[nd++] = 1;
		break;
	default:
		dirs[nd++] = 0;
		break;
	}
	np = r->n_dst_ports ? r->n_dst_ports : 1;
	for (d = 0; d < nd; d++) {
		struct norm e;

		memset(&e, 0, sizeof(e));
		e.rank = rank;
		e.proto = (uint8_t)r->ip_proto;
		side_from(bs, ep[dirs[d]][0], &e.init, &e.fam);
		side_from(bs, ep[dirs[d]][1], &e.resp, &e.fam);
		e.cls = e.init.has_dev ? K_SDEV : e.init.has_seg ? K_SSEG :
			e.resp.has_dev ? K_DDEV : e.resp.has_seg ? K_DSEG :
			e.resp.has_ip ? K_DIP : e.init.has_ip ? K_SIP : K_REST;
		for (p = 0; p < np; p++) {
			if (r->n_dst_ports) {
				e.plo = (uint16_t)r->dst_ports[p]->lo;
				e.phi = (uint16_t)r->dst_ports[p]->hi;
			} else {
				e.plo = 0;
				e.phi = UINT16_MAX;
			}
			if (norm_push(nv, &e) < 0)
				return -ENOMEM;
		}
		bs->ctx->need_local |= e.init.local >= 0 || e.resp.local >= 0;
	}
	return 0;
}

/* ---- rte_acl ---------------------------------------------------------- */

enum {
	G_PROTO, G_SEG, G_SDEV, G_DDEV, G_SIP, G_DIP, G_PORT, G_SNAME,
	G_DNAME, G_NUM
};

/* field index in the rte_acl rule for each logical field, -1: absent */
struct field_plan {
	uint32_t num_fields;
	int proto, sseg, dseg, sdev, ddev, sip, dip, dport, flags, sname,
		dname;
	struct rte_acl_config cfg;
};

static inline bool
in_acl(const struct norm *e, uint8_t fam, uint8_t cls)
{
	return (e->fam == 0 || e->fam == fam) && e->cls == cls;
}

static void
groups_used(const struct norm_vec *nv, uint8_t fam, uint8_t cls,
		bool used[G_NUM])
{
	size_t i;

	memset(used, 0, sizeof(bool) * G_NUM);
	used[G_PROTO] = true;
	for (i = 0; i < nv->n; i++) {
		const struct norm *e = &nv->v[i];

		if (!in_acl(e, fam, cls))
			continue;
		used[G_SEG] |= e->init.has_seg || e->resp.has_seg;
		used[G_SDEV] |= e->init.has_dev;
		used[G_DDEV] |= e->resp.has_dev;
		used[G_SIP] |= e->init.has_ip;
		used[G_DIP] |= e->resp.has_ip;
		used[G_PORT] |= e->plo != 0 || e->phi != UINT16_MAX ||
			e->init.local >= 0 || e->resp.local >= 0;
		used[G_SNAME] |= e->init.has_name;
		used[G_DNAME] |= e->resp.has_name;
	}
}

static void
add_def(struct field_plan *fp, uint8_t type, uint8_t size, uint8_t input,
		uint32_t offset, int *slot)
{
	struct rte_acl_field_def *d = &fp->cfg.defs[fp->num_fields];

	d->type = type;
	d->size = size;
	d->field_index = (uint8_t)fp->num_fields;
	d->input_index = input;
	d->offset = offset;
	*slot = (int)fp->num_fields++;
}

static void
field_plan_make(struct field_plan *fp, uint8_t fam, int first,
		const bool used[G_NUM], size_t max_size)
{
	uint32_t o_seg, o_sdev, o_ddev, o_sip, o_dip, o_port, o_sname,
		o_dname, ipw, k;
	uint8_t in = 0;
	int dummy, gi;

	memset(fp, 0, sizeof(*fp));
	fp->proto = fp->sseg = fp->dseg = fp->sdev = fp->ddev = -1;
	fp->sip = fp->dip = fp->dport = fp->flags = fp->sname = -1;
	fp->dname = -1;
	if (fam == 4) {
		o_seg = offsetof(struct acl4_key, h.src_seg);
		o_sdev = offsetof(struct acl4_key, h.src_dev);
		o_ddev = offsetof(struct acl4_key, h.dst_dev);
		o_sip = offsetof(struct acl4_key, src_ip);
		o_dip = offsetof(struct acl4_key, dst_ip);
		o_port = offsetof(struct acl4_key, t.dport);
		o_sname = offsetof(struct acl4_key, src_name);
		o_dname = offsetof(struct acl4_key, dst_name);
		ipw = 1;
	} else {
		o_seg = offsetof(struct acl6_key, h.src_seg);
		o_sdev = offsetof(struct acl6_key, h.src_dev);
		o_ddev = offsetof(struct acl6_key, h.dst_dev);
		o_sip = offsetof(struct acl6_key, src_ip);
		o_dip = offsetof(struct acl6_key, dst_ip);
		o_port = offsetof(struct acl6_key, t.dport);
		o_sname = offsetof(struct acl6_key, src_name);
		o_dname = offsetof(struct acl6_key, dst_name);
		ipw = 4;
	}
	/* The first field must be one byte; the rest come in 4-byte groups. */
	add_def(fp, RTE_ACL_FIELD_TYPE_BITMASK, 1, in++, 0, &fp->proto);
	for (gi = 0; gi < G_NUM; gi++) {
		int g = gi == 0 ? first : gi == first ? 0 : gi;

		if (g == G_PROTO || !used[g])
			continue;
		switch (g) {
		case G_SEG:
			add_def(fp, RTE_ACL_FIELD_TYPE_BITMASK, 2, in, o_seg,
				&fp->sseg);
			add_def(fp, RTE_ACL_FIELD_TYPE_BITMASK, 2, in++,
				o_seg + 2, &fp->dseg);
			break;
		case G_SDEV:
			add_def(fp, RTE_ACL_FIELD_TYPE_BITMASK, 4, in++, o_sdev,
				&fp->sdev);
			break;
		case G_DDEV:
			add_def(fp, RTE_ACL_FIELD_TYPE_BITMASK, 4, in++, o_ddev,
				&fp->ddev);
			break;
		case G_SIP:
			for (k = 0; k < ipw; k++)
				add_def(fp, RTE_ACL_FIELD_TYPE_MASK, 4, in++,
					o_sip + 4 * k,
					k == 0 ? &fp->sip : &dummy);
			break;
		case G_DIP:
			for (k = 0; k < ipw; k++)
				add_def(fp, RTE_ACL_FIELD_TYPE_MASK, 4, in++,
					o_dip + 4 * k,
					k == 0 ? &fp->dip : &dummy);
			break;
		case G_PORT:
			add_def(fp, RTE_ACL_FIELD_TYPE_RANGE, 2, in, o_port,
				&fp->dport);
			add_def(fp, RTE_ACL_FIELD_TYPE_BITMASK, 2, in++,
				o_port + 2, &fp->flags);
			break;
		case G_SNAME:
			add_def(fp, RTE_ACL_FIELD_TYPE_BITMASK, 4, in++,
				o_sname, &fp->sname);
			break;
		case G_DNAME:
			add_def(fp, RTE_ACL_FIELD_TYPE_BITMASK, 4, in++,
				o_dname, &fp->dname);
			break;
		}
	}
	fp->cfg.num_categories = 1;
	fp->cfg.num_fields = fp->num_fields;
	fp->cfg.max_size = max_size;
}

static void
fill_ip(struct rte_acl_field *f, const struct side *s, uint8_t fam)
{
	uint32_t k, w = fam == 4 ? 1 : 4;

	for (k = 0; k < w; k++) {
		int bits = (int)s->plen - 32 * (int)k;
		uint32_t v;

		memcpy(&v, s->ip + 4 * k, 4);
		bits = bits < 0 ? 0 : bits > 32 ? 32 : bits;
		f[k].value.u32 = bits ? rte_be_to_cpu_32(v) &
			(~0u << (32 - bits)) : 0;
		f[k].mask_range.u32 = (uint32_t)bits;
	}
}

static void
fill_rule(struct rte_acl_rule *ar, const struct field_plan *fp,
		const struct norm *e, uint8_t fam)
{
	struct rte_acl_field *f = ar->field;
	uint32_t w = fam == 4 ? 1 : 4, k;

	ar->data.category_mask = 1;
	ar->data.priority = (int32_t)(RTE_ACL_MAX_PRIORITY - e->rank);
	ar->data.userdata = e->rank + 1;
	memset(f, 0, sizeof(*f) * fp->num_fields);
	f[fp->proto].value.u8 = e->proto;
	f[fp->proto].mask_range.u8 = e->proto ? 0xff : 0;
	if (fp->sseg >= 0) {
		f[fp->sseg].value.u16 = e->init.seg;
		f[fp->sseg].mask_range.u16 = e->init.has_seg ? 0xffff : 0;
		f[fp->dseg].value.u16 = e->resp.seg;
		f[fp->dseg].mask_range.u16 = e->resp.has_seg ? 0xffff : 0;
	}
	if (fp->sdev >= 0) {
		f[fp->sdev].value.u32 = e->init.dev;
		f[fp->sdev].mask_range.u32 = e->init.has_dev ? UINT32_MAX : 0;
	}
	if (fp->ddev >= 0) {
		f[fp->ddev].value.u32 = e->resp.dev;
		f[fp->ddev].mask_range.u32 = e->resp.has_dev ? UINT32_MAX : 0;
	}
	if (fp->sip >= 0) {
		if (e->init.has_ip)
			fill_ip(&f[fp->sip], &e->init, fam);
		else
			for (k = 0; k < w; k++)
				f[fp->sip + k].mask_range.u32 = 0;
	}
	if (fp->dip >= 0) {
		if (e->resp.has_ip)
			fill_ip(&f[fp->dip], &e->resp, fam);
		else
			for (k = 0; k < w; k++)
				f[fp->dip + k].mask_range.u32 = 0;
	}
	if (fp->dport >= 0) {
		uint16_t v = 0, m = 0;

		f[fp->dport].value.u16 = e->plo;
		f[fp->dport].mask_range.u16 = e->phi;
		if (e->init.local >= 0) {
			m |= FLAG_SRC_LOCAL;
			v |= e->init.local ? FLAG_SRC_LOCAL : 0;
		}
		if (e->resp.local >= 0) {
			m |= FLAG_DST_LOCAL;
			v |= e->resp.local ? FLAG_DST_LOCAL : 0;
		}
		f[fp->flags].value.u16 = v;
		f[fp->flags].mask_range.u16 = m;
	}
	if (fp->sname >= 0) {
		f[fp->sname].value.u32 = e->init.name;
		f[fp->sname].mask_range.u32 = e->init.has_name ? UINT32_MAX : 0;
	}
	if (fp->dname >= 0) {
		f[fp->dname].value.u32 = e->resp.name;
		f[fp->dname].mask_range.u32 = e->resp.has_name ? UINT32_MAX : 0;
	}
}

static size_t
heap_used(void)
{
	struct rte_malloc_socket_stats st;
	unsigned int i, n = rte_socket_count();
	size_t sum = 0;

	for (i = 0; i < n; i++) {
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(i),
				&st) == 0)
			sum += st.heap_allocsz_bytes;
	}
	return sum;
}

static void
acl_shared_put(struct acl_shared *sh)
{
	if (sh == NULL || __atomic_sub_fetch(&sh->refcnt, 1,
			__ATOMIC_ACQ_REL) != 0)
		return;
	rte_acl_free(sh->acl);
	free(sh->rules);
	free(sh);
}

/* The same input to rte_acl_build() as sh's, so the same trie. */
static bool
acl_shared_same(const struct acl_shared *sh, const uint8_t *rules, size_t n,
		size_t rsz, const struct rte_acl_config *cfg)
{
	return sh != NULL && sh->n == n && sh->rsz == rsz &&
		sh->cfg.num_categories == cfg->num_categories &&
		sh->cfg.num_fields == cfg->num_fields &&
		sh->cfg.max_size == cfg->max_size &&
		memcmp(sh->cfg.defs, cfg->defs,
		       cfg->num_fields * sizeof(cfg->defs[0])) == 0 &&
		memcmp(sh->rules, rules, n * rsz) == 0;
}

static int
build_acl(struct policy_ctx *ctx, const struct norm_vec *nv, uint8_t fam,
		uint8_t cls, const struct policy_build_opts *opts,
		struct acl_shared **out, char *err, size_t errlen)
{
	const struct policy_ctx *prev = opts != NULL ? opts->prev : NULL;
	struct acl_shared *sh;
	static const int first_group[K_NUM] = {
		[K_SDEV] = G_SDEV, [K_SSEG] = G_SEG, [K_DDEV] = G_DDEV,
		[K_DSEG] = G_SEG, [K_DIP] = G_DIP, [K_SIP] = G_SIP,
		[K_REST] = G_PROTO,
	};
	struct rte_acl_param prm;
	struct field_plan fp;
	struct rte_acl_ctx *acl;
	bool used[G_NUM];
	char name[RTE_ACL_NAMESIZE];
	uint8_t *buf;
	size_t i, n = 0, rsz, before;
	int ret;

	*out = NULL;
	for (i = 0; i < nv->n; i++)
		n += in_acl(&nv->v[i], fam, cls);
	if (n == 0)
		return 0;	/* nothing to match in this class */

	groups_used(nv, fam, cls, used);
	field_plan_make(&fp, fam, first_group[cls], used,
		opts != NULL && opts->acl_max_size ?
		opts->acl_max_size : ACL_MAX_SIZE_DEFAULT);
	if (fam == 4) {
		ctx->info.n_acl4_entries += (uint32_t)n;
		ctx->info.n_acl4_fields = RTE_MAX(ctx->info.n_acl4_fields,
			fp.num_fields);
	} else {
		ctx->info.n_acl6_entries += (uint32_t)n;
		ctx->info.n_acl6_fields = RTE_MAX(ctx->info.n_acl6_fields,
			fp.num_fields);
	}
	ctx->info.n_acl_ctx++;
	rsz = RTE_ACL_RULE_SZ(fp.num_fields);
	buf = calloc(n, rsz);
	if (buf == NULL) {
		util_err_set(err, errlen, "out of memory");
		return -ENOMEM;
	}
	n = 0;
	for (i = 0; i < nv->n; i++) {
		if (!in_acl(&nv->v[i], fam, cls))
			continue;
		fill_rule((struct rte_acl_rule *)(buf + n * rsz), &fp,
			&nv->v[i], fam);
		n++;
	}

	sh = prev != NULL ? prev->acl_sh[fam == 4 ? 0 : 1][cls] : NULL;
	if (acl_shared_same(sh, buf, n, rsz, &fp.cfg)) {
		__atomic_add_fetch(&sh->refcnt, 1, __ATOMIC_RELAXED);
		ctx->info.n_acl_reused++;
		ctx->info.mem_bytes += sh->mem + n * rsz;
		free(buf);
		*out = sh;
		return 0;
	}
	sh = calloc(1, sizeof(*sh));
	if (sh == NULL) {
		util_err_set(err, errlen, "out of memory");
		free(buf);
		return -ENOMEM;
	}

	snprintf(name, sizeof(name), "cordon_p%u_%u_%u", ctx->epoch, fam,
		cls);
	memset(&prm, 0, sizeof(prm));
	prm.name = name;
	prm.socket_id = opts != NULL ? opts->socket_id : SOCKET_ID_ANY;
	prm.rule_size = (uint32_t)rsz;
	prm.max_rule_num = (uint32_t)n;
	before = heap_used();
	acl = rte_acl_create(&prm);
	if (acl == NULL) {
		ret = rte_errno ? -rte_errno : -ENOMEM;
		util_err_set(err, errlen, "rte_acl_create (IPv%u class %u): %s",
			     fam, cls, rte_strerror(-ret));
		goto out;
	}
	ret = rte_acl_add_rules(acl, (const struct rte_acl_rule *)buf,
		(uint32_t)n);
	if (ret < 0) {
		util_err_set(err, errlen, "rte_acl_add_rules (IPv%u class %u, "
			     "%zu entries): %s", fam, cls, n,
			     rte_strerror(-ret));
		goto out_free;
	}
	ret = rte_acl_build(acl, &fp.cfg);
	if (ret < 0) {
		util_err_set(err, errlen, "rte_acl_build (IPv%u class %u, %zu "
			     "entries, max_size %zu): %s", fam, cls, n,
			     fp.cfg.max_size, rte_strerror(-ret));
		goto out_free;
	}
	/* The rule copies are not needed by classify. */
	rte_acl_reset_rules(acl);
	sh->acl = acl;
	sh->rules = buf;	/* kept: what the next version compares */
	sh->n = n;
	sh->rsz = rsz;
	sh->cfg = fp.cfg;
	sh->mem = heap_used() - before;
	sh->refcnt = 1;
	ctx->info.mem_bytes += sh->mem + n * rsz;
	*out = sh;
	return 0;
out_free:
	rte_acl_free(acl);
out:
	free(sh);
	free(buf);
	return ret;
}

/* ---- build ------------------------------------------------------------ */

struct rank_ent {
	uint32_t prio;
	uint32_t idx;
};

static int
rank_cmp(const void *a, const void *b)
{
	const struct rank_ent *x = a, *y = b;

	if (x->prio != y->prio)
		return x->prio < y->prio ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
build_devices(struct policy_ctx *ctx, const Cordon__Policy *pol,
		const struct seg_map *segmap, uint32_t n_seg)
{
	size_t n_keys, i, names_len = 0;
	uint32_t bits = 4;
	char *np;

	n_keys = pol->n_devices + pol->n_quarantined + 2 * pol->n_rules;
	while ((1ull << bits) < 2 * n_keys + 2)
		bits++;
	ctx->slot_bits = bits;
	ctx->slot_mask = (1u << bits) - 1;
	ctx->slots = calloc(1ull << bits, sizeof(*ctx->slots));
	ctx->devs = calloc(n_keys + 1, sizeof(*ctx->devs));
	for (i = 0; i < pol->n_devices; i++)
		names_len += strlen(pol->devices[i]->name) + 1;
	ctx->names = malloc(names_len + 1);
	if (ctx->slots == NULL || ctx->devs == NULL || ctx->names == NULL)
		return -ENOMEM;
	ctx->info.mem_bytes += (1ull << bits) * sizeof(*ctx->slots) +
		(n_keys + 1) * sizeof(*ctx->devs) + names_len + 1;
	np = ctx->names;

	for (i = 0; i < pol->n_devices; i++) {
		const Cordon__DeviceAssignment *d = pol->devices[i];
		uint16_t seg = d->segment ?
			seg_idx(segmap, n_seg, d->segment) : ctx->default_seg;
		struct dev_slot *any = dev_get(ctx, d->mac.data);
		struct dev_ent *de = &ctx->devs[any->dev];
		bool is_new;

		if (de->name[0] == '\0' && d->name[0] != '\0') {
			size_t l = strlen(d->name) + 1;

			memcpy(np, d->name, l);
			de->name = np;
			np += l;
		}
		if (d->vlan == 0) {
			any->seg = seg;
		} else {
			struct dev_slot *s = slot_get(ctx,
				mac48(d->mac.data) | SLOT_TAG |
				(uint64_t)d->vlan << 48, &is_new);

			s->dev = any->dev;
			s->seg = seg;
		}
	}
	for (i = 0; i < pol->n_quarantined; i++)
		ctx->devs[dev_get(ctx, pol->quarantined[i].data)->dev]
			.quarantined = true;
	for (i = 0; i < pol->n_rules; i++) {
		const Cordon__Rule *r = pol->rules[i];

		if (r->src->kind_case == CORDON__ENDPOINT__KIND_DEVICE)
			dev_get(ctx, r->src->device.data);
		if (r->dst->kind_case == CORDON__ENDPOINT__KIND_DEVICE)
			dev_get(ctx, r->dst->device.data);
	}
	/* Quarantine wins over every assignment of the MAC. */
	for (i = 0; i <= ctx->slot_mask; i++) {
		struct dev_slot *s = &ctx->slots[i];

		if (s->key != 0 && ctx->devs[s->dev].quarantined) {
			s->seg = ctx->quarantine_seg;
			s->quarantined = 1;
		}
	}
	return 0;
}

/* Which devices and segments the rules of each class name (CLS_BIT). */
static void
build_cls(struct policy_ctx *ctx, const struct norm_vec *nv)
{
	size_t i;

	for (i = 0; i < nv->n; i++) {
		const struct norm *e = &nv->v[i];

		switch (e->cls) {
		case K_SDEV:
			ctx->devs[e->init.dev - 1].cls |= CLS_BIT(K_SDEV);
			break;
		case K_DDEV:
			ctx->devs[e->resp.dev - 1].cls |= CLS_BIT(K_DDEV);
			break;
		case K_SSEG:
			ctx->segs[e->init.seg].cls |= CLS_BIT(K_SSEG);
			break;
		case K_DSEG:
			ctx->segs[e->resp.seg].cls |= CLS_BIT(K_DSEG);
			break;
		default:
			break;
		}
	}
	/* A quarantined device is no device to rules (its ACL value is 0).
	 * Each slot has its segment's classes too: one load a side. */
	for (i = 0; i <= ctx->slot_mask; i++) {
		struct dev_slot *s = &ctx->slots[i];

		if (s->key != 0)
			s->cls = (s->quarantined ? 0 : ctx->devs[s->dev].cls) |
				ctx->segs[s->seg].cls;
	}
}

static inline uint32_t
dns_hash(const char *s, uint32_t len, uint8_t wild)
{
	uint32_t h = util_hash_fnv32(UTIL_HASH_FNV32_INIT ^ wild, s, len);

	return h ^ h >> 15;
}

static const struct dns_hent *
dns_ht_find(const struct policy_ctx *ctx, const char *s, uint32_t len,
		uint8_t wild)
{
	const uint32_t h = dns_hash(s, len, wild);
	uint32_t i = h & ctx->dns_ht_mask;

	for (;; i = (i + 1) & ctx->dns_ht_mask) {
		const struct dns_hent *e = &ctx->dns_ht[i];

		if (e->key == NULL)
			return NULL;
		if (e->hash == h && e->len == len && e->wild == wild &&
		    memcmp(e->key, s, len) == 0)
			return e;
	}
}

/* Names are normalised (dns_snoop.h) so "API.example.com." is the rule
 * "api.example.com", the same id. */
static int
build_dns(struct build_state *bs, const Cordon__Policy *pol)
{
	struct policy_ctx *ctx = bs->ctx;
	uint32_t n = 0, k = 0, i, sz;
	char **v;

	for (i = 0; i < pol->n_rules; i++) {
		const Cordon__Rule *r = pol->rules[i];
		bool dns = false;

		if (r->src->kind_case == CORDON__ENDPOINT__KIND_DNS_NAME) {
			n++;
			dns = true;
		}
		if (r->dst->kind_case == CORDON__ENDPOINT__KIND_DNS_NAME) {
			n++;
			dns = true;
		}
		ctx->info.n_dns_rules += dns;
	}
	v = calloc(n + 1, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	ctx->dns_names = v;	/* freed with the ctx from here on */
	for (i = 0; i < pol->n_rules; i++) {
		const Cordon__Rule *r = pol->rules[i];
		const char *nm[2] = {
			r->src->kind_case == CORDON__ENDPOINT__KIND_DNS_NAME ?
				r->src->dns_name : NULL,
			r->dst->kind_case == CORDON__ENDPOINT__KIND_DNS_NAME ?
				r->dst->dns_name : NULL,
		};

		for (uint32_t j = 0; j < 2; j++) {
			char buf[DNS_NAME_MAX + 1];
			int l;

			if (nm[j] == NULL)
				continue;
			l = dns_name_normalise(nm[j], strlen(nm[j]), buf);
			if (l <= 0)	/* "." alone: a name nothing has */
				buf[0] = '\0';
			v[k] = strdup(buf);
			if (v[k] == NULL)
				return -ENOMEM;
			ctx->n_dns_names = ++k;
		}
	}
	qsort(v, n, sizeof(*v), str_ptr_cmp);
	for (i = 0, k = 0; i < n; i++) {
		if (k == 0 || strcmp(v[k - 1], v[i]) != 0) {
			v[k++] = v[i];
			ctx->info.mem_bytes += strlen(v[i]) + 1 + sizeof(*v);
		} else {
			free(v[i]);
		}
	}
	for (i = k; i < n; i++)
		v[i] = NULL;
	ctx->n_dns_names = k;
	ctx->info.n_dns_names = k;
	bs->dns_sorted = v;
	bs->n_dns = k;

	/* Load factor <= 1/2. */
	for (sz = 4; sz < 2 * k; sz <<= 1)
		;
	ctx->dns_ht = calloc(sz, sizeof(*ctx->dns_ht));
	if (ctx->dns_ht == NULL)
		return -ENOMEM;
	ctx->dns_ht_mask = sz - 1;
	ctx->info.mem_bytes += sz * sizeof(*ctx->dns_ht);
	for (i = 0; i < k; i++) {
		const char *key = v[i];
		uint8_t wild = 0;
		uint32_t len, j;

		if (key[0] == '*' && key[1] == '.' && key[2] != '\0') {
			key += 2;
			wild = 1;
		}
		len = (uint32_t)strlen(key);
		j = dns_hash(key, len, wild) & ctx->dns_ht_mask;
		while (ctx->dns_ht[j].key != NULL)
			j = (j + 1) & ctx->dns_ht_mask;
		ctx->dns_ht[j].key = key;
		ctx->dns_ht[j].hash = dns_hash(key, len, wild);
		ctx->dns_ht[j].id = i + 1;
		ctx->dns_ht[j].len = (uint16_t)len;
		ctx->dns_ht[j].wild = wild;
	}
	return 0;
}

int
policy_build(const Cordon__Policy *pol, const struct policy_build_opts *opts,
		struct policy_ctx **out, char *err, size_t errlen)
{
	struct build_state bs;
	struct norm_vec nv = { NULL, 0, 0 };
	struct seg_map *segmap = NULL;
	struct rank_ent *ranks = NULL;
	struct policy_ctx *ctx;
	double t0 = now_ms();
	uint32_t i, epoch;
	int ret;

	ret = policy_validate(pol, err, errlen);
	if (ret < 0)
		return ret;
	ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL)
		goto nomem;
	do {
		epoch = __atomic_add_fetch(&policy_epoch_seq, 1,
			__ATOMIC_RELAXED);
	} while (epoch == 0);
	ctx->epoch = epoch;
	ctx->version = pol->version;
	ctx->dns = opts != NULL ? opts->dns : NULL;
	ctx->info.mem_bytes = sizeof(*ctx);

	/* Segments. */
	ctx->n_segs = (uint32_t)pol->n_segments;
	ctx->segs = calloc(ctx->n_segs + 1, sizeof(*ctx->segs));
	segmap = calloc(ctx->n_segs + 1, sizeof(*segmap));
	if (ctx->segs == NULL || segmap == NULL)
		goto nomem;
	ctx->info.mem_bytes += (ctx->n_segs + 1) * sizeof(*ctx->segs);
	for (i = 0; i < ctx->n_segs; i++) {
		const Cordon__Segment *s = pol->segments[i];

		ctx->segs[i].id = s->id;
		ctx->segs[i].default_action = (uint8_t)s->default_action;
		ctx->segs[i].l2_action = (uint8_t)s->l2_action;
		ctx->segs[i].ask = s->ask;
		ctx->has_ask |= s->ask;
		segmap[i].id = s->id;
		segmap[i].idx = (uint16_t)i;
	}
	qsort(segmap, ctx->n_segs, sizeof(*segmap), seg_map_cmp);
	ctx->default_seg = seg_idx(segmap, ctx->n_segs, pol->default_segment);
	ctx->quarantine_seg = seg_idx(segmap, ctx->n_segs,
		pol->quarantine_segment);

	ret = build_devices(ctx, pol, segmap, ctx->n_segs);
	if (ret < 0)
		goto nomem;
	ret = build_local_nets(ctx, pol);
	if (ret < 0)
		goto nomem;

	memset(&bs, 0, sizeof(bs));
	bs.ctx = ctx;
	bs.segmap = segmap;
	bs.n_seg = ctx->n_segs;
	if (build_dns(&bs, pol) < 0)
		goto nomem;

	/* Rules in evaluation order. */
	ctx->n_rules = (uint32_t)pol->n_rules;
	ctx->rules = calloc(ctx->n_rules + 1, sizeof(*ctx->rules));
	ranks = calloc(ctx->n_rules + 1, sizeof(*ranks));
	if (ctx->rules == NULL || ranks == NULL)
		goto nomem;
	ctx->info.mem_bytes += (ctx->n_rules + 1) * sizeof(*ctx->rules);
	for (i = 0; i < ctx->n_rules; i++) {
		ranks[i].prio = pol->rules[i]->priority;
		ranks[i].idx = i;
	}
	qsort(ranks, ctx->n_rules, sizeof(*ranks), rank_cmp);
	for (i = 0; i < ctx->n_rules; i++) {
		const Cordon__Rule *r = pol->rules[ranks[i].idx];

		ctx->rules[i].id = r->id;
		ctx->rules[i].action = (uint8_t)r->action;
		if (normalise(&bs, r, i, &nv) < 0)
			goto nomem;
	}
	build_cls(ctx, &nv);

	for (i = 0; i < 2 * K_NUM; i++) {
		struct acl_shared **sh = &ctx->acl_sh[i / K_NUM][i % K_NUM];

		ret = build_acl(ctx, &nv, i < K_NUM ? 4 : 6, i % K_NUM, opts,
			sh, err, errlen);
		if (ret < 0)
			goto fail;
		ctx->acl[i / K_NUM][i % K_NUM] = *sh != NULL ? (*sh)->acl :
			NULL;
	}

	ctx->info.version = ctx->version;
	ctx->info.epoch = ctx->epoch;
	ctx->info.n_segments = ctx->n_segs;
	ctx->info.n_devices = ctx->n_devs;
	ctx->info.n_assignments = (uint32_t)pol->n_devices;
	ctx->info.n_quarantined = (uint32_t)pol->n_quarantined;
	ctx->info.n_rules = ctx->n_rules;
	ctx->info.n_local_nets = (uint32_t)pol->n_local_networks;
	ctx->info.build_ms = now_ms() - t0;
	free(nv.v);
	free(ranks);
	free(segmap);
	*out = ctx;
	return 0;

nomem:
	ret = -ENOMEM;
	util_err_set(err, errlen, "out of memory building the policy");
fail:
	free(nv.v);
	free(ranks);
	free(segmap);
	policy_free(ctx);
	return ret;
}

void
policy_free(struct policy_ctx *ctx)
{
	uint32_t i;

	if (ctx == NULL)
		return;
	for (i = 0; i < K_NUM; i++) {
		acl_shared_put(ctx->acl_sh[0][i]);
		acl_shared_put(ctx->acl_sh[1][i]);
	}
	if (ctx->dns_names != NULL)
		for (i = 0; i < ctx->n_dns_names; i++)
			free(ctx->dns_names[i]);
	free(ctx->dns_names);
	free(ctx->dns_ht);
	free(ctx->names);
	free(ctx->segs);
	free(ctx->slots);
	free(ctx->devs);
	free(ctx->rules);
	free(ctx->net4);
	free(ctx->net6);
	free(ctx);
}

uint32_t
policy_epoch(const struct policy_ctx *ctx)
{
	return ctx->epoch;
}

uint64_t
policy_version(const struct policy_ctx *ctx)
{
	return ctx->version;
}

void
policy_get_info(const struct policy_ctx *ctx, struct policy_info *info)
{
	*info = ctx->info;
}

int
policy_device_info(const struct policy_ctx *ctx, uint32_t dev_idx,
		struct policy_device_info *info)
{
	const struct dev_slot *s;

	if (dev_idx >= ctx->n_devs)
		return -ENOENT;
	memcpy(info->mac, ctx->devs[dev_idx].mac, 6);
	info->name = ctx->devs[dev_idx].name;
	s = slot_find(ctx, mac48(info->mac) | SLOT_TAG);
	info->segment = ctx->segs[s->seg].id;
	return 0;
}

uint32_t
policy_dns_name_id(const struct policy_ctx *ctx, const char *name)
{
	char nm[DNS_NAME_MAX + 1];

	if (dns_name_normalise(name, strlen(name), nm) <= 0)
		return 0;
	return dns_lookup(ctx->dns_names, ctx->n_dns_names, nm);
}

uint32_t
policy_dns_name_ids(const struct policy_ctx *ctx, const char *name,
		uint32_t len, uint32_t ids[], uint32_t max)
{
	const struct dns_hent *e;
	uint32_t n = 0, i;

	if (ctx->n_dns_names == 0 || max == 0)
		return 0;
	e = dns_ht_find(ctx, name, len, 0);
	if (e != NULL)
		ids[n++] = e->id;
	/* "*.suffix" covers names with at least one more label. */
	for (i = 0; i + 1 < len && n < max; i++) {
		if (name[i] != '.')
			continue;
		e = dns_ht_find(ctx, name + i + 1, len - i - 1, 1);
		if (e != NULL)
			ids[n++] = e->id;
	}
	return n;
}

bool
policy_dns_relevant(void *ctx, const char *name, uint32_t len)
{
	uint32_t id;

	return policy_dns_name_ids(ctx, name, len, &id, 1) != 0;
}

bool
policy_dns_active(const struct policy_ctx *ctx)
{
	return ctx->dns != NULL && ctx->n_dns_names != 0;
}

bool
policy_dns_snoop(const struct policy_ctx *ctx)
{
	return ctx->dns != NULL && (ctx->n_dns_names != 0 || ctx->has_ask);
}

/* ---- classification --------------------------------------------------- */

/* Name ids of the names an address has for a device (see top). */
struct dns_ids {
	const struct policy_ctx *ctx;
	uint32_t n;
	uint32_t id[DNS_IDS_MAX];
};

/*
 * Those of the query being queued (classify_chunk), one per side: 2 KiB
 * each, so per thread rather than in classify_chunk's frame, which every
 * new flow's classification runs through.
 */
static __thread struct dns_ids dns_sid, dns_did;

static void
dns_ids_cb(void *arg, const char *name, uint32_t len)
{
	struct dns_ids *d = arg;
	uint32_t got[DNS_NAME_IDS_MAX], n, i, j;

	n = policy_dns_name_ids(d->ctx, name, len, got, DNS_NAME_IDS_MAX);
	for (i = 0; i < n && d->n < DNS_IDS_MAX; i++) {
		for (j = 0; j < d->n && d->id[j] != got[i]; j++)
			;
		if (j == d->n)
			d->id[d->n++] = got[i];
	}
}

static inline void
dns_ids_of(const struct policy_ctx *ctx, const uint8_t mac[6],
		uint16_t vlan, uint8_t family, const union policy_addr *a,
		uint32_t now, struct dns_ids *d)
{
	d->ctx = ctx;
	d->n = 0;
	dns_table_lookup(ctx->dns, mac, vlan, family == AF_INET ? 4 : 6,
		family == AF_INET ? (const uint8_t *)&a->v4 : a->v6, now,
		dns_ids_cb, d);
}

/*
 * Best (lowest) rank of each query over the classes: qbest[query]. Key i
 * is searched in the classes of need[i] (CLS_BIT) only.
 */
static inline void
acl_match(struct rte_acl_ctx *const acl[K_NUM], const uint8_t **data,
		const uint8_t *idx, const uint8_t *need, uint32_t n,
		uint32_t *tmp, uint32_t qbest[])
{
	const uint8_t *sub[CHUNK];
	uint32_t best[CHUNK];
	uint8_t pos[CHUNK];
	uint32_t c, i, m, any = 0, all = CLS_BIT(K_NUM) - 1;

	memset(best, 0xff, sizeof(best[0]) * n);
	/* Usually each class is needed by all keys or by none. */
	for (i = 0; i < n; i++) {
		any |= need[i];
		all &= need[i];
	}
	for (c = 0; c < K_NUM; c++) {
		if (acl[c] == NULL || !(any & CLS_BIT(c)))
			continue;
		/* userdata - 1 wraps "no match" (0) to UINT32_MAX */
		if (all & CLS_BIT(c)) {
			rte_acl_classify(acl[c], data, tmp, n, 1);
			for (i = 0; i < n; i++)
				best[i] = RTE_MIN(best[i], tmp[i] - 1);
		} else {
			m = 0;
			for (i = 0; i < n; i++) {
				sub[m] = data[i];
				pos[m] = (uint8_t)i;
				m += (need[i] >> c) & 1;
			}
			rte_acl_classify(acl[c], sub, tmp, m, 1);
			for (i = 0; i < m; i++)
				best[pos[i]] = RTE_MIN(best[pos[i]],
						       tmp[i] - 1);
		}
	}
	/* Several keys (name variants) may belong to one query. */
	for (i = 0; i < n; i++)
		qbest[idx[i]] = RTE_MIN(qbest[idx[i]], best[i]);
}

/* Queue keys for query i: one, or one per (src id, dst id) pair. Flushes
 * into qbest whenever CHUNK keys are queued. */
#define PUSH_VARIANTS(K, TMPL, KEYS, D, IDX, NEED, N, R, ACL) do {	\
	uint32_t ns_ = sid->n ? sid->n : 1, nd_ = did->n ? did->n : 1;	\
	if (likely(ns_ * nd_ == 1 && N + 1 < CHUNK)) {			\
		/* One key, no names: the common case. */		\
		KEYS[N] = TMPL;						\
		KEYS[N].src_name = pol_be32(sid->n ? sid->id[0] : 0);	\
		KEYS[N].dst_name = pol_be32(did->n ? did->id[0] : 0);	\
		D[N] = (const uint8_t *)&KEYS[N];			\
		NEED[N] = need;						\
		IDX[N++] = (uint8_t)i;					\
		break;							\
	}								\
	for (uint32_t a_ = 0; a_ < ns_; a_++)				\
		for (uint32_t b_ = 0; b_ < nd_; b_++) {			\
			K *k_ = &KEYS[N];				\
			*k_ = TMPL;					\
			k_->src_name = pol_be32(sid->n ?		\
				sid->id[a_] : 0);			\
			k_->dst_name = pol_be32(did->n ?		\
				did->id[b_] : 0);			\
			D[N] = (const uint8_t *)k_;			\
			NEED[N] = need;					\
			IDX[N++] = (uint8_t)i;				\
			if (N == CHUNK) {				\
				acl_match(ACL, D, IDX, NEED, N, R,	\
					  qbest);			\
				N = 0;					\
			}						\
		}							\
} while (0)

/* No rule decided: the initiator segment's default, but nobody reaches a
 * device in quarantine unless a rule says so (it is cut off both ways). */
static inline uint8_t
policy_default_action(const struct policy_ctx *ctx, uint16_t sseg,
		uint16_t dseg)
{
	if (unlikely(dseg == ctx->quarantine_seg && sseg != dseg))
		return POLICY_DENY;
	return ctx->segs[sseg].default_action;
}

/* acl_key_build() writes a key as head, addresses, tail. */
#define ACL_KEY_LAYOUT(K, IP_LEN)					\
	_Static_assert(offsetof(struct K, src_ip) ==			\
		       sizeof(struct acl_key_head) &&			\
		       offsetof(struct K, dst_ip) ==			\
		       sizeof(struct acl_key_head) + (IP_LEN) &&	\
		       offsetof(struct K, t) ==				\
		       sizeof(struct acl_key_head) + 2 * (IP_LEN),	\
		       #K " is acl_key_head, addresses, acl_key_tail")
ACL_KEY_LAYOUT(acl4_key, 4);
ACL_KEY_LAYOUT(acl6_key, 16);

/*
 * Query qq's ACL key, but for its names, into key (an acl4_key for
 * ip_len 4, an acl6_key for 16; a constant, so each use is one family's
 * stores).
 */
static inline void
acl_key_build(void *key, size_t ip_len, const struct policy_query *qq,
		uint16_t sseg, uint16_t dseg, uint32_t sdev, uint32_t ddev,
		uint16_t fl)
{
	const struct acl_key_head h = {
		.proto = qq->ip_proto,
		.src_seg = pol_be16(sseg),
		.dst_seg = pol_be16(dseg),
		.src_dev = pol_be32(sdev),
		.dst_dev = pol_be32(ddev),
	};
	const struct acl_key_tail t = {
		.dport = pol_be16(qq->dst_port),
		.flags = pol_be16(fl),
	};
	uint8_t *p = key;

	memcpy(p, &h, sizeof(h));
	memcpy(p + sizeof(h), &qq->src, ip_len);
	memcpy(p + sizeof(h) + ip_len, &qq->dst, ip_len);
	memcpy(p + sizeof(h) + 2 * ip_len, &t, sizeof(t));
}

static void
classify_chunk(const struct policy_ctx *ctx,
		const struct policy_query *const q[], uint32_t n,
		struct policy_result res[])
{
	struct acl4_key k4[CHUNK];
	struct acl6_key k6[CHUNK];
	const uint8_t *d4[CHUNK], *d6[CHUNK];
	uint32_t r4[CHUNK], r6[CHUNK], qbest[CHUNK];
	uint16_t sseg[CHUNK];
	uint8_t i4[CHUNK], i6[CHUNK], m4[CHUNK], m6[CHUNK];
	uint32_t i, n4 = 0, n6 = 0;
	const bool dns = policy_dns_active(ctx);
	const uint32_t now = dns ? dns_table_now(ctx->dns) : 0;
	struct dns_ids *const sid = &dns_sid, *const did = &dns_did;

	sid->n = did->n = 0;
	memset(qbest, 0xff, sizeof(qbest[0]) * n);
	for (i = 0; i < n; i++) {
		const struct policy_query *qq = q[i];
		struct policy_result *r = &res[i];
		uint32_t sdev, ddev;
		uint16_t ds;
		uint16_t fl;
		uint8_t need;

		need = dev_resolve(ctx, qq->src_mac, qq->vlan, &sseg[i],
			&r->src_dev, &sdev) & (CLS_BIT(K_SDEV) |
			CLS_BIT(K_SSEG));
		need |= dev_resolve(ctx, qq->dst_mac, qq->vlan, &ds,
			&r->dst_dev, &ddev) & (CLS_BIT(K_DDEV) |
			CLS_BIT(K_DSEG));
		need |= CLS_ALWAYS;
		r->src_segment = ctx->segs[sseg[i]].id;
		r->dst_segment = ctx->segs[ds].id;
		r->rule_id = 0;
		r->ask = ctx->segs[sseg[i]].ask;
		r->quarantine = (sseg[i] == ctx->quarantine_seg ?
				 POLICY_QUAR_SRC : 0) |
			(ds == ctx->quarantine_seg ? POLICY_QUAR_DST : 0);
		r->pad[0] = 0;
		if (unlikely(dns) && (qq->family == AF_INET ||
				      qq->family == AF_INET6)) {
			/* What each side was told about the other. */
			dns_ids_of(ctx, qq->src_mac, qq->vlan, qq->family,
				&qq->dst, now, did);
			dns_ids_of(ctx, qq->dst_mac, qq->vlan, qq->family,
				&qq->src, now, sid);
		}
		if (qq->family == AF_INET) {
			struct acl4_key k;

			fl = !ctx->need_local ? 0 :
				(local4(ctx, qq->src.v4) ? FLAG_SRC_LOCAL : 0) |
				(local4(ctx, qq->dst.v4) ? FLAG_DST_LOCAL : 0);
			acl_key_build(&k, 4, qq, sseg[i], ds, sdev, ddev, fl);
			PUSH_VARIANTS(struct acl4_key, k, k4, d4, i4, m4, n4,
				r4, ctx->acl[0]);
			r->action = policy_default_action(ctx, sseg[i], ds);
		} else if (qq->family == AF_INET6) {
			struct acl6_key k;

			fl = !ctx->need_local ? 0 :
				(local6(ctx, qq->src.v6) ? FLAG_SRC_LOCAL : 0) |
				(local6(ctx, qq->dst.v6) ? FLAG_DST_LOCAL : 0);
			acl_key_build(&k, 16, qq, sseg[i], ds, sdev, ddev, fl);
			PUSH_VARIANTS(struct acl6_key, k, k6, d6, i6, m6, n6,
				r6, ctx->acl[1]);
			r->action = policy_default_action(ctx, sseg[i], ds);
		} else {
			r->action = ctx->segs[sseg[i]].l2_action;
		}
	}
	if (n4 != 0)
		acl_match(ctx->acl[0], d4, i4, m4, n4, r4, qbest);
	if (n6 != 0)
		acl_match(ctx->acl[1], d6, i6, m6, n6, r6, qbest);
	for (i = 0; i < n; i++) {
		if (qbest[i] != UINT32_MAX) {
			const struct rule_ent *re = &ctx->rules[qbest[i]];

			res[i].action = re->action;
			res[i].rule_id = re->id;
		}
	}
}

void
policy_classify_burst(const struct policy_ctx *ctx,
		const struct policy_query *const q[], uint32_t n,
		struct policy_result res[])
{
	uint32_t off, m;

	for (off = 0; off < n; off += m) {
		m = RTE_MIN(n - off, (uint32_t)CHUNK);
		classify_chunk(ctx, q + off, m, res + off);
	}
}

enum policy_action
policy_l2_action(const struct policy_ctx *ctx, const uint8_t src_mac[6],
		uint16_t vlan)
{
	uint32_t dev, acl_dev;
	uint16_t seg;

	dev_resolve(ctx, src_mac, vlan, &seg, &dev, &acl_dev);
	return (enum policy_action)ctx->segs[seg].l2_action;
}

bool
policy_l2_quarantined(const struct policy_ctx *ctx, const uint8_t src_mac[6],
		uint16_t vlan)
{
	uint32_t dev, acl_dev;
	uint16_t seg;

	dev_resolve(ctx, src_mac, vlan, &seg, &dev, &acl_dev);
	return seg == ctx->quarantine_seg;
}

int
policy_device_lookup(const struct policy_ctx *ctx, const uint8_t mac[6],
		uint16_t vlan, uint32_t *seg, uint32_t *dev_idx)
{
	uint32_t d, acl_dev;
	uint16_t s;

	dev_resolve(ctx, mac, vlan, &s, &d, &acl_dev);
	if (seg != NULL)
		*seg = ctx->segs[s].id;
	if (dev_idx != NULL)
		*dev_idx = d;
	return d == POLICY_DEV_UNKNOWN ? -ENOENT : 0;
}

/* ---- holder ----------------------------------------------------------- */

struct policy_holder {
	struct policy_ctx *cur;		/* __atomic access only */
	struct rte_rcu_qsbr *qsv;
	uint32_t max_readers;
};

struct policy_holder *
policy_holder_create(uint32_t max_readers)
{
	struct policy_holder *h;
	size_t sz;

	if (max_readers == 0)
		max_readers = 1;
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		return NULL;
	sz = rte_rcu_qsbr_get_memsize(max_readers);
	h->qsv = rte_zmalloc("cordon_policy_rcu", sz, RTE_CACHE_LINE_SIZE);
	if (h->qsv == NULL || rte_rcu_qsbr_init(h->qsv, max_readers) != 0) {
		rte_free(h->qsv);
		free(h);
		return NULL;
	}
	h->max_readers = max_readers;
	return h;
}

void
policy_holder_destroy(struct policy_holder *h)
{
	if (h == NULL)
		return;
	policy_free(__atomic_exchange_n(&h->cur, NULL, __ATOMIC_ACQ_REL));
	rte_free(h->qsv);
	free(h);
}

int
policy_holder_reader_online(struct policy_holder *h, uint32_t thread_id)
{
	int ret;

	if (thread_id >= h->max_readers)
		return -EINVAL;
	ret = rte_rcu_qsbr_thread_register(h->qsv, thread_id);
	if (ret != 0)
		return -EINVAL;
	rte_rcu_qsbr_thread_online(h->qsv, thread_id);
	return 0;
}

void
policy_holder_reader_offline(struct policy_holder *h, uint32_t thread_id)
{
	rte_rcu_qsbr_thread_offline(h->qsv, thread_id);
	rte_rcu_qsbr_thread_unregister(h->qsv, thread_id);
}

void
policy_holder_reader_sleep(struct policy_holder *h, uint32_t thread_id)
{
	rte_rcu_qsbr_thread_offline(h->qsv, thread_id);
}

void
policy_holder_reader_wake(struct policy_holder *h, uint32_t thread_id)
{
	rte_rcu_qsbr_thread_online(h->qsv, thread_id);
}

void
policy_holder_quiescent(struct policy_holder *h, uint32_t thread_id)
{
	rte_rcu_qsbr_quiescent(h->qsv, thread_id);
}

void
policy_holder_publish(struct policy_holder *h, struct policy_ctx *ctx)
{
	struct policy_ctx *old;

	old = __atomic_exchange_n(&h->cur, ctx, __ATOMIC_ACQ_REL);
	if (old == NULL || old == ctx)
		return;
	/* Every reader that could hold old passes a quiescent state. */
	rte_rcu_qsbr_synchronize(h->qsv, RTE_QSBR_THRID_INVALID);
	policy_free(old);
}

const struct policy_ctx *
policy_holder_get(const struct policy_holder *h)
{
	return __atomic_load_n(&h->cur, __ATOMIC_ACQUIRE);
}
