/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * The console's HTTP side without TLS or sockets of its own, for
 * test_http.c and fuzz_http.c: cons_http.c's handlers (static, hence the
 * file itself is included; include this header once, in place of
 * cons_http.h) behind two libmicrohttpd daemons run in the caller's
 * thread, one with the HTTPS handler and one with the plain HTTP
 * redirector. A request's bytes go over a socketpair; the answer comes
 * back as bytes.
 *
 * Users admin (password1) and viewer (password2) exist, each with a
 * session of fixed id and CSRF token (HH_ADMIN_ID / HH_ADMIN_CSRF,
 * HH_VIEWER_ID / HH_VIEWER_CSRF); the metrics token is HH_METRICS_TOKEN.
 * cordond is away: every call to it fails after 1 ms. A failed login is
 * answered at once (srv->stopping), not held back.
 */

#ifndef CORDON_TEST_HTTP_HARNESS_H
#define CORDON_TEST_HTTP_HARNESS_H

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cons_http.c"

#define HH_ADMIN_ID \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HH_ADMIN_CSRF \
	"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define HH_VIEWER_ID \
	"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
#define HH_VIEWER_CSRF \
	"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
#define HH_METRICS_TOKEN "metrics-token-0123456789"

struct http_harness {
	struct cons_server *srv;
	struct MHD_Daemon *https;
	struct MHD_Daemon *redirect;
	char dir[64];
};

static inline int
hh_session(struct http_harness *h, const char *user, const char *pw,
	   const char *id, const char *csrf)
{
	struct cons_session s;
	uint64_t delay;

	if (cons_auth_login(&h->srv->auth, user, pw, "127.0.0.1",
			    util_time_now_ms(), &s, &delay) != CONS_LOGIN_OK)
		return -1;
	for (size_t i = 0; i < CONS_SESSIONS_MAX; i++) {
		struct cons_session *x = &h->srv->auth.s[i];

		if (x->used && strcmp(x->id, s.id) == 0) {
			snprintf(x->id, sizeof(x->id), "%s", id);
			snprintf(x->csrf, sizeof(x->csrf), "%s", csrf);
			return 0;
		}
	}
	return -1;
}

/* 0, or -1 with the reason on stderr. */
static inline int
hh_init(struct http_harness *h)
{
	struct cons_users us = { .n = 2 };
	struct cons_server *s;
	char err[512] = "";

	memset(h, 0, sizeof(*h));
	snprintf(h->dir, sizeof(h->dir), "/tmp/cordon-http-XXXXXX");
	s = h->srv = calloc(1, sizeof(*s));
	if (s == NULL || mkdtemp(h->dir) == NULL)
		return -1;
	snprintf(s->conf.users, sizeof(s->conf.users), "%s/users", h->dir);
	snprintf(us.u[0].name, sizeof(us.u[0].name), "admin");
	us.u[0].role = CONS_ROLE_ADMIN;
	snprintf(us.u[1].name, sizeof(us.u[1].name), "viewer");
	us.u[1].role = CONS_ROLE_VIEWER;
	if (cons_hash_password("password1", 4, us.u[0].hash,
			       sizeof(us.u[0].hash)) < 0 ||
	    cons_hash_password("password2", 4, us.u[1].hash,
			       sizeof(us.u[1].hash)) < 0 ||
	    cons_users_save(s->conf.users, &us, err, sizeof(err)) < 0 ||
	    cons_auth_init(&s->auth, s->conf.users, 4, err,
			   sizeof(err)) < 0) {
		fprintf(stderr, "http_harness: %s\n", err);
		return -1;
	}
	snprintf(s->conf.ctl_url, sizeof(s->conf.ctl_url),
		 "ipc://%s/cordond", h->dir);
	if (cons_client_open(&s->cl, s->conf.ctl_url, 1) < 0)
		return -1;
	cons_history_init(&s->hist, &s->cl, 1000);
	snprintf(s->metrics_token, sizeof(s->metrics_token), "%s",
		 HH_METRICS_TOKEN);
	if (hh_session(h, "admin", "password1", HH_ADMIN_ID,
		       HH_ADMIN_CSRF) < 0 ||
	    hh_session(h, "viewer", "password2", HH_VIEWER_ID,
		       HH_VIEWER_CSRF) < 0)
		return -1;
	s->stopping = true;
	s->https_port = 8443;
	h->https = MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET, 0, NULL, NULL,
		https_handler, s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128u << 10),
		MHD_OPTION_NOTIFY_COMPLETED, request_done, s,
		MHD_OPTION_END);
	h->redirect = MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET, 0, NULL,
		NULL, redirect_handler, s, MHD_OPTION_END);
	if (h->https == NULL || h->redirect == NULL)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static inline void
hh_fini(struct http_harness *h)
{
	char path[128];

	if (h->https != NULL)
		MHD_stop_daemon(h->https);
	if (h->redirect != NULL)
		MHD_stop_daemon(h->redirect);
	if (h->srv != NULL) {
		cons_history_fini(&h->srv->hist);
		cons_client_close(&h->srv->cl);
		cons_auth_fini(&h->srv->auth);
		free(h->srv);
	}
	snprintf(path, sizeof(path), "%s/users", h->dir);
	unlink(path);
	rmdir(h->dir);
	memset(h, 0, sizeof(*h));
}

static inline unsigned int
hh_connections(struct MHD_Daemon *d)
{
	const union MHD_DaemonInfo *di;

	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	return di != NULL ? di->num_connections : 0;
}

/*
 * Send req (len bytes) on a new connection from 127.0.0.1 and collect
 * what comes back (NUL-terminated) until it goes quiet or closes. The
 * connection is closed afterwards. Returns the answer's length, or -1 if
 * the daemon refused the connection or kept it after it was closed.
 */
static inline ssize_t
hh_request(struct http_harness *h, bool redirect, const void *req,
	   size_t len, char *out, size_t cap)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct MHD_Daemon *d = redirect ? h->redirect : h->https;
	const uint8_t *data = req;
	size_t n = 0, sent = 0;
	int sv[2], idle = 0;

	if (cap == 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return -1;
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	sin.sin_addr.s_addr = htonl(0x7f000001);
	if (MHD_add_connection(d, sv[0], (struct sockaddr *)&sin,
			       sizeof(sin)) != MHD_YES) {
		close(sv[1]);
		return -1;
	}
	for (int i = 0; i < 400 && idle < 8 && n < cap - 1; i++) {
		ssize_t k;

		if (sent < len) {
			k = write(sv[1], data + sent, len - sent);
			if (k > 0)
				sent += (size_t)k;
		}
		MHD_run(d);
		k = read(sv[1], out + n, cap - 1 - n);
		if (k == 0)
			break;
		if (k > 0) {
			n += (size_t)k;
			idle = 0;
		} else if (sent == len) {
			idle++;
		}
	}
	out[n] = '\0';
	close(sv[1]);
	for (int i = 0; i < 100 && hh_connections(d) > 0; i++)
		MHD_run(d);
	return hh_connections(d) > 0 ? -1 : (ssize_t)n;
}

/* The header block of the first answer in out, cut at its end (or NULL
 * if out holds no whole header block). */
static inline const char *
hh_headers(char *out)
{
	char *end = strstr(out, "\r\n\r\n");

	if (strncmp(out, "HTTP/1.", 7) != 0 || end == NULL)
		return NULL;
	end[2] = '\0';
	return out;
}

#endif /* CORDON_TEST_HTTP_HARNESS_H */
