/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * cordond: the control daemon's server skeleton. What it does with a
 * message is in its features (cd.h lists them); this file holds the
 * sockets, the contexts that serve them, the answering of parked requests,
 * the watchdog and main().
 *
 * Two nng rep sockets: one where dataplanes dial in, one for cordonctl
 * (ipc, mode 0600). Each socket is served by a pool of nng contexts driven
 * by aio callbacks, so one slow peer never holds up another; a context
 * whose request is parked (a long poll) waits until cd_wake() hands it a
 * reply. After every request, and every watchdog tick with the expired
 * polls too, cd_wake() gathers the replies parked requests get now; they
 * are sent here, outside the lock.
 *
 * nng 1.5 (Debian 12) has a bug (nng#1518, fixed in 1.6): a peer that
 * disconnects in the middle of the SP handshake makes the listener think it
 * was closed, and it quietly stops taking new connections. The watchdog
 * thread therefore pings each endpoint through a real connection twice a
 * second and rebuilds a listener that no longer answers. Connected peers
 * are dropped with it and redial by themselves.
 *
 * The daemon's own threads never exit on bad input.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/transport/ipc/ipc.h>

#include "cd.h"
#include "endpoint.h"
#include "wire_nng.h"
#include "wire_tls.h"

/* Probe period, and how long a probe may take before the endpoint counts
 * as dead. cordond answers a ping in microseconds; a second is generous. */
#define CORDOND_WATCHDOG_MS 500
#define CORDOND_PROBE_TIMEOUT_MS 1000
/* Failed probes in a row before a listener is rebuilt: a machine so busy
 * that one ping misses its second must not cost the peers their
 * connections. The nng bug above fails every probe, so it still shows. */
#define CORDOND_PROBE_FAILS 2
/* How long a probe that got no answer in time stays open for its late
 * reply (see cordond_probe()). */
#define CORDOND_PROBE_LATE_MS 30000
/* How long closing the sockets may take at shutdown. nng 1.5 can hang in
 * nng_close() when a pipe closes at the wrong moment (nng#1498, fixed in
 * 1.6); everything acknowledged is committed by then, so cordond leaves. */
#define CORDOND_EXIT_GUARD_S 5

/*
 * The features cordond is made of. Their hooks run in this order: the
 * policy feature's poll hook before the flows one, so a poll gets a newer
 * policy before a flows query. Alerts (issue 13) and the console (issue
 * 14) register here.
 */
static const struct cd_feature *const cordond_features[] = {
	&cd_dataplane_feature,
	&cd_reports_feature,
	&cd_policy_feature,
	&cd_mud_feature,
	&cd_flows_feature,
	&cd_status_feature,
	&cd_events_feature,
	&cd_backup_feature,
	&cd_console_feature,
	&cd_prompt_feature,
	&cd_alerts_feature,
	&cd_retention_feature,
};

struct cordond_server;

/* One nng context and the request it serves (its cd_conn). */
struct cordond_ctx {
	struct cordond_server *srv;
	struct cd_conn *conn;
	nng_aio *aio;
	nng_ctx ctx;
	bool sending;
};

struct cordond_server {
	struct cordond d;
	nng_socket socks[CD_EP_MAX];
	nng_listener listeners[CD_EP_MAX];
	nng_tls_config *tls;		/* the dataplane endpoint's, or NULL */
	struct cordond_ctx ctxs[CD_EP_MAX][CD_CONNS];
	pthread_t watchdog;
	uint8_t probe_fails[CD_EP_MAX];	/* the watchdog's own */
	/* A probe still waiting for its reply, since when (the watchdog's,
	 * then cordond_stop()'s). */
	nng_socket probe_sock[CD_EP_MAX];
	bool probe_open[CD_EP_MAX];
	uint64_t probe_sent_ms[CD_EP_MAX];
	pthread_mutex_t wd_lock;
	pthread_cond_t wd_cond;
	bool stopping;			/* under wd_lock */
};

static void
cordond_send(struct cordond_ctx *c, nng_msg *msg)
{
	c->sending = true;
	nng_aio_set_msg(c->aio, msg);
	nng_ctx_send(c->ctx, c->aio);
}

/* Send what parked requests get now (see cd_wake()). */
static void
cordond_wake(struct cordond_server *srv, bool expire)
{
	struct cd_wake w;

	cd_wake(&srv->d, expire, &w);
	for (size_t i = 0; i < w.n; i++)
		cordond_send(w.conn[i]->io, w.msg[i]);
}

/*
 * Commit what handlers batched (cd_flush(): reports) and send the
 * answers, batch after batch while they come: the thread that finds a
 * batch and no commit under way commits it, the others return at once.
 */
static void
cordond_flush(struct cordond_server *srv)
{
	struct cd_wake w;
	int more;

	do {
		more = cd_flush(&srv->d, &w);
		for (size_t i = 0; i < w.n; i++) {
			struct cordond_ctx *c = w.conn[i]->io;

			if (w.msg[i] != NULL)
				cordond_send(c, w.msg[i]);
			else
				nng_ctx_recv(c->ctx, c->aio);
		}
	} while (more);
}

static void
cordond_ctx_cb(void *arg)
{
	struct cordond_ctx *c = arg;
	int rv = nng_aio_result(c->aio);
	bool parked = false;
	nng_msg *in, *out;

	if (c->sending) {
		if (rv != 0)
			nng_msg_free(nng_aio_get_msg(c->aio));
		c->sending = false;
		nng_ctx_recv(c->ctx, c->aio);
		return;
	}
	if (rv == NNG_ECLOSED)
		return;		/* shutting down */
	if (rv != 0) {
		nng_ctx_recv(c->ctx, c->aio);
		return;
	}
	in = nng_aio_get_msg(c->aio);
	out = cd_handle(&c->srv->d, c->conn, in, &parked);
	nng_msg_free(in);
	if (out != NULL)
		cordond_send(c, out);
	else if (!parked)
		/* Could not even build an error: drop and carry on. */
		nng_ctx_recv(c->ctx, c->aio);
	cordond_flush(c->srv);
	/* A policy may just have been pushed that polls wait for, a
	 * dataplane may have answered a flows request, or a flows request
	 * may have a parked poll to ride on already. */
	cordond_wake(c->srv, false);
}

static void
cordond_pipe_cb(nng_pipe p, nng_pipe_ev ev, void *arg)
{
	struct cordond_server *srv = arg;

	if (ev == NNG_PIPE_EV_ADD_POST || ev == NNG_PIPE_EV_REM_POST)
		cd_pipe(&srv->d, nng_pipe_id(p), ev == NNG_PIPE_EV_ADD_POST);
}

static void *
cordond_exit_guard_main(void *arg)
{
	(void)arg;
	sleep(CORDOND_EXIT_GUARD_S);
	cd_log("shutdown still not done after %d s (nng close hang); the store "
	       "is committed, exiting", CORDOND_EXIT_GUARD_S);
	_exit(0);
	return NULL;
}

/* Bound the shutdown (see CORDOND_EXIT_GUARD_S). */
static void
cordond_exit_guard_start(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, cordond_exit_guard_main, NULL) == 0)
		pthread_detach(t);
}

