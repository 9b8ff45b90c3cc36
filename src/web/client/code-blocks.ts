// The commands in a step's text: every code block gets a copy button, runnable ones (```sh run) keep
// their run button that types the code into the terminal; the buttons sit beside the code, never over
// its line ends, and long lines wrap (styles in app.css, .snippet).
import { el } from './api.js';
import { t } from './i18n.js';
import type { Lang } from '../../core/lang.js';

export function decorateCodeBlocks(body: HTMLElement, lang: Lang, type: (code: string) => void): void {
  for (const pre of [...body.querySelectorAll<HTMLPreElement>('pre')]) {
    let snippet = pre.parentElement;
    if (!snippet?.classList.contains('snippet')) {
      snippet = el('div', { class: 'snippet' });
      pre.replaceWith(snippet);
      snippet.append(pre);
    }
    const tools = el('div', { class: 'snippet-tools' });
    const run = snippet.querySelector<HTMLButtonElement>('button.run');
    if (run) {
      run.textContent = t('run', lang);
      run.addEventListener('click', () => type((run.dataset.code ?? '') + '\r'));
      tools.append(run);
    }
    const copy = el('button', { type: 'button', class: 'copy' }, t('copy', lang));
    copy.addEventListener('click', () => {
      void navigator.clipboard?.writeText(pre.textContent ?? '').then(
        () => {
          copy.textContent = t('copied', lang);
          setTimeout(() => (copy.textContent = t('copy', lang)), 1500);
        },
        () => undefined,
      );
    });
    tools.append(copy);
    snippet.append(tools);
  }
}
