/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The YAML policy compiler. Arguments: the source root (for examples/ and
 * tests/data/policy-yaml/). Invalid fixtures carry their expected message
 * on their second line: "# expect: LINE:COL: message".
 */

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"
#include "ctl_compile.h"
#include "ctl_policy_yaml.h"
#include "policy_validate.h"
#include "test_main.h"
#include "util_file.h"

#include "cli_cases.h"
#include "pol_example.h"


/* A whole file, NUL-terminated; NULL if it cannot be read. */
static char *
read_text(const char *path)
{
	char err[512], *buf = NULL;
	size_t len;

	if (util_file_read(path, CTL_POL_FILE_MAX, &buf, &len, err,
			  sizeof(err)) < 0)
		return NULL;
	return buf;
}

static int
compile_str(const char *text, const struct ctl_pol_inventory *inv,
		Cordon__Policy **out, char *err, size_t errlen)
{
	return ctl_pol_compile_buf(text, strlen(text), "t.yaml", inv, out,
		err, errlen);
}

static void
test_examples(void **state)
{
	static const char *const ex[] = { "home", "enterprise", "isp-cpe" };
	char verr[256];
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		Cordon__Policy *p = pol_example(ex[i], NULL);

		assert_true(p->n_segments >= 4);
		assert_true(p->n_rules >= 9);
		assert_int_equal(policy_validate(p, verr, sizeof(verr)), 0);
		ctl_cmp_policy_free(p);
	}
}

/* Calls @fn on each .yaml of tests/data/policy-yaml/@kind; how many. */
static int
each_fixture(const char *kind, void (*fn)(const char *path,
					  const char *name))
{
	char dir[4096], path[8192];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/tests/data/policy-yaml/%s",
		test_src_root, kind);
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		if (!strstr(de->d_name, ".yaml"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		fn(path, de->d_name);
		n++;
	}
	closedir(d);
	return n;
}

static void
valid_one(const char *path, const char *name)
{
	Cordon__Policy *p = NULL;
	char err[1024];

	(void)name;
	if (ctl_pol_compile_file(path, NULL, &p, err, sizeof(err)))
		fail_msg("%s", err);
	ctl_cmp_policy_free(p);
}

static void
test_valid_fixtures(void **state)
{
	int n;

	(void)state;
	n = each_fixture("valid", valid_one);
	assert_true(n >= 2);
	printf("valid fixtures: %d compiled\n", n);
}

static void
invalid_one(const char *path, const char *name)
{
	char err[1024], want[16384];
	Cordon__Policy *p = NULL;
	char *text, *e, *nl;

	text = read_text(path);
	assert_non_null(text);
	e = strstr(text, "\n# expect: ");
	if (!e)
		fail_msg("%s: no '# expect:' line", path);
	e += strlen("\n# expect: ");
	nl = strchr(e, '\n');
	if (nl)
		*nl = '\0';
	/* "file:L:C: msg", or "file: msg" for whole-file errors */
	snprintf(want, sizeof(want), "%s:%s%s", path,
		(e[0] >= '0' && e[0] <= '9') ? "" : " ", e);
	if (ctl_pol_compile_file(path, NULL, &p, err, sizeof(err)) !=
			-EINVAL)
		fail_msg("%s: compiled but must fail with %s", path, e);
	assert_null(p);
	if (strcmp(err, want))
		fail_msg("%s:\n got  %s\n want %s", name, err, want);
	free(text);
}

static void
test_invalid_fixtures(void **state)
{
	int n;

	(void)state;
	n = each_fixture("invalid", invalid_one);
	printf("invalid fixtures: %d rejected with the expected message\n",
		n);
	assert_true(n >= 30);
}

static const char base[] =
	"segments:\n"
	"  - name: lan\n"
	"    default: allow\n"
	"  - name: iot\n"
	"  - name: cams\n"
	"  - name: hue\n"
	"  - name: oui-long\n"
	"  - name: mud\n"
	"  - name: q\n"
	"default-segment: lan\n"
	"quarantine-segment: q\n";

