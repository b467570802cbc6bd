# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The Cordon Authors
#
# tls.sig: JA4 (FoxIO) and JA3 (Salesforce) of known TLS client stacks.
# A TLS stack is shared by many products: these clues are generic and only
# name software or an OS family.

rule ja4 prefix t13d1516h2_8daaf6152771_
	software Chromium-based browser
	conf 45
	from Chromium's BoringSSL ClientHello layout (15 cipher suites, 16 extensions); the JA4 specification's own example (FoxIO JA4.md)
	example t13d1516h2_8daaf6152771_02713d6af862

rule ja4 prefix t13d1517h2_8daaf6152771_
	software Chromium-based browser
	conf 40
	from Chromium ClientHello with one more extension (ECH GREASE / ALPS) (FoxIO JA4+ database notes)
	example t13d1517h2_8daaf6152771_b0da82dd1658

rule ja4 prefix t13d1715h2_5b57614c22b0_
	software Firefox
	conf 40
	from Firefox (NSS) ClientHello layout (FoxIO JA4 examples)
	example t13d1715h2_5b57614c22b0_3d5424432f57

rule ja4 prefix q13d0310h3_55b375c5d22e_
	software Chromium-based browser
	conf 35
	from Chromium's QUIC ClientHello layout (FoxIO JA4 examples)
	example q13d0310h3_55b375c5d22e_cd85d2d88918

rule ja4 re ^t10i000000_000000000000_000000000000$|^ts[23]i000000_000000000000_000000000000$
	software legacy TLS stack (SSLv2-compatible hello)
	conf 70
	from the JA4 FoxIO's ja4.py gives an SSLv2-compatible ClientHello (RFC 5246 E.2): only pre-2010 TLS libraries send one (FoxIO ja4.py; RFC 6176 prohibits SSL 2.0)
	example t10i000000_000000000000_000000000000
	example ts3i000000_000000000000_000000000000
