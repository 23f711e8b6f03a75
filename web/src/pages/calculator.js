// calculator — placeholder until the public what-if is wired.
import { placeholder } from './placeholder.js';

export default placeholder('/calculator', { 'zh-CN': '政策计算器', 'zh-TW': '政策計算器', en: 'Policy calculator' }, null);
