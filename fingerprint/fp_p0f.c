/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

/*
 * p0f v3 compatible TCP SYN / SYN+ACK signatures, written from the
 * semantics of p0f 3.09b (process.c, fp_tcp.c): which packets it looks at,
 * how quirks are derived, the TTL distance guess and the window-size
 * multiplier detection. The output must equal p0f's raw_sig byte for byte,
 * including its oddities (the non-ACK "ack+" test only looks at the lowest
 * bit of the first ACK byte, as p0f does on little-endian hosts).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fp_internal.h"
#include "fp_p0f.h"
#include "util_array.h"

/* Bounded string copy (always NUL-terminated, truncates). */
static void scpy(char *d, size_t cap, const char *s)
{
	size_t n = strnlen(s, cap - 1);

	memcpy(d, s, n);
	d[n] = '\0';
}

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PUSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20
#define TCP_ECE 0x40
#define TCP_CWR 0x80

#define MIN_TCP4 40
#define MIN_TCP6 60
#define MAX_DIST 35

/* p0f's names of the quirk bits (FP_Q_*), in bit order. */
static const char *const quirk_names[] = {
	"df", "id+", "id-", "ecn", "0+", "flow", "seq-", "ack+",
	"ack-", "uptr+", "urgf+", "pushf+", "ts1-", "ts2+", "opt+",
	"exws", "bad",
};

/* p0f's names of TCP option kinds; EOL is "eol+PAD", the rest "?KIND". */
static const char *const opt_names[] = {
	[1] = "nop", [2] = "mss", [3] = "ws", [4] = "sok", [5] = "sack",
	[8] = "ts",
};

#define P0F_DIM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * An option of fixed length len, d just past its kind byte: false when it
 * runs past end. A wrong length byte is p0f's "bad" quirk, not the end.
 */
static bool opt_fixed(const uint8_t *d, const uint8_t *end, uint8_t len,
		struct fp_p0f_pkt *p)
{
	if (d + len - 1 > end)
		return false;
	if (*d != len)
		p->quirks |= FP_Q_BAD;
	return true;
}

/* An option of variable length, d just past its kind byte: its length
 * byte is in lo..hi and the option ends by end. */
static bool opt_var(const uint8_t *d, const uint8_t *end, uint8_t lo,
		uint8_t hi)
{
	return d < end && *d >= lo && *d <= hi && d - 1 + *d <= end;
}

