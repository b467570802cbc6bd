/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Vendor discovery protocols that name the device that speaks them:
 *
 * - TP-Link Smart Home (Kasa), UDP and TCP 9999: JSON under TP-Link's
 *   "autokey" XOR (key 171, each cipher byte keys the next one; TCP adds a
 *   4-byte length). Only answers (source port 9999) are about the sender;
 *   the get_sysinfo answer carries model, type and versions.
 * - Ubiquiti discovery, UDP 10001: a version/command/length header and
 *   type-length-value fields (model, platform, firmware, hostname).
 * - Tuya LAN broadcasts, UDP 6666 (plain JSON) and 6667 (encrypted): frames
 *   between the 0x000055aa and 0x0000aa55 markers. The markers name the
 *   protocol; the encrypted payload is not opened.
 * - Smarter iKettle 2.0 and SmarterCoffee, UDP and TCP 2081: the device
 *   answers command 100 (device info) with 101, its device type (1 kettle,
 *   2 coffee machine), its firmware version and the terminator 126
 *   (ikettle2 and iBrew protocol notes).
 * - eQ-3 MAX! Cube discovery, UDP 23272: the cube answers a "eQ3Max*"
 *   hello with "eQ3MaxAp", its serial number, and its firmware version in
 *   the last two bytes (max-cube-protocol notes).
 *
 * Each becomes one FP_OBS_DISCOVERY observation of "proto.key=value" items.
 */

#include <ctype.h>
#include <stdio.h>

#include "fp_internal.h"

static void item(struct fp_disc *d, const char *key, const uint8_t *v,
		size_t len)
{
	char *out, proto[sizeof(d->proto)];
	size_t k, n;

	if (d->n >= FP_DISC_MAX_ITEMS || len == 0)
		return;
	memcpy(proto, d->proto, sizeof(proto));
	out = d->item[d->n];
	k = (size_t)snprintf(out, sizeof(d->item[0]), "%s.%s=", proto, key);
	if (k >= sizeof(d->item[0]))
		return;
	for (n = 0; n < len && k + 1 < sizeof(d->item[0]); n++)
		out[k++] = (v[n] >= 0x20 && v[n] < 0x7f) ? (char)v[n] : '?';
	out[k] = '\0';
	d->n++;
}

/* "key":"value" (or "key":number) anywhere in a JSON text: the value. */
static bool json_str(const uint8_t *p, size_t len, const char *key,
		const uint8_t **v, size_t *vl)
{
	size_t kl = strlen(key);

	for (size_t i = 0; i + kl + 3 < len; i++) {
		size_t j;

		if (p[i] != '"' || memcmp(p + i + 1, key, kl) ||
				p[i + 1 + kl] != '"')
			continue;
		j = i + kl + 2;
		while (j < len && (p[j] == ' ' || p[j] == ':'))
			j++;
		if (j >= len)
			return false;
		if (p[j] == '"') {
			size_t s = ++j;

			while (j < len && p[j] != '"')
				j++;
			if (j >= len)
				return false;
			*v = p + s;
			*vl = j - s;
			return true;
		}
		if (isdigit(p[j]) || p[j] == '-') {
			size_t s = j;

			while (j < len && (isdigit(p[j]) || p[j] == '.' ||
						p[j] == '-'))
				j++;
			*v = p + s;
			*vl = j - s;
			return true;
		}
		return false;
	}
	return false;
}

static void tplink(const struct fp_pkt *pk, struct fp_emit *em)
{
	static const char *const keys[] = {
		"model", "type", "mic_type", "sw_ver", "hw_ver", "dev_name",
	};
	uint8_t plain[1400];
	const uint8_t *c = pk->pay, *v;
	size_t len = pk->pay_len, vl;
	uint8_t key = 171;
	struct fp_obs *o;

	if (pk->proto == 6) {
		if (len < 4 + 2)
			return;
		c += 4;		/* length prefix; a first segment is enough */
		len -= 4;
	}
	if (len > sizeof(plain))
		len = sizeof(plain);
	for (size_t i = 0; i < len; i++) {
		plain[i] = c[i] ^ key;
		key = c[i];
	}
	if (len < 2 || plain[0] != '{')
		return;
	o = fp_obs_begin(em, pk, FP_OBS_DISCOVERY);
	snprintf(o->u.disc.proto, sizeof(o->u.disc.proto), "tplink");
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (json_str(plain, len, keys[k], &v, &vl))
			item(&o->u.disc, keys[k], v, vl);
	if (o->u.disc.n == 0)
		return;		/* a command, or nothing we read */
	fp_obs_deliver(em, o);
}

/* The Ubiquiti TLVs that say what a device is; the others are skipped. */
static const struct {
	uint8_t type;
	const char *key;
} ubnt_keys[] = {
	{ 0x03, "firmware" }, { 0x0b, "hostname" }, { 0x0c, "platform" },
	{ 0x0d, "essid" }, { 0x14, "model_name" }, { 0x15, "model" },
	{ 0x16, "version" },
};

