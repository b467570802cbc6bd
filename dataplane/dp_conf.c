/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "det.h"
#include "dp_conf.h"
#include "dp_idle.h"
#include "endpoint.h"
#include "util_opt.h"

enum {
	OPT_MAC_AGEING = 256,
	OPT_MBUFS,
	OPT_RX_DESC,
	OPT_TX_DESC,
	OPT_EXIT_AFTER,
	OPT_NO_CONTROL,
	OPT_FLOWS,
	OPT_DEVICES,
	OPT_NO_FINGERPRINT,
	OPT_PUBKEY,
	OPT_STATE_DIR,
	OPT_BEHAVIOUR_INTERVAL,
	OPT_DNS_TTL_FLOOR,
	OPT_DNS_BINDINGS,
	OPT_TLS_CERT,
	OPT_TLS_KEY,
	OPT_TLS_CA,
	OPT_TLS_SERVER_NAME,
	OPT_CHECK_CONFIG,
	OPT_FAIL_OPEN,
	OPT_VERSION,
	OPT_DETECT,
	OPT_NO_DETECT,
	OPT_DETECT_DEVICES,
	OPT_DETECT_LEARN,
	OPT_INDICATORS,
	OPT_DEVICE_RETIRE,
	OPT_IDLE_SLEEP,
	OPT_HEAP_KEEP,
	OPT_REPORT_QUEUE,
};

