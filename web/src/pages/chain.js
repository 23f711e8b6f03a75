// chain — placeholder until the chain map is built.
import { OFFICIALS } from '../roles.js';
import { placeholder } from './placeholder.js';

export default placeholder('/chains/:code', { 'zh-CN': '产业链图谱', 'zh-TW': '產業鏈圖譜', en: 'Chain map' }, OFFICIALS, {
  navPath: (user) => (user?.role === 'chain' ? `/chains/${user.scope}` : '/chains/NM-BATTERY'),
});
