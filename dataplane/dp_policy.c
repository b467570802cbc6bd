/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_log.h>

#include "contain.h"
#include "dp_lkg.h"
#include "dp_policy.h"

/* Keep the local networks (for the inventory) and the segment names (for
 * reports): main lcore. */
static void
dp_policy_local_nets(struct dp *dp, const Cordon__Policy *pol)
{
	uint32_t n = 0;

	free(dp->policy_ctl.local_nets);
	dp->policy_ctl.n_local_nets = 0;
	dp->policy_ctl.local_nets = calloc(pol->n_local_networks ? pol->n_local_networks :
				1, sizeof(*dp->policy_ctl.local_nets));
	if (dp->policy_ctl.local_nets == NULL)
		return;
	for (size_t i = 0; i < pol->n_local_networks; i++) {
		const Cordon__Cidr *c = pol->local_networks[i];

		if (c->addr.len != 4 && c->addr.len != 16)
			continue;
		memcpy(dp->policy_ctl.local_nets[n].addr, c->addr.data, c->addr.len);
		dp->policy_ctl.local_nets[n].len = (uint8_t)c->addr.len;
		dp->policy_ctl.local_nets[n].plen = (uint8_t)c->prefix_len;
		n++;
	}
	dp->policy_ctl.n_local_nets = n;

	free(dp->policy_ctl.segments);
	dp->policy_ctl.n_segments = 0;
	dp->policy_ctl.segments = calloc(pol->n_segments ? pol->n_segments : 1,
			      sizeof(*dp->policy_ctl.segments));
	if (dp->policy_ctl.segments == NULL)
		return;
	for (size_t i = 0; i < pol->n_segments; i++) {
		dp->policy_ctl.segments[i].id = pol->segments[i]->id;
		snprintf(dp->policy_ctl.segments[i].name, sizeof(dp->policy_ctl.segments[i].name),
			 "%s", pol->segments[i]->name);
	}
	dp->policy_ctl.n_segments = (uint32_t)pol->n_segments;
}

void
dp_policy_refused(struct dp *dp, uint64_t version, const char *why)
{
	pthread_mutex_lock(&dp->policy_ctl.info_lock);
	dp->policy_ctl.rejected_version = version;
	snprintf(dp->policy_ctl.rejected_reason,
		 sizeof(dp->policy_ctl.rejected_reason), "%s", why);
	pthread_mutex_unlock(&dp->policy_ctl.info_lock);
	__atomic_fetch_add(&dp->policy_ctl.rejected, 1, __ATOMIC_RELAXED);
	RTE_LOG(ERR, USER1, "policy %" PRIu64 " refused: %s\n", version, why);
}

/*
 * No last-known-good verifies: the declared failure mode until cordond
 * sends a policy. Fail-closed is a policy of one segment that denies
 * everything, IP and L2 (version 0: any version from cordond replaces it).
 */
static int
dp_policy_fail_closed(struct dp *dp)
{
	Cordon__Segment seg = CORDON__SEGMENT__INIT, *segs[1] = { &seg };
	Cordon__Policy pol = CORDON__POLICY__INIT, *own;
	uint8_t *buf;
	size_t len;
	char err[256];

	seg.id = 1;
	seg.name = (char *)"fail-closed";
	seg.default_action = CORDON__ACTION__ACTION_DENY;
	seg.l2_action = CORDON__ACTION__ACTION_DENY;
	pol.n_segments = 1;
	pol.segments = segs;
	pol.default_segment = 1;
	pol.quarantine_segment = 1;
	pol.comment = (char *)"fail-closed: no last-known-good policy";
	/* dp_policy_apply() takes an unpacked one, and frees it. */
	len = cordon__policy__get_packed_size(&pol);
	buf = malloc(len);
	if (buf == NULL)
		return -ENOMEM;
	cordon__policy__pack(&pol, buf);
	own = cordon__policy__unpack(NULL, len, buf);
	free(buf);
	if (own == NULL)
		return -ENOMEM;
	return dp_policy_apply(dp, own, NULL, 0, err, sizeof(err));
}

