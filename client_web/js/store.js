// What this tab knows: the person's programs and rooms, each room's messages and circle
// state, and the care team's alerts. Server frames change it; views listen for topics.

const listeners = new Map(); // topic -> Set of handlers

export function on(topic, handler) {
  if (!listeners.has(topic)) listeners.set(topic, new Set());
  listeners.get(topic).add(handler);
  return () => listeners.get(topic).delete(handler);
}

export function emit(topic, detail) {
  for (const handler of listeners.get(topic) || []) handler(detail);
}

export const state = {
  me: null,             // GET /api/me
  rooms: new Map(),     // room_id -> room (newRoom)
  alerts: new Map(),    // alert_id -> open alert, for staff
  reports: new Map(),   // report_id -> open report, for staff
  connection: 'connecting',
};

export const memberships = () => state.me?.memberships || [];
export const membership = (programId) => memberships().find((m) => m.program.id === programId) || null;
export const isStaffIn = (programId) => ['lead', 'facilitator'].includes(membership(programId)?.member.role);
export const staffPrograms = () => memberships().filter((m) => m.member.role !== 'participant');
export const participantPrograms = () => memberships().filter((m) => m.member.role === 'participant');

function newRoom(info, m) {
  return {
    id: info.room_id, title: info.title || 'Untitled room', kind: info.kind,
    programId: m.program.id, memberId: m.member.member_id, staff: m.member.role !== 'participant',
    members: new Map(), online: new Set(), msgs: new Map(), typing: new Map(),
    pending: new Map(),  // pending_id -> held message (own for a participant, all for staff)
    loaded: false, hasMore: false, loadingHistory: false,
    flow: { phase: null, locked: Boolean(info.locked), premoderation: false, slow_mode_s: 0, pinned: [],
      round: null, checkin_id: null },
    checkinPrompt: '', answered: new Set(), mutedUntil: 0, draft: '',
  };
}

// Keep rooms in step with /api/me: add new ones, drop the ones no longer listed.
export function setMe(me) {
  state.me = me;
  const seen = new Set();
  for (const m of me.memberships || []) {
    for (const info of m.rooms || []) {
      seen.add(info.room_id);
      const room = state.rooms.get(info.room_id);
      if (room) Object.assign(room, { title: info.title || room.title, kind: info.kind });
      else state.rooms.set(info.room_id, newRoom(info, m));
    }
  }
  const gone = [...state.rooms.keys()].filter((id) => !seen.has(id));
  gone.forEach((id) => state.rooms.delete(id));
  emit('me');
  return gone;
}

export const authorName = (room, memberId) => room.members.get(memberId)?.display_name || 'Someone';

// ---------- applying server frames ----------