static const struct option dp_conf_opts[] = {
	{ "control", required_argument, NULL, 'c' },
	{ "no-control", no_argument, NULL, OPT_NO_CONTROL },
	{ "id", required_argument, NULL, 'i' },
	{ "policy", required_argument, NULL, 'p' },
	{ "report-interval", required_argument, NULL, 'r' },
	{ "report-queue", required_argument, NULL, OPT_REPORT_QUEUE },
	{ "burst", required_argument, NULL, 'b' },
	{ "idle-sleep", required_argument, NULL, OPT_IDLE_SLEEP },
	{ "flows", required_argument, NULL, OPT_FLOWS },
	{ "devices", required_argument, NULL, OPT_DEVICES },
	{ "heap-keep", required_argument, NULL, OPT_HEAP_KEEP },
	{ "no-fingerprint", no_argument, NULL, OPT_NO_FINGERPRINT },
	{ "pubkey", required_argument, NULL, OPT_PUBKEY },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
	{ "fail-open", no_argument, NULL, OPT_FAIL_OPEN },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "behaviour-interval", required_argument, NULL,
	  OPT_BEHAVIOUR_INTERVAL },
	{ "dns-ttl-floor", required_argument, NULL, OPT_DNS_TTL_FLOOR },
	{ "dns-bindings", required_argument, NULL, OPT_DNS_BINDINGS },
	{ "mac-ageing", required_argument, NULL, OPT_MAC_AGEING },
	{ "mbufs", required_argument, NULL, OPT_MBUFS },
	{ "rx-desc", required_argument, NULL, OPT_RX_DESC },
	{ "tx-desc", required_argument, NULL, OPT_TX_DESC },
	{ "exit-after", required_argument, NULL, OPT_EXIT_AFTER },
	{ "tls-cert", required_argument, NULL, OPT_TLS_CERT },
	{ "tls-key", required_argument, NULL, OPT_TLS_KEY },
	{ "tls-ca", required_argument, NULL, OPT_TLS_CA },
	{ "tls-server-name", required_argument, NULL, OPT_TLS_SERVER_NAME },
	{ "check-config", no_argument, NULL, OPT_CHECK_CONFIG },
	{ "detect", no_argument, NULL, OPT_DETECT },
	{ "no-detect", no_argument, NULL, OPT_NO_DETECT },
	{ "detect-devices", required_argument, NULL, OPT_DETECT_DEVICES },
	{ "detect-learn", required_argument, NULL, OPT_DETECT_LEARN },
	{ "indicators", required_argument, NULL, OPT_INDICATORS },
	{ "device-retire", required_argument, NULL, OPT_DEVICE_RETIRE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void
dp_conf_usage(FILE *f, const char *prog)
{
	fprintf(f,
"Usage: %s [EAL options] -- [options]\n"
"\n"
"Cordon's DPDK dataplane: a transparent L2 bridge between all its ports.\n"
"Ports are whatever the EAL probes: PCI devices or --vdev (net_pcap,\n"
"net_null, net_memif, net_af_xdp, net_af_packet, ...). One worker lcore\n"
"per RX queue; the main lcore does control work.\n"
"\n"
"Options:\n"
"  -c, --control URL         cordond's dataplane endpoint\n"
"                            (default ipc://<rundir>/dataplane.sock)\n"
"                            tls+tcp://HOST:PORT: TLS with mutual certificate\n"
"                            authentication (the --tls-* options)\n"
"      --tls-cert FILE       this dataplane's certificate (PEM; CN = its id;\n"
"                            may hold the key too)\n"
"      --tls-key FILE        its private key (PEM; default: in --tls-cert)\n"
"      --tls-ca FILE         the CA cordond's certificate must come from\n"
"      --tls-server-name N   the name cordond's certificate must carry\n"
"                            (default: the URL's host; nng 1.5 matches DNS\n"
"                            names only, so give one for an IP address URL)\n"
"      --no-control          run standalone, without cordond\n"
"  -i, --id NAME             dataplane id reported to cordond (default: host name)\n"
"  -p, --policy FILE         compiled policy (binary cordon.Policy) to enforce\n"
"      --pubkey FILE         policies from cordond must be signed by this key\n"
"                            (cordonctl keygen's .pub); others are refused\n"
"      --state-dir DIR       keep the last two good signed policies here and\n"
"                            enforce the newer from the start, before cordond\n"
"                            answers (the older if the newer is corrupt); if\n"
"                            neither verifies, start fail-closed (drop all)\n"
"                            until cordond sends a policy\n"
"      --fail-open           ... or forward everything instead (a bridge)\n"
"  -r, --report-interval MS  stats report period, 100..60000 (default 1000)\n"
"      --report-queue N      reports kept for cordond until it acknowledges\n"
"                            them, 4..65536 (default 256: 4 min at the\n"
"                            default period); when full, no new report is\n"
"                            made until cordond takes some (the next one\n"
"                            carries the counters)\n"
"  -b, --burst N             RX burst size, 1..64 (default 64)\n"
"      --idle-sleep US       a worker whose queues stay empty sleeps between\n"
"                            polls, backing off from 1 us to US, 0..10000\n"
"                            (default 0: busy-poll, a whole core per worker);\n"
"                            the first packet after a lull waits up to US\n"
"      --flows N             flow table entries, shared out among the workers,\n"
"                            1024..268435456 (default 1048576: ~142 MiB)\n"
"      --devices N           devices (MAC per VLAN) to learn, 16..16777216\n"
"                            (default 65536); more are flooded, not learned\n"
"      --heap-keep MB        keep up to MB of freed memory in the heap, 0..1024\n"
"                            (default 64; 0: glibc's defaults): a policy\n"
"                            build reuses the last one's pages rather than\n"
"                            faulting them in afresh (GLIBC_TUNABLES' malloc\n"
"                            thresholds, where set, win)\n"
"      --device-retire D     forget a device unheard for D (1s..366d: 90m, 24h,\n"
"                            7d; default 24h; 0: never): its index, counters\n"
"                            and behaviour go, and it is learned afresh if it\n"
"                            comes back; with the table 7/8 full, those\n"
"                            unheard for the MAC ageing time go too\n"
"      --no-fingerprint      no device identification (inventory taps off)\n"
"      --detect              threat detection and containment inline (the\n"
"                            default): scans, brute force, floods, lateral\n"
"                            movement, forged DNS answers, ... (see README)\n"
"      --no-detect           no threat detection; DNS answers bind unchecked\n"
"      --detect-devices N    devices the detectors keep state for at once,\n"
"                            16..1048576 (default 1024: ~23 MiB)\n"
"      --detect-learn D      how long each device's behaviour envelope is\n"
"                            learned from its first packet: 90s, 15m, 24h,\n"
"                            1d (default 24h; 0: no envelope)\n"
"      --indicators FILE     known-bad addresses, networks, DNS names, JA3\n"
"                            and JA4, one a line with its source (the\n"
"                            format of cordon-detect --indicators); a\n"
"                            device that reaches one raises an indicator\n"
"                            alert\n"
"      --behaviour-interval S  length of a device behaviour summary,\n"
"                            1..86400 (default 60)\n"
"      --dns-ttl-floor S     keep an address learned from a DNS answer (for\n"
"                            dns_name rules) at least S seconds whatever its\n"
"                            TTL, 0..86400 (default 60)\n"
"      --dns-bindings N      (device, address) -> DNS name bindings kept,\n"
"                            64..16777216 (default 65536: ~5 MiB + names)\n"
"      --mac-ageing S        stop forwarding to a device unheard for S seconds\n"
"                            (it floods instead), 1..86400 (default 300)\n"
"      --mbufs N             mbuf pool size, 1024.. (default: sized to the ports)\n"
"      --rx-desc N           RX descriptors per queue (default 1024)\n"
"      --tx-desc N           TX descriptors per queue (default 1024)\n"
"      --exit-after S        stop by itself after S seconds (tests, benchmarks)\n"
"      --check-config        check these options and the files they name\n"
"                            (policy, key, TLS, state), print, and exit: 0\n"
"                            when usable, 1 if not; nothing is started\n"
"      --version             print the version and exit\n"
"  -h, --help                this text\n"
"\n"
"The runtime directory is $CORDON_RUNDIR, else /run/cordon (root), else\n"
"$XDG_RUNTIME_DIR/cordon. SIGINT or SIGTERM stops the dataplane cleanly and\n"
"prints its final counters; one that arrives during start-up is held until\n"
"it has started, then acted on.\n", prog);
}

static int
dp_conf_u32(const char *name, const char *s, uint32_t lo, uint32_t hi,
	    uint32_t *out, char *err, size_t errlen)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || s[0] == '-' ||
	    v < lo || v > hi) {
		snprintf(err, errlen, "--%s: '%s' is not a number in %u..%u",
			 name, s, lo, hi);
		return -EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}