int fp_p0f_extract(const uint8_t *ip, size_t ip_len, struct fp_p0f_pkt *p)
{
	const uint8_t *tcp, *d, *opt_end;
	size_t plen = ip_len;
	uint32_t doff;
	uint8_t flags;

	memset(p, 0, sizeof(*p));
	if (plen > 65535)
		plen = 65535;
	if (plen < MIN_TCP4)
		return -EINVAL;
	if ((ip[0] >> 4) == 4) {
		uint32_t hl = (uint32_t)(ip[0] & 0x0f) * 4;
		uint16_t fo = fp_rd16(ip + 6), tot = fp_rd16(ip + 2);

		if (plen > tot)
			plen = tot;
		if (plen < MIN_TCP4 || hl < 20 || tot > plen ||
				hl + 20 > plen || ip[9] != 6)
			return -EINVAL;
		if (fo & ~(0x4000 | 0x8000))
			return -EINVAL;	/* fragment */
		p->ip_ver = 4;
		p->ip_opt_len = (uint8_t)(hl - 20);
		p->ttl = ip[8];
		if (ip[1] & 0x03)
			p->quirks |= FP_Q_ECN;
		if (fo & 0x8000)
			p->quirks |= FP_Q_NZ_MBZ;
		if (fo & 0x4000) {
			p->quirks |= FP_Q_DF;
			if (fp_rd16(ip + 4))
				p->quirks |= FP_Q_NZ_ID;
		} else if (!fp_rd16(ip + 4)) {
			p->quirks |= FP_Q_ZERO_ID;
		}
		p->tot_hdr = hl;
		tcp = ip + hl;
		plen -= hl;
	} else if ((ip[0] >> 4) == 6) {
		uint32_t vt = fp_rd32(ip);
		size_t tot = (size_t)fp_rd16(ip + 4) + 40;

		if (plen > tot)
			plen = tot;
		if (plen < MIN_TCP6 || tot > plen || ip[6] != 6)
			return -EINVAL;
		p->ip_ver = 6;
		p->ttl = ip[7];
		if (vt & 0xfffff)
			p->quirks |= FP_Q_FLOW;
		if ((vt >> 20) & 0x03)
			p->quirks |= FP_Q_ECN;
		p->tot_hdr = 40;
		tcp = ip + 40;
		plen -= 40;
	} else {
		return -EINVAL;
	}

	doff = (uint32_t)(tcp[12] >> 4) * 4;
	if (doff < 20 || doff > plen)
		return -EINVAL;
	p->tot_hdr += doff;
	flags = tcp[13];
	p->tcp_type = flags & (TCP_SYN | TCP_ACK | TCP_FIN | TCP_RST);
	if (((flags & TCP_SYN) && (flags & (TCP_FIN | TCP_RST))) ||
			((flags & TCP_FIN) && (flags & TCP_RST)) || !p->tcp_type)
		return -EINVAL;
	p->win = fp_rd16(tcp + 14);
	if ((flags & (TCP_ECE | TCP_CWR)) || (tcp[12] & 0x01))
		p->quirks |= FP_Q_ECN;
	if (!fp_rd32(tcp + 4))
		p->quirks |= FP_Q_ZERO_SEQ;
	if (flags & TCP_ACK) {
		if (!fp_rd32(tcp + 8))
			p->quirks |= FP_Q_ZERO_ACK;
	} else if ((tcp[8] & 1) && !(flags & TCP_RST)) {
		/* p0f: "RD32(ack) & !(flags & RST)" on a little-endian host. */
		p->quirks |= FP_Q_NZ_ACK;
	}
	if (flags & TCP_URG)
		p->quirks |= FP_Q_URG;
	else if (fp_rd16(tcp + 18))
		p->quirks |= FP_Q_NZ_URG;
	if (flags & TCP_PUSH)
		p->quirks |= FP_Q_PUSH;
	p->pay_len = (uint32_t)(plen - doff);

	opt_end = tcp + doff;
	d = tcp + 20;
	while (d < opt_end && p->opt_cnt < FP_P0F_MAX_OPT) {
		uint8_t kind = *d++;

		p->opt_layout[p->opt_cnt++] = kind;
		switch (kind) {
		case 0:		/* EOL */
			p->opt_eol_pad = (uint8_t)(opt_end - d);
			while (d < opt_end && !*d++)
				;
			if (d != opt_end) {
				p->quirks |= FP_Q_EOL_NZ;
				d = opt_end;
			}
			break;
		case 1:		/* NOP */
			break;
		case 2:		/* MSS */
			if (!opt_fixed(d, opt_end, 4, p))
				goto abort;
			p->mss = fp_rd16(d + 1);
			d += 3;
			break;
		case 3:		/* window scale */
			if (!opt_fixed(d, opt_end, 3, p))
				goto abort;
			p->wscale = d[1];
			if (p->wscale > 14)
				p->quirks |= FP_Q_EXWS;
			d += 2;
			break;
		case 4:		/* SACK permitted */
			if (!opt_fixed(d, opt_end, 2, p))
				goto abort;
			d++;
			break;
		case 5:		/* SACK */
			if (!opt_var(d, opt_end, 10, 34))
				goto abort;
			d += *d - 1;
			break;
		case 8:		/* timestamps */
			if (!opt_fixed(d, opt_end, 10, p))
				goto abort;
			p->ts1 = fp_rd32(d + 1);
			if (!p->ts1)
				p->quirks |= FP_Q_TS1_ZERO;
			if (p->tcp_type == TCP_SYN && fp_rd32(d + 5))
				p->quirks |= FP_Q_TS2_NZ;
			d += 9;
			break;
		default:
			if (!opt_var(d, opt_end, 2, 40))
				goto abort;
			d += *d - 1;
			break;
		}
	}
	if (d != opt_end)
		goto abort;
	return 0;
abort:
	p->quirks |= FP_Q_BAD;
	return 0;
}

static uint8_t guess_dist(uint8_t ttl)
{
	if (ttl <= 32)
		return (uint8_t)(32 - ttl);
	if (ttl <= 64)
		return (uint8_t)(64 - ttl);
	if (ttl <= 128)
		return (uint8_t)(128 - ttl);
	return (uint8_t)(255 - ttl);
}

