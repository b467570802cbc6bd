/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_FP_IDENTITY_H
#define CORDON_FP_IDENTITY_H

#include <stdbool.h>

#include <jansson.h>

#include "fp.h"

/*
 * Device identity. Observations and traffic are attributed to the sending
 * MAC and turned into evidence: where it was seen (source), what was seen,
 * the attribute value it implies, a confidence 0-100, whether the clue is
 * generic or specific, and the signature (file:line) that says so. Per
 * attribute, evidence for the same value combines as independent signals,
 * 1 - prod(1 - c); competing values are resolved as README.md describes
 * ("Combining evidence"): a specific clue beats generic ones, and
 * disagreement lowers the confidence of the winner.
 *
 * Memory is bounded: at most max_devices device records of fixed size, a
 * bounded number of evidence items and candidates per device. Records are
 * allocated 256 at a time as devices come (creation takes 12 bytes a
 * device for the index), kept for reuse when the table forgets devices,
 * and never allocated per observation or frame.
 */

#define FP_ATTR_VENDOR 0
#define FP_ATTR_TYPE 1		/* a word of fp_type.h, or none */
#define FP_ATTR_OS 2
#define FP_ATTR_MODEL 3
#define FP_ATTR_FIRMWARE 4
#define FP_ATTR_SOFTWARE 5	/* client software (browser, TLS stack) */
#define FP_ATTR__MAX 6

#define FP_DEV_MAX_EV 40
#define FP_DEV_MAX_CAND 5
#define FP_EV_VAL_MAX 48

/* Where a clue was seen. */
enum fp_ev_source {
	FP_EV_OUI = 0,
	FP_EV_DHCP_HOSTNAME,
	FP_EV_DHCP_FQDN,
	FP_EV_DHCP_VENDOR,
	FP_EV_DHCP_PARAMS,
	FP_EV_DHCPV6_VENDOR,
	FP_EV_DHCPV6_ENTERPRISE,
	FP_EV_DHCPV6_FQDN,
	FP_EV_MDNS_HOST,
	FP_EV_MDNS_INSTANCE,
	FP_EV_MDNS_SERVICE,
	FP_EV_MDNS_TXT,
	FP_EV_SSDP_SERVER,
	FP_EV_SSDP_TYPE,
	FP_EV_SSDP_SEARCH,
	FP_EV_HTTP_UA,
	FP_EV_HTTP_SERVER,
	FP_EV_HTTP_HOST,
	FP_EV_HTTP_URL,
	FP_EV_UPNP_DESC,
	FP_EV_DNS,
	FP_EV_SNI,
	FP_EV_JA4,
	FP_EV_JA3,
	FP_EV_P0F,
	FP_EV_LLDP,
	FP_EV_DISCOVERY,
	FP_EV_SERVICE,
	FP_EV_BEHAVIOUR,
	FP_EV__MAX
};

struct fp_evidence {
	uint8_t source;		/* enum fp_ev_source */
	uint8_t attr;
	uint8_t confidence;
	bool generic;
	uint16_t hits;		/* times seen, the first included */
	char seen[64];		/* the observed value (first time) */
	char value[FP_EV_VAL_MAX];
	char rule[32];		/* "hostname.sig:42", "ieee-data", ... */
};

struct fp_candidate {
	char value[FP_EV_VAL_MAX];
	float spec, gen;	/* combined specific / generic clues, 0..1 */
	float cloud;		/* specific clues from names it contacts (DNS,
				 * SNI, HTTP Host/URL), 0..1 */
};

/* Traffic shape over time (fp_identity_traffic / fp_identity_behaviour). */
#define FP_SHAPE_PEERS 16
struct fp_shape {
	uint64_t bytes_out, bytes_in;
	uint32_t pkts_out, pkts_in;
	uint64_t first_us, last_us;
	uint64_t sec;			/* the second being counted */
	uint32_t sec_out, sec_in;	/* its bytes so far */
	uint32_t active_secs;		/* seconds the device sent in */
	uint32_t up_secs, down_secs;	/* seconds of >= 30 kB out / in */
	uint32_t peak_out;		/* most bytes sent in a second */
	uint8_t n_peers;
	bool many_peers;		/* more than FP_SHAPE_PEERS */
	uint32_t peer[FP_SHAPE_PEERS];	/* hashes of remote addresses */
	/* source addresses of what it sends: more than a few means it
	 * forwards others' packets (a router) */
	uint8_t n_src;
	bool forwarder;
	uint32_t src[4];
};

#define FP_DEV_MAX_SVC 8
#define FP_DEV_RECENT 32

