/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* policy_file_load() and policy_validate(): no EAL needed. */

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "policy_builder.h"
#include "policy_file.h"
#include "policy_validate.h"
#include "test_main.h"

/* A small valid policy every invalid case starts from. */
static struct tp *
base(void)
{
	struct tp *t = tp_new(16, 16, 16);
	Cordon__Rule *r;

	t->pol.version = 7;
	tp_seg(t, 1, 0, 1);
	tp_seg(t, 2, 1, 1);
	tp_seg(t, 99, 0, 0);
	t->pol.default_segment = 1;
	t->pol.quarantine_segment = 99;
	tp_dev(t, "00:11:22:33:44:55", 0, 2);
	tp_local(t, "10.0.0.0/8");
	r = tp_rule(t, 12, 10, ep_seg(t, 2), ep_cidr(t, "10.1.0.0/16"), 6, 1,
		0);
	tp_ports(t, r, 80, 80);
	tp_rule(t, 13, 10, ep_any(t), ep_internet(t), 0, 1, 2);
	return t;
}

static void
test_base_valid(void **state)
{
	struct tp *t = base();
	char err[256] = "";

	(void)state;
	assert_int_equal(policy_validate(&t->pol, err, sizeof(err)), 0);
	tp_free(t);
}

/* policy_quarantined(): the list, by whole 6-byte MACs only. */
static void
test_quarantined(void **state)
{
	static const uint8_t in[6] = { 0x02, 0, 0, 0, 0, 0x09 };
	static const uint8_t out[6] = { 0x02, 0, 0, 0, 0, 0x0a };
	struct tp *t = base();

	(void)state;
	assert_false(policy_quarantined(NULL, in));
	assert_false(policy_quarantined(&t->pol, in));
	tp_quar(t, "02:00:00:00:00:0a");
	tp_quar(t, "02:00:00:00:00:09");
	assert_true(policy_quarantined(&t->pol, in));
	t->pol.quarantined[0].len = 5;	/* invalid: never a match */
	assert_false(policy_quarantined(&t->pol, out));
	tp_free(t);
}

typedef void (*mutate_fn)(struct tp *t);

static void m_dup_seg(struct tp *t) { tp_seg(t, 2, 0, 0); }
static void m_seg0(struct tp *t) { tp_seg(t, 0, 0, 0); }
static void m_seg_action(struct tp *t)
{
	t->pol.segments[0]->default_action = (Cordon__Action)5;
}
static void m_seg_l2(struct tp *t)
{
	t->pol.segments[1]->l2_action = (Cordon__Action)2;
}
static void m_no_default(struct tp *t) { t->pol.default_segment = 0; }
static void m_bad_default(struct tp *t) { t->pol.default_segment = 5; }
static void m_no_quar(struct tp *t) { t->pol.quarantine_segment = 0; }
static void m_bad_quar(struct tp *t) { t->pol.quarantine_segment = 6; }
static void m_dev_seg(struct tp *t) { t->pol.devices[0]->segment = 7; }
static void m_dev_mac(struct tp *t) { t->pol.devices[0]->mac.len = 5; }
static void m_dev_vlan(struct tp *t) { t->pol.devices[0]->vlan = 4096; }
static void m_dev_dup(struct tp *t) { tp_dev(t, "00:11:22:33:44:55", 0, 1); }
static void m_quar_mac(struct tp *t)
{
	uint8_t m[7] = { 0 };

	t->pol.quarantined[t->pol.n_quarantined++] = tp_bytes(t, m, 7);
}
static void m_local_prefix(struct tp *t) { tp_local(t, "10.0.0.0/33"); }
static void m_local_len(struct tp *t)
{
	tp_local(t, "10.0.0.0/8");
	t->pol.local_networks[1]->addr.len = 5;
}
static void m_rule_id0(struct tp *t) { t->pol.rules[1]->id = 0; }
static void m_ports_lohi(struct tp *t)
{
	t->pol.rules[0]->dst_ports[0]->lo = 90;
}
static void m_ports_hi(struct tp *t)
{
	t->pol.rules[0]->dst_ports[0]->hi = 70000;
}
static void m_ports_icmp(struct tp *t) { t->pol.rules[0]->ip_proto = 1; }
static void m_ports_icmp6(struct tp *t) { t->pol.rules[0]->ip_proto = 58; }
static void m_ports_any(struct tp *t) { t->pol.rules[0]->ip_proto = 0; }
static void m_proto(struct tp *t) { t->pol.rules[1]->ip_proto = 256; }
static void m_cidr_prefix(struct tp *t)
{
	t->pol.rules[0]->dst->cidr->prefix_len = 33;
}
static void m_cidr6_prefix(struct tp *t)
{
	t->pol.rules[0]->dst = ep_cidr(t, "fd00::/64");
	t->pol.rules[0]->dst->cidr->prefix_len = 129;
}
static void m_fam_mix(struct tp *t)
{
	t->pol.rules[0]->src = ep_cidr(t, "fd00::/64");
}
static void m_src_unset(struct tp *t) { t->pol.rules[1]->src = NULL; }
static void m_dst_notset(struct tp *t)
{
	t->pol.rules[1]->dst->kind_case = CORDON__ENDPOINT__KIND__NOT_SET;
}
static void m_ep_seg(struct tp *t) { t->pol.rules[0]->src = ep_seg(t, 7); }
static void m_ep_mac(struct tp *t)
{
	t->pol.rules[0]->src = ep_dev(t, "00:11:22:33:44:55");
	t->pol.rules[0]->src->device.len = 4;
}
static void m_ep_false(struct tp *t) { t->pol.rules[1]->src->any = 0; }
static void m_dns_empty(struct tp *t) { t->pol.rules[1]->dst = ep_dns(t, ""); }
static void m_action(struct tp *t)
{
	t->pol.rules[1]->action = (Cordon__Action)3;
}
static void m_initiator(struct tp *t)
{
	t->pol.rules[1]->initiator = (Cordon__Initiator)3;
}
static void m_cidr_unset(struct tp *t) { t->pol.rules[0]->dst->cidr = NULL; }

