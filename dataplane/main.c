/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordon-dataplane: EAL and port setup on the main lcore, one worker per
 * remaining lcore, and a control agent thread that talks to cordond. The
 * main lcore keeps the coarse clock and waits for a signal; later it also
 * builds policies and drains fingerprint taps, off the fast path.
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_pdump.h>
#include <rte_ring.h>

#include "agent.h"
#include "contain.h"
#include "det_ioc.h"
#include "detector.h"
#include "dev_retire.h"
#include "dns_snoop.h"
#include "dp.h"
#include "dp_conf_check.h"
#include "dp_policy.h"
#include "dp_report.h"
#include "endpoint.h"
#include "dp_ask.h"
#include "dp_cap.h"
#include "flow_dump.h"
#include "flow_hash.h"
#include "inventory.h"
#include "policy_file.h"
#include "port.h"
#include "telemetry.h"
#include "util_heap.h"
#include "wire.h"
#include "worker.h"

static struct dp dp_main;

uint64_t
dp_uptime_ms(const struct dp *dp)
{
	return (rte_get_tsc_cycles() - dp->hot.start_tsc) * 1000 /
		rte_get_tsc_hz();
}

static void
dp_on_signal(int sig)
{
	(void)sig;
	__atomic_store_n(&dp_main.hot.quit, true, __ATOMIC_RELAXED);
}

/*
 * SIGINT and SIGTERM are held (blocked) from before rte_eal_init() until
 * the dataplane has started: every thread the EAL, nng and the agent
 * create inherits the mask, so none of them ever takes one, and one that
 * arrives while the EAL, the ports, telemetry or the agent come up waits,
 * pending, instead of killing the process with the default action (no
 * final counters, nothing said: the test saw only the exit status). The
 * main lcore lets them in once started (dp_signals_release()): a held one
 * is acted on at once, and the stop is the usual clean one. SIGPIPE is
 * ignored from the same point: the telemetry thread writes to clients
 * that may have gone.
 */
