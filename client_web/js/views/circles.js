// Home: the person's programs, their circles, and what each program asks of them next.

import { api } from '../api.js';
import { busy, fields, h, humanize, mount } from '../dom.js';
import { refreshMe } from '../session.js';
import { memberships, on, state } from '../store.js';
import { KIND_LABELS, ROLE_LABELS } from '../text.js';

const ROOM_ORDER = ['preparation', 'integration', 'community', 'support', 'direct', 'staff'];

function roomLink(info) {
  return h('li', {}, h('a', { class: 'room-link', href: `#/room/${info.room_id}`, dataset: { roomId: info.room_id, key: `room-${info.room_id}` } },
    h('span', { class: 'room-name' }, info.title || 'Untitled room'),
    h('span', { class: 'room-kind' }, KIND_LABELS[info.kind] || humanize(info.kind))));
}

function admissionCard(m) {
  const href = `#/program/${m.program.id}/agreement`;
  if (!m.admission.cleared) {
    return h('div', { class: 'card gentle' },
      h('p', {}, 'Your care team is finishing your clearance. Your circles open once that is done and you have accepted the agreement.'),
      h('a', { class: 'button-link', href }, 'Read the agreement while you wait'));
  }
  return h('div', { class: 'card gentle' },
    h('p', {}, 'One step before you join: please read and accept the circle agreement.'),
    h('a', { class: 'button-link primary', href }, 'Read the agreement'));
}

function programSection(m) {
  const p = m.program;
  const staff = m.member.role !== 'participant';
  const rooms = [...(m.rooms || [])].sort((a, b) => ROOM_ORDER.indexOf(a.kind) - ROOM_ORDER.indexOf(b.kind));
  const links = [];
  if (staff) {
    links.push(h('a', { class: 'button-link manage-link', href: `#/program/${p.id}/manage`, dataset: { programId: p.id } },
      'People and program'));
  }
  if (!staff && p.contact_exchange === 'unlocked') {
    links.push(h('a', { class: 'button-link cards-link', href: `#/program/${p.id}/cards`, dataset: { programId: p.id } },
      'Contact cards'));
  }
  return h('section', { class: 'program', 'aria-labelledby': `program-${p.id}` },
    h('h2', { id: `program-${p.id}` }, p.name,
      p.status !== 'active' && h('span', { class: 'program-status' }, ` · ${humanize(p.status)}`)),
    h('p', { class: 'hint' }, `You appear as “${m.member.display_name}” · ${ROLE_LABELS[m.member.role]}`),
    !staff && !m.admission.admitted && admissionCard(m),
    rooms.length > 0 && h('ul', { class: 'rooms' }, rooms.map(roomLink)),
    links.length > 0 && h('p', { class: 'program-links' }, links));
}

function newProgramForm() {
  const error = h('p', { class: 'form-error', 'aria-live': 'polite' });
  const form = h('form', { class: 'card', id: 'new-program', 'aria-labelledby': 'new-program-title' },
    h('h2', { id: 'new-program-title' }, 'Start a new program'),
    h('label', { for: 'np-name' }, 'Program name'),
    h('input', { id: 'np-name', name: 'name', required: true, maxlength: '200' }),
    h('label', { for: 'np-kind' }, 'Kind'),
    h('select', { id: 'np-kind', name: 'kind' },
      h('option', { value: 'closed' }, 'Closed: the same cohort throughout'),
      h('option', { value: 'open' }, 'Open: drop-in')),
    h('label', { for: 'np-display' }, 'Your name in this program'),
    h('input', { id: 'np-display', name: 'display_name', required: true, maxlength: '40' }),
    error,
    h('button', { class: 'primary', type: 'submit' }, 'Create program'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = fields(form);
    busy(form, error, async () => {
      const program = await api.post('/api/programs', { name: f.name.trim(), kind: f.kind, display_name: f.display_name.trim() });
      await refreshMe();
      location.hash = `#/program/${program.id}/manage`;
    });
  });
  return form;
}

export function renderCircles(main) {
  const list = h('div', { id: 'circle-list' });
  const draw = () => {
    const all = memberships();
    mount(list,
      all.length ? all.map(programSection)
        : h('p', { class: 'empty' }, "You're not part of a circle yet. When your program lead invites you, it will appear here."),
      state.me?.account.is_staff && newProgramForm());
  };
  mount(main, h('section', { class: 'view', 'aria-labelledby': 'page-title' },
    h('h1', { id: 'page-title', tabindex: '-1' }, 'Your circles'),
    list,
    h('p', { class: 'hint' }, h('a', { href: '#/me' }, 'Your data: download or erase it'))));
  draw();
  refreshMe().catch(() => {}); // programs may have changed since sign-in (clearance, unlock)
  return on('me', draw);
}
