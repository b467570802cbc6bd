// SPDX-License-Identifier: BSD-3-Clause
// Copyright (c) 2026 The Cordon Authors
'use strict';

document.getElementById('login').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const msg = document.getElementById('message');
  const btn = document.getElementById('submit');
  msg.textContent = 'checking…';
  msg.className = 'status';
  btn.disabled = true;
  try {
    await cordon.post('/api/login', {
      user: document.getElementById('user').value,
      password: document.getElementById('password').value,
    });
    window.location.assign('/devices');
  } catch (e) {
    msg.textContent = e.message;
    msg.className = 'status error';
    btn.disabled = false;
  }
});
