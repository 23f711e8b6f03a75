// targets — the investment-target board (招商目标): a column per stage, lead to landed, lost
// aside. A target's stage changes only by recording a contact (POST /api/v1/targets/{id}/contacts
// {date, stage, note}): forward or to lost, landed and lost final. The move is a form on the card
// (a select, a date, a note, a button: usable by keyboard, no dragging), shown to those who write
// targets (an admin, a chain account for its chain); the server decides. Each card opens its
// contact log (GET /api/v1/targets/{id}/contacts).
import { field, select } from './forms.js';
import { everything, failed, today, withQuery, x } from './parts.js';

const STAGES = ['lead', 'contacted', 'visited', 'negotiating', 'signed', 'landed'];

// Stages a target may move to from `from` by a contact.
const nextStages = (from) => (from === 'landed' || from === 'lost' ? [] : [...STAGES.slice(STAGES.indexOf(from) + 1), 'lost']);
const safeId = (id) => String(id).replace(/[^A-Za-z0-9_-]/g, '_');

function contactLog(ctx, id) {
  const { el, table, fmt, t } = ctx;
  const say = x(ctx);
  const body = el('div', {}, ctx.t('common.loading'));
  const box = el('details', { class: 'why' }, el('summary', {}, say('接触记录', '接觸紀錄', 'Contact log')), body);
  box.addEventListener('toggle', async () => {
    if (!box.open) return;
    try {
      const r = await ctx.api(`/targets/${encodeURIComponent(id)}/contacts`);
      const list = r.contacts ?? [];
      body.replaceChildren(list.length ? table(null, [{ label: say('日期', '日期', 'Date') }, { label: say('阶段', '階段', 'Stage') },
        { label: say('记录人', '記錄人', 'By') }, { label: say('备注', '備註', 'Note') }],
      list.map((c) => [fmt.date(c.date), c.from === c.to ? t(`stage.${c.to}`) : `${t(`stage.${c.from}`)} → ${t(`stage.${c.to}`)}`,
        c.actor ?? '—', c.note ?? '—'])) : el('p', {}, say('暂无接触记录。', '暫無接觸紀錄。', 'No contact recorded.')));
    } catch (e) {
      body.replaceChildren(failed(ctx, e));
    }
  });
  return box;
}

function moveForm(ctx, target, onMoved) {
  const { el, t } = ctx;
  const say = x(ctx);
  const sid = safeId(target.id);
  const options = nextStages(target.stage);
  if (options.length === 0) return null;
  const stage = select(`tg-stage-${sid}`, [[target.stage, say(`不变（${t(`stage.${target.stage}`)}）`, `不變（${t(`stage.${target.stage}`)}）`,
    `unchanged (${t(`stage.${target.stage}`)})`)], ...options.map((s) => [s, t(`stage.${s}`)])], options[0]);
  const date = el('input', { id: `tg-date-${sid}`, type: 'date', value: today(), required: true });
  const note = el('input', { id: `tg-note-${sid}`, type: 'text', maxlength: 500 });
  const error = el('p', { class: 'error', role: 'alert' });
  const submit = el('button', { type: 'submit', class: 'btn primary' }, say('记录', '記錄', 'Record'));
  const form = el('form', { class: 'move', 'data-target': target.id },
    field(say('移至阶段', '移至階段', 'Move to'), stage), field(say('接触日期', '接觸日期', 'Contact date'), date),
    field(say('备注', '備註', 'Note'), note), error, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    submit.disabled = true;
    error.textContent = '';
    try {
      await ctx.api(`/targets/${encodeURIComponent(target.id)}/contacts`, { method: 'POST',
        body: { date: date.value, stage: stage.value, note: note.value.trim() || undefined } });
      await onMoved(target, stage.value, date.value, note.value.trim());
    } catch (err) {
      error.textContent = err.message;
      submit.disabled = false;
    }
  });
  return el('details', { class: 'why' }, el('summary', {}, say('记录接触 / 移动阶段', '記錄接觸 / 移動階段', 'Record a contact / move')), form);
}

