// admin — the administrator's pages: accounts (the list with a move to disable or enable each,
// creating one with the checks of `lianzhang user add` and each refused field's reason beside it,
// lifting a sign-in throttle,
// changing one's own password), spreadsheet import (all or nothing: every row
// error in a table, and the proof that nothing was written), and the audit log with filters.
import { ADMIN } from '../roles.js';
import { busy, clearFieldErrors, field, fieldErrors, message, pagedRows, selectField } from './forms.js';

// The data contract's tables in dependency order (src/model/tables.c), with their names.
const TABLES = [
  ['divisions', '行政区划', '行政區劃', 'Divisions'],
  ['clusters', '产业集群', '產業集群', 'Clusters'],
  ['chains', '产业链', '產業鏈', 'Chains'],
  ['segments', '产业链环节', '產業鏈環節', 'Chain segments'],
  ['enterprises', '企业', '企業', 'Enterprises'],
  ['memberships', '链上企业', '鏈上企業', 'Chain memberships'],
  ['indicators', '企业年度指标', '企業年度指標', 'Yearly indicators'],
  ['supply_links', '供应关系', '供應關係', 'Supply links'],
  ['projects', '重点项目', '重點項目', 'Key projects'],
  ['persons', '人才', '人才', 'Persons'],
  ['events', '事项', '事項', 'Events'],
  ['targets', '招商目标', '招商目標', 'Investment targets'],
  ['platforms', '创新平台', '創新平台', 'Platforms'],
  ['appeals', '企业诉求', '企業訴求', 'Appeals'],
  ['key_enterprises', '重点企业名录', '重點企業名錄', 'Key-enterprise directory'],
];

// ---- accounts ---------------------------------------------------------------------------------

const ROLE_NAMES = {
  admin: { 'zh-CN': '系统管理员', 'zh-TW': '系統管理員', en: 'admin' },
  bureau: { 'zh-CN': '市直部门', 'zh-TW': '市直部門', en: 'bureau' },
  chain: { 'zh-CN': '链长办', 'zh-TW': '鏈長辦', en: 'chain office' },
  division: { 'zh-CN': '县（市、区）', 'zh-TW': '縣（市、區）', en: 'district' },
  enterprise: { 'zh-CN': '企业', 'zh-TW': '企業', en: 'enterprise' },
};

// Every account (GET /accounts): name, role, scope, language, whether it is disabled, and the
// moves on it (not on one's own account): disable or enable it (POST /accounts/{name}/disable|enable)
// and give it a new password (POST /accounts/{name}/password, generated and shown this once).
// onChange runs after disabling or enabling, to draw the list again.
async function accountList(ctx, onChange) {
  const { el, tr, card, table } = ctx;
  const { items } = await ctx.api('/accounts');
  const yes = tr({ 'zh-CN': '已停用', 'zh-TW': '已停用', en: 'disabled' }), no = tr({ 'zh-CN': '启用', 'zh-TW': '啟用', en: 'active' });
  const msg = message();
  const move = (a) => {
    if (a.name === ctx.user.name) return '—';
    const to = a.disabled ? 'enable' : 'disable';
    const b = el('button', { type: 'button', class: 'btn', 'data-account': a.name, 'data-to': to },
      a.disabled ? tr({ 'zh-CN': '启用', 'zh-TW': '啟用', en: 'Enable' }) : tr({ 'zh-CN': '停用', 'zh-TW': '停用', en: 'Disable' }));
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        await ctx.api(`/accounts/${encodeURIComponent(a.name)}/${to}`, { method: 'POST' });
        await onChange(to === 'disable'
          ? tr({ 'zh-CN': `已停用 ${a.name}，其登录会话已结束。`, 'zh-TW': `已停用 ${a.name}，其登入工作階段已結束。`, en: `${a.name} is disabled; its sessions ended.` })
          : tr({ 'zh-CN': `已启用 ${a.name}。`, 'zh-TW': `已啟用 ${a.name}。`, en: `${a.name} is enabled again.` }));
      } catch (err) {
        b.disabled = false;
        msg.fail(ctx, err);
      }
    });
    return el('span', { class: 'moves' }, b, ' ', resetButton(a));
  };
  const resetButton = (a) => {
    const b = el('button', { type: 'button', class: 'btn', 'data-account': a.name, 'data-to': 'password' },
      tr({ 'zh-CN': '重置密码', 'zh-TW': '重設密碼', en: 'New password' }));
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        const r = await ctx.api(`/accounts/${encodeURIComponent(a.name)}/password`, { method: 'POST', body: {} });
        msg.ok([tr({ 'zh-CN': `${a.name} 的新密码：`, 'zh-TW': `${a.name} 的新密碼：`, en: `${a.name}'s new password: ` }),
          el('code', { class: 'new-password' }, r.password),
          tr({ 'zh-CN': '。只显示这一次，请当面或以安全方式转交；其登录会话已结束。',
            'zh-TW': '。只顯示這一次，請當面或以安全方式轉交；其登入工作階段已結束。',
            en: '. It is shown this once: hand it over in person or by a safe channel. Its sessions ended.' })]);
      } catch (err) {
        msg.fail(ctx, err);
      } finally {
        b.disabled = false;
      }
    });
    return b;
  };
  const list = card(tr({ 'zh-CN': `全部账号（${items.length}）`, 'zh-TW': `全部帳號（${items.length}）`, en: `Accounts (${items.length})` }),
    el('div', { class: 'scroll', tabindex: '0' }, table(null, [
      { label: tr({ 'zh-CN': '账号名', 'zh-TW': '帳號名稱', en: 'Name' }) },
      { label: tr({ 'zh-CN': '角色', 'zh-TW': '角色', en: 'Role' }) },
      { label: tr({ 'zh-CN': '范围', 'zh-TW': '範圍', en: 'Scope' }) },
      { label: tr({ 'zh-CN': '界面语言', 'zh-TW': '介面語言', en: 'Language' }) },
      { label: tr({ 'zh-CN': '状态', 'zh-TW': '狀態', en: 'Status' }) },
      { label: tr({ 'zh-CN': '操作', 'zh-TW': '操作', en: 'Action' }) },
    ], items.map((a) => [a.name, ROLE_NAMES[a.role] ? tr(ROLE_NAMES[a.role]) : a.role, a.scope || '—', a.lang ?? '—',
      a.disabled ? yes : no, move(a)]))), msg);
  list.id = 'accounts';
  list.msg = msg;
  return list;
}