static const struct {
	mutate_fn fn;
	const char *msg;
} cases[] = {
	{ m_dup_seg, "duplicate segment id 2" },
	{ m_seg0, "segment #3: id 0 is reserved" },
	{ m_seg_action, "segment 1: default_action 5 is not an Action" },
	{ m_seg_l2, "segment 2: l2_action 2 is not an Action" },
	{ m_no_default, "default_segment is not set" },
	{ m_bad_default, "default_segment 5 is not a defined segment" },
	{ m_no_quar, "quarantine_segment is not set" },
	{ m_bad_quar, "quarantine_segment 6 is not a defined segment" },
	{ m_dev_seg, "device 00:11:22:33:44:55: unknown segment 7" },
	{ m_dev_mac, "device #0: MAC must be 6 bytes, got 5" },
	{ m_dev_vlan, "device 00:11:22:33:44:55: vlan 4096 > 4095" },
	{ m_dev_dup, "device 00:11:22:33:44:55: assigned twice on vlan 0" },
	{ m_quar_mac, "quarantined #0: MAC must be 6 bytes, got 7" },
	{ m_local_prefix, "local_networks #1: cidr prefix 33 > 32" },
	{ m_local_len, "cidr address must be 4 or 16 bytes, got 5" },
	{ m_rule_id0, "rule #1: id 0 is reserved" },
	{ m_ports_lohi, "rule 12: dst_ports 90-80: lo > hi" },
	{ m_ports_hi, "rule 12: dst_ports 80-70000: hi > 65535" },
	{ m_ports_icmp, "rule 12: dst_ports on icmp" },
	{ m_ports_icmp6, "rule 12: dst_ports on icmp" },
	{ m_ports_any, "rule 12: dst_ports need ip_proto tcp, udp" },
	{ m_proto, "rule 13: ip_proto 256 > 255" },
	{ m_cidr_prefix, "rule 12: dst: cidr prefix 33 > 32" },
	{ m_cidr6_prefix, "rule 12: dst: cidr prefix 129 > 128" },
	{ m_fam_mix, "rule 12: src is IPv6 and dst is IPv4" },
	{ m_src_unset, "rule 13: src: endpoint not set" },
	{ m_dst_notset, "rule 13: dst: endpoint not set" },
	{ m_ep_seg, "rule 12: src: unknown segment 7" },
	{ m_ep_mac, "rule 12: src: device MAC must be 6 bytes, got 4" },
	{ m_ep_false, "rule 13: src: any/internet/local must be true" },
	{ m_dns_empty, "rule 13: dst: dns_name is empty" },
	{ m_action, "rule 13: action 3 is not an Action" },
	{ m_initiator, "rule 13: initiator 3 is not an Initiator" },
	{ m_cidr_unset, "rule 12: dst: cidr not set" },
};

static void
test_invalid(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tp *t = base();
		char err[256] = "";
		int ret;

		cases[i].fn(t);
		ret = policy_validate(&t->pol, err, sizeof(err));
		if (ret != -EINVAL || strstr(err, cases[i].msg) == NULL)
			fail_msg("case %zu: ret %d, got \"%s\", want \"%s\"",
				i, ret, err, cases[i].msg);
		tp_free(t);
	}
	printf("policy_validate: %zu invalid policies rejected with the "
		"expected message\n", i);
}

static void
test_valid_variants(void **state)
{
	struct tp *t = base();
	char err[256] = "";

	(void)state;
	/* Same MAC on two VLANs, segment 0 (= default), host bits set. */
	tp_dev(t, "00:11:22:33:44:55", 5, 0);
	tp_local(t, "192.168.1.77/24");
	tp_rule(t, 14, 0, ep_dns(t, "*.example.com"),
		ep_cidr(t, "2001:db8::/32"), 58, 0, 1);
	assert_int_equal(policy_validate(&t->pol, err, sizeof(err)), 0);
	tp_free(t);
}

