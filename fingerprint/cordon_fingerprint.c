/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordon-fingerprint: read a pcap/pcapng file with libpcap, print one JSON
 * object per observation and, at the end, one "device" object per MAC.
 * --check-signatures loads the signature files and runs every rule's
 * examples instead.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fp.h"
#include "fp_identity.h"
#include "fp_json.h"
#include "fp_pcap.h"
#include "fp_sig.h"
#include "util_opt.h"

#ifndef FP_SOURCE_DATA_DIR
#define FP_SOURCE_DATA_DIR "fingerprint/data"
#endif

struct tool {
	struct fp_identity *id;
	bool devices;
	bool quiet;		/* devices only, no observation lines */
	uint64_t printed;
	uint64_t frame;		/* 1-based packet number in the file */
};

enum { O_P0F_DB = 256, O_OUI_DIR, O_NO_DEVICES, O_DEVICES_ONLY, O_MANUF,
	O_MAX_SECONDS, O_CHECK };

static const struct util_opt opts[] = {
	{ "read", 'r', "FILE", "capture to read (pcap or pcapng)" },
	{ "db-dir", 'd', "DIR", "directory of *.sig signature files, or one\n"
		"file (default: the source tree's fingerprint/data,\nelse the "
		"installed copy)" },
	{ "p0f-db", O_P0F_DB, "FILE", "p0f database (default "
		"/etc/p0f/p0f.fp)" },
	{ "oui-dir", O_OUI_DIR, "DIR", "IEEE registry CSVs (default "
		"/usr/share/ieee-data)" },
	{ "manuf", O_MANUF, "FILE", "Wireshark manuf file for newer OUIs\n"
		"(default /usr/share/wireshark/manuf)" },
	{ "no-devices", O_NO_DEVICES, NULL, "do not print the per-MAC device "
		"objects" },
	{ "devices-only", O_DEVICES_ONLY, NULL, "print only the device "
		"objects" },
	{ "max-seconds", O_MAX_SECONDS, "S", "stop after S seconds of capture "
		"time" },
	{ "check-signatures", O_CHECK, NULL, "load the signatures, check every "
		"rule's examples,\nprint a summary; exit 1 on a failure" },
	{ "help", 'h', NULL, "this help" },
	{ "version", 'V', NULL, "print the version" },
	{ NULL, 0, NULL, NULL },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: cordon-fingerprint -r FILE [options]\n"
		"Passive fingerprints from a pcap or pcapng capture, as JSON "
		"lines.\n\n");
	util_opt_help(f, opts);
	fprintf(f, "\nEach line is one JSON object with ts, frame, mac, src, "
		"dst, kind and the\nkind's fields; kinds: tls quic dhcp dhcpv6 "
		"tcp_syn tcp_synack\ndns_query dns_answer mdns ssdp http lldp "
		"discovery, and finally device\n(vendor, type, os, model, "
		"firmware, software with confidences, and the\nevidence behind "
		"them).\n");
}

static void print_json(json_t *j)
{
	char *s;

	if (!j)
		return;
	s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (s) {
		fputs(s, stdout);
		fputc('\n', stdout);
		free(s);
	}
	json_decref(j);
}

static void on_obs(const struct fp_obs *obs, void *arg)
{
	struct tool *t = arg;
	json_t *j = fp_json_obs(obs);

	if (t->quiet) {
		json_decref(j);
		if (t->id)
			fp_identity_add(t->id, obs);
		return;
	}
	/* the packet number, as tshark's frame.number / Suricata pcap_cnt */
	if (j)
		json_object_set_new(j, "frame", json_integer((json_int_t)t->frame));
	if (j && t->id && obs->has_mac) {
		const char *v = fp_identity_mac_vendor(t->id, obs->mac);

		if (v)
			json_object_set_new(j, "mac_vendor",
					fp_json_string(v, strlen(v)));
	}
	if (j && t->id) {
		char label[96];
		bool generic = false;

		/* the p0f.fp label, as p0f's os= field */
		if (fp_identity_p0f_label(t->id, obs, label, sizeof(label),
					&generic))
			json_object_set_new(j, "p0f_label",
					fp_json_string(label, strlen(label)));
	}
	print_json(j);
	t->printed++;
	if (t->id)
		fp_identity_add(t->id, obs);
}

static void print_device(const struct fp_device *dev, void *arg)
{
	(void)arg;
	print_json(fp_json_device(dev));
}

static void say_line(const char *line, void *arg)
{
	(void)arg;
	printf("FAIL %s\n", line);
}

/* --check-signatures: 0 when every example holds. */
static int check_signatures(const char *dir)
{
	struct fp_sig_db *db;
	char err[512];
	size_t n = 0;
	int bad;

	if (fp_sig_load(&db, dir, err, sizeof(err)) < 0) {
		fprintf(stderr, "cordon-fingerprint: %s\n", err);
		return 1;
	}
	bad = fp_sig_selftest(db, say_line, NULL, &n);
	printf("%zu rules, %zu examples, %d failed\n", fp_sig_count(db), n,
			bad);
	fp_sig_free(db);
	return bad ? 1 : 0;
}

