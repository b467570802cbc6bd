/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * libFuzzer targets for detect/'s inputs from outside: indicator files
 * (1), stored envelopes (2), DNS messages through the matcher (3), and
 * arbitrary event sequences through the engine (4). Built with
 * -DFUZZ_TARGET=N.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "det.h"
#include "det_dnsmatch.h"
#include "det_envelope.h"
#include "det_ioc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#if FUZZ_TARGET == 4
static void
sink(const struct det_alert *a, void *arg)
{
	(void)arg;
	/* every alert names a detector and a severity */
	if (det_detector_name(a->detector) == NULL ||
	    a->first_us > a->ts_us)
		abort();
}
#endif

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#if FUZZ_TARGET == 1
	char err[512];
	struct det_ioc *ioc = det_ioc_parse("fuzz", (const char *)data, size,
			1000, err, sizeof(err));

	if (ioc != NULL) {
		uint8_t a[16] = { 0 };

		memcpy(a, data, size < 16 ? size : 16);
		det_ioc_match_addr(ioc, a);
		det_ioc_match_name(ioc, "a.b.example.com");
		det_ioc_free(ioc);
	}
#elif FUZZ_TARGET == 2
	struct det_envelope env;
	char err[256];
	static uint8_t buf[4096];

	if (det_envelope_decode(&env, data, size, err, sizeof(err)) == 0) {
		/* what decodes encodes again */
		if (det_envelope_encode(&env, buf, sizeof(buf)) <= 0)
			abort();
	}
#elif FUZZ_TARGET == 3
	static struct det_dnsmatch *m;
	uint8_t cl[16] = { 0 }, sv[16] = { 0 };
	uint16_t id;

	if (m == NULL)
		m = det_dnsmatch_create(64, 1000);
	if (size < 2)
		return 0;
	cl[15] = data[0];
	if (data[1] & 1)
		det_dnsmatch_query(m, cl, 53000, sv, data + 2, size - 2,
				(uint64_t)size * 1000);
	else
		det_dnsmatch_answer(m, cl, 53000, sv, data + 2, size - 2,
				(uint64_t)size * 1000 + 5000000, &id);
#elif FUZZ_TARGET == 4
	struct det_config c;
	struct det_engine *e;
	uint64_t t = 1;

	det_config_default(&c);
	c.max_devices = 4;
	c.learn_ms = 1000;
	e = det_engine_create(&c, sink, NULL);
	for (size_t off = 0; off + sizeof(struct det_ev) <= size;
			off += sizeof(struct det_ev)) {
		struct det_ev ev;

		memcpy(&ev, data + off, sizeof(ev));
		/* time goes forward, as the engine is promised */
		t += ev.ts_us % 5000000;
		ev.ts_us = t;
		det_event(e, &ev);
		if (ev.pad & 1)
			det_tick(e, t);
		if (ev.pad & 2)
			det_dns_answer(e, ev.mac, ev.vlan, t, "x.example.com",
					ev.state, (const uint8_t (*)[16])ev.src,
					1);
	}
	det_engine_destroy(e);
#endif
	return 0;
}
