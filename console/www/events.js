// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The Cordon Authors
//
// cordond's events, newest first, live: server-sent events from
// /api/events/stream. Every action taken through the console is here too,
// with who took it ("by": "console:USER").
'use strict';

(async () => {
  const { el, get, time, table, status } = cordon;
  let body = null;
  let last = 0;

  function detail(d) {
    if (d === null || d === undefined || d === '') return '';
    if (typeof d !== 'object') return String(d);
    return Object.entries(d).map(([k, v]) => k + '=' + (typeof v === 'object' ? JSON.stringify(v) : v)).join('  ');
  }

  function row(e) {
    return el('tr', { 'data-id': e.id, class: 'ev-' + e.kind },
      el('td', { class: 'num', text: e.id }), el('td', { text: time(e.time_unix_ms) }),
      el('td', { class: 'kind', text: e.kind }), el('td', { text: e.dataplane_id || '' }),
      el('td', {}, e.mac ? el('a', { href: '/device?mac=' + encodeURIComponent(e.mac), text: e.mac }) : ''),
      el('td', { class: 'detail', text: detail(e.detail) }));
  }

  function add(e) {
    if (e.id <= last) return;
    last = e.id;
    body.prepend(row(e));
    while (body.children.length > 1000) body.lastChild.remove();
  }

  await cordon.ready;
  try {
    const r = await get('/api/events?tail=200');
    const t = table(['#', 'time (UTC)', 'kind', 'dataplane', 'device', 'detail'], [], { id: 'events' });
    body = t.querySelector('tbody');
    document.getElementById('content').replaceChildren(t);
    r.events.forEach(add);
  } catch (e) {
    status(e.message, true);
    return;
  }
  const src = new EventSource('/api/events/stream?since=' + last);
  src.addEventListener('event', (m) => { add(JSON.parse(m.data)); status('live: last event #' + last); });
  src.onopen = () => status('live: last event #' + last);
  src.onerror = () => status('live stream interrupted; reconnecting…', true);
})();