static void ubnt(const struct fp_pkt *pk, struct fp_emit *em)
{
	const uint8_t *p = pk->pay;
	size_t len = pk->pay_len, off = 4, end;
	struct fp_obs *o;

	if (len < 8 || (p[0] != 1 && p[0] != 2))
		return;
	end = 4 + fp_rd16(p + 2);
	if (end > len)
		return;
	o = fp_obs_begin(em, pk, FP_OBS_DISCOVERY);
	snprintf(o->u.disc.proto, sizeof(o->u.disc.proto), "ubnt");
	while (off + 3 <= end) {
		uint8_t t = p[off];
		size_t l = fp_rd16(p + off + 1);
		const uint8_t *v = p + off + 3;

		if (off + 3 + l > end)
			return;		/* malformed: nothing reported */
		for (size_t k = 0; k < sizeof(ubnt_keys) / sizeof(ubnt_keys[0]);
				k++)
			if (ubnt_keys[k].type == t)
				item(&o->u.disc, ubnt_keys[k].key, v, l);
		off += 3 + l;
	}
	if (o->u.disc.n)
		fp_obs_deliver(em, o);
}

static void tuya(const struct fp_pkt *pk, struct fp_emit *em)
{
	const uint8_t *p = pk->pay, *v;
	size_t len = pk->pay_len, vl;
	struct fp_obs *o;

	if (len < 24 || fp_rd32(p) != 0x000055aau ||
			fp_rd32(p + len - 4) != 0x0000aa55u)
		return;
	o = fp_obs_begin(em, pk, FP_OBS_DISCOVERY);
	snprintf(o->u.disc.proto, sizeof(o->u.disc.proto), "tuya");
	item(&o->u.disc, "broadcast", (const uint8_t *)(pk->dport == 6667 ?
				"encrypted" : "plain"), pk->dport == 6667 ?
			9 : 5);
	if (pk->dport == 6666) {
		if (json_str(p, len, "productKey", &v, &vl))
			item(&o->u.disc, "productKey", v, vl);
		if (json_str(p, len, "version", &v, &vl))
			item(&o->u.disc, "version", v, vl);
	}
	fp_obs_deliver(em, o);
}

static void eq3max(const struct fp_pkt *pk, struct fp_emit *em)
{
	const uint8_t *p = pk->pay;
	size_t len = pk->pay_len;
	struct fp_obs *o;
	char fw[16];

	/* a hello ("eQ3Max*") comes from the app, an answer from the cube */
	if (len < 26 || memcmp(p, "eQ3MaxAp", 8))
		return;
	o = fp_obs_begin(em, pk, FP_OBS_DISCOVERY);
	snprintf(o->u.disc.proto, sizeof(o->u.disc.proto), "eq3");
	item(&o->u.disc, "model", (const uint8_t *)"MAX! Cube", 9);
	snprintf(fw, sizeof(fw), "%u.%u.%u", p[24] & 0x0f, p[25] >> 4,
			p[25] & 0x0f);
	item(&o->u.disc, "firmware", (const uint8_t *)fw, strlen(fw));
	fp_obs_deliver(em, o);
}

static void smarter(const struct fp_pkt *pk, struct fp_emit *em)
{
	const uint8_t *p = pk->pay;
	struct fp_obs *o;
	char v[8];

	if (pk->pay_len < 4 || p[0] != 101 || p[3] != 126 ||
			(p[1] != 1 && p[1] != 2))
		return;
	o = fp_obs_begin(em, pk, FP_OBS_DISCOVERY);
	snprintf(o->u.disc.proto, sizeof(o->u.disc.proto), "smarter");
	if (p[1] == 1)
		item(&o->u.disc, "model", (const uint8_t *)"iKettle 2.0", 11);
	else
		item(&o->u.disc, "model", (const uint8_t *)"SmarterCoffee", 13);
	snprintf(v, sizeof(v), "%u", p[2]);
	item(&o->u.disc, "firmware", (const uint8_t *)v, strlen(v));
	fp_obs_deliver(em, o);
}

bool fp_disc_process(const struct fp_pkt *pk, struct fp_emit *em)
{
	if (pk->sport == 9999) {
		tplink(pk, em);
		return true;
	}
	if (pk->sport == 2081) {
		smarter(pk, em);
		return true;
	}
	if (pk->proto != 17)
		return false;
	if (pk->dport == 10001 || pk->sport == 10001) {
		ubnt(pk, em);
		return true;
	}
	if (pk->dport == 6666 || pk->dport == 6667) {
		tuya(pk, em);
		return true;
	}
	if (pk->sport == 23272 || pk->dport == 23272) {
		eq3max(pk, em);
		return true;
	}
	return false;
}
