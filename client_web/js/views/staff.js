// The facilitator's side panel in a room (DESIGN rules 8–11, protocol §13): who is here and
// who hasn't come, the phase, the talking piece, check-ins and their answers, held messages,
// reports, people actions and room settings. Alerts live in staff-alerts.js (app-wide strip).

import { api } from '../api.js';
import { ask, choose, confirmAction } from '../dialog.js';
import { fmtTime, h, humanize, mount } from '../dom.js';
import { request } from '../session.js';
import { authorName, on, state } from '../store.js';
import { mountAlertList, stripMounted } from './staff-alerts.js';
import { moderation, muteChoices, removeMessage, resolveReport, runAction } from './staff-actions.js';

export { messageActions } from './staff-actions.js';
export { mountStaffAlerts } from './staff-alerts.js';

const PHASES = ['preparation', 'dosing', 'journey', 'integration', 'closed'];
const PHASE_LABEL = { preparation: 'Preparation', dosing: 'Dosing', journey: 'Journey', integration: 'Integration', closed: 'Closed' };
const PHASE_HINT = {
  preparation: 'Everyone can share.',
  dosing: 'Quiet: participants can answer check-ins and ask for support.',
  journey: 'Quiet: participants can answer check-ins and ask for support.',
  integration: 'Everyone can share; use a round for one voice at a time.',
  closed: 'Read-only for participants.',
};
const SLOW_CHOICES = [0, 10, 30, 60, 120, 300];
const SESSION_KINDS = new Set(['preparation', 'integration']);

const checkins = new Map(); // checkin_id -> { prompt, answered: Map(member_id -> answer), waiting: Map }
const lastCheckin = new Map(); // room_id -> the latest check-in seen open here

const participants = (room) => [...room.members.values()].filter((m) => m.role === 'participant');
const nameOf = (room, id) => authorName(room, id);

