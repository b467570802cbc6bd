/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * What detection adds to an established flow's packet, for cachegrind
 * (not a test; see detect/README.md). Reads a capture, makes its flows,
 * then replays its packets `rounds` times through flow_lookup() and
 * flow_update(), with dp_detect_ip() after each when the mode is "on".
 * Run it twice under valgrind --tool=cachegrind and divide the difference
 * in instructions by the packets replayed.
 *
 * Usage: bench_detect FILE on|off [rounds (default 50)]
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp_detect.h"
#include "flow_hash.h"
#include "flow_table.h"
#include "fp_pcap.h"
#include "pkt_parse.h"

struct pkt {
	struct pkt_meta pm;
	struct flow_key key;
	uint32_t hash, len;
	uint8_t side;
	uint8_t frame[128];
};

static uint64_t events;

static void
count(void *arg, const struct det_ev *ev)
{
	(void)arg;
	(void)ev;
	events++;
}

int
main(int argc, char **argv)
{
	struct flow_table_params fp = { .capacity = 1u << 16 };
	struct fp_pcap_frame f;
	struct dp_detect d;
	struct flow_table *ft;
	struct fp_pcap *pc;
	struct pkt *p;
	char err[512];
	uint32_t n = 0, cap = 1u << 16, rounds = 50, slow0;
	bool on;

	if (argc < 3 || (strcmp(argv[2], "on") && strcmp(argv[2], "off"))) {
		fprintf(stderr, "usage: bench_detect FILE on|off [rounds]\n");
		return 2;
	}
	on = strcmp(argv[2], "on") == 0;
	if (argc > 3)
		rounds = (uint32_t)strtoul(argv[3], NULL, 10);
	pc = fp_pcap_open(argv[1], err, sizeof(err));
	ft = flow_table_create(&fp);
	p = calloc(cap, sizeof(*p));
	if (pc == NULL || ft == NULL || p == NULL) {
		fprintf(stderr, "bench_detect: %s\n", pc ? "no memory" : err);
		return 1;
	}
	while (fp_pcap_next(pc, &f) == 1 && n < cap) {
		struct pkt *k = &p[n];
		uint32_t len = f.len < sizeof(k->frame) ? (uint32_t)f.len :
			sizeof(k->frame);

		if (f.link != FP_PCAP_ETHER)
			continue;
		memcpy(k->frame, f.data, len);
		if (pkt_parse(k->frame, len, &k->pm) != PKT_PARSE_OK)
			continue;
		k->len = len;
		k->side = flow_key_from_meta(&k->key, &k->pm, 0);
		k->hash = flow_hash_sym(&k->key);
		n++;
	}
	fp_pcap_close(pc);
	dp_detect_init(&d, NULL, NULL, count, NULL);
	/* the flows exist: every packet below is an established flow's */
	for (uint32_t i = 0; i < n; i++) {
		struct flow_entry *e = flow_lookup(ft, &p[i].key, p[i].hash, 1);
		bool created = e == NULL;

		if (created) {
			e = flow_insert(ft, &p[i].key, p[i].hash, p[i].side,
					p[i].pm.tcp_flags, 1);
			dp_detect_flow_created(e);
		}
		flow_update(e, p[i].side, p[i].len, p[i].pm.tcp_flags);
		dp_detect_ip(&d, &p[i].pm, p[i].frame, p[i].len, e,
			     flow_dir(e, p[i].side), false, 1000, 1);
	}
	slow0 = (uint32_t)d.st.slow;
	events = 0;
	for (uint32_t r = 0; r < rounds; r++)
		for (uint32_t i = 0; i < n; i++) {
			struct flow_entry *e = flow_lookup(ft, &p[i].key,
					p[i].hash, 2);

			flow_update(e, p[i].side, p[i].len, p[i].pm.tcp_flags);
			if (on)
				dp_detect_ip(&d, &p[i].pm, p[i].frame,
					     p[i].len, e, flow_dir(e, p[i].side),
					     false, 2000, 2);
		}
	printf("packets %" PRIu64 " slow %" PRIu64 " events %" PRIu64 "\n",
	       (uint64_t)n * rounds, d.st.slow - slow0, events);
	flow_table_free(ft);
	free(p);
	return 0;
}
