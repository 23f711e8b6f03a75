// api — the JSON API under /api/v1, the only thing the UI talks to.
//
// The session is the server's HttpOnly cookie; its CSRF token is kept in memory only (never in
// storage) and sent as X-CSRF-Token on every write. After a reload the token comes back from
// GET /api/v1/session. A failure throws ApiError with the HTTP status and the problem's detail.

let csrf = null;

export class ApiError extends Error {
  constructor(status, detail, body) {
    super(detail || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

const isWrite = (method) => method !== 'GET' && method !== 'HEAD';

// api(path, {method, body, query}): path under /api/v1 ("/analysis/overview"); query an object;
// body sent as JSON, or as it is when a Blob (a File to upload: its type is the Content-Type).
// Resolves to the parsed JSON (null for 204).
export async function api(path, { method = 'GET', body, query } = {}) {
  const qs = query ? `?${new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null))}` : '';
  const headers = { Accept: 'application/json' };
  const raw = body instanceof Blob;
  if (body !== undefined) headers['Content-Type'] = raw ? body.type || 'application/octet-stream' : 'application/json';
  if (isWrite(method) && csrf) headers['X-CSRF-Token'] = csrf;
  const r = await fetch(`/api/v1${path}${qs}`, {
    method, headers, credentials: 'same-origin', body: body === undefined || raw ? body : JSON.stringify(body),
  });
  if (r.status === 204) return null;
  const json = (r.headers.get('content-type') ?? '').includes('json') ? await r.json() : null;
  if (!r.ok) throw new ApiError(r.status, json?.detail ?? json?.title, json);
  return json;
}

// The signed-in account ({name, role, scope}) or null; keeps its CSRF token.
export async function whoami() {
  try {
    const s = await api('/session');
    csrf = s.csrf;
    return { name: s.name, role: s.role, scope: s.scope, lang: s.lang };
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

export async function signIn(name, password) {
  const s = await api('/session', { method: 'POST', body: { name, password } });
  csrf = s.csrf;
  return s.account;
}

// Remembers the UI language for the signed-in account (PUT /session/lang), so that it follows the
// account to another browser.
export async function rememberLang(lang) {
  await api('/session/lang', { method: 'PUT', body: { lang } });
}

export async function signOut() {
  try { await api('/session', { method: 'DELETE' }); } finally { csrf = null; }
}
