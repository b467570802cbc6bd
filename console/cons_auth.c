/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "cons_auth.h"

#define SALT_LEN 16
#define KEY_LEN 32
#define KDF_PARALLEL 2

const char *
cons_role_name(enum cons_role r)
{
	return r == CONS_ROLE_ADMIN ? "admin" : r == CONS_ROLE_VIEWER ?
		"viewer" : "none";
}

enum cons_role
cons_role_parse(const char *s)
{
	if (strcmp(s, "admin") == 0)
		return CONS_ROLE_ADMIN;
	if (strcmp(s, "viewer") == 0)
		return CONS_ROLE_VIEWER;
	return CONS_ROLE_NONE;
}

bool
cons_user_name_ok(const char *n)
{
	size_t len = strlen(n);

	if (len == 0 || len > CONS_USER_MAX ||
	    !((n[0] >= 'a' && n[0] <= 'z') || n[0] == '_'))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!((n[i] >= 'a' && n[i] <= 'z') ||
		      (n[i] >= '0' && n[i] <= '9') || n[i] == '_' ||
		      n[i] == '.' || n[i] == '-'))
			return false;
	return true;
}

static int
scrypt_derive(const char *pw, const uint8_t *salt, size_t salt_len,
	      unsigned int log2n, uint32_t r, uint32_t p, uint8_t *out,
	      size_t out_len)
{
	uint64_t n = (uint64_t)1 << log2n;
	/* 128 * r * N for the big array, plus room for the rest. */
	uint64_t maxmem = 128 * (uint64_t)r * n * 2 + (1u << 20);
	OSSL_PARAM params[7], *q = params;
	EVP_KDF_CTX *ctx = NULL;
	EVP_KDF *kdf;
	int rc = -EIO;

	kdf = EVP_KDF_fetch(NULL, "SCRYPT", NULL);
	if (kdf == NULL)
		return -ENOTSUP;
	ctx = EVP_KDF_CTX_new(kdf);
	EVP_KDF_free(kdf);
	if (ctx == NULL)
		return -ENOMEM;
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
						 (void *)pw, strlen(pw));
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
						 (void *)salt, salt_len);
	*q++ = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n);
	*q++ = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r);
	*q++ = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p);
	*q++ = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM,
					   &maxmem);
	*q = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(ctx, out, out_len, params) == 1)
		rc = 0;
	EVP_KDF_CTX_free(ctx);
	return rc;
}

int
cons_hash_password(const char *pw, unsigned int log2n, char *out,
		   size_t outlen)
{
	uint8_t salt[SALT_LEN], key[KEY_LEN];
	unsigned char s64[32], k64[64];
	int rc;

	if (log2n == 0)
		log2n = CONS_SCRYPT_LOG2N;
	if (log2n < 4 || log2n > 20)
		return -EINVAL;
	if (getrandom(salt, sizeof(salt), 0) != (ssize_t)sizeof(salt))
		return -EIO;
	rc = scrypt_derive(pw, salt, sizeof(salt), log2n, 8, 1, key,
			   sizeof(key));
	if (rc < 0)
		return rc;
	EVP_EncodeBlock(s64, salt, sizeof(salt));
	EVP_EncodeBlock(k64, key, sizeof(key));
	OPENSSL_cleanse(key, sizeof(key));
	if ((size_t)snprintf(out, outlen, "scrypt:%u:8:1:%s:%s", log2n,
			     (char *)s64, (char *)k64) >= outlen)
		return -ENAMETOOLONG;
	return 0;
}

/* Base64 of exactly want bytes (padding accounted for). */
static int
b64_decode(const char *in, uint8_t *out, size_t want)
{
	uint8_t buf[128];
	size_t len = strlen(in);
	int n;

	if (len == 0 || len % 4 != 0 || len / 4 * 3 > sizeof(buf))
		return -EINVAL;
	n = EVP_DecodeBlock(buf, (const unsigned char *)in, (int)len);
	if (n < 0)
		return -EINVAL;
	while (len > 0 && in[len - 1] == '=') {
		n--;
		len--;
	}
	if ((size_t)n != want)
		return -EINVAL;
	memcpy(out, buf, want);
	return 0;
}

