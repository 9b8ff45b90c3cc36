// The catalog: every lab with its title, duration, level and the learner's progress; then the tutorials.
import { api, el } from './api.js';
import { levelLabel, t } from './i18n.js';
import type { Lang } from '../../core/lang.js';

interface TutorialItem { id: string; title: string; lang: Lang; steps: number; features: string[] }
interface CatalogItem { id: string; title: string; description: string; durationMinutes?: number; level?: string; steps: number; currentStep: number; finished: boolean }

export async function showCatalog(root: HTMLElement, lang: Lang): Promise<void> {
  let labs: CatalogItem[];
  try {
    labs = await api<CatalogItem[]>('GET', `/api/labs?lang=${lang}`);
  } catch (err) {
    root.replaceChildren(el('pre', { class: 'error' }, (err as Error).message));
    return;
  }
  const cards = labs.map((l) => {
    const progress = l.finished ? `✔ ${t('done', lang)}` : l.currentStep > 0 ? `${l.currentStep}/${l.steps}` : t('notStarted', lang);
    const meta = [l.durationMinutes ? `${l.durationMinutes} ${t('minutes', lang)}` : '', l.level ? levelLabel(l.level, lang) : '', `${l.steps} ${t('steps', lang)}`].filter(Boolean).join(' · ');
    return el('li', { class: 'lab-card', 'data-lab': l.id },
      el('a', { href: `#/lab/${encodeURIComponent(l.id)}` }, el('h3', {}, l.title)),
      el('p', {}, l.description),
      el('p', { class: 'meta' }, meta),
      el('p', { class: `progress${l.finished ? ' finished' : ''}` }, progress));
  });
  root.replaceChildren(el('h1', {}, t('catalog', lang)), el('ul', { class: 'catalog' }, ...cards));
  // tutorials after the labs: a missing or broken tutorials folder must not hide the labs
  const tutorials = await api<TutorialItem[]>('GET', `/api/tutorials?lang=${lang}`).catch(() => [] as TutorialItem[]);
  if (tutorials.length === 0) return;
  const items = tutorials.map((tu) =>
    el('li', { class: 'lab-card tutorial-card', 'data-tutorial': tu.id },
      el('a', { href: `#/tutorial/${encodeURIComponent(tu.id)}` }, el('h3', {}, tu.title)),
      el('p', { class: 'meta' }, [`${tu.steps} ${t('steps', lang)}`, ...tu.features].join(' · '))));
  root.append(el('h1', {}, t('tutorials', lang)), el('ul', { class: 'catalog tutorials' }, ...items));
}