static int
dp_conf_str(const char *name, const char *s, char *dst, size_t len, char *err,
	    size_t errlen)
{
	if (s[0] == '\0' || strlen(s) >= len) {
		snprintf(err, errlen, "--%s: %s", name,
			 s[0] == '\0' ? "must not be empty" : "too long");
		return -EINVAL;
	}
	strcpy(dst, s);
	return 0;
}

/* A TLS URL needs its files; the files need a TLS URL. */
static int
dp_conf_check_tls(const struct dp_conf *conf, char *err, size_t errlen)
{
	bool tls = strncmp(conf->control_url, "tls+tcp", 7) == 0;
	bool files = conf->tls_cert[0] || conf->tls_key[0] ||
		conf->tls_ca[0] || conf->tls_server_name[0];

	if (tls && (conf->tls_cert[0] == '\0' || conf->tls_ca[0] == '\0')) {
		snprintf(err, errlen, "--control %s needs --tls-cert and "
			 "--tls-ca (and --tls-key unless the certificate file "
			 "holds the key)", conf->control_url);
		return -EINVAL;
	}
	if (!tls && files) {
		snprintf(err, errlen, "the --tls-* options need a tls+tcp:// "
			 "--control URL");
		return -EINVAL;
	}
	return 0;
}

/* The options that only set a number (in a range) or a string. */
#define DP_CONF_DIM(a) (sizeof(a) / sizeof((a)[0]))
#define DP_CONF_FIELD(f) offsetof(struct dp_conf, f)
#define DP_CONF_TEXT(f, cut) \
	DP_CONF_FIELD(f), sizeof(((struct dp_conf *)0)->f) - (cut)

