// i18n — the message catalogue in the three languages, and which language is in use.
//
// The language is chosen by ?lang= (zh-CN, zh-TW, en), which is remembered in this browser;
// otherwise, signed in, the one the account chose with the language picker (main.js: it follows
// the account to another browser); otherwise this browser's remembered one; otherwise the first of
// the browser's languages we have (navigator.languages, which follows Accept-Language); otherwise
// zh-CN. <html lang> follows.
// A message is looked up by key; {name} in it is replaced by vars.name. A key missing from the
// catalogue shows as the key itself, so a gap is visible rather than blank.

export const LANGS = ['zh-CN', 'zh-TW', 'en'];
export const LANG_NAMES = { 'zh-CN': '简体中文', 'zh-TW': '繁體中文', en: 'English' };
const STORE_KEY = 'lz-lang';

// key: [zh-CN, zh-TW, en]
const M = {
  'app.title': ['链长制产业链管理平台', '鏈長制產業鏈管理平台', 'Chain-Leader Industrial Platform'],
  'app.skip': ['跳到主要内容', '跳到主要內容', 'Skip to main content'],
  'nav.label': ['主导航', '主導航', 'Main navigation'],
  'nav.language': ['语言', '語言', 'Language'],
  'nav.signout': ['退出登录', '登出', 'Sign out'],
  'nav.signin': ['登录', '登入', 'Sign in'],
  'nav.signedin': ['当前账号：{name}（{role}）', '目前帳號：{name}（{role}）', 'Signed in: {name} ({role})'],
  'role.admin': ['系统管理员', '系統管理員', 'administrator'],
  'role.bureau': ['市直部门', '市直部門', 'municipal bureau'],
  'role.chain': ['链长办', '鏈長辦', 'chain office'],
  'role.division': ['县（市、区）', '縣（市、區）', 'district'],
  'role.enterprise': ['企业', '企業', 'enterprise'],
  'page.cockpit': ['驾驶舱', '駕駛艙', 'Cockpit'],
  'page.login': ['登录', '登入', 'Sign in'],
  'page.notfound': ['页面不存在', '頁面不存在', 'Page not found'],
  'notfound.text': ['没有这个页面。请从左侧导航选择。', '沒有這個頁面。請從左側導航選擇。', 'There is no such page. Choose one from the navigation.'],
  'denied.title': ['无权访问', '無權存取', 'Not allowed'],
  'denied.text': ['当前账号无权查看此页面。', '目前帳號無權檢視此頁面。', 'This account may not see this page.'],
  'common.loading': ['正在加载…', '載入中…', 'Loading…'],
  'common.error': ['加载失败：{detail}', '載入失敗：{detail}', 'Could not load: {detail}'],
  'common.year': ['年度', '年度', 'Year'],
  'common.none': ['无', '無', 'none'],
  'login.heading': ['账号登录', '帳號登入', 'Sign in to your account'],
  'login.name': ['账号', '帳號', 'Account name'],
  'login.password': ['密码', '密碼', 'Password'],
  'login.submit': ['登录', '登入', 'Sign in'],
  'login.failed': ['账号或密码不正确。', '帳號或密碼不正確。', 'Wrong account name or password.'],
  'login.throttled': ['尝试次数过多，请 {s} 秒后再试。', '嘗試次數過多，請 {s} 秒後再試。', 'Too many attempts: try again in {s} seconds.'],
  'login.calculator': ['无需账号：试算可享受的政策奖补', '無需帳號：試算可享受的政策獎補', 'No account needed: estimate the support you could get'],
  'cockpit.clusters': ['产业集群产值与2025年目标', '產業集群產值與2025年目標', 'Cluster output against the 2025 targets'],
  'cockpit.output': ['产值', '產值', 'Output'],
  'cockpit.target': ['2025年目标', '2025年目標', '2025 target'],
  'cockpit.needed': ['尚需年均增速', '尚需年均增速', 'Yearly growth still needed'],
  'cockpit.growth': ['同比增长', '年增率', 'Growth'],
  'cockpit.notarget': ['未设目标', '未設目標', 'no target'],
  'cockpit.health': ['产业链健康度', '產業鏈健康度', 'Chain health'],
  'cockpit.supply': ['本地配套率', '本地配套率', 'Local supply rate'],
  'cockpit.projects': ['重点项目亮灯', '重點項目亮燈', 'Key projects by light'],
  'cockpit.targets': ['招商目标漏斗', '招商目標漏斗', 'Investment-target funnel'],
  'cockpit.appeals': ['企业诉求办理', '企業訴求辦理', 'Appeals'],
  'cockpit.awards': ['奖补兑现（按政策）', '獎補兌現（按政策）', 'Awards by policy'],
  'cockpit.departments': ['奖补兑现（按部门）', '獎補兌現（按部門）', 'Awards by department'],
  'cockpit.decided': ['已决定', '已決定', 'Decided'],
  'cockpit.paid': ['已兑付', '已兌付', 'Paid'],
  'cockpit.decidedAmount': ['决定金额', '決定金額', 'Amount decided'],
  'cockpit.paidAmount': ['兑付金额', '兌付金額', 'Amount paid'],
  'cockpit.count': ['笔数', '筆數', 'Count'],
  'cockpit.amount': ['金额', '金額', 'Amount'],
  'cockpit.policy': ['政策', '政策', 'Policy'],
  'cockpit.department': ['部门', '部門', 'Department'],
  'cockpit.chain': ['产业链', '產業鏈', 'Chain'],
  'cockpit.cluster': ['集群', '集群', 'Cluster'],
  'cockpit.noawards': ['该年度暂无奖补记录。', '該年度暫無獎補紀錄。', 'No awards recorded for this year.'],
  'cockpit.stage': ['阶段', '階段', 'Stage'],
  'cockpit.expected': ['预计投资', '預計投資', 'Expected investment'],
  'cockpit.asof': ['数据截至 {date}', '資料截至 {date}', 'Figures as of {date}'],
  'calc.heading': ['输入企业情况试算', '輸入企業情況試算', 'Enter your figures'],
  'calc.intro': ['填写企业和项目的基本数据，即可试算当年度可能获得的奖补及其依据。试算不保存任何数据，结果以主管部门核定为准。', '填寫企業和項目的基本資料，即可試算當年度可能獲得的獎補及其依據。試算不保存任何資料，結果以主管部門核定為準。', 'Type in your enterprise and project figures to see what support you could get in an award year, and why. Nothing you type is stored; the department decides.'],
  'calc.year': ['奖励年度', '獎勵年度', 'Award year'],
  'calc.industry': ['国民经济行业代码（4位）', '國民經濟行業代碼（4位）', 'Industry code (GB/T 4754, 4 digits)'],
  'calc.industryHint': ['例如 3841 锂离子电池制造', '例如 3841 鋰離子電池製造', 'e.g. 3841 lithium-ion battery manufacturing'],
  'calc.entryYear': ['统计局规上入库年份（如有）', '統計局規上入庫年份（如有）', 'Year entered above size (statistics bureau), if any'],
  'calc.local': ['本地注册企业', '本地註冊企業', 'Registered locally'],
  'calc.yearFigures': ['{year}年度指标', '{year}年度指標', 'Figures for {year}'],
  'calc.aboveScale': ['规模以上企业', '規模以上企業', 'Above designated size'],
  'calc.valueAdded': ['工业增加值', '工業增加值', 'Industrial value added'],
  'calc.revenue': ['主营业务收入', '主營業務收入', 'Main business revenue'],
  'calc.employees': ['从业人员（人）', '從業人員（人）', 'Employees'],
  'calc.wan': ['万元', '萬元', '10,000 yuan'],
  'calc.project': ['项目（可选）', '項目（可選）', 'Project (optional)'],
  'calc.projectKind': ['项目类型', '項目類型', 'Project kind'],
  'calc.noProject': ['无项目', '無項目', 'no project'],
  'calc.techUpgrade': ['技术改造', '技術改造', 'technical upgrade'],
  'calc.fixedAsset': ['固定资产投资', '固定資產投資', 'Fixed-asset investment'],
  'calc.equipment': ['设备投资', '設備投資', 'Equipment investment'],
  'calc.approvedEquipment': ['核定设备购置额', '核定設備購置額', 'Approved equipment purchase'],
  'calc.completion': ['实际竣工日期', '實際竣工日期', 'Completion date'],
  'calc.projectId': ['本项目', '本項目', 'this project'],
  'calc.self': ['本企业', '本企業', 'this enterprise'],
  'calc.submit': ['开始试算', '開始試算', 'Calculate'],
  'calc.badAmount': ['“{field}”应为数字。', '「{field}」應為數字。', '"{field}" must be a number.'],
  'calc.throttled': ['试算过于频繁，请稍后再试。', '試算過於頻繁，請稍後再試。', 'Too many calculations: try again in a minute.'],
  'calc.results': ['{year}年度试算结果', '{year}年度試算結果', 'Results for award year {year}'],
  'calc.total': ['符合条件的奖补合计：', '符合條件的獎補合計：', 'Total of the eligible awards:'],
  'calc.nothing': ['按所填数据，没有可能获得的奖补。', '按所填資料，沒有可能獲得的獎補。', 'With these figures, no policy would pay.'],
  'calc.notEligible': ['不符合条件的政策（{n}项）', '不符合條件的政策（{n}項）', 'Policies that would not pay ({n})'],
  'calc.status': ['结论', '結論', 'Result'],
  'calc.explanation': ['依据', '依據', 'Explanation'],
  'calc.why': ['查看条款与计算过程', '查看條款與計算過程', 'Clause and calculation'],
  'calc.disclaimer': ['试算结果仅供参考，不构成奖补决定。', '試算結果僅供參考，不構成獎補決定。', 'An estimate only, not a decision.'],
  'status.eligible': ['符合条件', '符合條件', 'eligible'],
  'status.pending': ['待定', '待定', 'pending'],
  'status.undetermined': ['缺少数据', '缺少資料', 'facts missing'],
  'status.not_eligible': ['不符合', '不符合', 'not eligible'],
  'chain.upstream': ['上游', '上游', 'Upstream'],
  'chain.midstream': ['中游', '中游', 'Midstream'],
  'chain.downstream': ['下游', '下游', 'Downstream'],
  'chain.map': ['产业链环节', '產業鏈環節', 'Segments, upstream to downstream'],
  'chain.legend': ['条形长度为本地产值占比；实线为较强，虚线为薄弱，点线为缺失；鼠标停留查看原因，点击查看企业与招商建议。', '條形長度為本地產值占比；實線為較強，虛線為薄弱，點線為缺失；滑鼠停留查看原因，點擊查看企業與招商建議。', 'Bar length: share of local output. Solid: strong, dashed: thin, dotted: missing. Hover for the reasons; click for enterprises and targets.'],
  'chain.segmentLine': ['本地企业{n}家 · 本地配套率{rate}', '本地企業{n}家 · 本地配套率{rate}', '{n} local firms · local supply {rate}'],
  'chain.broken': ['（断链）', '（斷鏈）', ' (broken)'],
  'chain.breaks': ['断链（无本地供应）', '斷鏈（無本地供應）', 'Breaks (no local flow)'],
  'chain.segment': ['环节：{name}', '環節：{name}', 'Segment: {name}'],
  'chain.outside': ['向外地采购：', '向外地採購：', 'Bought from outside:'],
  'chain.enterprises': ['本地企业（{n}家）', '本地企業（{n}家）', 'Local enterprises ({n})'],
  'chain.enterprise': ['企业', '企業', 'Enterprise'],
  'chain.role': ['身份', '身分', 'Role'],
  'chain.master': ['链主', '鏈主', 'chain master'],
  'chain.backbone': ['骨干', '骨幹', 'backbone'],
  'chain.fill': ['可补链的招商对象', '可補鏈的招商對象', 'Targets that would fill it'],
  'chain.noFill': ['暂无针对本环节的推荐。', '暫無針對本環節的推薦。', 'No recommendation for this segment.'],
  'chain.bought': ['本地采购额', '本地採購額', 'Bought by local firms'],
  'chain.why': ['推荐理由', '推薦理由', 'Why'],
  'chain.toTargets': ['查看本链招商目标', '查看本鏈招商目標', 'This chain\'s investment targets'],
  'label.missing': ['缺失', '缺失', 'missing'],
  'label.thin': ['薄弱', '薄弱', 'thin'],
  'label.strong': ['较强', '較強', 'strong'],
  'light.green': ['绿灯', '綠燈', 'green'],
  'light.yellow': ['黄灯', '黃燈', 'yellow'],
  'light.red': ['红灯', '紅燈', 'red'],
  'light.cannot_tell': ['无法判断', '無法判斷', 'cannot tell'],
  'appeals.open': ['办理中', '辦理中', 'Open'],
  'appeals.overdue': ['已超期', '已逾期', 'Overdue'],
  'appeals.closed_on_time': ['按时办结', '準時辦結', 'Closed on time'],
  'appeals.closed_late': ['超期办结', '逾期辦結', 'Closed late'],
  'stage.lead': ['线索', '線索', 'lead'],
  'stage.contacted': ['已接触', '已接觸', 'contacted'],
  'stage.visited': ['已拜访', '已拜訪', 'visited'],
  'stage.negotiating': ['洽谈中', '洽談中', 'negotiating'],
  'stage.signed': ['已签约', '已簽約', 'signed'],
  'stage.landed': ['已落地', '已落地', 'landed'],
  'stage.lost': ['已流失', '已流失', 'lost'],
};

