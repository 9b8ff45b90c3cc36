// A student in a class sees on the lab page what their teacher sent: the class agent's inbox (the
// teacher's broadcasts, what a reset the teacher asked did), read from the page's server every 15 s and
// shown, the latest three, in a bar under the header, in the page's language. Nothing when not in a class.
import type { Lang } from '../../core/lang.js';
import type { InboxEntry } from '../../classroom/class-membership.js';
import { inboxLines } from '../../classroom/inbox-lines.js';
import { api } from './api.js';

export const CLASS_MESSAGES_SHOWN = 3;

export class ClassMessages {
  private entries: InboxEntry[] = [];

  constructor(
    private readonly box: HTMLElement,
    private lang: Lang,
  ) {
    void this.poll();
    setInterval(() => void this.poll(), 15_000);
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    this.render();
  }

  private async poll(): Promise<void> {
    this.entries = await api<InboxEntry[]>('GET', '/api/class/messages').catch(() => this.entries);
    this.render();
  }

  private render(): void {
    const lines = inboxLines(this.entries.slice(-CLASS_MESSAGES_SHOWN).reverse(), this.lang);
    this.box.hidden = lines.length === 0;
    this.box.className = 'class-messages';
    this.box.replaceChildren(
      ...lines.map((l) => {
        const p = document.createElement('div');
        p.textContent = l; // the teacher's words are text, never HTML
        return p;
      }),
    );
  }
}