int
cons_verify_password(const char *pw, const char *stored)
{
	char copy[CONS_HASH_MAX], *f[6], *save = NULL, *tok;
	uint8_t salt[SALT_LEN], want[KEY_LEN], got[KEY_LEN];
	unsigned long log2n, r, p;
	int n = 0, rc;

	if (strlen(stored) >= sizeof(copy))
		return -EINVAL;
	strcpy(copy, stored);
	for (tok = strtok_r(copy, ":", &save); tok != NULL && n < 6;
	     tok = strtok_r(NULL, ":", &save))
		f[n++] = tok;
	if (n != 6 || tok != NULL || strcmp(f[0], "scrypt") != 0)
		return -EINVAL;
	log2n = strtoul(f[1], NULL, 10);
	r = strtoul(f[2], NULL, 10);
	p = strtoul(f[3], NULL, 10);
	if (log2n < 4 || log2n > 20 || r < 1 || r > 32 || p < 1 || p > 16 ||
	    b64_decode(f[4], salt, sizeof(salt)) < 0 ||
	    b64_decode(f[5], want, sizeof(want)) < 0)
		return -EINVAL;
	rc = scrypt_derive(pw, salt, sizeof(salt), (unsigned int)log2n,
			   (uint32_t)r, (uint32_t)p, got, sizeof(got));
	if (rc < 0)
		return rc;
	rc = CRYPTO_memcmp(got, want, sizeof(got)) == 0 ? 0 : -EACCES;
	OPENSSL_cleanse(got, sizeof(got));
	return rc;
}

/* --- the users file ---------------------------------------------------- */

int
cons_users_load(const char *path, struct cons_users *us, char *err,
		size_t errlen)
{
	char line[512];
	unsigned int ln = 0;
	FILE *f;
	int rc = 0;

	us->n = 0;
	f = fopen(path, "re");
	if (f == NULL) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *name, *role, *hash, *nl;
		struct cons_user *u;

		ln++;
		nl = strchr(line, '\n');
		if (nl == NULL && !feof(f)) {
			snprintf(err, errlen, "%s:%u: line too long", path, ln);
			rc = -EINVAL;
			break;
		}
		if (nl != NULL)
			*nl = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		name = line;
		role = strchr(name, ':');
		hash = role != NULL ? strchr(role + 1, ':') : NULL;
		if (hash == NULL) {
			snprintf(err, errlen, "%s:%u: not NAME:ROLE:HASH", path,
				 ln);
			rc = -EINVAL;
			break;
		}
		*role++ = '\0';
		*hash++ = '\0';
		if (!cons_user_name_ok(name) ||
		    cons_role_parse(role) == CONS_ROLE_NONE ||
		    strncmp(hash, "scrypt:", 7) != 0 ||
		    strlen(hash) >= CONS_HASH_MAX) {
			snprintf(err, errlen, "%s:%u: bad user name, role or "
				 "hash", path, ln);
			rc = -EINVAL;
			break;
		}
		if (cons_users_find(us, name) != NULL) {
			snprintf(err, errlen, "%s:%u: user %s twice", path, ln,
				 name);
			rc = -EINVAL;
			break;
		}
		if (us->n == CONS_USERS_MAX) {
			snprintf(err, errlen, "%s:%u: more than %d users", path,
				 ln, CONS_USERS_MAX);
			rc = -EINVAL;
			break;
		}
		u = &us->u[us->n++];
		snprintf(u->name, sizeof(u->name), "%.32s", name);
		u->role = cons_role_parse(role);
		snprintf(u->hash, sizeof(u->hash), "%.159s", hash);
	}
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		rc = -EIO;
	}
	fclose(f);
	if (rc < 0)
		us->n = 0;
	return rc;
}

int
cons_users_save(const char *path, const struct cons_users *us, char *err,
		size_t errlen)
{
	char tmp[4200];
	FILE *f;
	int fd, rc = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -ENAMETOOLONG;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	fprintf(f, "# cordon-console users: NAME:ROLE:scrypt:LOG2N:R:P:SALT:"
		"HASH\n# Managed by `cordon-console passwd`.\n");
	for (size_t i = 0; i < us->n; i++)
		fprintf(f, "%s:%s:%s\n", us->u[i].name,
			cons_role_name(us->u[i].role), us->u[i].hash);
	if (fflush(f) != 0 || fsync(fd) != 0)
		rc = -errno;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		unlink(tmp);
	}
	return rc;
}

struct cons_user *
cons_users_find(struct cons_users *us, const char *name)
{
	for (size_t i = 0; i < us->n; i++)
		if (strcmp(us->u[i].name, name) == 0)
			return &us->u[i];
	return NULL;
}

/* --- the server's state ------------------------------------------------ */

bool
cons_token_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb || la == 0)
		return false;
	return CRYPTO_memcmp(a, b, la) == 0;
}