static int
dp_signals_hold(void)
{
	struct sigaction sa;
	sigset_t set;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = dp_on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	rc = pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (rc != 0)
		return -rc;
	if (sigaction(SIGINT, &sa, NULL) < 0 ||
	    sigaction(SIGTERM, &sa, NULL) < 0 ||
	    signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return -errno;
	return 0;
}

/* The stop held during start-up, if any: "SIGTERM", "SIGINT" or NULL. */
static const char *
dp_signal_held(void)
{
	sigset_t pending;

	if (sigpending(&pending) != 0)
		return NULL;
	if (sigismember(&pending, SIGTERM) == 1)
		return "SIGTERM";
	if (sigismember(&pending, SIGINT) == 1)
		return "SIGINT";
	return NULL;
}

/* Started: take SIGINT and SIGTERM on the main lcore from now on, the
 * one held during start-up (if any) first, and say so. */
static void
dp_signals_release(void)
{
	const char *held = dp_signal_held();
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (held != NULL) {
		printf("cordon-dataplane: %s arrived during start-up: "
		       "stopping now\n", held);
		fflush(stdout);
	}
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

static uint64_t
dp_unix_us(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000000 + (uint64_t)tv.tv_usec;
}

/*
 * The run's id (dp->boot_id). getrandom() waits only until the kernel's
 * pool is ready, a moment after boot; should it fail anyway, the start
 * time, the TSC and the pid mixed (splitmix64's finaliser) stand in.
 */
static uint64_t
dp_boot_id(uint64_t unix_us)
{
	uint64_t id;
	ssize_t n;

	do {
		n = getrandom(&id, sizeof(id), 0);
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(id)) {
		id = unix_us ^ (rte_get_tsc_cycles() << 21) ^
			((uint64_t)getpid() << 43);
		id = (id ^ (id >> 30)) * 0xbf58476d1ce4e5b9ULL;
		id = (id ^ (id >> 27)) * 0x94d049bb133111ebULL;
		id ^= id >> 31;
	}
	id &= INT64_MAX;	/* stored as a signed 64-bit key */
	return id != 0 ? id : 1;
}

/* Index of "--" in argv, or argc when there is none. */
static int
dp_split_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			return i;
	return argc;
}

/* Whether a port is an AF_XDP socket: the pool must fit its UMEM. */
static bool
dp_has_af_xdp(void)
{
	struct rte_eth_dev_info info;
	uint16_t port_id;

	RTE_ETH_FOREACH_DEV(port_id)
		if (rte_eth_dev_info_get(port_id, &info) == 0 &&
		    info.driver_name != NULL &&
		    strcmp(info.driver_name, "net_af_xdp") == 0)
			return true;
	return false;
}

static int
dp_pool_setup(struct dp *dp)
{
	struct dp_pool *p = &dp->mbufs;
	uint32_t n = dp->conf.mbufs;
	int rc;

	if (n == 0) {
		uint32_t ports = rte_eth_dev_count_avail();

		/* every descriptor, burst and ring that can hold one, full */
		n = ports * dp->hot.n_workers *
			(dp->conf.rx_desc + dp->conf.tx_desc) +
			dp->hot.n_workers * (DP_MAX_BURST * (ports + 2) +
					     DP_STEER_RING + DP_TAP_RING) +
			4096;
	}
	rc = dp_pool_create(p, "cordon_mbufs", n, 256,
			    RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id(),
			    dp_has_af_xdp());
	if (rc < 0) {
		fprintf(stderr, "cordon-dataplane: cannot allocate %u mbufs: "
			"%s (raise the EAL's -m, or lower --mbufs)\n", n,
			rte_strerror(-rc));
		return rc;
	}
	dp->pool = p->mp;
	RTE_LOG(INFO, USER1, "mbuf pool: %u mbufs in %u chunk%s%s\n", p->n,
		p->chunks, p->chunks == 1 ? "" : "s",
		p->own_map ? ", packed in an own mapping advised for "
		"transparent huge pages (no hugepages)" :
		p->packed ? ", packed (no hugepages)" : "");
	/* Lost to the AF_XDP ports otherwise, one fill entry each. */
	if (p->outside > 0)
		RTE_LOG(WARNING, USER1, "mbuf pool: %u mbufs lie outside the "
			"AF_XDP UMEM window%s\n", p->outside, p->umem ?
			": set aside, never used" : " (no AF_XDP port)");
	return 0;
}

/* --policy: enforce it before the first packet, or refuse to start. */
static int
dp_load_policy_file(struct dp *dp)
{
	Cordon__Policy *pol = NULL;
	char err[256];
	int rc;

	rc = policy_file_load(dp->conf.policy_file, &pol, err, sizeof(err));
	if (rc == 0)
		rc = dp_policy_apply(dp, pol, NULL, 0, err, sizeof(err));
	if (rc < 0)
		fprintf(stderr, "cordon-dataplane: %s: %s\n",
			dp->conf.policy_file, err);
	return rc;
}

/* Main lcore: wait for a policy to build, at most ms. */
static void
dp_main_wait(struct dp *dp, unsigned int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += (long)ms * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&dp->policy_ctl.mbox_lock);
	if (dp->policy_ctl.mbox == NULL)
		pthread_cond_timedwait(&dp->policy_ctl.mbox_cond,
				       &dp->policy_ctl.mbox_lock, &ts);
	pthread_mutex_unlock(&dp->policy_ctl.mbox_lock);
	dp_policy_poll(dp);
}

/* detector.c's alerts and envelopes go to cordond at once. */
static void
dp_alert_to_agent(void *arg, Cordon__MsgType type, uint64_t seq,
		  uint8_t *buf, size_t len)
{
	if (type == CORDON__MSG_TYPE__MSG_ALERT)
		agent_alert(arg, seq, buf, len);
	else
		agent_envelope(arg, buf, len);
}

