/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Front ends' requests (cordon-console, cordonctl segment): the audit
 * trail (MSG_AUDIT) and a device's segment override (MSG_DEVICE_SEGMENT).
 * The checks and the store work are in ctl_audit.c, unit tested without
 * a daemon; this file routes them.
 */

#include <errno.h>
#include <stdint.h>

#include "cd.h"
#include "ctl_audit.h"

static Cordon__ErrorCode
cd_console_code(int rc)
{
	return rc == -EINVAL ? CORDON__ERROR_CODE__ERR_INVALID :
		CORDON__ERROR_CODE__ERR_INTERNAL;
}

static nng_msg *
cd_console_audit(struct cordond *d, struct cd_req *r)
{
	uint64_t req_id = r->msg->request_id;
	char err[256];
	uint64_t id = 0;
	int rc;

	rc = ctl_audit_append(d->state.st, cd_in(r), util_time_now_ms(), &id,
			      err, sizeof(err));
	if (rc < 0)
		return cd_error(d, req_id, cd_console_code(rc), err);
	d->counters[CD_AUDIT_EVENTS]++;
	return cd_ack(d, req_id, id);
}

static nng_msg *
cd_console_segment(struct cordond *d, struct cd_req *r)
{
	const Cordon__DeviceSegment *q = cd_in(r);
	uint64_t req_id = r->msg->request_id;
	char err[512];
	int rc;

	rc = ctl_audit_segment_check(q, d->policy, err, sizeof(err));
	if (rc < 0)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID, err);
	rc = ctl_store_segment_set(d->state.st, q->mac.data, (uint16_t)q->vlan,
				   q->segment, q->by, util_time_now_ms());
	if (rc == -ENOENT)
		return cd_error(d, req_id, CORDON__ERROR_CODE__ERR_INVALID,
				"the device has no segment override");
	return cd_recompile_reply(d, req_id, rc, q->by);
}

static const struct cd_handler cd_console_handlers[] = {
	CD_HANDLER(AUDIT, CLI, cd_console_audit),
	CD_HANDLER(DEVICE_SEGMENT, CLI, cd_console_segment),
};

CD_FEATURE(console);
