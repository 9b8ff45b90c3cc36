// Which language boxlab speaks to a user: --lang, else BOXLAB_LANG, else the locale (zh* -> zh), else en.
import type { Lang } from '../engine/trace/trace-event.js';

export const LANGS = ['en', 'zh'] as const;

export function pickLang(flag?: string, env: NodeJS.ProcessEnv = process.env): Lang {
  const wanted = flag ?? env.BOXLAB_LANG ?? env.LC_ALL ?? env.LC_MESSAGES ?? env.LANG ?? '';
  return wanted.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}