static int
cordond_listener_start(struct cordond_server *srv, enum cd_ep ep,
		       const char *url)
{
	nng_listener *l = &srv->listeners[ep];
	int rc;

	rc = nng_listener_create(l, srv->socks[ep], url);
	if (rc != 0)
		return wire_nng_errno(rc);
	if (ep == CD_EP_DATAPLANE && srv->tls != NULL) {
		rc = nng_listener_set_ptr(*l, NNG_OPT_TLS_CONFIG, srv->tls);
		if (rc != 0)
			goto fail;
	}
	if (strncmp(url, "ipc://", 6) == 0) {
		/* Only the owner (root in production) may talk to cordond. */
		rc = nng_listener_set_int(*l, NNG_OPT_IPC_PERMISSIONS, 0600);
		if (rc != 0)
			goto fail;
	}
	rc = nng_listener_start(*l, 0);
	if (rc != 0)
		goto fail;
	return 0;
fail:
	nng_listener_close(*l);
	return wire_nng_errno(rc);
}

static int
cordond_listen(struct cordond_server *srv, enum cd_ep ep, const char *url)
{
	nng_socket *s = &srv->socks[ep];
	int rc;

	rc = nng_rep0_open(s);
	if (rc != 0)
		return wire_nng_errno(rc);
	nng_socket_set_size(*s, NNG_OPT_RECVMAXSZ, WIRE_MAX_MSG);
	if (ep == CD_EP_DATAPLANE) {
		nng_pipe_notify(*s, NNG_PIPE_EV_ADD_POST, cordond_pipe_cb, srv);
		nng_pipe_notify(*s, NNG_PIPE_EV_REM_POST, cordond_pipe_cb, srv);
	}
	rc = cordond_listener_start(srv, ep, url);
	if (rc < 0)
		return rc;
	for (int i = 0; i < CD_CONNS; i++) {
		struct cordond_ctx *c = &srv->ctxs[ep][i];

		c->srv = srv;
		c->conn = &srv->d.conns[ep][i];
		c->conn->io = c;
		rc = nng_aio_alloc(&c->aio, cordond_ctx_cb, c);
		if (rc == 0)
			rc = nng_ctx_open(&c->ctx, *s);
		if (rc != 0)
			return wire_nng_errno(rc);
		nng_ctx_recv(c->ctx, c->aio);
	}
	return 0;
}