/* Traffic of a frame for the device shapes. */
static void traffic(struct tool *t, const struct fp_pcap_frame *fr)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t src[6], dst[6];
	struct fp_addr sip, dip;
	uint32_t wire = fr->wire_len > UINT32_MAX ? UINT32_MAX :
		(uint32_t)fr->wire_len;

	if (!t->id)
		return;
	if (fr->link == FP_PCAP_ETHER) {
		if (fp_frame_addrs(fr->data, fr->len, src, dst, &sip, &dip) == 0)
			fp_identity_traffic(t->id, src, dst, &sip, &dip, wire,
					fr->ts_us);
	} else if (fr->link == FP_PCAP_IP && fr->src_mac) {
		/* only the sender's address is in the link header */
		fp_packet_addrs(fr->data, fr->len, &sip, &dip);
		fp_identity_traffic(t->id, fr->src_mac, bcast, &sip, &dip,
				wire, fr->ts_us);
	}
}

static const char *default_data_dir(void)
{
	return access(FP_SOURCE_DATA_DIR "/oui.sig", R_OK) == 0 ?
		FP_SOURCE_DATA_DIR : FP_INSTALL_DATA_DIR;
}

int main(int argc, char **argv)
{
	struct util_opt_parser op;
	const char *file = NULL, *db_dir = NULL;
	const char *p0f_db = "/etc/p0f/p0f.fp";
	const char *oui_dir = "/usr/share/ieee-data";
	const char *manuf = "/usr/share/wireshark/manuf";
	char errbuf[FP_PCAP_ERR_MAX], iderr[512];
	struct tool t = { .devices = true };
	bool check = false;
	double max_s = -1;
	uint64_t first_ts = 0;
	char *end;
	struct fp_identity_config icfg;
	struct fp_pcap_frame fr;
	struct fp_ctx *ctx;
	int c, rc, ret = 0;
	struct fp_pcap *pc;

	util_opt_init(&op, opts, false);
	while ((c = util_opt_next(&op, argc, argv)) != -1) {
		switch (c) {
		case 'r': file = optarg; break;
		case 'd': db_dir = optarg; break;
		case O_P0F_DB: p0f_db = optarg; break;
		case O_OUI_DIR: oui_dir = optarg; break;
		case O_NO_DEVICES: t.devices = false; break;
		case O_DEVICES_ONLY: t.quiet = true; break;
		case O_MANUF: manuf = optarg; break;
		case O_CHECK: check = true; break;
		case O_MAX_SECONDS:
			errno = 0;
			max_s = strtod(optarg, &end);
			if (errno || *end || end == optarg || max_s < 0) {
				fprintf(stderr, "cordon-fingerprint: "
					"--max-seconds: '%s' is not a number "
					"of seconds\n", optarg);
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("cordon-fingerprint %s\n", CORDON_VERSION);
			return 0;
		default: usage(stderr); return 2;
		}
	}
	if (check && optind == argc)
		return check_signatures(db_dir ? db_dir : default_data_dir());
	if (!file || optind != argc || check) {
		usage(stderr);
		return 2;
	}
	pc = fp_pcap_open(file, errbuf, sizeof(errbuf));
	if (!pc) {
		fprintf(stderr, "cordon-fingerprint: %s: %s\n", file, errbuf);
		return 1;
	}
	ctx = fp_ctx_create(NULL);
	if (!ctx) {
		fprintf(stderr, "cordon-fingerprint: out of memory\n");
		fp_pcap_close(pc);
		return 1;
	}
	memset(&icfg, 0, sizeof(icfg));
	icfg.signatures = db_dir ? db_dir : default_data_dir();
	icfg.p0f_db = p0f_db;
	icfg.oui_dir = oui_dir;
	icfg.manuf = access(manuf, R_OK) == 0 ? manuf : NULL;
	icfg.err = iderr;
	icfg.err_cap = sizeof(iderr);
	t.id = fp_identity_create(&icfg);
	if (!t.id) {
		fprintf(stderr, "cordon-fingerprint: %s\n",
				iderr[0] ? iderr : "cannot load identity data");
		ret = 1;
		goto out;
	}
	while ((rc = fp_pcap_next(pc, &fr)) == 1) {
		if (!first_ts)
			first_ts = fr.ts_us ? fr.ts_us : 1;
		if (max_s >= 0 && fr.ts_us > first_ts &&
				(double)(fr.ts_us - first_ts) / 1e6 > max_s)
			break;
		t.frame = fr.number;
		traffic(&t, &fr);
		if (fr.link == FP_PCAP_ETHER)
			fp_process_frame(ctx, fr.data, fr.len, fr.ts_us, on_obs,
					&t);
		else if (fr.link == FP_PCAP_IP)
			fp_process_ip(ctx, fr.data, fr.len, fr.src_mac,
					fr.ts_us, on_obs, &t);
	}
	if (rc < 0) {
		fprintf(stderr, "cordon-fingerprint: %s: %s\n", file,
				fp_pcap_error(pc));
		ret = 1;
	}
	if (t.id && t.devices && ret == 0)
		fp_identity_foreach(t.id, print_device, NULL);
out:
	fflush(stdout);
	fp_identity_destroy(t.id);
	fp_ctx_destroy(ctx);
	fp_pcap_close(pc);
	return ret;
}