// What the scope of each role is, as a hint beside the scope field.
const SCOPE_HINTS = {
  admin: { 'zh-CN': '管理员没有范围，请留空。', 'zh-TW': '管理員沒有範圍，請留空。', en: 'An admin has no scope: leave it empty.' },
  bureau: { 'zh-CN': '部门名称，如 市工信局。', 'zh-TW': '部門名稱，如 市工信局。', en: 'The department\'s name, e.g. 市工信局.' },
  chain: { 'zh-CN': '产业链代码。', 'zh-TW': '產業鏈代碼。', en: 'The chain\'s code.' },
  division: { 'zh-CN': '行政区划代码。', 'zh-TW': '行政區劃代碼。', en: 'The division\'s code.' },
  enterprise: { 'zh-CN': '统一社会信用代码。', 'zh-TW': '統一社會信用代碼。', en: 'The enterprise\'s USCC.' },
};

// Create an account: POST /accounts {name, role, scope, password}. The server checks like
// `lianzhang user add` and names each refused field; the reason goes beside it.
function createForm(ctx, onCreated) {
  const { el, tr } = ctx;
  const name = field(tr({ 'zh-CN': '账号名', 'zh-TW': '帳號名稱', en: 'Account name' }), 'input',
    { id: 'new-name', name: 'name', required: true, autocomplete: 'off', maxlength: 64 });
  const role = selectField(tr({ 'zh-CN': '角色', 'zh-TW': '角色', en: 'Role' }), 'role',
    Object.entries(ROLE_NAMES).map(([r, n]) => [r, `${tr(n)} (${r})`]), 'enterprise', { id: 'new-role' });
  const hint = el('p', { class: 'hint', id: 'new-scope-hint' });
  const scope = field(tr({ 'zh-CN': '范围', 'zh-TW': '範圍', en: 'Scope' }), 'input',
    { id: 'new-scope', name: 'scope', autocomplete: 'off', maxlength: 64, 'aria-describedby': hint.id });
  scope.insertBefore(hint, scope.error);
  const showHint = () => { hint.textContent = tr(SCOPE_HINTS[role.control.value]); };
  role.control.addEventListener('change', showHint);
  showHint();
  const password = field(tr({ 'zh-CN': '初始密码', 'zh-TW': '初始密碼', en: 'Initial password' }), 'input',
    { id: 'new-password', type: 'password', name: 'password', autocomplete: 'new-password', required: true });
  const fields = { name, role, scope, password };
  const msg = message();
  const form = el('form', { class: 'create-account', novalidate: true, id: 'create-account' },
    el('div', { class: 'fields' }, name, role, scope, password),
    el('p', { class: 'hint' }, tr({ 'zh-CN': '密码至少 10 个字符，不能含字典单词、顺序字符、回文或账号名。请将初始密码当面或经安全渠道交给使用人，并请其登录后修改。',
      'zh-TW': '密碼至少 10 個字元，不能含字典單字、順序字元、迴文或帳號名稱。請將初始密碼當面或經安全管道交給使用人，並請其登入後變更。',
      en: 'A password has at least 10 characters and no dictionary word, sequence, palindrome or the account\'s name. Hand it over in person or by a safe channel, and ask its holder to change it after signing in.' })),
    el('button', { type: 'submit', class: 'btn primary' }, tr({ 'zh-CN': '新建账号', 'zh-TW': '新建帳號', en: 'Create account' })), msg);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    clearFieldErrors(fields);
    const body = { name: name.control.value.trim(), role: role.control.value, password: password.control.value };
    if (scope.control.value.trim()) body.scope = scope.control.value.trim();
    await busy(form, async () => {
      try {
        const a = await ctx.api('/accounts', { method: 'POST', body });
        form.reset();
        showHint();
        msg.ok(tr({ 'zh-CN': `已新建账号 ${a.name}（${tr(ROLE_NAMES[a.role])}${a.scope ? `，${a.scope}` : ''}）。`,
          'zh-TW': `已新建帳號 ${a.name}（${tr(ROLE_NAMES[a.role])}${a.scope ? `，${a.scope}` : ''}）。`,
          en: `Account ${a.name} created (${tr(ROLE_NAMES[a.role])}${a.scope ? `, ${a.scope}` : ''}).` }));
        await onCreated();
      } catch (err) {
        const rest = fieldErrors(fields, err);
        const named = (err.body?.errors ?? []).length > rest.length;
        msg.fail(ctx, { message: named ? tr({ 'zh-CN': '账号未创建：请按各栏下的提示修改。', 'zh-TW': '帳號未建立：請依各欄下的提示修改。',
          en: 'The account was not created: see the reason under each field.' }) : err.message, body: { errors: rest } });
      }
    });
  });
  return form;
}

