/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* cordonctl segment: put a device in a segment, whatever the YAML says. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"

static int
cli_segment_run(struct cli *c, int argc, char **argv)
{
	Cordon__DeviceSegment ds = CORDON__DEVICE_SEGMENT__INIT;
	const char *vlan_s = NULL;
	bool clear = false;
	const struct cli_opt opts[] = {
		{ "--vlan", NULL, &vlan_s, NULL },
		{ "--clear", NULL, NULL, &clear },
		{ NULL, NULL, NULL, NULL },
	};
	char *pos[2] = { NULL, NULL };
	uint64_t vlan = 0;
	uint8_t mac[6];
	int rc;

	rc = cli_args(c, "segment", argc, argv, opts, pos, 2);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (pos[0] == NULL)
		return cli_usage_error("segment: MAC missing");
	rc = cli_mac("segment", pos[0], mac);
	if (rc != CLI_EXIT_OK)
		return rc;
	if (clear == (pos[1] != NULL))
		return cli_usage_error("segment: give SEGMENT or --clear");
	if (vlan_s != NULL && (cli_u64(vlan_s, &vlan) < 0 || vlan > 4095))
		return cli_usage_error("segment: --vlan takes 0..4095");
	ds.mac.data = mac;
	ds.mac.len = 6;
	ds.vlan = (uint32_t)vlan;
	ds.segment = clear ? (char *)"" : pos[1];
	ds.by = (char *)"cordonctl";
	return cli_change(c, CORDON__MSG_TYPE__MSG_DEVICE_SEGMENT, &ds.base,
			  pos[0]);
}

CLI_COMMAND(segment, "MAC SEGMENT|--clear [--vlan N]",
	"put a device in a segment",
	"Put the device in SEGMENT of the policy in force, whatever the\n"
	"YAML assigns (not the quarantine segment: use quarantine). A new\n"
	"policy version is made at once, and every later version keeps it\n"
	"until --clear, which gives the device back to the YAML's\n"
	"assignment. Exit 1 when the policy has no such segment.");
