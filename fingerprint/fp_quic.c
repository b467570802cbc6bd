/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * QUIC Initial ClientHellos (RFC 9000/9001, QUIC v2 RFC 9369).
 *
 * Client Initial packets are protected with keys derived from the
 * Destination Connection ID the client chose, so every client Initial can be
 * opened on its own: HKDF-Extract(version salt, DCID), HKDF-Expand-Label
 * "client in", then "quic key"/"quic iv"/"quic hp" ("quicv2 ..." for v2),
 * header protection with AES-128-ECB on a 16-byte sample, payload with
 * AES-128-GCM. CRYPTO frames may arrive split and out of order across
 * several Initials, so their data is placed at its offset in a per-
 * connection buffer (fixed number of slots keyed by client address/port and
 * DCID) until the ClientHello is complete. Server Initials fail to open
 * with client keys and are ignored.
 */

#include <errno.h>
#include <stdlib.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "fp_internal.h"
#include "fp_range.h"
#include "fp_tls.h"
#include "util_hash.h"

#define QUIC_V1 0x00000001u
#define QUIC_V2 0x6b3343cfu
#define CRYPTO_MAX 8192
#define MAX_RANGES 16
#define PROBE 4

static const uint8_t salt_v1[20] = {
	0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
	0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a,
};

static const uint8_t salt_v2[20] = {
	0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
	0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9,
};

struct quic_conn {
	bool used, done;
	uint8_t family;
	uint8_t src[16];
	uint16_t sport;
	uint8_t dcid_len;
	uint8_t dcid[20];
	uint64_t last_us;
	uint8_t n_ranges;
	struct fp_range r[MAX_RANGES];
	uint8_t *buf;		/* CRYPTO_MAX bytes */
};

struct fp_quic_table {
	uint32_t slots;
	uint64_t timeout_us;
	struct quic_conn *c;
	uint8_t plain[16384];	/* one Initial payload */
	struct fp_tls_ch ch;
	uint64_t decrypt_fail, evicted;
};

struct fp_quic_table *fp_quic_table_create(uint32_t slots, uint64_t timeout_us)
{
	struct fp_quic_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->slots = slots ? slots : 1;
	t->timeout_us = timeout_us;
	t->c = calloc(t->slots, sizeof(*t->c));
	if (!t->c) {
		free(t);
		return NULL;
	}
	return t;
}

static void conn_free(struct quic_conn *c)
{
	free(c->buf);
	memset(c, 0, sizeof(*c));
}

void fp_quic_table_destroy(struct fp_quic_table *t)
{
	if (!t)
		return;
	for (uint32_t i = 0; i < t->slots; i++)
		conn_free(&t->c[i]);
	free(t->c);
	free(t);
}

void fp_quic_table_expire(struct fp_quic_table *t, uint64_t now_us)
{
	for (uint32_t i = 0; i < t->slots; i++) {
		struct quic_conn *c = &t->c[i];

		if (c->used && t->timeout_us && now_us > c->last_us &&
				now_us - c->last_us > t->timeout_us)
			conn_free(c);
	}
}

void fp_quic_stats(const struct fp_quic_table *t, struct fp_stats *st)
{
	st->quic_decrypt_fail = t->decrypt_fail;
	st->quic_flows_evicted = t->evicted;
}

/* HKDF-Expand-Label with an empty context; out_len <= 32 (one block). */
static int hkdf_expand_label(const uint8_t *prk, const char *label,
		uint8_t *out, size_t out_len)
{
	uint8_t info[64], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t ll = strlen(label), n = 0;

	if (6 + ll > 255 || out_len > 32)
		return -EINVAL;
	info[n++] = 0;
	info[n++] = (uint8_t)out_len;
	info[n++] = (uint8_t)(6 + ll);
	memcpy(info + n, "tls13 ", 6);
	n += 6;
	memcpy(info + n, label, ll);
	n += ll;
	info[n++] = 0;		/* context */
	info[n++] = 1;		/* T(1) counter */
	if (!HMAC(EVP_sha256(), prk, 32, info, n, md, &mdlen))
		return -EIO;
	memcpy(out, md, out_len);
	return 0;
}