async function renderUsers(root, ctx) {
  const { el, tr, card } = ctx;
  let list;
  const refresh = async (done) => {
    const fresh = await accountList(ctx, refresh);
    if (typeof done === 'string') fresh.msg.ok(done);
    list.replaceWith(fresh);
    list = fresh;
  };
  list = await accountList(ctx, refresh);
  // Unlock: POST /accounts/{name}/unlock.
  const name = field(tr({ 'zh-CN': '账号名', 'zh-TW': '帳號名稱', en: 'Account name' }), 'input',
    { name: 'account', required: true, autocomplete: 'off', maxlength: 64 });
  const umsg = message();
  const unlock = el('form', { class: 'toolbar', novalidate: true }, name,
    el('button', { type: 'submit', class: 'btn primary' }, tr({ 'zh-CN': '解除锁定', 'zh-TW': '解除鎖定', en: 'Unlock' })));
  unlock.addEventListener('submit', async (e) => {
    e.preventDefault();
    const who = name.control.value.trim();
    if (!who) { name.control.focus(); return; }
    await busy(unlock, async () => {
      try {
        await ctx.api(`/accounts/${encodeURIComponent(who)}/unlock`, { method: 'POST' });
        umsg.ok(tr({ 'zh-CN': `已解除 ${who} 的登录锁定。`, 'zh-TW': `已解除 ${who} 的登入鎖定。`, en: `${who} may sign in again.` }));
      } catch (err) {
        if (err.status === 404) umsg.fail(ctx, { message: tr({ 'zh-CN': `没有账号 ${who}。`, 'zh-TW': `沒有帳號 ${who}。`, en: `There is no account ${who}.` }) });
        else umsg.fail(ctx, err);
      }
    });
  });

  // One's own password: POST /session/password.
  const cur = field(tr({ 'zh-CN': '当前密码', 'zh-TW': '目前密碼', en: 'Current password' }), 'input',
    { type: 'password', name: 'current', autocomplete: 'current-password', required: true });
  const nw = field(tr({ 'zh-CN': '新密码', 'zh-TW': '新密碼', en: 'New password' }), 'input',
    { type: 'password', name: 'new', autocomplete: 'new-password', required: true, minlength: 12 });
  const again = field(tr({ 'zh-CN': '再次输入新密码', 'zh-TW': '再次輸入新密碼', en: 'New password again' }), 'input',
    { type: 'password', name: 'again', autocomplete: 'new-password', required: true });
  const pmsg = message();
  const pw = el('form', { class: 'password', novalidate: true }, el('div', { class: 'fields' }, cur, nw, again),
    el('button', { type: 'submit', class: 'btn primary' }, tr({ 'zh-CN': '修改密码', 'zh-TW': '變更密碼', en: 'Change password' })), pmsg);
  pw.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (nw.control.value !== again.control.value) {
      pmsg.fail(ctx, { message: tr({ 'zh-CN': '两次输入的新密码不一致。', 'zh-TW': '兩次輸入的新密碼不一致。', en: 'The two new passwords differ.' }) });
      again.control.focus();
      return;
    }
    await busy(pw, async () => {
      try {
        await ctx.api('/session/password', { method: 'POST', body: { current: cur.control.value, new: nw.control.value } });
        pw.reset();
        pmsg.ok(tr({ 'zh-CN': '密码已修改；其他会话已退出。', 'zh-TW': '密碼已變更；其他工作階段已登出。', en: 'Password changed; other sessions were signed out.' }));
      } catch (err) { pmsg.fail(ctx, err); }
    });
  });

  const cli = el('div', {},
    el('p', {}, tr({ 'zh-CN': '在服务器上也可用命令行为他人设定密码（口令从标准输入读取，不出现在命令行中），以及停用、启用、解锁账号。',
      'zh-TW': '在伺服器上也可用命令列為他人設定密碼（密碼從標準輸入讀取，不出現在命令列中），以及停用、啟用、解鎖帳號。',
      en: 'On the server, the command line sets another account\'s password too (read from standard input, never from the command line), and disables, enables and unlocks accounts.' })),
    el('pre', { class: 'explain' }, [
      'lianzhang user passwd DB NAME --password-stdin',
      'lianzhang user disable DB NAME',
      'lianzhang user enable DB NAME',
      'lianzhang user unlock DB NAME'].join('\n')),
    el('p', { class: 'hint' }, tr({ 'zh-CN': '范围：市直部门填部门名称，链长办填产业链代码，县（市、区）填行政区划代码，企业填统一社会信用代码。',
      'zh-TW': '範圍：市直部門填部門名稱，鏈長辦填產業鏈代碼，縣（市、區）填行政區劃代碼，企業填統一社會信用代碼。',
      en: 'Scope: a bureau its department\'s name, a chain office the chain\'s code, a district its division code, an enterprise its USCC.' })),
    el('p', {}, el('a', { href: '/admin/audit?target=sessions' }, tr({ 'zh-CN': '查看登录记录（审计日志）', 'zh-TW': '檢視登入紀錄（稽核日誌）', en: 'Sign-ins in the audit log' }))));

  const create = card(tr({ 'zh-CN': '新建账号', 'zh-TW': '新建帳號', en: 'Create an account' }), createForm(ctx, refresh));
  create.id = 'create-account-card';
  create.classList.add('wide');
  root.append(
    list,
    create,
    card(tr({ 'zh-CN': '解除登录锁定', 'zh-TW': '解除登入鎖定', en: 'Lift a sign-in lock' }),
      el('p', { class: 'hint' }, tr({ 'zh-CN': '多次输错密码的账号会被暂时锁定；在此立即解除。', 'zh-TW': '多次輸錯密碼的帳號會被暫時鎖定；在此立即解除。',
        en: 'An account with too many failed sign-ins is locked for a while; lift it here at once.' })), unlock, umsg),
    card(tr({ 'zh-CN': `修改本账号（${ctx.user.name}）的密码`, 'zh-TW': `變更本帳號（${ctx.user.name}）的密碼`, en: `Change the password of ${ctx.user.name}` }), pw),
    card(tr({ 'zh-CN': '在服务器上管理账号', 'zh-TW': '在伺服器上管理帳號', en: 'Accounts on the server' }), cli));
  root.lastChild.classList.add('wide');
}

