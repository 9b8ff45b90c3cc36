// The student's consent bar (ADR 0020): when their teacher asks to type in their terminal, the page shows
// "allow / refuse"; while allowed, "stop" (always). It also says when the teacher watches the terminal or
// the class records it. Live from the page's server (/api/class/help, server-sent events); the answers
// are POSTs there, and the student's boxlab, not the class server, enforces them. Nothing when not in a class.
import type { Lang } from '../../core/lang.js';
import type { HelpView } from '../../classroom/terminal-mirror.js';
import { api } from './api.js';
import { t } from './i18n.js';

const HELP_WORDS = { allow: 'helpAllow', refuse: 'helpRefuse', stop: 'helpStop' } as const;

export class HelpBar {
  private view: HelpView = { connected: false, watched: false, recorded: false, help: 'none' };

  constructor(
    private readonly box: HTMLElement,
    private lang: Lang,
  ) {
    const events = new EventSource('/api/class/help');
    events.addEventListener('help', (e) => {
      this.view = JSON.parse((e as MessageEvent<string>).data) as HelpView;
      this.render();
    });
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    this.render();
  }

  private button(word: 'allow' | 'refuse' | 'stop'): HTMLButtonElement {
    const b = document.createElement('button');
    b.type = 'button';
    b.id = `help-${word}`;
    b.textContent = t(HELP_WORDS[word], this.lang);
    b.addEventListener('click', () => {
      void api<HelpView>('POST', `/api/class/help/${word}`).then((v) => {
        this.view = v;
        this.render();
      });
    });
    return b;
  }

  private render(): void {
    const v = this.view;
    const text = document.createElement('span');
    const parts: HTMLElement[] = [text];
    if (v.help === 'asked') {
      text.textContent = t('helpAsked', this.lang);
      parts.push(this.button('allow'), this.button('refuse'));
    } else if (v.help === 'allowed') {
      text.textContent = t('helpAllowed', this.lang);
      parts.push(this.button('stop'));
    } else {
      text.textContent = v.recorded ? t('helpRecorded', this.lang) : v.watched ? t('helpWatched', this.lang) : '';
    }
    this.box.hidden = text.textContent === '';
    this.box.className = `help-bar help-${v.help}`;
    this.box.replaceChildren(...parts);
  }
}
