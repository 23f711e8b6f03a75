// pages — every page of the app in navigation order. A page is a module following the contract
// in docs/ui.md; a path not built yet is a placeholder (routed, linked, titled, role-checked).
import { ADMIN, ALL, OFFICIALS } from '../roles.js';
import calculator from './calculator.js';
import chain from './chain.js';
import cockpit from './cockpit.js';
import awards from './awards.js';
import enterprise from './enterprise.js';
import enterprises from './enterprises.js';
import policies, { policy } from './policies.js';
import projects from './projects.js';
import targets from './targets.js';
import login from './login.js';
import { placeholder } from './placeholder.js';

const T = (zhCN, zhTW, en) => ({ 'zh-CN': zhCN, 'zh-TW': zhTW, en });

export const pages = [
  cockpit,
  chain,
  enterprises,
  enterprise,
  projects,
  targets,
  placeholder('/appeals', T('企业诉求', '企業訴求', 'Appeals'), ALL),
  placeholder('/appeals/:id', T('诉求详情', '訴求詳情', 'Appeal'), ALL),
  policies,
  policy,
  calculator,
  awards,
  placeholder('/masters', T('链主企业', '鏈主企業', 'Chain masters'), ['admin', 'bureau', 'chain']),
  placeholder('/admin/import', T('数据导入', '資料匯入', 'Import'), ADMIN),
  placeholder('/admin/users', T('账号管理', '帳號管理', 'Users'), ADMIN),
  placeholder('/admin/audit', T('审计日志', '稽核日誌', 'Audit log'), ADMIN),
  login,
];

// Where the navigation links for a page: its path, or (a page with parameters) what its navPath
// gives for this account, or nothing.
export function navLink(page, user) {
  if (page.nav === false) return null;
  if (!page.path.includes(':')) return page.path;
  return page.navPath ? page.navPath(user) : null;
}
