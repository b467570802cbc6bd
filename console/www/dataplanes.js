// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The Cordon Authors
//
// Each dataplane's health (connected, last report, policy in force or
// refused) and statistics (ports, workers, drops by reason), and cordond's
// own counters.
'use strict';

(() => {
  const { el, get, num, bytes, time, duration, table } = cordon;

  function card(d, rep, now) {
    const age = d.last_report_unix_ms ? now - d.last_report_unix_ms : null;
    const healthy = d.connected && age !== null && age < 10000 && !d.rejected_version;
    const drops = rep ? Object.entries(rep.counters || {}).filter(([k, v]) => v > 0) : [];
    return el('section', { class: 'card', 'data-dataplane': d.dataplane_id },
      el('h2', {}, d.dataplane_id, ' ', el('span', { class: 'badge ' + (healthy ? 'good' : 'bad'),
        text: d.connected ? (healthy ? 'healthy' : 'degraded') : 'disconnected' })),
      table(null, [
        ['version', d.sw_version], ['pid', d.pid], ['uptime', duration(d.uptime_ms)],
        ['started', time(d.started_unix_ms)], ['last report', age === null ? 'never' : duration(age) + ' ago'],
        ['workers', d.workers], ['policy in force', d.policy_version],
        ['refused', d.rejected_version ? d.rejected_version + ': ' + d.rejected_reason : 'nothing'],
        ['registrations', d.registrations], ['devices', rep ? rep.n_devices : '']]
        .map(([k, v]) => el('tr', {}, el('th', { text: k }), el('td', { text: v }))), { class: 'kv' }),
      rep ? table(['port', 'name', 'rx pkts', 'rx bytes', 'tx pkts', 'tx bytes', 'drops', 'hw missed'],
        (rep.ports || []).map((p) => el('tr', {}, el('td', { text: p.port_id }), el('td', { text: p.name }),
          el('td', { class: 'num', text: num(p.rx_packets) }), el('td', { class: 'num', text: bytes(p.rx_bytes) }),
          el('td', { class: 'num', text: num(p.tx_packets) }), el('td', { class: 'num', text: bytes(p.tx_bytes) }),
          el('td', { class: 'num', text: num(p.drops) }), el('td', { class: 'num', text: num(p.hw_rx_missed) }))),
      { class: 'ports' }) : null,
      rep ? table(['worker', 'lcore', 'rx pkts', 'tx pkts', 'drops', 'busy'],
        (rep.workers || []).map((w) => el('tr', {}, el('td', { text: w.worker_id }), el('td', { text: w.lcore_id }),
          el('td', { class: 'num', text: num(w.rx_packets) }), el('td', { class: 'num', text: num(w.tx_packets) }),
          el('td', { class: 'num', text: num(w.drops) }),
          el('td', { class: 'num', text: w.polls ? (100 * w.busy_polls / w.polls).toFixed(1) + '%' : '' })))) : null,
      drops.length ? table(['counter', 'value'], drops.map(([k, v]) =>
        el('tr', {}, el('td', { text: k }), el('td', { class: 'num', text: num(v) })))) : null);
  }

  cordon.every(5000, async () => {
    const s = await get('/api/dataplanes');
    const reps = {};
    for (const r of s.reports || []) reps[r.dataplane_id] = r;
    const cards = (s.dataplanes || []).map((d) => card(d, reps[d.dataplane_id], s.now_unix_ms));
    const cnt = Object.entries(s.counters || {});
    return [[el('p', { text: 'cordond ' + s.server_version + ', up ' + duration(s.uptime_ms) + ', policy ' + (s.policy_version || 'none') }),
      ...cards,
      el('section', { class: 'card' }, el('h2', { text: 'cordond' }),
        table(['counter', 'value'], cnt.map(([k, v]) => el('tr', {}, el('td', { text: k }), el('td', { class: 'num', text: num(v) })))))],
    cards.length + ' dataplanes'];
  });
})();
