// A signed-in session: the socket, /api/me, and what a view asks of the server.

import { api, refreshTokens, tokens } from './api.js';
import { createSocket } from './socket.js';
import { applyFrame, emit, setMe, staffPrograms, state } from './store.js';

let socket = null;
let onEnded = () => {};

export function startSession(me, { ended }) {
  onEnded = ended;
  setMe(me);
  socket = createSocket({
    token: () => tokens.access,
    refresh: refreshTokens,
    onFrame,
    onStatus(key) {
      state.connection = key;
      emit('status', key);
    },
    onClosed(why) {
      if (why === 'revoked') return refreshMe();
      return onEnded(why === 'signed_out' ? 'You signed out on another screen.' : 'Please sign in again.');
    },
  });
  socket.start();
  loadStaffLists();
}

export function stopSession() {
  socket?.stop();
  socket = null;
  state.rooms.clear();
  state.alerts.clear();
  state.reports.clear();
  state.me = null;
}

function onFrame(f) {
  applyFrame(f);
  const room = state.rooms.get(f.room_id);
  if (f.type === 'joined' && room && !room.msgs.size && !room.loadingHistory) requestHistory(room);
  if (f.type === 'program_changed') refreshMe();
  if (f.type === 'error' && String(f.ref || '').startsWith('history:') && room) room.loadingHistory = false;
}

export async function refreshMe() {
  const gone = setMe(await api.get('/api/me'));
  gone.forEach((id) => socket?.forget(id));
  return state.me;
}

// Open alerts and reports of every program this person staffs (live frames keep them fresh).
async function loadStaffLists() {
  for (const m of staffPrograms()) {
    const [alerts, reports] = await Promise.all([
      api.get(`/api/programs/${m.program.id}/alerts`).catch(() => []),
      api.get(`/api/programs/${m.program.id}/reports`).catch(() => []),
    ]);
    alerts.forEach((a) => state.alerts.set(a.alert_id, a));
    reports.forEach((r) => state.reports.set(r.report_id, r));
  }
  emit('alerts', {});
  emit('reports');
}

export const connection = () => socket;

export function enterRoom(room) {
  socket.join(room.id);
}

export function requestHistory(room, before) {
  if (room.loadingHistory) return;
  const frame = { type: 'history', room_id: room.id, limit: 50, ref: `history:${room.id}` };
  if (before) frame.before = before;
  room.loadingHistory = socket.send(frame);
}

export function loadEarlier(room) {
  if (!room.hasMore) return;
  const seqs = [...room.msgs.values()].map((m) => m.seq);
  requestHistory(room, seqs.length ? Math.min(...seqs) : undefined);
}

export const write = (room, frame) => socket.write({ ...frame, room_id: room.id });
export const request = (frame) => socket.request(frame);

let lastTyping = 0;
export function typing(room) {
  if (!socket.isLive(room.id) || Date.now() - lastTyping < 3000) return;
  lastTyping = Date.now();
  socket.send({ type: 'typing', room_id: room.id, ref: 'typing' });
}

// One tap, from anywhere: staff are alerted at once (HTTP, so it works in any phase).
export function askForSupport(programId, roomId, note = '') {
  const body = note ? { note } : {};
  if (roomId) body.room_id = roomId;
  return api.post(`/api/programs/${programId}/support`, body);
}
