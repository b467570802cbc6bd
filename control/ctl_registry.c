/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/random.h>

#include "ctl_registry.h"
#include "util_array.h"
#include "util_hash.h"

/* The index's first size: slots for 32 dataplanes. */
#define CTL_REGISTRY_INDEX_MIN 64u

void
ctl_registry_init(struct ctl_registry *reg)
{
	memset(reg, 0, sizeof(*reg));
	/* Ids come from the network: probes stay short whatever they are.
	 * Without entropy, a fixed seed still works, only predictably. */
	if (getrandom(&reg->seed, sizeof(reg->seed), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(reg->seed))
		reg->seed = UTIL_HASH_FNV64_INIT;
}

static size_t
ctl_registry_slot(const struct ctl_registry *reg, const char *id)
{
	uint64_t h = util_hash_fnv64_str(reg->seed, id);

	return (size_t)(h ^ h >> 32) & reg->index_mask;
}

/* Index dps[pos]; the index has room. */
static void
ctl_registry_index_add(struct ctl_registry *reg, size_t pos)
{
	size_t s = ctl_registry_slot(reg, reg->dps[pos].hello->dataplane_id);

	while (reg->index[s] != 0)
		s = (s + 1) & reg->index_mask;
	reg->index[s] = (uint32_t)pos + 1;
}

/* Index every entry again, in the same slots (entries moved). */
static void
ctl_registry_reindex(struct ctl_registry *reg)
{
	memset(reg->index, 0, (reg->index_mask + 1) * sizeof(*reg->index));
	for (size_t i = 0; i < reg->n; i++)
		ctl_registry_index_add(reg, i);
}

/* Room in the index for one entry more, keeping it at most half full: it
 * doubles when it must. 0 or -ENOMEM (the index as it was). */
static int
ctl_registry_room(struct ctl_registry *reg)
{
	size_t slots = reg->index != NULL ? reg->index_mask + 1 :
		CTL_REGISTRY_INDEX_MIN;
	uint32_t *index;

	if (reg->index != NULL && reg->n + 1 <= slots / 2)
		return 0;
	while (slots / 2 < reg->n + 1)
		slots *= 2;
	index = calloc(slots, sizeof(*index));
	if (index == NULL)
		return -ENOMEM;
	free(reg->index);
	reg->index = index;
	reg->index_mask = slots - 1;
	ctl_registry_reindex(reg);
	return 0;
}

void
ctl_registry_fini(struct ctl_registry *reg)
{
	for (size_t i = 0; i < reg->n; i++) {
		cordon__hello__free_unpacked(reg->dps[i].hello, NULL);
		if (reg->dps[i].report != NULL)
			cordon__stats_report__free_unpacked(reg->dps[i].report,
							    NULL);
	}
	free(reg->dps);
	free(reg->index);
	memset(reg, 0, sizeof(*reg));
}

struct ctl_dp *
ctl_registry_find(const struct ctl_registry *reg, const char *id)
{
	if (reg->index == NULL)
		return NULL;
	for (size_t s = ctl_registry_slot(reg, id); reg->index[s] != 0;
	     s = (s + 1) & reg->index_mask) {
		struct ctl_dp *dp = &reg->dps[reg->index[s] - 1];

		if (strcmp(dp->hello->dataplane_id, id) == 0)
			return dp;
	}
	return NULL;
}

int
ctl_registry_check_hello(const Cordon__Hello *h, char *err, size_t len)
{
	const char *id = h->dataplane_id;
	size_t n = strlen(id);

	if (n == 0 || n > CTL_DP_ID_MAX) {
		snprintf(err, len, "dataplane id must be 1..%d characters",
			 CTL_DP_ID_MAX);
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)id[i];

		if (!isalnum(c) && c != '-' && c != '_' && c != '.' &&
		    c != ':') {
			snprintf(err, len, "dataplane id has a character "
				 "outside [A-Za-z0-9._:-]");
			return -EINVAL;
		}
	}
	if (strlen(h->sw_version) > 64) {
		snprintf(err, len, "software version string too long");
		return -EINVAL;
	}
	if (h->n_ports > 64 || h->workers > 1024) {
		snprintf(err, len, "implausible port or worker count");
		return -EINVAL;
	}
	/* The store keys reports by it as a signed 64-bit integer. */
	if (ctl_registry_boot(h) > INT64_MAX) {
		snprintf(err, len, "boot id out of range");
		return -EINVAL;
	}
	return 0;
}