const APPLY = {
  joined(f, room) {
    room.members = new Map((f.members || []).map((m) => [m.member_id, m]));
    room.online = new Set(f.online || []);
    if (f.state) room.flow = { ...room.flow, ...f.state };
    room.pending = new Map((f.pending || []).map((p) => [p.pending_id, p]));
    const restart = f.resume === 'fresh' || f.resume === 'reload' || !room.loaded;
    if (restart) {
      room.msgs.clear();
      Object.assign(room, { loaded: true, hasMore: false, loadingHistory: false });
    }
    return { what: restart ? 'reset' : 'joined' };
  },
  history(f, room) {
    room.loadingHistory = false;
    room.hasMore = Boolean(f.has_more);
    for (const m of f.messages || []) room.msgs.set(m.message_id, m);
    return { what: 'history', messages: f.messages || [] };
  },
  event(f, room) {
    const d = f.data || {};
    const flow = room.flow;
    switch (f.event) {
      case 'message.created':
        room.typing.delete(d.author_id);
        return upsert(room, d);
      case 'message.edited':
        return patch(room, d.message_id, { body: d.body, edited_at: d.edited_at, state: d.state });
      case 'message.deleted':
      case 'message.removed':
        return patch(room, d.message_id, { state: d.state, body: null, reactions: {}, removed_reason: d.reason });
      case 'reaction.added':
      case 'reaction.removed':
        return patch(room, d.message_id, { reactions: d.reactions || {} });
      case 'message.pinned':
      case 'message.unpinned':
        flow.pinned = d.pinned || [];
        return { what: 'flow' };
      case 'room.phase':
        room.flow = { ...flow, ...(d.state || {}), phase: d.phase };
        return { what: 'flow', phaseChanged: d.phase };
      case 'room.settings':
        room.flow = { ...flow, ...d };
        return { what: 'flow' };
      case 'round.started':
      case 'round.turn':
      case 'round.ended':
        flow.round = d.round || null;
        return { what: 'flow', round: f.event };
      case 'checkin.opened':
        Object.assign(flow, { checkin_id: d.checkin_id });
        room.checkinPrompt = d.prompt || '';
        return { what: 'flow', checkin: 'opened' };
      case 'checkin.closed':
        flow.checkin_id = null;
        return { what: 'flow', checkin: 'closed' };
      default:
        return null; // a future event: its seq still counts (the socket advanced it)
    }
  },
  presence(f, room) {
    room.online[f.online ? 'add' : 'delete'](f.member_id);
    return { what: 'people' };
  },
  typing(f, room) {
    if (f.member_id === room.memberId) return null;
    room.typing.set(f.member_id, Date.now());
    return { what: 'typing' };
  },
  ack(f, room) {
    if (f.pending) {
      room.pending.set(f.pending.pending_id, f.pending);
      return { what: 'held', clientId: f.client_id };
    }
    if (f.command === 'send' && f.message_id && !room.msgs.has(f.message_id)) {
      // Stands in until its own message.created arrives (the ack can come first).
      return upsert(room, {
        message_id: f.message_id, room_id: room.id, seq: f.seq, author_id: room.memberId, client_id: f.client_id,
        body: f.body, state: 'visible', created_at: f.created_at, edited_at: null, reply_to: null, reactions: {},
      });
    }
    return { what: 'ack', clientId: f.client_id };
  },
  pending(f, room) {
    room.pending.set(f.pending.pending_id, f.pending);
    return { what: 'queue' };
  },
  pending_approved(f, room) {
    room.pending.delete(f.pending_id);
    return { what: 'held' };
  },
  pending_rejected(f, room) {
    const held = room.pending.get(f.pending_id);
    if (held) Object.assign(held, { status: 'rejected', reason: f.reason });
    return { what: 'held' };
  },
  muted(f, room) {
    if (f.member_id && f.member_id !== room.memberId) return null; // staff: the reply about someone else
    room.mutedUntil = f.until_ms || 0;
    return { what: 'flow' };
  },
  room_state(f, room) { // reply to a staff change: the whole public state
    const { type, room_id: roomId, ref, ...flow } = f;
    room.flow = { ...room.flow, ...flow };
    return { what: 'flow' };
  },
  checkin_answered(f, room) {
    room.answered.add(f.checkin_id);
    return { what: 'flow', checkin: 'answered' };
  },
};

function upsert(room, m) {
  room.msgs.set(m.message_id, m);
  return { what: 'message', message: m };
}

function patch(room, messageId, changes) {
  const m = room.msgs.get(messageId);
  if (!m) return null;
  for (const [k, v] of Object.entries(changes)) if (v !== undefined) m[k] = v;
  return { what: 'message', message: m };
}

// Apply one frame; tell the listeners of its room (or of alerts/reports) what changed.
export function applyFrame(f) {
  applyOne(f);
  emit('frame', f);
}

function applyOne(f) {
  if (f.type === 'alert' || f.type === 'alert_acknowledged') {
    const a = f.alert;
    if (a.status === 'open') state.alerts.set(a.alert_id, a);
    else state.alerts.delete(a.alert_id);
    return emit('alerts', { alert: a, fresh: f.type === 'alert' });
  }
  if (f.type === 'report') {
    state.reports.set(f.report.report_id, f.report);
    return emit('reports');
  }
  if (f.type === 'checkin_answer') return emit('checkin', f);
  if (f.type === 'cards_changed') return emit('cards', f);
  const room = state.rooms.get(f.room_id);
  if (!room) return undefined;
  if (f.type === 'left' && f.code) return emit('removed', { room, code: f.code, message: f.message });
  if (f.type === 'error') return emit('room', { room, what: 'error', error: f });
  const change = APPLY[f.type]?.(f, room);
  if (change) emit('room', { room, ...change });
  return undefined;
}
