// The program's audit log (leads): who did what to whom, when — newest first, a page at a
// time. Entries never hold message text or card contents; this screen shows only what's there.

import { api } from '../api.js';
import { fmtTime, h, humanize, mount } from '../dom.js';
import { state } from '../store.js';

const PAGE = 50;
const ACTIONS = {
  'member.invited': 'invited a participant', 'member.joined': 'joined the program',
  'member.cleared': 'recorded clearance for', 'member.removed': 'removed', 'member.withdrawn': 'marked as withdrawn',
  'staff.added': 'added to the care team', 'agreement.published': 'published an agreement version',
  'agreement.accepted': 'accepted the agreement', 'program.status': 'changed the program status',
  'contact.blocked': 'had a message held back for contact details', 'private_room.refused': 'was refused a private room',
  'contact_exchange.changed': 'changed contact exchange', 'card.sharing_changed': 'changed card sharing',
  'data.exported': 'exported their data', 'messages.erased': 'erased their messages',
  'retention.purged': 'purged messages after the retention period', 'keys.rotated': 'rotated keys',
  'message.removed': 'removed a message by', 'message.pinned': 'pinned a message by', 'message.unpinned': 'unpinned a message by',
  'message.approved': 'approved a held message by', 'message.rejected': 'rejected a held message by',
  'room.settings': 'changed room settings', 'member.muted': 'muted', 'member.unmuted': 'unmuted',
  'member.removed_from_room': 'removed from a room:', 'member.restored_to_room': 'let back into a room:',
  'report.filed': 'reported a message by', 'report.resolved': 'resolved a report filed by',
  'room.phase': 'set the phase', 'round.started': 'started a sharing round', 'checkin.opened': 'opened a check-in',
  'alert.acknowledged': 'acknowledged an alert about',
  'johari.started': 'started the Johari exercise', 'johari.picks_saved': 'saved Johari choices',
  'johari.closed': 'closed the Johari exercise', 'johari.shared': 'shared their Johari window',
  'johari.unshared': 'stopped sharing their Johari window',
};
const HIDDEN_DETAILS = new Set(['message_id', 'alert_id', 'checkin_id', 'report_id', 'pending_id', 'exercise_id']);

function detailText(details) {
  return Object.entries(details || {})
    .filter(([k, v]) => !HIDDEN_DETAILS.has(k) && v !== null && v !== '' && typeof v !== 'object')
    .map(([k, v]) => `${humanize(k)}: ${typeof v === 'boolean' ? (v ? 'yes' : 'no') : v}`)
    .join(' · ');
}

export function mountAuditLog(programId, el, { members = [] } = {}) {
  let alive = true;
  let entries = [];
  const seen = new Set();
  let done = false;
  let action = '';
  const names = new Map(members.map((m) => [m.member_id, m.display_name]));
  const who = (id) => (id == null ? 'The system' : names.get(id) || 'A former member');
  const roomName = (id) => (id ? state.rooms.get(id)?.title || 'a room' : '');

  const list = h('ol', { class: 'audit-list', id: 'audit-list', 'aria-label': 'Audit entries, newest first' });
  const more = h('button', { type: 'button', id: 'audit-more', class: 'quiet' }, 'Load older entries');
  const status = h('p', { class: 'hint', id: 'audit-status', role: 'status' });
  const filter = h('select', { id: 'audit-filter', name: 'action' },
    h('option', { value: '' }, 'Everything'),
    Object.keys(ACTIONS).sort().map((a) => h('option', { value: a }, `${a} (${ACTIONS[a].replace(/[:]$/, '')})`)));
  filter.addEventListener('change', () => {
    action = filter.value;
    entries = [];
    seen.clear();
    done = false;
    list.replaceChildren();
    loadPage();
  });
  more.addEventListener('click', () => loadPage());

  mount(el, h('section', { class: 'lead-section card audit', 'aria-labelledby': 'audit-title' },
    h('h2', { id: 'audit-title' }, 'Audit log'),
    h('p', { class: 'hint' }, 'Every moderation, confidentiality and membership action, newest first. Never message text.'),
    h('label', { for: 'audit-filter' }, 'Show'),
    filter,
    list, status, more));

  function row(e) {
    const target = e.target_id ? who(e.target_id) : '';
    const room = roomName(e.room_id);
    const extra = detailText(e.details);
    return h('li', { class: 'audit-entry', dataset: { action: e.action, id: e.id } },
      h('time', { class: 'audit-time', datetime: new Date(e.at_ms).toISOString() }, fmtTime(e.at_ms)),
      h('p', { class: 'audit-what' },
        h('strong', {}, who(e.actor_id)), ' ', ACTIONS[e.action] || humanize(e.action),
        target && e.target_id !== e.actor_id ? [' ', h('strong', {}, target)] : '',
        room ? ` · ${room}` : ''),
      h('p', { class: 'audit-code hint' }, e.action, extra ? ` · ${extra}` : ''));
  }

  // Newest first, paged by time. Entries of the same millisecond may straddle a page: ask from
  // just after the oldest one seen and skip what we have; only if that brings nothing new
  // step strictly before it.
  async function loadPage(strict = false) {
    if (done || more.getAttribute('aria-busy') === 'true') return;
    more.setAttribute('aria-busy', 'true');
    status.textContent = 'Loading…';
    const params = new URLSearchParams({ limit: String(PAGE) });
    const oldest = entries.at(-1);
    if (oldest) params.set('before_ms', String(strict ? oldest.at_ms : oldest.at_ms + 1));
    if (action) params.set('action', action);
    let page;
    try {
      page = await api.get(`/api/programs/${programId}/audit?${params}`);
    } catch (err) {
      status.textContent = err.message;
      more.removeAttribute('aria-busy');
      return;
    }
    more.removeAttribute('aria-busy');
    if (!alive) return;
    const fresh = page.filter((e) => !seen.has(e.id));
    fresh.forEach((e) => seen.add(e.id));
    entries.push(...fresh);
    list.append(...fresh.map(row));
    if (!fresh.length && page.length && !strict) return loadPage(true);
    done = page.length < PAGE;
    more.hidden = done;
    status.textContent = entries.length ? `${entries.length} entries shown${done ? ' — that’s all.' : '.'}` : 'No entries yet.';
    return undefined;
  }

  loadPage();
  return () => { alive = false; };
}
