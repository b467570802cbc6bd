/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordon-detect: replay a capture through the detectors in capture time.
 *
 * Each frame goes the way a dataplane worker takes it: pkt_parse(), the
 * flow table (lookup, insert, flow_update, expiry by sweeps), and
 * dp_detect (dataplane/dp_detect.h) for the events; the engine
 * (detect/det.h) gets them at once instead of through a ring. The
 * fingerprinting library sees every frame too, for the DNS, DHCP, TLS and
 * TCP SYN observations the main lcore would feed the engine. Output: one
 * JSON line per alert, then a summary line.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <jansson.h>

#include "det.h"
#include "det_dnsmatch.h"
#include "det_envelope.h"
#include "det_fp.h"
#include "det_ioc.h"
#include "det_json.h"
#include "device.h"
#include "dp_detect.h"
#include "flow_hash.h"
#include "flow_table.h"
#include "fp.h"
#include "fp_identity.h"
#include "fp_pcap.h"
#include "pkt_parse.h"

#ifndef FP_SOURCE_DATA_DIR
#define FP_SOURCE_DATA_DIR "fingerprint/data"
#endif

#define MAX_DENY 8

struct cidr {
	uint8_t a[16];
	uint8_t plen;		/* over the 16-byte form */
};

struct tool {
	struct det_engine *eng;
	struct dp_detect glue;
	struct flow_table *ft;
	struct device_table devices;
	struct det_dnsmatch *dns;
	struct fp_ctx *fp;
	struct fp_identity *id;
	struct cidr deny[MAX_DENY], allow[MAX_DENY];
	unsigned int n_deny, n_allow;
	uint64_t t0_us, now_us, last_tick_us;
	uint32_t now_ms, swept_ms;
	uint64_t frame;
	/* counters for the summary */
	uint64_t frames, ip_pkts, l2_frames, other_link, synthetic_mac;
	uint64_t snapped;
	uint64_t parse_drops[PKT_PARSE_RC_MAX], frag_later, insert_fail;
	uint64_t flows, flow_ends[3], reordered;
	uint64_t alerts, quarantines, alerts_by[DET_N];
	bool os_facet;
};

/* An option's argument that cannot be taken: said, exit status 2. */
static int
bad_arg(const char *opt, const char *arg, const char *why)
{
	fprintf(stderr, "cordon-detect: --%s %s: %s\n", opt, arg, why);
	return 2;
}

static void
usage(FILE *f)
{
	fprintf(f,
"Usage: cordon-detect -r FILE [options]\n"
"Replay a pcap or pcapng capture through Cordon's threat detectors, in\n"
"capture time, the way the dataplane runs them. Prints one JSON object per\n"
"alert (device MAC and addresses, detector, severity, first-packet and\n"
"detection times, evidence), then one summary object.\n"
"\n"
"  -r, --read FILE          capture to read (pcap or pcapng)\n"
"  -l, --learn DURATION     learning window of each device's envelope, from\n"
"                           the device's first packet (default 24h; 0: no\n"
"                           envelope: the envelope and identity detectors\n"
"                           stay quiet, beacons are judged as while learning)\n"
"  -u, --learn-until WHEN   learn the envelopes from the first part of the\n"
"                           capture only: a DURATION from its first packet,\n"
"                           or a share of it (e.g. 25%%)\n"
"      --envelope-in FILE   start from envelopes saved by --envelope-out\n"
"      --envelope-out FILE  save every device's envelope at the end\n"
"  -i, --indicators FILE    known-bad indicators to match (see below)\n"
"      --deny-lan CIDR      count new flows between two addresses of CIDR as\n"
"                           denied by policy (lateral movement), as a policy\n"
"                           of one cell per device would (up to 8)\n"
"      --allow CIDR         but not flows to or from CIDR (the gateway, a\n"
"                           resolver: up to 8)\n"
"      --disable NAME       turn a detector off (repeatable)\n"
"      --devices N          device states kept (default 1024)\n"
"      --flows N            flow table size (default 65536)\n"
"      --p0f-db FILE        p0f database for the OS facet (default\n"
"                           /etc/p0f/p0f.fp)\n"
"      --no-summary         do not print the summary\n"
"  -h, --help               this help\n"
"  -V, --version            print the version\n"
"\n"
"DURATION: a number with a unit: 90s, 15m, 2h, 1d (s if none).\n"
"Detectors: scan_horizontal scan_vertical scan_icmp scan_arp scan_nd\n"
"bruteforce flood_syn flood_udp flood_icmp amplification lateral envelope\n"
"dns_nxdomain dns_dga beacon identity_change dns_forged indicator.\n"
"Indicators: one a line, VALUE SOURCE [COMMENT]; VALUE an IP, a CIDR, a DNS\n"
"name (and the names under it), a JA3 or a JA4.\n"
"Exit status: 0 when the capture was read to its end, 1 when it could not\n"
"be (unreadable, truncated, corrupt) or an input file was bad, 2 for bad\n"
"options.\n");
}

