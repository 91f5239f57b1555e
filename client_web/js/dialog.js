// Modal questions in a native <dialog>: focus is trapped and Escape cancels, for free.

import { $, h, mount } from './dom.js';

let counter = 0;

// Resolves with the entered text (or true when there is no field); null when cancelled.
export function ask({ title, text = '', label = '', value = '', confirm = 'OK', cancel = 'Cancel', required = false, multiline = false }) {
  const dialog = $('dialog');
  const id = `dialog-field-${++counter}`;
  const field = label ? h(multiline ? 'textarea' : 'input', {
    id, name: 'answer', value, required, rows: multiline ? 3 : undefined, autocomplete: 'off',
  }) : null;
  return new Promise((resolve) => {
    const form = h('form', { method: 'dialog', class: 'dialog-form' },
      h('h2', { id: `${id}-title` }, title),
      text && h('p', {}, text),
      field && h('label', { for: id }, label),
      field,
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'quiet', onclick: () => dialog.close('cancel') }, cancel),
        h('button', { type: 'submit', class: 'primary', value: 'ok' }, confirm)));
    mount(dialog, form);
    dialog.setAttribute('aria-labelledby', `${id}-title`);
    dialog.returnValue = '';
    dialog.addEventListener('close', () => {
      if (dialog.returnValue !== 'ok') return resolve(null);
      return resolve(field ? field.value.trim() : true);
    }, { once: true });
    dialog.showModal();
    (field || form.querySelector('.primary')).focus();
  });
}

export const confirmAction = (title, text, confirm) => ask({ title, text, confirm });

// A short menu of actions; resolves with the chosen option's value, or null.
export function choose({ title, options }) {
  const dialog = $('dialog');
  const id = `dialog-menu-${++counter}`;
  return new Promise((resolve) => {
    let chosen = null;
    const pick = (value) => () => {
      chosen = value;
      dialog.close('ok');
    };
    mount(dialog, h('div', { class: 'dialog-form' },
      h('h2', { id }, title),
      h('div', { class: 'menu' }, options.map((o) => h('button', {
        type: 'button', class: o.quiet ? 'quiet' : '', 'aria-pressed': o.pressed === undefined ? null : String(o.pressed),
        onclick: pick(o.value),
      }, o.label))),
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'quiet', onclick: () => dialog.close('cancel') }, 'Close'))));
    dialog.setAttribute('aria-labelledby', id);
    dialog.addEventListener('close', () => resolve(chosen), { once: true });
    dialog.showModal();
    dialog.querySelector('.menu button')?.focus();
  });
}
