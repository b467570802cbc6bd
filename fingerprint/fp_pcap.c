/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Capture file reading for the offline tools, see fp_pcap.h.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <pcap/pcap.h>

#include "fp_pcap.h"

struct fp_pcap {
	pcap_t *pc;
	int dlt;
	uint64_t number;
};

struct fp_pcap *
fp_pcap_open(const char *path, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct fp_pcap *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->pc = pcap_open_offline(path, ebuf);
	if (r->pc == NULL) {
		snprintf(err, errlen, "%s", ebuf);
		free(r);
		return NULL;
	}
	r->dlt = pcap_datalink(r->pc);
	return r;
}

/* Past a link header of n bytes; -1 when the frame is no longer. */
static int
fp_pcap_skip(struct fp_pcap_frame *f, size_t n)
{
	if (f->len <= n)
		return -1;
	f->data += n;
	f->len -= n;
	f->wire_len -= n;
	return 0;
}

int
fp_pcap_next(struct fp_pcap *r, struct fp_pcap_frame *f)
{
	struct pcap_pkthdr *h;
	const u_char *d;
	size_t len;
	int rc;

	rc = pcap_next_ex(r->pc, &h, &d);
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc != 1)
		return -EIO;
	len = h->caplen;
	f->number = ++r->number;
	f->ts_us = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
	f->src_mac = NULL;
	f->link = FP_PCAP_IP;
	f->data = d;
	f->len = len;
	f->wire_len = h->len > len ? h->len : len;
	switch (r->dlt) {
	case DLT_EN10MB:
		f->link = FP_PCAP_ETHER;
		break;
	case DLT_NULL:
	case DLT_LOOP:
		if (fp_pcap_skip(f, 4) < 0)
			goto other;
		break;
	case DLT_RAW:
#ifdef DLT_IPV4
	case DLT_IPV4:
	case DLT_IPV6:
#endif
		break;
	case DLT_LINUX_SLL:
		if (fp_pcap_skip(f, 16) < 0)
			goto other;
		if (d[4] == 0 && d[5] == 6)
			f->src_mac = d + 6;
		break;
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
		if (fp_pcap_skip(f, 20) < 0)
			goto other;
		if (d[11] == 6)
			f->src_mac = d + 12;
		break;
#endif
	default:
		goto other;
	}
	return 1;
other:
	f->link = FP_PCAP_OTHER;
	return 1;
}

const char *
fp_pcap_error(const struct fp_pcap *r)
{
	return pcap_geterr(r->pc);
}

void
fp_pcap_close(struct fp_pcap *r)
{
	if (r == NULL)
		return;
	pcap_close(r->pc);
	free(r);
}
