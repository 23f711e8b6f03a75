// main — starts the app: the language, the signed-in account, then the page for the URL.
//
// A page that needs an account sends a signed-out visitor to /login?next=PATH, and the sign-in
// comes back there. A page the account's role may not use says so and loads nothing. Each page
// renders into a fresh container, so a slow page that finishes after the user moved on writes
// into a detached node and never over the next page.
import { api, rememberLang, signOut, whoami } from './api.js';
import { card, el, table } from './dom.js';
import * as fmt from './format.js';
import { initLang, lang, setLang, t, tr } from './i18n.js';
import notfound from './pages/notfound.js';
import { pages } from './pages/index.js';
import { allowed } from './roles.js';
import { listen, match } from './router.js';
import { frame } from './shell.js';

const app = document.getElementById('app');
let user = null;
let leaving = [];

const home = (u) => (u?.role === 'enterprise' ? `/enterprises/${encodeURIComponent(u.scope)}` : '/');

function denied(root) {
  root.append(card(t('denied.title'), el('p', { role: 'alert' }, t('denied.text'))));
}

function context(params, url, go) {
  return {
    api, t, tr, lang: lang(), params, query: url.searchParams, user, fmt, el, card, table,
    navigate: (to, { replace = false } = {}) => go(to, { push: !replace, replace }),
    setUser: (u) => { user = u; },
    home: () => home(user),
    onLeave: (fn) => leaving.push(fn),
  };
}

// Where a visit to url should go instead, or null to show it.
function redirect(page, url) {
  const here = url.pathname + url.search;
  if (page.roles !== null && !user) return `/login?next=${encodeURIComponent(here)}`;
  if (url.pathname === '/' && user?.role === 'enterprise') return home(user);
  return null;
}

// The language of a signed-in visit without ?lang=: the one the account chose with the picker
// (a ?lang= link is the link's choice, kept in this browser, not the account's preference).
function followLang(url) {
  if (user?.lang && user.lang !== lang() && !url.searchParams.has('lang')) setLang(user.lang);
}

// A language chosen with the picker: used now, remembered in this browser and for the account.
// A failure to remember is not the page's concern: the choice holds in this browser anyway.
function chooseLang(l) {
  setLang(l);
  if (!user || user.lang === lang()) return;
  user.lang = lang();
  rememberLang(user.lang).catch(() => {});
}

async function go(to, { push = false, replace = false } = {}) {
  const url = new URL(to, location.origin);
  followLang(url);
  delete document.documentElement.dataset.rendered;
  const found = match(pages, url.pathname) ?? { page: notfound, params: {} };
  const other = redirect(found.page, url);
  if (other) return go(other, { replace: true });
  if (push) history.pushState(null, '', url.pathname + url.search);
  else if (replace) history.replaceState(null, '', url.pathname + url.search);
  for (const fn of leaving.splice(0)) fn();
  const root = frame(app, {
    pages, page: found.page, user, pathname: url.pathname,
    onLang: (l) => { chooseLang(l); go(location.pathname + location.search); },
    onSignOut: async () => { await signOut(); user = null; go('/login', { push: true }); },
  });
  if (!allowed(found.page, user)) {
    denied(root);
  } else {
    try {
      await found.page.render(root, context(found.params, url, go));
    } catch (e) {
      root.append(el('p', { class: 'error', role: 'alert' }, t('common.error', { detail: e.message })));
    }
  }
  if (push) document.getElementById('main')?.focus();
  // For the browser tests and the bench: when the page finished its first render.
  performance.mark('lz-rendered');
  document.documentElement.dataset.rendered = url.pathname;
}

initLang();
user = await whoami();
listen(go);
go(location.pathname + location.search);
