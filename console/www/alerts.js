// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The Cordon Authors
//
// Alerts: cordond's events of kind "alert" (detection in the dataplanes:
// the detector, what it counted, whether it contained the device), with
// their evidence, newest first, live from the event stream. Until a
// detector raises one, the page says so.
'use strict';

(async () => {
  const { el, get, time, table, status } = cordon;
  let body = null;
  let last = 0;
  let n = 0;

  function evidence(d) {
    return Object.entries(d || {}).map(([k, v]) => el('div', {},
      el('span', { class: 'muted', text: k + ': ' }), String(v)));
  }

  function add(e) {
    if (e.id <= last) return;
    last = e.id;
    if (e.kind !== 'alert') return;
    n++;
    const d = e.detail || {};
    body.prepend(el('tr', { 'data-id': e.id, class: 'alert' },
      el('td', { class: 'num', text: e.id }), el('td', { text: time(e.time_unix_ms) }),
      el('td', {}, e.mac ? el('a', { href: '/device?mac=' + encodeURIComponent(e.mac), text: e.mac }) : ''),
      el('td', { class: 'kind', text: d.detector || '' }),
      el('td', { text: e.dataplane_id || '' }),
      el('td', { class: 'detail' }, evidence(d))));
    document.getElementById('none').hidden = true;
  }

  await cordon.ready;
  try {
    const r = await get('/api/events?tail=1000');
    const t = table(['#', 'time (UTC)', 'device', 'detector', 'dataplane', 'evidence'], [], { id: 'alerts' });
    body = t.querySelector('tbody');
    document.getElementById('content').replaceChildren(t,
      el('p', { id: 'none', class: 'muted', text: 'No alerts in the last 1000 events: no detector has ' +
        'raised one. Alerts come from the dataplanes\' detection (issue 13) as events of kind "alert".' }));
    r.events.forEach(add);
  } catch (e) {
    status(e.message, true);
    return;
  }
  const src = new EventSource('/api/events/stream?since=' + last);
  src.addEventListener('event', (m) => { add(JSON.parse(m.data)); status(n + ' alert(s); live'); });
  src.onopen = () => status(n + ' alert(s); live');
  src.onerror = () => status('live stream interrupted; reconnecting…', true);
})();
