// Lab text is markdown written by a teacher; the page shows it as HTML. Raw HTML in the markdown is
// escaped (shown as text, never run), links may only be http(s), mailto or relative, and ```sh run blocks
// become runnable snippets: a "run" button that types the code into the terminal; an ```answer block (a
// predict step's question) becomes a box the page puts an answer field into. Pure.
import { Marked, type Tokens } from 'marked';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const SAFE_URL = /^(https?:|mailto:|#|\/|\.{0,2}\/|[^:]*$)/i;

function isRunnable(lang: string | undefined): boolean {
  const words = (lang ?? '').trim().split(/\s+/);
  return words.includes('run') || words.some((w) => w.startsWith('run='));
}

const marked = new Marked({
  gfm: true,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag): string {
      return escapeHtml(token.text);
    },
    code(token: Tokens.Code): string {
      const code = escapeHtml(token.text);
      const lang = escapeHtml((token.lang ?? '').split(/\s+/)[0] ?? '');
      if (lang === 'answer') return `<div class="answer-box"><p class="question">${code}</p></div>\n`;
      if (isRunnable(token.lang)) {
        return `<div class="snippet"><pre><code class="lang-${lang}">${code}</code></pre><button type="button" class="run" data-code="${escapeHtml(token.text)}">▶ run</button></div>\n`;
      }
      return `<pre><code${lang ? ` class="lang-${lang}"` : ''}>${code}</code></pre>\n`;
    },
    link(token: Tokens.Link): string {
      const text = this.parser.parseInline(token.tokens);
      if (!SAFE_URL.test(token.href)) return text;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
      return `<a href="${escapeHtml(token.href)}"${title} target="_blank" rel="noopener noreferrer">${text}</a>`;
    },
    image(token: Tokens.Image): string {
      return escapeHtml(token.text);
    },
  },
});

export function renderStepMarkdown(markdown: string): string {
  return marked.parse(markdown, { async: false });
}