static const struct dp_conf_num {
	int opt;
	const char *name;
	uint32_t lo, hi;
	size_t off;
} dp_conf_nums[] = {
	{ 'b', "burst", 1, 64, DP_CONF_FIELD(burst) },
	{ OPT_IDLE_SLEEP, "idle-sleep", 0, DP_IDLE_MAX_US,
		DP_CONF_FIELD(idle_sleep_us) },
	{ 'r', "report-interval", 100, 60000,
		DP_CONF_FIELD(report_interval_ms) },
	{ OPT_REPORT_QUEUE, "report-queue", 4, 65536,
		DP_CONF_FIELD(report_queue) },
	{ OPT_FLOWS, "flows", 1024, 1u << 28, DP_CONF_FIELD(flows) },
	{ OPT_DEVICES, "devices", 16, 1u << 24, DP_CONF_FIELD(devices) },
	{ OPT_HEAP_KEEP, "heap-keep", 0, 1024, DP_CONF_FIELD(heap_keep_mb) },
	{ OPT_DNS_TTL_FLOOR, "dns-ttl-floor", 0, 86400,
		DP_CONF_FIELD(dns_ttl_floor_s) },
	{ OPT_DNS_BINDINGS, "dns-bindings", 64, 1u << 24,
		DP_CONF_FIELD(dns_bindings) },
	{ OPT_BEHAVIOUR_INTERVAL, "behaviour-interval", 1, 86400,
		DP_CONF_FIELD(behaviour_interval_s) },
	{ OPT_MAC_AGEING, "mac-ageing", 1, 86400, DP_CONF_FIELD(mac_ageing_s) },
	{ OPT_MBUFS, "mbufs", 1024, 1u << 26, DP_CONF_FIELD(mbufs) },
	{ OPT_RX_DESC, "rx-desc", 64, 32768, DP_CONF_FIELD(rx_desc) },
	{ OPT_TX_DESC, "tx-desc", 64, 32768, DP_CONF_FIELD(tx_desc) },
	{ OPT_EXIT_AFTER, "exit-after", 1, 1u << 30,
		DP_CONF_FIELD(exit_after_s) },
	{ OPT_DETECT_DEVICES, "detect-devices", 16, 1u << 20,
		DP_CONF_FIELD(detect_devices) },
};

static const struct dp_conf_text {
	int opt;
	const char *name;
	size_t off, len;
} dp_conf_texts[] = {
	{ 'i', "id", DP_CONF_TEXT(id, 0) },
	{ 'p', "policy", DP_CONF_TEXT(policy_file, 0) },
	{ OPT_PUBKEY, "pubkey", DP_CONF_TEXT(pubkey_file, 0) },
	{ OPT_STATE_DIR, "state-dir", DP_CONF_TEXT(state_dir, 32) },
	{ OPT_INDICATORS, "indicators", DP_CONF_TEXT(indicators_file, 0) },
	{ OPT_TLS_CERT, "tls-cert", DP_CONF_TEXT(tls_cert, 0) },
	{ OPT_TLS_KEY, "tls-key", DP_CONF_TEXT(tls_key, 0) },
	{ OPT_TLS_CA, "tls-ca", DP_CONF_TEXT(tls_ca, 0) },
	{ OPT_TLS_SERVER_NAME, "tls-server-name",
		DP_CONF_TEXT(tls_server_name, 0) },
};

/* One of the options above; -ENOENT when it is none of them. */
static int
dp_conf_field(int c, const char *arg, struct dp_conf *conf, char *err,
	      size_t errlen)
{
	char *base = (char *)conf;

	for (size_t i = 0; i < DP_CONF_DIM(dp_conf_nums); i++) {
		const struct dp_conf_num *n = &dp_conf_nums[i];

		if (n->opt == c)
			return dp_conf_u32(n->name, arg, n->lo, n->hi,
					   (uint32_t *)(base + n->off), err,
					   errlen);
	}
	for (size_t i = 0; i < DP_CONF_DIM(dp_conf_texts); i++) {
		const struct dp_conf_text *t = &dp_conf_texts[i];

		if (t->opt == c)
			return dp_conf_str(t->name, arg, base + t->off, t->len,
					   err, errlen);
	}
	return -ENOENT;
}

static void
dp_conf_defaults(struct dp_conf *conf)
{
	char rundir[PATH_MAX];

	memset(conf, 0, sizeof(*conf));
	if (endpoint_rundir(rundir, sizeof(rundir)) == 0)
		endpoint_default_url(rundir, ENDPOINT_DATAPLANE_SOCK,
				     conf->control_url,
				     sizeof(conf->control_url));
	if (gethostname(conf->id, sizeof(conf->id) - 1) < 0 ||
	    conf->id[0] == '\0')
		strcpy(conf->id, "cordon");
	conf->report_interval_ms = 1000;
	conf->report_queue = 256;
	/* The most the flow table takes at once (FLOW_BURST_MAX): the
	 * burst's fixed work (the loop, the flushes, the hint and entry
	 * prefetches' lead) spread over twice the packets of DPDK's usual
	 * 32 paid 3-4 % on bench_peers' mix. */
	conf->burst = 64;
	conf->flows = 1u << 20;
	conf->devices = 65536;
	/* rte_acl's 8 MiB pools kept between builds: a third off a policy
	 * swap in a KVM guest, for no more than a build's own peak. */
	conf->heap_keep_mb = 64;
	conf->mac_ageing_s = 300;
	conf->dns_ttl_floor_s = 60;
	conf->dns_bindings = 65536;
	conf->behaviour_interval_s = 60;
	conf->fingerprint = true;
	conf->detect = true;
	conf->detect_devices = 1024;
	conf->detect_learn_ms = 24ull * 3600 * 1000;
	conf->device_retire_s = 24 * 3600;
	conf->rx_desc = 1024;
	conf->tx_desc = 1024;
}