/* Build a report of everything and queue it for cordond. */
static void
dp_send_report(struct dp *dp, struct agent *agent)
{
	struct agent_stats st;
	struct dp_report r;
	uint8_t *buf;
	size_t len;

	struct dp_report_extra extra[DP_REPORT_EXTRA_MAX];
	size_t n_extra = 0;

	/* Backpressure: a full queue waits for cordond, and the next report
	 * carries this interval's counters. */
	if (agent_report_defer(agent))
		return;
	agent_get_stats(agent, &st);
#define DP_AGENT_EXTRA(field, name) \
	extra[n_extra++] = (struct dp_report_extra){ name, st.field };
	AGENT_STATS_REPORTED(DP_AGENT_EXTRA)
#undef DP_AGENT_EXTRA
	extra[n_extra++] = (struct dp_report_extra){ "policy_swaps",
		__atomic_load_n(&dp->policy_ctl.swaps, __ATOMIC_RELAXED) };
	extra[n_extra++] = (struct dp_report_extra){ "policy_rejected",
		__atomic_load_n(&dp->policy_ctl.rejected, __ATOMIC_RELAXED) };

	n_extra += detector_report_extras(dp, extra + n_extra,
					  RTE_DIM(extra) - n_extra);
	n_extra += dev_retire_report_extras(dp, extra + n_extra,
					    RTE_DIM(extra) - n_extra);
	/* Typed evidence only for a cordond that knows it (wire minor 2),
	 * firmware and obsolete TLS from minor 4. A sequence number is
	 * taken only by a report handed to the agent, so that made =
	 * acknowledged + pending + dropped. */
	if (dp_report_build(dp, dp->report_seq + 1, extra, n_extra,
			    DP_REPORT_DEVICES |
			    (WIRE_VERSION_MINOR_OF(st.peer_proto) >= 2 ?
			     DP_REPORT_EVIDENCE : 0) |
			    (WIRE_VERSION_MINOR_OF(st.peer_proto) >= 4 ?
			     DP_REPORT_FIRMWARE : 0), &r) < 0)
		return;
	len = cordon__stats_report__get_packed_size(&r.msg);
	buf = malloc(len ? len : 1);
	if (buf != NULL) {
		cordon__stats_report__pack(&r.msg, buf);
		dp->report_seq++;
		agent_submit(agent, r.msg.seq, buf, len);
	}
	dp_report_free(&r);
}

