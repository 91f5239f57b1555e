// The care team's live alert list (support requests, "need support" check-in answers, safety
// signals): a persistent region that cannot be missed, announced once, sound-free, and kept
// until someone on the team acknowledges it. Calm for participants, unmissable for staff.

import { api } from '../api.js';
import { fmtTime, h, mount } from '../dom.js';
import { on, state } from '../store.js';

const KIND = {
  support_request: { title: 'Support request', line: 'asked for support' },
  need_support: { title: 'Check-in: needs support', line: 'answered the check-in: needs support' },
  safety: { title: 'Safety', line: 'wrote something that may suggest risk. Please check in with them now.' },
};

const BASE_TITLE = document.title.replace(/^\(\d+\)\s*/, '') || 'Integration Circles';

export function alertKind(kind) {
  return KIND[kind] || { title: 'Alert', line: 'needs attention' };
}

export function roomTitle(roomId) {
  return roomId ? state.rooms.get(roomId)?.title || '' : '';
}

const openAlerts = (programId) => [...state.alerts.values()]
  // An alert whose program can't be told yet shows everywhere: better twice than missed.
  .filter((a) => a.status === 'open' && (!programId || [programId, null].includes(programOf(a))))
  .sort((a, b) => a.created_ms - b.created_ms);

// Alerts carry no program id; their room (or, failing that, the member) tells us which.
function programOf(alert) {
  if (alert.program_id) return alert.program_id;
  const room = alert.room_id && state.rooms.get(alert.room_id);
  if (room) return room.programId;
  for (const r of state.rooms.values()) if (r.members.has(alert.member_id)) return r.programId;
  return null;
}

export async function acknowledge(alertId) {
  try {
    const alert = await api.post(`/api/alerts/${alertId}/ack`);
    state.alerts.delete(alert.alert_id);
  } catch (err) {
    if (err.code !== 'already_acknowledged' && err.code !== 'alert_not_found') throw err;
    state.alerts.delete(alertId); // a teammate took it
  }
}

function alertItem(alert, error) {
  const kind = alertKind(alert.kind);
  const where = roomTitle(alert.room_id);
  const ack = h('button', { type: 'button', class: 'primary staff-ack', 'data-key': `ack-${alert.alert_id}`,
    'aria-label': `Acknowledge: ${alert.display_name} ${kind.line}` }, 'Acknowledge');
  ack.addEventListener('click', async () => {
    if (ack.getAttribute('aria-busy') === 'true') return;
    ack.setAttribute('aria-busy', 'true');
    error.textContent = '';
    try {
      await acknowledge(alert.alert_id);
      redrawAll();
    } catch (err) {
      error.textContent = err.message;
    } finally {
      ack.removeAttribute('aria-busy');
    }
  });
  return h('li', { class: `staff-alert staff-alert-${alert.kind}`, dataset: { alertId: alert.alert_id, kind: alert.kind } },
    h('div', { class: 'staff-alert-text' },
      h('p', { class: 'staff-alert-title' },
        h('span', { class: 'staff-alert-icon', 'aria-hidden': 'true' }, alert.kind === 'safety' ? '⚠' : '●'),
        h('strong', {}, kind.title), ' · ',
        h('time', { datetime: new Date(alert.created_ms).toISOString() }, fmtTime(alert.created_ms))),
      h('p', {}, h('strong', {}, alert.display_name), ` ${kind.line}`,
        where ? ' in ' : '', where ? h('a', { href: `#/room/${alert.room_id}` }, where) : ''),
      alert.note ? h('p', { class: 'staff-alert-note' }, h('span', { class: 'visually-hidden' }, 'Private note: '), `“${alert.note}”`) : null),
    ack);
}

// ---------- every mounted list shares one announcer ----------

const lists = new Set(); // redraw functions of mounted alert lists
const announced = new Set();
let speakNew = () => {}; // the strip's announcer for alerts that arrived without a frame
function redrawAll() { lists.forEach((draw) => draw()); updateTitle(); }

// The count of open alerts leads the tab's title, whatever screen set the rest of it.
function updateTitle() {
  const n = openAlerts().length;
  const rest = document.title.replace(/^\(\d+\)\s*/, '') || BASE_TITLE;
  const title = n ? `(${n}) ${rest}` : rest;
  if (document.title !== title) document.title = title;
}
const retitle = () => setTimeout(updateTitle, 0); // after the router set the screen's title

