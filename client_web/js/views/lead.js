// People and program (protocol §10.1): members (invite, clear, remove), staff, the agreement
// and its versions, the program's status, contact exchange, retention, and the audit log.
// Leads see everything; facilitators see the people and can record clearance.

import { api } from '../api.js';
import { confirmAction } from '../dialog.js';
import { busy, fields, fmtTime, h, humanize, mount } from '../dom.js';
import { refreshMe } from '../session.js';
import { membership, on, state } from '../store.js';
import { mountAuditLog } from './audit.js';
import { tell } from './staff-actions.js';

const STATUS_TEXT = {
  draft: 'Draft: participants can read but not post yet.',
  active: 'Active: circles are open.',
  completed: 'Completed: session rooms are read-only; you can unlock contact exchange.',
  archived: 'Archived: read-only for everyone.',
};
const MEMBER_STATUS = {
  invited: 'Invited — waiting for clearance', cleared: 'Cleared — agreement not accepted yet',
  active: 'Active', removed: 'Removed', withdrawn: 'Withdrawn',
};
const ROLE = { lead: 'Program lead', facilitator: 'Facilitator', participant: 'Participant' };

function section(id, title, ...body) {
  return h('section', { class: 'lead-section card', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title`, tabindex: '-1' }, title), ...body);
}

// In-page jumps (the hash belongs to the router, so these are buttons, not #anchors).
function jump(label, id) {
  return h('button', { type: 'button', class: 'quiet lead-jump', onclick: () => {
    const heading = document.getElementById(`${id}-title`);
    heading?.scrollIntoView({ block: 'start' });
    heading?.focus({ preventScroll: true });
  } }, label);
}

const errorLine = (id) => h('p', { class: 'form-error', id, role: 'status' });

export function mountLeadAdmin(programId, el, rest = '') {
  let alive = true;
  let program = membership(programId)?.program || null;
  let members = [];
  let agreement = null;
  let versions = [];
  let lastInvite = null;
  let stopAudit = null;
  const sub = (rest || '').replace(/^\/+/, '').split('/')[0];

  const me = () => membership(programId)?.member || null;
  const isLead = () => me()?.role === 'lead' || (!me() && state.me?.account.is_admin);

  const title = h('h1', { id: 'page-title', tabindex: '-1' }, 'People and program');
  const summary = h('p', { class: 'lead-summary', id: 'lead-summary' });
  const nav = h('nav', { class: 'lead-nav', 'aria-label': 'Program pages' });
  const body = h('div', { class: 'lead-body' }, h('p', { class: 'hint' }, 'Loading…'));
  mount(el, h('p', {}, h('a', { href: '#/' }, '← Your circles')), title, summary, nav, body);

  async function load() {
    const calls = [
      api.get(`/api/programs/${programId}/members`),
      api.get(`/api/programs/${programId}/agreement`),
      isLead() ? api.get(`/api/programs/${programId}/agreements`) : Promise.resolve([]),
      api.get('/api/programs'),
    ];
    const [m, a, v, programs] = await Promise.all(calls.map((p) => p.catch((err) => err)));
    if (!alive) return;
    if (m instanceof Error) {
      mount(body, h('p', { class: 'notice', role: 'status' }, m.message));
      return;
    }
    members = m;
    agreement = a instanceof Error ? null : a;
    versions = v instanceof Error ? [] : v;
    if (!(programs instanceof Error)) program = programs.find((p) => p.id === programId) || program;
    draw();
  }

  function drawHead() {
    const p = program;
    title.textContent = p ? `${p.name}: people and program` : 'People and program';
    mount(summary, p ? [
      h('span', { class: 'lead-chip', id: 'lead-status', dataset: { status: p.status } }, humanize(p.status)),
      ` ${STATUS_TEXT[p.status] || ''} `,
      h('span', { class: 'lead-chip', id: 'lead-exchange', dataset: { state: p.contact_exchange } },
        p.contact_exchange === 'unlocked' ? 'Contact exchange unlocked' : 'Contact exchange locked'),
    ] : []);
    const base = `#/program/${programId}/manage`;
    const others = (state.me?.memberships || []).filter((x) => x.member.role !== 'participant' && x.program.id !== programId);
    mount(nav, h('a', { href: base, 'aria-current': sub ? null : 'page' }, 'People and program'),
      isLead() && h('a', { href: `${base}/audit`, id: 'lead-audit-link', 'aria-current': sub === 'audit' ? 'page' : null }, 'Audit log'),
      others.map((x) => h('a', { href: `#/program/${x.program.id}/manage`, class: 'lead-other' }, `${x.program.name} →`)));
  }

  function draw() {
    if (!alive) return;
    drawHead();
    if (sub === 'audit' && isLead()) {
      if (!stopAudit) {
        const box = h('div');
        mount(body, box);
        stopAudit = mountAuditLog(programId, box, { members });
      }
      return;
    }
    mount(body,
      h('div', { class: 'lead-jumps', role: 'group', 'aria-label': 'Go to' },
        jump('People', 'lead-people'), isLead() && jump('Invite', 'lead-invite'),
        agreement && jump('Agreement', 'lead-agreement'), isLead() && program && jump('Program', 'lead-program')),
      peopleSection(),
      isLead() && inviteSection(),
      isLead() && staffSection(),
      agreementSection(),
      isLead() && programSection());
  }

  // ---------- people ----------

  function memberRow(m) {
    const actions = [];
    if (m.role === 'participant' && m.status === 'invited') {
      actions.push(h('button', { type: 'button', class: 'primary', 'data-key': `clear-${m.member_id}`,
        'aria-label': `Record clearance for ${m.display_name}`, onclick: (e) => act(e.currentTarget, async () => {
          await api.post(`/api/programs/${programId}/members/${m.member_id}/clear`);
          tell(`${m.display_name} is cleared. They can now accept the agreement.`, e.target);
        }) }, 'Record clearance'));
    }
    const gone = m.status === 'removed' || m.status === 'withdrawn';
    if (isLead() && !gone && m.member_id !== me()?.member_id) {
      actions.push(h('button', { type: 'button', class: 'quiet', 'data-key': `withdraw-${m.member_id}`,
        'aria-label': `Withdraw ${m.display_name}`, onclick: (e) => removeMember(e.currentTarget, m, 'withdrawn') }, 'Withdraw'));
      actions.push(h('button', { type: 'button', class: 'danger', 'data-key': `remove-${m.member_id}`,
        'aria-label': `Remove ${m.display_name} from the program`, onclick: (e) => removeMember(e.currentTarget, m, 'removed') }, 'Remove'));
    }
    return h('li', { class: `lead-member${gone ? ' gone' : ''}`, dataset: { memberId: m.member_id, status: m.status || '' } },
      h('div', { class: 'lead-member-who' },
        h('strong', {}, m.display_name),
        h('span', { class: 'hint' }, ` · ${ROLE[m.role] || m.role}`),
        (m.real_name || m.email) && h('span', { class: 'lead-private' },
          h('span', { class: 'visually-hidden' }, 'Real identity, staff only: '), [m.real_name, m.email].filter(Boolean).join(' · '))),
      h('p', { class: 'lead-member-status' }, MEMBER_STATUS[m.status] || humanize(m.status || '')),
      actions.length > 0 && h('div', { class: 'lead-actions' }, actions));
  }

  function peopleSection() {
    const groups = [['participant', 'Participants'], ['facilitator', 'Facilitators'], ['lead', 'Leads']];
    const refresh = h('button', { type: 'button', class: 'quiet', id: 'lead-refresh' }, 'Refresh the list');
    refresh.addEventListener('click', () => act(refresh, async () => {}));
    return section('lead-people', 'People',
      h('p', { class: 'hint' }, 'Real names and emails are for the care team only; participants see display names.'),
      h('div', { class: 'lead-actions' }, refresh),
      groups.map(([role, label]) => {
        const list = members.filter((m) => m.role === role);
        return [h('h3', {}, `${label} (${list.filter((m) => !['removed', 'withdrawn'].includes(m.status)).length})`),
          h('ul', { class: 'lead-members', id: `lead-members-${role}` },
            list.length ? list.map(memberRow) : h('li', { class: 'hint' }, role === 'participant' ? 'No one has joined yet. Invite someone below.' : 'None yet.'))];
      }));
  }

  async function act(control, run) {
    const sectionEl = control.closest('.lead-section');
    const err = sectionEl?.querySelector('.form-error');
    await busy(control, err || null, async () => {
      await run();
      await load();
    }).catch((e) => tell(e.message, control));
  }

  async function removeMember(control, m, status) {
    const word = status === 'removed' ? 'Remove' : 'Withdraw';
    const ok = await confirmAction(`${word}: ${m.display_name}?`,
      `${m.display_name} loses access at once, open screens included. This is recorded in the audit log.`, word);
    if (!ok) return;
    await act(control, () => api.post(`/api/programs/${programId}/members/${m.member_id}/remove`, { status }));
  }

  // ---------- invites and staff ----------

  function inviteSection() {
    const error = errorLine('lead-invite-error');
    const form = h('form', { id: 'lead-invite-form', class: 'lead-form' },
      h('label', { for: 'lead-invite-email' }, 'Participant’s email'),
      h('input', { id: 'lead-invite-email', name: 'email', type: 'email', required: true, autocomplete: 'off' }),
      h('label', { for: 'lead-invite-name' }, 'Real name (staff only; optional)'),
      h('input', { id: 'lead-invite-name', name: 'real_name', maxlength: '200', autocomplete: 'off' }),
      error,
      h('button', { type: 'submit', class: 'primary', id: 'lead-invite-submit' }, 'Create invitation'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const f = fields(form);
      busy(form, error, async () => {
        const invite = await api.post(`/api/programs/${programId}/invites`, { email: f.email.trim(), real_name: f.real_name.trim() });
        lastInvite = { ...invite, email: f.email.trim() };
        draw();
        document.getElementById('lead-invite-code')?.focus();
      });
    });
    return section('lead-invite', 'Invite a participant',
      h('p', { class: 'hint' }, 'The invitation is a single-use code. Pass it on privately; they choose a display name when they join.'),
      form,
      lastInvite && inviteResult(lastInvite));
  }

  function inviteResult(invite) {
    const code = h('textarea', { id: 'lead-invite-code', readonly: true, rows: 4, spellcheck: 'false',
      'aria-describedby': 'lead-invite-expiry', value: invite.invite });
    const copied = h('span', { class: 'hint', role: 'status', id: 'lead-invite-copied' });
    const copy = h('button', { type: 'button', id: 'lead-invite-copy', class: 'primary' }, 'Copy code');
    copy.addEventListener('click', async () => {
      code.select();
      try {
        await navigator.clipboard.writeText(invite.invite);
        copied.textContent = 'Copied.';
      } catch {
        copied.textContent = 'Selected — press Ctrl+C (or ⌘C) to copy.';
      }
    });
    const link = `${location.origin}/#/?invite=${encodeURIComponent(invite.invite)}`;
    return h('div', { class: 'lead-invite-result gentle', id: 'lead-invite-result' },
      h('label', { for: 'lead-invite-code' }, `Invitation code for ${invite.email}`),
      code,
      h('p', { class: 'hint', id: 'lead-invite-expiry' }, `Works once; expires ${fmtTime(invite.expires_at)}. It’s shown only now.`),
      h('div', { class: 'lead-actions' }, copy, copied,
        h('button', { type: 'button', class: 'quiet', onclick: () => { lastInvite = null; draw(); } }, 'Done')),
      h('details', {}, h('summary', {}, 'Or send a sign-up link'), h('p', { class: 'lead-link' }, link)));
  }

  function staffSection() {
    const error = errorLine('lead-staff-error');
    const form = h('form', { id: 'lead-staff-form', class: 'lead-form' },
      h('label', { for: 'lead-staff-email' }, 'Staff account email'),
      h('input', { id: 'lead-staff-email', name: 'email', type: 'email', required: true, autocomplete: 'off' }),
      h('label', { for: 'lead-staff-role' }, 'Role'),
      h('select', { id: 'lead-staff-role', name: 'role' },
        h('option', { value: 'facilitator' }, 'Facilitator'), h('option', { value: 'lead' }, 'Program lead')),
      h('label', { for: 'lead-staff-name' }, 'Name shown in the circle'),
      h('input', { id: 'lead-staff-name', name: 'display_name', required: true, maxlength: '40', autocomplete: 'off' }),
      error,
      h('button', { type: 'submit', id: 'lead-staff-submit' }, 'Add to the care team'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const f = fields(form);
      busy(form, error, async () => {
        await api.post(`/api/programs/${programId}/staff`, { email: f.email.trim(), role: f.role, display_name: f.display_name.trim() });
        await load();
      });
    });
    return section('lead-staff', 'Add a facilitator or lead', form);
  }

  // ---------- agreement ----------

  function agreementSection() {
    if (!agreement) return null;
    const current = h('div', { class: 'lead-agreement-text', id: 'lead-agreement-current', tabindex: '0', 'aria-label': `Agreement, version ${agreement.version}` },
      agreement.text.split(/\n{2,}/).map((p) => h('p', {}, p)));
    const parts = [h('p', { class: 'hint' }, `Version ${agreement.version}, published ${fmtTime(agreement.published_ms)}.`), current];
    if (isLead()) {
      const error = errorLine('lead-agreement-error');
      const form = h('form', { id: 'lead-agreement-form', class: 'lead-form' },
        h('label', { for: 'lead-agreement-text' }, 'New version'),
        h('textarea', { id: 'lead-agreement-text', name: 'text', rows: 8, maxlength: '20000', required: true, value: agreement.text,
          'aria-describedby': 'lead-agreement-hint' }),
        h('p', { class: 'hint', id: 'lead-agreement-hint' }, 'Publishing asks every participant to read and accept it again before they can rejoin their circles.'),
        error,
        h('button', { type: 'submit', class: 'primary', id: 'lead-agreement-publish' }, `Publish version ${agreement.version + 1}`));
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        const text = fields(form).text.trim();
        if (!await confirmAction(`Publish version ${agreement.version + 1}?`, 'Every participant will need to accept it again.', 'Publish')) return;
        busy(form, error, async () => {
          program = await api.post(`/api/programs/${programId}/agreement`, { text });
          await load();
          tell(`Version ${program.agreement_version} published.`, document.getElementById('lead-agreement-title'));
        });
      });
      parts.push(h('details', { class: 'lead-details' }, h('summary', {}, 'Write a new version'), form));
      if (versions.length) {
        parts.push(h('h3', {}, 'All versions'),
          h('ol', { class: 'lead-versions', id: 'lead-versions', reversed: true }, [...versions].reverse().map((v) => h('li', { dataset: { version: String(v.version) } },
            h('details', {}, h('summary', {}, `Version ${v.version} · ${fmtTime(v.published_ms)}`),
              h('div', { class: 'lead-agreement-text' }, v.text.split(/\n{2,}/).map((p) => h('p', {}, p))))))));
      }
    }
    return section('lead-agreement', 'Circle agreement', parts);
  }

  // ---------- program status, contact exchange, retention ----------

  function programSection() {
    const p = program;
    if (!p) return null;
    const error = errorLine('lead-program-error');
    const buttons = [];
    const step = (id, label, status, text, cls = 'primary') => {
      const b = h('button', { type: 'button', id, class: cls }, label);
      b.addEventListener('click', async () => {
        if (!await confirmAction(`${label}?`, text, label)) return;
        await busy(b, error, async () => {
          program = await api.post(`/api/programs/${programId}/status`, { status });
          await refreshMe().catch(() => {});
          await load();
          tell(`The program is now ${program.status}.`, document.getElementById('lead-program-title'));
        });
      });
      return b;
    };
    if (p.status === 'draft') buttons.push(step('lead-activate', 'Start the program', 'active', 'Participants who are admitted can post in their circles.'));
    if (p.status === 'active') buttons.push(step('lead-complete', 'Complete the program', 'completed', 'Session rooms become read-only. Then you can unlock contact exchange for those who want it.'));
    if (p.status === 'completed') buttons.push(step('lead-archive', 'Archive the program', 'archived', 'Everything becomes read-only. This cannot be undone.', ''));
    const exchange = () => {
      const unlocked = p.contact_exchange === 'unlocked';
      const b = h('button', { type: 'button', id: unlocked ? 'lead-lock' : 'lead-unlock', class: unlocked ? '' : 'primary',
        disabled: p.status !== 'completed' && !unlocked, 'aria-describedby': 'lead-exchange-hint' },
      unlocked ? 'Lock contact exchange again' : 'Unlock contact exchange');
      b.addEventListener('click', async () => {
        const text = unlocked ? 'Participants can no longer write cards or open direct rooms.'
          : 'Participants may then write a contact card and choose who sees it. Nothing is shared unless both people choose each other.';
        if (!await confirmAction(unlocked ? 'Lock contact exchange?' : 'Unlock contact exchange?', text, unlocked ? 'Lock' : 'Unlock')) return;
        await busy(b, error, async () => {
          program = await api.post(`/api/programs/${programId}/contact-exchange`, { state: unlocked ? 'locked' : 'unlocked' });
          await refreshMe().catch(() => {});
          await load();
          tell(program.contact_exchange === 'unlocked' ? 'Contact exchange is unlocked.' : 'Contact exchange is locked.',
            document.getElementById('lead-program-title'));
        });
      });
      return b;
    };
    const retention = h('form', { id: 'lead-retention-form', class: 'lead-form lead-inline' },
      h('label', { for: 'lead-retention' }, 'Keep messages for (days after completion)'),
      h('input', { id: 'lead-retention', name: 'days', type: 'number', min: '1', max: '3650', required: true, value: String(p.retention_days ?? 90) }),
      h('button', { type: 'submit' }, 'Save'));
    retention.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(retention, error, async () => {
        program = await api.post(`/api/programs/${programId}/retention`, { days: Number(fields(retention).days) });
        tell(`Messages are kept ${program.retention_days} days after completion.`, retention);
      });
    });
    return section('lead-program', 'Program',
      h('p', {}, STATUS_TEXT[p.status] || humanize(p.status)),
      buttons.length > 0 && h('div', { class: 'lead-actions' }, buttons),
      h('h3', {}, 'Contact exchange'),
      h('p', { class: 'hint', id: 'lead-exchange-hint' }, p.status === 'completed' || p.contact_exchange === 'unlocked'
        ? 'After unlock, a card is visible only where both participants chose to share with each other. Staff never see cards.'
        : 'You can unlock contact exchange once the program is completed.'),
      h('div', { class: 'lead-actions' }, exchange()),
      h('h3', {}, 'Retention'),
      retention,
      error);
  }

  load();
  const offs = [
    on('me', () => {
      const fresh = membership(programId)?.program;
      if (fresh) program = { ...program, ...fresh };
      drawHead();
    }),
    on('status', (key) => { if (key === 'back') load(); }),
  ];
  return () => {
    alive = false;
    offs.forEach((off) => off());
    stopAudit?.();
  };
}
