// Sign in, or redeem an invitation with a chosen display name.

import { api } from '../api.js';
import { busy, fields, h, mount } from '../dom.js';

export function renderSignIn(main, { signedIn, message = '' }) {
  const signinError = h('p', { id: 'signin-error', class: 'form-error', 'aria-live': 'polite' }, message);
  const inviteError = h('p', { id: 'invite-error', class: 'form-error', 'aria-live': 'polite' });
  const invite = new URLSearchParams(location.hash.split('?')[1] || '').get('invite') || '';

  const signin = h('form', { id: 'signin-form', class: 'card', 'aria-labelledby': 'signin-form-title' },
    h('h2', { id: 'signin-form-title' }, 'Sign in'),
    h('label', { for: 'signin-email' }, 'Email'),
    h('input', { id: 'signin-email', name: 'email', type: 'email', autocomplete: 'username', required: true }),
    h('label', { for: 'signin-password' }, 'Password'),
    h('input', { id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    signinError,
    h('button', { id: 'signin-submit', class: 'primary', type: 'submit' }, 'Sign in'));

  const redeem = h('form', { id: 'invite-form', class: 'card', 'aria-labelledby': 'invite-form-title' },
    h('h2', { id: 'invite-form-title' }, 'I have an invitation'),
    h('label', { for: 'invite-code' }, 'Invitation code'),
    h('textarea', { id: 'invite-code', name: 'invite', rows: 3, autocomplete: 'off', spellcheck: 'false',
      'aria-describedby': 'invite-code-hint', required: true, value: invite }),
    h('p', { id: 'invite-code-hint', class: 'hint' }, 'Paste the code your program lead gave you.'),
    h('label', { for: 'invite-name' }, 'Name to show in your circle'),
    h('input', { id: 'invite-name', name: 'display_name', type: 'text', autocomplete: 'nickname', maxlength: '40',
      'aria-describedby': 'invite-name-hint', required: true }),
    h('p', { id: 'invite-name-hint', class: 'hint' },
      "Others in your circle see only this name. It doesn't need to be your real name."),
    h('label', { for: 'invite-password' }, 'Choose a password'),
    h('input', { id: 'invite-password', name: 'password', type: 'password', autocomplete: 'new-password',
      minlength: '10', 'aria-describedby': 'invite-password-hint', required: true }),
    h('p', { id: 'invite-password-hint', class: 'hint' }, 'At least 10 characters.'),
    inviteError,
    h('button', { id: 'invite-submit', class: 'primary', type: 'submit' }, 'Join my circle'));

  signin.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = fields(signin);
    busy(signin, signinError, async () => signedIn(await api.anonymous('/api/auth/login',
      { email: f.email.trim(), password: f.password })));
  });
  redeem.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = fields(redeem);
    busy(redeem, inviteError, async () => signedIn(await api.anonymous('/api/invites/redeem', {
      invite: f.invite.replace(/\s+/g, ''), // pasted codes often carry line breaks
      display_name: f.display_name.trim(),
      password: f.password,
    })));
  });

  mount(main, h('section', { class: 'view', 'aria-labelledby': 'page-title' },
    h('h1', { id: 'page-title', tabindex: '-1' }, 'Welcome'),
    h('p', { class: 'intro' },
      'A quiet place for your circle. Sign in, or use the invitation your program lead gave you.'),
    h('div', { class: 'auth-forms' }, signin, redeem)));
}