/* Close the probe of ep that still waits for its reply, if any. */
static void
cordond_probe_close(struct cordond_server *srv, enum cd_ep ep)
{
	if (srv->probe_open[ep])
		nng_close(srv->probe_sock[ep]);
	srv->probe_open[ep] = false;
}

/*
 * One request through a fresh connection, as any client would make it.
 *
 * A probe that gets no answer within CORDOND_PROBE_TIMEOUT_MS counts as
 * failed, but its connection stays open for the late reply (checked at
 * the next ticks, no new probe meanwhile) for up to CORDOND_PROBE_LATE_MS.
 * Hanging up at once raced a slow cordond's reply: nng 1.5 loses a reply
 * sent on a pipe its peer is closing (rep0 hands it to the pipe's send aio
 * after the close stopped it), and LeakSanitizer counted it at exit (the
 * 176-byte Ack to a Ping, in a soak under ASan at load 15).
 */
enum cordond_verdict { CORDOND_ALIVE, CORDOND_DEAD, CORDOND_WAIT };

static enum cordond_verdict
cordond_probe(struct cordond_server *srv, enum cd_ep ep, const char *url,
	      uint64_t nonce)
{
	Cordon__Ping ping = CORDON__PING__INIT;
	struct wire_msg reply;
	struct wire_err err;
	nng_socket s;
	nng_msg *late;
	bool ok = false;
	uint64_t age;
	int rc;

	if (srv->probe_open[ep]) {
		rc = nng_recvmsg(srv->probe_sock[ep], &late, NNG_FLAG_NONBLOCK);
		if (rc == 0) {
			nng_msg_free(late);	/* answered, late: alive */
			cordond_probe_close(srv, ep);
			return CORDOND_ALIVE;
		}
		/* Still no answer: failed once more when a new probe would
		 * have timed out by now (so a dead listener is restarted as
		 * soon as before). */
		age = util_time_now_ms() - srv->probe_sent_ms[ep];
		if (rc == NNG_EAGAIN && age < CORDOND_PROBE_LATE_MS)
			return age < 2 * CORDOND_PROBE_TIMEOUT_MS ?
				CORDOND_WAIT : CORDOND_DEAD;
		cordond_probe_close(srv, ep);
	}
	if (nng_req0_open(&s) != 0)
		return CORDOND_ALIVE;	/* cannot tell: not the listener's */
	nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, CORDOND_PROBE_TIMEOUT_MS);
	nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, CORDOND_PROBE_TIMEOUT_MS);
	if (nng_dial(s, url, NULL, 0) == 0) {
		ping.nonce = nonce;
		rc = wire_nng_call(s, CORDON__MSG_TYPE__MSG_PING, nonce,
				   &ping.base, &reply, &err);
		if (rc == 0) {
			ok = reply.type == CORDON__MSG_TYPE__MSG_ACK &&
				((Cordon__Ack *)reply.payload)->seq == nonce;
			wire_msg_free(&reply);
		} else if (rc == -ETIMEDOUT) {
			/* Sent, not answered yet: wait for it. */
			srv->probe_sock[ep] = s;
			srv->probe_open[ep] = true;
			srv->probe_sent_ms[ep] = util_time_now_ms();
			return CORDOND_DEAD;
		}
	}
	nng_close(s);
	return ok ? CORDOND_ALIVE : CORDOND_DEAD;
}