struct quic_keys {
	uint8_t key[16], iv[12], hp[16];
};

static int derive_keys(uint32_t version, const uint8_t *dcid, size_t dlen,
		struct quic_keys *k)
{
	uint8_t initial[EVP_MAX_MD_SIZE], client[32];
	unsigned int il = 0;
	bool v2 = version == QUIC_V2;

	if (!HMAC(EVP_sha256(), v2 ? salt_v2 : salt_v1, 20, dcid, dlen,
				initial, &il))
		return -EIO;
	if (hkdf_expand_label(initial, "client in", client, 32) ||
			hkdf_expand_label(client, v2 ? "quicv2 key" : "quic key",
				k->key, 16) ||
			hkdf_expand_label(client, v2 ? "quicv2 iv" : "quic iv",
				k->iv, 12) ||
			hkdf_expand_label(client, v2 ? "quicv2 hp" : "quic hp",
				k->hp, 16))
		return -EIO;
	return 0;
}

int fp_quic_initial_keys(uint32_t version, const uint8_t *dcid, size_t len,
		uint8_t key[16], uint8_t iv[12], uint8_t hp[16])
{
	struct quic_keys k;
	int rc = derive_keys(version, dcid, len, &k);

	if (rc)
		return rc;
	memcpy(key, k.key, 16);
	memcpy(iv, k.iv, 12);
	memcpy(hp, k.hp, 16);
	return 0;
}

static int aes_ecb(const uint8_t *key, const uint8_t *in, uint8_t *out)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int ol = 0, ok;

	if (!c)
		return -ENOMEM;
	ok = EVP_EncryptInit_ex(c, EVP_aes_128_ecb(), NULL, key, NULL) &&
		EVP_CIPHER_CTX_set_padding(c, 0) &&
		EVP_EncryptUpdate(c, out, &ol, in, 16);
	EVP_CIPHER_CTX_free(c);
	return ok && ol == 16 ? 0 : -EIO;
}

static int aes_gcm_open(const struct quic_keys *k, uint64_t pn,
		const uint8_t *aad, size_t aad_len, const uint8_t *ct,
		size_t ct_len, uint8_t *out)
{
	EVP_CIPHER_CTX *c;
	uint8_t nonce[12];
	int ol = 0, fl = 0, ok;

	if (ct_len < 16)
		return -EINVAL;
	memcpy(nonce, k->iv, 12);
	for (int i = 0; i < 8; i++)
		nonce[11 - i] ^= (uint8_t)(pn >> (8 * i));
	c = EVP_CIPHER_CTX_new();
	if (!c)
		return -ENOMEM;
	ok = EVP_DecryptInit_ex(c, EVP_aes_128_gcm(), NULL, NULL, NULL) &&
		EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) &&
		EVP_DecryptInit_ex(c, NULL, NULL, k->key, nonce) &&
		EVP_DecryptUpdate(c, NULL, &ol, aad, (int)aad_len) &&
		EVP_DecryptUpdate(c, out, &ol, ct, (int)(ct_len - 16)) &&
		EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16,
				(void *)(uintptr_t)(ct + ct_len - 16)) &&
		EVP_DecryptFinal_ex(c, out + ol, &fl) > 0;
	EVP_CIPHER_CTX_free(c);
	return ok ? ol + fl : -EBADMSG;
}

static int varint(const uint8_t *p, size_t len, size_t *off, uint64_t *v)
{
	size_t n;

	if (*off >= len)
		return -EINVAL;
	n = (size_t)1 << (p[*off] >> 6);
	if (*off + n > len)
		return -EINVAL;
	*v = p[*off] & 0x3f;
	for (size_t i = 1; i < n; i++)
		*v = (*v << 8) | p[*off + i];
	*off += n;
	return 0;
}

