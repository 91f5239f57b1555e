// One circle: the live message log, the phase and talking piece, check-ins, held and
// blocked messages explained kindly, and (for staff) the side panel W2 builds.

import { announce, fmtTime, h, humanize, mount } from '../dom.js';
import { ask, choose, confirmAction } from '../dialog.js';
import { connection, enterRoom, loadEarlier, request, typing, write } from '../session.js';
import { authorName, on, state } from '../store.js';
import { KIND_LABELS, notSentText, PHASE_TEXT, QUIET_PHASES, REACTIONS, ROLE_LABELS } from '../text.js';

const TYPING_SHOWN_MS = 4000;
const TOMBSTONES = {
  deleted: 'This message was deleted.',
  removed: 'A facilitator removed this message.',
  held: 'This message is waiting for a facilitator.',
};
const REACTION = Object.fromEntries(REACTIONS.map((r) => [r.key, r]));

export function renderRoom(main, { roomId }) {
  const room = state.rooms.get(roomId);
  if (!room) {
    mount(main, h('section', { class: 'view narrow', 'aria-labelledby': 'page-title' },
      h('h1', { id: 'page-title', tabindex: '-1' }, "This room isn't open to you right now"),
      h('p', {}, 'It may open once your care team has finished your clearance and you have accepted the agreement.'),
      h('a', { class: 'button-link', href: '#/' }, 'Back to your circles')));
    return () => {};
  }
  return new RoomView(main, room).cleanup;
}

class RoomView {
  constructor(main, room) {
    this.room = room;
    this.els = new Map();     // message_id -> element
    this.pendingEls = new Map(); // client_id -> element (sends not yet acknowledged)
    this.shown = new WeakMap(); // element -> signature of what it shows
    this.editing = null;
    this.showLog = false;
    this.errorTimer = 0;
    this.staffModule = null;
    this.build(main);
    const offs = [
      on('room', (change) => change.room === room && this.onChange(change)),
      on('status', () => this.renderPending()),
      on('removed', ({ room: r, message }) => r === room && this.showError(message || 'You were taken out of this room.')),
    ];
    const ticker = setInterval(() => this.renderTyping(), 1000);
    let panelCleanup = () => {};
    if (room.staff) {
      import('./staff.js').then((mod) => {
        this.staffModule = mod;
        if (!this.alive) return;
        this.panel.hidden = false;
        panelCleanup = mod.mountStaffPanel(room, this.panel) || (() => {});
      }).catch(() => { this.panel.hidden = true; });
    }
    this.alive = true;
    this.cleanup = () => {
      this.alive = false;
      offs.forEach((off) => off());
      clearInterval(ticker);
      clearTimeout(this.errorTimer);
      room.draft = this.editing ? room.draft : this.composer.value;
      panelCleanup();
    };
    this.renderAll();
    enterRoom(room);
    this.scrollToBottom();
  }

  // ---------- the page ----------

