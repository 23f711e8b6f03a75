// router — which page a path shows, and moving between pages without reloading.
//
// A page module declares its path as a pattern ("/chains/:code"); match() finds the page and its
// parameters. Links inside the app (<a href="/..."> without target or modifier keys) are followed
// here with history.pushState; the back button re-renders through onPop.

// The page for pathname and its params ({code: "NM-BATTERY"}), or null.
export function match(pages, pathname) {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  for (const page of pages) {
    const pat = page.path.split('/').filter(Boolean);
    if (pat.length !== parts.length) continue;
    const params = {};
    if (pat.every((p, i) => (p.startsWith(':') ? ((params[p.slice(1)] = parts[i]), true) : p === parts[i]))) return { page, params };
  }
  return null;
}

// Calls go(url) for clicks on same-origin links and for back/forward.
export function listen(go) {
  document.addEventListener('click', (e) => {
    const a = e.target.closest?.('a[href]');
    if (!a || a.getAttribute('href').startsWith('#') || a.target || a.hasAttribute('download') || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
    e.preventDefault();
    go(url.pathname + url.search, { push: true });
  });
  window.addEventListener('popstate', () => go(location.pathname + location.search, { push: false }));
}