static struct quic_conn *conn_get(struct fp_quic_table *t,
		const struct fp_pkt *pk, const uint8_t *dcid, uint8_t dlen)
{
	size_t n = pk->src.family == 4 ? 4 : 16;
	uint32_t h = util_hash_fnv32(UTIL_HASH_FNV32_INIT, pk->src.a, n);
	struct quic_conn *victim = NULL;

	h = util_hash_fnv32(h, dcid, dlen) ^ pk->sport;
	for (uint32_t i = 0; i < PROBE && i < t->slots; i++) {
		struct quic_conn *c = &t->c[(h + i) % t->slots];

		if (c->used && c->family == pk->src.family &&
				c->sport == pk->sport && c->dcid_len == dlen &&
				!memcmp(c->src, pk->src.a, n) &&
				!memcmp(c->dcid, dcid, dlen)) {
			c->last_us = pk->ts_us;
			return c;
		}
		if (!c->used) {
			if (!victim || victim->used)
				victim = c;
		} else if (!victim || (victim->used &&
					c->last_us < victim->last_us)) {
			victim = c;
		}
	}
	if (!victim)
		return NULL;
	if (victim->used) {
		conn_free(victim);
		t->evicted++;
	}
	victim->buf = malloc(CRYPTO_MAX);
	if (!victim->buf)
		return NULL;
	victim->used = true;
	victim->family = pk->src.family;
	memcpy(victim->src, pk->src.a, n);
	victim->sport = pk->sport;
	victim->dcid_len = dlen;
	memcpy(victim->dcid, dcid, dlen);
	victim->last_us = pk->ts_us;
	return victim;
}

/* Frames of one decrypted Initial: keep CRYPTO data, skip the rest that
 * may appear in an Initial; anything else ends the walk. */
static void walk_frames(struct quic_conn *c, const uint8_t *p, size_t len)
{
	size_t off = 0;

	while (off < len) {
		uint64_t type, a, b, n;

		if (varint(p, len, &off, &type))
			return;
		switch (type) {
		case 0x00:	/* PADDING */
		case 0x01:	/* PING */
			break;
		case 0x02:
		case 0x03:	/* ACK */
			if (varint(p, len, &off, &a) ||
					varint(p, len, &off, &a) ||
					varint(p, len, &off, &n) ||
					varint(p, len, &off, &a))
				return;
			for (uint64_t i = 0; i < n; i++)
				if (varint(p, len, &off, &a) ||
						varint(p, len, &off, &a))
					return;
			if (type == 0x03)
				for (int i = 0; i < 3; i++)
					if (varint(p, len, &off, &a))
						return;
			break;
		case 0x06:	/* CRYPTO */
			if (varint(p, len, &off, &a) ||
					varint(p, len, &off, &b) ||
					b > len - off)
				return;
			if (a < CRYPTO_MAX && b > 0) {
				uint64_t e = a + b > CRYPTO_MAX ?
					CRYPTO_MAX : a + b;

				memcpy(c->buf + a, p + off, (size_t)(e - a));
				fp_range_add(c->r, &c->n_ranges, MAX_RANGES,
					     (uint32_t)a, (uint32_t)e);
			}
			off += (size_t)b;
			break;
		case 0x1c:	/* CONNECTION_CLOSE */
		default:
			return;
		}
	}
}

/* One long-header packet at p (len bytes left in the datagram). Returns
 * its length, or 0 when the rest of the datagram cannot be parsed. */
