/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * Who may use the console, and how they prove it.
 *
 * Passwords: the users file holds one line per user,
 *   NAME:ROLE:scrypt:LOG2N:R:P:SALT:HASH
 * with SALT (16 bytes) and HASH (32 bytes) in base64. scrypt is OpenSSL
 * 3.0's EVP_KDF "SCRYPT" (argon2 arrived only in OpenSSL 3.2); N = 2^15,
 * r = 8, p = 1 takes 32 MiB and about 0.1 s a try, so a stolen file costs
 * an attacker as much memory as time. The parameters are stored per line,
 * so they can be raised later without invalidating old hashes. The file is
 * written by `cordon-console passwd` (mode 0600, replaced atomically) and
 * read again by the server whenever its mtime or size changes: a removed
 * user, a new password or a new role ends that user's sessions.
 *
 * Sessions: 256-bit random ids (getrandom), kept in memory only, so a
 * restart logs everybody out. Each has its own 256-bit CSRF token, which
 * every state-changing request must echo in X-CSRF-Token. Sessions expire
 * after CONS_SESSION_IDLE_S without use and CONS_SESSION_MAX_S in all.
 *
 * Failed logins: each failure for a user name and for a client address
 * doubles that key's delay, from 1 s up to CONS_THROTTLE_MAX_S; the answer
 * to a failed login is held back by the delay, and any attempt for that
 * user or from that address before it ends is refused at once (429)
 * without looking at the password. A success clears both keys. Unknown
 * users cost the same scrypt as known ones.
 */

#ifndef CORDON_CONS_AUTH_H
#define CORDON_CONS_AUTH_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CONS_USER_MAX 32		/* name length */
#define CONS_PASSWORD_MIN 8
#define CONS_PASSWORD_MAX 1024
#define CONS_USERS_MAX 256
#define CONS_HASH_MAX 160		/* "scrypt:..." text */
#define CONS_TOKEN_HEX 64		/* session ids and CSRF tokens */
#define CONS_SESSIONS_MAX 256
#define CONS_SESSION_IDLE_S (30 * 60)
#define CONS_SESSION_MAX_S (12 * 3600)
#define CONS_THROTTLE_KEYS 1024
#define CONS_THROTTLE_MAX_S 30
#define CONS_SCRYPT_LOG2N 15

enum cons_role {
	CONS_ROLE_NONE = 0,
	CONS_ROLE_VIEWER = 1,		/* may look */
	CONS_ROLE_ADMIN = 2,		/* may act */
};

const char *cons_role_name(enum cons_role r);
/* "admin" or "viewer"; CONS_ROLE_NONE for anything else. */
enum cons_role cons_role_parse(const char *s);

/* [a-z_][a-z0-9_.-]{0,31} */
bool cons_user_name_ok(const char *name);

/*
 * scrypt with a fresh salt, as "scrypt:LOG2N:R:P:SALT:HASH". log2n 0 takes
 * CONS_SCRYPT_LOG2N (tests use less). 0 or -errno.
 */
int cons_hash_password(const char *pw, unsigned int log2n, char *out,
		       size_t outlen);
/* 0 if pw matches stored, -EACCES if not, -EINVAL if stored is garbled. */
int cons_verify_password(const char *pw, const char *stored);

/* --- the users file ---------------------------------------------------- */

struct cons_user {
	char name[CONS_USER_MAX + 1];
	enum cons_role role;
	char hash[CONS_HASH_MAX];
};

struct cons_users {
	struct cons_user u[CONS_USERS_MAX];
	size_t n;
};

/*
 * Read path into *us. A missing file is an empty list (-ENOENT returned,
 * *us emptied). A bad line is -EINVAL with "path:line: why" in err.
 */
int cons_users_load(const char *path, struct cons_users *us, char *err,
		    size_t errlen);
/* Write *us to path: a temporary file (0600) fsynced, then renamed. */
int cons_users_save(const char *path, const struct cons_users *us,
		    char *err, size_t errlen);
/* The entry for name, or NULL. */
struct cons_user *cons_users_find(struct cons_users *us, const char *name);

/* --- sessions and throttling (the server's state) ---------------------- */

struct cons_session {
	bool used;
	char id[CONS_TOKEN_HEX + 1];
	char csrf[CONS_TOKEN_HEX + 1];
	char user[CONS_USER_MAX + 1];
	enum cons_role role;
	char hash[CONS_HASH_MAX];	/* the user's hash at login */
	uint64_t created_s;
	uint64_t used_s;
};

struct cons_throttle_key {
	bool used;
	char key[64];			/* "u:NAME" or "a:ADDRESS" */
	uint32_t failures;
	uint64_t until_ms;		/* attempts before this are refused */
	uint64_t touched_ms;
};

struct cons_auth {
	pthread_mutex_t lock;
	char path[4096];		/* the users file */
	struct cons_users users;
	struct timespec mtime;
	off_t size;
	bool loaded;
	struct cons_session s[CONS_SESSIONS_MAX];
	struct cons_throttle_key t[CONS_THROTTLE_KEYS];
	char dummy_hash[CONS_HASH_MAX];	/* unknown users cost the same */
	unsigned int log2n;
	/* At most this many scrypt computations at once (32 MiB each). */
	pthread_cond_t kdf_cond;
	unsigned int kdf_running;
	/* counters, under lock */
	uint64_t logins_ok, logins_failed, logins_throttled;
	uint64_t sessions_expired;
};

/* A login's outcome. */
enum cons_login_rc {
	CONS_LOGIN_OK = 0,
	CONS_LOGIN_BAD,			/* wrong user or password */
	CONS_LOGIN_THROTTLED,		/* too soon after a failure */
	CONS_LOGIN_ERROR,		/* out of sessions, entropy, ... */
};

int cons_auth_init(struct cons_auth *a, const char *users_path,
		   unsigned int log2n, char *err, size_t errlen);
void cons_auth_fini(struct cons_auth *a);

/*
 * Check user and password (from client address addr). On success *out is
 * a copy of the new session. On a failure *delay_ms says how long to hold
 * the answer back (the caller sleeps, outside any lock); when throttled,
 * how long until the next attempt may be made.
 */
enum cons_login_rc cons_auth_login(struct cons_auth *a, const char *user,
				   const char *password, const char *addr,
				   uint64_t now_ms, struct cons_session *out,
				   uint64_t *delay_ms);

/* Find a live session by id and touch it; copy it to *out. false if none
 * (unknown, expired, or its user changed in the users file). */
bool cons_auth_session(struct cons_auth *a, const char *id, uint64_t now_ms,
		       struct cons_session *out);
void cons_auth_logout(struct cons_auth *a, const char *id);
/* Live sessions now. */
unsigned int cons_auth_sessions(struct cons_auth *a, uint64_t now_ms);

/* Constant-time comparison of two NUL-terminated tokens. */
bool cons_token_equal(const char *a, const char *b);

#endif /* CORDON_CONS_AUTH_H */
