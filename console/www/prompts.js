// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The Cordon Authors
//
// Consent prompts: the flows devices in `default: ask` segments tried, held
// denied until answered (allow once, allow always, deny, ignore) or until
// they expire (a deny, no rule). Refreshed every second; the table is
// rebuilt only when its prompts change (a button stays put under the
// pointer), the countdowns in place.
'use strict';

(async () => {
  const { el, get, post, time, table, status } = cordon;
  const protos = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6' };
  let shown = null;

  // The name the device resolved (the dataplane's DNS snooper), else the
  // address: "api.example.com:443/tcp".
  function target(f) {
    const a = f.dst_name || (f.dst_ip && f.dst_ip.includes(':') ? '[' + f.dst_ip + ']' : f.dst_ip);
    // ICMP's "port" is the echo id: not part of the question.
    if (f.ip_proto === 1 || f.ip_proto === 58) return a + ' (' + protos[f.ip_proto] + ')';
    return a + ':' + (f.dst_port || 0) + '/' + (protos[f.ip_proto] || f.ip_proto);
  }

  // Allow for a time: a rule until then (cordond removes it after).
  const durations = [['1h', 3600, 'Allow 1 hour'], ['1d', 86400, 'Allow 1 day'],
    ['1w', 7 * 86400, 'Allow 1 week']];

  async function answer(p, ans, secs) {
    try {
      const body = { id: p.id, answer: ans };
      if (secs) body.for = secs;
      const r = await post('/api/prompt/answer', body);
      status('prompt ' + p.id + ': ' + ans + (secs ? ' for ' + secs + ' s' : '') +
        (r.policy_version ? ' (policy ' + r.policy_version + ' in force)' : ''));
    } catch (e) {
      status('prompt ' + p.id + ': ' + e.message, true);
    }
    refresh();
  }

  // "camera-2 (Dahua camera)": the policy's name, the identity's vendor
  // and type.
  function who(p, devs) {
    const f = p.flow || {};
    const id = (devs[f.mac] || {}).identity || {};
    const what = [id.vendor, id.type].filter(Boolean).join(' ');
    const name = p.device_name || id.hostname || f.mac;
    return what ? name + ' (' + what + ')' : name;
  }

  // Detection's ask: "quarantine camera-2? (reason)".
  function alertRow(p, left, devs) {
    const f = p.flow || {};
    return el('tr', { 'data-id': p.id, class: 'prompt alert' },
      el('td', { class: 'num', text: p.id }),
      el('td', {}, el('p', { class: 'ask' }, 'Quarantine ',
        el('a', { href: '/device?mac=' + encodeURIComponent(f.mac), text: who(p, devs) }), '?'),
        el('span', { class: 'muted', text: 'alert ' + p.alert_id + ': ' + p.reason + ' (' +
          f.mac + ' in ' + (p.segment || '?') + ' on ' + p.dataplane_id +
          (p.flows > 1 ? ', ' + p.flows + ' alerts' : '') + ')' })),
      el('td', { text: time(p.created_unix_ms) }),
      el('td', { class: 'num left', text: left + ' s' }),
      el('td', { class: 'actions' },
        el('button', { class: 'act danger', 'data-answer': 'quarantine', text: 'Quarantine',
          onclick: () => answer(p, 'quarantine') }),
        el('button', { class: 'act', 'data-answer': 'dismiss', text: 'Dismiss', onclick: () => answer(p, 'dismiss') })));
  }

  function row(p, now, devs) {
    const f = p.flow || {};
    const left = Math.max(0, Math.round((Number(p.expires_unix_ms) - now) / 1000));
    if (p.alert_id) return alertRow(p, left, devs);
    return el('tr', { 'data-id': p.id, class: 'prompt' },
      el('td', { class: 'num', text: p.id }),
      el('td', {}, el('p', { class: 'ask' },
        el('a', { href: '/device?mac=' + encodeURIComponent(f.mac), text: who(p, devs) }),
        ' wants to reach ', el('strong', { text: target(f) })),
        el('span', { class: 'muted', text: f.mac + ' in ' + (p.segment || '?') +
          ' on ' + p.dataplane_id + ', from ' + f.src_ip + ':' + f.src_port +
          (f.dst_name ? ' to ' + f.dst_ip : '') +
          (p.flows > 1 ? ', ' + p.flows + ' flows' : '') })),
      el('td', { text: time(p.created_unix_ms) }),
      el('td', { class: 'num left', text: left + ' s' }),
      el('td', { class: 'actions' },
        el('button', { class: 'act', 'data-answer': 'once', text: 'Allow once', onclick: () => answer(p, 'once') }),
        durations.map(([k, secs, text]) => el('button', { class: 'act', 'data-answer': k, text,
          onclick: () => answer(p, 'always', secs) })),
        el('button', { class: 'act', 'data-answer': 'always', text: 'Allow always', onclick: () => answer(p, 'always') }),
        el('button', { class: 'act danger', 'data-answer': 'deny', text: 'Deny', onclick: () => answer(p, 'deny') }),
        el('button', { class: 'act', 'data-answer': 'ignore', text: 'Ignore', onclick: () => answer(p, 'ignore') })));
  }

  function counts(r) {
    return 'Since cordond started: ' + (r.raised || 0) + ' raised, ' + (r.merged || 0) +
      ' merged into an open one, ' + (r.expired || 0) + ' expired (a deny, no rule), ' +
      (r.rate_limited || 0) + ' flows not asked (a device\'s limit of open prompts).';
  }

  async function refresh() {
    let r;
    try {
      r = await get('/api/prompts');
    } catch (e) {
      status(e.message, true);
      return;
    }
    const ps = r.prompts || [];
    const now = Number(r.now_unix_ms);
    const sig = JSON.stringify(ps.map((p) => [p.id, p.flows]));
    if (sig === shown) {
      for (const p of ps) {
        const c = document.querySelector('tr.prompt[data-id="' + p.id + '"] td.left');
        if (c) c.textContent = Math.max(0, Math.round((Number(p.expires_unix_ms) - now) / 1000)) + ' s';
      }
      document.getElementById('prompt-counts').textContent = counts(r);
      return;
    }
    shown = sig;
    const devs = {};
    try {
      for (const d of (await get('/api/devices')).devices) devs[d.mac] = d;
    } catch (e) { /* the prompts without identities */ }
    document.getElementById('content').replaceChildren(
      ps.length ? table(['#', 'request', 'raised (UTC)', 'expires in', 'answer'],
        ps.map((p) => row(p, now, devs)), { id: 'prompts' })
        : el('p', { class: 'muted', id: 'no-prompts', text: 'No open requests.' }),
      el('p', { class: 'muted', id: 'prompt-counts', text: counts(r) }),
      el('p', { class: 'muted', text: 'Allow once lets only that flow through and makes no rule. ' +
        'Allow always makes a policy version with a rule that names the prompt and you; ' +
        'allow for an hour, a day or a week makes the same rule until then, and a version ' +
        'without it when the time is over. ' +
        'Deny keeps it denied and stops asking the same question.' }));
  }

  await cordon.ready;
  refresh();
  setInterval(refresh, 1000);
})();
