// shell — the frame around every page: the skip link, the top bar (title, account, language,
// sign out), the left navigation with the pages this account may use, and the main region with
// the page's heading. Returns the element the page renders into.
import { el, replace } from './dom.js';
import { LANGS, LANG_NAMES, lang, t, tr } from './i18n.js';
import { navLink } from './pages/index.js';
import { allowed } from './roles.js';

function langPicker(onLang) {
  const select = el('select', { id: 'lang', onchange: (e) => onLang(e.target.value) },
    LANGS.map((l) => el('option', { value: l, selected: l === lang() }, LANG_NAMES[l])));
  return el('div', { class: 'lang' }, el('label', { for: 'lang' }, t('nav.language')), select);
}

function account(user, onSignOut) {
  if (!user) return el('a', { class: 'btn', href: '/login' }, t('nav.signin'));
  return el('div', { class: 'account' },
    el('span', {}, t('nav.signedin', { name: user.name, role: t(`role.${user.role}`) })),
    el('button', { type: 'button', class: 'btn', onclick: onSignOut }, t('nav.signout')));
}

function nav(pages, user, pathname) {
  const items = pages.filter((p) => allowed(p, user))
    .map((p) => [p, navLink(p, user)])
    .filter(([, href]) => href);
  return el('nav', { class: 'side', 'aria-label': t('nav.label') },
    el('ul', {}, items.map(([p, href]) => el('li', {},
      el('a', { href, 'aria-current': href === pathname ? 'page' : null }, tr(p.title))))));
}

// Draws the frame for page (its title a {lang: text} object) and returns the page's container.
export function frame(app, { pages, page, user, pathname, onLang, onSignOut }) {
  const heading = el('h1', { id: 'page-title' }, tr(page.title));
  const content = el('div', { class: 'page' });
  const main = el('main', { id: 'main', tabindex: '-1', 'aria-labelledby': 'page-title' }, heading, content);
  const bare = page.path === '/login';
  replace(app,
    el('a', { class: 'skip', href: '#main' }, t('app.skip')),
    el('header', { class: 'top' },
      el('a', { class: 'brand', href: user ? '/' : '/login' }, t('app.title')),
      el('div', { class: 'tools' }, langPicker(onLang), bare ? null : account(user, onSignOut))),
    el('div', { class: `body${bare || !user ? ' bare' : ''}${bare ? ' login' : ''}` }, user ? nav(pages, user, pathname) : null, main));
  document.title = `${tr(page.title)} · ${t('app.title')}`;
  return content;
}
