// After the lead unlocks contact exchange: my card, who I share it with, and the cards
// shared back with me (only where both chose each other — rule 6).

import { api } from '../api.js';
import { busy, fields, h, mount } from '../dom.js';
import { membership, on } from '../store.js';

const FIELDS = [
  { key: 'name', label: 'Name', autocomplete: 'name' },
  { key: 'email', label: 'Email', autocomplete: 'email', type: 'email' },
  { key: 'phone', label: 'Phone', autocomplete: 'tel', type: 'tel' },
  { key: 'handle', label: 'Social or messaging handle', autocomplete: 'off' },
  { key: 'note', label: 'A note', multiline: true },
];

export function renderCards(main, { programId }) {
  const m = membership(programId);
  const mine = h('div', { id: 'my-card' }, h('p', { class: 'hint' }, 'Loading your card…'));
  const shared = h('div', { id: 'cards-shared', 'aria-live': 'polite' });
  mount(main, h('section', { class: 'view narrow', id: 'view-cards', 'aria-labelledby': 'page-title' },
    h('p', {}, h('a', { href: '#/' }, '← Your circles')),
    h('h1', { id: 'page-title', tabindex: '-1' }, 'Contact cards'),
    h('p', { class: 'intro' }, `${m?.program.name || 'Your program'} has ended, and your lead has opened contact exchange. `
      + 'Nothing is shared unless you choose to: someone sees your card only if you both choose each other.'),
    mine,
    h('section', { class: 'card', 'aria-labelledby': 'shared-title' },
      h('h2', { id: 'shared-title' }, 'Cards shared with you'), shared)));

  let alive = true;
  let asked = 0;
  async function loadShared() {
    const ask = ++asked;
    try {
      const cards = await api.get(`/api/programs/${programId}/cards`);
      if (!alive || ask !== asked) return; // a newer answer is on its way
      mount(shared, cards.length ? h('ul', { class: 'card-list' }, cards.map((c) => h('li', { class: 'contact-card', dataset: { memberId: c.member_id } },
        h('h3', {}, c.display_name),
        h('dl', {}, FIELDS.filter((f) => c[f.key]).map((f) => [h('dt', {}, f.label), h('dd', {}, c[f.key])])))))
        : h('p', { class: 'empty', id: 'no-cards' }, 'No cards yet. When someone you chose also chooses you, their card appears here.'));
    } catch (err) {
      if (alive) mount(shared, h('p', { class: 'notice' }, err.message));
    }
  }

  async function load() {
    let card;
    let members;
    try {
      [card, members] = await Promise.all([
        api.get(`/api/programs/${programId}/card`),
        api.get(`/api/programs/${programId}/members`),
      ]);
    } catch (err) {
      if (alive) mount(mine, h('p', { class: 'notice' }, err.message));
      return;
    }
    if (!alive) return;
    const others = members.filter((p) => p.role === 'participant' && p.member_id !== m?.member.member_id);
    // My own changes can reveal cards to me too (no frame tells me): look again after each.
    mount(mine, cardForm(programId, card, loadShared), sharingForm(programId, card, others, loadShared));
  }
  load();
  loadShared();
  const off = on('cards', (f) => f.program_id === programId && loadShared());
  return () => {
    alive = false;
    off();
  };
}

function cardForm(programId, card, onSaved) {
  const error = h('p', { class: 'form-error', 'aria-live': 'polite' });
  const saved = h('p', { id: 'card-saved', class: 'hint', role: 'status' });
  const form = h('form', { id: 'card-form', class: 'card', 'aria-labelledby': 'card-form-title' },
    h('h2', { id: 'card-form-title' }, 'Your card'),
    h('p', { class: 'hint' }, 'Fill in only what you would like to share. Staff never see your card.'),
    FIELDS.map((f) => [
      h('label', { for: `card-${f.key}` }, f.label),
      f.multiline
        ? h('textarea', { id: `card-${f.key}`, name: f.key, rows: 3, maxlength: '500', value: card[f.key] || '' })
        : h('input', { id: `card-${f.key}`, name: f.key, type: f.type || 'text', maxlength: '500', autocomplete: f.autocomplete, value: card[f.key] || '' }),
    ]),
    error, saved,
    h('button', { id: 'card-save', class: 'primary', type: 'submit' }, 'Save my card'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const values = fields(form);
    busy(form, error, async () => {
      await api.put(`/api/programs/${programId}/card`, Object.fromEntries(FIELDS.map((f) => [f.key, values[f.key].trim() || null])));
      saved.textContent = 'Your card is saved.';
      onSaved();
    });
  });
  return form;
}

function sharingForm(programId, card, others, onSaved) {
  const sharing = card.sharing || { mode: 'nobody', chosen: [] };
  const error = h('p', { class: 'form-error', 'aria-live': 'polite' });
  const saved = h('p', { id: 'share-saved', class: 'hint', role: 'status' });
  const radio = (value, label, hint) => h('div', { class: 'choice' },
    h('input', { type: 'radio', name: 'mode', id: `share-mode-${value}`, value, checked: sharing.mode === value }),
    h('label', { for: `share-mode-${value}` }, label, hint && h('span', { class: 'hint' }, ` ${hint}`)));
  const chosen = h('fieldset', { id: 'share-chosen', class: 'share-chosen' },
    h('legend', {}, 'People I choose'),
    others.length ? others.map((p) => h('div', { class: 'choice' },
      h('input', { type: 'checkbox', name: 'chosen', id: `share-${p.member_id}`, value: p.member_id,
        checked: sharing.chosen.includes(p.member_id), dataset: { name: p.display_name } }),
      h('label', { for: `share-${p.member_id}` }, p.display_name)))
      : h('p', { class: 'hint' }, 'There is nobody else to choose yet.'));
  const form = h('form', { id: 'share-form', class: 'card', 'aria-labelledby': 'share-title' },
    h('h2', { id: 'share-title' }, 'Who may see your card'),
    h('fieldset', {}, h('legend', { class: 'visually-hidden' }, 'Sharing'),
      radio('nobody', 'Nobody', '(for now)'),
      radio('chosen', 'Only people I choose'),
      radio('everyone', 'Everyone who also shares with me')),
    chosen, error, saved,
    h('button', { id: 'share-save', class: 'primary', type: 'submit' }, 'Save my choice'));
  const sync = () => { chosen.hidden = form.querySelector('input[name="mode"]:checked')?.value !== 'chosen'; };
  form.addEventListener('change', sync);
  sync();
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const mode = form.querySelector('input[name="mode"]:checked')?.value || 'nobody';
    const picked = [...form.querySelectorAll('input[name="chosen"]:checked')].map((i) => i.value);
    busy(form, error, async () => {
      await api.put(`/api/programs/${programId}/card/sharing`, { mode, chosen: mode === 'chosen' ? picked : [] });
      saved.textContent = mode === 'nobody' ? 'Your card is not shared with anyone.' : 'Your choice is saved.';
      onSaved();
    });
  });
  return form;
}
