// roles — the account roles the server knows (src/store/accounts.h) grouped as pages need them.
// What a role may read is decided by the server (src/http/scope.c); a page's roles only keep it
// out of the navigation and show "not allowed" instead of a failed request.
export const ALL = ['admin', 'bureau', 'chain', 'division', 'enterprise'];
export const OFFICIALS = ['admin', 'bureau', 'chain', 'division'];
export const ADMIN = ['admin'];

// A page's roles: null is public (no account needed); otherwise the account's role must be listed.
export const allowed = (page, user) => page.roles === null || (user !== null && page.roles.includes(user.role));
