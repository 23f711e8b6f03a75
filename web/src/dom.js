// dom — building elements without HTML strings, so that no text is ever parsed as markup and no
// inline style reaches the page (the Content-Security-Policy forbids both).
//
// el('a', {href: '/x', class: 'btn', onclick: fn}, 'text', child, [more]) makes an element:
// attributes by name (on* names add listeners, `class` and `for` as written, false/null skipped);
// children are strings (text nodes), nodes, arrays of either, or null (skipped).

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// Empties node and fills it with children.
export function replace(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

// A card: a section with a heading (h2) and its content; id names the heading for aria-labelledby.
let cards = 0;
export function card(title, ...content) {
  const id = `card-${++cards}`;
  return el('section', { class: 'card', 'aria-labelledby': id }, el('h2', { id }, title), ...content);
}

// A table: columns [{label, num?}], rows of cell values (strings or nodes). Numbers right-aligned.
export function table(caption, columns, rows) {
  return el('table', { class: 'data' },
    caption ? el('caption', {}, caption) : null,
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
    el('tbody', {}, rows.map((r) => el('tr', {}, r.map((v, i) => el('td', { class: columns[i].num ? 'num' : null }, v))))));
}
