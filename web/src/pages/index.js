// pages — every page of the app in navigation order. A page is a module following the contract
// in docs/ui.md; a path not built yet is a placeholder (routed, linked, titled, role-checked).
import { ADMIN, ALL, OFFICIALS } from '../roles.js';
import calculator from './calculator.js';
import chain from './chain.js';
import cockpit from './cockpit.js';
import login from './login.js';
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
  placeholder('/appeals', T('企业诉求', '企業訴求', 'Appeals'), ALL),
  placeholder('/appeals/:id', T('诉求详情', '訴求詳情', 'Appeal'), ALL),
  placeholder('/policies', T('政策库', '政策庫', 'Policies'), ALL),
  placeholder('/policies/:id', T('政策详情', '政策詳情', 'Policy'), ALL),
  calculator,
  placeholder('/awards', T('奖补兑现', '獎補兌現', 'Awards'), ['admin', 'bureau']),
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
