// Integration Circles — web client. One ES module, no dependencies.
// The DOM is built with createElement/textContent only: user text never becomes markup.

const $ = (id) => document.getElementById(id);
const store = window.sessionStorage; // tokens and resume points live for this tab only

const KIND_LABELS = {
  preparation: 'Preparation', integration: 'Integration', community: 'Community',
  staff: 'Care team', support: 'Support',
};
const TOMBSTONES = { removed: 'message removed', deleted: 'message deleted', held: 'message held for review' };
const OFFLINE_TEXT = "You're offline. We'll reconnect when you're back.";
const UNREACHABLE = "We couldn't reach the server. Please check your connection and try again.";

const state = {
  me: null, rooms: new Map(), current: null, // /api/me, room_id -> room (newRoom), room on screen
  ws: null, wsReady: false, everReady: false, authRetried: false,
  attempt: 0, retryTimer: 0, lastFrameAt: 0, // reconnect backoff and liveness
  outbox: new Map(), // client_id -> { frame, failed, sentOn, createdAt }: commands not yet acked
  els: new Map(),    // message_id (or "c:" + client_id while pending) -> element, current room only
  editing: null, lastTypingSent: 0, errorTimer: 0,
};

// ---------- helpers ----------

function h(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text != null) el.textContent = text;
  return el;
}

function actionButton(text, action) {
  const b = h('button', 'msg-action', text);
  b.type = 'button';
  b.dataset.action = action;
  return b;
}

function fmtTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const opts = { hour: 'numeric', minute: '2-digit' };
  if (d.toDateString() !== new Date().toDateString()) Object.assign(opts, { month: 'short', day: 'numeric' });
  return d.toLocaleString([], opts);
}

const humanize = (s) => String(s || '').replace(/_/g, ' ');
const currentRoom = () => state.rooms.get(state.current) || null;
const isCurrent = (room) => Boolean(room) && room.id === state.current;
const authorName = (room, memberId) => room.members.get(memberId)?.display_name || 'Someone';

// ---------- tokens and resume points (sessionStorage only) ----------

const tokens = {
  get access() { return store.getItem('ic.access'); },
  get refresh() { return store.getItem('ic.refresh'); },
  save(t) { store.setItem('ic.access', t.access_token); store.setItem('ic.refresh', t.refresh_token); },
  clear() { ['ic.access', 'ic.refresh', 'ic.seq'].forEach((k) => store.removeItem(k)); },
};

let seqs = {}; // room_id -> last event seq seen
try { seqs = JSON.parse(store.getItem('ic.seq') || '{}') || {}; } catch { seqs = {}; }
const saveSeqs = () => store.setItem('ic.seq', JSON.stringify(seqs));
const setSeq = (roomId, n) => { seqs[roomId] = n; saveSeqs(); };

// ---------- HTTP ----------

let refreshing = null;
// true: new tokens stored; false: refused; throws if the server can't be reached.
// Refresh tokens rotate, so concurrent callers share one request.
function refreshTokens() {
  refreshing ||= requestRefresh().finally(() => { refreshing = null; });
  return refreshing;
}

async function requestRefresh() {
  if (!tokens.refresh) return false;
  const res = await fetch('/api/auth/refresh', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refresh_token: tokens.refresh }),
  });
  if (res.status >= 500) throw new Error(UNREACHABLE);
  if (!res.ok) return false;
  tokens.save(await res.json());
  return true;
}

async function api(path, body, { auth = true, retried = false } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (auth) headers.Authorization = `Bearer ${tokens.access}`;
  let res;
  try {
    res = await fetch(path, { method: body === undefined ? 'GET' : 'POST', headers, body: JSON.stringify(body) });
  } catch {
    throw new Error(UNREACHABLE);
  }
  const data = await res.json().catch(() => null);
  if (res.ok) return data;
  if (res.status === 401 && auth) { // one refresh, then back to sign-in
    if (!retried && await refreshTokens().catch(() => { throw new Error(UNREACHABLE); })) {
      return api(path, body, { auth, retried: true });
    }
    expireSession();
  }
  throw new Error(data?.detail || data?.title || 'Something went wrong. Please try again.');
}