/* The segment policy p gives mac, 0 when none. */
static uint32_t
segment_of(const Cordon__Policy *p, const uint8_t *mac)
{
	for (size_t i = 0; i < p->n_devices; i++)
		if (!memcmp(p->devices[i]->mac.data, mac, 6))
			return p->devices[i]->segment;
	return 0;
}

/* A type selector takes a device only at the confidence the policy
 * states (70% unless it says otherwise); the device it holds back goes to
 * another selector or the default segment, with a note that says why. */
static void
test_type_confidence(void **state)
{
	static const struct ctl_pol_inv_device devs[] = {
		/* 0: confident camera */
		{ { 0x02, 0, 0, 0, 0, 1 }, 0, "Acme", "camera", 70, NULL,
			"a" },
		/* 1: a guess: held back, default segment */
		{ { 0x02, 0, 0, 0, 0, 2 }, 0, "Acme", "camera", 69, NULL,
			"b" },
		/* 2: a guess, but its vendor has an assignment */
		{ { 0x02, 0, 0, 0, 0, 3 }, 0, "Philips", "camera", 30, NULL,
			"c" },
		/* 3: plug at 50: its selector asks for 40 only */
		{ { 0x02, 0, 0, 0, 0, 4 }, 0, "Acme", "plug", 50, NULL,
			"d" },
		/* 4: no type */
		{ { 0x02, 0, 0, 0, 0, 5 }, 0, "Acme", NULL, 0, NULL, "e" },
	};
	char *notes[5] = { NULL };
	const struct ctl_pol_inventory inv = { devs, 5, notes };
	static const uint32_t want_seg[] = { 3, 0, 4, 2, 0 };
	char text[4096], err[1024];
	Cordon__Policy *p = NULL;

	(void)state;
	snprintf(text, sizeof(text), "%s%s", base,
		"devices:\n"
		"  - type: camera\n"
		"    segment: cams\n"
		"  - type: plug\n"
		"    confidence: 40\n"
		"    segment: iot\n"
		"  - vendor: philips\n"
		"    segment: hue\n");
	if (compile_str(text, &inv, &p, err, sizeof(err)))
		fail_msg("%s", err);
	for (size_t i = 0; i < 5; i++)
		if (segment_of(p, devs[i].mac) != want_seg[i])
			fail_msg("device %zu: segment %u, want %u", i,
				 segment_of(p, devs[i].mac), want_seg[i]);
	assert_null(notes[0]);
	assert_non_null(notes[1]);
	assert_string_equal(notes[1], "type camera at 69%, below the 70% that "
			    "\"type: camera\" (line 13) asks: default "
			    "segment lan");
	assert_non_null(notes[2]);
	assert_string_equal(notes[2], "type camera at 30%, below the 70% that "
			    "\"type: camera\" (line 13) asks: segment hue by "
			    "its vendor");
	assert_null(notes[3]);
	assert_null(notes[4]);
	ctl_cmp_policy_free(p);
	for (size_t i = 0; i < 5; i++) {
		free(notes[i]);
		notes[i] = NULL;
	}

	/* The policy's own threshold: 30% is enough for every camera. */
	p = NULL;
	snprintf(text, sizeof(text), "%stype-confidence: 30\n%s", base,
		"devices:\n"
		"  - type: camera\n"
		"    segment: cams\n");
	if (compile_str(text, &inv, &p, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(segment_of(p, devs[1].mac), 3);
	assert_int_equal(segment_of(p, devs[2].mac), 3);
	for (size_t i = 0; i < 5; i++)
		assert_null(notes[i]);
	ctl_cmp_policy_free(p);
}

/* detection: per detector and segment, into DetectActions. */
static void
test_detection(void **state)
{
	static const char text[] =
		"segments:\n"
		"  - name: lan\n"
		"    detection: {\"*\": alert, scan_vertical: default}\n"
		"  - name: q\n"
		"default-segment: lan\n"
		"quarantine-segment: q\n"
		"detection:\n"
		"  bruteforce: quarantine\n"
		"  envelope: ask\n";
	Cordon__Policy *p = NULL;
	char err[512];

	(void)state;
	assert_int_equal(compile_str(text, NULL, &p, err, sizeof(err)), 0);
	assert_int_equal(p->n_detect, 2);
	assert_string_equal(p->detect[0]->detector, "bruteforce");
	assert_int_equal(p->detect[0]->mode,
			 CORDON__DETECT_MODE__DETECT_QUARANTINE);
	assert_int_equal(p->detect[1]->mode, CORDON__DETECT_MODE__DETECT_ASK);
	assert_int_equal(p->segments[0]->n_detect, 2);
	assert_string_equal(p->segments[0]->detect[0]->detector, "*");
	assert_int_equal(p->segments[0]->detect[0]->mode,
			 CORDON__DETECT_MODE__DETECT_ALERT);
	assert_int_equal(p->segments[0]->detect[1]->mode,
			 CORDON__DETECT_MODE__DETECT_DEFAULT);
	assert_int_equal(p->segments[1]->n_detect, 0);
	assert_int_equal(policy_validate(p, err, sizeof(err)), 0);
	/* What the dataplane would refuse, whoever compiled it. */
	free(p->detect[1]->detector);
	p->detect[1]->detector = strdup("bruteforce");
	assert_int_equal(policy_validate(p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "given twice"));
	free(p->detect[1]->detector);
	p->detect[1]->detector = strdup("nope");
	assert_int_equal(policy_validate(p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "no detector named"));
	cordon__policy__free_unpacked(p, NULL);
}

/* Precedence: exact mac > mud-url > type > vendor > oui. */
static void
test_inventory_precedence(void **state)
{
	static const struct ctl_pol_inv_device devs[] = {
		/* 0: matched by oui, vendor, type, mud-url and exact mac */
		{ { 0x00, 0x17, 0x88, 0, 0, 1 }, 0, "Philips", "camera", 90,
			"https://hue.example/bridge", "a" },
		/* 1: oui, vendor, type */
		{ { 0x00, 0x17, 0x88, 0, 0, 2 }, 0, "philips", "Camera", 90,
			NULL, "b" },
		/* 2: oui and vendor */
		{ { 0x00, 0x17, 0x88, 0, 0, 3 }, 0, "Philips", "bulb", 90,
			NULL, "c" },
		/* 3: oui only; the longer prefix wins */
		{ { 0x00, 0x17, 0x88, 0x10, 0, 4 }, 0, NULL, NULL, 90, NULL,
			"d" },
		/* 4: nothing: no assignment */
		{ { 0x02, 0, 0, 0, 0, 5 }, 0, "Acme", "toaster", 90, NULL,
			"e" },
		/* 5: mud-url beats type */
		{ { 0x02, 0, 0, 0, 0, 6 }, 0, NULL, "camera", 90,
			"https://hue.example/bridge", "f" },
	};
	const struct ctl_pol_inventory inv = { devs, 6, NULL };
	static const uint32_t want_seg[] = { 1, 3, 4, 5, 0, 6 };
	char text[4096], err[1024];
	Cordon__Policy *p = NULL;
	size_t i, j;

	(void)state;
	snprintf(text, sizeof(text), "%s%s", base,
		"devices:\n"
		"  - oui: 00:17:88\n"
		"    segment: iot\n"
		"  - mac-prefix: 00:17:88:10:00:00/32\n"
		"    segment: oui-long\n"
		"  - vendor: PHILIPS\n"
		"    segment: hue\n"
		"  - type: camera\n"
		"    segment: cams\n"
		"  - type: camera\n"
		"    segment: iot\n"
		"  - mud-url: https://hue.example/bridge\n"
		"    segment: mud\n"
		"  - mac: 00:17:88:00:00:01\n"
		"    segment: lan\n");
	if (compile_str(text, &inv, &p, err, sizeof(err)))
		fail_msg("%s", err);
	/* 5 devices assigned, the exact MAC one first. */
	assert_int_equal(p->n_devices, 5);
	for (i = 0; i < 6; i++) {
		uint32_t seg = 0;

		for (j = 0; j < p->n_devices; j++)
			if (!memcmp(p->devices[j]->mac.data, devs[i].mac, 6)) {
				assert_int_equal(seg, 0);
				seg = p->devices[j]->segment;
			}
		if (seg != want_seg[i])
			fail_msg("device %zu: segment %u, want %u", i, seg,
				want_seg[i]);
	}
	ctl_cmp_policy_free(p);

	/* Without an inventory only exact MACs are assigned. */
	p = NULL;
	assert_int_equal(compile_str(text, NULL, &p, err, sizeof(err)), 0);
	assert_int_equal(p->n_devices, 1);
	assert_int_equal(p->devices[0]->segment, 1);
	ctl_cmp_policy_free(p);
}

static void
test_rule_fields(void **state)
{
	char text[4096], err[1024];
	Cordon__Policy *p = NULL;
	const Cordon__Rule *r;

	(void)state;
	snprintf(text, sizeof(text), "%s%s", base,
		"local-networks: [10.0.0.0/8]\n"
		"devices:\n"
		"  - {mac: 'aa:bb:cc:dd:ee:ff', segment: iot, name: cam}\n"
		"rules:\n"
		"  - from: segment:iot\n"
		"    to: dns:*.example.com\n"
		"    proto: tcp\n"
		"    ports: [443, 8000-8010]\n"
		"    action: allow\n"
		"    initiator: dst\n"
		"    priority: 7\n"
		"    comment: hi\n"
		"  - {from: device:cam, to: 'fd00::/8', proto: 58, "
		"action: deny, initiator: either}\n"
		"  - {from: local, to: internet, action: allow}\n");
	if (compile_str(text, NULL, &p, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(p->n_rules, 3);
	assert_int_equal(p->n_local_networks, 1);
	assert_int_equal(p->local_networks[0]->prefix_len, 8);
	r = p->rules[0];
	assert_int_equal(r->id, 1);
	assert_int_equal(r->priority, 7);
	assert_int_equal(r->src->kind_case, CORDON__ENDPOINT__KIND_SEGMENT);
	assert_int_equal(r->src->segment, 2);
	assert_int_equal(r->dst->kind_case, CORDON__ENDPOINT__KIND_DNS_NAME);
	assert_string_equal(r->dst->dns_name, "*.example.com");
	assert_int_equal(r->ip_proto, 6);
	assert_int_equal(r->n_dst_ports, 2);
	assert_int_equal(r->dst_ports[0]->lo, 443);
	assert_int_equal(r->dst_ports[0]->hi, 443);
	assert_int_equal(r->dst_ports[1]->lo, 8000);
	assert_int_equal(r->dst_ports[1]->hi, 8010);
	assert_int_equal(r->action, CORDON__ACTION__ACTION_ALLOW);
	assert_int_equal(r->initiator, CORDON__INITIATOR__INITIATOR_DST);
	assert_string_equal(r->comment, "hi");
	r = p->rules[1];
	assert_int_equal(r->id, 2);
	assert_int_equal(r->priority, 100);
	assert_int_equal(r->src->kind_case, CORDON__ENDPOINT__KIND_DEVICE);
	assert_memory_equal(r->src->device.data,
		"\xaa\xbb\xcc\xdd\xee\xff", 6);
	assert_int_equal(r->dst->kind_case, CORDON__ENDPOINT__KIND_CIDR);
	assert_int_equal(r->dst->cidr->addr.len, 16);
	assert_int_equal(r->dst->cidr->prefix_len, 8);
	assert_int_equal(r->ip_proto, 58);
	assert_int_equal(r->action, CORDON__ACTION__ACTION_DENY);
	assert_int_equal(r->initiator, CORDON__INITIATOR__INITIATOR_EITHER);
	r = p->rules[2];
	assert_int_equal(r->src->kind_case, CORDON__ENDPOINT__KIND_LOCAL);
	assert_int_equal(r->dst->kind_case, CORDON__ENDPOINT__KIND_INTERNET);
	assert_int_equal(r->ip_proto, 0);
	assert_int_equal(r->n_dst_ports, 0);
	ctl_cmp_policy_free(p);
}

static void
test_parsers(void **state)
{
	struct ctl_cidr c;

	(void)state;
	assert_int_equal(ctl_cmp_parse_cidr("10.0.0.0/8", 0, &c), 0);
	assert_int_equal(c.family, 4);
	assert_int_equal(c.plen, 8);
	assert_int_equal(ctl_cmp_parse_cidr("10.0.0.1/8", 0, &c), -EINVAL);
	assert_int_equal(ctl_cmp_parse_cidr("10.0.0.1/8", 1, &c), 0);
	assert_int_equal(c.addr[3], 0);
	assert_int_equal(ctl_cmp_parse_cidr("10.0.0.0/33", 0, &c), -EINVAL);
	assert_int_equal(ctl_cmp_parse_cidr("10.0.0.0/", 0, &c), -EINVAL);
	assert_int_equal(ctl_cmp_parse_cidr("10.0.0.0/+8", 0, &c), -EINVAL);
	assert_int_equal(ctl_cmp_parse_cidr("::1", 0, &c), 0);
	assert_int_equal(c.plen, 128);
	assert_int_equal(ctl_cmp_parse_cidr("fd00::/129", 0, &c), -EINVAL);
	assert_int_equal(ctl_cmp_parse_cidr("host.example", 0, &c), -EINVAL);
}

/* Never crash on garbage: random bytes and mutations of the examples. */
static void
test_fuzz(void **state)
{
	char path[4096], err[1024];
	uint32_t seed = 12345;
	char *orig;
	size_t len, i;
	int k, ok = 0, bad = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/examples/enterprise.yaml", test_src_root);
	orig = read_text(path);
	assert_non_null(orig);
	len = strlen(orig);
	for (k = 0; k < 400; k++) {
		char *m = malloc(len + 1);
		Cordon__Policy *p = NULL;
		int r;

		memcpy(m, orig, len + 1);
		for (i = 0; i < 1 + (size_t)(k % 4); i++) {
			seed = seed * 1103515245u + 12345u;
			m[(seed >> 8) % len] = (char)(" :-[]{}#'\"\n\tax09/*&!|>"
				[(seed >> 20) % 23]);
		}
		r = ctl_pol_compile_buf(m, k % 7 ? len : (seed % len), "fuzz",
			NULL, &p, err, sizeof(err));
		if (r == 0) {
			ok++;
			ctl_cmp_policy_free(p);
		} else {
			assert_int_equal(r, -EINVAL);
			assert_true(strncmp(err, "fuzz", 4) == 0);
			bad++;
		}
		free(m);
	}
	free(orig);
	printf("yaml mutations: %d still valid, %d rejected\n", ok, bad);
	assert_true(bad > 100);
}

static void
test_cli(void **state)
{
	struct cli cli = { .timeout_ms = 1000 };
	char path[4096], bad[4096];
	const struct cli_case cases[] = {
		{ 0, { "check", path } },
		{ 0, { "check", path, "--json" } },
		{ 1, { "check", bad } },
		{ 1, { "check", "/nonexistent/p.yaml" } },
		{ 0, { "check", "--help" } },
		{ 2, { "check" } },
		{ 2, { "check", path, "--frobnicate" } },
		{ 2, { "check", path, path } },
	};

	(void)state;
	snprintf(path, sizeof(path), "%s/examples/home.yaml", test_src_root);
	snprintf(bad, sizeof(bad), "%s/tests/data/policy-yaml/invalid/"
		"unknown-rule-key.yaml", test_src_root);
	CLI_CASES_RUN(&cli, cli_find(&cli_policy_cmd, "check"), cases);
}

TEST_MAIN(
	cmocka_unit_test(test_parsers),
	cmocka_unit_test(test_examples),
	cmocka_unit_test(test_valid_fixtures),
	cmocka_unit_test(test_invalid_fixtures),
	cmocka_unit_test(test_inventory_precedence),
	cmocka_unit_test(test_type_confidence),
	cmocka_unit_test(test_rule_fields),
	cmocka_unit_test(test_detection),
	cmocka_unit_test(test_fuzz),
	cmocka_unit_test(test_cli))
