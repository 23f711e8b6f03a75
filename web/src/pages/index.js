// pages — every page of the app in navigation order. A page is a module following the contract
// in docs/ui.md.
import { auditPage, importPage, usersPage } from './admin.js';
import { appealPage, appealsPage } from './appeals.js';
import awards from './awards.js';
import calculator from './calculator.js';
import chain from './chain.js';
import cockpit from './cockpit.js';
import enterprise from './enterprise.js';
import enterprises from './enterprises.js';
import login from './login.js';
import masters from './masters.js';
import policies, { policy } from './policies.js';
import projects from './projects.js';
import targets from './targets.js';

export const pages = [
  cockpit,
  chain,
  enterprises,
  enterprise,
  projects,
  targets,
  appealsPage,
  appealPage,
  policies,
  policy,
  calculator,
  awards,
  masters,
  importPage,
  usersPage,
  auditPage,
  login,
];

// Where the navigation links for a page: its path, or (a page with parameters) what its navPath
// gives for this account, or nothing.
export function navLink(page, user) {
  if (page.nav === false) return null;
  if (!page.path.includes(':')) return page.path;
  return page.navPath ? page.navPath(user) : null;
}