function targetCard(ctx, tg, canWrite, onMoved) {
  const { el, fmt } = ctx;
  const say = x(ctx);
  return el('article', { class: 'target', id: `target-${safeId(tg.id)}`, 'data-stage': tg.stage, 'aria-labelledby': `tg-h-${safeId(tg.id)}` },
    el('h4', { id: `tg-h-${safeId(tg.id)}`, tabindex: '-1' }, tg.name),
    el('p', { class: 'meta' }, tg.chain_name ?? tg.chain ?? '—', tg.segment ? ` · ${tg.segment}` : '', ' · ', tg.location ?? '—'),
    el('p', { class: 'meta' }, say('预计投资 ', '預計投資 ', 'Expected '), fmt.moneyEl(tg.expected_investment)),
    el('p', { class: 'meta' }, say('更新 ', '更新 ', 'Updated '), fmt.date(tg.updated), tg.owner ? ` · ${tg.owner}` : ''),
    canWrite(tg) ? moveForm(ctx, tg, onMoved) : null,
    contactLog(ctx, tg.id));
}

export default {
  path: '/targets',
  title: { 'zh-CN': '招商目标', 'zh-TW': '招商目標', en: 'Investment targets' },
  // A division account does not read targets (the API answers 403): the frame says so instead.
  roles: ['admin', 'bureau', 'chain'],
  async render(root, ctx) {
    const { el, card, fmt, t, query, user } = ctx;
    const say = x(ctx);
    const chains = await ctx.api('/chains', { query: { limit: 100 } });
    const chainPick = select('tg-chain', [['', say('全部产业链', '全部產業鏈', 'all chains')], ...chains.items.map((c) => [c.code, c.name])],
      query.get('chain'), { onchange: (e) => ctx.navigate(withQuery({ chain: e.target.value || null })) });
    const status = el('p', { class: 'status', role: 'status', id: 'tg-status' });
    root.append(el('div', { class: 'toolbar' }, field(say('产业链', '產業鏈', 'Chain'), chainPick, { inline: true }), status));
    const board = el('div', { class: 'wide' });
    root.append(board);
    const canWrite = (tg) => user.role === 'admin' || (user.role === 'chain' && tg.chain === user.scope);
    const picked = query.get('stage');

    async function draw(focusId) {
      const filter = query.get('chain') ? { chain: query.get('chain') } : {};
      const list = await everything(ctx, '/targets', { ...filter, sort: 'updated', order: 'desc' });
      const column = (s) => {
        const items = list.filter((tg) => tg.stage === s);
        const c = el('section', { class: `column${s === picked ? ' picked' : ''}`, 'data-stage': s, 'aria-labelledby': `col-${s}` },
          el('h3', { id: `col-${s}` }, t(`stage.${s}`), ' ', el('span', { class: 'count' }, fmt.num(items.length))),
          items.map((tg) => targetCard(ctx, tg, canWrite, moved)));
        return c;
      };
      // Lost targets aside, in their own card: its heading is the column's.
      const lost = column('lost');
      lost.classList.add('lost');
      lost.querySelector('h3').remove();
      lost.removeAttribute('aria-labelledby');
      const nLost = list.filter((tg) => tg.stage === 'lost').length;
      board.replaceChildren(
        card(say(`进展看板（共 ${fmt.num(list.length)} 个目标）`, `進展看板（共 ${fmt.num(list.length)} 個目標）`, `Board (${fmt.num(list.length)} targets)`),
          el('div', { class: 'board' }, STAGES.map(column))),
        card(say(`已流失（${fmt.num(nLost)}）`, `已流失（${fmt.num(nLost)}）`, `Lost (${fmt.num(nLost)})`), lost));
      if (focusId) document.getElementById(`tg-h-${safeId(focusId)}`)?.focus();
    }

    async function moved(tg, to, date, note) {
      await draw(tg.id);
      status.textContent = say(`已记录接触：${tg.name}，${fmt.date(date)}，${t(`stage.${tg.stage}`)} → ${t(`stage.${to}`)}${note ? `（${note}）` : ''}`,
        `已記錄接觸：${tg.name}，${fmt.date(date)}，${t(`stage.${tg.stage}`)} → ${t(`stage.${to}`)}${note ? `（${note}）` : ''}`,
        `Contact recorded: ${tg.name}, ${fmt.date(date)}, ${t(`stage.${tg.stage}`)} → ${t(`stage.${to}`)}${note ? ` (${note})` : ''}`);
    }

    await draw();
  },
};
