// Staff actions on one message (remove with a reason, pin, mute the author, remove the author
// from the room) and the small helpers the panel shares with them.

import { api } from '../api.js';
import { ask, choose, confirmAction } from '../dialog.js';
import { announce, fmtTime } from '../dom.js';
import { request } from '../session.js';
import { authorName, emit, state } from '../store.js';

// What this screen did to people in a room: the server never lists mutes or removals.
const rooms = new Map(); // room_id -> { muted: Map(member_id -> until_ms), removed: Set(member_id) }
export function moderation(roomId) {
  if (!rooms.has(roomId)) rooms.set(roomId, { muted: new Map(), removed: new Set() });
  return rooms.get(roomId);
}

export const muteChoices = () => [
  { label: '5 minutes', value: 300 },
  { label: '15 minutes', value: 900 },
  { label: '1 hour', value: 3600 },
  { label: 'Until tomorrow (24 hours)', value: 86400 },
];

// Tell the facilitator what happened (or what went wrong) where they are looking.
export function tell(text, control = null) {
  const section = control?.closest?.('.staff-section, .lead-section');
  let line = section?.querySelector(':scope > .staff-error');
  if (section && !line) {
    line = document.createElement('p');
    line.className = 'staff-error';
    line.setAttribute('role', 'status');
    section.append(line);
  }
  if (line) line.textContent = text;
  const status = document.getElementById('staff-status');
  if (status && !line) status.textContent = text;
  if (!line && !status) announce(text); // both of those are status regions already
}

// Run a command from a control: busy while it runs, a kind error next to it if it fails.
export async function runAction(control, run) {
  if (control.getAttribute('aria-busy') === 'true') return;
  control.setAttribute('aria-busy', 'true');
  const section = control.closest('.staff-section, .lead-section');
  const old = section?.querySelector(':scope > .staff-error');
  if (old) old.textContent = '';
  try {
    await run();
  } catch (err) {
    tell(err.message || 'That didn’t work. Please try again.', control.isConnected ? control : section);
  } finally {
    control.removeAttribute('aria-busy');
  }
}

export async function removeMessage(room, messageId) {
  const m = room.msgs.get(messageId);
  const who = m ? authorName(room, m.author_id) : 'this person';
  const reason = await ask({
    title: 'Remove this message?',
    text: `The text disappears for everyone; a note that a facilitator removed it stays. ${who} is not told the reason.`,
    label: 'Reason (for the audit log)', value: '', confirm: 'Remove message', required: true,
  });
  if (!reason) return false;
  await request({ type: 'remove', room_id: room.id, message_id: messageId, reason, client_id: crypto.randomUUID() });
  tell('Message removed.');
  return true;
}

export async function resolveReport(reportId, resolution) {
  try {
    await api.post(`/api/reports/${encodeURIComponent(reportId)}/resolve`, { resolution });
  } catch (err) {
    if (err.code !== 'already_resolved' && err.code !== 'report_not_found') throw err;
  }
  state.reports.delete(reportId);
  emit('reports');
}

async function pin(room, msg, on) {
  await request({ type: 'pin', room_id: room.id, message_id: msg.message_id, on, client_id: crypto.randomUUID() });
  tell(on ? 'Pinned for everyone.' : 'Unpinned.');
}

async function mute(room, memberId) {
  const name = authorName(room, memberId);
  const seconds = await choose({ title: `Mute ${name} in this room for…`, options: muteChoices() });
  if (!seconds) return;
  const reply = await request({ type: 'mute', room_id: room.id, member_id: memberId, seconds });
  moderation(room.id).muted.set(memberId, reply.until_ms || 0);
  tell(`${name} is muted until ${fmtTime(reply.until_ms)}. They can still ask for support.`);
  emit('room', { room, what: 'people' });
}

async function removeFromRoom(room, memberId) {
  const name = authorName(room, memberId);
  if (!await confirmAction(`Ask ${name} to step out of this room?`,
    'They leave the room at once and can’t read or post here until you let them back.', 'Remove from room')) return;
  await request({ type: 'remove_member', room_id: room.id, member_id: memberId });
  moderation(room.id).removed.add(memberId);
  tell(`${name} was removed from the room.`);
  emit('room', { room, what: 'people' });
}

// Errors from a menu action have nowhere to show: say them in the panel and aloud.
const guarded = (run) => async () => {
  try {
    await run();
  } catch (err) {
    tell(err.message || 'That didn’t work. Please try again.');
  }
};

// The staff part of a message's "More actions" menu (W1 adds edit/delete/report before these).
export function messageActions(room, msg) {
  if (!room.staff || msg.state !== 'visible' || !msg.message_id) return [];
  const pinned = (room.flow.pinned || []).includes(msg.message_id);
  const author = room.members.get(msg.author_id);
  const actions = [
    { key: 'staff-remove', label: 'Remove message…', run: guarded(() => removeMessage(room, msg.message_id)) },
    { key: pinned ? 'staff-unpin' : 'staff-pin', label: pinned ? 'Unpin' : 'Pin for everyone',
      run: guarded(() => pin(room, msg, !pinned)) },
  ];
  // A support room is a participant's line to the team: never muted or closed to them.
  if (author && author.role === 'participant' && room.kind !== 'support') {
    const local = moderation(room.id);
    const muted = (local.muted.get(author.member_id) || 0) > Date.now();
    actions.push(muted
      ? { key: 'staff-unmute', label: `Unmute ${author.display_name}`, run: guarded(async () => {
        await request({ type: 'mute', room_id: room.id, member_id: author.member_id, seconds: 0 });
        local.muted.delete(author.member_id);
        tell(`${author.display_name} can post again.`);
        emit('room', { room, what: 'people' });
      }) }
      : { key: 'staff-mute', label: `Mute ${author.display_name}…`, run: guarded(() => mute(room, author.member_id)) });
    if (!local.removed.has(author.member_id)) {
      actions.push({ key: 'staff-remove-member', label: `Remove ${author.display_name} from room…`,
        run: guarded(() => removeFromRoom(room, author.member_id)) });
    }
  }
  return actions;
}