static int
parse_cidr(const char *s, struct cidr *c)
{
	char buf[64], *slash, *end;
	long plen;
	uint8_t a[16];

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	plen = strtol(slash + 1, &end, 10);
	if (*end != '\0' || end == slash + 1)
		return -1;
	memset(c->a, 0, 16);
	if (inet_pton(AF_INET, buf, a) == 1) {
		if (plen < 0 || plen > 32)
			return -1;
		c->a[10] = c->a[11] = 0xff;
		memcpy(c->a + 12, a, 4);
		c->plen = (uint8_t)(96 + plen);
	} else if (inet_pton(AF_INET6, buf, c->a) == 1) {
		if (plen < 0 || plen > 128)
			return -1;
		c->plen = (uint8_t)plen;
	} else {
		return -1;
	}
	return 0;
}

/*
 * --deny-lan NET or --allow NET (a bare address is its own /32 or /128),
 * at most MAX_DENY of each: 0, or 2 with the reason said.
 */
static int
add_net(struct tool *t, bool allow, const char *arg)
{
	struct cidr *list = allow ? t->allow : t->deny;
	unsigned int *n = allow ? &t->n_allow : &t->n_deny;
	const char *s = arg;
	char tmp[64];

	if (allow && strchr(s, '/') == NULL && strlen(s) < sizeof(tmp) - 5) {
		snprintf(tmp, sizeof(tmp), "%s/%s", s,
			strchr(s, ':') ? "128" : "32");
		s = tmp;
	}
	if (*n >= MAX_DENY)
		return bad_arg(allow ? "allow" : "deny-lan", arg, "more than 8");
	if (parse_cidr(s, &list[*n]))
		return bad_arg(allow ? "allow" : "deny-lan", arg, allow ?
			"not an address or a CIDR" :
			"not a CIDR (192.168.1.0/24, fd00::/8)");
	(*n)++;
	return 0;
}


static bool
cidr_has(const struct cidr *c, const uint8_t a[16])
{
	for (int b = 0; b < c->plen; b++) {
		uint8_t m = (uint8_t)(0x80 >> (b % 8));

		if ((a[b / 8] & m) != (c->a[b / 8] & m))
			return false;
	}
	return true;
}

static void
print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER |
			JSON_REAL_PRECISION(17));

	if (s != NULL) {
		fputs(s, stdout);
		fputc('\n', stdout);
		free(s);
	}
	json_decref(j);
}

static void
on_alert(const struct det_alert *a, void *arg)
{
	struct tool *t = arg;
	json_t *j = det_json_alert(a);

	json_object_set_new(j, "frame", json_integer((json_int_t)t->frame));
	print_json(j);
	t->alerts++;
	t->alerts_by[a->detector]++;
	if (a->severity == DET_SEV_QUARANTINE)
		t->quarantines++;
}

static void
on_event(void *arg, const struct det_ev *ev)
{
	struct tool *t = arg;

	det_event(t->eng, ev);
}

static void
on_flow_end(const struct flow_entry *e, enum flow_end_reason why, void *arg)
{
	struct tool *t = arg;

	t->flow_ends[why]++;
	dp_detect_flow_end(&t->glue, e, why, t->now_us, t->now_ms);
}

/* ---- fingerprint observations: what the main lcore feeds the engine ---- */

static void
on_obs(const struct fp_obs *o, void *arg)
{
	struct tool *t = arg;

	det_fp_obs(t->eng, t->id, o);
}

/* ---- frames ---- */

