/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* cordonctl flows: the live flows of a dataplane (docs/flows-relay.md). */

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ctl_table.h"

/* "10.0.0.1:443", "[2001:db8::1]:443", or the address alone for
 * protocols without ports. */
static const char *
flow_ep_str(const ProtobufCBinaryData *a, uint32_t port, uint32_t proto)
{
	static __thread char buf[2][64];
	static __thread unsigned int next;
	char *b = buf[next++ % 2], ip[INET6_ADDRSTRLEN];

	if ((a->len != 4 && a->len != 16) ||
	    inet_ntop(a->len == 4 ? AF_INET : AF_INET6, a->data, ip,
		      sizeof(ip)) == NULL)
		return "?";
	if (proto != 6 && proto != 17 && proto != 132)
		snprintf(b, 64, "%s", ip);
	else
		snprintf(b, 64, a->len == 16 ? "[%s]:%u" : "%s:%u", ip, port);
	return b;
}

static const char *
flow_proto_str(uint32_t p)
{
	static __thread char buf[12];

	switch (p) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 58: return "icmpv6";
	case 132: return "sctp";
	}
	snprintf(buf, sizeof(buf), "%u", p);
	return buf;
}

static const char *
flow_verdict_str(const Cordon__Flow *f)
{
	static __thread char buf[48];

	if (f->default_action)
		snprintf(buf, sizeof(buf), "%s default%s",
			 f->action == CORDON__ACTION__ACTION_ALLOW ? "allow" :
			 "deny", f->stale ? "*" : "");
	else
		snprintf(buf, sizeof(buf), "%s rule %u%s",
			 f->action == CORDON__ACTION__ACTION_ALLOW ? "allow" :
			 "deny", f->rule_id, f->stale ? "*" : "");
	return buf;
}

static int
cli_flows_show(const void *reply, const void *request)
{
	static const char *const head[] = {
		"PROTO", "INITIATOR", "RESPONDER", ">VLAN", "FROM-DEVICE",
		"TO-DEVICE", "STATE", "VERDICT", ">PKTS-OUT", ">BYTES-OUT",
		">PKTS-IN", ">BYTES-IN", ">AGE", ">IDLE", ">W", NULL,
	};
	const Cordon__FlowsRequest *req = request;
	const Cordon__Flows *fl = reply;
	struct ctl_table t;

	printf("%" PRIu64 " flow%s%s on %s (%" PRIu64 " active)%s\n",
	       fl->matched, fl->matched == 1 ? "" : "s",
	       req->mac.len ? " of the device" : "", fl->dataplane_id,
	       fl->active, fl->truncated ? ", the first ones listed "
	       "(--limit)" : "");
	ctl_table_init(&t, head);
	for (size_t i = 0; i < fl->n_flows; i++) {
		const Cordon__Flow *f = fl->flows[i];
		char smac[18], dmac[18], vlan[8], wk[8];

		/* ctl_fmt_*() rotate 8 buffers: more cells than that. */
		snprintf(vlan, sizeof(vlan), "%u", f->vlan);
		snprintf(wk, sizeof(wk), "%u", f->worker);
		snprintf(smac, sizeof(smac), "%s", f->src_mac.len == 6 ?
			 cli_mac_str(&f->src_mac) : "-");
		snprintf(dmac, sizeof(dmac), "%s", f->dst_mac.len == 6 ?
			 cli_mac_str(&f->dst_mac) : "-");
		const char *row[] = {
			flow_proto_str(f->ip_proto),
			flow_ep_str(&f->src_addr, f->src_port,
				    f->ip_proto),
			flow_ep_str(&f->dst_addr, f->dst_port,
				    f->ip_proto),
			vlan, smac, dmac, f->state,
			flow_verdict_str(f),
			ctl_fmt_u64(f->packets_out),
			ctl_fmt_u64(f->bytes_out),
			ctl_fmt_u64(f->packets_in),
			ctl_fmt_u64(f->bytes_in),
			ctl_fmt_duration_ms(f->age_ms),
			ctl_fmt_duration_ms(f->idle_ms), wk,
		};
		ctl_table_row(&t, row);
	}
	if (fl->n_flows > 0) {
		putchar('\n');
		ctl_table_print(stdout, &t);
	}
	ctl_table_free(&t);
	return CLI_EXIT_OK;
}

static int
cli_flows_run(struct cli *c, int argc, char **argv)
{
	const char *dev = NULL, *dp = NULL, *limit = NULL;
	const struct cli_opt opts[] = {
		{ "--device", NULL, &dev, NULL },
		{ "--dataplane", NULL, &dp, NULL },
		{ "--limit", NULL, &limit, NULL },
		{ NULL, NULL, NULL, NULL },
	};
	Cordon__FlowsRequest req = CORDON__FLOWS_REQUEST__INIT;
	uint64_t n = 1000;
	uint8_t mac[6];
	int rc;

	rc = cli_args(c, "flows", argc, argv, opts, NULL, 0);
	if (rc != CLI_EXIT_OK)
		return rc;
	rc = cli_mac_field("flows: --device", dev, mac, &req.mac);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (dp != NULL && (dp[0] == '\0' || strlen(dp) > 64))
		return cli_usage_error("flows: --dataplane: '%s' is not a "
				       "dataplane id", dp);
	req.dataplane_id = (char *)(dp != NULL ? dp : "");
	if (limit != NULL && (cli_u64(limit, &n) < 0 || n < 1 ||
			      n > 100000))
		return cli_usage_error("flows: --limit: '%s' is not a number "
				       "in 1..100000", limit);
	req.limit = (uint32_t)n;
	return cli_query(c, CORDON__MSG_TYPE__MSG_FLOWS_REQUEST, &req.base,
			 CORDON__MSG_TYPE__MSG_FLOWS_REPLY, cli_flows_show);
}

CLI_COMMAND(flows, "[--device MAC] [--dataplane ID] [--limit N] [--json]",
	"live flows of a dataplane",
	"The flows in the dataplane's tables now: protocol, initiator and\n"
	"responder address and port, VLAN, the devices on both ends, state,\n"
	"verdict (allow/deny, and the rule, or the segment default; a '*'\n"
	"marks a verdict from an older policy, checked again at the next\n"
	"packet), packets and bytes each way, age, idle time and worker.\n"
	"cordond asks the dataplane, whose workers copy their own tables.\n\n"
	"  --device MAC    flows with that device on either end\n"
	"  --dataplane ID  which dataplane (needed when several are\n"
	"                  connected)\n"
	"  --limit N       list at most N flows, 1..100000 (default 1000);\n"
	"                  the count above the table is of all that match\n"
	"  --json          machine-readable output\n\n"
	"Exit 1 when the dataplane or the device is unknown, or when the\n"
	"dataplane does not answer within 2 s; 3 when cordond does not.");