// Mount an alert list into `el`. programId limits it to one program (the room panel);
// without it, every program this person staffs (the app-wide strip).
export function mountAlertList(el, { programId = null, strip = false, announcer = null } = {}) {
  const error = h('p', { class: 'form-error', role: 'status' });
  const list = h('ul', { class: 'staff-alert-list', id: strip ? 'staff-alert-list' : undefined });
  const heading = h(strip ? 'h2' : 'h3', { class: strip ? 'staff-alerts-heading' : '', id: strip ? 'staff-alerts-heading' : undefined });
  const region = h('section', {
    class: strip ? 'staff-alerts-strip' : 'staff-alerts-panel',
    'aria-labelledby': strip ? 'staff-alerts-heading' : null, 'aria-label': strip ? null : 'Alerts in this program',
  }, heading, list, error);
  const draw = () => {
    const open = openAlerts(programId);
    region.hidden = strip && open.length === 0;
    el.classList.toggle('has-alerts', open.length > 0);
    heading.textContent = open.length === 1 ? '1 open alert' : `${open.length} open alerts`;
    mount(list, open.length ? open.map((a) => alertItem(a, error))
      : h('li', { class: 'staff-alert-none' }, 'No open alerts.'));
  };
  mount(el, announcer, region);
  lists.add(draw);
  draw();
  updateTitle();
  const off = on('alerts', draw);
  return () => {
    lists.delete(draw);
    off();
  };
}

// The app-wide strip (under the app bar, on every screen, phones included).
export function mountStaffAlerts(el) {
  const announcer = h('p', { class: 'visually-hidden', role: 'alert', id: 'staff-alert-announcer' });
  const stop = mountAlertList(el, { strip: true, announcer });
  el.dataset.mounted = 'true';
  // The phone drawer of the facilitator panel stops below the strip, so alerts stay in view.
  const root = document.documentElement;
  let frame = 0;
  const measure = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      const bottom = el.offsetHeight ? Math.max(0, el.getBoundingClientRect().bottom) : 0;
      root.style.setProperty('--staff-strip-h', `${Math.round(bottom)}px`);
      root.style.setProperty('--staff-strip-own', `${el.offsetHeight}px`);
    });
  };
  const sizer = new ResizeObserver(measure);
  sizer.observe(el);
  window.addEventListener('scroll', measure, { passive: true });
  window.addEventListener('resize', measure, { passive: true });
  // Open alerts already waiting when the page opened are announced once, as a summary;
  // later ones one by one (also those found on reconnecting, which came with no frame).
  let primed = false;
  const summarize = () => {
    const waiting = openAlerts();
    if (primed || !waiting.length) return false;
    primed = true;
    waiting.forEach((a) => announced.add(a.alert_id));
    speak(announcer, waiting.length === 1 ? `Open alert: ${sentence(waiting[0])}`
      : `${waiting.length} open alerts. The newest: ${sentence(waiting.at(-1))}`);
    return true;
  };
  const primeTimer = setTimeout(() => { summarize(); primed = true; }, 1500);
  speakNew = () => {
    if (summarize()) return;
    const fresh = openAlerts().filter((a) => !announced.has(a.alert_id));
    fresh.forEach((a) => announced.add(a.alert_id));
    if (fresh.length === 1) speak(announcer, `New alert: ${sentence(fresh[0])}`);
    else if (fresh.length > 1) speak(announcer, `${fresh.length} new alerts. The newest: ${sentence(fresh.at(-1))}`);
  };
  const offAlerts = on('alerts', ({ alert, fresh } = {}) => {
    updateTitle();
    if (summarize()) return;
    primed = true;
    if (fresh && alert && !announced.has(alert.alert_id)) {
      announced.add(alert.alert_id);
      speak(announcer, `New alert: ${sentence(alert)}`);
    }
  });
  // Alerts raised while this screen was offline arrive with no frame: read the lists again.
  const offStatus = on('status', (key) => { if (key === 'back') reloadAlerts(); });
  const offMe = on('me', redrawAll); // room titles may have arrived
  window.addEventListener('hashchange', retitle);
  return () => {
    stop();
    clearTimeout(primeTimer);
    speakNew = () => {};
    sizer.disconnect();
    window.removeEventListener('scroll', measure);
    window.removeEventListener('resize', measure);
    root.style.removeProperty('--staff-strip-h');
    root.style.removeProperty('--staff-strip-own');
    offAlerts();
    offStatus();
    offMe();
    window.removeEventListener('hashchange', retitle);
    delete el.dataset.mounted;
    el.replaceChildren();
    document.title = document.title.replace(/^\(\d+\)\s*/, '');
  };
}

export const stripMounted = () => document.getElementById('staff-alerts')?.dataset.mounted === 'true';

function sentence(alert) {
  const where = roomTitle(alert.room_id);
  return `${alert.display_name} ${alertKind(alert.kind).line}${where ? ` in ${where}` : ''}.`;
}

function speak(announcer, text) {
  announcer.textContent = '';
  setTimeout(() => { announcer.textContent = text; }, 50);
}

export async function reloadAlerts() {
  const programs = (state.me?.memberships || []).filter((m) => m.member.role !== 'participant');
  const lists_ = await Promise.all(programs.map((m) => api.get(`/api/programs/${m.program.id}/alerts`)
    .then((alerts) => alerts.map((a) => ({ ...a, program_id: m.program.id }))).catch(() => null)));
  programs.forEach((m, i) => {
    if (!lists_[i]) return;
    for (const [id, a] of state.alerts) if (programOf(a) === m.program.id) state.alerts.delete(id);
    lists_[i].forEach((a) => state.alerts.set(a.alert_id, a));
  });
  redrawAll();
  speakNew();
}