// ---- import -----------------------------------------------------------------------------------

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function count(ctx, t) {
  try {
    return (await ctx.api(`/${t}`, { query: { limit: 1 } })).total;
  } catch {
    return null;
  }
}

async function renderImport(root, ctx) {
  const { el, tr, card, table } = ctx;
  const tname = (row) => tr({ 'zh-CN': row[1], 'zh-TW': row[2], en: row[3] });
  const which = selectField(tr({ 'zh-CN': '导入到', 'zh-TW': '匯入到', en: 'Table' }), 'table',
    TABLES.map((r) => [r[0], `${tname(r)} (${r[0]})`]), ctx.query.get('table') ?? 'enterprises');
  const unit = selectField(tr({ 'zh-CN': '金额单位', 'zh-TW': '金額單位', en: 'Money columns in' }), 'unit', [
    ['', tr({ 'zh-CN': '元（或按表头所写）', 'zh-TW': '元（或依表頭所寫）', en: 'yuan (or as a header says)' })],
    ['万元', tr({ 'zh-CN': '万元', 'zh-TW': '萬元', en: '10,000 yuan (万元)' })],
    ['亿元', tr({ 'zh-CN': '亿元', 'zh-TW': '億元', en: '100 million yuan (亿元)' })]], '');
  const file = field(tr({ 'zh-CN': '文件（CSV 或 XLSX）', 'zh-TW': '檔案（CSV 或 XLSX）', en: 'File (CSV or XLSX)' }), 'input',
    { type: 'file', name: 'file', accept: '.csv,.xlsx,text/csv,' + XLSX, required: true });
  const rowsNow = el('p', { class: 'hint', role: 'status' });
  const showCount = async () => {
    const n = await count(ctx, which.control.value);
    rowsNow.textContent = n === null ? '' : tr({ 'zh-CN': `该表现有 ${ctx.fmt.num(n)} 行。`, 'zh-TW': `該表現有 ${ctx.fmt.num(n)} 列。`, en: `The table holds ${ctx.fmt.num(n)} rows.` });
    return n;
  };
  const template = el('a', { download: true }, tr({ 'zh-CN': '下载 XLSX', 'zh-TW': '下載 XLSX', en: 'download XLSX' }));
  const templateHref = () => template.setAttribute('href', `/api/v1/export/${which.control.value}?format=xlsx`);
  templateHref();
  which.control.addEventListener('change', () => { templateHref(); showCount(); });
  const result = el('div', { class: 'import-result', 'aria-live': 'polite' });
  const form = el('form', { class: 'import', novalidate: true },
    el('div', { class: 'fields' }, which, unit, file), rowsNow,
    el('p', { class: 'hint' }, tr({ 'zh-CN': '全部成功才写入：任何一行有错，整个文件都不写入，并列出每一处错误。已有的行按主键更新，只改文件中出现的列。',
      'zh-TW': '全部成功才寫入：任何一列有錯，整個檔案都不寫入，並列出每一處錯誤。已有的列依主鍵更新，只改檔案中出現的欄。',
      en: 'All or nothing: if any row is wrong, nothing of the file is written and every error is listed. Existing rows are matched by their key and only the columns in the file change.' })),
    el('button', { type: 'submit', class: 'btn primary' }, tr({ 'zh-CN': '上传并导入', 'zh-TW': '上傳並匯入', en: 'Upload and import' })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    result.replaceChildren();
    const f = file.control.files[0];
    if (!f) {
      result.append(el('p', { class: 'error', role: 'alert' }, tr({ 'zh-CN': '请选择文件。', 'zh-TW': '請選擇檔案。', en: 'Choose a file.' })));
      file.control.focus();
      return;
    }
    const xlsx = /\.xlsx$/i.test(f.name) || f.type === XLSX;
    const t = which.control.value;
    const before = await count(ctx, t);
    await busy(form, async () => {
      try {
        const r = await ctx.api(`/import/${t}`, {
          method: 'POST', body: new Blob([f], { type: xlsx ? XLSX : 'text/csv' }),
          query: { format: xlsx ? 'xlsx' : 'csv', unit: unit.control.value || undefined },
        });
        result.append(card(tr({ 'zh-CN': '导入成功', 'zh-TW': '匯入成功', en: 'Imported' }),
          el('p', { role: 'status' }, tr({ 'zh-CN': `${f.name}：共 ${r.rows} 行，新增 ${r.inserted} 行，更新 ${r.updated} 行。`,
            'zh-TW': `${f.name}：共 ${r.rows} 列，新增 ${r.inserted} 列，更新 ${r.updated} 列。`,
            en: `${f.name}: ${r.rows} rows, ${r.inserted} added, ${r.updated} updated.` })),
          table(null, [{ label: tr({ 'zh-CN': '行数', 'zh-TW': '列數', en: 'Rows' }), num: true },
            { label: tr({ 'zh-CN': '新增', 'zh-TW': '新增', en: 'Added' }), num: true },
            { label: tr({ 'zh-CN': '更新', 'zh-TW': '更新', en: 'Updated' }), num: true }],
          [[ctx.fmt.num(r.rows), ctx.fmt.num(r.inserted), ctx.fmt.num(r.updated)]])));
        await showCount();
      } catch (err) {
        const errs = Array.isArray(err.body?.errors) ? err.body.errors : [];
        const after = await showCount();
        const same = before !== null && after === before;
        const box = card(tr({ 'zh-CN': '导入失败，未写入任何数据', 'zh-TW': '匯入失敗，未寫入任何資料', en: 'Import refused: nothing was written' }),
          el('p', { role: 'alert', class: 'error' }, err.message),
          el('p', {}, tr({ 'zh-CN': '整个文件均未写入，请改正下列每一处错误后重新上传。', 'zh-TW': '整個檔案均未寫入，請改正下列每一處錯誤後重新上傳。',
            en: 'Nothing of the file was written. Correct every error below and upload it again.' }),
          same ? ` ${tr({ 'zh-CN': `（该表仍为 ${ctx.fmt.num(after)} 行。）`, 'zh-TW': `（該表仍為 ${ctx.fmt.num(after)} 列。）`, en: `(The table still holds ${ctx.fmt.num(after)} rows.)` })}` : ''),
          errs.length && Number(/^(\d+) error/.exec(err.message ?? '')?.[1] ?? 0) > errs.length
            ? el('p', { class: 'hint' }, tr({ 'zh-CN': `下表列出前 ${errs.length} 处错误；改正后再次上传可看到其余错误。`,
              'zh-TW': `下表列出前 ${errs.length} 處錯誤；改正後再次上傳可看到其餘錯誤。`,
              en: `The first ${errs.length} errors are listed; upload again after correcting them to see the rest.` })) : null,
          errs.length ? el('div', { class: 'desk-scroll' }, table(
            tr({ 'zh-CN': `共 ${errs.length} 处错误`, 'zh-TW': `共 ${errs.length} 處錯誤`, en: `${errs.length} error(s)` }),
            [{ label: tr({ 'zh-CN': '文件', 'zh-TW': '檔案', en: 'File' }) }, { label: tr({ 'zh-CN': '行', 'zh-TW': '列', en: 'Line' }), num: true },
              { label: tr({ 'zh-CN': '列', 'zh-TW': '欄', en: 'Column' }) }, { label: tr({ 'zh-CN': '原因', 'zh-TW': '原因', en: 'Reason' }) }],
            errs.map((x) => [f.name, x.line ?? '—', x.field ?? '—', x.reason ?? '']))) : null);
        box.classList.add('import-errors');
        result.append(box);
      }
    });
  });
  root.append(card(tr({ 'zh-CN': '上传表格', 'zh-TW': '上傳表格', en: 'Upload a spreadsheet' }), form,
    el('p', { class: 'hint' }, tr({ 'zh-CN': '可先导出该表作为模板：', 'zh-TW': '可先匯出該表作為範本：', en: 'Start from an export of the table: ' }),
      template)), result);
  root.firstChild.classList.add('wide');
  result.classList.add('wide');
  await showCount();
}

