/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Containment by the dataplane itself: a device the detectors caught is put
 * in the policy's quarantine segment at once, without waiting for cordond,
 * and stays there while cordond is away.
 *
 * How: the main lcore keeps the policy in force (dp_policy.c) and a set of
 * devices it quarantined on its own. Every policy it builds, cordond's or
 * a rebuild, is compiled with those MACs added to Policy.quarantined, so
 * the classifier puts them in the quarantine segment; the new policy's
 * epoch makes every worker re-check each existing flow at its next packet.
 * A rebuild that only adds quarantined MACs keeps every rte_acl trie of
 * the policy before, so it takes milliseconds. Devices found in a burst of
 * alerts are contained by one rebuild (contain_commit()).
 *
 * A device's own quarantine ends when a policy that quarantines it comes
 * in (cordond has made the alert a stored version: it holds the device
 * now, and only an operator's release, a policy without it, lets it go).
 * With --state-dir the set is kept in STATE/contained, so a restart
 * without cordond keeps the devices in.
 *
 * Each containment keeps its times (uptime us): the first packet the
 * detector counted, the detection, the policy swap that contained the
 * device, and the first packet dropped because of it (the workers stamp
 * device_entry.quar_drop_us). Telemetry reads them under the lock.
 */

#ifndef CORDON_CONTAIN_H
#define CORDON_CONTAIN_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "cordon.pb-c.h"

struct dp;

#define CONTAIN_MAX 1024

enum contain_state {
	CONTAIN_PENDING = 0,	/* marked; the next commit quarantines it */
	CONTAIN_LOCAL,		/* quarantined by this dataplane alone */
	CONTAIN_HELD,		/* the policy in force quarantines it too */
	CONTAIN_RELEASED,	/* a policy without it came after: released */
};

const char *contain_state_name(enum contain_state s);

struct contain_rec {
	uint8_t mac[6];
	uint16_t vlan;
	uint8_t state;		/* enum contain_state */
	uint8_t detector;	/* enum det_detector; 0xff: from the file */
	uint32_t alert_seq;
	uint32_t times;		/* contained how many times */
	uint64_t first_us;	/* the first packet the detector counted */
	uint64_t detected_us;
	uint64_t contained_us;	/* the policy that holds it was in force */
	uint64_t released_us;
};

/* A copy for readers (telemetry, reports): the record and its device's
 * counters. */
struct contain_view {
	struct contain_rec rec;
	uint64_t first_drop_us;	/* 0: none yet */
	uint64_t quar_drops;	/* packets dropped because it is in */
};

/*
 * Main lcore, before the first policy: the set, and what STATE/contained
 * held (state_dir "" for none). Returns 0 or a negative errno.
 */
int contain_init(struct dp *dp, const char *state_dir);
void contain_fini(struct dp *dp);

/* Main lcore: called when a policy lets a device out (the detectors arm
 * again for it). */
typedef void (*contain_release_fn)(struct dp *dp, const uint8_t mac[6],
				   uint16_t vlan);
void contain_on_release(struct dp *dp, contain_release_fn fn);

/*
 * Main lcore: quarantine the device at the next contain_commit(). Returns 1
 * when marked, 0 when the policy in force has it in quarantine already,
 * -ENOENT without a policy (no quarantine segment to put it in), -ENOSPC
 * when the set is full of devices still held.
 */
int contain_device(struct dp *dp, const uint8_t mac[6], uint16_t vlan,
		   uint8_t detector, uint32_t alert_seq, uint64_t first_us,
		   uint64_t detected_us);

/* Main lcore: rebuild the policy in force with the marked devices, if
 * any. Returns 0 or the build's negative errno (the marks stay). */
int contain_commit(struct dp *dp);

/*
 * dp_policy.c, main lcore: the policy to build instead of pol: pol with
 * the devices this dataplane holds on its own added to its quarantined
 * MACs (a shallow copy into *view; *extra is allocated for the new list,
 * free() it after the build). Returns view, or pol when nothing is added.
 */
const Cordon__Policy *contain_overlay(struct dp *dp, const Cordon__Policy *pol,
				      Cordon__Policy *view,
				      ProtobufCBinaryData **extra);

/* dp_policy.c, main lcore, once the policy built from pol is in force:
 * marked devices are contained now, a policy's own quarantine takes over
 * from ours, a policy without a device releases it. */
void contain_published(struct dp *dp, const Cordon__Policy *pol);

/* Any thread: copies of up to max records, newest first. */
uint32_t contain_list(const struct dp *dp, struct contain_view *out,
		      uint32_t max);
/* Any thread: the record of one device (any VLAN when vlan is 0xffff).
 * 0, or -ENOENT. */
int contain_get(const struct dp *dp, const uint8_t mac[6], uint16_t vlan,
		struct contain_view *out);

/* Devices contained by this dataplane since it started (counter). */
uint64_t contain_count(const struct dp *dp);

#endif /* CORDON_CONTAIN_H */
