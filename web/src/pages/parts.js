// parts — small pieces the work pages share (enterprises, projects, targets, policies, awards):
// a refusal that reveals nothing, paging through a whole list, exact sums of
// yuan strings, the labels of stored choice values in the three languages.
import { card, el } from '../dom.js';

// An inline text in the three languages: x(ctx)('简', '繁', 'en').
export const x = (ctx) => (zhCN, zhTW, en) => ctx.tr({ 'zh-CN': zhCN, 'zh-TW': zhTW, en });

// A 403 or 404 from the API on a page about one row: "not allowed", and nothing about the row
// (whether it exists included). Any other failure is thrown on to the frame.
export function refuse(ctx, root, e) {
  if (e?.status !== 403 && e?.status !== 404) throw e;
  root.replaceChildren(card(ctx.t('denied.title'), el('p', { role: 'alert', class: 'refused' }, ctx.t('denied.text'))));
}

// What a card shows when its own request failed: the server's message, the rest of the page stays.
export function failed(ctx, e) {
  const say = x(ctx);
  if (e?.status === 403 || e?.status === 404) return el('p', { class: 'hint' }, say('当前账号无权查看此部分。', '目前帳號無權檢視此部分。', 'This account may not see this part.'));
  return el('p', { class: 'error', role: 'alert' }, ctx.t('common.error', { detail: e?.message ?? '' }));
}

// Every row of a list route, following its cursor (at most max rows).
export async function everything(ctx, path, query = {}, max = 20000) {
  const items = [];
  let cursor = null;
  do {
    const page = await ctx.api(path, { query: { ...query, limit: 1000, cursor } });
    items.push(...page.items);
    cursor = page.next;
  } while (cursor && items.length < max);
  return items;
}