/* Is the listener of ep still taking connections? Restart it if not. */
static void
cordond_check_listener(struct cordond_server *srv, enum cd_ep ep,
		       uint64_t nonce)
{
	const char *url = ep == CD_EP_DATAPLANE ? srv->d.conf.dp_url :
		srv->d.conf.cli_url;
	enum cordond_verdict v;
	bool stopping;
	int rc;

	/* A TLS endpoint wants a client certificate that cordond does not
	 * have: probe below TLS. */
	if (ep == CD_EP_DATAPLANE && srv->tls != NULL)
		v = wire_tls_probe(url, CORDOND_PROBE_TIMEOUT_MS) ?
			CORDOND_ALIVE : CORDOND_DEAD;
	else
		v = cordond_probe(srv, ep, url, nonce);
	if (v == CORDOND_WAIT)
		return;
	if (v == CORDOND_ALIVE) {
		srv->probe_fails[ep] = 0;
		return;
	}
	if (++srv->probe_fails[ep] < CORDOND_PROBE_FAILS)
		return;
	/* A shutdown may have begun while the probe waited: a listener
	 * made now would outlive the sockets' close. */
	pthread_mutex_lock(&srv->wd_lock);
	stopping = srv->stopping;
	pthread_mutex_unlock(&srv->wd_lock);
	if (stopping)
		return;
	srv->probe_fails[ep] = 0;
	cordond_probe_close(srv, ep);	/* its connection goes anyway */
	cd_log("%s stopped answering: restarting its listener", url);
	nng_listener_close(srv->listeners[ep]);
	rc = cordond_listener_start(srv, ep, url);
	if (rc < 0)
		cd_log("cannot listen on %s again: %s", url, strerror(-rc));
	pthread_mutex_lock(&srv->d.lock);
	srv->d.counters[CD_LISTENER_RESTARTS]++;
	pthread_mutex_unlock(&srv->d.lock);
}

static void *
cordond_watchdog_main(void *arg)
{
	struct cordond_server *srv = arg;
	uint64_t nonce = 0;

	pthread_mutex_lock(&srv->wd_lock);
	while (!srv->stopping) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += CORDOND_WATCHDOG_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&srv->wd_cond, &srv->wd_lock, &ts);
		if (srv->stopping)
			break;
		pthread_mutex_unlock(&srv->wd_lock);
		/* Polls and requests whose time is up. */
		cordond_wake(srv, true);
		for (int ep = 0; ep < CD_EP_MAX; ep++)
			cordond_check_listener(srv, (enum cd_ep)ep, ++nonce);
		pthread_mutex_lock(&srv->wd_lock);
	}
	pthread_mutex_unlock(&srv->wd_lock);
	return NULL;
}