// ---- audit --------------------------------------------------------------------------------------

// What changed between a row before and after: [field, before, after] for each differing member.
function changes(before, after) {
  if (!before || !after || typeof before !== 'object' || typeof after !== 'object') return null;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => [k, before[k], after[k]]);
}

const show = (v) => (v === null || v === undefined ? '∅' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function changeCell(ctx, e) {
  const { el, tr } = ctx;
  const diff = changes(e.before, e.after);
  const kind = e.before === null ? tr({ 'zh-CN': '新建', 'zh-TW': '新建', en: 'created' })
    : e.after === null ? tr({ 'zh-CN': '删除', 'zh-TW': '刪除', en: 'deleted' }) : tr({ 'zh-CN': '修改', 'zh-TW': '修改', en: 'changed' });
  const summary = diff ? `${kind}: ${diff.map(([k]) => k).join(', ') || '—'}` : kind;
  return el('details', {}, el('summary', {}, summary),
    diff ? el('ul', { class: 'diff' }, diff.map(([k, b, a]) => el('li', {}, el('code', {}, k), `: ${show(b)} → ${show(a)}`)))
      : el('pre', { class: 'explain' }, JSON.stringify(e.after ?? e.before, null, 2)));
}

async function renderAudit(root, ctx) {
  const { el, tr, card } = ctx;
  const q = ctx.query;
  const actor = field(tr({ 'zh-CN': '操作人', 'zh-TW': '操作人', en: 'Actor' }), 'input', { name: 'actor', value: q.get('actor') ?? '', autocomplete: 'off' });
  const target = field(tr({ 'zh-CN': '对象（表/主键，如 appeals/SQ0000001-1）', 'zh-TW': '對象（表/主鍵，如 appeals/SQ0000001-1）', en: 'Target (table/key, e.g. appeals/SQ0000001-1)' }),
    'input', { name: 'target', value: q.get('target') ?? '', autocomplete: 'off' });
  const since = field(tr({ 'zh-CN': '起始日期', 'zh-TW': '起始日期', en: 'From' }), 'input', { type: 'date', name: 'since', value: q.get('since') ?? '' });
  const until = field(tr({ 'zh-CN': '截止日期', 'zh-TW': '截止日期', en: 'To' }), 'input', { type: 'date', name: 'until', value: q.get('until') ?? '' });
  const filters = el('form', { class: 'toolbar filters', role: 'search' }, actor, target, since, until,
    el('button', { type: 'submit', class: 'btn primary' }, tr({ 'zh-CN': '查询', 'zh-TW': '查詢', en: 'Search' })),
    el('a', { class: 'btn', href: '/admin/audit' }, tr({ 'zh-CN': '清除', 'zh-TW': '清除', en: 'Clear' })));
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const f of [actor, target, since, until]) if (f.control.value.trim()) p.set(f.control.name, f.control.value.trim());
    ctx.navigate(`/admin/audit${p.size ? `?${p}` : ''}`);
  });
  const query = {};
  for (const k of ['actor', 'target', 'since', 'until']) if (q.get(k)) query[k] = q.get(k);
  const list = pagedRows(ctx, {
    columns: [{ label: '#', num: true }, { label: tr({ 'zh-CN': '时间（UTC）', 'zh-TW': '時間（UTC）', en: 'When (UTC)' }) },
      { label: tr({ 'zh-CN': '操作人', 'zh-TW': '操作人', en: 'Actor' }) }, { label: tr({ 'zh-CN': '操作', 'zh-TW': '操作', en: 'Action' }) },
      { label: tr({ 'zh-CN': '对象', 'zh-TW': '對象', en: 'Target' }) }, { label: tr({ 'zh-CN': '变更', 'zh-TW': '變更', en: 'Change' }) }],
    empty: tr({ 'zh-CN': '没有符合条件的记录。', 'zh-TW': '沒有符合條件的紀錄。', en: 'No entries match.' }),
    load: (cursor) => ctx.api('/audit', { query: { ...query, limit: 50, cursor: cursor ?? undefined } }),
    row: (e) => [String(e.seq), el('time', { datetime: e.at }, `${e.at.slice(0, 10)} ${e.at.slice(11, 19)}`), e.actor,
      el('code', {}, e.via), el('span', { class: 'target' }, e.target), changeCell(ctx, e)],
  });
  const section = card(tr({ 'zh-CN': '审计日志（最新在前）', 'zh-TW': '稽核日誌（最新在前）', en: 'Audit log, newest first' }), filters, list.node);
  section.classList.add('wide');
  root.append(section);
  await list.reload();
}

export const usersPage = {
  path: '/admin/users', title: { 'zh-CN': '账号管理', 'zh-TW': '帳號管理', en: 'Users' }, roles: ADMIN, render: renderUsers,
};
export const importPage = {
  path: '/admin/import', title: { 'zh-CN': '数据导入', 'zh-TW': '資料匯入', en: 'Import' }, roles: ADMIN, render: renderImport,
};
export const auditPage = {
  path: '/admin/audit', title: { 'zh-CN': '审计日志', 'zh-TW': '稽核日誌', en: 'Audit log' }, roles: ADMIN, render: renderAudit,
};