static size_t one_packet(struct fp_quic_table *t, const struct fp_pkt *pk,
		const uint8_t *p, size_t len, struct fp_emit *em)
{
	uint32_t version;
	size_t off, pn_off, pkt_len;
	uint8_t dlen, slen, type, first, mask[16], hdr[64 + 40];
	uint64_t tok_len, plen, pn = 0;
	struct quic_keys k;
	unsigned int pnl;
	int pl;

	if (len < 7 || !(p[0] & 0x80))
		return 0;
	version = fp_rd32(p + 1);
	if (version != QUIC_V1 && version != QUIC_V2)
		return 0;
	type = (p[0] >> 4) & 3;
	dlen = p[5];
	off = 6;
	if (dlen > 20 || off + dlen + 1 > len)
		return 0;
	off += dlen;
	slen = p[off++];
	if (slen > 20 || off + slen > len)
		return 0;
	off += slen;
	/* Initial is type 0 in v1, type 1 in v2 */
	if (type != (version == QUIC_V2 ? 1 : 0)) {
		/* other long header: skip it if its length is readable */
		if (type == (version == QUIC_V2 ? 0 : 3))
			return 0;	/* Retry: no length field */
		if (varint(p, len, &off, &plen) || plen > len - off)
			return 0;
		return off + (size_t)plen;
	}
	if (varint(p, len, &off, &tok_len) || tok_len > len - off)
		return 0;
	off += (size_t)tok_len;
	if (varint(p, len, &off, &plen) || plen > len - off || plen < 20)
		return 0;
	pn_off = off;
	pkt_len = pn_off + (size_t)plen;
	if (pn_off + 4 + 16 > pkt_len || pn_off + 4 > sizeof(hdr))
		return pkt_len;
	if (derive_keys(version, p + 6, dlen, &k) ||
			aes_ecb(k.hp, p + pn_off + 4, mask))
		return pkt_len;
	first = p[0] ^ (mask[0] & 0x0f);
	pnl = (first & 3) + 1;
	memcpy(hdr, p, pn_off + pnl);
	hdr[0] = first;
	for (unsigned int i = 0; i < pnl; i++) {
		hdr[pn_off + i] = p[pn_off + i] ^ mask[1 + i];
		pn = (pn << 8) | hdr[pn_off + i];
	}
	if (plen - pnl > sizeof(t->plain) + 16) {
		t->decrypt_fail++;
		return pkt_len;
	}
	pl = aes_gcm_open(&k, pn, hdr, pn_off + pnl, p + pn_off + pnl,
			(size_t)plen - pnl, t->plain);
	if (pl < 0) {
		t->decrypt_fail++;
		return pkt_len;
	}
	fp_quic_crypto_payload(t, pk, p + 6, dlen, t->plain, (size_t)pl, em);
	return pkt_len;
}

void fp_quic_crypto_payload(struct fp_quic_table *t, const struct fp_pkt *pk,
		const uint8_t *dcid, uint8_t dlen, const uint8_t *plain,
		size_t len, struct fp_emit *em)
{
	struct quic_conn *c;

	if (dlen > 20)
		return;
	c = conn_get(t, pk, dcid, dlen);
	if (!c || c->done)
		return;
	walk_frames(c, plain, len);
	if (c->n_ranges && c->r[0].s == 0 && c->r[0].e >= 4) {
		uint32_t have = c->r[0].e;
		uint32_t need = 4 + fp_rd24(c->buf + 1);

		if (c->buf[0] != 1 || need > CRYPTO_MAX) {
			c->done = true;
		} else if (have >= need) {
			if (fp_tls_parse_ch(c->buf, have, &t->ch) == 0) {
				struct fp_obs *o = fp_obs_begin(em, pk,
						FP_OBS_QUIC);

				fp_tls_fingerprint(&t->ch, 'q', &o->u.tls);
				fp_obs_deliver(em, o);
			}
			c->done = true;
		}
		if (c->done) {
			free(c->buf);
			c->buf = NULL;
			c->n_ranges = 0;
		}
	}
}

bool fp_quic_process(struct fp_quic_table *t, const struct fp_pkt *pk,
		struct fp_emit *em)
{
	const uint8_t *p = pk->pay;
	size_t len = pk->pay_len, used;
	int guard = 0;

	/* a long header; the fixed bit may be greased (RFC 9287) */
	if (len < 7 || !(p[0] & 0x80))
		return false;
	if (fp_rd32(p + 1) != QUIC_V1 && fp_rd32(p + 1) != QUIC_V2)
		return false;
	/* Coalesced packets: walk every long-header packet in the datagram. */
	while (len > 0 && guard++ < 8) {
		used = one_packet(t, pk, p, len, em);
		if (used == 0 || used > len)
			break;
		p += used;
		len -= used;
	}
	return true;
}