int
dp_policy_load_lkg(struct dp *dp)
{
	const char *path = dp->policy_ctl.lkg_path;
	struct policy_verify_out out;
	char err[700];
	bool older;
	int rc;

	if (path[0] == '\0')
		return 0;
	if (dp->policy_ctl.keys.n == 0) {
		if (access(path, F_OK) == 0)
			RTE_LOG(WARNING, USER1, "%s: no --pubkey to check it "
				"with: not used\n", path);
		return 0;
	}
	rc = dp_lkg_load_any(path, &dp->policy_ctl.keys, &out, &older, err,
			     sizeof(err));
	if (rc == -ENOENT)
		return 0;	/* none yet: a first start */
	if (rc < 0) {
		RTE_LOG(ERR, USER1, "no last-known-good policy verifies: %s\n",
			err);
		RTE_LOG(ERR, USER1, "starting %s until cordond sends a policy. "
			"To recover: let this dataplane reach cordond "
			"(--control), which sends the policy in force; or "
			"remove %s and %s" DP_LKG_PREV_SUFFIX " to start "
			"without one\n", dp->conf.fail_open ?
			"FAIL-OPEN (--fail-open: forwarding everything)" :
			"FAIL-CLOSED (dropping everything; --fail-open "
			"forwards instead)", path, path);
		return dp->conf.fail_open ? 0 : dp_policy_fail_closed(dp);
	}
	if (older)
		RTE_LOG(WARNING, USER1, "the newer last-known-good policy is "
			"refused (%s); falling back to the older one, %s"
			DP_LKG_PREV_SUFFIX "\n", err, path);
	RTE_LOG(INFO, USER1, "enforcing the last-known-good policy %" PRIu64
		"%s until cordond says otherwise\n", out.version,
		older ? " (the older one)" : "");
	rc = dp_policy_apply(dp, out.policy, NULL, 0, err, sizeof(err));
	out.policy = NULL;
	policy_verify_out_free(&out);
	return rc;
}

/*
 * Build pol, with the devices this dataplane contains on its own
 * (contain.h), and publish it. Main lcore. 0, or a negative errno with err
 * (nothing changed).
 */
static int
dp_policy_build_publish(struct dp *dp, const Cordon__Policy *pol, char *err,
			size_t errlen)
{
	struct policy_build_opts opts = {
		.socket_id = SOCKET_ID_ANY,
		.dns = dp->hot.dns,
	};
	const Cordon__Policy *build;
	Cordon__Policy view;
	ProtobufCBinaryData *extra;
	struct policy_ctx *ctx = NULL;
	struct policy_info info;
	int rc;

	build = contain_overlay(dp, pol, &view, &extra);
	/* The one in force shares its unchanged tries (only this thread
	 * replaces it, so it stays alive through the build). */
	opts.prev = policy_holder_get(dp->hot.policy);
	rc = policy_build(build, &opts, &ctx, err, errlen);
	free(extra);
	if (rc < 0)
		return rc;
	dp_policy_local_nets(dp, pol);
	policy_get_info(ctx, &info);
	/* Returns once no worker can still see the old one. */
	policy_holder_publish(dp->hot.policy, ctx);
	contain_published(dp, pol);

	pthread_mutex_lock(&dp->policy_ctl.info_lock);
	dp->policy_ctl.info = info;
	pthread_mutex_unlock(&dp->policy_ctl.info_lock);
	__atomic_store_n(&dp->policy_ctl.version, info.version, __ATOMIC_RELAXED);
	__atomic_fetch_add(&dp->policy_ctl.swaps, 1, __ATOMIC_RELAXED);
	return 0;
}

