/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */
#ifndef CORDON_FP_SIG_H
#define CORDON_FP_SIG_H

/*
 * The signature database: what a piece of evidence says about a device.
 * Loaded once from the *.sig files of a directory (format: data/README.md),
 * matched per observation without allocating. Every rule names where its
 * knowledge comes from and carries examples; fp_sig_selftest() checks that
 * each example gives what it says.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fp_re.h"

/* What a rule is matched against (the "class" word in the files). */
enum fp_sig_class {
	FP_SC_HOSTNAME = 0,	/* DHCP 12/81, DHCPv6 39, mDNS host/instance, LLDP name */
	FP_SC_DHCP_VENDOR,	/* DHCP 60, DHCPv6 16 data */
	FP_SC_DHCP_PARAMS,	/* DHCP 55 as "1,3,6,15" */
	FP_SC_DHCPV6_ENTERPRISE,	/* DHCPv6 16/17 enterprise number, decimal */
	FP_SC_MDNS_SERVICE,	/* service type "_hue._tcp" */
	FP_SC_MDNS_TXT,		/* one TXT item "key=value" */
	FP_SC_SSDP_SERVER,	/* SSDP SERVER header */
	FP_SC_UPNP_TYPE,	/* NT of a NOTIFY, ST of a search response, USN */
	FP_SC_SSDP_SEARCH,	/* ST of the device's own M-SEARCH */
	FP_SC_HTTP_UA,		/* User-Agent (HTTP requests, SSDP) */
	FP_SC_HTTP_SERVER,	/* Server of HTTP responses from LAN devices */
	FP_SC_HTTP_URL,		/* Host + path of HTTP requests */
	FP_SC_DOMAIN,		/* DNS questions, TLS/QUIC SNI, HTTP Host */
	FP_SC_JA4,
	FP_SC_JA3,
	FP_SC_OUI,		/* IEEE registry organisation name */
	FP_SC_LLDP,		/* LLDP system description */
	FP_SC_DISCOVERY,	/* vendor discovery protocols, "proto.key=value" */
	FP_SC_SERVICE,		/* a service the device answers, "tcp/631" */
	FP_SC_BEHAVIOUR,	/* traffic shape, fp_identity.c's words */
	FP_SC__MAX
};

enum fp_sig_op { FP_OP_EXACT, FP_OP_PREFIX, FP_OP_SUFFIX, FP_OP_CONTAINS,
	FP_OP_DOMAIN, FP_OP_RE };

#define FP_SIG_MAX_SET 6
#define FP_SIG_VAL_MAX 64

struct fp_sig_set {
	uint8_t attr;		/* FP_ATTR_* (fp_identity.h) */
	uint8_t conf;		/* 1-99 */
	char *value;		/* may hold $0..$4 */
};

struct fp_sig_example {
	char *text;
	char *expect;		/* "attr=value; attr=value" or NULL */
	bool negative;		/* must not match */
	uint32_t line;
};

struct fp_sig_rule {
	uint8_t cls, op;
	bool generic;		/* a generic clue (see README: conflicts) */
	char *pattern;
	struct fp_re *re;	/* FP_OP_RE */
	struct fp_re *unless;	/* the rule does not fire when this matches */
	uint8_t n_set;
	struct fp_sig_set set[FP_SIG_MAX_SET];
	char *from;		/* provenance */
	char *if_vendor;	/* fires only for a device with this vendor
				 * among its candidates (NULL: always) */
	char id[48];		/* "file.sig:line" */
	uint16_t n_ex;
	struct fp_sig_example *ex;
};

struct fp_sig_db;

/* Loads every *.sig file of dir (or the single file dir names), in name
 * order. 0, or a negative errno with "file:line: reason" in err. */
int fp_sig_load(struct fp_sig_db **out, const char *dir, char *err,
		size_t errcap);
void fp_sig_free(struct fp_sig_db *db);
size_t fp_sig_count(const struct fp_sig_db *db);
const struct fp_sig_rule *fp_sig_rule(const struct fp_sig_db *db, size_t i);
/* The rule's index (for fixed-size references), or SIZE_MAX. */
size_t fp_sig_index(const struct fp_sig_db *db, const struct fp_sig_rule *r);

const char *fp_sig_class_name(int cls);
int fp_sig_class_parse(const char *s);

/* Calls hit() for every rule of class cls matching s, in file order.
 * caps: the match's groups (fp_re.h; for the other ops group 0 is the
 * whole of s). */
typedef void (*fp_sig_hit_cb)(const struct fp_sig_rule *r, const char *s,
		const int caps[FP_RE_NCAP], void *arg);
void fp_sig_match(const struct fp_sig_db *db, int cls, const char *s,
		fp_sig_hit_cb hit, void *arg);
/* A single rule against s. */
bool fp_sig_rule_match(const struct fp_sig_rule *r, const char *s,
		int caps[FP_RE_NCAP]);
/* A value template with $0..$4 replaced by the groups of s (trimmed). */
void fp_sig_expand(const char *tmpl, const char *s,
		const int caps[FP_RE_NCAP], char *out, size_t cap);

/* Checks every example of every rule; report() gets one line per failure.
 * Returns the number of failures; *n_examples the number checked. */
int fp_sig_selftest(const struct fp_sig_db *db,
		void (*report)(const char *line, void *arg), void *arg,
		size_t *n_examples);

#endif