static void
dp_print_final(const struct dp *dp)
{
	struct dp_report_extra extra[DP_REPORT_EXTRA_MAX];
	size_t n_extra = detector_report_extras(dp, extra, RTE_DIM(extra));
	struct contain_view cv[16];
	uint32_t n_cv = contain_list(dp, cv, RTE_DIM(cv));
	struct dp_report r;

	/* The drop reasons alone in the counters' list (scripts sum them);
	 * detection's counters on a line of their own. */
	if (dp_report_build(dp, 0, NULL, 0, 0, &r) < 0)
		return;
	uint64_t rx = 0, tx = 0, drops = 0;

	uint64_t named = 0;

	for (size_t i = 0; i < r.msg.n_workers; i++) {
		rx += r.msg.workers[i]->rx_packets;
		tx += r.msg.workers[i]->tx_packets;
		drops += r.msg.workers[i]->drops;
		for (size_t k = 0; k < r.msg.workers[i]->n_drop_reasons; k++)
			named += r.msg.workers[i]->drop_reasons[k]->value;
	}
	printf("cordon-dataplane: final counters after %.1f s\n",
	       (double)r.msg.uptime_ms / 1000.0);
	dp_report_print(stdout, &r);
	/* Every drop has a reason: say so if the sum falls short. */
	if (named != drops)
		printf("  drops without a named reason %" PRIu64 "\n",
		       drops > named ? drops - named : 0);
	/* One line for scripts. */
	printf("cordon-dataplane: total rx %" PRIu64 " tx %" PRIu64
	       " drops %" PRIu64 "\n", rx, tx, drops);
	if (n_extra != 0) {
		printf("cordon-dataplane: detection");
		for (size_t i = 0; i < n_extra; i++)
			if (extra[i].value != 0)
				printf(" %s=%" PRIu64, extra[i].name,
				       extra[i].value);
		putchar('\n');
	}
	{
		struct dp_report_extra dev[DEV_RETIRE_EXTRAS];
		size_t n_dev = dev_retire_report_extras(dp, dev,
							RTE_DIM(dev));

		const struct device_table *t = &dp->hot.devices;
		uint32_t listed = 0;

		/* Counted entry by entry, not derived from the others. */
		for (uint32_t i = 0; i < device_count(t) && i < t->max; i++)
			listed += device_live(t, i) != 0;
		printf("cordon-dataplane: device table devices_live=%u",
		       device_live_count(t));
		for (size_t i = 0; i < n_dev; i++)
			printf(" %s=%" PRIu64, dev[i].name, dev[i].value);
		putchar('\n');
		/* Every index handed out is in exactly one of these, and
		 * every one given back was taken again or is free. */
		printf("cordon-dataplane: device indices %u = listed %u + "
		       "retiring %u + free %u; retired %" PRIu64 " = reused %"
		       PRIu64 " + free %u\n", device_count(t), listed,
		       __atomic_load_n(&t->n_retiring, __ATOMIC_RELAXED),
		       rte_ring_count(t->free),
		       __atomic_load_n(&t->retired, __ATOMIC_RELAXED),
		       __atomic_load_n(&t->reused, __ATOMIC_RELAXED),
		       rte_ring_count(t->free));
	}
	/* The devices it contained, times on the wall clock (us). */
	for (uint32_t i = n_cv; i-- > 0;) {
		const struct contain_rec *c = &cv[i].rec;
		const uint64_t t0 = dp_unix_us_at(dp, 0);

		printf("cordon-dataplane: contained %02x:%02x:%02x:%02x:%02x:%02x"
		       " vlan %u %s %s first_packet_us %" PRIu64 " detected_us %"
		       PRIu64 " contained_us %" PRIu64 " first_drop_us %" PRIu64
		       " drops %" PRIu64 "\n", c->mac[0], c->mac[1], c->mac[2],
		       c->mac[3], c->mac[4], c->mac[5], c->vlan,
		       c->detector < DET_N ? det_detector_name(
		       (enum det_detector)c->detector) : "kept",
		       contain_state_name((enum contain_state)c->state),
		       c->first_us ? t0 + c->first_us : 0,
		       c->detected_us ? t0 + c->detected_us : 0,
		       c->contained_us ? t0 + c->contained_us : 0,
		       cv[i].first_drop_us ? t0 + cv[i].first_drop_us : 0,
		       cv[i].quar_drops);
	}
	fflush(stdout);
	dp_report_free(&r);
}