static int
random_hex(char *out, size_t bytes)
{
	uint8_t b[64];

	if (bytes > sizeof(b) ||
	    getrandom(b, bytes, 0) != (ssize_t)bytes)
		return -EIO;
	for (size_t i = 0; i < bytes; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	return 0;
}

/* Read the users file again if it changed (lock held). */
static void
auth_refresh(struct cons_auth *a)
{
	struct stat st;
	char err[256];

	if (stat(a->path, &st) != 0) {
		a->users.n = 0;
		a->loaded = false;
		return;
	}
	if (a->loaded && st.st_mtim.tv_sec == a->mtime.tv_sec &&
	    st.st_mtim.tv_nsec == a->mtime.tv_nsec && st.st_size == a->size)
		return;
	if (cons_users_load(a->path, &a->users, err, sizeof(err)) < 0)
		fprintf(stderr, "cordon-console: %s: nobody may log in\n", err);
	a->mtime = st.st_mtim;
	a->size = st.st_size;
	a->loaded = true;
}

int
cons_auth_init(struct cons_auth *a, const char *users_path,
	       unsigned int log2n, char *err, size_t errlen)
{
	int rc;

	memset(a, 0, sizeof(*a));
	if (strlen(users_path) >= sizeof(a->path)) {
		snprintf(err, errlen, "users file path too long");
		return -ENAMETOOLONG;
	}
	strcpy(a->path, users_path);
	a->log2n = log2n ? log2n : CONS_SCRYPT_LOG2N;
	rc = cons_hash_password("no such user", a->log2n, a->dummy_hash,
				sizeof(a->dummy_hash));
	if (rc < 0) {
		snprintf(err, errlen, "scrypt: %s", strerror(-rc));
		return rc;
	}
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->kdf_cond, NULL);
	pthread_mutex_lock(&a->lock);
	auth_refresh(a);
	pthread_mutex_unlock(&a->lock);
	return 0;
}

void
cons_auth_fini(struct cons_auth *a)
{
	pthread_cond_destroy(&a->kdf_cond);
	pthread_mutex_destroy(&a->lock);
	OPENSSL_cleanse(a->s, sizeof(a->s));
}

static struct cons_throttle_key *
throttle_get(struct cons_auth *a, const char *key, uint64_t now_ms,
	     bool create)
{
	struct cons_throttle_key *oldest = NULL;

	for (size_t i = 0; i < CONS_THROTTLE_KEYS; i++) {
		struct cons_throttle_key *k = &a->t[i];

		if (k->used && strcmp(k->key, key) == 0)
			return k;
		if (!create)
			continue;
		if (!k->used) {
			if (oldest == NULL || oldest->used)
				oldest = k;
		} else if (oldest == NULL ||
			   (oldest->used && k->touched_ms < oldest->touched_ms)) {
			oldest = k;
		}
	}
	if (!create)
		return NULL;
	memset(oldest, 0, sizeof(*oldest));
	oldest->used = true;
	snprintf(oldest->key, sizeof(oldest->key), "%s", key);
	oldest->touched_ms = now_ms;
	return oldest;
}

static uint64_t
throttle_wait(struct cons_auth *a, const char *key, uint64_t now_ms)
{
	struct cons_throttle_key *k = throttle_get(a, key, now_ms, false);

	return k != NULL && k->until_ms > now_ms ? k->until_ms - now_ms : 0;
}

/* A failure: the key's next delay, doubled each time. */
static uint64_t
throttle_fail(struct cons_auth *a, const char *key, uint64_t now_ms)
{
	struct cons_throttle_key *k = throttle_get(a, key, now_ms, true);
	uint64_t d;

	k->failures++;
	d = k->failures > 6 ? CONS_THROTTLE_MAX_S * 1000ull :
		1000ull << (k->failures - 1);
	if (d > CONS_THROTTLE_MAX_S * 1000ull)
		d = CONS_THROTTLE_MAX_S * 1000ull;
	k->until_ms = now_ms + d;
	k->touched_ms = now_ms;
	return d;
}

static void
throttle_clear(struct cons_auth *a, const char *key)
{
	struct cons_throttle_key *k = throttle_get(a, key, 0, false);

	if (k != NULL)
		memset(k, 0, sizeof(*k));
}

static void
kdf_enter(struct cons_auth *a)
{
	pthread_mutex_lock(&a->lock);
	while (a->kdf_running >= KDF_PARALLEL)
		pthread_cond_wait(&a->kdf_cond, &a->lock);
	a->kdf_running++;
	pthread_mutex_unlock(&a->lock);
}

static void
kdf_leave(struct cons_auth *a)
{
	pthread_mutex_lock(&a->lock);
	a->kdf_running--;
	pthread_cond_signal(&a->kdf_cond);
	pthread_mutex_unlock(&a->lock);
}

static bool
session_live(const struct cons_session *s, uint64_t now_s)
{
	return s->used && now_s - s->used_s <= CONS_SESSION_IDLE_S &&
		now_s - s->created_s <= CONS_SESSION_MAX_S;
}