static int
write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL)
		return -1;
	if (n && fwrite(p, 1, n, f) != n) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

static void
test_load_file(void **state)
{
	static const struct {
		const char *name, *data;
		size_t len;
		int ret;
		const char *msg;
	} bad[] = {
		{ "empty.bin", "", 0, -ENODATA, "empty" },
		{ "junk.bin", "\xff\xff\xff\xff\xff", 5, -EBADMSG, "not a Policy" },
		{ "text.txtpb", "version: 1\nsegments { id: 1 }\n", 30, -EBADMSG,
			"text format?" },
	};
	char dir[] = "/tmp/cordon_policy_XXXXXX", path[128], err[256];
	Cordon__Policy *pol = NULL;
	struct tp *t = base();
	uint8_t *buf;
	size_t n;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/none.bin", dir);
	assert_int_equal(policy_file_load(path, &pol, err, sizeof(err)),
		-ENOENT);
	assert_non_null(strstr(err, "No such file"));

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, bad[i].name);
		assert_int_equal(write_file(path, bad[i].data, bad[i].len), 0);
		assert_int_equal(policy_file_load(path, &pol, err, sizeof(err)),
			bad[i].ret);
		assert_non_null(strstr(err, bad[i].msg));
		unlink(path);
	}

	snprintf(path, sizeof(path), "%s/big.bin", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)POLICY_FILE_MAX + 1), 0);
	close(fd);
	assert_int_equal(policy_file_load(path, &pol, err, sizeof(err)),
		-EFBIG);
	assert_non_null(strstr(err, "too large"));
	unlink(path);

	/* A good one round-trips. */
	n = cordon__policy__get_packed_size(&t->pol);
	buf = malloc(n);
	assert_non_null(buf);
	cordon__policy__pack(&t->pol, buf);
	snprintf(path, sizeof(path), "%s/good.bin", dir);
	assert_int_equal(write_file(path, buf, n), 0);
	assert_int_equal(policy_file_load(path, &pol, err, sizeof(err)), 0);
	assert_non_null(pol);
	assert_int_equal(pol->version, 7);
	assert_int_equal(pol->n_rules, 2);
	assert_int_equal(pol->rules[0]->dst_ports[0]->lo, 80);
	assert_int_equal(policy_validate(pol, err, sizeof(err)), 0);
	cordon__policy__free_unpacked(pol, NULL);
	unlink(path);
	free(buf);
	rmdir(dir);
	tp_free(t);
}

/*
 * Bad input never crashes: random byte mutations of a packed policy either
 * fail to decode, fail validation with a message, or validate.
 */
static void
test_mutations(void **state)
{
	struct tp *t = base();
	uint64_t rng = 0x12345678abcdefull;
	uint32_t i, undecodable = 0, invalid = 0, valid = 0;
	uint8_t *buf, *mut;
	size_t n;

	(void)state;
	tp_rule(t, 14, 0, ep_dns(t, "*.example.com"),
		ep_cidr(t, "2001:db8::/32"), 58, 0, 1);
	tp_quar(t, "00:11:22:33:44:55");
	n = cordon__policy__get_packed_size(&t->pol);
	buf = malloc(n);
	mut = malloc(n);
	assert_non_null(buf);
	assert_non_null(mut);
	cordon__policy__pack(&t->pol, buf);
	for (i = 0; i < 20000; i++) {
		Cordon__Policy *pol;
		char err[256] = "";
		uint32_t k, flips;

		memcpy(mut, buf, n);
		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		flips = 1 + (uint32_t)(rng >> 60) % 4;
		for (k = 0; k < flips; k++) {
			rng = rng * 6364136223846793005ull +
				1442695040888963407ull;
			mut[(rng >> 33) % n] = (uint8_t)(rng >> 20);
		}
		pol = cordon__policy__unpack(NULL, n, mut);
		if (pol == NULL) {
			undecodable++;
			continue;
		}
		if (policy_validate(pol, err, sizeof(err)) == 0) {
			valid++;
		} else {
			assert_true(err[0] != '\0');
			invalid++;
		}
		cordon__policy__free_unpacked(pol, NULL);
	}
	printf("mutations: %u undecodable, %u invalid, %u valid\n",
		undecodable, invalid, valid);
	assert_true(invalid > 0 && valid > 0);
	free(buf);
	free(mut);
	tp_free(t);
}

TEST_MAIN(
	cmocka_unit_test(test_base_valid),
	cmocka_unit_test(test_quarantined),
	cmocka_unit_test(test_invalid),
	cmocka_unit_test(test_valid_variants),
	cmocka_unit_test(test_load_file),
	cmocka_unit_test(test_mutations))
