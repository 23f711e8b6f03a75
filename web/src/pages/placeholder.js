// placeholder — a page that is routed (its links and deep links work) but not built yet.
import { card, el } from '../dom.js';

export function placeholder(path, title, roles, extra = {}) {
  return {
    path, title, roles, ...extra,
    async render(root, ctx) {
      root.append(card(ctx.tr(title), el('p', {}, ctx.t('placeholder.text'))));
    },
  };
}
