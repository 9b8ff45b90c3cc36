// Which language boxlab speaks to a user: --lang, else BOXLAB_LANG, else the locale (zh* -> zh), else en.
export const LANGS = ['en', 'zh'] as const;

/** a language boxlab speaks: the CLI, the web page, lab and tutorial text and the trace explanations */
export type Lang = (typeof LANGS)[number];

export function pickLang(flag?: string, env: NodeJS.ProcessEnv = process.env): Lang {
  const wanted = flag ?? env.BOXLAB_LANG ?? env.LC_ALL ?? env.LC_MESSAGES ?? env.LANG ?? '';
  return wanted.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** fills a message's {name} places from values; a place without a value stays as written (pure: the web page uses it too) */
export function fillPlaces(text: string, values: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
