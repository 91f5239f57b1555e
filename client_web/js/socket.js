// One WebSocket for every room (docs/protocol.md §2.4, §3–§8): sign-in frame, resume with
// `after` per room, gapless seqs, unacknowledged writes re-sent with the same client_id,
// reconnect with jittered backoff, and a connection status a person can read.

const RETRY_SAME = new Set(['rate_limited', 'storage_unavailable', 'internal', 'sequence_contention',
  'server_restarting']);
const PING_EVERY_MS = 20000;
const SILENT_LIMIT_MS = 50000;

export const STATUS = {
  connecting: 'Connecting…',
  online: 'Connected',
  back: 'Back online',
  reconnecting: 'Reconnecting…',
  offline: "You're offline. We'll reconnect when you're back.",
};

// hooks: token() → access token; refresh() → Promise<bool>; onFrame(frame); onStatus(key);
// onClosed(why) with why one of 'signed_out', 'expired', 'revoked'.
export function createSocket(hooks) {
  let ws = null;
  let ready = false;
  let everReady = false;
  let authRetried = false;
  let attempt = 0;
  let retryTimer = 0;
  let lastFrameAt = 0;
  let stopped = true;
  let nextRef = 0;
  const rooms = new Map();    // room_id -> { last: seq applied or null, live, resyncing }
  const outbox = new Map();   // client_id -> { frame, sentOn, failed }: writes not yet acknowledged
  const requests = new Map(); // ref -> { resolve, reject }

  const status = (key) => hooks.onStatus(key);

  // Unsent messages survive a reload of the tab (sessionStorage: this tab only) and are
  // re-sent with the same client_id, so the server stores each one once.
  const SAVED = 'ic.outbox';
  function save() {
    const sends = [...outbox.values()].filter((e) => e.frame.type === 'send')
      .map(({ frame, failed, error, createdAt }) => ({ frame, failed, error, createdAt }));
    try {
      if (sends.length) sessionStorage.setItem(SAVED, JSON.stringify(sends));
      else sessionStorage.removeItem(SAVED);
    } catch { /* storage full or disabled: keep them in memory only */ }
  }
  try {
    for (const e of JSON.parse(sessionStorage.getItem(SAVED) || '[]')) {
      if (e?.frame?.type !== 'send' || !e.frame.client_id || !e.frame.room_id) continue;
      outbox.set(e.frame.client_id, { ...e, sentOn: null });
      if (!rooms.has(e.frame.room_id)) rooms.set(e.frame.room_id, { last: null, live: false, resyncing: false });
    }
  } catch { sessionStorage.removeItem(SAVED); }

  function rawSend(frame) {
    if (!ready || ws?.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  function connect() {
    clearTimeout(retryTimer);
    if (stopped || ws || !hooks.token()) return;
    if (!navigator.onLine) return status('offline');
    status(everReady ? 'reconnecting' : 'connecting');
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`);
    ws = socket;
    socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', token: hooks.token() }));
    socket.onclose = (e) => onClose(e.code, e.reason);
    socket.onmessage = (e) => {
      lastFrameAt = Date.now();
      let frame;
      try { frame = JSON.parse(e.data); } catch { return; }
      if (frame && typeof frame === 'object') receive(frame);
    };
  }

  function drop() {
    const socket = ws;
    ws = null;
    ready = false;
    for (const room of rooms.values()) Object.assign(room, { live: false, resyncing: false });
    for (const entry of outbox.values()) entry.sentOn = null;
    for (const [ref, waiter] of requests) {
      requests.delete(ref);
      waiter.reject(Object.assign(new Error("The connection dropped before that went through. Please try again."),
        { code: 'connection_lost' }));
    }
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    try { socket.close(1000); } catch { /* already closed */ }
  }

  function scheduleReconnect() {
    clearTimeout(retryTimer);
    if (stopped) return;
    if (!navigator.onLine) return status('offline'); // the "online" event reconnects
    const step = Math.min(10000, 500 * 2 ** attempt++); // 0.5 s, 1 s, 2 s … 10 s
    status('reconnecting');
    retryTimer = setTimeout(connect, step / 2 + Math.random() * (step / 2));
  }

  async function onClose(code, reason) {
    drop();
    if (stopped) return;
    if (code === 4001 && reason === 'signed out') return hooks.onClosed('signed_out');
    if (code === 4001) { // the token was refused: refresh once, else sign in again
      if (authRetried) return hooks.onClosed('expired');
      authRetried = true;
      let ok;
      try { ok = await hooks.refresh(); } catch { return scheduleReconnect(); }
      return ok ? connect() : hooks.onClosed('expired');
    }
    if (code === 4003) hooks.onClosed('revoked');
    scheduleReconnect(); // restarts, a lost network, a slow reader, anything else
  }

  function sendJoin(roomId) {
    const room = rooms.get(roomId);
    room.live = false;
    const frame = { type: 'join', room_id: roomId, ref: `join:${roomId}` };
    if (room.last != null) frame.after = room.last;
    rawSend(frame);
  }

  // Send each unacknowledged write of this room that this socket hasn't carried yet.
  function flush(roomId) {
    if (!rooms.get(roomId)?.live) return;
    for (const entry of outbox.values()) {
      if (entry.frame.room_id !== roomId || entry.failed || entry.sentOn === ws) continue;
      if (rawSend(entry.frame)) entry.sentOn = ws;
    }
  }

  function receive(f) {
    if (f.type === 'ready') {
      ready = true;
      authRetried = false;
      attempt = 0;
      status(everReady ? 'back' : 'online');
      everReady = true;
      for (const roomId of rooms.keys()) sendJoin(roomId);
    } else if (f.type === 'joined') {
      const room = rooms.get(f.room_id);
      if (!room) return;
      Object.assign(room, { live: true, resyncing: false });
      if (f.resume === 'fresh' || f.resume === 'reload' || room.last == null) room.last = f.head;
    } else if (f.type === 'event') {
      const room = rooms.get(f.room_id);
      if (!room || room.last == null || !Number.isInteger(f.seq) || f.seq <= room.last) return; // seen
      if (f.seq > room.last + 1) { // a gap: the replay of a re-join brings this one too
        if (!room.resyncing) sendJoin(f.room_id);
        room.resyncing = true;
        return;
      }
      room.last = f.seq;
    } else if (f.type === 'ack' && outbox.has(f.client_id)) {
      const entry = outbox.get(f.client_id);
      Object.assign(f, { room_id: f.room_id || entry.frame.room_id, command: entry.frame.type,
        body: entry.frame.body, created_at: entry.createdAt });
      outbox.delete(f.client_id);
      save();
    } else if (f.type === 'error' && !settleError(f)) {
      return;
    }
    const waiter = f.ref && requests.get(f.ref);
    if (waiter) {
      requests.delete(f.ref);
      if (f.type === 'error') waiter.reject(Object.assign(new Error(f.message), f));
      else waiter.resolve(f);
    }
    hooks.onFrame(f);
    if (f.type === 'joined') flush(f.room_id);
  }

  // An error for a write: retry what a retry can fix, else mark it failed. False: handled quietly.
  function settleError(f) {
    if (f.ref === 'ping' || f.ref === 'typing') return false;
    const [kind, roomId] = String(f.ref || '').split(':');
    if ((kind === 'join' || kind === 'history') && roomId) f.room_id ||= roomId;
    if (kind === 'join' && rooms.has(roomId)) rooms.delete(roomId); // not allowed in
    const entry = f.client_id && outbox.get(f.client_id);
    if (!entry) return true;
    // Errors carry no room: say which room and which command this was about.
    Object.assign(f, { room_id: f.room_id || entry.frame.room_id, command: entry.frame.type });
    if (RETRY_SAME.has(f.code)) {
      entry.sentOn = null;
      const wait = f.code === 'rate_limited' ? Number(f.retry_after_s) || 2 : 1 + Math.random() * 2;
      setTimeout(() => flush(entry.frame.room_id), Math.max(0.3, wait) * 1000);
      return f.code !== 'rate_limited' && f.code !== 'server_restarting';
    }
    if (entry.frame.type === 'send') { // stays, so the person can fix or discard it
      entry.failed = true;
      entry.error = { ...f };
    } else outbox.delete(f.client_id);
    save();
    return true;
  }

  function onOnline() {
    attempt = 0;
    connect();
  }

  function onOffline() { // the socket is as good as gone; resume when back
    if (stopped) return;
    drop();
    clearTimeout(retryTimer);
    status('offline');
  }

  // Notice a silently dead connection; the pings also keep idle proxies from closing it.
  const pinger = setInterval(() => {
    if (!ready) return;
    if (Date.now() - lastFrameAt < SILENT_LIMIT_MS) return rawSend({ type: 'ping', ref: 'ping' });
    drop();
    scheduleReconnect();
  }, PING_EVERY_MS);

  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);

  return {
    start() { stopped = false; connect(); },
    stop() {
      stopped = true;
      clearTimeout(retryTimer);
      clearInterval(pinger);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      drop();
      outbox.clear();
      sessionStorage.removeItem(SAVED); // signed out: nothing of this person stays in the tab
    },
    get ready() { return ready; },
    isLive: (roomId) => Boolean(rooms.get(roomId)?.live),
    join(roomId) {
      if (rooms.has(roomId)) return;
      rooms.set(roomId, { last: null, live: false, resyncing: false });
      sendJoin(roomId);
    },
    // Start a room over from history (a reload): forget the seq, join fresh.
    rejoinFresh(roomId) {
      if (!rooms.has(roomId)) return;
      rooms.get(roomId).last = null;
      sendJoin(roomId);
    },
    forget(roomId) {
      if (rooms.delete(roomId)) rawSend({ type: 'leave', room_id: roomId });
      for (const [id, entry] of outbox) if (entry.frame.room_id === roomId) outbox.delete(id);
      save();
    },
    send: rawSend, // history, typing: fine to lose
    // A write (send, edit, delete, react, remove) with a fresh client_id; kept until acknowledged.
    write(frame) {
      const clientId = crypto.randomUUID();
      outbox.set(clientId, {
        frame: { ...frame, client_id: clientId }, sentOn: null, failed: false, error: null,
        createdAt: new Date().toISOString(),
      });
      save();
      flush(frame.room_id);
      return clientId;
    },
    pendingSends: (roomId) => [...outbox.entries()]
      .filter(([, e]) => e.frame.type === 'send' && e.frame.room_id === roomId)
      .map(([clientId, e]) => ({ clientId, body: e.frame.body, failed: e.failed, error: e.error, createdAt: e.createdAt })),
    retry(clientId) {
      const entry = outbox.get(clientId);
      if (!entry) return;
      Object.assign(entry, { failed: false, error: null, sentOn: null });
      save();
      flush(entry.frame.room_id);
    },
    discard(clientId) {
      outbox.delete(clientId);
      save();
    },
    // A command whose reply matters (staff actions, check-in answers): resolves with the
    // reply, rejects with the error frame (its `code` and kind `message`).
    request(frame) {
      const ref = `r${++nextRef}`;
      return new Promise((resolve, reject) => {
        if (!rawSend({ ...frame, ref })) {
          reject(Object.assign(new Error("You're offline right now. Please try again in a moment."),
            { code: 'offline' }));
          return;
        }
        requests.set(ref, { resolve, reject });
      });
    },
  };
}