enum cons_login_rc
cons_auth_login(struct cons_auth *a, const char *user, const char *password,
		const char *addr, uint64_t now_ms, struct cons_session *out,
		uint64_t *delay_ms)
{
	char ukey[64], akey[64], hash[CONS_HASH_MAX];
	enum cons_role role = CONS_ROLE_NONE;
	struct cons_session *slot = NULL;
	uint64_t w, now_s = now_ms / 1000;
	struct cons_user *u;
	bool known;
	int rc;

	*delay_ms = 0;
	snprintf(ukey, sizeof(ukey), "u:%.32s", user);
	snprintf(akey, sizeof(akey), "a:%.60s", addr);
	pthread_mutex_lock(&a->lock);
	w = throttle_wait(a, ukey, now_ms);
	if (throttle_wait(a, akey, now_ms) > w)
		w = throttle_wait(a, akey, now_ms);
	if (w > 0) {
		a->logins_throttled++;
		pthread_mutex_unlock(&a->lock);
		*delay_ms = w;
		return CONS_LOGIN_THROTTLED;
	}
	auth_refresh(a);
	u = cons_user_name_ok(user) ? cons_users_find(&a->users, user) : NULL;
	known = u != NULL;
	snprintf(hash, sizeof(hash), "%s", known ? u->hash : a->dummy_hash);
	if (known)
		role = u->role;
	pthread_mutex_unlock(&a->lock);

	kdf_enter(a);
	rc = cons_verify_password(password, hash);
	kdf_leave(a);

	pthread_mutex_lock(&a->lock);
	if (!known || rc != 0) {
		uint64_t du = throttle_fail(a, ukey, now_ms);
		uint64_t da = throttle_fail(a, akey, now_ms);

		a->logins_failed++;
		pthread_mutex_unlock(&a->lock);
		*delay_ms = du > da ? du : da;
		return CONS_LOGIN_BAD;
	}
	throttle_clear(a, ukey);
	throttle_clear(a, akey);
	for (size_t i = 0; i < CONS_SESSIONS_MAX; i++) {
		struct cons_session *s = &a->s[i];

		if (s->used && !session_live(s, now_s)) {
			memset(s, 0, sizeof(*s));
			a->sessions_expired++;
		}
		if (!s->used && slot == NULL)
			slot = s;
	}
	if (slot == NULL || random_hex(slot->id, 32) < 0 ||
	    random_hex(slot->csrf, 32) < 0) {
		if (slot != NULL)
			memset(slot, 0, sizeof(*slot));
		pthread_mutex_unlock(&a->lock);
		return CONS_LOGIN_ERROR;
	}
	slot->used = true;
	snprintf(slot->user, sizeof(slot->user), "%s", user);
	slot->role = role;
	snprintf(slot->hash, sizeof(slot->hash), "%s", hash);
	slot->created_s = slot->used_s = now_s;
	*out = *slot;
	a->logins_ok++;
	pthread_mutex_unlock(&a->lock);
	return CONS_LOGIN_OK;
}

bool
cons_auth_session(struct cons_auth *a, const char *id, uint64_t now_ms,
		  struct cons_session *out)
{
	uint64_t now_s = now_ms / 1000;
	bool found = false;

	if (strlen(id) != CONS_TOKEN_HEX)
		return false;
	pthread_mutex_lock(&a->lock);
	auth_refresh(a);
	for (size_t i = 0; i < CONS_SESSIONS_MAX; i++) {
		struct cons_session *s = &a->s[i];
		struct cons_user *u;

		if (!s->used || !cons_token_equal(s->id, id))
			continue;
		u = cons_users_find(&a->users, s->user);
		/* Expired, or the user was removed or changed since. */
		if (!session_live(s, now_s) || u == NULL ||
		    u->role != s->role || strcmp(u->hash, s->hash) != 0) {
			memset(s, 0, sizeof(*s));
			a->sessions_expired++;
			break;
		}
		s->used_s = now_s;
		*out = *s;
		found = true;
		break;
	}
	pthread_mutex_unlock(&a->lock);
	return found;
}

void
cons_auth_logout(struct cons_auth *a, const char *id)
{
	pthread_mutex_lock(&a->lock);
	for (size_t i = 0; i < CONS_SESSIONS_MAX; i++)
		if (a->s[i].used && cons_token_equal(a->s[i].id, id))
			memset(&a->s[i], 0, sizeof(a->s[i]));
	pthread_mutex_unlock(&a->lock);
}

unsigned int
cons_auth_sessions(struct cons_auth *a, uint64_t now_ms)
{
	unsigned int n = 0;

	pthread_mutex_lock(&a->lock);
	for (size_t i = 0; i < CONS_SESSIONS_MAX; i++)
		n += session_live(&a->s[i], now_ms / 1000);
	pthread_mutex_unlock(&a->lock);
	return n;
}