function section(id, title, ...body) {
  return h('section', { class: 'staff-section', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title`, class: 'staff-section-title' }, title), ...body);
}

// A button that runs a server command, shows the kind error beside it, and can't double-fire.
function actionButton(label, key, run, { cls = '', describedBy = null, pressed = null, aria = null } = {}) {
  const b = h('button', { type: 'button', class: cls, 'data-key': key, 'aria-describedby': describedBy,
    'aria-pressed': pressed == null ? null : String(pressed), 'aria-label': aria }, label);
  b.addEventListener('click', () => runAction(b, run));
  return b;
}

export function mountStaffPanel(room, el) {
  let alive = true;
  const local = moderation(room.id);
  const box = {};
  for (const name of ['alerts', 'people', 'phase', 'round', 'checkin', 'queue', 'settings', 'pinned']) {
    box[name] = h('div', { class: `staff-box staff-box-${name}` });
  }
  const status = h('p', { class: 'staff-status', role: 'status', id: 'staff-status' });
  const isSession = () => SESSION_KINDS.has(room.kind) || room.flow.phase != null;

  // ---------- round builder state (kept across redraws) ----------
  let order = []; // member ids in the chosen speaking order
  let orderTouched = false; // until the facilitator edits it, the order follows who is here

  let attendance = null;
  let attendanceTimer = 0;
  async function loadAttendance() {
    clearTimeout(attendanceTimer);
    if (!isSession()) return;
    try {
      attendance = await api.get(`/api/rooms/${room.id}/attendance`);
    } catch {
      attendance = null;
    }
    if (alive) draw('people', 'round');
  }
  const soonAttendance = () => {
    clearTimeout(attendanceTimer);
    attendanceTimer = setTimeout(loadAttendance, 400);
  };

  async function loadCheckin() {
    const id = room.flow.checkin_id;
    if (!id) return;
    try {
      const s = await api.get(`/api/rooms/${room.id}/checkins/${id}`);
      const c = checkinOf(id, s.prompt);
      s.answered.forEach((a) => c.answered.set(a.member_id, a));
      c.waiting = new Map(s.waiting.map((w) => [w.member_id, w]));
      c.loaded = true;
    } catch { /* shown as waiting */ }
    if (alive) draw('checkin');
  }

  async function loadPending() {
    try {
      const items = await api.get(`/api/rooms/${room.id}/pending`);
      items.forEach((p) => room.pending.set(p.pending_id, p));
    } catch { /* the joined frame brought them */ }
    if (alive) draw('queue');
  }

  // ---------- sections ----------

  function drawAlerts() {
    // The app-wide strip carries alerts on every screen; without it, they show here.
    if (stripMounted()) return mount(box.alerts);
    if (!box.alerts.firstChild) box.alerts.stopAlerts = mountAlertList(box.alerts, { programId: room.programId });
    return undefined;
  }

  function personRow(m, { present, note }) {
    const muted = local.muted.get(m.member_id) || 0;
    const isMuted = muted > Date.now();
    const removed = local.removed.has(m.member_id);
    const bits = [present ? 'here now' : note];
    if (isMuted) bits.push(`muted until ${fmtTime(muted)}`);
    if (removed) bits.push('asked to step out');
    const name = m.display_name;
    return h('li', { class: `staff-person${present ? ' present' : ''}`, dataset: { memberId: m.member_id } },
      h('span', { class: 'staff-dot', 'aria-hidden': 'true' }),
      h('span', { class: 'staff-person-name' }, name),
      h('span', { class: 'staff-person-state' }, bits.filter(Boolean).join(' · ')),
      // A support room is a participant's line to the team: never muted or closed to them.
      room.kind !== 'support' && h('span', { class: 'staff-person-actions' },
        isMuted
          ? actionButton('Unmute', `unmute-${m.member_id}`, () => mute(m.member_id, 0), { cls: 'quiet', aria: `Unmute ${name}` })
          : actionButton('Mute', `mute-${m.member_id}`, () => askMute(m.member_id), { cls: 'quiet', aria: `Mute ${name}` }),
        removed
          ? actionButton('Restore', `restore-${m.member_id}`, () => removeMember(m.member_id, true), { cls: 'quiet', aria: `Restore ${name} to the room` })
          : actionButton('Remove from room', `remove-${m.member_id}`, () => removeMember(m.member_id, false), { cls: 'quiet', aria: `Remove from room: ${name}` })));
  }

  function drawPeople() {
    const people = participants(room);
    const came = new Map((attendance?.attended || []).map((a) => [a.member_id, a]));
    const here = people.filter((m) => room.online.has(m.member_id));
    const away = people.filter((m) => !room.online.has(m.member_id));
    const left = away.filter((m) => came.has(m.member_id));
    const notCome = away.filter((m) => !came.has(m.member_id));
    const staffHere = [...room.members.values()].filter((m) => m.role !== 'participant' && room.online.has(m.member_id));
    const awayNote = attendance ? 'not come yet' : 'not here';
    mount(box.people, section('staff-people', `People · ${here.length} of ${people.length} here`,
      h('h3', { class: 'staff-sub' }, `Here now (${here.length})`),
      h('ul', { class: 'staff-people-list', id: 'staff-present' },
        here.length ? here.map((m) => personRow(m, { present: true })) : h('li', { class: 'hint' }, 'No participants here yet.')),
      left.length > 0 && h('h3', { class: 'staff-sub' }, `Came and left (${left.length})`),
      left.length > 0 && h('ul', { class: 'staff-people-list', id: 'staff-left' },
        left.map((m) => {
          const at = came.get(m.member_id).last_left_ms;
          return personRow(m, { present: false, note: at ? `left ${fmtTime(at)}` : 'away' });
        })),
      h('h3', { class: 'staff-sub' }, `${attendance ? 'Not come yet' : 'Not here'} (${notCome.length})`),
      h('ul', { class: 'staff-people-list', id: 'staff-not-come' },
        notCome.length ? notCome.map((m) => personRow(m, { present: false, note: awayNote }))
          : h('li', { class: 'hint' }, 'Everyone has come.')),
      staffHere.length > 0 && h('p', { class: 'hint' }, `Care team here: ${staffHere.map((m) => m.display_name).join(', ')}`)));
  }

  function drawPhase() {
    if (!isSession()) return mount(box.phase);
    const current = room.flow.phase;
    return mount(box.phase, section('staff-phase', 'Session phase',
      h('p', { class: 'hint', id: 'staff-phase-hint' }, `Now: ${PHASE_LABEL[current] || 'not set'}. ${PHASE_HINT[current] || ''}`),
      h('div', { class: 'staff-phase-buttons', role: 'group', 'aria-label': 'Set the phase' },
        PHASES.map((p) => {
          const b = actionButton(PHASE_LABEL[p], `phase-${p}`, () => setPhase(p),
            { pressed: p === current, describedBy: 'staff-phase-hint' });
          b.id = `staff-phase-${p}`;
          return b;
        }))));
  }

  function drawRound() {
    if (!isSession()) return mount(box.round);
    const r = room.flow.round;
    if (r) {
      return mount(box.round, section('staff-round', 'Talking piece',
        h('p', { id: 'staff-round-now' }, r.current ? [h('strong', {}, nameOf(room, r.current)), ' holds the talking piece'] : 'The round is finishing.'),
        r.next && h('p', { class: 'hint' }, `Next: ${nameOf(room, r.next)}`),
        h('ol', { class: 'staff-round-order', 'aria-label': 'Speaking order' }, r.order.map((id, i) => h('li', {
          class: i === r.index ? 'current' : i < r.index ? 'done' : '', 'aria-current': i === r.index ? 'true' : null,
        }, nameOf(room, id), i < r.index ? h('span', { class: 'visually-hidden' }, ' (done)') : null))),
        h('div', { class: 'staff-row' },
          actionButton('Next speaker', 'round-advance', () => turn('advance'), { cls: 'primary' }),
          actionButton('Skip', 'round-skip', () => turn('skip')),
          actionButton('End round', 'round-end', () => endRound(), { cls: 'quiet' }))));
    }
    if (['dosing', 'journey', 'closed'].includes(room.flow.phase)) return mount(box.round); // no sharing now
    const people = participants(room).filter((m) => !local.removed.has(m.member_id));
    if (!orderTouched) order = people.filter((m) => room.online.has(m.member_id)).map((m) => m.member_id);
    order = order.filter((id) => people.some((m) => m.member_id === id));
    const edit = (change) => () => {
      orderTouched = true;
      change();
      draw('round');
    };
    const rest = people.filter((m) => !order.includes(m.member_id));
    const move = (i, d) => edit(() => {
      const j = i + d;
      if (j >= 0 && j < order.length) [order[i], order[j]] = [order[j], order[i]];
    });
    return mount(box.round, section('staff-round', 'Talking piece',
      h('p', { class: 'hint' }, 'One voice at a time: only the speaker (and the care team) can post during a round.'),
      h('ol', { class: 'staff-round-order', id: 'staff-round-order', 'aria-label': 'Speaking order' },
        order.length ? order.map((id, i) => h('li', { dataset: { memberId: id } },
          h('span', { class: 'staff-person-name' }, nameOf(room, id), room.online.has(id) ? '' : ' (away)'),
          h('span', { class: 'staff-person-actions' },
            h('button', { type: 'button', class: 'quiet', 'data-key': `up-${id}`, disabled: i === 0, 'aria-label': `Move ${nameOf(room, id)} earlier`, onclick: move(i, -1) }, '↑'),
            h('button', { type: 'button', class: 'quiet', 'data-key': `down-${id}`, disabled: i === order.length - 1, 'aria-label': `Move ${nameOf(room, id)} later`, onclick: move(i, 1) }, '↓'),
            h('button', { type: 'button', class: 'quiet', 'data-key': `out-${id}`, 'aria-label': `Leave out ${nameOf(room, id)}`,
              onclick: edit(() => { order = order.filter((x) => x !== id); }) }, 'Leave out'))))
          : h('li', { class: 'hint' }, 'Nobody is in the order yet.')),
      rest.length > 0 && h('p', { class: 'staff-row' }, h('span', { class: 'hint' }, 'Add: '),
        rest.map((m) => h('button', { type: 'button', class: 'quiet', 'data-key': `add-${m.member_id}`,
          onclick: edit(() => order.push(m.member_id)) }, `Add ${m.display_name}`))),
      h('div', { class: 'staff-row' },
        actionButton('Start round', 'round-start', () => startRound(), { cls: 'primary' }))));
  }

  function checkinOf(id, prompt = '') {
    if (!checkins.has(id)) checkins.set(id, { prompt, answered: new Map(), waiting: new Map(), loaded: false });
    const c = checkins.get(id);
    if (prompt) c.prompt = prompt;
    return c;
  }

  function drawCheckin() {
    if (!isSession()) return mount(box.checkin);
    const id = room.flow.checkin_id;
    if (id) lastCheckin.set(room.id, id);
    if (!id) {
      const last = checkins.get(lastCheckin.get(room.id));
      const prompt = h('input', { id: 'staff-checkin-prompt', name: 'prompt', maxlength: '500', value: 'How are you doing right now?', autocomplete: 'off' });
      return mount(box.checkin, section('staff-checkin', 'Check-in',
        h('label', { for: 'staff-checkin-prompt' }, 'Question to everyone'),
        prompt,
        h('div', { class: 'staff-row' },
          actionButton('Ask everyone', 'checkin-open', () => openCheckin(prompt.value), { cls: 'primary' })),
        last && last.answered.size > 0 && h('details', { class: 'staff-last-checkin', id: 'staff-last-checkin' },
          h('summary', {}, `Answers to the last check-in (${last.answered.size})`),
          answerList(last))));
    }
    const c = checkinOf(id, room.checkinPrompt);
    const answered = [...c.answered.values()];
    const waiting = participants(room).filter((m) => !c.answered.has(m.member_id)
      && (!c.loaded || c.waiting.has(m.member_id)));
    const need = answered.filter((a) => a.answer === 'need_support');
    return mount(box.checkin, section('staff-checkin', 'Check-in',
      h('p', {}, h('span', { class: 'visually-hidden' }, 'Question: '), `“${c.prompt || 'How are you doing right now?'}”`),
      h('p', { class: 'hint', id: 'staff-checkin-summary' },
        `${answered.length} answered${need.length ? ` · ${need.length} need support` : ''} · ${waiting.length} not yet`),
      answerList(c, 'staff-checkin-answers'),
      waiting.length > 0 && h('p', { id: 'staff-checkin-waiting' }, h('span', { class: 'hint' }, 'Not answered yet: '),
        waiting.map((m) => m.display_name).join(', ')),
      h('div', { class: 'staff-row' },
        actionButton('Close check-in', 'checkin-close', () => closeCheckin(), { cls: 'quiet' }))));
  }

  function answerList(c, id = null) {
    return h('ul', { class: 'staff-answers', id, 'aria-label': 'Answers' },
      [...c.answered.values()].map((a) => h('li', { class: `staff-answer ${a.answer}`, dataset: { memberId: a.member_id, answer: a.answer } },
        h('strong', {}, a.display_name), ': ',
        h('span', { class: 'staff-answer-word' }, a.answer === 'ok' ? 'OK' : 'Needs support'),
        a.note ? h('span', { class: 'staff-alert-note' }, ` — “${a.note}”`) : null)));
  }

  function drawQueue() {
    const held = [...room.pending.values()].filter((p) => (p.status || 'open') === 'open');
    const reports = reportsOf(room);
    const items = [];
    for (const p of held) {
      const who = nameOf(room, p.author_id);
      items.push(h('li', { class: 'staff-held', dataset: { pendingId: p.pending_id } },
        h('p', { class: 'staff-meta' }, h('strong', {}, who), ` · held ${fmtTime(p.created_ms)}`),
        h('p', { class: 'staff-quote' }, p.body || ''),
        h('div', { class: 'staff-row' },
          actionButton('Approve', `approve-${p.pending_id}`, () => approve(p), { cls: 'primary', aria: `Approve ${who}'s message` }),
          actionButton('Reject', `reject-${p.pending_id}`, () => reject(p), { aria: `Reject ${who}'s message` }))));
    }
    for (const r of reports) {
      const m = room.msgs.get(r.message_id);
      const who = nameOf(room, r.author_id);
      items.push(h('li', { class: 'staff-report', dataset: { reportId: r.report_id } },
        h('p', { class: 'staff-meta' }, h('strong', {}, 'Report'), ` by ${nameOf(room, r.reporter_id)} about ${who}: `, r.reason),
        m && h('p', { class: 'staff-quote' }, m.state === 'visible' ? m.body : '(no longer shown)'),
        h('div', { class: 'staff-row' },
          m?.state === 'visible' && actionButton('Remove message', `report-remove-${r.report_id}`, () => removeReported(r), { aria: `Remove message by ${who}` }),
          actionButton('Resolve', `resolve-${r.report_id}`, () => resolve(r), { cls: 'quiet', aria: `Resolve report about ${who}` }))));
    }
    mount(box.queue, section('staff-queue', `Needs a look (${items.length})`,
      room.flow.premoderation && h('p', { class: 'hint' }, 'Pre-moderation is on: participants’ messages wait here for you.'),
      h('ul', { class: 'staff-queue-list', id: 'staff-queue-list' },
        items.length ? items : h('li', { class: 'hint' }, 'Nothing waiting.'))));
  }

  function drawSettings() {
    const f = room.flow;
    const slow = h('select', { id: 'staff-slow', name: 'slow' },
      SLOW_CHOICES.map((s) => h('option', { value: String(s), selected: s === f.slow_mode_s }, s ? `${s} seconds` : 'Off')));
    slow.value = String(f.slow_mode_s || 0);
    slow.addEventListener('change', () => runAction(slow, () => settings({ slow_mode_s: Number(slow.value) })));
    mount(box.settings, section('staff-settings', 'Room settings',
      h('div', { class: 'staff-toggles' },
        actionButton('Lock room', 'lock', () => settings({ locked: !f.locked }),
          { pressed: Boolean(f.locked), describedBy: 'staff-settings-state' }),
        actionButton('Pre-moderation', 'premod', () => settings({ premoderation: !f.premoderation }),
          { pressed: Boolean(f.premoderation), describedBy: 'staff-settings-state' })),
      h('p', { class: 'hint', id: 'staff-settings-state' },
        f.locked ? 'Locked: read-only for participants. ' : 'Open for participants. ',
        f.premoderation ? 'Pre-moderation on: their messages wait for approval.' : 'Pre-moderation off.'),
      h('label', { for: 'staff-slow' }, 'Slow mode'),
      slow));
  }

  function drawPinned() {
    const pinned = (room.flow.pinned || []).map((id) => room.msgs.get(id) || { message_id: id, state: 'unknown' });
    if (!pinned.length) return mount(box.pinned);
    return mount(box.pinned, section('staff-pinned', `Pinned (${pinned.length})`,
      h('ul', { class: 'staff-queue-list' }, pinned.map((m) => h('li', { dataset: { messageId: m.message_id } },
        h('p', { class: 'staff-quote' }, m.state === 'visible' ? m.body : 'A message not loaded here'),
        actionButton('Unpin', `unpin-${m.message_id}`, () => request({ type: 'pin', room_id: room.id, message_id: m.message_id, on: false, client_id: crypto.randomUUID() }), { cls: 'quiet' }))))));
  }

  const DRAW = { alerts: drawAlerts, people: drawPeople, phase: drawPhase, round: drawRound, checkin: drawCheckin, queue: drawQueue, settings: drawSettings, pinned: drawPinned };
  function draw(...which) {
    if (!alive) return;
    (which.length ? which : Object.keys(DRAW)).forEach((w) => DRAW[w]());
    DRAW.count?.();
  }

  // ---------- commands ----------

  const say = (text) => { status.textContent = text; }; // a status region: read once, politely

  async function setPhase(phase) {
    if (phase === room.flow.phase) return;
    if (phase === 'closed' && !await confirmAction('Close this session?', 'Participants can still read, but not write.', 'Close session')) return;
    await request({ type: 'phase', room_id: room.id, phase, client_id: crypto.randomUUID() });
    say(`Phase: ${PHASE_LABEL[phase]}.`);
  }

  async function startRound() {
    if (!order.length) throw Object.assign(new Error('Add at least one speaker first.'), { code: 'empty_round' });
    await request({ type: 'round_start', room_id: room.id, order, client_id: crypto.randomUUID() });
    orderTouched = false;
    say('The round started.');
  }

  async function turn(how) {
    await request({ type: 'turn', room_id: room.id, how, client_id: crypto.randomUUID() });
  }

  async function endRound() {
    await request({ type: 'round_end', room_id: room.id, client_id: crypto.randomUUID() });
    say('The round ended.');
  }

  async function openCheckin(prompt) {
    const reply = await request({ type: 'checkin_open', room_id: room.id, prompt: prompt.trim() });
    checkinOf(reply.checkin_id, reply.prompt).loaded = false;
    room.checkinPrompt = reply.prompt;
    say('Check-in sent to everyone.');
    loadCheckin();
  }

  async function closeCheckin() {
    await request({ type: 'checkin_close', room_id: room.id });
    say('Check-in closed.');
  }

  async function settings(changes) {
    await request({ type: 'settings', room_id: room.id, ...changes, client_id: crypto.randomUUID() });
    say('Room settings saved.');
  }

  async function askMute(memberId) {
    const seconds = await choose({ title: `Mute ${nameOf(room, memberId)} for…`, options: muteChoices() });
    if (seconds) await mute(memberId, seconds);
  }

  async function mute(memberId, seconds) {
    const reply = await request({ type: 'mute', room_id: room.id, member_id: memberId, seconds });
    local.muted.set(memberId, reply.until_ms || 0);
    say(seconds ? `${nameOf(room, memberId)} is muted until ${fmtTime(reply.until_ms)}.` : `${nameOf(room, memberId)} can post again.`);
    draw('people');
  }

  async function removeMember(memberId, restore) {
    const name = nameOf(room, memberId);
    if (!restore && !await confirmAction(`Ask ${name} to step out of this room?`,
      'They leave the room at once and can’t read or post here until you let them back.', 'Remove from room')) return;
    await request({ type: 'remove_member', room_id: room.id, member_id: memberId, restore });
    local.removed[restore ? 'delete' : 'add'](memberId);
    say(restore ? `${name} can come back into the room.` : `${name} was removed from the room.`);
    draw('people', 'round');
  }

  async function approve(p) {
    await request({ type: 'approve', room_id: room.id, pending_id: p.pending_id });
    room.pending.delete(p.pending_id);
    say('Approved: the message is in the room.');
    draw('queue');
  }

  async function reject(p) {
    const reason = await ask({ title: 'Reject this message?', text: 'The author sees your reason, kindly worded.',
      label: 'Reason', value: 'Let’s keep the circle focused on our own experiences.', confirm: 'Reject', required: true, multiline: true });
    if (!reason) return;
    await request({ type: 'reject', room_id: room.id, pending_id: p.pending_id, reason });
    room.pending.delete(p.pending_id);
    say('Rejected.');
    draw('queue');
  }

  async function removeReported(r) {
    await removeMessage(room, r.message_id);
    draw('queue');
  }

  async function resolve(r) {
    const resolution = await ask({ title: 'Resolve this report', label: 'What was done (for the team)', value: 'Looked at it.', confirm: 'Resolve' });
    if (resolution == null) return;
    await resolveReport(r.report_id, resolution);
    say('Report resolved.');
    draw('queue');
  }

  // ---------- wiring ----------

  // On phones the panel is a drawer at the bottom of the screen (staff.css); this opens it.
  const waitingCount = h('span', { class: 'staff-drawer-count', id: 'staff-drawer-count' });
  const toggle = h('button', { type: 'button', id: 'staff-drawer-toggle', class: 'staff-drawer-toggle',
    'aria-expanded': 'false', 'aria-controls': 'staff-panel-body' }, 'Facilitator panel', waitingCount);
  const setOpen = (open) => {
    el.classList.toggle('staff-open', open);
    toggle.setAttribute('aria-expanded', String(open));
  };
  toggle.addEventListener('click', () => setOpen(toggle.getAttribute('aria-expanded') !== 'true'));
  const onKey = (e) => {
    if (e.key === 'Escape' && el.classList.contains('staff-open') && !document.querySelector('dialog[open]')) {
      setOpen(false);
      toggle.focus();
    }
  };
  el.addEventListener('keydown', onKey);
  const drawCount = () => {
    const c = room.flow.checkin_id && checkins.get(room.flow.checkin_id);
    const need = c ? [...c.answered.values()].filter((a) => a.answer === 'need_support').length : 0;
    const n = [...room.pending.values()].filter((p) => (p.status || 'open') === 'open').length + reportsOf(room).length + need;
    waitingCount.textContent = n ? ` · ${n} waiting` : '';
  };
  DRAW.count = drawCount;

  mount(el, toggle, h('div', { class: 'staff-panel-inner', id: 'staff-panel-body' },
    h('p', { class: 'staff-panel-title' }, h('span', { class: 'staff-badge' }, 'Facilitator'), ` ${room.title}`),
    status, box.alerts, box.people, box.queue, box.phase, box.round, box.checkin, box.settings, box.pinned));
  draw();
  loadAttendance();
  loadCheckin();
  loadPending();

  const offs = [
    on('room', (c) => {
      if (c.room !== room && c.room?.id !== room.id) return;
      if (c.what === 'flow') {
        draw('phase', 'round', 'checkin', 'settings', 'pinned', 'queue');
        if (c.checkin === 'opened') loadCheckin();
      } else if (c.what === 'people') {
        draw('people', 'round');
        soonAttendance();
      } else if (c.what === 'joined' || c.what === 'reset') {
        draw();
        loadAttendance();
        loadCheckin();
      } else if (c.what === 'queue' || c.what === 'held') {
        draw('queue');
      } else if (c.what === 'history') {
        draw('pinned', 'queue');
      } else if (c.what === 'message') { // only when it is one the panel shows
        const id = c.message?.message_id;
        if ((room.flow.pinned || []).includes(id)) draw('pinned');
        if (reportsOf(room).some((r) => r.message_id === id)) draw('queue');
      }
    }),
    on('checkin', (a) => {
      if (a.room_id !== room.id) return;
      const c = checkinOf(a.checkin_id);
      c.answered.set(a.member_id, a);
      c.waiting.delete(a.member_id);
      draw('checkin');
    }),
    on('reports', () => draw('queue')),
    on('alerts', () => draw('alerts')),
    on('frame', (f) => {
      if (f.type === 'pending' && f.pending?.room_id === room.id) { // staff: a message was held
        if (!room.pending.has(f.pending.pending_id)) room.pending.set(f.pending.pending_id, f.pending);
        draw('queue');
        return;
      }
      if (f.room_id !== room.id) return;
      if (f.type === 'muted' && f.member_id) {
        local.muted.set(f.member_id, f.until_ms || 0);
        draw('people');
      } else if (f.type === 'member_removed' || f.type === 'member_restored') {
        local.removed[f.type === 'member_removed' ? 'add' : 'delete'](f.member_id);
        draw('people', 'round');
      } else if (f.type === 'room_state') {
        draw('phase', 'round', 'checkin', 'settings', 'pinned');
      }
    }),
    on('status', (key) => { if (key === 'back') { loadAttendance(); loadCheckin(); loadPending(); } }),
  ];
  const tick = setInterval(() => draw('people'), 30000); // mutes run out

  return () => {
    alive = false;
    clearTimeout(attendanceTimer);
    clearInterval(tick);
    offs.forEach((off) => off());
    box.alerts.stopAlerts?.();
    el.removeEventListener('keydown', onKey);
    el.classList.remove('staff-open');
  };
}

// Reports are program-wide in the store; this panel shows the open ones about this room.
const reportsOf = (room) => [...state.reports.values()]
  .filter((r) => r.room_id === room.id && (r.status || 'open') === 'open');

export const phaseLabel = (p) => PHASE_LABEL[p] || humanize(p);
