/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordonctl envelope relearn: forget a device's behaviour envelope and
 * learn it again (after a firmware update, a new use of the device...).
 * The stored envelope is deleted at once; each dataplane restarts
 * learning when it next polls cordond (within seconds).
 */

#include <stdio.h>

#include <jansson.h>

#include "cli.h"
#include "ctl_pbjson.h"

static int
cli_envelope_relearn(struct cli *c, int argc, char **argv)
{
	Cordon__Relearn q = CORDON__RELEARN__INIT;
	const Cordon__Relearn *r;
	struct wire_msg reply;
	char *mac_s = NULL;
	uint8_t mac[6];
	int rc;

	rc = cli_mac_arg(c, "envelope relearn", argc, argv, NULL, &mac_s, mac,
			 &q.mac);
	if (rc != CLI_EXIT_OK)
		return rc;
	q.by = (char *)"cordonctl";
	rc = cli_call(c, CORDON__MSG_TYPE__MSG_RELEARN, &q.base,
		      CORDON__MSG_TYPE__MSG_RELEARN, &reply);
	if (rc != CLI_EXIT_OK)
		return rc;
	r = (const Cordon__Relearn *)reply.payload;
	if (c->json)
		cli_json_out(ctl_pbjson(&r->base), JSON_INDENT(2));
	else
		printf("%s: %s; %u dataplane%s will learn it again from %s "
		       "next poll\n", mac_s, r->forgotten ?
		       "stored envelope deleted" : "no envelope was stored",
		       r->dataplanes, r->dataplanes == 1 ? "" : "s",
		       r->dataplanes == 1 ? "its" : "their");
	wire_msg_free(&reply);
	return CLI_EXIT_OK;
}

static const struct cli_cmd cli_envelope_subs[] = {
	{ "relearn", "MAC [--json]", "forget a device's envelope, learn again",
	"Delete the device's stored behaviour envelope and make every\n"
	"dataplane cordond knows learn it again from its next poll (within\n"
	"seconds), for the learning window (cordon-dataplane --detect-learn). Until then\n"
	"nothing is judged against an envelope for it.", .run =
	cli_envelope_relearn },
	{ .name = NULL },
};

CLI_GROUP(envelope, "behaviour envelopes: relearn",
	"A device's behaviour envelope is what it did during its learning\n"
	"window; `cordonctl device MAC` shows it. Exit codes: 0 success,\n"
	"1 refused or failed, 2 usage, 3 cordond unreachable.");