  build(main) {
    const room = this.room;
    this.title = h('h1', { id: 'page-title', class: 'room-title', tabindex: '-1' },
      h('span', { id: 'room-title' }, room.title));
    this.peopleSummary = h('summary', { id: 'people-summary' }, 'People');
    this.peopleList = h('ul', { id: 'people-list' });
    this.phaseBanner = h('div', { id: 'phase-banner', class: 'phase-banner' });
    this.roundStatus = h('div', { id: 'round-status', class: 'round-status', hidden: true });
    this.checkinCard = h('div', { id: 'checkin-card', class: 'card gentle checkin', hidden: true });
    this.quietScreen = h('div', { id: 'quiet-screen', class: 'quiet-screen', hidden: true });
    this.pinned = h('div', { id: 'pinned', class: 'pinned', hidden: true });
    this.loadEarlierButton = h('button', { id: 'load-earlier', class: 'quiet load-earlier', type: 'button', hidden: true,
      onclick: () => loadEarlier(room) }, 'Load earlier messages');
    this.empty = h('p', { id: 'empty-room', class: 'empty', hidden: true },
      "No messages yet. You're welcome to say hello whenever you feel ready.");
    this.log = h('div', { id: 'messages', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions',
      'aria-label': `Messages in ${room.title}` });
    this.log.addEventListener('click', (e) => this.onMessageClick(e));
    this.scroller = h('div', { id: 'scroller', class: 'scroller' }, this.loadEarlierButton, this.empty, this.log);
    this.scroller.addEventListener('scroll', () => {
      if (room.hasMore && !room.loadingHistory && this.scroller.scrollTop < 40) loadEarlier(room);
    }, { passive: true });
    this.typingLine = h('p', { id: 'typing', class: 'typing' });
    this.heldList = h('div', { id: 'held-list', class: 'held-list' });
    this.errorLine = h('p', { id: 'error-line', class: 'error-line', role: 'status' });
    this.editBanner = h('div', { id: 'edit-banner', class: 'edit-banner', hidden: true },
      h('span', {}, 'Editing your message'),
      h('button', { id: 'edit-cancel', class: 'quiet', type: 'button', onclick: () => { this.cancelEdit(); this.composer.focus(); } },
        'Cancel editing'));
    this.composer = h('textarea', { id: 'composer', rows: 2, enterkeyhint: 'send', maxlength: '4000',
      placeholder: 'Write to your circle…', 'aria-describedby': 'composer-hint', value: room.draft || '' });
    this.composer.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      } else if (e.key === 'Escape' && this.editing) {
        e.preventDefault();
        this.cancelEdit();
      }
    });
    this.composer.addEventListener('input', () => {
      if (!this.editing && this.composer.value.trim()) typing(room);
    });
    this.sendButton = h('button', { id: 'send', class: 'primary', type: 'submit' }, 'Send');
    this.composerHint = h('p', { id: 'composer-hint', class: 'hint' }, 'Enter sends · Shift+Enter starts a new line');
    this.form = h('form', { id: 'composer-form', class: 'composer' },
      h('label', { for: 'composer', class: 'visually-hidden' }, 'Your message'),
      this.composer, this.sendButton, this.composerHint);
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
    });
    this.panel = h('aside', { id: 'staff-panel', class: 'staff-panel', 'aria-label': 'Facilitator panel', hidden: true });

    const head = h('div', { class: 'room-head' },
      h('a', { id: 'back', class: 'back-link', href: '#/', 'aria-label': 'Back to your circles' }, '← Circles'),
      this.title,
      h('span', { class: 'room-kind' }, KIND_LABELS[room.kind] || humanize(room.kind)),
      h('details', { id: 'people', class: 'people' }, this.peopleSummary, this.peopleList));
    const chat = h('div', { class: 'room-main' }, head, this.phaseBanner, this.roundStatus, this.checkinCard,
      this.quietScreen, this.pinned, this.scroller,
      h('div', { class: 'composer-area' }, this.typingLine, this.heldList, this.errorLine, this.editBanner, this.form));
    mount(main, h('section', {
      id: 'view-room', class: 'view room', 'aria-labelledby': 'page-title',
      dataset: { roomId: room.id, kind: room.kind, staff: String(room.staff) },
    }, h('div', { class: 'room-layout' }, chat, this.panel)));
    document.title = `${room.title} · Integration Circles`;
  }

  onChange(change) {
    const { what } = change;
    if (what === 'reset') return this.renderAll();
    if (what === 'joined') { // a resume keeps the messages on screen (and keyboard focus in them)
      this.renderPeople();
      this.renderFlow();
      this.renderHeld();
      this.renderPending();
      return undefined;
    }
    if (what === 'history') return this.onHistory();
    if (what === 'message') return this.upsert(change.message);
    if (what === 'flow') {
      this.renderFlow();
      if (change.phaseChanged) announce(`The circle moved to ${PHASE_TEXT[change.phaseChanged]?.title || change.phaseChanged}.`);
      if (change.checkin === 'opened' && !this.room.staff) announce('Your facilitator is checking in with everyone.');
      if (change.round === 'round.turn' && this.room.flow.round?.current === this.room.memberId) {
        announce('You hold the talking piece now.');
      }
      return undefined;
    }
    if (what === 'people') return this.renderPeople();
    if (what === 'typing') return this.renderTyping();
    if (what === 'ack' || what === 'held') {
      this.renderPending();
      this.renderHeld();
      if (what === 'held' && change.clientId) {
        announce('Your message is waiting for a facilitator before the circle sees it.');
      }
      return undefined;
    }
    if (what === 'error') return this.onError(change.error);
    return undefined;
  }

  renderAll() {
    this.renderPeople();
    this.renderFlow();
    this.renderMessages();
    this.renderHeld();
    this.renderTyping();
  }

  // ---------- people, phase, round, check-in ----------

  renderPeople() {
    const room = this.room;
    const people = [...room.members.values()].sort((a, b) => a.display_name.localeCompare(b.display_name));
    const here = people.filter((p) => room.online.has(p.member_id)).length;
    this.peopleSummary.textContent = people.length ? `People · ${here} here now` : 'People';
    mount(this.peopleList, people.map((p) => {
      const online = room.online.has(p.member_id);
      return h('li', { class: online ? 'online' : 'away' },
        h('span', { class: 'person-name' }, p.display_name),
        p.member_id === room.memberId && h('span', { class: 'person-note' }, ' (you)'),
        p.role !== 'participant' && h('span', { class: 'person-note' }, ` · ${ROLE_LABELS[p.role] || humanize(p.role)}`),
        h('span', { class: 'presence' }, online ? 'here' : 'away'));
    }));
  }

  renderFlow() {
    const { room } = this;
    const flow = room.flow;
    const phase = flow.phase;
    const quiet = !room.staff && QUIET_PHASES.has(phase);
    this.phaseBanner.dataset.phase = phase || '';
    this.phaseBanner.hidden = !phase;
    if (phase) {
      const text = PHASE_TEXT[phase] || { title: humanize(phase), line: '' };
      const sig = `${phase}|${flow.locked}|${flow.premoderation}|${flow.slow_mode_s}`;
      if (this.shown.get(this.phaseBanner) !== sig) {
        this.shown.set(this.phaseBanner, sig);
        mount(this.phaseBanner,
          h('p', { class: 'phase-name' }, h('span', { class: 'phase-dot', 'aria-hidden': 'true' }),
            h('span', { id: 'phase-title' }, text.title)),
          h('p', { class: 'phase-line' }, text.line),
          flow.premoderation && h('p', { class: 'hint' }, 'A facilitator reads messages before the circle sees them.'),
          flow.slow_mode_s > 0 && h('p', { class: 'hint' }, `Slow mode: one message every ${flow.slow_mode_s} seconds.`));
      }
    }
    this.renderRound();
    this.renderCheckin();
    this.renderPinned();

    this.quietScreen.hidden = !quiet;
    if (quiet && this.shown.get(this.quietScreen) !== phase) {
      this.shown.set(this.quietScreen, phase);
      const journeying = phase === 'journey';
      mount(this.quietScreen,
        h('div', { class: 'quiet-art', 'aria-hidden': 'true' }),
        h('h2', { id: 'quiet-title' }, journeying ? 'The circle is journeying' : 'The circle is taking the medicine'),
        h('p', {}, journeying
          ? 'This is quiet time, turned inward. The room rests until integration; nothing here needs you now.'
          : 'The room is quiet while everyone settles in. The journey begins soon.'),
        h('p', {}, 'Your facilitators are here. If you need anything at all, ask for support — they are told at once.'),
        h('button', { id: 'quiet-show-log', type: 'button', class: 'quiet', 'aria-expanded': String(this.showLog),
          onclick: () => { this.showLog = !this.showLog; this.shown.delete(this.quietScreen); this.renderFlow(); } },
        this.showLog ? 'Hide the conversation' : 'Read the conversation so far'));
    }
    this.scroller.hidden = quiet && !this.showLog;
    const locked = flow.locked || phase === 'closed';
    this.form.hidden = quiet;
    this.composer.disabled = !room.staff && locked;
    this.sendButton.disabled = this.composer.disabled;
    let placeholder = 'Write to your circle…';
    const round = flow.round;
    if (!room.staff && locked) placeholder = phase === 'closed' ? 'This session has closed.' : 'This room is resting (read-only) for now.';
    else if (!room.staff && round?.current && round.current !== room.memberId) {
      placeholder = `Listening while ${authorName(room, round.current)} speaks…`;
    } else if (room.mutedUntil > Date.now()) placeholder = 'Your messages here are paused for a little while.';
    if (this.composer.placeholder !== placeholder) this.composer.placeholder = placeholder;
    if (!room.staff && locked && !this.editing) this.composerHint.textContent = 'You can still read and react.';
    else this.composerHint.textContent = 'Enter sends · Shift+Enter starts a new line';
  }

  renderRound() {
    const { room } = this;
    const round = room.flow.round;
    this.roundStatus.hidden = !round;
    if (!round) {
      this.roundStatus.replaceChildren();
      this.shown.delete(this.roundStatus);
      return;
    }
    const sig = JSON.stringify(round);
    if (this.shown.get(this.roundStatus) === sig) return;
    this.shown.set(this.roundStatus, sig);
    const mine = round.current === room.memberId;
    const holder = round.current ? (mine ? 'You' : authorName(room, round.current)) : 'Nobody';
    const next = round.next ? (round.next === room.memberId ? 'you' : authorName(room, round.next)) : '';
    const children = [
      h('p', { class: 'round-line' }, h('span', { class: 'talking-piece', 'aria-hidden': 'true' }),
        h('span', { id: 'round-current' }, holder), mine ? ' hold the talking piece.' : ' holds the talking piece.'),
      next && h('p', { class: 'hint', id: 'round-next' }, `Next: ${next}`),
    ];
    if (mine && !room.staff) {
      children.push(h('p', { class: 'hint' }, "Share when you're ready. Take the time you need."),
        h('div', { class: 'round-actions' },
          h('button', { id: 'round-finish', type: 'button', class: 'primary', onclick: () => this.turn('finish') }, "I'm done sharing"),
          h('button', { id: 'round-pass', type: 'button', onclick: () => this.turn('pass') }, 'Pass')));
    }
    mount(this.roundStatus, children);
  }

  async turn(how) {
    try {
      await request({ type: 'turn', room_id: this.room.id, how });
      this.composer.focus();
    } catch (err) {
      this.showError(err.message);
    }
  }

  renderCheckin() {
    const { room } = this;
    const id = room.flow.checkin_id;
    const open = Boolean(id) && !room.staff;
    this.checkinCard.hidden = !open;
    if (!open) {
      this.shown.delete(this.checkinCard);
      return;
    }
    const answered = room.answered.has(id);
    const sig = `${id}|${answered}|${room.checkinPrompt}`;
    if (this.shown.get(this.checkinCard) === sig) return;
    this.shown.set(this.checkinCard, sig);
    if (answered) {
      mount(this.checkinCard, h('p', { id: 'checkin-thanks', role: 'status' },
        'Thank you. Your facilitators have your answer.'));
      return;
    }
    const note = h('textarea', { id: 'checkin-note', rows: 2, maxlength: '1000', 'aria-describedby': 'checkin-note-hint' });
    const error = h('p', { class: 'form-error', 'aria-live': 'polite' });
    const answer = async (value, button) => {
      if (button.getAttribute('aria-busy') === 'true') return;
      button.setAttribute('aria-busy', 'true');
      try {
        await request({ type: 'checkin_answer', room_id: room.id, checkin_id: id, answer: value, note: note.value.trim() });
        room.answered.add(id);
        this.shown.delete(this.checkinCard);
        this.renderCheckin();
        this.checkinCard.querySelector('#checkin-thanks')?.focus?.();
        announce(value === 'ok' ? 'Thank you for checking in.' : 'Your facilitators know you would like support.');
      } catch (err) {
        error.textContent = err.message;
      } finally {
        button.removeAttribute('aria-busy');
      }
    };
    const ok = h('button', { id: 'checkin-ok', type: 'button', class: 'primary' }, "I'm okay");
    const need = h('button', { id: 'checkin-need', type: 'button' }, "I'd like some support");
    ok.addEventListener('click', () => answer('ok', ok));
    need.addEventListener('click', () => answer('need_support', need));
    mount(this.checkinCard,
      h('h2', { id: 'checkin-title' }, 'Check-in'),
      h('p', { id: 'checkin-prompt' }, room.checkinPrompt || 'How are you doing right now?'),
      h('div', { class: 'checkin-actions' }, ok, need),
      h('label', { for: 'checkin-note' }, 'A note for your facilitators (optional)'),
      note,
      h('p', { id: 'checkin-note-hint', class: 'hint' }, 'Only your facilitators see this note.'),
      error);
  }

  renderPinned() {
    const { room } = this;
    const pinned = (room.flow.pinned || []).map((id) => room.msgs.get(id)).filter((m) => m?.state === 'visible');
    this.pinned.hidden = !pinned.length;
    const sig = JSON.stringify(pinned.map((m) => [m.message_id, m.body]));
    if (this.shown.get(this.pinned) === sig) return;
    this.shown.set(this.pinned, sig);
    mount(this.pinned, h('p', { class: 'pinned-title' }, 'Pinned'),
      h('ul', {}, pinned.map((m) => h('li', {},
        h('a', { href: `#msg-${m.message_id}`, onclick: (e) => { e.preventDefault(); this.focusMessage(m.message_id); } },
          `${authorName(room, m.author_id)}: ${m.body}`)))));
  }

  focusMessage(messageId) {
    const el = this.els.get(messageId);
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    el.focus({ preventScroll: true });
  }

  renderTyping() {
    if (!this.alive) return;
    const { room } = this;
    const now = Date.now();
    const names = [];
    for (const [id, at] of room.typing) {
      if (now - at > TYPING_SHOWN_MS) room.typing.delete(id);
      else names.push(authorName(room, id));
    }
    const text = names.length > 2 ? 'Several people are typing…'
      : names.length ? `${names.join(' and ')} ${names.length > 1 ? 'are' : 'is'} typing…` : '';
    if (this.typingLine.textContent !== text) this.typingLine.textContent = text;
  }

  // ---------- messages ----------

  // Batches (history, re-renders) are not read out one by one.
  quietly(fn) {
    this.log.setAttribute('aria-live', 'off');
    try { fn(); } finally { setTimeout(() => this.log.setAttribute('aria-live', 'polite'), 50); }
  }

  renderMessages() {
    const { room } = this;
    this.els.clear();
    this.pendingEls.clear();
    const nodes = [...room.msgs.values()].sort((a, b) => a.seq - b.seq).map((m) => {
      const el = this.fill(h('article', { tabindex: '-1' }), m);
      this.els.set(m.message_id, el);
      return el;
    });
    this.quietly(() => this.log.replaceChildren(...nodes));
    this.renderPending();
    this.updateChrome();
  }

  onHistory() {
    const fromBottom = this.scroller.scrollHeight - this.scroller.scrollTop;
    const stick = this.nearBottom() || this.els.size === 0;
    this.quietly(() => {
      for (const m of this.room.msgs.values()) this.upsert(m, { quiet: true });
    });
    this.updateChrome();
    this.renderPinned();
    if (stick) this.scrollToBottom();
    else this.scroller.scrollTop = this.scroller.scrollHeight - fromBottom; // keep the reader's place
  }

  updateChrome() {
    const { room } = this;
    this.loadEarlierButton.hidden = !room.hasMore;
    this.empty.hidden = !room.loaded || room.loadingHistory || this.log.childElementCount > 0;
  }

  // Show a message in seq order; an element moves only when it must (no double read-outs).
  upsert(m, { quiet = false } = {}) {
    if (!m?.message_id) return;
    const pendingEl = this.pendingEls.get(m.client_id);
    const mine = m.author_id === this.room.memberId;
    const stick = !quiet && (this.nearBottom() || (mine && pendingEl));
    let el = this.els.get(m.message_id);
    if (!el && pendingEl && mine) { // our own message is back: the pending bubble becomes it
      el = pendingEl;
      this.pendingEls.delete(m.client_id);
    }
    el ||= h('article', { tabindex: '-1' });
    this.els.set(m.message_id, el);
    this.fill(el, m);
    this.insertSorted(el, m.seq);
    if (!quiet) {
      this.updateChrome();
      if ((this.room.flow.pinned || []).includes(m.message_id)) this.renderPinned();
      if (stick) this.scrollToBottom();
    }
  }

  insertSorted(el, seq) {
    let ref = null;
    for (let c = this.log.lastElementChild; c; c = c.previousElementSibling) {
      if (c === el) continue;
      if (c.dataset.seq && Number(c.dataset.seq) < seq) break;
      ref = c;
    }
    if (el.parentNode !== this.log || el.nextElementSibling !== ref) this.log.insertBefore(el, ref);
  }

  // Sends that are not acknowledged yet: "Sending…", "Waiting for the connection…", or not sent.
  renderPending() {
    const socket = connection();
    if (!socket || !this.alive) return;
    const { room } = this;
    const delivered = new Set([...room.msgs.values()].map((m) => m.client_id));
    const entries = socket.pendingSends(room.id).filter((p) => !delivered.has(p.clientId));
    const keep = new Set(entries.map((p) => p.clientId));
    for (const [clientId, el] of this.pendingEls) {
      if (!keep.has(clientId)) {
        el.remove();
        this.pendingEls.delete(clientId);
      }
    }
    for (const p of entries) {
      let el = this.pendingEls.get(p.clientId);
      if (!el) {
        el = h('article', { tabindex: '-1' });
        this.pendingEls.set(p.clientId, el);
        this.log.append(el);
      }
      this.fill(el, {
        pending: true, failed: p.failed, error: p.error, client_id: p.clientId, body: p.body,
        author_id: room.memberId, state: 'visible', created_at: p.createdAt,
      });
    }
    this.updateChrome();
  }

  fill(el, m) {
    const { room } = this;
    const focusedKey = el.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    const mine = Boolean(m.pending) || m.author_id === room.memberId;
    const visible = m.state === 'visible';
    const pinned = (room.flow.pinned || []).includes(m.message_id);
    el.className = ['msg', mine && 'mine', m.pending && 'pending', m.failed && 'failed', !visible && 'tombstone',
      pinned && 'pinned'].filter(Boolean).join(' ');
    if (m.pending) {
      el.removeAttribute('id');
      Object.assign(el.dataset, { clientId: m.client_id });
      delete el.dataset.messageId;
      delete el.dataset.seq;
    } else {
      el.id = `msg-${m.message_id}`;
      Object.assign(el.dataset, { messageId: m.message_id, seq: String(m.seq), authorId: m.author_id,
        state: m.state, clientId: m.client_id || '' });
    }
    const name = mine ? 'You' : authorName(room, m.author_id);
    const role = room.members.get(m.author_id)?.role;
    const roleText = !mine && role && role !== 'participant' ? ROLE_LABELS[role] : '';
    // Rebuild the text only when it changed: re-added nodes would be read out again.
    // (The time is left out: a pending message turning into the stored one keeps its node.)
    const sig = JSON.stringify([name, roleText, m.state, m.body, m.edited_at, pinned]);
    if (this.shown.get(el) !== sig) {
      this.shown.set(el, sig);
      const meta = h('p', { class: 'meta' },
        h('span', { class: 'msg-author author' }, name),
        roleText && h('span', { class: 'role' }, roleText),
        h('time', { class: 'msg-time' }),
        visible && m.edited_at && h('span', { class: 'msg-edited edited' }, 'edited'),
        pinned && h('span', { class: 'pin-mark' }, 'pinned'));
      const text = visible ? m.body || '' : TOMBSTONES[m.state] || 'This message is not available.';
      el.replaceChildren(meta, h('p', { class: visible ? 'msg-body body' : 'msg-body body quiet-note' }, text),
        h('div', { class: 'msg-foot' }));
    }
    const time = el.querySelector('time');
    if (m.created_at && time.dateTime !== m.created_at) {
      time.dateTime = m.created_at;
      time.textContent = fmtTime(m.created_at);
    }
    this.fillFoot(el.querySelector('.msg-foot'), m, mine, visible);
    if (focusedKey) { // keep keyboard focus in place; if its control is gone, on the message
      (el.querySelector(`[data-key="${focusedKey}"]`) || el).focus({ preventScroll: true });
    }
    return el;
  }

  // Under the text: the pending state, or the reactions and the actions.
  fillFoot(foot, m, mine, visible) {
    const { room } = this;
    let sig;
    if (m.pending) sig = JSON.stringify(['pending', m.failed, m.error?.code, state.connection]);
    else sig = JSON.stringify([visible, m.reactions || {}]);
    if (this.shown.get(foot) === sig) return;
    this.shown.set(foot, sig);
    if (m.pending) {
      if (!m.failed) {
        const waiting = !connection()?.ready;
        mount(foot, h('p', { class: 'status-note' }, waiting
          ? 'Waiting for the connection — this will be sent when you are back online.' : 'Sending…'));
        return;
      }
      mount(foot,
        h('p', { class: 'status-note not-sent' }, m.error ? notSentText(m.error) : 'Not sent.'),
        h('div', { class: 'msg-tools' },
          h('button', { type: 'button', class: 'msg-fix', dataset: { action: 'fix', key: 'fix' } }, 'Edit and send again'),
          h('button', { type: 'button', class: 'msg-retry', dataset: { action: 'retry', key: 'retry' } }, 'Try again'),
          h('button', { type: 'button', class: 'quiet msg-discard', dataset: { action: 'discard', key: 'discard' } }, 'Discard')));
      return;
    }
    if (!visible) {
      foot.replaceChildren();
      return;
    }
    const reactions = Object.entries(m.reactions || {}).filter(([, who]) => who.length);
    const mineResonate = (m.reactions?.resonate || []).includes(room.memberId);
    mount(foot,
      reactions.length > 0 && h('div', { class: 'reactions', role: 'group', 'aria-label': 'Reactions' },
        reactions.map(([key, who]) => {
          const r = REACTION[key] || { label: humanize(key), symbol: '•' };
          const pressed = who.includes(room.memberId);
          return h('button', {
            type: 'button', class: 'reaction', 'aria-pressed': String(pressed),
            'aria-label': `${r.label}: ${who.length} ${who.length === 1 ? 'person' : 'people'}${pressed ? ', including you' : ''}`,
            title: r.hint || r.label, dataset: { action: 'react', reaction: key, key: `reaction-${key}` },
          }, h('span', { 'aria-hidden': 'true' }, `${r.symbol} ${who.length}`));
        })),
      h('div', { class: 'msg-tools' },
        h('button', { type: 'button', class: 'msg-react', 'aria-pressed': String(mineResonate), title: "I've felt that too",
          dataset: { action: 'react', reaction: 'resonate', key: 'resonate' } }, mineResonate ? 'Resonating' : 'Resonate'),
        h('button', { type: 'button', class: 'msg-more', 'aria-haspopup': 'dialog',
          'aria-label': `More actions for the message from ${mine ? 'you' : authorName(room, m.author_id)}`,
          dataset: { action: 'more', key: 'more' } }, 'More')));
  }

  async onMessageClick(e) {
    const button = e.target.closest('button[data-action]');
    const el = button?.closest('.msg');
    if (!el) return;
    const { room } = this;
    const { action } = button.dataset;
    const socket = connection();
    if (el.dataset.clientId && el.classList.contains('pending')) {
      const clientId = el.dataset.clientId;
      const entry = socket.pendingSends(room.id).find((p) => p.clientId === clientId);
      if (action === 'retry') socket.retry(clientId);
      if (action === 'fix' && entry) {
        socket.discard(clientId);
        this.composer.value = entry.body;
        this.composer.focus();
      }
      if (action === 'discard') {
        socket.discard(clientId);
        this.composer.focus();
      }
      this.renderPending();
      return;
    }
    const m = room.msgs.get(el.dataset.messageId);
    if (!m || m.state !== 'visible') return;
    if (action === 'react') this.react(m, button.dataset.reaction);
    if (action === 'more') await this.openMenu(m, button);
  }

  react(m, reaction) {
    const on = !(m.reactions?.[reaction] || []).includes(this.room.memberId);
    write(this.room, { type: 'react', message_id: m.message_id, reaction, on });
  }

  async openMenu(m, opener) {
    const { room } = this;
    const mine = m.author_id === room.memberId;
    const options = REACTIONS.map((r) => ({
      value: `react:${r.key}`, label: `${r.symbol} ${r.label}${r.hint ? ` — ${r.hint}` : ''}`,
      pressed: (m.reactions?.[r.key] || []).includes(room.memberId),
    }));
    if (mine) options.push({ value: 'edit', label: 'Edit' }, { value: 'delete', label: 'Delete' });
    else options.push({ value: 'report', label: 'Tell a facilitator about this message' });
    let staffActions = [];
    if (room.staff && this.staffModule?.messageActions) {
      try { staffActions = this.staffModule.messageActions(room, m) || []; } catch { staffActions = []; }
      staffActions.forEach((a, i) => options.push({ value: `staff:${i}`, label: a.label }));
    }
    const chosen = await choose({ title: 'Message actions', options });
    if (!chosen) {
      opener.focus();
      return;
    }
    if (chosen.startsWith('react:')) this.react(m, chosen.slice(6));
    else if (chosen === 'edit') this.startEdit(m);
    else if (chosen === 'delete') await this.deleteMessage(m);
    else if (chosen === 'report') await this.report(m);
    else if (chosen.startsWith('staff:')) await staffActions[Number(chosen.slice(6))]?.run();
    if (chosen !== 'edit' && (!document.activeElement || document.activeElement === document.body)) {
      (opener.isConnected ? opener : opener.closest('.msg') || this.composer).focus();
    }
  }

  async deleteMessage(m) {
    const ok = await confirmAction('Delete this message?',
      'Its text is erased for everyone. Others will see that a message was deleted.', 'Delete');
    if (ok) write(this.room, { type: 'delete', message_id: m.message_id });
  }

  async report(m) {
    const reason = await ask({
      title: 'Tell a facilitator', label: 'What feels wrong about this message?', multiline: true,
      text: 'Only your facilitators see this. The author is not told who asked.', confirm: 'Send to facilitators', required: true,
    });
    if (!reason) return;
    try {
      await request({ type: 'report', room_id: this.room.id, message_id: m.message_id, reason });
      announce('Thank you. Your facilitators will take a look.');
      this.showError('Thank you. Your facilitators will take a look.');
    } catch (err) {
      this.showError(err.message);
    }
  }

  startEdit(m) {
    if (!this.editing) this.room.draft = this.composer.value;
    this.editing = m.message_id;
    this.composer.value = m.body || '';
    this.editBanner.hidden = false;
    this.sendButton.textContent = 'Save';
    this.composer.focus();
  }

  cancelEdit() {
    if (!this.editing) return;
    this.editing = null;
    this.composer.value = this.room.draft || '';
    this.editBanner.hidden = true;
    this.sendButton.textContent = 'Send';
  }

  submit() {
    const body = this.composer.value.trim();
    if (!body) return;
    this.showError('');
    if (this.editing) {
      write(this.room, { type: 'edit', message_id: this.editing, body });
      this.cancelEdit();
      return;
    }
    write(this.room, { type: 'send', body });
    this.composer.value = '';
    this.room.draft = '';
    this.renderPending();
    this.scrollToBottom();
  }

  onError(error) {
    if (error.command === 'send') {
      this.renderPending();
      if (error.code === 'contact_info_blocked') announce('Your message was not sent. It looks like it has contact details.');
      else announce('Your message was not sent.');
      return;
    }
    if (['edit', 'react', 'delete', 'remove'].includes(error.command)) {
      this.showError(error.command === 'edit' ? `Your edit was not saved. ${notSentText(error)}` : notSentText(error));
      return;
    }
    if (String(error.ref || '').startsWith('history:')) {
      this.updateChrome();
      return;
    }
    if (String(error.ref || '').startsWith('join:')) {
      this.showError(error.message || "This room isn't available right now.");
    }
  }

  showError(text) {
    clearTimeout(this.errorTimer);
    this.errorLine.textContent = text || '';
    if (text) this.errorTimer = setTimeout(() => { this.errorLine.textContent = ''; }, 15000);
  }

  // ---------- held messages (pre-moderation) ----------

  renderHeld() {
    const { room } = this;
    if (room.staff) {
      this.heldList.replaceChildren();
      return;
    }
    const mine = [...room.pending.values()].filter((p) => p.author_id === room.memberId);
    const sig = JSON.stringify(mine.map((p) => [p.pending_id, p.status, p.reason]));
    if (this.shown.get(this.heldList) === sig) return;
    this.shown.set(this.heldList, sig);
    mount(this.heldList, mine.map((p) => {
      const rejected = p.status === 'rejected';
      return h('div', { class: `held card gentle${rejected ? ' rejected' : ''}`, dataset: { pendingId: p.pending_id } },
        h('p', { class: 'held-title' }, rejected ? 'Not shared with the circle' : 'Waiting for a facilitator'),
        h('p', { class: 'held-body' }, p.body || ''),
        h('p', { class: 'hint held-why' }, rejected
          ? `A facilitator decided not to share this message with the circle${p.reason ? `: “${p.reason}”` : '.'} `
            + 'You are welcome to reach out to them in your support room.'
          : 'This circle is moderated right now, so a facilitator reads messages before everyone sees them. '
            + "Yours is safe and waiting; it will appear in the conversation once it's approved."),
        rejected && h('button', { type: 'button', class: 'quiet', dataset: { key: `dismiss-${p.pending_id}` },
          onclick: () => { room.pending.delete(p.pending_id); this.renderHeld(); this.composer.focus(); } }, 'Dismiss'));
    }));
  }

  // ---------- scrolling ----------

  nearBottom() {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
  }

  scrollToBottom() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }
}
