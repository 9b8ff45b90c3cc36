// The catalog: the labs by track (in the server's order: tracks.yaml, then each track's order), each with
// its title, duration, level, prerequisites and the learner's progress; then the tutorials.
import { api, el } from './api.js';
import { levelLabel, t } from './i18n.js';
import type { Lang } from '../../core/lang.js';

interface TutorialItem { id: string; title: string; lang: Lang; steps: number; features: string[] }
interface CatalogItem {
  id: string; title: string; description: string; durationMinutes?: number; level?: string; track?: string; trackTitle?: string; requires?: string[];
  steps: number; currentStep: number; finished: boolean;
}

/** `gone`: the page moved on (a lab was opened) while the catalog loaded; then nothing is drawn */
export async function showCatalog(root: HTMLElement, lang: Lang, gone: AbortSignal): Promise<void> {
  let labs: CatalogItem[];
  try {
    labs = await api<CatalogItem[]>('GET', `/api/labs?lang=${lang}`);
  } catch (err) {
    if (!gone.aborted) root.replaceChildren(el('pre', { class: 'error' }, (err as Error).message));
    return;
  }
  if (gone.aborted) return;
  const card = (l: CatalogItem) => {
    const progress = l.finished ? `✔ ${t('done', lang)}` : l.currentStep > 0 ? `${l.currentStep}/${l.steps}` : t('notStarted', lang);
    const after = l.requires?.length ? `${t('after', lang)} ${l.requires.map((r) => /^(\d+)-/.exec(r)?.[1] ?? r).join(', ')}` : '';
    const meta = [l.durationMinutes ? `${l.durationMinutes} ${t('minutes', lang)}` : '', l.level ? levelLabel(l.level, lang) : '', `${l.steps} ${t('steps', lang)}`, after].filter(Boolean).join(' · ');
    return el('li', { class: 'lab-card', 'data-lab': l.id },
      el('a', { href: `#/lab/${encodeURIComponent(l.id)}` }, el('h3', {}, l.title)),
      el('p', {}, l.description),
      el('p', { class: 'meta' }, meta),
      el('p', { class: `progress${l.finished ? ' finished' : ''}` }, progress));
  };
  // one section per track, in the order the labs came
  const groups: { track: string; title: string; labs: CatalogItem[] }[] = [];
  for (const l of labs) {
    const key = l.track ?? '';
    let g = groups.find((x) => x.track === key);
    if (!g) groups.push((g = { track: key, title: l.trackTitle ?? t('otherLabs', lang), labs: [] }));
    g.labs.push(l);
  }
  // labs in no track at all (a labs folder without tracks.yaml): no heading
  const headed = groups.length > 1 || groups[0]?.track !== '';
  const sections = groups.map((g) => el('section', { class: 'track', 'data-track': g.track }, ...(headed ? [el('h2', {}, g.title)] : []), el('ul', { class: 'catalog' }, ...g.labs.map(card))));
  root.replaceChildren(el('h1', {}, t('catalog', lang)), ...sections);
  // tutorials after the labs: a missing or broken tutorials folder must not hide the labs
  const tutorials = await api<TutorialItem[]>('GET', `/api/tutorials?lang=${lang}`).catch(() => [] as TutorialItem[]);
  if (tutorials.length === 0 || gone.aborted) return;
  const items = tutorials.map((tu) =>
    el('li', { class: 'lab-card tutorial-card', 'data-tutorial': tu.id },
      el('a', { href: `#/tutorial/${encodeURIComponent(tu.id)}` }, el('h3', {}, tu.title)),
      el('p', { class: 'meta' }, [`${tu.steps} ${t('steps', lang)}`, ...tu.features].join(' · '))));
  root.append(el('h1', {}, t('tutorials', lang)), el('ul', { class: 'catalog tutorials' }, ...items));
}
