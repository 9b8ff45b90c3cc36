// The student's consent bar (ADR 0020): when their teacher asks to type in their terminal, the page shows
// "allow / refuse"; while allowed, "stop" (always). It also says when the teacher watches the terminal or
// the class records it. Live from the page's server (/api/class/help, server-sent events); the answers
// are POSTs there, and the student's boxlab, not the class server, enforces them. Nothing when not in a class.
import type { Lang } from '../../core/lang.js';
import type { HelpView } from '../../classroom/terminal-mirror.js';
import { api } from './api.js';

const WORDS = {
  asked: { en: 'Your teacher asks to type in your terminal.', zh: '老师请求在你的终端里输入。' },
  allow: { en: 'Allow', zh: '允许' },
  refuse: { en: 'Refuse', zh: '拒绝' },
  allowed: { en: 'Your teacher may type in your terminal.', zh: '老师可以在你的终端里输入。' },
  stop: { en: 'Stop', zh: '停止' },
  watched: { en: 'Your teacher is watching your terminal.', zh: '老师正在看你的终端。' },
  recorded: { en: 'This class records your terminal for your teacher to replay.', zh: '本课堂会记录你的终端，供老师回放。' },
} as const;

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
    b.textContent = WORDS[word][this.lang];
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
      text.textContent = WORDS.asked[this.lang];
      parts.push(this.button('allow'), this.button('refuse'));
    } else if (v.help === 'allowed') {
      text.textContent = WORDS.allowed[this.lang];
      parts.push(this.button('stop'));
    } else {
      text.textContent = v.recorded ? WORDS.recorded[this.lang] : v.watched ? WORDS.watched[this.lang] : '';
    }
    this.box.hidden = text.textContent === '';
    this.box.className = `help-bar help-${v.help}`;
    this.box.replaceChildren(...parts);
  }
}