int
dp_policy_apply(struct dp *dp, Cordon__Policy *pol, uint8_t *signed_pol,
		size_t signed_len, char *err, size_t errlen)
{
	struct policy_info info;
	int rc;

	uint64_t version = pol->version;

	/* An old signed policy replayed must not undo a newer one. */
	if (signed_pol != NULL && version <= __atomic_load_n(&dp->policy_ctl.version,
							    __ATOMIC_RELAXED)) {
		snprintf(err, errlen, "version %" PRIu64 " is not newer than "
			 "the one in force", version);
		cordon__policy__free_unpacked(pol, NULL);
		free(signed_pol);
		dp_policy_refused(dp, version, err);
		return -EALREADY;
	}
	rc = dp_policy_build_publish(dp, pol, err, errlen);
	if (rc < 0) {
		cordon__policy__free_unpacked(pol, NULL);
		free(signed_pol);
		dp_policy_refused(dp, version, err);
		return rc;
	}
	/* Kept: the dataplane rebuilds it when it contains a device. */
	if (dp->policy_ctl.in_force != NULL)
		cordon__policy__free_unpacked(dp->policy_ctl.in_force, NULL);
	dp->policy_ctl.in_force = pol;
	info = dp->policy_ctl.info;	/* this thread's own copy */
	/* In force: it is the one to start with next time. */
	if (signed_pol != NULL && dp->policy_ctl.lkg_path[0] != '\0' &&
	    dp_lkg_save(dp->policy_ctl.lkg_path, signed_pol, signed_len, err,
			errlen) < 0)
		RTE_LOG(ERR, USER1, "cannot keep the last-known-good policy: "
			"%s\n", err);
	free(signed_pol);
	RTE_LOG(INFO, USER1, "policy %" PRIu64 " in force: %u rules, %u "
		"devices, built in %.1f ms (%u of %u tries kept)\n",
		info.version, info.n_rules, info.n_devices, info.build_ms,
		info.n_acl_reused, info.n_acl_ctx);
	return 0;
}

int
dp_policy_rebuild(struct dp *dp)
{
	char err[256];
	int rc;

	if (dp->policy_ctl.in_force == NULL)
		return -ENOENT;
	rc = dp_policy_build_publish(dp, dp->policy_ctl.in_force, err,
				     sizeof(err));
	if (rc < 0)
		RTE_LOG(ERR, USER1, "policy %" PRIu64 " could not be built "
			"again with the contained devices: %s\n",
			dp->policy_ctl.in_force->version, err);
	else
		RTE_LOG(INFO, USER1, "policy %" PRIu64 " rebuilt with the "
			"contained devices in %.1f ms\n",
			dp->policy_ctl.in_force->version,
			dp->policy_ctl.info.build_ms);
	return rc;
}

void
dp_policy_submit(struct dp *dp, Cordon__Policy *pol, uint8_t *signed_pol,
		 size_t signed_len)
{
	Cordon__Policy *old;
	uint8_t *old_signed;

	pthread_mutex_lock(&dp->policy_ctl.mbox_lock);
	old = dp->policy_ctl.mbox;
	old_signed = dp->policy_ctl.mbox_signed;
	dp->policy_ctl.mbox = pol;
	dp->policy_ctl.mbox_signed = signed_pol;
	dp->policy_ctl.mbox_signed_len = signed_len;
	pthread_cond_signal(&dp->policy_ctl.mbox_cond);
	pthread_mutex_unlock(&dp->policy_ctl.mbox_lock);
	if (old != NULL)
		cordon__policy__free_unpacked(old, NULL);
	free(old_signed);
}

void
dp_policy_poll(struct dp *dp)
{
	Cordon__Policy *pol;
	uint8_t *sig;
	size_t len;
	char err[256];

	pthread_mutex_lock(&dp->policy_ctl.mbox_lock);
	pol = dp->policy_ctl.mbox;
	sig = dp->policy_ctl.mbox_signed;
	len = dp->policy_ctl.mbox_signed_len;
	dp->policy_ctl.mbox = NULL;
	dp->policy_ctl.mbox_signed = NULL;
	pthread_mutex_unlock(&dp->policy_ctl.mbox_lock);
	if (pol != NULL)
		dp_policy_apply(dp, pol, sig, len, err, sizeof(err));
}
