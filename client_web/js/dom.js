// Building the page from data. User text only ever becomes text nodes, never markup.

// h('button', { class: 'primary', onclick: fn, 'aria-label': '…' }, 'Send', otherNode)
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  el.append(...children.flat(Infinity).filter((c) => c != null && c !== false)); // before `value`, for <select>
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'value') el.value = value;
    else if (key in el && typeof value !== 'string') el[key] = value; // checked, hidden…
    else el.setAttribute(key, value === true ? '' : value);
  }
  return el;
}

export const $ = (id) => document.getElementById(id);

// Replace a container's content, keeping focus on the "same" control when it is rebuilt:
// controls are matched by id or data-key.
export function mount(container, ...children) {
  const active = container.contains(document.activeElement) ? document.activeElement : null;
  const key = active && (active.id || active.dataset.key);
  container.replaceChildren(...children.flat(Infinity).filter((c) => c != null && c !== false));
  if (!key) return;
  const again = container.querySelector(`[id="${CSS.escape(key)}"], [data-key="${CSS.escape(key)}"]`);
  again?.focus({ preventScroll: true });
}

// A polite announcement for screen readers (status changes that aren't visible text).
export function announce(text) {
  const region = $('announcer');
  region.textContent = '';
  setTimeout(() => { region.textContent = text; }, 30);
}

export function fmtTime(value) {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  const opts = { hour: 'numeric', minute: '2-digit' };
  if (d.toDateString() !== new Date().toDateString()) Object.assign(opts, { month: 'short', day: 'numeric' });
  return d.toLocaleString([], opts);
}

export const humanize = (s) => String(s || '').replace(/_/g, ' ');

// A form's fields by name, trimmed where it makes sense.
export function fields(form) {
  const out = {};
  for (const [name, value] of new FormData(form)) out[name] = typeof value === 'string' ? value : '';
  return out;
}

// Run an async action from a form or button: busy state, kind error text, no double submits.
export async function busy(control, errorEl, action) {
  if (control.getAttribute('aria-busy') === 'true') return undefined;
  control.setAttribute('aria-busy', 'true');
  if (errorEl) errorEl.textContent = '';
  try {
    return await action();
  } catch (err) {
    if (errorEl) errorEl.textContent = err.message;
    else throw err;
    return undefined;
  } finally {
    control.removeAttribute('aria-busy');
  }
}
