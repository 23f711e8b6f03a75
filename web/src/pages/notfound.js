// notfound — what any path the app does not know shows (the server answers it with 404).
import { card, el } from '../dom.js';

export default {
  path: '/*',
  title: { 'zh-CN': '页面不存在', 'zh-TW': '頁面不存在', en: 'Page not found' },
  roles: null,
  async render(root, ctx) {
    root.append(card(ctx.t('page.notfound'), el('p', {}, ctx.t('notfound.text')), el('p', {}, el('a', { href: '/' }, ctx.t('page.cockpit')))));
  },
};
