/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "wire_nng.h"
#include "wire_tls.h"

/* PEM files are small; anything larger is not one. */
#define WIRE_TLS_MAX_FILE (1u << 20)

bool
wire_tls_url(const char *url)
{
	return strncmp(url, "tls+tcp://", 10) == 0 ||
		strncmp(url, "tls+tcp4://", 11) == 0 ||
		strncmp(url, "tls+tcp6://", 11) == 0;
}

/* The whole file, NUL-terminated (mbedTLS wants PEM with its NUL). */
static int
wire_tls_read(const char *what, const char *path, char **out, size_t *len,
	      char *err, size_t errlen)
{
	struct stat st;
	FILE *f;
	char *buf;
	size_t n;
	int rc;

	f = fopen(path, "rb");
	if (f == NULL) {
		rc = -errno;
		snprintf(err, errlen, "%s %s: %s", what, path, strerror(-rc));
		return rc;
	}
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size <= 0 || (uint64_t)st.st_size > WIRE_TLS_MAX_FILE) {
		snprintf(err, errlen, "%s %s: not a PEM file (empty, too "
			 "large or not a regular file)", what, path);
		fclose(f);
		return -EINVAL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		fclose(f);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	n = fread(buf, 1, (size_t)st.st_size, f);
	rc = ferror(f) ? -EIO : 0;
	fclose(f);
	if (rc < 0 || n == 0) {
		snprintf(err, errlen, "%s %s: cannot read it", what, path);
		free(buf);
		return -EIO;
	}
	buf[n] = '\0';
	if (strstr(buf, "-----BEGIN ") == NULL) {
		snprintf(err, errlen, "%s %s: not a PEM file", what, path);
		free(buf);
		return -EINVAL;
	}
	*out = buf;
	*len = n;
	return 0;
}

/*
 * mbedTLS (under nng) takes any key with any certificate and only fails
 * in the handshake: check that they belong together here, with OpenSSL.
 */
static bool
wire_tls_pair_ok(const char *cert_pem, const char *key_pem)
{
	BIO *cb = BIO_new_mem_buf(cert_pem, -1);
	BIO *kb = BIO_new_mem_buf(key_pem, -1);
	X509 *x = cb ? PEM_read_bio_X509(cb, NULL, NULL, NULL) : NULL;
	EVP_PKEY *k = kb ? PEM_read_bio_PrivateKey(kb, NULL, NULL, NULL) :
		NULL;
	bool ok = x != NULL && k != NULL && X509_check_private_key(x, k) == 1;

	EVP_PKEY_free(k);
	X509_free(x);
	BIO_free(kb);
	BIO_free(cb);
	return ok;
}

int
wire_tls_config(bool server, const struct wire_tls_files *f,
		nng_tls_config **out, char *err, size_t errlen)
{
	char *cert = NULL, *key = NULL, *ca = NULL;
	nng_tls_config *cfg = NULL;
	size_t len;
	int rc, rv;

	if (f->cert == NULL || f->ca == NULL) {
		snprintf(err, errlen, "a certificate and a CA are needed");
		return -EINVAL;
	}
	rc = wire_tls_read("certificate", f->cert, &cert, &len, err, errlen);
	if (rc == 0)
		rc = wire_tls_read("key", f->key ? f->key : f->cert, &key,
				   &len, err, errlen);
	if (rc == 0)
		rc = wire_tls_read("CA", f->ca, &ca, &len, err, errlen);
	if (rc < 0)
		goto out;
	if (strstr(key, "PRIVATE KEY-----") == NULL) {
		snprintf(err, errlen, "key %s: no private key in it",
			 f->key ? f->key : f->cert);
		rc = -EINVAL;
		goto out;
	}
	if (!wire_tls_pair_ok(cert, key)) {
		snprintf(err, errlen, "certificate %s and key %s: not a "
			 "certificate and its private key", f->cert,
			 f->key ? f->key : f->cert);
		rc = -EINVAL;
		goto out;
	}
	rv = nng_tls_config_alloc(&cfg, server ? NNG_TLS_MODE_SERVER :
				  NNG_TLS_MODE_CLIENT);
	if (rv != 0) {
		snprintf(err, errlen, "TLS: %s", nng_strerror(rv));
		rc = wire_nng_errno(rv);
		goto out;
	}
	rv = nng_tls_config_own_cert(cfg, cert, key, NULL);
	if (rv != 0) {
		snprintf(err, errlen, "certificate %s and key %s: not a usable "
			 "pair (%s)", f->cert, f->key ? f->key : f->cert,
			 nng_strerror(rv));
		rc = -EINVAL;
		goto out;
	}
	rv = nng_tls_config_ca_chain(cfg, ca, NULL);
	if (rv != 0) {
		snprintf(err, errlen, "CA %s: not usable (%s)", f->ca,
			 nng_strerror(rv));
		rc = -EINVAL;
		goto out;
	}
	/* Both ends: the peer must present a certificate our CA signed. */
	rv = nng_tls_config_auth_mode(cfg, NNG_TLS_AUTH_MODE_REQUIRED);
	if (rv == 0 && !server && f->server_name != NULL)
		rv = nng_tls_config_server_name(cfg, f->server_name);
	if (rv != 0) {
		snprintf(err, errlen, "TLS: %s", nng_strerror(rv));
		rc = -EINVAL;
		goto out;
	}
	*out = cfg;
	cfg = NULL;
	rc = 0;
out:
	if (cfg != NULL)
		nng_tls_config_free(cfg);
	free(cert);
	if (key != NULL)
		explicit_bzero(key, strlen(key));
	free(key);
	free(ca);
	return rc;
}

