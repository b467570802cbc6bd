/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Names of the typed identity evidence (cordon.Evidence): the sources and
 * fields as short lower-case words ("dhcp", "vendor"), both ways, and the
 * source a fingerprinter method belongs to ("dhcp_vendor" -> DHCP). The
 * dataplane fills Evidence from fingerprint/; cordond stores it and
 * cordonctl prints it with these.
 */

#ifndef CORDON_EVIDENCE_H
#define CORDON_EVIDENCE_H

#include "cordon.pb-c.h"

/* "dhcp", "tcp", ...; "" for SOURCE_UNSPEC or an unknown value. */
const char *evidence_source_name(Cordon__EvidenceSource s);
/* The inverse; SOURCE_UNSPEC for anything else. */
Cordon__EvidenceSource evidence_source_from_name(const char *name);

/*
 * The source of a fingerprinter method ("dhcp_vendor", "dhcpv6_vendor",
 * "mdns_txt", "ja4", "p0f", "oui", "dhcp_mud", ...): by its first word.
 */
Cordon__EvidenceSource evidence_source_of_method(const char *method);

/* "vendor", "type", ..., "mud_url"; "" for FIELD_UNSPEC. */
const char *evidence_field_name(Cordon__IdentityField f);
Cordon__IdentityField evidence_field_from_name(const char *name);

#endif /* CORDON_EVIDENCE_H */