const index = (lang) => Math.max(0, LANGS.indexOf(lang));

export function pickLang(search, stored, browser) {
  const asked = new URLSearchParams(search).get('lang');
  if (LANGS.includes(asked)) return asked;
  if (LANGS.includes(stored)) return stored;
  for (const l of browser ?? []) {
    const low = l.toLowerCase();
    if (/^zh-(tw|hk|mo|hant)/.test(low)) return 'zh-TW';
    if (low.startsWith('zh')) return 'zh-CN';
    if (low.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

let current = 'zh-CN';

// Chooses the language from the URL, what this browser remembers and its languages; remembers a
// ?lang= choice. Sets <html lang>.
export function initLang() {
  let stored = null;
  try { stored = localStorage.getItem(STORE_KEY); } catch { /* storage off: not remembered */ }
  current = pickLang(location.search, stored, navigator.languages);
  if (new URLSearchParams(location.search).has('lang')) setLang(current);
  document.documentElement.lang = current;
  return current;
}

export function setLang(lang) {
  if (!LANGS.includes(lang)) return;
  current = lang;
  try { localStorage.setItem(STORE_KEY, lang); } catch { /* not remembered */ }
  document.documentElement.lang = lang;
}

export const lang = () => current;

export function t(key, vars = {}) {
  const m = M[key];
  const text = m ? m[index(current)] : key;
  return text.replace(/\{(\w+)\}/g, (_, k) => (vars[k] ?? `{${k}}`));
}

// A per-language text given inline ({zh-CN, zh-TW, en}), as a page's title is.
export const tr = (texts) => texts[current] ?? texts['zh-CN'];