/* p0f's detect_win_multi(): window as a multiple of MSS or MTU. */
static int win_multi(const struct fp_p0f_pkt *p, bool *use_mtu,
		uint16_t syn_mss)
{
	int32_t win = p->win, mss = p->mss;
	int32_t divs[12];
	bool mtu[12];
	int n = 0;

	if (!win || mss < 100)
		return -1;
	divs[n] = mss; mtu[n++] = false;
	if (p->ts1) {
		divs[n] = mss - 12; mtu[n++] = false;
	}
	divs[n] = 1500 - MIN_TCP4; mtu[n++] = false;
	divs[n] = 1500 - MIN_TCP4 - 12; mtu[n++] = false;
	if (p->ip_ver == 6) {
		divs[n] = 1500 - MIN_TCP6; mtu[n++] = false;
		divs[n] = 1500 - MIN_TCP6 - 12; mtu[n++] = false;
	}
	divs[n] = mss + MIN_TCP4; mtu[n++] = true;
	divs[n] = mss + (int32_t)p->tot_hdr; mtu[n++] = true;
	if (p->ip_ver == 6) {
		divs[n] = mss + MIN_TCP6; mtu[n++] = true;
	}
	divs[n] = 1500; mtu[n++] = true;
	if (syn_mss) {
		divs[n] = syn_mss; mtu[n++] = false;
		divs[n] = (int32_t)syn_mss - 12; mtu[n++] = false;
	}
	for (int i = 0; i < n; i++) {
		if (divs[i] && !(win % divs[i])) {
			int32_t r = win / divs[i];

			*use_mtu = mtu[i];
			/* p0f keeps the result in an s16 */
			return (int16_t)r;
		}
	}
	return -1;
}

#define APPEND(...) do { \
	int _n = snprintf(out + pos, pos < cap ? cap - pos : 0, __VA_ARGS__); \
	if (_n > 0) \
		pos += (size_t)_n; \
} while (0)

void fp_p0f_sig(const struct fp_p0f_pkt *p, uint16_t syn_mss, char *out,
		size_t cap)
{
	size_t pos = 0;
	uint8_t dist = guess_dist(p->ttl);
	bool use_mtu = false, first = true;
	int wm;

	if (cap == 0)
		return;
	out[0] = '\0';
	if (dist > MAX_DIST)
		APPEND("%u:%u+?:%u:", p->ip_ver, p->ttl, p->ip_opt_len);
	else
		APPEND("%u:%u+%u:%u:", p->ip_ver, p->ttl, dist,
				p->ip_opt_len);
	if (p->mss == 1331 && p->tcp_type == (TCP_SYN | TCP_ACK))
		APPEND("*:");
	else
		APPEND("%u:", p->mss);
	wm = win_multi(p, &use_mtu, syn_mss);
	if (wm > 0)
		APPEND("%s*%d", use_mtu ? "mtu" : "mss", wm);
	else
		APPEND("%u", p->win);
	APPEND(",%u:", p->wscale);
	for (unsigned int i = 0; i < p->opt_cnt; i++) {
		const char *sep = i ? "," : "";
		uint8_t k = p->opt_layout[i];

		if (k == 0)
			APPEND("%seol+%u", sep, p->opt_eol_pad);
		else if (k < P0F_DIM(opt_names) && opt_names[k] != NULL)
			APPEND("%s%s", sep, opt_names[k]);
		else
			APPEND("%s?%u", sep, k);
	}
	APPEND(":");
	for (unsigned int i = 0; i < P0F_DIM(quirk_names); i++) {
		if (p->quirks & (1u << i)) {
			APPEND("%s%s", first ? "" : ",", quirk_names[i]);
			first = false;
		}
	}
	APPEND(p->pay_len ? ":+" : ":0");
	if (pos >= cap)
		out[cap - 1] = '\0';
}

/* The fields of p0f's view that an observation (fp_tcp_sig) carries as
 * they are; opt_cnt and opt_layout are copied apart. */
#define P0F_OBS_FIELDS(X) \
	X(ttl) X(mss) X(win) X(wscale) X(ip_ver) X(ip_opt_len) X(tcp_type) \
	X(opt_eol_pad) X(quirks) X(ts1) X(tot_hdr) X(pay_len)

void fp_p0f_to_obs(const struct fp_p0f_pkt *p, uint16_t syn_mss,
		struct fp_tcp_sig *o)
{
#define P0F_TO_OBS(f) o->f = p->f;
	fp_p0f_sig(p, syn_mss, o->p0f, sizeof(o->p0f));
	P0F_OBS_FIELDS(P0F_TO_OBS)
	o->syn_mss = syn_mss;
	o->opt_cnt = p->opt_cnt;
	memcpy(o->opt_layout, p->opt_layout, sizeof(o->opt_layout));
#undef P0F_TO_OBS
}

void fp_p0f_from_obs(const struct fp_tcp_sig *o, struct fp_p0f_pkt *p)
{
#define P0F_FROM_OBS(f) p->f = o->f;
	memset(p, 0, sizeof(*p));
	P0F_OBS_FIELDS(P0F_FROM_OBS)
	p->opt_cnt = o->opt_cnt > FP_P0F_MAX_OPT ? FP_P0F_MAX_OPT : o->opt_cnt;
	memcpy(p->opt_layout, o->opt_layout, sizeof(p->opt_layout));
#undef P0F_FROM_OBS
}