static const char dp_conf_shorts[] = ":c:i:p:r:b:h";

int
dp_conf_parse(int argc, char **argv, struct dp_conf *conf, char *err,
	      size_t errlen)
{
	int c, rc = 0;

	dp_conf_defaults(conf);
	err[0] = '\0';
	/* 0, not 1: glibc then starts afresh, forgetting where a parse that
	 * stopped in the middle of "-zh" was (a pointer into its argv). */
	optind = 0;

	while (rc == 0 &&
	       (c = util_opt_getopt(argc, argv, dp_conf_shorts,
				    dp_conf_opts)) != -1) {
		switch (c) {
		case 'c':
			rc = dp_conf_str("control", optarg, conf->control_url,
					 sizeof(conf->control_url), err,
					 errlen);
			if (rc == 0 && strstr(optarg, "://") == NULL) {
				snprintf(err, errlen,
					 "--control: '%s' is not an nng URL "
					 "(ipc://PATH, tcp://HOST:PORT, ...)",
					 optarg);
				rc = -EINVAL;
			}
			break;
		case OPT_NO_CONTROL:
			conf->control_url[0] = '\0';
			break;
		case OPT_NO_FINGERPRINT:
			conf->fingerprint = false;
			break;
		case OPT_DETECT:
		case OPT_NO_DETECT:
			conf->detect = c == OPT_DETECT;
			break;
		case OPT_DETECT_LEARN: {
			int64_t ms = det_parse_duration(optarg);

			/* at most a year */
			if (ms < 0 || ms > 366ll * 86400 * 1000) {
				snprintf(err, errlen, "--detect-learn: '%s' is "
					 "not a duration (90s, 15m, 24h, 1d; at "
					 "most 366d)", optarg);
				rc = -EINVAL;
				break;
			}
			conf->detect_learn_ms = (uint64_t)ms;
			break;
		}
		case OPT_DEVICE_RETIRE: {
			int64_t ms = det_parse_duration(optarg);

			/* whole seconds: devices are heard by the second */
			if (ms < 0 || (ms != 0 && ms < 1000) ||
			    ms > 366ll * 86400 * 1000) {
				snprintf(err, errlen, "--device-retire: '%s' is "
					 "not a duration of 1s..366d (90m, 24h, "
					 "7d; 0: never)", optarg);
				rc = -EINVAL;
				break;
			}
			conf->device_retire_s = (uint32_t)(ms / 1000);
			break;
		}
		case OPT_CHECK_CONFIG:
			conf->check_config = true;
			break;
		case OPT_FAIL_OPEN:
			conf->fail_open = true;
			break;
		case OPT_VERSION:
			conf->version = true;
			break;
		case 'h':
			conf->help = true;
			break;
		case ':':
			snprintf(err, errlen, "option '%s' needs a value",
				 argv[optind - 1]);
			rc = -EINVAL;
			break;
		default:
			rc = dp_conf_field(c, optarg, conf, err, errlen);
			if (rc != -ENOENT)
				break;
			snprintf(err, errlen, "unknown option '%s' (see --help)",
				 util_opt_refused(c, argv));
			rc = -EINVAL;
			break;
		}
	}
	if (rc == 0 && optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s' (see --help)",
			 argv[optind]);
		rc = -EINVAL;
	}
	if (rc == 0 && !conf->help && !conf->detect &&
	    conf->indicators_file[0] != '\0') {
		snprintf(err, errlen, "--indicators needs detection: drop "
			 "--no-detect");
		rc = -EINVAL;
	}
	if (rc == 0 && !conf->help)
		rc = dp_conf_check_tls(conf, err, errlen);
	return rc;
}
