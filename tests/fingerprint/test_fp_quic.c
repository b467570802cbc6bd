/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* QUIC Initial: key derivation against the RFC test vectors, and a
 * ClientHello split over two Initial packets in reverse order, protected
 * here with OpenSSL as a client would. */

#include <openssl/evp.h>

#include "test_fp_util.h"
#include "test_fp_ch.h"
#include "fp_internal.h"
#include "test_main.h"

static const uint8_t dcid[8] = { 0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51,
	0x57, 0x08 };

/* b (n bytes) is the hex string want. */
static void assert_hex(const uint8_t *b, size_t n, const char *want)
{
	char out[2 * 64 + 1] = "";

	assert_true(n <= 64);
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	assert_string_equal(out, want);
}

static void test_keys(void **state)
{
	uint8_t key[16], iv[12], hp[16];

	(void)state;
	/* RFC 9001 Appendix A.1 */
	assert_int_equal(fp_quic_initial_keys(1, dcid, 8, key, iv, hp), 0);
	assert_hex(key, 16, "1f369613dd76d5467730efcbe3b1a22d");
	assert_hex(iv, 12, "fa044b2f42a3fd3b46fb255c");
	assert_hex(hp, 16, "9f50449e04a0e810283a1e9933adedd2");
	/* RFC 9369 Appendix A.1 */
	assert_int_equal(fp_quic_initial_keys(0x6b3343cf, dcid, 8, key, iv,
				hp), 0);
	assert_hex(key, 16, "8b1a0bc121284290a29e0971b5cd045d");
	assert_hex(iv, 12, "91f73e2351d8fa91660e909f");
	assert_hex(hp, 16, "45b95e15235d6f45a6b19cbcb0294ba9");
}

/* One protected Initial carrying a CRYPTO frame; returns its length. */
static size_t initial(uint8_t *out, uint32_t version, uint16_t pn,
		uint32_t off, const uint8_t *data, size_t len, bool corrupt)
{
	uint8_t key[16], iv[12], hp[16], nonce[12], mask[16];
	uint8_t plain[1200];
	size_t o = 0, pl = 0, pn_off, plen;
	EVP_CIPHER_CTX *c;
	int l = 0;

	fp_quic_initial_keys(version, dcid, 8, key, iv, hp);
	plain[pl++] = 0x06;
	plain[pl++] = (uint8_t)(0x40 | (off >> 8));
	plain[pl++] = (uint8_t)off;
	plain[pl++] = (uint8_t)(0x40 | (len >> 8));
	plain[pl++] = (uint8_t)len;
	memcpy(plain + pl, data, len);
	pl += len;
	memset(plain + pl, 0, 1100 - pl);	/* PADDING frames */
	pl = 1100;
	out[o++] = (uint8_t)(0xc0 | ((version == 1 ? 0 : 1) << 4) | 1);
	o += put32(out + o, version);
	out[o++] = 8;
	memcpy(out + o, dcid, 8);
	o += 8;
	out[o++] = 0;				/* SCID */
	out[o++] = 0;				/* token */
	plen = 2 + pl + 16;
	o += put16(out + o, (uint16_t)(0x4000 | plen));
	pn_off = o;
	o += put16(out + o, pn);
	memcpy(nonce, iv, 12);
	nonce[10] ^= (uint8_t)(pn >> 8);
	nonce[11] ^= (uint8_t)pn;
	c = EVP_CIPHER_CTX_new();
	EVP_EncryptInit_ex(c, EVP_aes_128_gcm(), NULL, NULL, NULL);
	EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL);
	EVP_EncryptInit_ex(c, NULL, NULL, key, nonce);
	EVP_EncryptUpdate(c, NULL, &l, out, (int)o);
	EVP_EncryptUpdate(c, out + o, &l, plain, (int)pl);
	EVP_EncryptFinal_ex(c, out + o + l, &l);
	EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, out + o + pl);
	EVP_CIPHER_CTX_free(c);
	if (corrupt)
		out[o + pl + 3] ^= 1;
	o += pl + 16;
	/* header protection */
	c = EVP_CIPHER_CTX_new();
	EVP_EncryptInit_ex(c, EVP_aes_128_ecb(), NULL, hp, NULL);
	EVP_CIPHER_CTX_set_padding(c, 0);
	EVP_EncryptUpdate(c, mask, &l, out + pn_off + 4, 16);
	EVP_CIPHER_CTX_free(c);
	out[0] ^= mask[0] & 0x0f;
	out[pn_off] ^= mask[1];
	out[pn_off + 1] ^= mask[2];
	return o;
}

static void run_split(uint32_t version)
{
	static struct collect c;
	static uint8_t pkt[1300], fr[1400];
	struct fp_ctx *ctx = fp_ctx_create(NULL);
	struct fp_stats st;
	uint8_t hs[512];
	size_t n = build_ch(hs, "h3"), pl, fl;

	memset(&c, 0, sizeof(c));
	/* a corrupted packet is dropped and counted */
	pl = initial(pkt, version, 0, 0, hs, n, true);
	fl = build_udp4(fr, 0x0a000001, 0x0a000002, 50000, 443, pkt, pl);
	fp_process_frame(ctx, fr, fl, 1, collect_cb, &c);
	fp_ctx_stats(ctx, &st);
	assert_int_equal(st.quic_decrypt_fail, 1);
	/* the second half first */
	pl = initial(pkt, version, 1, 100, hs + 100, n - 100, false);
	fl = build_udp4(fr, 0x0a000001, 0x0a000002, 50000, 443, pkt, pl);
	fp_process_frame(ctx, fr, fl, 1, collect_cb, &c);
	assert_int_equal(c.n, 0);
	pl = initial(pkt, version, 2, 0, hs, 100, false);
	fl = build_udp4(fr, 0x0a000001, 0x0a000002, 50000, 443, pkt, pl);
	assert_int_equal(fp_process_frame(ctx, fr, fl, 1, collect_cb, &c), 1);
	assert_int_equal(c.obs[0].kind, FP_OBS_QUIC);
	assert_string_equal(c.obs[0].u.tls.ja4,
			"q13d0306h3_5559582ccdc4_fb71836bce29");
	assert_string_equal(c.obs[0].u.tls.sni.s, "example.com");
	/* a retransmission does not report it again */
	fp_process_frame(ctx, fr, fl, 1, collect_cb, &c);
	assert_int_equal(c.n, 1);
	fp_ctx_destroy(ctx);
}

static void test_split_v1(void **state)
{
	(void)state;
	run_split(1);
}

static void test_split_v2(void **state)
{
	(void)state;
	run_split(0x6b3343cf);
}

TEST_MAIN(
	cmocka_unit_test(test_keys),
	cmocka_unit_test(test_split_v1),
	cmocka_unit_test(test_split_v2))
