// login — the sign-in form: inputs named name and password, one submit button. A failure is
// announced in an alert next to the form and the password field is cleared and focused. After
// signing in, the visitor goes back to ?next= (a path of this site only) or to their home page.
import { signIn } from '../api.js';
import { card, el } from '../dom.js';

const safeNext = (next) => (next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : null);

export default {
  path: '/login',
  title: { 'zh-CN': '登录', 'zh-TW': '登入', en: 'Sign in' },
  roles: null,
  nav: false,
  async render(root, ctx) {
    const { t, el: h } = ctx;
    const error = h('p', { id: 'login-error', class: 'error', role: 'alert' });
    const name = h('input', { id: 'login-name', name: 'name', autocomplete: 'username', required: true, 'aria-describedby': 'login-error' });
    const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password',
      required: true, 'aria-describedby': 'login-error' });
    const submit = h('button', { type: 'submit', class: 'btn primary' }, t('login.submit'));
    const form = h('form', { class: 'login', method: 'post', action: '/login', novalidate: false },
      h('div', { class: 'field' }, h('label', { for: 'login-name' }, t('login.name')), name),
      h('div', { class: 'field' }, h('label', { for: 'login-password' }, t('login.password')), password),
      error, submit);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      submit.disabled = true;
      error.textContent = '';
      try {
        ctx.setUser(await signIn(name.value.trim(), password.value));
        ctx.navigate(safeNext(ctx.query.get('next')) ?? ctx.home(), { replace: true });
      } catch (err) {
        const retry = err.body?.retry_after ?? err.body?.detail?.match(/\d+/)?.[0];
        error.textContent = err.status === 429 ? t('login.throttled', { s: retry ?? '60' }) : err.status === 401 || err.status === 400
          ? t('login.failed') : t('common.error', { detail: err.message });
        password.value = '';
        password.focus();
        submit.disabled = false;
      }
    });
    root.append(
      card(t('login.heading'), form),
      el('p', { class: 'aside' }, el('a', { href: '/calculator' }, t('login.calculator'))));
    name.focus();
  },
};
