// Integration Circles — the web client's entry: the app bar, the router, sign-in and
// sign-out. Everything else lives in small ES modules under js/ (no build step).

import { api, tokens, whenSessionEnds } from './js/api.js';
import { ask } from './js/dialog.js';
import { $, announce, h, mount } from './js/dom.js';
import { askForSupport, refreshMe, startSession, stopSession } from './js/session.js';
import { STATUS } from './js/socket.js';
import { membership, on, participantPrograms, staffPrograms, state } from './js/store.js';
import { renderAdmission } from './js/views/admission.js';
import { renderCards } from './js/views/cards.js';
import { renderCircles } from './js/views/circles.js';
import { renderData } from './js/views/data.js';
import { renderRoom } from './js/views/room.js';
import { renderSignIn } from './js/views/signin.js';

const main = $('main');
let cleanup = () => {};
let signInMessage = '';

// ---------- routing ----------

const ROUTES = [
  [/^#\/room\/([A-Za-z0-9_-]+)$/, ([roomId]) => renderRoom(main, { roomId })],
  [/^#\/program\/([A-Za-z0-9_-]+)\/agreement$/, ([programId]) => renderAdmission(main, { programId })],
  [/^#\/program\/([A-Za-z0-9_-]+)\/cards$/, ([programId]) => renderCards(main, { programId })],
  [/^#\/program\/([A-Za-z0-9_-]+)\/manage(\/.*)?$/, ([programId, rest]) => renderManage(programId, rest || '')],
  [/^#\/me$/, () => renderData(main)],
];

function route() {
  cleanup();
  cleanup = () => {};
  document.title = 'Integration Circles';
  if (!state.me) {
    renderSignIn(main, { signedIn, message: signInMessage });
  } else {
    const hash = location.hash;
    const found = ROUTES.map(([re, view]) => [hash.match(re), view]).find(([match]) => match);
    cleanup = found ? found[1](found[0].slice(1)) || (() => {}) : renderCircles(main) || (() => {});
  }
  syncBar();
  const title = $('page-title');
  if (title) title.focus({ preventScroll: true });
}

// W2's lead and staff screens load only for the people who use them.
function renderManage(programId, rest) {
  const section = h('section', { id: 'view-manage', class: 'view', 'aria-labelledby': 'page-title' },
    h('h1', { id: 'page-title', tabindex: '-1' }, 'People and program'),
    h('p', { class: 'hint' }, 'Loading…'));
  mount(main, section);
  let done = false;
  let inner = () => {};
  import('./js/views/lead.js').then((mod) => {
    if (done) return;
    inner = mod.mountLeadAdmin(programId, section, rest) || (() => {});
    $('page-title')?.focus({ preventScroll: true });
  }).catch(() => mount(section, h('h1', { id: 'page-title', tabindex: '-1' }, 'People and program'),
    h('p', { class: 'notice' }, "This page couldn't load. Please reload to try again.")));
  return () => {
    done = true;
    inner();
  };
}

// ---------- the app bar ----------

function syncBar() {
  const signedIn = Boolean(state.me);
  $('signout').hidden = !signedIn;
  $('nav-data').hidden = !signedIn;
  $('support-button').hidden = !signedIn || participantPrograms().length === 0;
  document.body.dataset.signedIn = String(signedIn);
}

let statusTimer = 0;
function showStatus(key) {
  clearTimeout(statusTimer);
  const el = $('conn-status');
  const text = STATUS[key] || '';
  if (el.textContent !== text) el.textContent = text; // the same words aren't announced twice
  el.dataset.mood = { online: 'ok', back: 'ok', reconnecting: 'waiting', connecting: 'waiting', offline: 'offline' }[key] || '';
  if (key === 'online' || key === 'back') {
    statusTimer = setTimeout(() => { el.textContent = ''; el.dataset.mood = ''; }, key === 'back' ? 8000 : 3000);
  }
}

// One tap from anywhere: the care team is alerted at once; a note can follow.
async function supportTap() {
  const button = $('support-button');
  if (button.getAttribute('aria-busy') === 'true') return;
  const roomId = (location.hash.match(/^#\/room\/([A-Za-z0-9_-]+)$/) || [])[1];
  const room = roomId && state.rooms.get(roomId);
  const programs = participantPrograms();
  const m = (room && membership(room.programId)?.member.role === 'participant' && membership(room.programId))
    || programs[0];
  if (!m) return;
  button.setAttribute('aria-busy', 'true');
  let text;
  try {
    await askForSupport(m.program.id, room ? room.id : null);
    text = 'Your care team has been told, and someone will be with you soon. '
      + 'You can also write to them privately in your support room.';
    announce('Your care team has been told.');
  } catch (err) {
    text = `${err.message} If you need help urgently, please call your clinic or local emergency number.`;
  } finally {
    button.removeAttribute('aria-busy');
  }
  const supportRoom = (m.rooms || []).find((r) => r.kind === 'support');
  const go = await ask({ title: 'Support is on its way', text, confirm: supportRoom ? 'Open my support room' : 'OK', cancel: 'Close' });
  if (go && supportRoom) location.hash = `#/room/${supportRoom.room_id}`;
  else button.focus();
}

// ---------- signing in and out ----------

async function signedIn(pair) {
  tokens.save(pair);
  await begin();
  if (!location.hash || location.hash.startsWith('#/?')) history.replaceState(null, '', '#/');
  route();
}

let alertsCleanup = () => {};

async function begin() {
  const me = await api.get('/api/me');
  signInMessage = '';
  startSession(me, { ended: endSession });
  if (staffPrograms().length) { // the care team's alert strip, on every screen (W2's module)
    import('./js/views/staff.js').then((mod) => {
      if (state.me && mod.mountStaffAlerts) alertsCleanup = mod.mountStaffAlerts($('staff-alerts')) || (() => {});
    }).catch(() => {});
  }
}

function endSession(message = '') {
  alertsCleanup();
  alertsCleanup = () => {};
  $('staff-alerts').replaceChildren();
  stopSession();
  tokens.clear();
  signInMessage = message;
  showStatus('');
  history.replaceState(null, '', location.pathname);
  route();
}

async function signOut() {
  try { await api.post('/api/auth/logout'); } catch { /* signed out here either way */ }
  endSession('');
}

async function boot() {
  $('signout').addEventListener('click', signOut);
  $('support-button').addEventListener('click', supportTap);
  window.addEventListener('hashchange', route);
  whenSessionEnds((message) => state.me && endSession(message));
  on('status', showStatus);
  on('me', syncBar);
  on('removed', () => refreshMe().catch(() => {}));
  if (tokens.access) {
    try {
      await begin();
    } catch (err) {
      if (err.status === 401 || !tokens.access) tokens.clear();
      signInMessage = tokens.access ? `${err.message} You can reload the page to try again.` : '';
    }
  }
  route();
}

boot();
