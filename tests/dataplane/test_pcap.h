/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/* The peer projects' captures, for the packet tests. After cmocka.h. */

#ifndef CORDON_TEST_PCAP_H
#define CORDON_TEST_PCAP_H

#include <stdbool.h>
#include <stdio.h>

#include <pcap/pcap.h>

/*
 * The capture rel, under test_data_dir: NULL when it is missing and
 * lenient, else the test fails.
 */
static inline pcap_t *
test_pcap_open(const char *rel, bool lenient)
{
	char path[4096], err[PCAP_ERRBUF_SIZE];
	pcap_t *pc;

	snprintf(path, sizeof(path), "%s/%s", test_data_dir, rel);
	pc = pcap_open_offline(path, err);
	if (pc == NULL && !lenient)
		fail_msg("%s: %s", path, err);
	return pc;
}

#endif /* CORDON_TEST_PCAP_H */
