// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The Cordon Authors
//
// One device: identity and its evidence, addresses, traffic over time,
// live flows, and (for admins) quarantine, release and segment.
'use strict';

(async () => {
  const { el, get, post, num, bytes, attr, table, status, time } = cordon;
  const mac = (new URLSearchParams(window.location.search).get('mac') || '').toLowerCase();
  const content = document.getElementById('content');
  let chart = null;
  let segments = [];

  if (!cordon.macRe.test(mac)) {
    status('no device: give ?mac=aa:bb:cc:dd:ee:ff', true);
    return;
  }
  document.getElementById('title').textContent = 'Device ' + mac;

  const sections = {};
  for (const [id, title] of [['actions', 'Actions'], ['identity', 'Identity'],
    ['traffic', 'Traffic'], ['flows', 'Live flows'], ['names', 'Names'],
    ['alerts', 'Alerts'], ['envelope', 'Envelope'], ['evidence', 'Evidence']]) {
    sections[id] = el('div', { id: 'sec-' + id });
    content.append(el('section', { class: 'card' }, el('h2', { text: title }), sections[id]));
  }
  sections.alerts.append(el('p', { class: 'placeholder',
    text: 'Threat detection is not feeding cordond yet: this device\'s alerts will show here.' }));
  sections.envelope.append(el('p', { class: 'placeholder',
    text: 'The behaviour envelope (what this device normally does, from its MUD file and its history) comes with threat detection.' }));

  async function act(path, body, what) {
    try {
      const r = await post(path, body);
      await load();
      status(what + ': policy ' + r.policy_version + ' in force');
    } catch (e) {
      status(what + ' refused: ' + e.message, true);
    }
  }

  function actions(d) {
    const reason = el('input', { id: 'reason', placeholder: 'reason', maxlength: 200 });
    const pick = el('select', { id: 'segment' },
      el('option', { value: '', text: '(as the policy assigns)' }),
      segments.filter((s) => !s.quarantine).map((s) => el('option', { value: s.name, text: s.name })));
    const box = el('div', { class: 'actions' },
      d.quarantined
        ? el('button', { id: 'release', class: 'act', text: 'Release',
          onclick: () => act('/api/device/release', { mac }, 'release') })
        : el('span', {}, reason, el('button', { id: 'quarantine', class: 'act danger', text: 'Quarantine',
          onclick: () => act('/api/device/quarantine', { mac, reason: reason.value }, 'quarantine') })),
      el('span', { class: 'seg' }, pick, el('button', { id: 'move', class: 'act', text: 'Set segment',
        onclick: () => act('/api/device/segment', { mac, segment: pick.value }, 'segment') })),
      // The dataplane's own capture: 100 packets or 10 s, as pcapng.
      el('a', { id: 'capture', class: 'act button', download: '',
        href: '/api/capture?mac=' + encodeURIComponent(mac) + '&count=100&seconds=10',
        title: 'the device\'s next 100 packets (10 s at most) as pcapng', text: 'Capture (pcapng)' }));
    if (!cordon.session().may.act)
      box.append(el('p', { class: 'muted', text: 'Your role may only look.' }));
    return box;
  }

  function drawChart(h) {
    const s = h.samples || [];
    const canvas = el('canvas', { id: 'chart', height: 90 });
    sections.traffic.append(canvas);
    if (typeof Chart === 'undefined' || s.length < 2) {
      sections.traffic.append(el('p', { class: 'muted',
        text: s.length < 2 ? 'The chart fills in as the console samples (every ' +
          (h.interval_ms / 1000) + ' s).' : 'Chart.js is not installed.' }));
      return;
    }
    const rate = (i, k) => Math.max(0, (s[i][k] - s[i - 1][k]) / ((s[i][0] - s[i - 1][0]) / 1000));
    const labels = [], allowed = [], denied = [], received = [];
    for (let i = 1; i < s.length; i++) {
      labels.push(new Date(s[i][0]).toLocaleTimeString());
      allowed.push(rate(i, 1));
      denied.push(rate(i, 2));
      received.push(rate(i, 3));
    }
    if (chart) chart.destroy();
    chart = new Chart(canvas, {
      type: 'line',
      data: { labels, datasets: [
        { label: 'allowed pkt/s', data: allowed, borderColor: '#2e7d32', pointRadius: 0 },
        { label: 'denied pkt/s', data: denied, borderColor: '#c62828', pointRadius: 0 },
        { label: 'received pkt/s', data: received, borderColor: '#1565c0', pointRadius: 0 }] },
      options: { animation: false, responsive: true, scales: { y: { beginAtZero: true } } },
    });
  }

  function render(d) {
    const id = d.identity || {};
    sections.actions.replaceChildren(actions(d));
    sections.identity.replaceChildren(table(null, [
      el('tr', {}, el('th', { text: 'vendor' }), el('td', {}, attr(id.vendor, id.vendor_confidence))),
      el('tr', {}, el('th', { text: 'type' }), el('td', {}, attr(id.type, id.type_confidence))),
      el('tr', {}, el('th', { text: 'os' }), el('td', {}, attr(id.os, id.os_confidence))),
      el('tr', {}, el('th', { text: 'model' }), el('td', {}, attr(id.model, id.model_confidence))),
      el('tr', {}, el('th', { text: 'hostname' }), el('td', { text: id.hostname || '' })),
      el('tr', {}, el('th', { text: 'MUD URL' }), el('td', { text: id.mud_url || '' })),
      el('tr', {}, el('th', { text: 'state' }), el('td', { id: 'state',
        text: d.quarantined ? 'quarantined' : 'not quarantined' })),
      el('tr', {}, el('th', { text: 'addresses' }), el('td', { id: 'addresses' },
        (d.addresses || []).map((a) => el('div', { class: 'addr', text: a })))),
      el('tr', {}, el('th', { text: 'seen on' }), el('td', {}, d.entries.map((e) =>
        el('div', { text: e.dataplane_id + ' port ' + e.port_id + ' vlan ' + e.vlan +
          (e.segment_name ? ', segment ' + e.segment_name : '') })))),
    ], { class: 'kv' }));
    sections.traffic.replaceChildren(table(['', 'packets', 'bytes'], [
      el('tr', {}, el('th', { text: 'allowed' }), el('td', { id: 'allowed-packets', class: 'num', text: num(d.allowed_packets) }), el('td', { class: 'num', text: bytes(d.allowed_bytes) })),
      el('tr', {}, el('th', { text: 'denied' }), el('td', { id: 'denied-packets', class: 'num', text: num(d.denied_packets) }), el('td', { class: 'num', text: bytes(d.denied_bytes) })),
      el('tr', {}, el('th', { text: 'received' }), el('td', { class: 'num', text: num(d.received_packets) }), el('td', { class: 'num', text: bytes(d.received_bytes) })),
      el('tr', {}, el('th', { text: 'flows started' }), el('td', { class: 'num', text: num(d.flows) }), el('td')),
    ], { class: 'kv' }));
    drawChart(d.history || { samples: [] });
    sections.evidence.replaceChildren(table(['source', 'seen', 'attribute', 'value', 'confidence', 'rule'],
      (d.evidence || []).map((e) => el('tr', {}, el('td', { text: e.source }), el('td', { text: e.seen }),
        el('td', { text: e.attribute }), el('td', { text: e.value }),
        el('td', { class: 'num', text: e.confidence + '%' }), el('td', { class: 'muted', text: e.rule })))));
    const names = (d.evidence || []).filter((e) => /dns|mdns|hostname|ssdp|http_host/.test(e.source));
    sections.names.replaceChildren(
      el('p', { class: 'muted', text: 'Names the device announced or asked for, as fingerprinting saw them. ' +
        'The DNS names it resolved are not reported by the dataplane yet.' }),
      el('ul', {}, [...new Set([id.hostname, ...names.map((e) => e.seen)].filter(Boolean))]
        .map((n) => el('li', { text: n }))));
  }

  async function flows() {
    try {
      const f = await get('/api/flows?limit=100&mac=' + encodeURIComponent(mac));
      const rows = (f.flows || []).map((x) => el('tr', {},
        el('td', { text: { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6' }[x.ip_proto] || x.ip_proto }),
        el('td', { text: x.src_addr + (x.src_port ? ':' + x.src_port : '') }),
        el('td', { text: x.dst_addr + (x.dst_port ? ':' + x.dst_port : '') }),
        el('td', { text: x.state }),
        el('td', { class: /ALLOW/.test(x.action) ? 'allowed' : 'denied',
          text: (/ALLOW/.test(x.action) ? 'allow' : 'deny') + (x.default_action ? ' default' : ' rule ' + x.rule_id) }),
        el('td', { class: 'num', text: num(x.packets_out) }), el('td', { class: 'num', text: num(x.packets_in) }),
        el('td', { class: 'num', text: cordon.duration(x.idle_ms) })));
      sections.flows.replaceChildren(el('p', { class: 'muted',
        text: f.matched + ' flows of this device on ' + f.dataplane_id + (f.truncated ? ' (first 100 shown)' : '') }),
      table(['proto', 'initiator', 'responder', 'state', 'verdict', 'pkts out', 'pkts in', 'idle'], rows, { id: 'flows' }));
    } catch (e) {
      sections.flows.replaceChildren(el('p', { class: 'muted', text: 'flows: ' + e.message }));
    }
  }

  async function load() {
    try {
      const d = await get('/api/device?mac=' + encodeURIComponent(mac));
      render(d);
      status('updated ' + time(Date.now()));
    } catch (e) {
      status(e.message, true);
    }
  }

  await cordon.ready;
  try { segments = (await get('/api/policy')).segments || []; } catch (e) { segments = []; }
  await load();
  flows();
  setInterval(load, 5000);
  setInterval(flows, 5000);
})();