/* ---- p0f.fp database ---------------------------------------------------- */

enum { WIN_NORMAL, WIN_ANY, WIN_MOD, WIN_MSS, WIN_MTU };

struct p0f_rec {
	bool syn;		/* [tcp:request] */
	bool generic;
	bool bad_ttl;
	int ver;		/* 4, 6, -1 */
	int ttl, olen, mss, win, wscale, pclass, eol_pad;
	int win_type;
	uint8_t opt_cnt;
	uint8_t opt[FP_P0F_MAX_OPT];
	uint32_t quirks;
	char label[96];
};

struct fp_p0f_db {
	size_t n, cap;
	struct p0f_rec *r;
};

static int parse_num(const char **s, char stop)
{
	char *end;
	long v = strtol(*s, &end, 10);

	if (end == *s || *end != stop)
		return -1;
	*s = end + 1;
	return (int)v;
}

/* A number before stop, or "*" for any (-1); false when neither. */
static bool parse_num_any(const char **s, char stop, int *out)
{
	if (**s == '*') {
		*out = -1;
		*s += 2;
		return true;
	}
	return (*out = parse_num(s, stop)) >= 0;
}

/* The option kind whose name s starts with (s moves past it), or -1. */
static int parse_opt_name(const char **s)
{
	for (unsigned int k = 0; k < P0F_DIM(opt_names); k++) {
		size_t l = opt_names[k] != NULL ? strlen(opt_names[k]) : 0;

		if (l != 0 && !strncmp(*s, opt_names[k], l)) {
			*s += l;
			return (int)k;
		}
	}
	return -1;
}

static bool parse_sig(const char *s, struct p0f_rec *r)
{
	const char *p = s;
	char *end;

	if (*p == '4' || *p == '6')
		r->ver = *p - '0';
	else if (*p == '*')
		r->ver = -1;
	else
		return false;
	if (p[1] != ':')
		return false;
	p += 2;
	r->ttl = (int)strtol(p, &end, 10);
	if (end == p)
		return false;
	p = end;
	if (*p == '-') {
		r->bad_ttl = true;
		p++;
	} else if (*p == '+') {
		p++;
		r->ttl += (int)strtol(p, &end, 10);
		p = end;
	}
	if (*p++ != ':')
		return false;
	if ((r->olen = parse_num(&p, ':')) < 0)
		return false;
	if (!parse_num_any(&p, ':', &r->mss))
		return false;
	if (*p == '*') {
		r->win_type = WIN_ANY;
		p += 2;
	} else {
		if (*p == '%') {
			r->win_type = WIN_MOD;
			p++;
		} else if (!strncmp(p, "mss*", 4)) {
			r->win_type = WIN_MSS;
			p += 4;
		} else if (!strncmp(p, "mtu*", 4)) {
			r->win_type = WIN_MTU;
			p += 4;
		}
		if ((r->win = parse_num(&p, ',')) < 0)
			return false;
	}
	if (!parse_num_any(&p, ':', &r->wscale))
		return false;
	while (*p && *p != ':') {
		int o;

		if (r->opt_cnt >= FP_P0F_MAX_OPT)
			return false;
		if (!strncmp(p, "eol+", 4)) {
			o = 0;
			p += 4;
			r->eol_pad = (int)strtol(p, &end, 10);
			p = end;
		} else if (*p == '?') {
			o = (uint8_t)strtol(p + 1, &end, 10);
			p = end;
		} else if ((o = parse_opt_name(&p)) < 0) {
			return false;
		}
		r->opt[r->opt_cnt++] = (uint8_t)o;
		if (*p == ',')
			p++;
	}
	if (*p++ != ':')
		return false;
	while (*p && *p != ':') {
		size_t i;

		for (i = 0; i < P0F_DIM(quirk_names); i++) {
			size_t l = strlen(quirk_names[i]);

			if (!strncmp(p, quirk_names[i], l) &&
					(p[l] == ',' || p[l] == ':')) {
				r->quirks |= 1u << i;
				p += l;
				break;
			}
		}
		if (i == P0F_DIM(quirk_names))
			return false;
		if (*p == ',')
			p++;
	}
	if (*p++ != ':')
		return false;
	if (*p == '*')
		r->pclass = -1;
	else if (*p == '0')
		r->pclass = 0;
	else if (*p == '+')
		r->pclass = 1;
	else
		return false;
	return true;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' ||
				e[-1] == '\t'))
		*--e = '\0';
	return s;
}

