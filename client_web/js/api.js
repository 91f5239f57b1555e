// The HTTP API (docs/protocol.md §10): tokens, one shared refresh, kind errors.

const store = window.sessionStorage; // tokens live for this tab only
const UNREACHABLE = "We couldn't reach the server. Please check your connection and try again.";

export class ApiError extends Error {
  constructor(message, { code = 'unreachable', status = 0, data = null } = {}) {
    super(message);
    Object.assign(this, { code, status, data });
  }
}

export const tokens = {
  get access() { return store.getItem('ic.access'); },
  get refresh() { return store.getItem('ic.refresh'); },
  save(t) { store.setItem('ic.access', t.access_token); store.setItem('ic.refresh', t.refresh_token); },
  clear() { store.removeItem('ic.access'); store.removeItem('ic.refresh'); },
};

let onSessionEnded = () => {};
export function whenSessionEnds(handler) { onSessionEnded = handler; }

let refreshing = null;
// true: new tokens stored; false: refused. Refresh tokens rotate, so callers share one request.
export function refreshTokens() {
  refreshing ||= requestRefresh().finally(() => { refreshing = null; });
  return refreshing;
}

async function requestRefresh() {
  if (!tokens.refresh) return false;
  let res;
  try {
    res = await fetch('/api/auth/refresh', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token: tokens.refresh }),
    });
  } catch {
    throw new ApiError(UNREACHABLE);
  }
  if (res.status >= 500) throw new ApiError(UNREACHABLE, { status: res.status });
  if (!res.ok) return false;
  tokens.save(await res.json());
  return true;
}

async function call(method, path, body, { auth = true, retried = false } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (auth) headers.Authorization = `Bearer ${tokens.access}`;
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(UNREACHABLE);
  }
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.ok) return data;
  if (res.status === 401 && auth) { // one refresh, then back to sign-in
    if (!retried && await refreshTokens()) return call(method, path, body, { auth, retried: true });
    onSessionEnded('Your session ended. Please sign in again.');
  }
  throw new ApiError(data?.detail || data?.title || 'Something went wrong. Please try again.',
    { code: data?.code || 'http_error', status: res.status, data });
}

export const api = {
  get: (path) => call('GET', path),
  post: (path, body = {}) => call('POST', path, body),
  put: (path, body = {}) => call('PUT', path, body),
  del: (path) => call('DELETE', path),
  anonymous: (path, body) => call('POST', path, body, { auth: false }),
};

// Save JSON as a file the person keeps (their data export).
export function download(filename, data) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
