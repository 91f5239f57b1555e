// Your data (rule 14): download everything the service holds about you; erase your messages.

import { api, download } from '../api.js';
import { confirmAction } from '../dialog.js';
import { busy, h, mount } from '../dom.js';
import { memberships } from '../store.js';

export function renderData(main) {
  const exportError = h('p', { class: 'form-error', 'aria-live': 'polite' });
  const exportDone = h('p', { id: 'export-done', class: 'hint', role: 'status' });
  const eraseError = h('p', { class: 'form-error', 'aria-live': 'polite' });
  const eraseResult = h('p', { id: 'erase-result', role: 'status' });
  const exportButton = h('button', { id: 'export-data', type: 'button', class: 'primary' }, 'Download my data');
  exportButton.addEventListener('click', () => busy(exportButton, exportError, async () => {
    download('integration-circles.json', await api.get('/api/me/export'));
    exportDone.textContent = 'Your data was downloaded as integration-circles.json.';
  }));
  const scope = h('select', { id: 'erase-scope', name: 'program' },
    h('option', { value: '' }, 'Every program'),
    memberships().map((m) => h('option', { value: m.program.id }, m.program.name)));
  const eraseButton = h('button', { id: 'erase-messages', type: 'button' }, 'Erase my messages');
  eraseButton.addEventListener('click', async () => {
    const where = scope.value ? `in ${scope.selectedOptions[0].textContent}` : 'in every circle';
    const ok = await confirmAction('Erase your messages?',
      `Every message you wrote ${where} will be erased for good. Others will see that a message was deleted. This cannot be undone.`,
      'Erase my messages');
    eraseButton.focus();
    if (!ok) return;
    await busy(eraseButton, eraseError, async () => {
      const body = scope.value ? { program_id: scope.value } : {};
      const { erased } = await api.post('/api/me/erase', body);
      eraseResult.textContent = erased === 1 ? '1 message was erased.' : `${erased} messages were erased.`;
    });
  });
  mount(main, h('section', { class: 'view narrow', id: 'view-data', 'aria-labelledby': 'page-title' },
    h('p', {}, h('a', { href: '#/' }, '← Your circles')),
    h('h1', { id: 'page-title', tabindex: '-1' }, 'Your data'),
    h('section', { class: 'card', 'aria-labelledby': 'export-title' },
      h('h2', { id: 'export-title' }, 'Download a copy'),
      h('p', {}, 'Everything the service holds about you: your account, your memberships and the messages you wrote, as a JSON file.'),
      exportError, exportDone, exportButton),
    h('section', { class: 'card', 'aria-labelledby': 'erase-title' },
      h('h2', { id: 'erase-title' }, 'Erase your messages'),
      h('p', {}, 'The text of what you wrote is erased for good. The circle keeps a quiet note that a message was deleted.'),
      h('label', { for: 'erase-scope' }, 'Which messages'), scope,
      eraseError, eraseResult, eraseButton)));
  return () => {};
}