static void
tool_time(struct tool *t, uint64_t ts_us)
{
	if (t->t0_us == 0)
		t->t0_us = ts_us ? ts_us : 1;
	if (ts_us < t->now_us) {
		/* the flow table and the engine need time to go forward */
		t->reordered++;
		ts_us = t->now_us;
	}
	t->now_us = ts_us;
	t->now_ms = (uint32_t)((ts_us - t->t0_us) / 1000);
}

static void
tool_sweep(struct tool *t)
{
	uint32_t cap = flow_table_capacity(t->ft);
	uint64_t el = (uint64_t)(uint32_t)(t->now_ms - t->swept_ms);
	uint64_t budget;

	if (el == 0)
		return;
	/* as the worker (all of the table in ~8 s), but at most 1024 slots
	 * a frame: a capture with minutes between frames would sweep the
	 * whole table for each. Flow ends come a little later there; the
	 * engine ages unanswered attempts by itself. */
	budget = el * (cap / 8192 > 32 ? cap / 8192 : 32);
	if (budget > 1024)
		budget = 1024;
	flow_table_sweep(t->ft, t->now_ms, (unsigned int)budget);
	t->swept_ms = t->now_ms;
	if (t->now_us >= t->last_tick_us + 100000) {
		det_tick(t->eng, t->now_us);
		t->last_tick_us = t->now_us;
	}
}

static void
tool_ip(struct tool *t, const struct pkt_meta *pm, const uint8_t *frame,
		uint32_t len)
{
	const uint16_t vlan = pm->vlan_outer & 0xfff;
	const uint32_t now_s = t->now_ms / 1000;
	struct flow_key key;
	struct flow_entry *e;
	uint32_t hash;
	uint8_t side;
	bool denied = false;
	unsigned int dir;

	t->ip_pkts++;
	if (pm->flags & PKT_F_FRAG_LATER) {
		t->frag_later++;	/* no ports: the worker's frag cache */
		return;
	}
	side = flow_key_from_meta(&key, pm, vlan);
	hash = flow_hash_sym(&key);
	e = flow_lookup(t->ft, &key, hash, t->now_ms);
	if (e == NULL) {
		e = flow_insert(t->ft, &key, hash, side, pm->tcp_flags,
				t->now_ms);
		if (e == NULL) {
			t->insert_fail++;
			return;
		}
		dp_detect_flow_created(e);
		t->flows++;
		for (unsigned int i = 0; i < t->n_deny; i++)
			if (cidr_has(&t->deny[i], pm->src_addr) &&
					cidr_has(&t->deny[i], pm->dst_addr))
				denied = true;
		for (unsigned int i = 0; i < t->n_allow; i++)
			if (cidr_has(&t->allow[i], pm->src_addr) ||
					cidr_has(&t->allow[i], pm->dst_addr))
				denied = false;
		flow_set_verdict(e, denied ? 0 : 1, 0);
		e->dev[FLOW_DIR_ORIG] = device_get(&t->devices, pm->src_mac,
				vlan, 0, now_s);
		e->dev[FLOW_DIR_REPLY] = device_lookup(&t->devices,
				pm->dst_mac, vlan);
	}
	denied = !(e->verdict & 1);
	dir = flow_dir(e, side);
	flow_update(e, side, len, pm->tcp_flags);
	if (e->dev[dir] == DEVICE_NONE)
		e->dev[dir] = device_get(&t->devices, pm->src_mac, vlan, 0,
				now_s);
	dp_detect_ip(&t->glue, pm, frame, len, e, dir, denied, t->now_us,
			t->now_ms);
}

/*
 * A capture cut at a snap length keeps the headers: the parser sees the
 * frame at its wire length, zeros where the payload was, and nothing looks
 * at that payload (the DNS matcher is off for the frame; fingerprinting
 * gets the bytes captured).
 */
static void
tool_frame(struct tool *t, const uint8_t *frame, uint32_t len,
		uint32_t wire_len, uint64_t ts_us)
{
	static uint8_t pad[65536];
	const uint8_t *pf = frame;
	uint32_t plen = len;
	struct det_dnsmatch *dns = t->glue.dns;
	struct pkt_meta pm;
	enum pkt_parse_rc rc;

	tool_time(t, ts_us);
	tool_sweep(t);
	if (wire_len > len && len < sizeof(pad)) {
		plen = wire_len < sizeof(pad) ? wire_len : sizeof(pad);
		memcpy(pad, frame, len);
		memset(pad + len, 0, plen - len);
		pf = pad;
		t->snapped++;
		t->glue.dns = NULL;
	}
	rc = pkt_parse(pf, plen, &pm);
	if (pkt_parse_is_drop(rc)) {
		t->parse_drops[rc]++;
	} else if (rc == PKT_PARSE_L2) {
		t->l2_frames++;
		dp_detect_l2(&t->glue, &pm, t->now_us);
	} else {
		tool_ip(t, &pm, pf, plen);
	}
	t->glue.dns = dns;
	fp_process_frame(t->fp, frame, len, t->now_us, on_obs, t);
}

