/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordonctl capture: packets from the dataplane's own capture (relayed by
 * cordond, dataplane/dp_cap.h) into a pcapng file.
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "util_err.h"
#include "util_file.h"

static int
cli_capture_run(struct cli *c, int argc, char **argv)
{
	const char *dp = NULL, *mac_s = NULL, *port_s = NULL, *filter = NULL;
	const char *count_s = NULL, *secs_s = NULL, *out = NULL;
	const struct cli_opt opts[] = {
		{ "--dataplane", NULL, &dp, NULL },
		{ "--device", NULL, &mac_s, NULL },
		{ "--port", NULL, &port_s, NULL },
		{ "--filter", NULL, &filter, NULL },
		{ "--count", "-c", &count_s, NULL },
		{ "--seconds", NULL, &secs_s, NULL },
		{ "--write", "-w", &out, NULL },
		{ NULL, NULL, NULL, NULL },
	};
	Cordon__CaptureRequest req = CORDON__CAPTURE_REQUEST__INIT;
	const Cordon__Capture *cap;
	struct wire_msg reply;
	uint64_t v = 0;
	uint8_t mac[6];
	char err[256];
	int rc;

	rc = cli_args(c, "capture", argc, argv, opts, NULL, 0);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (out == NULL)
		return cli_usage_error("capture: -w FILE.pcapng is needed");
	if (count_s == NULL && secs_s == NULL)
		return cli_usage_error("capture: --count N or --seconds S");
	if (mac_s != NULL && cli_mac("capture: --device", mac_s, mac) !=
	    CLI_EXIT_OK)
		return CLI_EXIT_USAGE;
	if (count_s != NULL && (cli_u64(count_s, &v) < 0 || v < 1 ||
				v > 100000))
		return cli_usage_error("capture: --count takes 1..100000");
	req.count = (uint32_t)v;
	if (secs_s != NULL && (cli_u64(secs_s, &v) < 0 || v < 1 || v > 60))
		return cli_usage_error("capture: --seconds takes 1..60");
	req.seconds = secs_s != NULL ? (uint32_t)v : 0;
	if (port_s != NULL && (cli_u64(port_s, &v) < 0 || v > 255))
		return cli_usage_error("capture: --port takes a port index");
	req.has_port = port_s != NULL;
	req.port = (uint32_t)v;
	req.dataplane_id = (char *)(dp != NULL ? dp : "");
	req.filter = (char *)(filter != NULL ? filter : "");
	if (mac_s != NULL) {
		req.mac.data = mac;
		req.mac.len = 6;
	}
	/* cordond answers once the capture is over (10 s unless --seconds). */
	if (c->timeout_ms < ((req.seconds ? req.seconds : 10) + 10) * 1000)
		c->timeout_ms = ((req.seconds ? req.seconds : 10) + 10) * 1000;
	rc = cli_call(c, CORDON__MSG_TYPE__MSG_CAPTURE_REQUEST, &req.base,
		      CORDON__MSG_TYPE__MSG_CAPTURE_REPLY, &reply);
	if (rc != CLI_EXIT_OK)
		return rc;
	cap = (const Cordon__Capture *)reply.payload;
	if (util_file_write_atomic(out, cap->pcapng.data, cap->pcapng.len,
				   0600, err, sizeof(err)) < 0) {
		fprintf(stderr, "cordonctl: capture: %s\n", err);
		wire_msg_free(&reply);
		return CLI_EXIT_FAILED;
	}
	if (c->json)
		printf("{\"file\":\"%s\",\"packets\":%" PRIu64 ",\"matched\":%"
		       PRIu64 ",\"filtered\":%" PRIu64 ",\"missed\":%" PRIu64
		       ",\"truncated\":%s}\n", out, cap->packets, cap->matched,
		       cap->filtered, cap->missed,
		       cap->truncated ? "true" : "false");
	else
		printf("%s: %" PRIu64 " packets from %s in %" PRIu64 " ms "
		       "(%" PRIu64 " of the device and port, %" PRIu64
		       " refused by the filter, %" PRIu64 " missed: ring "
		       "full)%s\n", out, cap->packets, cap->dataplane_id,
		       cap->duration_ms, cap->matched, cap->filtered,
		       cap->missed, cap->truncated ?
		       "; stopped at the 16 MiB bound" : "");
	wire_msg_free(&reply);
	return CLI_EXIT_OK;
}

CLI_COMMAND(capture, "[--dataplane ID] [--device MAC] [--port N] "
	"[--filter BPF] --count N|--seconds S -w FILE",
	"capture packets in the dataplane into a pcapng file",
	"The dataplane copies the frames from or to the device (and received\n"
	"on port index N) by reference, off its fast path; the BPF filter\n"
	"(pcap-filter(7)) is compiled by libpcap. It stops after N packets\n"
	"or S seconds (1..60; 10 when only --count is given), whichever\n"
	"comes first, or at 16 MiB. Frames its capture ring could not take\n"
	"are counted as missed, never waited for. The file (pcapng, an\n"
	"interface block per port) is written with mode 0600.");