struct fp_device {
	uint8_t mac[6];
	bool random_mac;	/* locally administered bit set */
	uint64_t first_us, last_us;
	uint32_t n_obs;
	char hostname[64];
	char dhcp_params[128];
	char mud_url[128];
	char mud_source[8];	/* where mud_url was seen: dhcp, dhcpv6, lldp */
	/* TLS hygiene over all ClientHellos the device sent */
	uint16_t tls_hellos;
	uint16_t tls_max_version;	/* highest version ever offered */
	uint8_t tls_flags;		/* OR of the hellos' FP_TLS_* */
	/* TCP services it answered from a LAN address */
	uint8_t n_svc;
	uint16_t svc[FP_DEV_MAX_SVC];
	struct fp_shape shape;
	/* (source, string) pairs already matched: not matched again */
	uint8_t recent_pos;
	uint32_t recent[FP_DEV_RECENT];
	uint16_t n_ev;
	uint16_t ev_dropped;	/* evidence beyond FP_DEV_MAX_EV (counted) */
	struct fp_evidence ev[FP_DEV_MAX_EV];
	uint8_t n_cand[FP_ATTR__MAX];
	struct fp_candidate cand[FP_ATTR__MAX][FP_DEV_MAX_CAND];
};

/* The most devices a table takes (its index is twice that, in 32 bits). */
#define FP_IDENTITY_MAX_DEVICES (1u << 28)

struct fp_identity_config {
	const char *signatures;	/* a directory of *.sig files, or one file
				 * (NULL: no signatures) */
	const char *p0f_db;	/* p0f.fp path (may be NULL) */
	const char *oui_dir;	/* ieee-data dir (may be NULL) */
	const char *manuf;	/* Wireshark manuf file (may be NULL) */
	uint32_t max_devices;	/* default 4096; oldest half dropped beyond;
				 * at most FP_IDENTITY_MAX_DEVICES */
	char *err;		/* why creation failed (may be NULL) */
	size_t err_cap;
};

struct fp_identity;
struct fp_sig_db;
struct fp_behav_summary;

/* NULL on failure, with the reason in cfg->err: a signature file that does
 * not parse (file:line), memory. Missing OUI/p0f data is not a failure. */
struct fp_identity *fp_identity_create(const struct fp_identity_config *cfg);
void fp_identity_destroy(struct fp_identity *id);
/* Attribute an observation to the device with its source MAC (every
 * unicast source MAC gets a device, with its registry vendor). Returns 0,
 * or -ENOENT when the observation says nothing about the sender itself
 * (a DNS answer, a DHCP server reply, a SYN+ACK from a non-LAN address:
 * the device is still recorded), or when there is no usable source MAC. */
int fp_identity_add(struct fp_identity *id, const struct fp_obs *obs);
/* A frame of len bytes from src to dst at ts_us (any frame: this is what
 * the traffic shape is made of, and a device that sends nothing else is
 * still known by its MAC). peer: the remote IP address, if any. */
void fp_identity_traffic(struct fp_identity *id, const uint8_t src[6],
		const uint8_t dst[6], const struct fp_addr *src_ip,
		const struct fp_addr *dst_ip, uint32_t len, uint64_t ts_us);
/* The dataplane's alternative: one behaviour interval of a device
 * (fp_behav.h), folded into its traffic shape. */
void fp_identity_behaviour(struct fp_identity *id, const uint8_t mac[6],
		const struct fp_behav_summary *s);
const struct fp_device *fp_identity_get(const struct fp_identity *id,
		const uint8_t mac[6]);
void fp_identity_foreach(const struct fp_identity *id,
		void (*cb)(const struct fp_device *dev, void *arg), void *arg);
size_t fp_identity_rule_count(const struct fp_identity *id);
const struct fp_sig_db *fp_identity_sigs(const struct fp_identity *id);
/* p0f.fp label ("s:unix:Linux:3.11 and newer") of a tcp_syn/tcp_synack
 * observation; false when none matches or no database is loaded. */
bool fp_identity_p0f_label(const struct fp_identity *id,
		const struct fp_obs *obs, char *label, size_t cap,
		bool *generic);
/* IEEE registry organisation of a MAC, NULL if unknown or random. */
const char *fp_identity_mac_vendor(const struct fp_identity *id,
		const uint8_t mac[6]);

/* Best value of an attribute and its confidence 0-100 after conflicts
 * (0 and NULL if unknown). */
const char *fp_device_attr(const struct fp_device *dev, int attr,
		uint8_t *confidence);
/* The runner-up value, if any (what the winner was weighed against). */
const char *fp_device_attr_second(const struct fp_device *dev, int attr,
		uint8_t *confidence);
const char *fp_attr_name(int attr);
const char *fp_ev_source_name(int source);
/* The device offers nothing above TLS 1.0 / has obsolete TLS: FP_TLS_*
 * flags summarising its hellos (0 when fine or unknown). */
uint8_t fp_device_tls_flags(const struct fp_device *dev);

/* {"kind":"device","mac":..,"vendor":{"value","confidence"},..,
 *  "evidence":[...]} */
json_t *fp_json_device(const struct fp_device *dev);

#endif