/* A bare IP packet: make it an Ethernet frame, with the link header's MAC
 * or MACs made up from the addresses (locally administered, marked). */
static void
tool_ip_frame(struct tool *t, const struct fp_pcap_frame *f)
{
	static uint8_t buf[65536 + 14];
	size_t len = f->len > 65536 ? 65536 : f->len;
	uint8_t v = len > 0 ? f->data[0] >> 4 : 0;

	memset(buf, 0, 14);
	buf[0] = buf[6] = 0x02;
	if (v == 4 && len >= 20) {
		memcpy(buf + 2, f->data + 16, 4);
		memcpy(buf + 8, f->data + 12, 4);
		buf[12] = 0x08;
		buf[13] = 0x00;
	} else if (v == 6 && len >= 40) {
		memcpy(buf + 2, f->data + 36, 4);
		memcpy(buf + 8, f->data + 20, 4);
		buf[12] = 0x86;
		buf[13] = 0xdd;
	} else {
		t->other_link++;
		return;
	}
	if (f->src_mac != NULL)
		memcpy(buf + 6, f->src_mac, 6);
	else
		t->synthetic_mac++;
	memcpy(buf + 14, f->data, len);
	tool_frame(t, buf, (uint32_t)len + 14, (uint32_t)(f->wire_len > 65536 ?
			65536 : f->wire_len) + 14, f->ts_us);
}

/* ---- envelopes in files: u32 length, then det_envelope_encode()'s ---- */

static void
env_write_one(const struct det_envelope *env, void *arg)
{
	FILE *f = arg;
	static uint8_t buf[1 << 16];
	int n = det_envelope_encode(env, buf, sizeof(buf));
	uint8_t l[4];

	if (n < 0)
		return;
	l[0] = (uint8_t)n;
	l[1] = (uint8_t)(n >> 8);
	l[2] = (uint8_t)(n >> 16);
	l[3] = (uint8_t)(n >> 24);
	fwrite(l, 1, 4, f);
	fwrite(buf, 1, (size_t)n, f);
}

static int
env_read(struct tool *t, const char *path, char *err, size_t errlen)
{
	static uint8_t buf[1 << 16];
	FILE *f = fopen(path, "rb");
	uint8_t l[4];
	int count = 0;

	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		struct det_envelope env;
		size_t got = fread(l, 1, 4, f), n;
		char why[200];

		if (got == 0)
			break;
		n = (size_t)l[0] | (size_t)l[1] << 8 | (size_t)l[2] << 16 |
			(size_t)l[3] << 24;
		if (got != 4 || n > sizeof(buf) || fread(buf, 1, n, f) != n) {
			snprintf(err, errlen, "%s: envelope %d: truncated",
					path, count + 1);
			fclose(f);
			return -1;
		}
		if (det_envelope_decode(&env, buf, n, why, sizeof(why)) != 0) {
			snprintf(err, errlen, "%s: envelope %d: %s", path,
					count + 1, why);
			fclose(f);
			return -1;
		}
		env.source = DET_ENV_STORED;
		env.state = DET_ENV_COMPLETE;
		det_envelope_install(t->eng, &env);
		count++;
	}
	fclose(f);
	return count;
}

/* ---- summary ---- */

struct devsum {
	double hours;
	uint64_t n;
};

static void
dev_hours(const uint8_t mac[6], uint16_t vlan, uint64_t first, uint64_t last,
		void *arg)
{
	struct devsum *s = arg;
	uint64_t span = last - first;

	(void)mac;
	(void)vlan;
	/* a device seen once still counts a minute */
	if (span < 60000000)
		span = 60000000;
	s->hours += (double)span / 3600e6;
	s->n++;
}

