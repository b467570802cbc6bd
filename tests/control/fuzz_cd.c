/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * libFuzzer target: what cordond does with a message from a peer. Every
 * feature registered as cordond.c does, on a state directory in /tmp;
 * each input is one request handed to cd_handle() as it comes off nng:
 *   byte 0  bit 0: the endpoint (dataplanes', cordonctl's);
 *           bits 1-2: the nng pipe it came on (1..4)
 *   byte 1  the message type (the envelope is built here, so that the
 *           input is spent on the payload)
 *   rest    the payload
 * What was batched (reports) is committed after each request, as
 * cordond.c does. cordond's state carries over from input to input (a
 * Hello, then reports and polls from that dataplane), and starts afresh
 * every 2000 inputs or when every connection is parked.
 *
 * Checks: every reply decodes, echoes the request id and is an answer,
 * never a request; what is freed is freed (ASan leak check at exit).
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cd.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(why) do { \
	fprintf(stderr, "fuzz_cd: %s (line %d)\n", why, __LINE__); \
	abort(); \
} while (0)

static const struct cd_feature *const features[] = {
	&cd_dataplane_feature, &cd_reports_feature, &cd_policy_feature,
	&cd_mud_feature,
	&cd_flows_feature, &cd_status_feature, &cd_events_feature,
	&cd_prompt_feature, &cd_alerts_feature, &cd_retention_feature,
};

static struct cordond d;
static struct cd_conf conf;
static char dir[64];
static bool running;
static unsigned int inputs;

static void
rmtree(const char *path)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	if (system(cmd) != 0)
		FAIL("rm -rf");
}

static void
start(void)
{
	char err[512];

	snprintf(dir, sizeof(dir), "/tmp/cordon-fuzz-cd-XXXXXX");
	if (mkdtemp(dir) == NULL)
		FAIL("mkdtemp");
	memset(&conf, 0, sizeof(conf));
	snprintf(conf.rundir, sizeof(conf.rundir), "%s", dir);
	snprintf(conf.statedir, sizeof(conf.statedir), "%s/state", dir);
	snprintf(conf.mud_dir, sizeof(conf.mud_dir), "%s/mud", dir);
	conf.inventory_refresh_s = 60;
	conf.prompt_timeout_s = 300;
	conf.prompt_max_per_device = 8;
	conf.mud_accept_unsigned = true;
	if (cd_init(&d, &conf, err, sizeof(err)) < 0) {
		fprintf(stderr, "cd_init: %s\n", err);
		abort();
	}
	for (size_t i = 0; i < sizeof(features) / sizeof(features[0]); i++)
		if (cd_register(&d, features[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "register: %s\n", err);
			abort();
		}
	/* The pipes the inputs come on are connected. */
	for (uint32_t p = 1; p <= 4; p++)
		cd_pipe(&d, p, true);
	running = true;
	inputs = 0;
}

static void
stop(void)
{
	cd_fini(&d);
	memset(&d, 0, sizeof(d));
	rmtree(dir);
	running = false;
}

static void
check_reply(nng_msg *m, uint64_t req_id, bool envelope_ok)
{
	struct wire_msg msg;
	struct wire_err err;

	if (wire_unpack(nng_msg_body(m), nng_msg_len(m), &msg, &err) < 0) {
		fprintf(stderr, "%s\n", err.text);
		FAIL("a reply that does not decode");
	}
	if (envelope_ok && msg.request_id != req_id)
		FAIL("a reply to another request");
	switch (msg.type) {
	case CORDON__MSG_TYPE__MSG_HELLO:
	case CORDON__MSG_TYPE__MSG_POLL:
	case CORDON__MSG_TYPE__MSG_STATS_REPORT:
	case CORDON__MSG_TYPE__MSG_POLICY_APPLY:
		FAIL("a request sent as a reply");
	default:
		break;
	}
	wire_msg_free(&msg);
	nng_msg_free(m);
}

/* Commit what was batched; replies to parked requests are checked. */
static void
flush(void)
{
	struct cd_wake w;
	int more;

	do {
		more = cd_flush(&d, &w);
		for (size_t i = 0; i < w.n; i++)
			if (w.msg[i] != NULL)
				check_reply(w.msg[i], w.conn[i]->req_id, false);
	} while (more);
}

/* The last state directory goes too. */
static void
at_exit(void)
{
	if (running)
		stop();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t req_id;
	enum cd_ep ep;
	struct cd_conn *conn = NULL;
	nng_pipe pipe;
	nng_msg *in, *rep;
	uint8_t *buf;
	size_t len;
	bool parked = false;

	if (size < 2)
		return 0;
	if (req_id == 0)
		atexit(at_exit);
	if (!running)
		start();
	ep = data[0] & 1 ? CD_EP_CLI : CD_EP_DATAPLANE;
	pipe.id = 1 + ((data[0] >> 1) & 3);
	if (wire_pack_raw((Cordon__MsgType)data[1], ++req_id, data + 2,
			  size - 2, &buf, &len) < 0)
		return 0;
	for (size_t i = 0; i < CD_CONNS && conn == NULL; i++)
		if (!d.conns[ep][i].parked)
			conn = &d.conns[ep][i];
	if (conn == NULL) {
		/* Every one holds a long poll: start afresh. */
		stop();
		start();
		conn = &d.conns[ep][0];
	}
	if (nng_msg_alloc(&in, 0) != 0 || nng_msg_append(in, buf, len) != 0)
		FAIL("nng_msg");
	free(buf);
	nng_msg_set_pipe(in, pipe);
	rep = cd_handle(&d, conn, in, &parked);
	nng_msg_free(in);
	if (parked && rep != NULL)
		FAIL("parked and answered");
	if (rep != NULL)
		check_reply(rep, req_id, true);
	flush();
	if (++inputs >= 2000)
		stop();
	return 0;
}
