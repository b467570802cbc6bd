/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The compiled-policy contract: what a Cordon__Policy (proto/cordon.proto,
 * "Compiled policy") may hold and what it means where the proto leaves
 * room. cordond and cordonctl refuse what the dataplane would refuse, with
 * this very code; the dataplane's classifier (dataplane/policy.h) builds on
 * a policy that passed it and implements the meaning below.
 *
 *  - A MAC's segment: quarantined -> quarantine_segment; else the
 *    assignment for (MAC, frame VLAN); else the (MAC, vlan 0) one; else
 *    default_segment. DeviceAssignment.segment 0 means default_segment.
 *  - A quarantined device has no device identity for rules (a rule naming
 *    its MAC does not match it); it is just a member of quarantine_segment.
 *  - A flow to a member of quarantine_segment from another segment that no
 *    rule decides is denied, whatever the initiator segment's default: a
 *    device in quarantine is cut off both ways.
 *  - dst_ports are the responder's ports (for INITIATOR_DST / _EITHER that
 *    is whichever side responds) and need ip_proto tcp, udp, sctp or
 *    udplite; icmp with ports is invalid. Empty dst_ports match any port.
 *  - internet / local look at the address only (local_networks).
 *  - default_segment and quarantine_segment must both name a Segment; rule
 *    ids must be non-zero (0 is "segment default" in results).
 *  - A rule whose src and dst CIDRs are of different families is invalid;
 *    a rule without any CIDR applies to IPv4 and IPv6.
 *  - dns_name endpoints match the addresses the device's own DNS answers
 *    bound to the name (the dataplane's DNS snooper); names are compared
 *    lower-case without a trailing dot; "*.suffix" matches names with one
 *    or more labels before ".suffix", not "suffix" itself.
 *  - Unknown fields anywhere are invalid: a field this build does not know
 *    could only be ignored, which might widen what is allowed.
 */

#ifndef CORDON_POLICY_VALIDATE_H
#define CORDON_POLICY_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cordon.pb-c.h"

/* Bounds policy_validate() enforces. */
#define POLICY_MAX_SEGMENTS 65000u
#define POLICY_MAX_DEVICES (1u << 20)
#define POLICY_MAX_RULES (1u << 20)
#define POLICY_MAX_LOCAL_NETS 65536u
#define POLICY_MAX_PORT_RANGES 1024u
#define POLICY_DNS_NAME_MAX 253u

/*
 * Check everything the contract above and the classifier rely on. No EAL,
 * no allocation beyond scratch. 0, or -EINVAL with err saying what (and
 * which rule, segment or device), or -ENOMEM.
 */
int policy_validate(const Cordon__Policy *pol, char *err, size_t errlen);

/* Whether mac is in pol's quarantined list (false for a NULL pol). */
bool policy_quarantined(const Cordon__Policy *pol, const uint8_t mac[6]);

#endif /* CORDON_POLICY_VALIDATE_H */
