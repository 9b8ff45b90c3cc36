// The catalog: every lab with its title, duration, level and the learner's progress.
import { api, el } from './api.js';
import { t, type Lang } from './i18n.js';

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
    const meta = [l.durationMinutes ? `${l.durationMinutes} ${t('minutes', lang)}` : '', l.level ?? '', `${l.steps} ${t('steps', lang)}`].filter(Boolean).join(' · ');
    return el('li', { class: 'lab-card', 'data-lab': l.id },
      el('a', { href: `#/lab/${encodeURIComponent(l.id)}` }, el('h3', {}, l.title)),
      el('p', {}, l.description),
      el('p', { class: 'meta' }, meta),
      el('p', { class: `progress${l.finished ? ' finished' : ''}` }, progress));
  });
  root.replaceChildren(el('h1', {}, t('catalog', lang)), el('ul', { class: 'catalog' }, ...cards));
}