int
main(int argc, char **argv)
{
	struct dp *dp = &dp_main;
	struct agent *agent = NULL;
	char err[256];
	int split, eal_rc, rc, status = EXIT_FAILURE;

	/* Our options come after "--": check them before starting the EAL. */
	split = dp_split_args(argc, argv);
	{
		char *app_argv[argc + 1];
		int app_argc = 0;

		app_argv[app_argc++] = argv[0];
		for (int i = split + 1; i < argc; i++)
			app_argv[app_argc++] = argv[i];
		app_argv[app_argc] = NULL;
		rc = dp_conf_parse(app_argc, app_argv, &dp->conf, err,
				   sizeof(err));
	}
	if (rc < 0) {
		fprintf(stderr, "cordon-dataplane: %s\n", err);
		return 2;
	}
	for (int i = 1; i < split; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0)
			dp->conf.help = true;
		if (strcmp(argv[i], "--version") == 0)
			dp->conf.version = true;
	}
	if (dp->conf.version) {
		printf("cordon-dataplane %s\n", CORDON_VERSION);
		return 0;
	}
	if (dp->conf.help) {
		dp_conf_usage(stdout, "cordon-dataplane");
		printf("\nEAL options: see the DPDK documentation, e.g.\n"
		       "  -l 0,1 --no-huge -m 512 --no-pci --file-prefix dp0 "
		       "--vdev net_pcap0,rx_pcap=in.pcap --vdev net_null0\n");
		return 0;
	}
	if (dp->conf.check_config)
		return dp_conf_check(&dp->conf, stdout) == 0 ? 0 : 1;

	/* Before the first build: policy builds run on this thread, in the
	 * main arena (util_heap.h). Only speed is at stake: go on without. */
	rc = util_heap_keep((size_t)dp->conf.heap_keep_mb << 20);
	if (rc == 1)
		fprintf(stderr, "cordon-dataplane: GLIBC_TUNABLES sets malloc's "
			"thresholds: --heap-keep left to it\n");
	else if (rc < 0)
		fprintf(stderr, "cordon-dataplane: --heap-keep %u not in "
			"effect: %s (malloc's own thresholds)\n",
			dp->conf.heap_keep_mb, strerror(-rc));

	/* Before the EAL starts its threads: they inherit the mask. */
	rc = dp_signals_hold();
	if (rc < 0) {
		fprintf(stderr, "cordon-dataplane: cannot hold SIGINT and "
			"SIGTERM for start-up: %s\n", strerror(-rc));
		return 1;
	}
	eal_rc = rte_eal_init(split, argv);
	if (eal_rc < 0) {
		fprintf(stderr, "cordon-dataplane: EAL init failed: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}

	/* The flow hash's keys, this process's own (flow_hash.h): before any
	 * flow is hashed, and before the workers are launched. */
	rc = flow_hash_seed();
	if (rc < 0) {
		fprintf(stderr, "cordon-dataplane: cannot draw the flow hash's "
			"keys: %s\n", strerror(-rc));
		goto out_eal;
	}
	dp->hot.n_workers = (uint16_t)(rte_lcore_count() - 1);
	if (dp->hot.n_workers == 0) {
		fprintf(stderr, "cordon-dataplane: needs at least two lcores "
			"(e.g. -l 0,1): one main, one or more workers\n");
		goto out_eal;
	}
	dp->hot.start_tsc = rte_get_tsc_cycles();
	dp->started_unix_us = dp_unix_us();
	dp->boot_id = dp_boot_id(dp->started_unix_us);
	dp->hot.tsc_per_ms = rte_get_tsc_hz() / 1000;
	dp->hot.us_mult = (uint64_t)(((unsigned __int128)1000000 << 32) /
				     rte_get_tsc_hz());
	dp->hot.burst = (uint16_t)dp->conf.burst;
	dp->report_interval_ms = dp->conf.report_interval_ms;
	dp->started_unix_ms = dp->started_unix_us / 1000;
	dp->unix_base_us = dp->started_unix_us;
	pthread_mutex_init(&dp->policy_ctl.info_lock, NULL);
	pthread_mutex_init(&dp->policy_ctl.mbox_lock, NULL);
	pthread_cond_init(&dp->policy_ctl.mbox_cond, NULL);

	/* Before anything is set up: a bad line is said with its FILE:LINE. */
	if (dp->conf.indicators_file[0] != '\0') {
		dp->ioc = det_ioc_load(dp->conf.indicators_file, 0, err,
				       sizeof(err));
		if (dp->ioc == NULL) {
			fprintf(stderr, "cordon-dataplane: --indicators %s\n",
				err);
			goto out_eal;
		}
	}
	if (dp_pool_setup(dp) < 0)
		goto out_eal;
	dp->hot.policy = policy_holder_create(dp->hot.n_workers);
	dp->hot.dns = dns_table_create(&(struct dns_table_params){
		.capacity = dp->conf.dns_bindings,
		.ttl_floor_s = dp->conf.dns_ttl_floor_s,
	});
	if (dp->hot.policy == NULL || dp->hot.dns == NULL ||
	    device_table_init(&dp->hot.devices, dp->conf.devices,
			      dp->conf.mac_ageing_s) < 0) {
		fprintf(stderr, "cordon-dataplane: no memory for the device "
			"policy or DNS tables\n");
		goto out_tables;
	}
	policy_verify_keyring_init(&dp->policy_ctl.keys);
	if (dp->conf.pubkey_file[0] != '\0' &&
	    policy_verify_keyring_add_pem(&dp->policy_ctl.keys,
					  dp->conf.pubkey_file, err,
					  sizeof(err)) < 0) {
		fprintf(stderr, "cordon-dataplane: --pubkey: %s\n", err);
		goto out_tables;
	}
	if (dp->conf.state_dir[0] != '\0') {
		if (endpoint_mkdir(dp->conf.state_dir) < 0) {
			fprintf(stderr, "cordon-dataplane: cannot create %s\n",
				dp->conf.state_dir);
			goto out_tables;
		}
		int n = snprintf(dp->policy_ctl.lkg_path, sizeof(dp->policy_ctl.lkg_path),
				 "%s/last-known-good.policy",
				 dp->conf.state_dir);

		if (n < 0 || (size_t)n >= sizeof(dp->policy_ctl.lkg_path)) {
			fprintf(stderr, "cordon-dataplane: --state-dir: path "
				"too long\n");
			goto out_tables;
		}
	}
	/* Before the first policy: the devices it held stay held. */
	if (contain_init(dp, dp->conf.state_dir) < 0) {
		fprintf(stderr, "cordon-dataplane: cannot read the contained "
			"devices in %s\n", dp->conf.state_dir);
		goto out_tables;
	}
	if (dp->conf.policy_file[0] != '\0') {
		if (dp_load_policy_file(dp) < 0)
			goto out_tables;
	} else if (dp_policy_load_lkg(dp) < 0) {
		goto out_tables;
	}
	rc = port_init_all(dp);
	if (rc < 0) {
		fprintf(stderr, "cordon-dataplane: port setup failed: %s\n",
			strerror(-rc));
		goto out_ports;
	}
	rc = worker_setup_all(dp);
	if (rc == 0)
		rc = worker_setup_steering(dp);
	if (rc == 0) {
		dp->hot.flow_dump = flow_dump_create(dp->hot.n_workers, &dp->hot.devices);
		if (dp->hot.flow_dump == NULL)
			rc = -ENOMEM;
	}
	if (rc == 0)
		rc = dp_ask_init(dp);
	if (rc == 0)
		rc = dp_cap_init(dp);
	if (rc == 0 && dp->conf.fingerprint) {
		struct inv_config ic = {
			.behaviour_interval_s = dp->conf.behaviour_interval_s,
		};

		rc = inventory_init(dp, &ic);
	}
	if (rc == 0 && dp->conf.detect)
		rc = detector_init(dp);
	if (rc == 0)
		rc = dev_retire_init(dp, dp->conf.device_retire_s);
	if (rc < 0) {
		fprintf(stderr, "cordon-dataplane: worker setup failed: %s\n",
			strerror(-rc));
		goto out_workers;
	}

	if (telemetry_init(dp) < 0)
		fprintf(stderr, "cordon-dataplane: telemetry commands not "
			"registered\n");
	/* For dpdk-dumpcap where there are hugepages; a --no-huge process
	 * cannot host secondary processes, so this may fail harmlessly. */
	if (rte_pdump_init() < 0)
		RTE_LOG(INFO, USER1, "pdump not available: %s\n",
			rte_strerror(rte_errno));

	/* Told to stop already: no link to cordond, only to close it at
	 * once. (The nng 1.5.2 panic such stops hit now and then with
	 * cordond down, 2 of 74, was the agent closing its poll socket under
	 * a send timing out; agent_stop_main() no longer does that.) */
	if (dp->conf.control_url[0] != '\0' && dp_signal_held() != NULL) {
		printf("cordon-dataplane: stopping before it started: not "
		       "dialling %s\n", dp->conf.control_url);
	} else if (dp->conf.control_url[0] != '\0') {
		rc = agent_start(dp, &agent);
		if (rc < 0) {
			fprintf(stderr, "cordon-dataplane: control agent: "
				"%s\n", strerror(-rc));
			agent = NULL;
			goto out_workers;
		}
		detector_set_sink(dp, dp_alert_to_agent, agent);
	}

	for (uint16_t w = 0; w < dp->hot.n_workers; w++)
		rte_eal_remote_launch(worker_main, dp->hot.workers[w],
				      dp->hot.workers[w]->lcore_id);
	printf("cordon-dataplane %s: %u ports, %u workers, control %s\n",
	       CORDON_VERSION, dp->hot.n_ports, dp->hot.n_workers,
	       dp->conf.control_url[0] ? dp->conf.control_url : "off");
	fflush(stdout);
	/* Started; threads created from here on (agent_stop()'s) take
	 * the signals too, which only set quit. */
	dp_signals_release();

	uint64_t next_report = 0, next_anchor = 0, mud_swaps = 0;

	while (!dp_quitting(dp)) {
		uint64_t up = dp_uptime_ms(dp);

		if (up >= next_anchor) {
			dp_clock_anchor(dp, dp_now_us(dp), dp_unix_us());
			port_watch(dp);
			next_anchor = up + 1000;
		}

		if (dp->conf.exit_after_s != 0 &&
		    up >= (uint64_t)dp->conf.exit_after_s * 1000)
			break;
		if (agent != NULL && up >= next_report) {
			dp_send_report(dp, agent);
			next_report = up + __atomic_load_n(
				&dp->report_interval_ms, __ATOMIC_RELAXED);
		}
		/* Taps and detection events want draining often; otherwise
		 * doze. */
		unsigned int work = inventory_poll(dp);

		work += detector_poll(dp);
		work += dev_retire_poll(dp, dp_now_us(dp));
		/* A new policy: its MUD profiles become envelopes. */
		if (__atomic_load_n(&dp->policy_ctl.swaps, __ATOMIC_RELAXED) !=
		    mud_swaps) {
			mud_swaps = __atomic_load_n(&dp->policy_ctl.swaps,
						    __ATOMIC_RELAXED);
			detector_policy(dp, dp->policy_ctl.in_force);
		}
		if (work == 0)
			dp_main_wait(dp, dp->inv != NULL || dp->det != NULL ?
				     1 : 50);
		else
			dp_policy_poll(dp);
	}

	__atomic_store_n(&dp->hot.quit, true, __ATOMIC_RELAXED);
	rte_eal_mp_wait_lcore();
	worker_drain_all(dp);
	inventory_poll(dp);
	detector_poll(dp);
	if (agent != NULL) {
		struct agent_stats st;

		dp_send_report(dp, agent);	/* the final counters */
		detector_set_sink(dp, NULL, NULL);
		agent_stop(agent, &st);
		printf("cordon-dataplane: reports made %" PRIu64 ", acknowledged "
		       "up to %" PRIu64 ", dropped %" PRIu64 "\n",
		       dp->report_seq, st.acked_seq, st.dropped);
		/* Every report made is in exactly one of these. */
		printf("cordon-dataplane: reports made %" PRIu64 " = "
		       "acknowledged %" PRIu64 " + pending %" PRIu64
		       " + dropped %" PRIu64 " (queue full %" PRIu64
		       ", refused as invalid %" PRIu64 "); refusals "
		       "retried %" PRIu64 "; intervals deferred, the queue "
		       "full %" PRIu64 "\n", dp->report_seq, st.acked,
		       st.pending, st.dropped, st.dropped_full,
		       st.dropped_invalid, st.refused, st.deferred);
	}
	dp_print_final(dp);
	status = EXIT_SUCCESS;
out_workers:
	dev_retire_fini(dp);
	detector_fini(dp);
	inventory_fini(dp);
	dp_ask_fini(dp);
	dp_cap_fini(dp);
	worker_free_all(dp);
	flow_dump_free(dp->hot.flow_dump);
out_ports:
	port_fini_all(dp);
out_tables:
	if (dp->hot.policy != NULL)
		policy_holder_destroy(dp->hot.policy);
	/* After the policy: a ctx points to it. */
	dns_table_free(dp->hot.dns);
	if (dp->policy_ctl.mbox != NULL)
		cordon__policy__free_unpacked(dp->policy_ctl.mbox, NULL);
	free(dp->policy_ctl.mbox_signed);
	policy_verify_keyring_free(&dp->policy_ctl.keys);
	device_table_fini(&dp->hot.devices);
	contain_fini(dp);
	if (dp->policy_ctl.in_force != NULL)
		cordon__policy__free_unpacked(dp->policy_ctl.in_force, NULL);
	free(dp->policy_ctl.local_nets);
	free(dp->policy_ctl.segments);
	dp_pool_free(&dp->mbufs);
out_eal:
	det_ioc_free(dp->ioc);
	rte_eal_cleanup();
	return status;
}
