// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The Cordon Authors
//
// Every device, keyed by MAC, with all its addresses (IPv4 and IPv6, from
// every dataplane and VLAN it was seen on) grouped under it.
'use strict';

(() => {
  const { el, get, num, attr, table } = cordon;

  function ident(d) {
    const id = d.identity || {};
    return el('div', { class: 'ident' },
      el('div', {}, el('b', { text: 'vendor ' }), attr(id.vendor, id.vendor_confidence)),
      el('div', {}, el('b', { text: 'type ' }), attr(id.type, id.type_confidence)),
      el('div', {}, el('b', { text: 'os ' }), attr(id.os, id.os_confidence)),
      el('div', {}, el('b', { text: 'model ' }), attr(id.model, id.model_confidence)),
      el('div', { class: 'muted', text: (d.evidence || []).length + ' pieces of evidence' }));
  }

  function row(d) {
    const id = d.identity || {};
    const segs = [...new Set(d.entries.map((e) => e.segment_name).filter(Boolean))];
    const href = '/device?mac=' + encodeURIComponent(d.mac);
    return el('tr', { 'data-mac': d.mac, class: d.quarantined ? 'quarantined' : null },
      el('td', {}, el('a', { href, class: 'mac', text: d.mac }),
        id.hostname ? el('div', { class: 'muted', text: id.hostname }) : null,
        d.quarantined ? el('div', { class: 'badge bad', text: 'quarantined' }) : null),
      el('td', {}, ident(d)),
      el('td', { text: segs.join(', ') || '—' }),
      el('td', { class: 'url', text: id.mud_url || '' }),
      el('td', {}, (d.addresses || []).map((a) => el('div', { class: 'addr', text: a }))),
      el('td', { class: 'num allowed', text: num(d.allowed_packets) }),
      el('td', { class: 'num denied', text: num(d.denied_packets) }),
      el('td', { class: 'num', text: num(d.flows) }));
  }

  cordon.every(5000, async () => {
    const r = await get('/api/devices');
    const list = r.devices.sort((a, b) => a.mac < b.mac ? -1 : 1);
    return [[table(['Device', 'Identity (confidence)', 'Segment', 'MUD URL', 'Addresses',
      'Allowed pkts', 'Denied pkts', 'Flows'], list.map(row), { id: 'devices' })],
    list.length + ' devices'];
  });
})();
