// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The Cordon Authors
//
// The policy in force, every version with who made it, the diff of any
// version against the one before, and (admins) rollback.
'use strict';

(async () => {
  const { el, get, post, time, table, status } = cordon;
  const content = document.getElementById('content');
  const diffBox = el('pre', { id: 'diff', class: 'diff' });

  async function showDiff(from, to) {
    try {
      const r = await get('/api/policy/diff?from=' + from + '&to=' + to);
      diffBox.replaceChildren(el('div', { class: 'muted', text: 'version ' + from + ' → ' + to }),
        ...(r.diff || '(no change in the source)\n').split('\n').map((l) =>
          el('div', { class: l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : l.startsWith('@') ? 'hunk' : null, text: l })));
    } catch (e) {
      diffBox.replaceChildren(el('div', { class: 'error', text: e.message }));
    }
  }

  async function rollback(v) {
    if (!window.confirm('Make version ' + v + "'s source the policy again?")) return;
    try {
      const r = await post('/api/policy/rollback', { version: v });
      await load();
      status('rolled back to ' + v + ': policy ' + r.policy_version + ' in force');
    } catch (e) {
      status('rollback refused: ' + e.message, true);
    }
  }

  async function load() {
    try {
      const p = await get('/api/policy');
      const hist = p.history || [];
      content.replaceChildren(
        el('section', { class: 'card' }, el('h2', { text: 'In force' }),
          p.version ? el('p', { id: 'current', text: 'version ' + p.version + ': ' + p.rules + ' rules, ' +
            p.devices + ' device assignments, ' + p.quarantined.length + ' quarantined' +
            (p.comment ? ' — ' + p.comment : '') }) : el('p', { id: 'current', text: 'no policy yet' }),
          el('p', {}, 'Segments: ', p.segments.map((s) => s.name + (s.quarantine ? ' (quarantine)' : '')).join(', '))),
        el('section', { class: 'card' }, el('h2', { text: 'History' }),
          // A pruned version (cordond --policy-keep) has no content to diff or roll back to.
          table(['version', 'made (UTC)', 'by', 'rollback of', 'comment', ''], hist.map((v, i) => el('tr', { 'data-version': v.version },
            el('td', { class: 'num', text: v.version }), el('td', { text: time(v.created_unix_ms) }),
            el('td', { text: v.applied_by }), el('td', { text: v.rollback_of || '' }), el('td', { text: v.comment }),
            v.pruned_unix_ms ? el('td', { class: 'muted', text: 'content pruned' }) :
              el('td', {}, i + 1 < hist.length && !hist[i + 1].pruned_unix_ms ? el('button', { class: 'link', text: 'diff', onclick: () => showDiff(hist[i + 1].version, v.version) }) : null,
                i > 0 ? el('button', { class: 'act', text: 'roll back to this', onclick: () => rollback(v.version) }) : null))), { id: 'history' })),
        el('section', { class: 'card' }, el('h2', { text: 'Diff' }), diffBox));
      status(hist.length + ' versions');
    } catch (e) {
      status(e.message, true);
    }
  }

  await cordon.ready;
  await load();
})();
