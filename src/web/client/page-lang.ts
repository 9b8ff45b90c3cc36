// The page's language on arrival: the learner's own choice if they made one on this browser, else the
// browser's language (a zh-* browser gets Chinese), else what `boxlab serve --lang` said. Pure.
import type { Lang } from '../../core/lang.js';

export function initialLang(stored: string | null, browserLanguages: readonly string[], serverDefault: Lang): Lang {
  if (stored === 'en' || stored === 'zh') return stored;
  for (const l of browserLanguages) {
    const primary = l.toLowerCase().split('-')[0];
    if (primary === 'zh') return 'zh';
    if (primary === 'en') return 'en';
  }
  return serverDefault;
}