/* "tls+tcp://HOST:PORT" -> host, port ("[v6]" brackets dropped). */
int
wire_tls_url_host(const char *url, char *host, size_t hlen, char *port,
		  size_t plen)
{
	const char *p = strstr(url, "://"), *colon, *end;

	if (p == NULL)
		return -EINVAL;
	p += 3;
	end = p + strcspn(p, "/");
	colon = NULL;
	for (const char *q = p; q < end; q++)
		if (*q == ':')
			colon = q;
	if (colon == NULL || colon == p || (size_t)(end - colon - 1) >= plen)
		return -EINVAL;
	if (*p == '[' && colon[-1] == ']') {
		p++;
		if ((size_t)(colon - 1 - p) >= hlen)
			return -EINVAL;
		memcpy(host, p, (size_t)(colon - 1 - p));
		host[colon - 1 - p] = '\0';
	} else {
		if ((size_t)(colon - p) >= hlen)
			return -EINVAL;
		memcpy(host, p, (size_t)(colon - p));
		host[colon - p] = '\0';
	}
	memcpy(port, colon + 1, (size_t)(end - colon - 1));
	port[end - colon - 1] = '\0';
	if (strcmp(host, "*") == 0 || host[0] == '\0')
		snprintf(host, hlen, "127.0.0.1");
	return 0;
}

bool
wire_tls_probe(const char *url, int timeout_ms)
{
	/* An alert record (level 9, an undefined description) with a bad
	 * version: no TLS server takes this for the start of a handshake. */
	static const uint8_t junk[] = { 0x15, 0x00, 0x00, 0x00, 0x02, 9, 0 };
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
	char host[256], port[16];
	struct pollfd pfd;
	bool alive = true;	/* cannot tell: not the listener's fault */
	int fd = -1;

	if (wire_tls_url_host(url, host, sizeof(host), port, sizeof(port)) < 0)
		return true;
	hints.ai_family = strncmp(url, "tls+tcp6", 8) == 0 ? AF_INET6 :
		strncmp(url, "tls+tcp4", 8) == 0 ? AF_INET : AF_UNSPEC;
	if (getaddrinfo(host, port, &hints, &ai) != 0 || ai == NULL)
		return true;
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto out;
	/* Refused: nobody listens at all, which is the listener's fault. */
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		alive = errno != ECONNREFUSED;
		goto out;
	}
	if (send(fd, junk, sizeof(junk), MSG_NOSIGNAL) < 0)
		goto out;
	pfd.fd = fd;
	pfd.events = POLLIN;
	/* Readable (an alert, or the end of the stream) or reset: answered. */
	alive = poll(&pfd, 1, timeout_ms) > 0;
out:
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	return alive;
}
