/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The Cordon Authors
 */

#include <string.h>

#include "evidence.h"

static const char *const source_names[] = {
	[CORDON__EVIDENCE_SOURCE__SOURCE_OUI] = "oui",
	[CORDON__EVIDENCE_SOURCE__SOURCE_DHCP] = "dhcp",
	[CORDON__EVIDENCE_SOURCE__SOURCE_DHCPV6] = "dhcpv6",
	[CORDON__EVIDENCE_SOURCE__SOURCE_MDNS] = "mdns",
	[CORDON__EVIDENCE_SOURCE__SOURCE_SSDP] = "ssdp",
	[CORDON__EVIDENCE_SOURCE__SOURCE_HTTP] = "http",
	[CORDON__EVIDENCE_SOURCE__SOURCE_DNS] = "dns",
	[CORDON__EVIDENCE_SOURCE__SOURCE_TLS] = "tls",
	[CORDON__EVIDENCE_SOURCE__SOURCE_QUIC] = "quic",
	[CORDON__EVIDENCE_SOURCE__SOURCE_TCP] = "tcp",
	[CORDON__EVIDENCE_SOURCE__SOURCE_LLDP] = "lldp",
	[CORDON__EVIDENCE_SOURCE__SOURCE_BEHAVIOUR] = "behaviour",
	[CORDON__EVIDENCE_SOURCE__SOURCE_DISCOVERY] = "discovery",
};

static const char *const field_names[] = {
	[CORDON__IDENTITY_FIELD__FIELD_VENDOR] = "vendor",
	[CORDON__IDENTITY_FIELD__FIELD_TYPE] = "type",
	[CORDON__IDENTITY_FIELD__FIELD_OS] = "os",
	[CORDON__IDENTITY_FIELD__FIELD_MODEL] = "model",
	[CORDON__IDENTITY_FIELD__FIELD_FIRMWARE] = "firmware",
	[CORDON__IDENTITY_FIELD__FIELD_SOFTWARE] = "software",
	[CORDON__IDENTITY_FIELD__FIELD_MUD_URL] = "mud_url",
	[CORDON__IDENTITY_FIELD__FIELD_HOSTNAME] = "hostname",
	[CORDON__IDENTITY_FIELD__FIELD_TLS] = "tls",
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char *
name_of(const char *const *names, size_t n, int v)
{
	return v > 0 && (size_t)v < n && names[v] != NULL ? names[v] : "";
}

static int
value_of(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 1; name != NULL && i < n; i++)
		if (names[i] != NULL && strcmp(names[i], name) == 0)
			return (int)i;
	return 0;
}

const char *
evidence_source_name(Cordon__EvidenceSource s)
{
	return name_of(source_names, N_OF(source_names), (int)s);
}

Cordon__EvidenceSource
evidence_source_from_name(const char *name)
{
	return (Cordon__EvidenceSource)value_of(source_names,
						N_OF(source_names), name);
}

const char *
evidence_field_name(Cordon__IdentityField f)
{
	return name_of(field_names, N_OF(field_names), (int)f);
}

Cordon__IdentityField
evidence_field_from_name(const char *name)
{
	return (Cordon__IdentityField)value_of(field_names, N_OF(field_names),
					       name);
}

Cordon__EvidenceSource
evidence_source_of_method(const char *method)
{
	/* Methods whose first word is not their source's name. */
	static const struct {
		const char *word;
		Cordon__EvidenceSource src;
	} alias[] = {
		{ "ja3", CORDON__EVIDENCE_SOURCE__SOURCE_TLS },
		{ "ja4", CORDON__EVIDENCE_SOURCE__SOURCE_TLS },
		{ "sni", CORDON__EVIDENCE_SOURCE__SOURCE_TLS },
		{ "p0f", CORDON__EVIDENCE_SOURCE__SOURCE_TCP },
		{ "behav", CORDON__EVIDENCE_SOURCE__SOURCE_BEHAVIOUR },
		{ "upnp", CORDON__EVIDENCE_SOURCE__SOURCE_HTTP },
		{ "service", CORDON__EVIDENCE_SOURCE__SOURCE_DISCOVERY },
	};
	char word[16];
	size_t n;

	if (method == NULL)
		return CORDON__EVIDENCE_SOURCE__SOURCE_UNSPEC;
	n = strcspn(method, "_");
	if (n >= sizeof(word))
		return CORDON__EVIDENCE_SOURCE__SOURCE_UNSPEC;
	memcpy(word, method, n);
	word[n] = '\0';
	for (size_t i = 0; i < N_OF(alias); i++)
		if (strcmp(word, alias[i].word) == 0)
			return alias[i].src;
	return evidence_source_from_name(word);
}