// Exact sums of yuan decimal strings, in fen (BigInt); back to a yuan string for fmt.moneyEl.
export function fen(yuan) {
  if (yuan === null || yuan === undefined || yuan === '') return 0n;
  const s = String(yuan);
  const neg = s.startsWith('-');
  const [int, frac = ''] = s.replace('-', '').split('.');
  const v = BigInt(int || '0') * 100n + BigInt((frac + '00').slice(0, 2));
  return neg ? -v : v;
}
export function yuan(f) {
  const neg = f < 0n;
  const a = neg ? -f : f;
  return `${neg ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
}

// Today in the server's calendar terms (YYYY-MM-DD, local date).
export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

// Years for a picker, newest first.
export function years(from = 2019, to = new Date().getFullYear()) {
  const out = [];
  for (let y = to; y >= from; y--) out.push(y);
  return out;
}

// The current URL's query with changes applied (null removes a name), as a path to navigate to.
export function withQuery(changes) {
  const q = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') q.delete(k);
    else q.set(k, v);
  }
  const s = q.toString();
  return `${location.pathname}${s ? `?${s}` : ''}`;
}

const L = (zhCN, zhTW, en) => ({ 'zh-CN': zhCN, 'zh-TW': zhTW, en });

// Labels of stored choice values (docs/data-model.md).
export const LABELS = {
  role: {
    chain_master: L('链主', '鏈主', 'chain master'), reserve_master: L('后备链主', '後備鏈主', 'reserve master'),
    backbone: L('骨干企业', '骨幹企業', 'backbone'), member: L('成员企业', '成員企業', 'member'),
  },
  membership: { proposed: L('待确认', '待確認', 'proposed'), confirmed: L('已确认', '已確認', 'confirmed') },
  listing: {
    none: L('未上市', '未上市', 'not listed'), main: L('主板', '主板', 'main board'), star: L('科创板', '科創板', 'STAR'),
    chinext: L('创业板', '創業板', 'ChiNext'), bse: L('北交所', '北交所', 'BSE'), hk: L('港股', '港股', 'Hong Kong'),
    other: L('其他', '其他', 'other'),
  },
  project: {
    planned: L('谋划', '謀劃', 'planned'), signed: L('签约', '簽約', 'signed'), land: L('供地', '供地', 'land'),
    construction: L('在建', '在建', 'construction'), completed: L('竣工', '竣工', 'completed'), producing: L('投产', '投產', 'producing'),
  },
  kind: {
    new: L('新建', '新建', 'new'), expansion: L('扩产', '擴產', 'expansion'), tech_upgrade: L('技术改造', '技術改造', 'technical upgrade'),
    other: L('其他', '其他', 'other'),
  },
  appeal: {
    open: L('待受理', '待受理', 'open'), accepted: L('已受理', '已受理', 'accepted'), in_progress: L('办理中', '辦理中', 'in progress'),
    escalated: L('已提级', '已提級', 'escalated'), resolved: L('已办结', '已辦結', 'resolved'), closed: L('已关闭', '已關閉', 'closed'),
  },
  award: {
    computed: L('已计算', '已計算', 'computed'), reviewed: L('已审核', '已審核', 'reviewed'), approved: L('已批准', '已核准', 'approved'),
    paid: L('已兑付', '已兌付', 'paid'), rejected: L('已驳回', '已駁回', 'rejected'),
  },
  result: {
    eligible: L('符合', '符合', 'eligible'), pending: L('待定金额', '待定金額', 'amount pending'),
    undetermined: L('无法判定', '無法判定', 'undetermined'), not_eligible: L('不符合', '不符合', 'not eligible'),
  },
  subject: {
    enterprise: L('企业', '企業', 'enterprise'), project: L('项目', '項目', 'project'), person: L('人员', '人員', 'person'),
    event: L('事项', '事項', 'event'), platform: L('平台', '平台', 'platform'),
  },
  event: {
    chain_master_designated: L('认定链主', '認定鏈主', 'designated chain master'),
    reserve_master_designated: L('认定后备链主', '認定後備鏈主', 'designated reserve master'),
    talent_studio_established: L('设立人才工作室', '設立人才工作室', 'talent studio established'),
    talent_project_landed: L('人才项目落地', '人才項目落地', 'talent project landed'),
    research_institute_established: L('设立研究院', '設立研究院', 'research institute established'),
    research_institute_operating: L('研究院运营', '研究院運營', 'research institute operating'),
    national_innovation_center: L('国家级创新中心', '國家級創新中心', 'national innovation centre'),
    provincial_innovation_center: L('省级创新中心', '省級創新中心', 'provincial innovation centre'),
    national_key_lab: L('国家重点实验室', '國家重點實驗室', 'national key laboratory'),
    new_rd_institution: L('新型研发机构', '新型研發機構', 'new R&D institution'),
    offshore_rd_institution: L('离岸研发机构', '離岸研發機構', 'offshore R&D institution'),
    competition_prize: L('大赛获奖', '大賽獲獎', 'competition prize'),
    shareholding_reform: L('股份制改造', '股份制改造', 'shareholding reform'),
    listing_tutoring_filed: L('上市辅导备案', '上市輔導備案', 'listing tutoring filed'),
    listing_application_accepted: L('上市申请受理', '上市申請受理', 'listing application accepted'),
    listed: L('已上市', '已上市', 'listed'), fund_established: L('设立基金', '設立基金', 'fund established'),
    cluster_pool_award: L('集群资金池奖励', '集群資金池獎勵', 'cluster pool award'),
    transfer_pool_award: L('转移资金池奖励', '轉移資金池獎勵', 'transfer pool award'), other: L('其他', '其他', 'other'),
  },
  source: {
    article: L('原文', '原文', 'article'), assumed: L('假设（待确认）', '假設（待確認）', 'assumed (to be confirmed)'),
    confirmed: L('已确认', '已確認', 'confirmed'),
  },
};

// The label of a stored value in the language in use, else the value itself.
export const label = (ctx, kind, value) => (LABELS[kind]?.[value] ? ctx.tr(LABELS[kind][value]) : value ?? '—');
