// Reading the page's terminal from a Chromium test: the lines of the terminal in front (xterm.js's
// buffer, through the page's window.boxlabTerminal), and a wait for a line to appear.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

/** the terminal's text, one string per line, read from xterm.js's buffer */
export async function terminalLines(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const term = (window as unknown as { boxlabTerminal?: { term: { buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } } } }).boxlabTerminal?.term;
    if (!term) return [];
    const b = term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < b.length; i++) out.push(b.getLine(i)?.translateToString(true) ?? '');
    return out;
  });
}

export async function waitForLine(page: Page, re: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const lines = await terminalLines(page);
    for (const l of lines) {
      const m = re.exec(l);
      if (m) return m;
    }
    if (Date.now() > end) assert.fail(`no line matching ${re} in the terminal:\n${lines.filter(Boolean).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
