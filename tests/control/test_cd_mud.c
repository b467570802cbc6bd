/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cd_mud.c's handlers and its report hook: MUD files bound by cordonctl
 * or from the URL a device announces, part of every version, refused
 * whole when they do not verify or compile.
 */

#include <sys/stat.h>

#include "cd_harness.h"
#include "mud_cam.h"
#include "test_main.h"

static void
mud_import(struct h *h, const char *json, Cordon__MudList **l,
	   struct wire_msg *out)
{
	Cordon__MudImport im = CORDON__MUD_IMPORT__INIT;

	im.mac.data = (uint8_t *)cam;
	im.mac.len = 6;
	im.file = (char *)json;
	im.name = (char *)"cam.json";
	im.by = (char *)"test";
	h_call(h, CD_EP_CLI, CORDON__MSG_TYPE__MSG_MUD_IMPORT, &im.base,
	       l != NULL ? CORDON__MSG_TYPE__MSG_MUD_LIST_REPLY :
	       CORDON__MSG_TYPE__MSG_ERROR, out);
	if (l != NULL)
		*l = (Cordon__MudList *)out->payload;
}

/* The rules version v has for the device. */
static size_t
mud_rules(struct h *h)
{
	const Cordon__Policy *p = h->d.policy;
	size_t n = 0;

	for (size_t i = 0; p != NULL && i < p->n_rules; i++)
		if (strncmp(p->rules[i]->comment, "mud ", 4) == 0)
			n++;
	return n;
}

static void
test_import_list_remove(void **state)
{
	Cordon__MudListRequest lr = CORDON__MUD_LIST_REQUEST__INIT;
	Cordon__MudRemove rm = CORDON__MUD_REMOVE__INIT;
	Cordon__MudList *l;
	struct wire_msg out;
	struct h *h = *state;

	/* Before any policy: bound, in force with the first. */
	mud_import(h, MUD_JSON, &l, &out);
	assert_int_equal(l->n_bindings, 1);
	assert_int_equal(l->policy_version, 0);
	assert_string_equal(l->bindings[0]->mud_url, MUD_URL);
	assert_string_equal(l->bindings[0]->source, "cli");
	assert_false(l->bindings[0]->verified);
	assert_true(l->bindings[0]->rules > 0);
	wire_msg_free(&out);
	assert_int_equal(h_apply(h, H_POLICY_YAML), 1);
	assert_true(mud_rules(h) > 0);

	/* Again: replaces it, version 2. */
	mud_import(h, MUD_JSON, &l, &out);
	assert_int_equal(l->policy_version, 2);
	wire_msg_free(&out);
	h_call(h, CD_EP_CLI, CORDON__MSG_TYPE__MSG_MUD_LIST, &lr.base,
	       CORDON__MSG_TYPE__MSG_MUD_LIST_REPLY, &out);
	l = (Cordon__MudList *)out.payload;
	assert_int_equal(l->n_bindings, 1);
	assert_memory_equal(l->bindings[0]->mac.data, cam, 6);
	assert_int_equal(l->policy_version, 2);
	wire_msg_free(&out);
	assert_int_equal(h_events(h, CTL_STORE_EV_MUD_APPLIED, NULL, 0), 2);

	rm.mac.data = (uint8_t *)cam;
	rm.mac.len = 6;
	rm.by = (char *)"test";
	assert_int_equal(h_cli_ack(h, CORDON__MSG_TYPE__MSG_MUD_REMOVE,
				   &rm.base), 3);
	assert_int_equal(mud_rules(h), 0);
	h_cli_error(h, CORDON__MSG_TYPE__MSG_MUD_REMOVE, &rm.base,
		    CORDON__ERROR_CODE__ERR_NOT_FOUND, NULL, 0);
	assert_int_equal(h->d.counters[CD_MUD_IMPORTED], 2);
}

static void
test_refused(void **state)
{
	struct wire_msg out;
	const Cordon__Error *e;
	struct h *h = *state;

	assert_int_equal(h_apply(h, H_POLICY_YAML), 1);
	mud_import(h, "{\"ietf-mud:mud\":", NULL, &out);
	e = (const Cordon__Error *)out.payload;
	assert_int_equal(e->code, CORDON__ERROR_CODE__ERR_INVALID);
	assert_non_null(strstr(e->message, "cam.json"));
	wire_msg_free(&out);
	/* Nothing stored, no new version. */
	assert_int_equal(h->d.policy->version, 1);
	assert_int_equal(h->d.counters[CD_MUD_REJECTED], 1);
	assert_int_equal(h_events(h, CTL_STORE_EV_MUD_REJECTED, NULL, 0), 1);

	/* Without --mud-accept-unsigned, an unsigned file is refused. */
	h->conf.mud_accept_unsigned = false;
	h_restart(h, H_ALL);
	mud_import(h, MUD_JSON, NULL, &out);
	e = (const Cordon__Error *)out.payload;
	assert_non_null(strstr(e->message, "unsigned"));
	wire_msg_free(&out);
	assert_int_equal(mud_rules(h), 0);
}

static void
write_mud(const struct h *h, const char *json)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/mud.example.com", h->conf.mud_dir);
	mkdir(h->conf.mud_dir, 0700);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/mud.example.com/cam.json",
		 h->conf.mud_dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(json, f);
	fclose(f);
}

/* A device announces its MUD URL: the file --mud-dir holds for it is
 * bound, once; one that is not there is refused once, evented. */
static void
test_announced(void **state)
{
	char detail[512];
	struct h *h = *state;

	assert_int_equal(h_apply(h, H_POLICY_YAML), 1);
	h_hello(h, "gw0", H_DP_PIPE, 0);
	h_report(h, "gw0", 1, cam, "https://mud.example.com/missing.json");
	h_report(h, "gw0", 2, cam, "https://mud.example.com/missing.json");
	assert_int_equal(h_events(h, CTL_STORE_EV_MUD_REJECTED, detail,
				  sizeof(detail)), 1);
	assert_non_null(strstr(detail, "missing.json"));

	write_mud(h, MUD_JSON);
	h_report(h, "gw0", 3, cam, MUD_URL);
	assert_int_equal(h->d.counters[CD_MUD_AUTO], 1);
	assert_int_equal(h->d.policy->version, 2);
	assert_true(mud_rules(h) > 0);
	assert_int_equal(h_events(h, CTL_STORE_EV_MUD_APPLIED, detail,
				  sizeof(detail)), 1);
	assert_non_null(strstr(detail, "\"source\":\"dhcp\""));
	/* Announced again: already bound, nothing new. */
	h_report(h, "gw0", 4, cam, MUD_URL);
	assert_int_equal(h->d.counters[CD_MUD_AUTO], 1);
	assert_int_equal(h->d.policy->version, 2);
	/* A file bound with cordonctl stays whatever the device says. */
	{
		Cordon__MudList *l;
		struct wire_msg out;

		mud_import(h, MUD_JSON, &l, &out);
		wire_msg_free(&out);
	}
	h_report(h, "gw0", 5, cam, "https://mud.example.com/other.json");
	assert_int_equal(h->d.counters[CD_MUD_AUTO], 1);
	assert_int_equal(h_events(h, CTL_STORE_EV_MUD_REJECTED, NULL, 0), 1);
}

TEST_MAIN(
	H_TEST(test_import_list_remove),
	H_TEST(test_refused),
	H_TEST(test_announced))
