/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include "test_fp_util.h"
#include "test_fp_fix.h"
#include "test_main.h"

/* The frame of n bytes must give exactly one observation, of kind. */
static const struct fp_text *
text_of(size_t n, enum fp_obs_kind kind)
{
	assert_int_equal(frame_obs(n), 1);
	assert_int_equal(c.obs[0].kind, kind);
	return &c.obs[0].u.text;
}

/* frame: a TCP segment (PSH+ACK) carrying text; returns its length. */
static size_t
tcp_text(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
	const char *text)
{
	struct t_tcp t = { .sport = sport, .dport = dport, .seq = 1,
		.flags = 0x18, .win = 100 };

	return build_tcp4(frame, src, dst, &t, text, strlen(text));
}

static void test_ssdp(void **state)
{
	static const char msg[] =
		"NOTIFY * HTTP/1.1\r\n"
		"HOST: 239.255.255.250:1900\r\n"
		"CACHE-CONTROL: max-age=1800\r\n"
		"LOCATION: http://192.168.1.20:49152/description.xml\r\n"
		"NT: urn:schemas-upnp-org:device:MediaRenderer:1\r\n"
		"NTS: ssdp:alive\r\n"
		"SERVER: Linux/3.10 UPnP/1.0 Sonos/63.2-88230 (ZPS12)\r\n"
		"USN: uuid:RINCON_000E58::urn:schemas-upnp-org:device:MediaRenderer:1\r\n"
		"\r\n";
	size_t n = build_udp4(frame, 0xc0a80114, 0xeffffffa, 1900, 1900, msg,
			sizeof(msg) - 1);
	const struct fp_text *t;

	(void)state;
	t = text_of(n, FP_OBS_SSDP);
	assert_string_equal(t->method, "NOTIFY");
	assert_string_equal(t->server,
			"Linux/3.10 UPnP/1.0 Sonos/63.2-88230 (ZPS12)");
	assert_string_equal(t->nt, "urn:schemas-upnp-org:device:MediaRenderer:1");
	assert_string_equal(t->location,
			"http://192.168.1.20:49152/description.xml");
	assert_string_equal(t->usn,
		"uuid:RINCON_000E58::urn:schemas-upnp-org:device:MediaRenderer:1");
}

static void test_http_any_port(void **state)
{
	static const char req[] =
		"GET /index.html HTTP/1.1\r\nHost: example.org:8080\r\n"
		"user-agent:   curl/7.88.1  \r\nAccept: */*\r\n\r\n";
	static const char not_http[] = "GET is not a request line\r\n";
	const struct fp_text *x;

	(void)state;
	x = text_of(tcp_text(1, 2, 40000, 8080, req), FP_OBS_HTTP);
	assert_string_equal(x->method, "GET");
	assert_string_equal(x->uri, "/index.html");
	assert_string_equal(x->host, "example.org:8080");
	assert_string_equal(x->user_agent, "curl/7.88.1");
	assert_int_equal(frame_obs(tcp_text(1, 2, 40000, 8080, not_http)), 0);
}

static void test_http_response(void **state)
{
	static const char resp[] =
		"HTTP/1.1 200 OK\r\nServer: Hue/1.0 UPnP/1.0 IpBridge/1.57.0\r\n"
		"Content-Type: text/xml\r\n\r\n<?xml version=\"1.0\"?>"
		"<root><device><deviceType>urn:schemas-upnp-org:device:Basic:1"
		"</deviceType><friendlyName>Philips hue (192.168.1.141)"
		"</friendlyName><manufacturer>Royal Philips Electronics"
		"</manufacturer><modelName>Philips hue bridge 2015</modelName>"
		"<modelNumber>BSB002</modelNumber><serialNumber>0017";
	static const char plain[] = "HTTP/1.1 304 Not Modified\r\n\r\n";
	const struct fp_text *x;

	(void)state;
	x = text_of(tcp_text(0xc0a8018d, 0xc0a801de, 80, 40000, resp),
			FP_OBS_HTTP);
	assert_string_equal(x->status, "HTTP/1.1 200 OK");
	assert_string_equal(x->server, "Hue/1.0 UPnP/1.0 IpBridge/1.57.0");
	assert_string_equal(x->manufacturer, "Royal Philips Electronics");
	assert_string_equal(x->model_name, "Philips hue bridge 2015");
	assert_string_equal(x->model_number, "BSB002");
	assert_string_equal(x->device_type,
			"urn:schemas-upnp-org:device:Basic:1");
	assert_string_equal(x->friendly_name, "Philips hue (192.168.1.141)");
	/* a response that names nothing is not an observation */
	assert_int_equal(frame_obs(tcp_text(0xc0a8018d, 0xc0a801de, 80, 40000,
			plain)), 0);
}

TEST_MAIN(
	FP_FIX_TEST(test_ssdp),
	FP_FIX_TEST(test_http_any_port),
	FP_FIX_TEST(test_http_response))
