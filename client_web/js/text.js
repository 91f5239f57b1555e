// Words the client shows. Gentle, plain, and never blaming.

export const KIND_LABELS = {
  preparation: 'Preparation', integration: 'Integration', community: 'Community',
  staff: 'Care team', support: 'Support', direct: 'Direct',
};

export const ROLE_LABELS = { lead: 'Program lead', facilitator: 'Facilitator', participant: 'Participant' };

export const PHASES = ['preparation', 'dosing', 'journey', 'integration', 'closed'];

export const PHASE_TEXT = {
  preparation: { title: 'Preparation', line: 'Setting intentions together. Share what you bring into the circle.' },
  dosing: { title: 'Dosing', line: 'The circle is taking the medicine. The room is quiet for now.' },
  journey: { title: 'Journey', line: 'The circle is journeying. The room rests quietly until integration.' },
  integration: { title: 'Integration', line: 'Sharing what came up. Take your time; listen gently.' },
  closed: { title: 'Closed', line: 'This session has closed. You can still read what was shared.' },
};

export const QUIET_PHASES = new Set(['dosing', 'journey']);

export const REACTIONS = [
  { key: 'resonate', label: 'Resonate', symbol: '◎', hint: "I've felt that too" },
  { key: 'heart', label: 'Heart', symbol: '♡' },
  // Plain text symbols, so they show without an emoji font (nothing is fetched from elsewhere).
  { key: 'hug', label: 'Hug', symbol: '◠' },
  { key: 'candle', label: 'Candle', symbol: '✦' },
  { key: 'pray', label: 'Gratitude', symbol: '✿' },
  { key: 'leaf', label: 'Leaf', symbol: '❧' },
];

const CONTACT_KINDS = {
  email: 'an email address', phone: 'a phone number', url: 'a web link',
  handle: 'a social or messaging handle', payment: 'a payment handle', address: 'a street address',
};

export function listWords(words) {
  if (words.length < 2) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

// Why a message of yours didn't go out, in words that don't scold.
export function notSentText(error) {
  if (error.code === 'contact_info_blocked') {
    const kinds = listWords((error.kinds || []).map((k) => CONTACT_KINDS[k] || k));
    return `This looks like it includes ${kinds || 'contact details'}. To keep the circle safe, `
      + "contact details can't be shared until the program ends and your lead opens contact "
      + "exchange. Nothing was sent — you're welcome to rephrase it.";
  }
  const kind = {
    room_quiet: 'The circle is journeying, so the room is quiet. You can answer check-ins or ask for support at any time.',
    not_your_turn: 'Someone else holds the talking piece right now. You can react while you listen.',
    muted: 'A facilitator has paused your messages here for a little while. You can still ask for support.',
    slow_mode: 'The room is in slow mode.',
    room_locked: 'This room is resting (read-only) for now.',
    session_closed: 'This session has closed; the room is read-only.',
  }[error.code];
  if (error.code === 'slow_mode' && error.retry_after_s) {
    return `${kind} You can send again in about ${Math.ceil(error.retry_after_s)} seconds.`;
  }
  return kind || error.message || 'That message could not be sent.';
}

export const ALERT_TEXT = {
  support_request: 'asked for support',
  need_support: 'answered the check-in: needs support',
  safety: 'wrote something that may suggest risk — please check in',
};
