// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The Cordon Authors
//
// What every page of the console shares: the page itself (page.html is
// every page's; this loads the path's script), the JSON API client
// (session, CSRF token), the navigation bar, and building DOM nodes. Text
// only ever goes in through textContent: nothing from the network is
// parsed as HTML.
'use strict';

const cordon = (() => {
  let session = null;

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  async function request(path, opts) {
    const r = await fetch(path, Object.assign({ credentials: 'same-origin', cache: 'no-store' }, opts));
    if (r.status === 401 && !path.startsWith('/api/login')) {
      window.location.assign('/login');
      throw new Error('not logged in');
    }
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    if (!r.ok) {
      const err = new Error((body && body.error) || ('HTTP ' + r.status));
      err.status = r.status;
      throw err;
    }
    return body;
  }

  function get(path) { return request(path); }

  function post(path, body) {
    return request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session ? session.csrf : '' },
      body: JSON.stringify(body || {}),
    });
  }

  const pages = [['/devices', 'Devices'], ['/events', 'Events'], ['/policy', 'Policy'],
    ['/dataplanes', 'Dataplanes'], ['/alerts', 'Alerts'], ['/prompts', 'Prompts']];
  // Each page's title and scripts (in order, after this one).
  const scripts = { device: ['Device', 'chart.js', 'device.js'] };
  for (const [href, name] of pages) scripts[href.slice(1)] = [name, href.slice(1) + '.js'];

  // page.html: the path says which page; its title and scripts.
  if (!document.body.dataset.page) {
    const page = window.location.pathname.slice(1);
    const [title, ...js] = scripts[page] || ['Cordon'];
    document.body.dataset.page = page;
    document.title = 'Cordon: ' + title;
    document.getElementById('title').textContent = title;
    for (const src of js) {
      const s = document.createElement('script');
      s.src = '/static/' + src;
      s.async = false;	// in order: chart.js before device.js
      document.body.append(s);
    }
  }

  function nav(active) {
    const n = document.getElementById('nav');
    if (!n) return;
    n.replaceChildren(
      el('span', { class: 'brand', text: 'Cordon' }),
      el('nav', {}, pages.map(([href, name]) =>
        el('a', { href, class: href === '/' + active ? 'active' : null, text: name }))),
      el('span', { class: 'who', id: 'who' },
        session.user + ' (' + session.role + ')',
        el('button', { id: 'logout', class: 'link', text: 'Log out', onclick: logout })));
  }

  async function logout() {
    try { await post('/api/logout', {}); } finally { window.location.assign('/login'); }
  }

  function status(text, isError) {
    const s = document.getElementById('status');
    if (!s) return;
    s.textContent = text || '';
    s.className = 'status' + (isError ? ' error' : '');
  }

  const ready = (async () => {
    const page = document.body.dataset.page;
    if (page === 'login') return null;
    session = await get('/api/session');
    document.body.classList.toggle('may-act', !!session.may.act);
    nav(page);
    return session;
  })();

  function num(n) { return n === undefined || n === null ? '' : Number(n).toLocaleString('en'); }

  function bytes(n) {
    n = Number(n || 0);
    const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i ? n.toFixed(1) : n) + ' ' + u[i];
  }

  function time(ms) {
    if (!ms) return '';
    return new Date(Number(ms)).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }

  function duration(ms) {
    let s = Math.floor(Number(ms || 0) / 1000);
    const d = Math.floor(s / 86400); s %= 86400;
    const h = Math.floor(s / 3600); s %= 3600;
    const m = Math.floor(s / 60); s %= 60;
    return (d ? d + 'd ' : '') + (d || h ? h + 'h ' : '') + (d || h || m ? m + 'm ' : '') + s + 's';
  }

  function attr(v, conf) {
    if (!v) return el('span', { class: 'muted', text: 'unknown' });
    return el('span', {}, v, ' ', el('span', { class: 'conf', title: 'confidence', text: conf + '%' }));
  }

  // head null: a key/value table without a header row.
  function table(head, rows, attrs) {
    return el('table', attrs || {},
      head ? el('thead', {}, el('tr', {}, head.map((h) => el('th', { text: h })))) : null,
      el('tbody', {}, rows));
  }

  const macRe = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

  // The page's content, rendered now and every ms: render() gives the
  // nodes and what the status line says of them; an error goes there.
  async function every(ms, render) {
    const run = async () => {
      try {
        const [nodes, what] = await render();
        document.getElementById('content').replaceChildren(...nodes);
        status(what + ', updated ' + new Date().toLocaleTimeString());
      } catch (e) {
        status(e.message, true);
      }
    };
    await ready;
    await run();
    setInterval(run, ms);
  }

  return { el, get, post, ready, status, num, bytes, time, duration, attr, table, macRe, every,
    session: () => session };
})();