struct fp_p0f_db *fp_p0f_db_load(const char *path)
{
	struct fp_p0f_db *db;
	char line[512], label[96] = "";
	int section = 0;	/* 1 request, 2 response */
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	db = calloc(1, sizeof(*db));
	if (!db)
		goto out;
	while (fgets(line, sizeof(line), f)) {
		char *s = trim(line), *v;

		if (*s == ';' || *s == '\0')
			continue;
		if (*s == '[') {
			section = !strncmp(s, "[tcp:request]", 13) ? 1 :
				!strncmp(s, "[tcp:response]", 14) ? 2 : 0;
			continue;
		}
		if (!section)
			continue;
		v = strchr(s, '=');
		if (!v)
			continue;
		*v++ = '\0';
		s = trim(s);
		v = trim(v);
		if (!strcmp(s, "label")) {
			scpy(label, sizeof(label), v);
		} else if (!strcmp(s, "sig")) {
			struct p0f_rec r;

			memset(&r, 0, sizeof(r));
			if (!parse_sig(v, &r))
				continue;
			r.syn = section == 1;
			r.generic = label[0] == 'g';
			scpy(r.label, sizeof(r.label), label);
			if (UTIL_ARRAY_GROW(db->r, db->cap, db->n, 128) < 0)
				break;
			db->r[db->n++] = r;
		}
	}
out:
	fclose(f);
	return db;
}

void fp_p0f_db_free(struct fp_p0f_db *db)
{
	if (!db)
		return;
	free(db->r);
	free(db);
}

bool fp_p0f_db_match(const struct fp_p0f_db *db, bool syn,
		const struct fp_p0f_pkt *p, uint16_t syn_mss, char *label,
		size_t cap, bool *generic)
{
	const struct p0f_rec *gm = NULL, *fm = NULL;
	bool use_mtu = false;
	int wm;

	if (!db)
		return false;
	wm = win_multi(p, &use_mtu, syn_mss);
	for (size_t i = 0; i < db->n; i++) {
		const struct p0f_rec *r = &db->r[i];
		uint32_t rq = r->quirks;
		bool fuzzy = false;

		if (r->syn != syn || r->opt_cnt != p->opt_cnt ||
				memcmp(r->opt, p->opt_layout, p->opt_cnt))
			continue;
		if (r->ver != -1 && r->ver != p->ip_ver)
			continue;
		if (r->ver == -1)
			rq &= p->ip_ver == 4 ? ~FP_Q_FLOW :
				~(FP_Q_DF | FP_Q_NZ_ID | FP_Q_ZERO_ID);
		if (rq != p->quirks) {
			uint32_t del = (rq ^ p->quirks) & rq;
			uint32_t add = (rq ^ p->quirks) & p->quirks;

			if (fm || (del & ~(FP_Q_DF | FP_Q_NZ_ID)) ||
					(add & ~(FP_Q_ZERO_ID | FP_Q_ECN)))
				continue;
			fuzzy = true;
		}
		if (r->eol_pad != p->opt_eol_pad || r->olen != p->ip_opt_len)
			continue;
		if (r->bad_ttl) {
			if (r->ttl < p->ttl)
				continue;
		} else if (r->ttl < p->ttl || r->ttl - p->ttl > MAX_DIST) {
			fuzzy = true;
		}
		if (r->mss != -1 && r->mss != p->mss)
			continue;
		if (r->wscale != -1 && r->wscale != p->wscale)
			continue;
		if (r->pclass != -1 && r->pclass != (p->pay_len ? 1 : 0))
			continue;
		switch (r->win_type) {
		case WIN_NORMAL:
			if (r->win != p->win)
				continue;
			break;
		case WIN_MOD:
			if (r->win == 0 || p->win % r->win)
				continue;
			break;
		case WIN_MSS:
			if (use_mtu || r->win != wm)
				continue;
			break;
		case WIN_MTU:
			if (!use_mtu || r->win != wm)
				continue;
			break;
		default:
			break;
		}
		if (!fuzzy) {
			if (!r->generic) {
				scpy(label, cap, r->label);
				*generic = false;
				return true;
			}
			if (!gm)
				gm = r;
		} else if (!fm) {
			fm = r;
		}
	}
	if (gm) {
		scpy(label, cap, gm->label);
		*generic = true;
		return true;
	}
	/* p0f: no fuzzy matching for userland tools (class "!") */
	if (fm && strncmp(fm->label + 1, ":!:", 3)) {
		scpy(label, cap, fm->label);
		*generic = true;
		return true;
	}
	return false;
}
