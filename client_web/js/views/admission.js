// Before a participant joins (rule 2): read the agreement, wait for clearance, accept.

import { api } from '../api.js';
import { busy, h, mount } from '../dom.js';
import { refreshMe } from '../session.js';
import { membership } from '../store.js';

const CHECK_EVERY_MS = 15000; // clearance sends no frame, so the waiting screen looks again

export function renderAdmission(main, { programId }) {
  const body = h('div', { id: 'agreement-body' }, h('p', { class: 'hint' }, 'Loading the agreement…'));
  const title = membership(programId)?.program.name || 'Your program';
  mount(main, h('section', { class: 'view narrow', 'aria-labelledby': 'page-title' },
    h('p', {}, h('a', { href: '#/' }, '← Your circles')),
    h('h1', { id: 'page-title', tabindex: '-1' }, `The ${title} agreement`),
    body));

  let timer = 0;
  let alive = true;
  async function load() {
    clearTimeout(timer);
    let agreement;
    try {
      agreement = await api.get(`/api/programs/${programId}/agreement`);
    } catch (err) {
      if (alive) mount(body, h('p', { class: 'notice' }, err.message));
      return;
    }
    if (!alive) return;
    const a = agreement.admission;
    if (a.admitted) {
      await refreshMe().catch(() => {});
      mount(body, h('div', { class: 'card gentle', role: 'status' },
        h('p', {}, "You're in. Welcome to the circle."),
        h('a', { class: 'button-link primary', href: '#/' }, 'Go to your circles')));
      return;
    }
    const text = h('div', { class: 'agreement-text', tabindex: '0', 'aria-label': 'Agreement text' },
      agreement.text.split(/\n{2,}/).map((para) => h('p', {}, para)));
    const error = h('p', { class: 'form-error', 'aria-live': 'polite' });
    let next;
    if (!a.cleared) {
      next = h('div', { class: 'card gentle', id: 'waiting-clearance', role: 'status' },
        h('h2', {}, 'Waiting for your clearance'),
        h('p', {}, "Your care team is finishing your screening. There's nothing you need to do — this page "
          + 'updates by itself, and you can accept the agreement as soon as they are done.'),
        h('button', { type: 'button', id: 'check-again', onclick: load }, 'Check again'));
      timer = setTimeout(load, CHECK_EVERY_MS);
    } else {
      const accept = h('button', { type: 'button', id: 'accept-agreement', class: 'primary' },
        `I have read and accept version ${agreement.version}`);
      accept.addEventListener('click', () => busy(accept, error, async () => {
        await api.post(`/api/programs/${programId}/agreement/accept`, { version: agreement.version });
        await load();
      }));
      next = h('div', { class: 'accept' },
        h('p', {}, 'What is shared in the circle stays in the circle. Accepting lets you join your circles.'),
        error, accept);
    }
    mount(body, h('p', { class: 'hint' }, `Version ${agreement.version}`), text, next);
  }
  load();
  return () => {
    alive = false;
    clearTimeout(timer);
  };
}