/* The core and its features, the TLS configuration, the listeners. */
static int
cordond_start(struct cordond_server *srv, const struct cd_conf *conf)
{
	struct cordond *d = &srv->d;
	char err[1024];
	int rc;

	rc = endpoint_mkdir(conf->rundir);
	if (rc < 0) {
		fprintf(stderr, "cordond: cannot create %s: %s\n",
			conf->rundir, strerror(-rc));
		return rc;
	}
	rc = cd_init(d, conf, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "cordond: %s\n", err);
		return rc;
	}
	for (size_t i = 0; i < sizeof(cordond_features) /
	     sizeof(cordond_features[0]); i++) {
		rc = cd_register(d, cordond_features[i], err, sizeof(err));
		if (rc < 0) {
			fprintf(stderr, "cordond: %s\n", err);
			return rc;
		}
	}
	if (wire_tls_url(conf->dp_url)) {
		struct wire_tls_files tf = {
			.cert = conf->tls_cert, .key = conf->tls_key,
			.ca = conf->tls_ca,
		};

		rc = wire_tls_config(true, &tf, &srv->tls, err, sizeof(err));
		/* The same CA checks what dataplanes say they are. */
		if (rc == 0)
			rc = wire_id_verifier_load(conf->tls_ca,
						   &d->id_verifier, err,
						   sizeof(err));
		if (rc < 0) {
			fprintf(stderr, "cordond: %s\n", err);
			return rc;
		}
	}
	for (int ep = 0; ep < CD_EP_MAX; ep++) {
		const char *url = ep == CD_EP_DATAPLANE ? conf->dp_url :
			conf->cli_url;

		rc = cordond_listen(srv, (enum cd_ep)ep, url);
		if (rc < 0) {
			fprintf(stderr, "cordond: cannot listen on %s: %s\n",
				url, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

static void
cordond_stop(struct cordond_server *srv)
{
	pthread_mutex_lock(&srv->wd_lock);
	srv->stopping = true;
	pthread_cond_signal(&srv->wd_cond);
	pthread_mutex_unlock(&srv->wd_lock);
	pthread_join(srv->watchdog, NULL);

	for (int ep = 0; ep < CD_EP_MAX; ep++)
		nng_close(srv->socks[ep]);
	/* A probe still waiting hangs up only now, with no reply to come. */
	for (int ep = 0; ep < CD_EP_MAX; ep++)
		cordond_probe_close(srv, (enum cd_ep)ep);
	/* Every context stopped before any is freed: a callback still
	 * running (a commit, cd_flush()) may answer another context. */
	for (int ep = 0; ep < CD_EP_MAX; ep++)
		for (int i = 0; i < CD_CONNS; i++)
			if (srv->ctxs[ep][i].aio != NULL)
				nng_aio_stop(srv->ctxs[ep][i].aio);
	/* An answer handed to a context stopped already never went out, and
	 * its callback never runs to free it: nng leaves it on the aio. */
	for (int ep = 0; ep < CD_EP_MAX; ep++)
		for (int i = 0; i < CD_CONNS; i++) {
			struct cordond_ctx *c = &srv->ctxs[ep][i];

			if (c->aio == NULL)
				continue;
			if (c->sending && nng_aio_get_msg(c->aio) != NULL)
				nng_msg_free(nng_aio_get_msg(c->aio));
			nng_aio_free(c->aio);
		}
	if (srv->tls != NULL)
		nng_tls_config_free(srv->tls);
	cd_fini(&srv->d);
	pthread_cond_destroy(&srv->wd_cond);
	pthread_mutex_destroy(&srv->wd_lock);
	/* nng frees closed listeners and pipes on its reaper thread: wait
	 * for it, or what a restarted listener left reads as a leak. */
	nng_fini();
}

/* A store from before cordond set auto_vacuum never shrinks: say how to
 * change that, once, at start. */
static void
cordond_log_space(struct cordond *d)
{
	struct ctl_store_space sp;

	if (ctl_store_space(d->state.st, &sp) < 0 || sp.shrinks)
		return;
	cd_log("the store (%.1f MiB, %.1f MiB of it free pages) only stops "
	       "growing as the retention frees pages; stop cordond and run "
	       "cordond --compact once to make it give them back",
	       (double)sp.bytes / (1u << 20),
	       (double)sp.free_bytes / (1u << 20));
}

int
main(int argc, char **argv)
{
	static struct cordond_server srv;
	struct cd_conf conf;
	sigset_t sigs;
	int rc, sig;

	if (cd_conf_parse(argc, argv, &conf) < 0)
		return 2;
	if (conf.check_config)
		return cd_conf_check(&conf, stdout) == 0 ? 0 : 1;
	/* Everything cordond creates is its own: the state directory is
	 * 0700, the store, backups and keys 0600 (and set so explicitly). */
	umask(077);
	if (conf.restore != NULL) {
		char msg[3 * PATH_MAX], err[2 * PATH_MAX];

		if (ctl_state_restore(conf.statedir, conf.restore,
				      conf.ids_above, util_time_now_ms(), msg,
				      sizeof(msg), err, sizeof(err)) < 0) {
			fprintf(stderr, "cordond: --restore: %s\n", err);
			return 1;
		}
		printf("cordond: %s\n", msg);
		return 0;
	}
	if (conf.compact) {
		char msg[2 * PATH_MAX], err[2 * PATH_MAX];

		if (ctl_state_compact(conf.statedir, msg, sizeof(msg), err,
				      sizeof(err)) < 0) {
			fprintf(stderr, "cordond: --compact: %s\n", err);
			return 1;
		}
		printf("cordond: %s\n", msg);
		return 0;
	}

	/* Every thread nng starts inherits this mask; main takes signals. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	pthread_mutex_init(&srv.wd_lock, NULL);
	pthread_cond_init(&srv.wd_cond, NULL);
	if (cordond_start(&srv, &conf) < 0)
		return 1;
	cd_log("%s listening: dataplanes %s, cordonctl %s; state in %s%s; "
	       "policy %" PRIu64, CORDON_VERSION, conf.dp_url, conf.cli_url,
	       conf.statedir, srv.d.state.have_key ?
	       " (signing key loaded)" : "",
	       srv.d.policy ? srv.d.policy->version : 0);
	cordond_log_space(&srv.d);
	for (int ep = 0; ep < CD_EP_MAX; ep++) {
		const char *u = ep == CD_EP_DATAPLANE ? conf.dp_url :
			conf.cli_url;

		if (cd_conf_url_exposed(u))
			cd_log("WARNING: %s is plain tcp on a non-loopback "
			       "address (--insecure-listen): any host that "
			       "reaches it can register as a dataplane and "
			       "read policies", u);
	}
	rc = pthread_create(&srv.watchdog, NULL, cordond_watchdog_main, &srv);
	if (rc != 0) {
		fprintf(stderr, "cordond: cannot start watchdog: %s\n",
			strerror(rc));
		return 1;
	}

	do {
		rc = sigwait(&sigs, &sig);
	} while (rc != 0);
	cd_log("signal %d, shutting down", sig);
	cordond_exit_guard_start();
	cordond_stop(&srv);
	return 0;
}