int
ctl_registry_hello(struct ctl_registry *reg, Cordon__Hello *h,
		   uint32_t pipe_id, uint64_t now_ms, char *err, size_t len)
{
	struct ctl_dp *dp;
	int rc;

	rc = ctl_registry_check_hello(h, err, len);
	if (rc < 0)
		return rc;

	dp = ctl_registry_find(reg, h->dataplane_id);
	if (dp == NULL) {
		if (UTIL_ARRAY_GROW(reg->dps, reg->cap, reg->n, 8) < 0 ||
		    ctl_registry_room(reg) < 0) {
			snprintf(err, len, "out of memory");
			return -ENOMEM;
		}
		dp = &reg->dps[reg->n++];
		memset(dp, 0, sizeof(*dp));
		dp->hello = h;
		ctl_registry_index_add(reg, reg->n - 1);
	} else {
		cordon__hello__free_unpacked(dp->hello, NULL);
		/* A restarted dataplane starts its counters from zero. */
		if (dp->report != NULL)
			cordon__stats_report__free_unpacked(dp->report, NULL);
		dp->report = NULL;
	}
	dp->hello = h;
	dp->pipe_id = pipe_id;
	dp->disconnected_unix_ms = 0;
	dp->id_proven = false;
	dp->poll_pipe_proven = 0;
	dp->policy_version = h->policy_version;
	dp->registered_unix_ms = now_ms;
	dp->heard_unix_ms = now_ms;
	dp->anchor_uptime_ms = h->uptime_ms;
	dp->anchor_unix_ms = h->uptime_ms != 0 ? now_ms : 0;
	dp->registrations++;
	return 0;
}

uint64_t
ctl_registry_made_ms(struct ctl_dp *dp, uint64_t uptime_ms, uint64_t now_ms)
{
	uint64_t expect, late;

	if (dp->anchor_unix_ms == 0)
		return now_ms;
	/* Its uptime now, as the anchor has it. */
	expect = dp->anchor_uptime_ms + (now_ms > dp->anchor_unix_ms ?
					 now_ms - dp->anchor_unix_ms : 0);
	late = expect > uptime_ms ? expect - uptime_ms : 0;
	if (late < CTL_REGISTRY_QUEUED_MS) {
		/* At once: the clocks' drift stays within one report. */
		dp->anchor_uptime_ms = uptime_ms;
		dp->anchor_unix_ms = now_ms;
		return now_ms;
	}
	return late < now_ms ? now_ms - late : 0;
}

const struct ctl_dp *
ctl_registry_holder(const struct ctl_registry *reg, const Cordon__Hello *h,
		    uint32_t pipe_id, uint64_t now_ms, uint64_t live_ms)
{
	const struct ctl_dp *dp = ctl_registry_find(reg, h->dataplane_id);

	if (dp == NULL || dp->pipe_id == 0 || dp->pipe_id == pipe_id ||
	    ctl_registry_boot(dp->hello) == ctl_registry_boot(h))
		return NULL;
	/* A clock stepped back counts as heard now. */
	if (now_ms >= dp->heard_unix_ms && now_ms - dp->heard_unix_ms >= live_ms)
		return NULL;
	return dp;
}

int
ctl_registry_report(struct ctl_registry *reg, Cordon__StatsReport *r,
		    uint32_t pipe_id, uint64_t now_ms)
{
	struct ctl_dp *dp = ctl_registry_find(reg, r->dataplane_id);

	if (dp == NULL || dp->pipe_id == 0 || dp->pipe_id != pipe_id)
		return -ENOENT;
	if (dp->report != NULL)
		cordon__stats_report__free_unpacked(dp->report, NULL);
	dp->report = r;
	dp->last_report_unix_ms = now_ms;
	dp->heard_unix_ms = now_ms;
	return 0;
}

int
ctl_registry_poll(struct ctl_registry *reg, const Cordon__Poll *p)
{
	struct ctl_dp *dp = ctl_registry_find(reg, p->dataplane_id);

	if (dp == NULL || dp->pipe_id == 0)
		return -ENOENT;
	dp->policy_version = p->policy_version;
	dp->rejected_version = p->rejected_version;
	snprintf(dp->rejected_reason, sizeof(dp->rejected_reason), "%s",
		 p->rejected_reason);
	return 0;
}

struct ctl_dp *
ctl_registry_by_pipe(struct ctl_registry *reg, uint32_t pipe_id)
{
	for (size_t i = 0; i < reg->n && pipe_id != 0; i++)
		if (reg->dps[i].pipe_id == pipe_id)
			return &reg->dps[i];
	return NULL;
}

struct ctl_dp *
ctl_registry_pipe_closed(struct ctl_registry *reg, uint32_t pipe_id,
			 uint64_t now_ms)
{
	struct ctl_dp *dp = ctl_registry_by_pipe(reg, pipe_id);

	if (dp != NULL) {
		dp->pipe_id = 0;
		dp->disconnected_unix_ms = now_ms;
	}
	return dp;
}

size_t
ctl_registry_forget(struct ctl_registry *reg, uint64_t before_ms,
		    char (*ids)[CTL_DP_ID_MAX + 1], size_t max)
{
	size_t n = 0, keep = 0;

	for (size_t i = 0; i < reg->n; i++) {
		struct ctl_dp *dp = &reg->dps[i];

		if (n < max && dp->pipe_id == 0 &&
		    dp->disconnected_unix_ms != 0 &&
		    dp->disconnected_unix_ms < before_ms) {
			if (ids != NULL)
				snprintf(ids[n], sizeof(ids[n]), "%s",
					 dp->hello->dataplane_id);
			n++;
			cordon__hello__free_unpacked(dp->hello, NULL);
			if (dp->report != NULL)
				cordon__stats_report__free_unpacked(dp->report,
								    NULL);
			continue;
		}
		if (keep != i)
			reg->dps[keep] = *dp;
		keep++;
	}
	reg->n = keep;
	if (n > 0)
		ctl_registry_reindex(reg);
	return n;
}
