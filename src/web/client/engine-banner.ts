// The sandbox engine's state at the top of the page: progress while boxlabd starts, and when it failed
// the reason, its last log lines and a Retry button.
import { el } from './api.js';
import { t } from './i18n.js';
import type { Lang } from '../../core/lang.js';

interface EngineStatus { state: 'checking' | 'starting' | 'ready' | 'failed' | 'external-down'; socket: string; message: string; log: string[] }

export class EngineBanner {
  private last?: EngineStatus;
  constructor(private readonly badge: HTMLElement, private readonly box: HTMLElement, private lang: Lang) {
    const source = new EventSource('/api/engine/events');
    source.addEventListener('engine', (ev) => this.render(JSON.parse((ev as MessageEvent<string>).data) as EngineStatus));
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    if (this.last) this.render(this.last);
  }

  private render(s: EngineStatus): void {
    this.last = s;
    const ready = s.state === 'ready';
    const failed = s.state === 'failed' || s.state === 'external-down';
    this.badge.className = `engine-${s.state}`;
    this.badge.dataset.state = s.state;
    this.badge.textContent = ready ? t('engineReady', this.lang) : failed ? t('engineFailed', this.lang) : t('engineStarting', this.lang);
    this.box.hidden = ready;
    if (ready) return;
    const retry = el('button', { type: 'button', class: 'primary' }, t('retry', this.lang));
    retry.addEventListener('click', () => void fetch('/api/engine/retry', { method: 'POST' }));
    this.box.className = failed ? 'engine-box failed' : 'engine-box';
    this.box.replaceChildren(el('p', {}, s.message), ...(s.log.length ? [el('pre', {}, s.log.join('\n'))] : []), ...(failed ? [retry] : []));
  }
}
