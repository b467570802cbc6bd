/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cd_prompt.c's prompt ids: never given twice, across cordond's restarts
 * and a store restored from a backup. An operator answers by id (the
 * console, `cordonctl requests answer ID`): an answer read from a list
 * before a restart must not answer another question after it.
 */

#include <inttypes.h>
#include <time.h>
#include <unistd.h>

#include "cd_harness.h"
#include "test_main.h"

/* gw0 asks for one flow of the camera to port; the prompt's id. */
static uint64_t
ask(struct h *h, uint32_t port)
{
	static const uint8_t camera[6] = { 2, 0, 0, 0, 0, 0x0c };
	static const uint8_t src[4] = { 192, 168, 1, 12 };
	static const uint8_t dst[4] = { 203, 0, 113, 7 };
	Cordon__AskReport rep = CORDON__ASK_REPORT__INIT;
	Cordon__AskFlow f = CORDON__ASK_FLOW__INIT;
	Cordon__AskFlow *fp = &f;
	const Cordon__Prompts *ps;
	Cordon__PromptsRequest req = CORDON__PROMPTS_REQUEST__INIT;
	struct wire_msg out;
	uint64_t id = 0;

	f.mac.data = (uint8_t *)camera;
	f.mac.len = 6;
	f.src_ip.data = (uint8_t *)src;
	f.src_ip.len = 4;
	f.dst_ip.data = (uint8_t *)dst;
	f.dst_ip.len = 4;
	f.src_port = 40000;
	f.dst_port = port;
	f.ip_proto = 6;
	f.token.data = (uint8_t *)"tok";
	f.token.len = 3;
	f.dst_name = (char *)"api.example.com";
	rep.dataplane_id = (char *)"gw0";
	rep.n_flows = 1;
	rep.flows = &fp;
	h_call(h, CD_EP_DATAPLANE, CORDON__MSG_TYPE__MSG_ASK_REPORT, &rep.base,
	       CORDON__MSG_TYPE__MSG_ACK, &out);
	wire_msg_free(&out);
	ps = h_cli(h, CORDON__MSG_TYPE__MSG_PROMPTS_REQUEST, &req.base,
		   CORDON__MSG_TYPE__MSG_PROMPTS, &out);
	for (size_t i = 0; i < ps->n_prompts; i++)
		if (ps->prompts[i]->flow != NULL &&
		    ps->prompts[i]->flow->dst_port == port)
			id = ps->prompts[i]->id;
	wire_msg_free(&out);
	assert_int_not_equal(id, 0);
	return id;
}

static void
test_ids_across_restarts(void **state)
{
	struct h *h = *state;
	uint64_t first, second, third;
	char path[256], msg[1024], err[256];

	h_up(h);
	first = ask(h, 443);
	assert_int_equal(ask(h, 8443), first + 1);
	/* Restarted: the next prompt is not prompt 1 again. */
	h_restart(h, H_ALL);
	h_hello(h, "gw0", H_DP_PIPE, 1);
	second = ask(h, 443);
	print_message("prompts %" PRIu64 ", then %" PRIu64 " after a restart\n",
		      first, second);
	assert_true(second > first + 1);
	/* Restored from a backup taken before the last ones: above them
	 * still. */
	snprintf(path, sizeof(path), "%s/b.db", h->dir);
	assert_int_equal(ctl_state_backup(&h->d.state, path, 1, NULL, 0, err,
					  sizeof(err)), 0);
	for (uint32_t p = 1; p <= 5; p++)
		ask(h, 9000 + p);
	third = ask(h, 9999);
	cd_fini(&h->d);
	assert_int_equal(ctl_state_restore(h->dir, path, 0, 5000, msg,
					   sizeof(msg), err, sizeof(err)), 0);
	h_open_conf(h, H_ALL);
	h_hello(h, "gw0", H_DP_PIPE, 1);
	assert_true(ask(h, 443) > third);
}

TEST_MAIN(
	H_TEST(test_ids_across_restarts))