static void
print_summary(struct tool *t, const char *file, uint64_t first_us)
{
	json_t *j = json_object(), *by = json_object(), *sup = json_object();
	json_t *drops = json_object(), *ev = json_object();
	struct det_stats st;
	struct devsum ds = { 0 };

	det_engine_stats(t->eng, &st);
	det_device_foreach(t->eng, dev_hours, &ds);
	json_object_set_new(j, "type", json_string("summary"));
	json_object_set_new(j, "file", json_string(file));
	json_object_set_new(j, "frames", json_integer((json_int_t)t->frames));
	json_object_set_new(j, "ip_packets",
			json_integer((json_int_t)t->ip_pkts));
	json_object_set_new(j, "l2_frames",
			json_integer((json_int_t)t->l2_frames));
	json_object_set_new(j, "unread_link",
			json_integer((json_int_t)t->other_link));
	json_object_set_new(j, "synthetic_mac",
			json_integer((json_int_t)t->synthetic_mac));
	json_object_set_new(j, "snapped",
			json_integer((json_int_t)t->snapped));
	for (int i = PKT_DROP_FIRST; i < PKT_PARSE_RC_MAX; i++)
		if (t->parse_drops[i])
			json_object_set_new(drops, pkt_parse_rc_name(i),
				json_integer((json_int_t)t->parse_drops[i]));
	json_object_set_new(j, "malformed", drops);
	json_object_set_new(j, "fragments_skipped",
			json_integer((json_int_t)t->frag_later));
	json_object_set_new(j, "reordered",
			json_integer((json_int_t)t->reordered));
	json_object_set_new(j, "flows", json_integer((json_int_t)t->flows));
	json_object_set_new(j, "flow_insert_fail",
			json_integer((json_int_t)t->insert_fail));
	json_object_set_new(j, "first_ts", json_real((double)first_us / 1e6));
	json_object_set_new(j, "duration_s", json_real(t->frames ?
			(double)(t->now_us - first_us) / 1e6 : 0.0));
	json_object_set_new(j, "devices", json_integer((json_int_t)ds.n));
	json_object_set_new(j, "device_hours", json_real(ds.hours));
	json_object_set_new(j, "alerts", json_integer((json_int_t)t->alerts));
	json_object_set_new(j, "quarantine",
			json_integer((json_int_t)t->quarantines));
	json_object_set_new(j, "alerts_per_device_hour", json_real(
			ds.hours > 0 ? (double)t->alerts / ds.hours : 0.0));
	for (int d = 0; d < DET_N; d++) {
		if (t->alerts_by[d])
			json_object_set_new(by, det_detector_name(d),
				json_integer((json_int_t)t->alerts_by[d]));
		if (st.suppressed[d])
			json_object_set_new(sup, det_detector_name(d),
				json_integer((json_int_t)st.suppressed[d]));
	}
	json_object_set_new(j, "by_detector", by);
	json_object_set_new(j, "suppressed", sup);
	json_object_set_new(ev, "emitted",
			json_integer((json_int_t)t->glue.st.events));
	json_object_set_new(ev, "slow_path_packets",
			json_integer((json_int_t)t->glue.st.slow));
	json_object_set_new(ev, "dns_queries",
			json_integer((json_int_t)t->glue.st.dns_queries));
	json_object_set_new(ev, "dns_answers",
			json_integer((json_int_t)t->glue.st.dns_answers));
	json_object_set_new(ev, "dns_forged",
			json_integer((json_int_t)t->glue.st.dns_forged));
	json_object_set_new(ev, "device_states_recycled",
			json_integer((json_int_t)st.devices_recycled));
	json_object_set_new(ev, "attempt_sets_full",
			json_integer((json_int_t)st.set_full));
	json_object_set_new(j, "events", ev);
	json_object_set_new(j, "os_facet", json_boolean(t->os_facet));
	print_json(j);
}

/* ---- main ---- */

enum {
	OPT_ENV_IN = 256, OPT_ENV_OUT, OPT_DENY, OPT_ALLOW, OPT_DISABLE,
	OPT_DEVICES,
	OPT_FLOWS, OPT_P0F, OPT_NO_SUMMARY,
};

