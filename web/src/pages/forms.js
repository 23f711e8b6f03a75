// forms — the builders of form controls every page shares (the labelled field and the select have
// their one home here), and what the desk pages (appeals, masters, administration) add: labelled
// fields, a message line that announces itself, an API failure with each field it names (in a
// list, or beside each field of a form), and "load more" paging over the API's cursor.
import { el, replace } from '../dom.js';

let fields = 0;

// The one labelled field of every page: <div.field><label for>control<p.field-error>, the error
// line (fieldErrors) describing the control. Two ways to call it:
//   field(label, control, {inline})             a control already built (it needs an id)
//   field(label, 'input', {name, ...}, ...kids) the control made here, given an id if it has none
// Returns the wrapper; the control is wrapper.control, the error line wrapper.error.
export function field(label, control, opts = {}, ...children) {
  let inline = false;
  if (typeof control === 'string') {
    control = el(control, { ...opts, id: opts.id ?? `f-${++fields}` }, ...children);
  } else {
    inline = opts.inline ?? false;
  }
  const error = el('p', { class: 'field-error', id: `${control.id}-error`, 'aria-live': 'polite' });
  control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), error.id].filter(Boolean).join(' '));
  const wrap = el('div', { class: inline ? 'field inline' : 'field' }, el('label', { for: control.id }, label), control, error);
  wrap.control = control;
  wrap.error = error;
  return wrap;
}

// A <select> of [value, text] pairs; selected is the chosen value. Its id is its name too.
export function select(id, options, selected, attrs = {}) {
  return el('select', { id, name: id, ...attrs },
    options.map(([v, text]) => el('option', { value: v, selected: String(v) === String(selected ?? '') }, text)));
}

// A labelled <select> field named name (select() inside field()).
export function selectField(label, name, options, selected, attrs = {}) {
  return field(label, select(attrs.id ?? `f-${++fields}`, options, selected, { ...attrs, name }));
}

// A line for the outcome of an action: status (polite) or alert (an error).
export function message() {
  const node = el('p', { class: 'desk-msg', role: 'status', 'aria-live': 'polite' });
  node.ok = (text) => { node.className = 'desk-msg ok'; node.setAttribute('role', 'status'); replace(node, text); };
  node.fail = (ctx, e) => {
    node.className = 'desk-msg error';
    node.setAttribute('role', 'alert');
    replace(node, problem(ctx, e));
  };
  node.clear = () => { node.className = 'desk-msg'; replace(node); };
  return node;
}

// An API failure as the reader needs it: the detail, then each named field and its reason.
export function problem(ctx, e) {
  const errs = Array.isArray(e?.body?.errors) ? e.body.errors : [];
  return [
    e?.message ?? String(e),
    errs.length ? ctx.el('ul', { class: 'desk-errors' }, errs.map((x) =>
      ctx.el('li', {}, x.field ? `${x.field}: ` : '', x.reason ?? ''))) : null,
  ];
}

// Puts each error of an API failure beside the field it names: fields maps a body member to its
// field() wrapper. The control is marked invalid and described by its message; the first one
// takes focus. Returns the errors no field took (for the message line). clearFieldErrors undoes it.
export function fieldErrors(fields, e) {
  clearFieldErrors(fields);
  const rest = [];
  let first = null;
  for (const x of Array.isArray(e?.body?.errors) ? e.body.errors : []) {
    const f = fields[x.field];
    if (!f) { rest.push(x); continue; }
    f.error.textContent = f.error.textContent ? `${f.error.textContent} ${x.reason}` : x.reason;
    f.control.setAttribute('aria-invalid', 'true');
    first ??= f.control;
  }
  first?.focus();
  return rest;
}

export function clearFieldErrors(fields) {
  for (const f of Object.values(fields)) {
    f.error.textContent = '';
    f.control.removeAttribute('aria-invalid');
  }
}

// Disables a form's controls while fn runs (no double submits), then enables them again.
export async function busy(form, fn) {
  const controls = [...form.querySelectorAll('button, input, select, textarea')];
  const was = controls.map((c) => c.disabled);
  controls.forEach((c) => { c.disabled = true; });
  try {
    return await fn();
  } finally {
    controls.forEach((c, i) => { c.disabled = was[i]; });
  }
}

// A table body that grows page by page: load(cursor) resolves to {items, next}; row(item) gives
// the cells. Returns {node, reload()}; the button reads "more" while the API says there is more.
export function pagedRows(ctx, { columns, row, load, caption, empty }) {
  const { el, table } = ctx;
  const tbl = table(caption, columns, []);
  const body = tbl.querySelector('tbody');
  const more = el('button', { type: 'button', class: 'btn', hidden: true },
    ctx.tr({ 'zh-CN': '加载更多', 'zh-TW': '載入更多', en: 'Load more' }));
  const count = el('p', { class: 'hint', role: 'status' });
  const msg = message();
  let next = null;
  let shown = 0;
  const fill = async (cursor) => {
    try {
      const page = await load(cursor);
      for (const item of page.items) {
        body.append(el('tr', {}, row(item).map((v, i) => el('td', { class: columns[i].num ? 'num' : null }, v))));
      }
      shown += page.items.length;
      next = page.next ?? null;
      more.hidden = !next;
      const total = page.total ?? null;
      replace(count, shown === 0 ? empty : total !== null
        ? ctx.tr({ 'zh-CN': `显示 ${shown} / 共 ${total} 条`, 'zh-TW': `顯示 ${shown} / 共 ${total} 筆`, en: `${shown} of ${total} shown` })
        : ctx.tr({ 'zh-CN': `显示 ${shown} 条`, 'zh-TW': `顯示 ${shown} 筆`, en: `${shown} shown` }));
    } catch (e) {
      msg.fail(ctx, e);
    }
  };
  more.addEventListener('click', () => fill(next));
  const node = el('div', { class: 'desk-scroll' }, tbl, count, msg, more);
  return {
    node,
    reload: () => { body.replaceChildren(); shown = 0; next = null; msg.clear(); return fill(null); },
  };
}