// ---------- screens ----------

function show(view) {
  for (const name of ['signin', 'list', 'room']) $(`view-${name}`).hidden = name !== view;
  document.body.dataset.view = view;
  document.title = view === 'room' ? `${currentRoom().title} · Integration Circles` : 'Integration Circles';
  $({ signin: 'signin-heading', list: 'list-heading', room: 'room-title' }[view]).focus({ preventScroll: true });
}

function route() {
  if (!tokens.access) return show('signin');
  const match = location.hash.match(/^#\/room\/([A-Za-z0-9_-]+)$/);
  const room = match && state.rooms.get(match[1]);
  if (room) return openRoom(room);
  leaveRoomView();
  show('list');
}

function goToList() {
  if (location.hash === '#/' || location.hash === '') route();
  else location.hash = '#/';
}

function showNotice(text) { $('list-notice').textContent = text; }

function showError(text) {
  clearTimeout(state.errorTimer);
  $('error-line').textContent = text || '';
  if (text) state.errorTimer = setTimeout(() => showError(''), 12000);
}

function setConn(text, mood = '') {
  const el = $('conn-status');
  if (el.textContent !== text) el.textContent = text; // don't re-announce the same words
  el.dataset.mood = mood;
}

// ---------- session ----------

async function startSession() {
  state.me = await api('/api/me');
  buildRooms();
  renderList();
  $('signout').hidden = false;
  connect();
  route();
}

function teardown() { // sign out, or the session ended
  cancelEdit();
  dropSocket();
  clearTimeout(state.retryTimer);
  for (const room of state.rooms.values()) room.typing.forEach((t) => clearTimeout(t));
  Object.assign(state, { me: null, current: null, everReady: false, attempt: 0 });
  [state.rooms, state.outbox, state.els].forEach((m) => m.clear());
  seqs = {};
  tokens.clear();
  history.replaceState(null, '', location.pathname);
  $('signout').hidden = true;
  ['circle-list', 'messages'].forEach((id) => $(id).replaceChildren());
  $('composer').value = '';
  setConn('');
}

function expireSession(message = 'Please sign in again.') {
  teardown();
  show('signin');
  $('signin-error').textContent = message;
}

function newRoom(info, membership) {
  return {
    id: info.room_id, title: info.title || 'Untitled room', kind: info.kind,
    programId: membership.program.id, memberId: membership.member.member_id,
    members: new Map(), online: new Set(), msgs: new Map(), typing: new Map(),
    wanted: false, // opened on this page: join again on every new connection
    live: false,   // joined on the current socket
    loaded: false, // history fetched on this page
    hasMore: false, loadingHistory: false, resyncing: false, draft: '',
  };
}

function buildRooms() {
  const seen = new Set();
  for (const membership of state.me.memberships || []) {
    for (const info of membership.rooms || []) {
      seen.add(info.room_id);
      const room = state.rooms.get(info.room_id);
      if (room) Object.assign(room, { title: info.title || room.title, kind: info.kind });
      else state.rooms.set(info.room_id, newRoom(info, membership));
    }
  }
  for (const id of state.rooms.keys()) if (!seen.has(id)) state.rooms.delete(id);
  for (const id of Object.keys(seqs)) if (!seen.has(id)) delete seqs[id];
  saveSeqs();
}

function renderList() {
  const memberships = state.me?.memberships || [];
  if (!memberships.length) {
    const text = "You're not part of a circle yet. When a facilitator invites you, it will appear here.";
    return $('circle-list').replaceChildren(h('p', 'empty', text));
  }
  $('circle-list').replaceChildren(...memberships.map((m) => {
    const title = h('h2', null, m.program.name);
    if (m.program.status && m.program.status !== 'active') {
      title.append(h('span', 'program-status', ` · ${humanize(m.program.status)}`));
    }
    const ul = h('ul', 'rooms');
    for (const info of m.rooms || []) {
      const a = h('a', 'room-link');
      a.href = `#/room/${info.room_id}`;
      a.dataset.roomId = info.room_id;
      a.append(h('span', 'room-name', info.title || 'Untitled room'),
        h('span', 'room-kind', KIND_LABELS[info.kind] || humanize(info.kind)));
      ul.append(h('li'));
      ul.lastChild.append(a);
    }
    if (!ul.children.length) ul.append(h('li', 'hint', 'No rooms yet.'));
    const section = h('section', 'program');
    section.append(title, h('p', 'hint', `You appear as “${m.member.display_name}”.`), ul);
    return section;
  }));
}

// ---------- WebSocket ----------

function wsSend(frame) {
  if (state.ws?.readyState !== WebSocket.OPEN) return false;
  state.ws.send(JSON.stringify(frame));
  return true;
}

function connect() {
  clearTimeout(state.retryTimer);
  if (!tokens.access || state.ws) return;
  setConn(state.everReady ? 'Reconnecting…' : 'Connecting…', 'waiting');
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`);
  state.ws = ws;
  ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token: tokens.access }));
  ws.onclose = (e) => onClose(e.code);
  ws.onmessage = (e) => {
    state.lastFrameAt = Date.now();
    let frame;
    try { frame = JSON.parse(e.data); } catch { return; }
    if (frame && typeof frame === 'object') handleFrame(frame);
  };
}

function dropSocket() {
  const ws = state.ws;
  Object.assign(state, { ws: null, wsReady: false });
  for (const room of state.rooms.values()) room.live = false;
  if (!ws) return;
  ws.onopen = ws.onmessage = ws.onclose = null;
  try { ws.close(1000); } catch { /* already closed */ }
}

function scheduleReconnect() {
  clearTimeout(state.retryTimer);
  if (!tokens.access) return;
  if (!navigator.onLine) return setConn(OFFLINE_TEXT, 'offline'); // the "online" event reconnects
  const step = Math.min(10000, 500 * 2 ** state.attempt++); // 0.5 s, 1 s, 2 s … 10 s
  setConn('Reconnecting…', 'waiting');
  state.retryTimer = setTimeout(connect, step / 2 + Math.random() * (step / 2)); // with jitter
}

async function onClose(code) {
  dropSocket();
  if (!tokens.access) return;
  if (code === 4001) { // auth failed: refresh once, else back to sign-in
    if (state.authRetried) return expireSession();
    state.authRetried = true;
    let ok;
    try { ok = await refreshTokens(); } catch { return scheduleReconnect(); }
    return ok ? connect() : expireSession();
  }
  if (code === 4003) return accessRevoked();
  scheduleReconnect(); // 1001/1012 restarting, 4008 too slow, a lost network, anything else
}

async function accessRevoked() {
  setConn('');
  try {
    state.me = await api('/api/me');
    buildRooms();
    renderList();
  } catch { /* api() already handled an ended session */ }
  if (!tokens.access) return;
  goToList();
  showNotice("Your access to a room has changed, so it's no longer shown here. "
    + 'If this is unexpected, please reach out to your facilitator.');
  if (state.rooms.size) scheduleReconnect();
}

// Notice a silently dead connection; the pings also keep idle proxies from closing it.
setInterval(() => {
  if (!state.wsReady) return;
  if (Date.now() - state.lastFrameAt < 50000) return wsSend({ type: 'ping', ref: 'ping' });
  dropSocket();
  scheduleReconnect();
}, 20000);

function handleFrame(f) {
  const handlers = {
    ready: onReady, joined: onJoined, history: onHistory, event: onEvent, ack: onAck,
    typing: onTyping, presence: onPresence, error: onServerError,
  };
  handlers[f.type]?.(f); // "pong" and unknown types need nothing
}

function onReady(f) {
  Object.assign(state, { wsReady: true, authRetried: false, attempt: 0 });
  setConn(state.everReady ? 'Back online' : 'Connected', 'ok');
  state.everReady = true;
  for (const room of state.rooms.values()) {
    const m = (f.memberships || []).find((x) => x.program_id === room.programId);
    if (m) room.memberId = m.member_id;
    if (room.wanted) sendJoin(room);
  }
}

function sendJoin(room) {
  room.live = false;
  const after = Number.isInteger(seqs[room.id]) ? seqs[room.id] : undefined;
  wsSend({ type: 'join', room_id: room.id, after, ref: `join:${room.id}` });
}

function onJoined(f) {
  const room = state.rooms.get(f.room_id);
  if (!room) return;
  Object.assign(room, { live: true, resyncing: false, online: new Set(f.online || []) });
  room.members = new Map((f.members || []).map((m) => [m.member_id, m]));
  const fresh = f.resume === 'fresh' || f.resume === 'reload';
  if (fresh) setSeq(room.id, f.head || 0);
  if (fresh || !room.loaded) { // start the view over from history
    room.msgs.clear();
    Object.assign(room, { loaded: true, hasMore: false, loadingHistory: false });
    requestHistory(room);
    if (isCurrent(room)) renderAllMessages(room);
  }
  if (isCurrent(room)) renderPeople(room);
  flushOutbox(room);
}

function requestHistory(room, before) {
  if (room.loadingHistory) return;
  room.loadingHistory = wsSend({ type: 'history', room_id: room.id, before, limit: 50, ref: `history:${room.id}` });
}

function onHistory(f) {
  const room = state.rooms.get(f.room_id);
  if (!room) return;
  Object.assign(room, { loadingHistory: false, hasMore: Boolean(f.has_more) });
  const scroller = $('scroller');
  const fromBottom = scroller.scrollHeight - scroller.scrollTop;
  const stick = nearBottom();
  quietly(() => (f.messages || []).forEach((m) => upsertMessage(room, m)));
  if (!isCurrent(room)) return;
  $('load-earlier').hidden = !room.hasMore;
  updateEmpty(room);
  if (stick) scrollToBottom();
  else scroller.scrollTop = scroller.scrollHeight - fromBottom; // keep the reader's place
}

function onEvent(f) {
  const room = state.rooms.get(f.room_id);
  if (!room || !Number.isInteger(f.seq)) return;
  const last = seqs[room.id] ?? 0;
  if (f.seq <= last) return; // seen already
  if (f.seq > last + 1) {    // a gap: resume from what we have; the replay brings this one too
    if (!room.resyncing) sendJoin(room);
    room.resyncing = true;
    return;
  }
  setSeq(room.id, f.seq);
  const d = f.data || {};
  if (f.event === 'message.created') {
    stopTyping(room, d.author_id);
    upsertMessage(room, d);
  } else if (f.event === 'message.edited') {
    patchMessage(room, d.message_id, { body: d.body, edited_at: d.edited_at });
  } else if (f.event === 'message.deleted') {
    patchMessage(room, d.message_id, { state: d.state || 'deleted', body: null, reactions: {} });
  } else if (f.event === 'reaction.added' || f.event === 'reaction.removed') {
    patchMessage(room, d.message_id, { reactions: d.reactions || {} });
  }
}

function onAck(f) {
  const entry = state.outbox.get(f.client_id);
  if (!entry) return;
  state.outbox.delete(f.client_id);
  const room = state.rooms.get(entry.frame.room_id);
  if (!room || entry.frame.type !== 'send' || room.msgs.has(f.message_id)) return;
  upsertMessage(room, { // stands in until its own message.created arrives
    message_id: f.message_id, room_id: room.id, seq: f.seq, author_id: room.memberId,
    client_id: f.client_id, body: entry.frame.body, state: 'visible',
    created_at: entry.createdAt, edited_at: null, reply_to: null, reactions: {},
  });
}

function onTyping(f) {
  const room = state.rooms.get(f.room_id);
  if (!room || f.member_id === room.memberId) return;
  clearTimeout(room.typing.get(f.member_id));
  room.typing.set(f.member_id, setTimeout(() => stopTyping(room, f.member_id), 4000));
  renderTyping(room);
}

function stopTyping(room, memberId) {
  if (!room.typing.has(memberId)) return;
  clearTimeout(room.typing.get(memberId));
  room.typing.delete(memberId);
  renderTyping(room);
}

function onPresence(f) {
  const room = state.rooms.get(f.room_id);
  if (!room) return;
  room.online[f.online ? 'add' : 'delete'](f.member_id);
  if (isCurrent(room)) renderPeople(room);
}

function onServerError(f) {
  if (f.ref === 'typing' || f.ref === 'ping') return;
  const entry = f.client_id && state.outbox.get(f.client_id);
  if (entry) {
    const room = state.rooms.get(entry.frame.room_id);
    if (f.code === 'rate_limited') { // wait as asked, then send the same command again
      entry.sentOn = null;
      setTimeout(() => room && flushOutbox(room), Math.max(0.5, Number(f.retry_after_s) || 2) * 1000);
    } else if (entry.frame.type === 'send') {
      entry.failed = true; // stays in the outbox, with "Try again"
      if (isCurrent(room)) placePending(room, entry);
    } else {
      state.outbox.delete(f.client_id);
    }
    return showError(f.message);
  }
  const [kind, roomId] = String(f.ref || '').split(':');
  const room = state.rooms.get(roomId);
  if (kind === 'history' && room) room.loadingHistory = false;
  if (kind === 'join' && room) { // not allowed in (removed, staff only, …)
    Object.assign(room, { wanted: false, resyncing: false });
    if (isCurrent(room)) goToList();
    return showNotice(f.message || "That room isn't available right now.");
  }
  showError(f.message || 'Something went wrong. Please try again.');
}

// ---------- outgoing commands ----------

function command(room, frame) {
  const clientId = crypto.randomUUID();
  const entry = {
    frame: { ...frame, room_id: room.id, client_id: clientId },
    failed: false, sentOn: null, createdAt: new Date().toISOString(),
  };
  state.outbox.set(clientId, entry);
  flushOutbox(room);
  if (!state.wsReady) showError("You're offline right now. We'll send this when the connection is back.");
  return entry;
}

// Send each unacked command for this room that this socket hasn't carried yet (same client_id).
function flushOutbox(room) {
  if (!state.wsReady || !room.live) return;
  for (const entry of state.outbox.values()) {
    if (entry.frame.room_id !== room.id || entry.failed || entry.sentOn === state.ws) continue;
    if (wsSend(entry.frame)) entry.sentOn = state.ws;
  }
}

function submitComposer() {
  const room = currentRoom();
  const body = $('composer').value.trim();
  if (!room || !body) return;
  if (state.editing) {
    command(room, { type: 'edit', message_id: state.editing, body });
    return cancelEdit();
  }
  const entry = command(room, { type: 'send', body, reply_to: null });
  $('composer').value = room.draft = '';
  placePending(room, entry);
  scrollToBottom();
}

function startEdit(room, m) {
  if (!state.editing) room.draft = $('composer').value;
  state.editing = m.message_id;
  $('composer').value = m.body || '';
  $('edit-banner').hidden = false;
  $('send').textContent = 'Save';
  $('composer').focus();
}

function cancelEdit() {
  if (!state.editing) return;
  state.editing = null;
  $('composer').value = currentRoom()?.draft || '';
  $('edit-banner').hidden = true;
  $('send').textContent = 'Send';
}

// ---------- room view ----------

function openRoom(room) {
  if (state.current !== room.id) leaveRoomView();
  state.current = room.id;
  $('room-title').textContent = room.title;
  $('composer').value = room.draft;
  showNotice('');
  showError('');
  renderPeople(room);
  renderAllMessages(room);
  renderTyping(room);
  show('room');
  if (!room.wanted) {
    room.wanted = true;
    sendJoin(room);
  }
  scrollToBottom();
}

function leaveRoomView() {
  const room = currentRoom();
  if (room) {
    cancelEdit();
    room.draft = $('composer').value;
  }
  state.current = null;
  state.els.clear();
  $('messages').replaceChildren();
  $('typing').textContent = '';
}

// Batches (history pages, switching rooms) shouldn't be read out message by message.
function quietly(fn) {
  const log = $('messages');
  log.setAttribute('aria-live', 'off');
  try { fn(); } finally { setTimeout(() => log.setAttribute('aria-live', 'polite'), 50); }
}

function renderPeople(room) {
  const people = [...room.members.values()].sort((a, b) => a.display_name.localeCompare(b.display_name));
  const here = people.filter((p) => room.online.has(p.member_id)).length;
  $('people-summary').textContent = `People · ${here} here now`;
  $('people-list').replaceChildren(...people.map((p) => {
    const online = room.online.has(p.member_id);
    const li = h('li', online ? 'online' : 'away');
    li.append(h('span', 'person-name', p.display_name));
    if (p.member_id === room.memberId) li.append(h('span', 'person-note', ' (you)'));
    if (p.role && p.role !== 'participant') li.append(h('span', 'person-note', ` · ${humanize(p.role)}`));
    li.append(h('span', 'presence', online ? 'here' : 'away'));
    return li;
  }));
}

function renderTyping(room) {
  if (!isCurrent(room)) return;
  const names = [...room.typing.keys()].map((id) => authorName(room, id));
  $('typing').textContent = names.length > 2 ? 'Several people are typing…'
    : names.length ? `${names.join(' and ')} ${names.length > 1 ? 'are' : 'is'} typing…` : '';
}

function pendingRecord(room, entry) {
  const { client_id, body } = entry.frame;
  return {
    pending: true, failed: entry.failed, client_id, body,
    author_id: room.memberId, state: 'visible', created_at: entry.createdAt,
  };
}

function renderAllMessages(room) {
  state.els.clear();
  const nodes = [...room.msgs.values()].sort((a, b) => a.seq - b.seq).map((m) => {
    state.els.set(m.message_id, fillMessage(h('article'), room, m));
    return state.els.get(m.message_id);
  });
  for (const entry of state.outbox.values()) {
    if (entry.frame.type !== 'send' || entry.frame.room_id !== room.id) continue;
    nodes.push(fillMessage(h('article'), room, pendingRecord(room, entry)));
    state.els.set(`c:${entry.frame.client_id}`, nodes.at(-1));
  }
  quietly(() => $('messages').replaceChildren(...nodes));
  $('load-earlier').hidden = !room.hasMore;
  updateEmpty(room);
}

function placePending(room, entry) {
  const key = `c:${entry.frame.client_id}`;
  if (!state.els.has(key)) state.els.set(key, $('messages').appendChild(h('article')));
  fillMessage(state.els.get(key), room, pendingRecord(room, entry));
  updateEmpty(room);
}

// Store a message (from history, an event or an ack) and show it in seq order.
function upsertMessage(room, m) {
  if (!m?.message_id) return;
  if (state.outbox.get(m.client_id)?.frame.type === 'send') state.outbox.delete(m.client_id); // ours, back
  room.msgs.set(m.message_id, m);
  if (!isCurrent(room)) return;
  const stick = nearBottom() || m.author_id === room.memberId;
  const pendingKey = `c:${m.client_id}`;
  const el = state.els.get(m.message_id) || state.els.get(pendingKey) || h('article');
  state.els.delete(pendingKey);
  state.els.set(m.message_id, el);
  insertSorted($('messages'), fillMessage(el, room, m), m.seq);
  updateEmpty(room);
  if (stick) scrollToBottom();
}

function patchMessage(room, messageId, changes) {
  const m = room.msgs.get(messageId);
  if (!m) return;
  Object.assign(m, changes);
  if (isCurrent(room) && state.els.has(messageId)) fillMessage(state.els.get(messageId), room, m);
}

// Pending messages stay last; confirmed ones sit in seq order. Moves only when needed,
// so the live region doesn't read a message twice.
function insertSorted(log, el, seq) {
  let ref = null;
  for (let c = log.lastElementChild; c; c = c.previousElementSibling) {
    if (c === el) continue;
    if (c.dataset.seq && Number(c.dataset.seq) < seq) break;
    ref = c;
  }
  if (el.parentNode !== log || el.nextElementSibling !== ref) log.insertBefore(el, ref);
}

const shownText = new WeakMap(); // element -> what its text was built from

function fillMessage(el, room, m) {
  const focused = el.contains(document.activeElement) ? document.activeElement.dataset.action : null;
  const mine = Boolean(m.pending) || m.author_id === room.memberId;
  const visible = m.state === 'visible';
  el.className = ['msg', mine && 'own', m.pending && 'pending', m.failed && 'failed', !visible && 'tombstone']
    .filter(Boolean).join(' ');
  el.dataset.clientId = m.client_id || '';
  if (m.pending) {
    delete el.dataset.messageId;
    delete el.dataset.seq;
  } else {
    Object.assign(el.dataset, { messageId: m.message_id, seq: String(m.seq) });
  }
  // Rebuild the text only when it changed: re-added nodes would be read out again.
  const name = mine ? 'You' : authorName(room, m.author_id);
  const role = room.members.get(m.author_id)?.role;
  const roleText = !mine && role && role !== 'participant' ? humanize(role) : '';
  const sig = JSON.stringify([name, roleText, m.state, m.body, m.edited_at]);
  if (shownText.get(el) !== sig) {
    shownText.set(el, sig);
    const meta = h('p', 'meta');
    meta.append(h('span', 'author', name));
    if (roleText) meta.append(h('span', 'role', roleText));
    meta.append(h('time'));
    if (visible && m.edited_at) meta.append(h('span', 'edited', 'edited'));
    let text = m.body || '';
    if (!visible && m.state === 'held' && mine) text = 'Your message is waiting for a facilitator to look at it.';
    else if (!visible) text = TOMBSTONES[m.state] || 'message unavailable';
    el.replaceChildren(meta, h('p', visible ? 'body' : 'body quiet-note', text));
  }
  const time = el.querySelector('time');
  if (m.created_at && time.dateTime !== m.created_at) {
    time.dateTime = m.created_at;
    time.textContent = fmtTime(m.created_at);
  }
  updateTail(el, room, m, mine, visible);
  if (focused) (el.querySelector(`[data-action="${focused}"]`) || $('composer')).focus({ preventScroll: true });
  return el;
}

// Under the text: "sending…", "Not sent" with Try again, or the message actions.
function updateTail(el, room, m, mine, visible) {
  let kind = '';
  if (m.pending) kind = m.failed ? 'failed' : 'sending';
  else if (visible) kind = mine ? 'own' : 'other';
  let tail = el.querySelector('.tail');
  if (tail && tail.dataset.kind !== kind) {
    tail.remove();
    tail = null;
  }
  if (!tail && kind) {
    if (m.pending) {
      tail = h('p', 'tail status-note', m.failed ? 'Not sent.' : 'sending…');
      if (m.failed) tail.append(' ', actionButton('Try again', 'retry'), ' ', actionButton('Discard', 'discard'));
    } else {
      tail = h('div', 'tail actions');
      tail.append(actionButton('Resonate', 'resonate'));
      if (mine) tail.append(actionButton('Edit', 'edit'), actionButton('Delete', 'delete'));
    }
    tail.dataset.kind = kind;
    el.append(tail);
  }
  const resonate = tail?.querySelector('[data-action="resonate"]');
  if (!resonate) return;
  const who = m.reactions?.resonate || [];
  const label = who.length ? `Resonate · ${who.length}` : 'Resonate';
  if (resonate.textContent !== label) resonate.textContent = label;
  resonate.setAttribute('aria-pressed', String(who.includes(room.memberId)));
}

function updateEmpty(room) {
  $('empty-room').hidden = !room.loaded || room.loadingHistory || $('messages').childElementCount > 0;
}

function nearBottom() {
  const s = $('scroller');
  return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
}

function scrollToBottom() { $('scroller').scrollTop = $('scroller').scrollHeight; }

function loadEarlier(room) {
  const seen = [...room.msgs.values()].map((m) => m.seq);
  requestHistory(room, seen.length ? Math.min(...seen) : undefined);
}

// ---------- wiring ----------

function onMessageAction(e) {
  const button = e.target.closest('button[data-action]');
  const el = button?.closest('.msg');
  const room = currentRoom();
  if (!el || !room) return;
  const { action } = button.dataset;
  const entry = state.outbox.get(el.dataset.clientId);
  if (action === 'retry' && entry) {
    Object.assign(entry, { failed: false, sentOn: null });
    placePending(room, entry);
    return flushOutbox(room);
  }
  if (action === 'discard' && entry) {
    state.outbox.delete(el.dataset.clientId);
    state.els.delete(`c:${el.dataset.clientId}`);
    el.remove();
    updateEmpty(room);
    return $('composer').focus();
  }
  const m = room.msgs.get(el.dataset.messageId);
  if (m?.state !== 'visible') return;
  if (action === 'resonate') {
    const on = !(m.reactions?.resonate || []).includes(room.memberId);
    command(room, { type: 'react', message_id: m.message_id, reaction: 'resonate', on });
  } else if (action === 'edit') {
    startEdit(room, m);
  } else if (action === 'delete' && window.confirm('Delete this message? Others will see that a message was deleted.')) {
    command(room, { type: 'delete', message_id: m.message_id });
  }
}

async function submitAuth(form, errorEl, call) {
  if (form.getAttribute('aria-busy') === 'true') return;
  form.setAttribute('aria-busy', 'true');
  errorEl.textContent = '';
  try {
    tokens.save(await call());
    form.reset();
    await startSession();
  } catch (err) {
    errorEl.textContent = err.message;
  } finally {
    form.removeAttribute('aria-busy');
  }
}

function onSubmit(id, handler) {
  $(id).addEventListener('submit', (e) => {
    e.preventDefault();
    handler(e.currentTarget);
  });
}

function bindUi() {
  onSubmit('signin-form', (form) => submitAuth(form, $('signin-error'), () => api('/api/auth/login', {
    email: $('signin-email').value.trim(), password: $('signin-password').value,
  }, { auth: false })));
  onSubmit('invite-form', (form) => submitAuth(form, $('invite-error'), () => api('/api/invites/redeem', {
    invite: $('invite-code').value.replace(/\s+/g, ''), // pasted codes often carry line breaks
    display_name: $('invite-name').value.trim(),
    password: $('invite-password').value,
  }, { auth: false })));
  onSubmit('composer-form', submitComposer);
  $('signout').addEventListener('click', () => {
    teardown();
    $('signin-error').textContent = '';
    route();
  });
  $('back').addEventListener('click', () => { location.hash = '#/'; });
  $('composer').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submitComposer();
    } else if (e.key === 'Escape' && state.editing) {
      e.preventDefault();
      cancelEdit();
    }
  });
  $('composer').addEventListener('input', () => { // "typing", at most every 3 s
    const room = currentRoom();
    if (!room?.live || state.editing || !$('composer').value.trim()) return;
    if (Date.now() - state.lastTypingSent < 3000) return;
    state.lastTypingSent = Date.now();
    wsSend({ type: 'typing', room_id: room.id, ref: 'typing' });
  });
  $('edit-cancel').addEventListener('click', () => {
    cancelEdit();
    $('composer').focus();
  });
  $('messages').addEventListener('click', onMessageAction);
  $('load-earlier').addEventListener('click', () => currentRoom() && loadEarlier(currentRoom()));
  $('scroller').addEventListener('scroll', () => {
    const room = currentRoom();
    if (room?.hasMore && !room.loadingHistory && $('scroller').scrollTop < 40) loadEarlier(room);
  }, { passive: true });
  window.addEventListener('hashchange', route);
  window.addEventListener('online', () => { // try at once, not at the next backoff step
    state.attempt = 0;
    connect();
  });
  window.addEventListener('offline', () => { // the socket is as good as gone; resume when back
    if (!tokens.access) return;
    dropSocket();
    clearTimeout(state.retryTimer);
    setConn(OFFLINE_TEXT, 'offline');
  });
}

async function boot() {
  bindUi();
  if (!tokens.access) return route();
  try {
    await startSession();
  } catch (err) {
    if (!tokens.access) return; // the session ended; sign-in is showing
    show('list');
    showNotice(`${err.message} You can reload the page to try again.`);
  }
}

boot();