static int
first_pass(const char *file, uint64_t *first, uint64_t *last, char *err,
		size_t errlen)
{
	struct fp_pcap *pc = fp_pcap_open(file, err, errlen);
	struct fp_pcap_frame f;
	int rc;

	if (pc == NULL)
		return -1;
	*first = *last = 0;
	while ((rc = fp_pcap_next(pc, &f)) == 1) {
		if (*first == 0)
			*first = f.ts_us;
		if (f.ts_us > *last)
			*last = f.ts_us;
	}
	if (rc < 0)
		snprintf(err, errlen, "%s: %s", file, fp_pcap_error(pc));
	fp_pcap_close(pc);
	return rc < 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "read", required_argument, NULL, 'r' },
		{ "learn", required_argument, NULL, 'l' },
		{ "learn-until", required_argument, NULL, 'u' },
		{ "envelope-in", required_argument, NULL, OPT_ENV_IN },
		{ "envelope-out", required_argument, NULL, OPT_ENV_OUT },
		{ "indicators", required_argument, NULL, 'i' },
		{ "deny-lan", required_argument, NULL, OPT_DENY },
		{ "allow", required_argument, NULL, OPT_ALLOW },
		{ "disable", required_argument, NULL, OPT_DISABLE },
		{ "devices", required_argument, NULL, OPT_DEVICES },
		{ "flows", required_argument, NULL, OPT_FLOWS },
		{ "p0f-db", required_argument, NULL, OPT_P0F },
		{ "no-summary", no_argument, NULL, OPT_NO_SUMMARY },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL, *env_in = NULL, *env_out = NULL;
	const char *ioc_path = NULL, *p0f_db = "/etc/p0f/p0f.fp";
	const char *until = NULL;
	char err[FP_PCAP_ERR_MAX + 256];
	struct det_config cfg;
	struct det_ioc *ioc = NULL;
	struct fp_pcap *pc = NULL;
	struct fp_pcap_frame fr;
	struct flow_table_params fpar = { 0 };
	struct tool t;
	uint64_t until_us = 0, first_us = 0;
	bool summary = true, until_done = false;
	int c, rc, ret = 1;
	long v;
	char *end;

	memset(&t, 0, sizeof(t));
	det_config_default(&cfg);
	fpar.capacity = 65536;
	while ((c = getopt_long(argc, argv, "r:l:u:i:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			file = optarg;
			break;
		case 'l': {
			int64_t ms = det_parse_duration(optarg);

			if (ms < 0)
				return bad_arg("learn", optarg, "not a duration "
					"(90s, 15m, 2h, 1d)");
			cfg.learn_ms = (uint64_t)ms;
			break;
		}
		case 'u':
			until = optarg;
			break;
		case 'i':
			ioc_path = optarg;
			break;
		case OPT_ENV_IN:
			env_in = optarg;
			break;
		case OPT_ENV_OUT:
			env_out = optarg;
			break;
		case OPT_DENY:
		case OPT_ALLOW:
			rc = add_net(&t, c == OPT_ALLOW, optarg);
			if (rc != 0)
				return rc;
			break;
		case OPT_DISABLE: {
			int d = det_detector_from_name(optarg);

			if (d < 0)
				return bad_arg("disable", optarg,
					"no such detector (see --help)");
			cfg.enabled[d] = false;
			break;
		}
		case OPT_DEVICES:
		case OPT_FLOWS:
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || v < 16 ||
					v > (1L << 24))
				return bad_arg(c == OPT_DEVICES ? "devices" :
					"flows", optarg,
					"not a number from 16 to 16777216");
			if (c == OPT_DEVICES)
				cfg.max_devices = (uint32_t)v;
			else
				fpar.capacity = (uint32_t)v;
			break;
		case OPT_P0F:
			p0f_db = optarg;
			break;
		case OPT_NO_SUMMARY:
			summary = false;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("cordon-detect %s\n", CORDON_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (file == NULL || optind != argc) {
		if (file == NULL)
			fprintf(stderr, "cordon-detect: no capture: -r FILE\n");
		else
			fprintf(stderr, "cordon-detect: unexpected argument "
				"'%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (cfg.learn_ms == 0) {
		cfg.enabled[DET_ENVELOPE] = false;
		cfg.enabled[DET_IDENTITY_CHANGE] = false;
	}
	if (until != NULL) {
		size_t ul = strlen(until);
		uint64_t last;

		if (ul > 1 && until[ul - 1] == '%') {
			double pct = strtod(until, &end);

			if (end != until + ul - 1 || pct <= 0 || pct > 100)
				return bad_arg("learn-until", until,
					"not a share (1% to 100%)");
			if (first_pass(file, &first_us, &last, err,
					sizeof(err)) != 0) {
				fprintf(stderr, "cordon-detect: %s\n", err);
				return 1;
			}
			until_us = (uint64_t)((double)(last - first_us) *
					pct / 100.0);
		} else {
			int64_t ms = det_parse_duration(until);

			if (ms < 0)
				return bad_arg("learn-until", until,
					"not a duration or a share");
			until_us = (uint64_t)ms * 1000;
		}
		/* learning ends there for everyone, not a window later */
		if (cfg.learn_ms < until_us / 1000 + 1)
			cfg.learn_ms = until_us / 1000 + 1;
	}
	if (ioc_path != NULL) {
		ioc = det_ioc_load(ioc_path, 0, err, sizeof(err));
		if (ioc == NULL) {
			fprintf(stderr, "cordon-detect: %s\n", err);
			return 1;
		}
	}
	pc = fp_pcap_open(file, err, sizeof(err));
	if (pc == NULL) {
		/* libpcap names the file in some of its messages */
		if (strstr(err, file) != NULL)
			fprintf(stderr, "cordon-detect: %s\n", err);
		else
			fprintf(stderr, "cordon-detect: %s: %s\n", file, err);
		goto out;
	}
	t.eng = det_engine_create(&cfg, on_alert, &t);
	t.dns = det_dnsmatch_create(4096, 10000);
	t.fp = fp_ctx_create(NULL);
	fpar.event_cb = on_flow_end;
	fpar.event_arg = &t;
	t.ft = flow_table_create(&fpar);
	if (t.eng == NULL || t.dns == NULL || t.fp == NULL || t.ft == NULL ||
			device_table_init(&t.devices, cfg.max_devices * 4,
				86400) != 0) {
		fprintf(stderr, "cordon-detect: out of memory\n");
		goto out;
	}
	det_engine_set_ioc(t.eng, ioc);
	dp_detect_init(&t.glue, &t.devices, t.dns, on_event, &t);
	if (access(p0f_db, R_OK) == 0) {
		struct fp_identity_config icfg = { .p0f_db = p0f_db };

		t.id = fp_identity_create(&icfg);
		t.os_facet = t.id != NULL;
	}
	if (env_in != NULL && env_read(&t, env_in, err, sizeof(err)) < 0) {
		fprintf(stderr, "cordon-detect: %s\n", err);
		goto out;
	}
	while ((rc = fp_pcap_next(pc, &fr)) == 1) {
		t.frame = fr.number;
		t.frames++;
		if (t.frames == 1 && first_us == 0)
			first_us = fr.ts_us;
		if (until != NULL && !until_done &&
				fr.ts_us >= first_us + until_us) {
			det_learn_stop(t.eng, fr.ts_us);
			until_done = true;
		}
		if (fr.link == FP_PCAP_ETHER)
			tool_frame(&t, fr.data, (uint32_t)fr.len,
					(uint32_t)fr.wire_len, fr.ts_us);
		else if (fr.link == FP_PCAP_IP)
			tool_ip_frame(&t, &fr);
		else
			t.other_link++;
	}
	if (rc < 0) {
		fprintf(stderr, "cordon-detect: %s: %s\n", file,
				fp_pcap_error(pc));
		goto out;
	}
	if (t.frames > 0)
		det_tick(t.eng, t.now_us);
	if (env_out != NULL) {
		FILE *f = fopen(env_out, "wb");

		if (f == NULL) {
			fprintf(stderr, "cordon-detect: %s: %s\n", env_out,
					strerror(errno));
			goto out;
		}
		det_envelope_foreach(t.eng, env_write_one, f);
		if (fclose(f) != 0) {
			fprintf(stderr, "cordon-detect: %s: write error\n",
					env_out);
			goto out;
		}
	}
	if (summary)
		print_summary(&t, file, first_us);
	ret = 0;
out:
	fflush(stdout);
	if (t.ft != NULL)
		flow_table_free(t.ft);
	device_table_fini(&t.devices);
	fp_identity_destroy(t.id);
	fp_ctx_destroy(t.fp);
	det_dnsmatch_free(t.dns);
	det_engine_destroy(t.eng);
	det_ioc_free(ioc);
	fp_pcap_close(pc);
	return ret;
}
