// pages — every page of the app in navigation order. A page is a module following the contract
// in docs/ui.md; a path not built yet is a placeholder (routed, linked, titled, role-checked).
import { ALL, OFFICIALS } from '../roles.js';
import calculator from './calculator.js';
import chain from './chain.js';
import cockpit from './cockpit.js';
import { auditPage, importPage, usersPage } from './admin.js';
import { appealPage, appealsPage } from './appeals.js';
import login from './login.js';
import masters from './masters.js';
import { placeholder } from './placeholder.js';

const T = (zhCN, zhTW, en) => ({ 'zh-CN': zhCN, 'zh-TW': zhTW, en });

export const pages = [
  cockpit,
  chain,
  placeholder('/enterprises', T('企业库', '企業庫', 'Enterprises'), OFFICIALS),
  placeholder('/enterprises/:uscc', T('企业详情', '企業詳情', 'Enterprise'), ALL, {
    navPath: (user) => (user?.role === 'enterprise' ? `/enterprises/${user.scope}` : null),
  }),
  placeholder('/projects', T('重点项目', '重點項目', 'Key projects'), OFFICIALS),
  placeholder('/targets', T('招商目标', '招商目標', 'Investment targets'), OFFICIALS),
  appealsPage,
  appealPage,
  placeholder('/policies', T('政策库', '政策庫', 'Policies'), ALL),
  placeholder('/policies/:id', T('政策详情', '政策詳情', 'Policy'), ALL),
  calculator,
  placeholder('/awards', T('奖补兑现', '獎補兌現', 'Awards'), ['admin', 'bureau']),
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
