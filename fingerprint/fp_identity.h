/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_FP_IDENTITY_H
#define CORDON_FP_IDENTITY_H

#include <stdbool.h>

#include <jansson.h>

#include "fp.h"

/*
 * Device identity: observations are attributed to the sending MAC and
 * turned into evidence (source, what was seen, the attribute it implies,
 * a confidence 0-100). Evidence for the same attribute value adds up as
 * independent signals, 1 - prod(1 - c); the best value per attribute wins.
 * Attributes: vendor, type, os, model, software.
 * Sources: the IEEE registries (vendor), p0f.fp (OS from SYN signatures),
 * and signatures.txt (DHCP, mDNS, SSDP, HTTP User-Agent, JA4 patterns).
 */

#define FP_ATTR_VENDOR 0
#define FP_ATTR_TYPE 1
#define FP_ATTR_OS 2
#define FP_ATTR_MODEL 3
#define FP_ATTR_SOFTWARE 4	/* client software (browser, TLS stack) */
#define FP_ATTR__MAX 5

#define FP_DEV_MAX_EV 32
#define FP_DEV_MAX_CAND 8

struct fp_evidence {
	char source[24];	/* "oui", "dhcp_vendor", "p0f", ... */
	char seen[128];		/* the observed value */
	uint8_t attr;
	char value[96];
	uint8_t confidence;
	char rule[64];		/* signature origin / rule id */
};

struct fp_candidate {
	char value[96];
	double score;		/* combined, 0..1 */
};

struct fp_device {
	uint8_t mac[6];
	uint64_t first_us, last_us;
	uint32_t n_obs;
	bool random_mac;	/* locally administered bit set */
	char hostname[64];
	char dhcp_params[128];
	char mud_url[128];
	char mud_source[8];	/* where mud_url was seen: dhcp, dhcpv6, lldp */
	uint16_t n_ev;
	struct fp_evidence ev[FP_DEV_MAX_EV];
	uint8_t n_cand[FP_ATTR__MAX];
	struct fp_candidate cand[FP_ATTR__MAX][FP_DEV_MAX_CAND];
};

struct fp_identity_config {
	const char *signatures;	/* signatures.txt path (may be NULL) */
	const char *p0f_db;	/* p0f.fp path (may be NULL) */
	const char *oui_dir;	/* ieee-data dir (may be NULL) */
	uint32_t max_devices;	/* default 4096; oldest evicted beyond */
};

struct fp_identity;

struct fp_identity *fp_identity_create(const struct fp_identity_config *cfg);
void fp_identity_destroy(struct fp_identity *id);
/* Attribute an observation to the device with its source MAC (every
 * unicast source MAC gets a device, with its registry vendor). Returns 0,
 * or -ENOENT when the observation says nothing about the sender itself
 * (a SYN+ACK, a DNS answer, a DHCP server reply: the device is still
 * recorded), or when there is no usable source MAC. */
int fp_identity_add(struct fp_identity *id, const struct fp_obs *obs);
const struct fp_device *fp_identity_get(const struct fp_identity *id,
		const uint8_t mac[6]);
void fp_identity_foreach(const struct fp_identity *id,
		void (*cb)(const struct fp_device *dev, void *arg), void *arg);
size_t fp_identity_rule_count(const struct fp_identity *id);
/* p0f.fp label ("s:unix:Linux:3.11 and newer") of a tcp_syn/tcp_synack
 * observation; false when none matches or no database is loaded. */
bool fp_identity_p0f_label(const struct fp_identity *id,
		const struct fp_obs *obs, char *label, size_t cap,
		bool *generic);
/* IEEE registry organisation of a MAC, NULL if unknown or random. */
const char *fp_identity_mac_vendor(const struct fp_identity *id,
		const uint8_t mac[6]);

/* Best value of an attribute; confidence 0-100 (0 and NULL if unknown). */
const char *fp_device_attr(const struct fp_device *dev, int attr,
		uint8_t *confidence);
const char *fp_attr_name(int attr);

/* {"kind":"device","mac":..,"vendor":{"value","confidence"},..,
 *  "evidence":[...]} */
json_t *fp_json_device(const struct fp_device *dev);

#endif
