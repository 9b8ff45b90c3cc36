// The page's terminal draws every character a lab shows: xterm.js with the page's own options in Chromium,
// a line with underscores (`$LAB_DIR`), and the pixels of the cells between two letters.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser } from 'playwright-core';
import { TERMINAL_OPTIONS } from '../../../src/web/client/terminal-options.js';
import { requires } from '../../helpers/requires.js';

const require = createRequire(import.meta.url);

describe('web terminal glyphs', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;

  before(async function () {
    requires(this, 'chromium');
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  });
  after(async () => browser?.close());

  it('shows underscores: X____X has lit pixels between the two X', async () => {
    const page = await browser!.newPage({ viewport: { width: 400, height: 120 } });
    const js = readFileSync(require.resolve('@xterm/xterm/lib/xterm.js'), 'utf8');
    const css = readFileSync(require.resolve('@xterm/xterm/css/xterm.css'), 'utf8');
    await page.setContent(`<html><head><style>${css}</style></head><body style="margin:0"><div id="t" style="width:400px;height:120px"></div><script>${js}</script></body></html>`);
    const cell = await page.evaluate(async (options) => {
      const term = new (window as unknown as { Terminal: new (o: unknown) => { open(e: Element): void; write(s: string, cb: () => void): void; cols: number } }).Terminal(options);
      term.open(document.getElementById('t')!);
      await new Promise<void>((r) => term.write('X____X', r));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const row = document.querySelector('.xterm-rows > div')!.getBoundingClientRect();
      return { width: row.width / term.cols, height: row.height };
    }, { ...TERMINAL_OPTIONS, theme: { background: '#000000', foreground: '#ffffff' } });
    // the four underscore cells, the whole height of the row
    const clip = { x: Math.ceil(cell.width) + 1, y: 0, width: Math.floor(cell.width * 4) - 2, height: Math.ceil(cell.height) };
    const png = (await page.screenshot({ clip })).toString('base64');
    const lit = await page.evaluate(async (data) => {
      const img = new Image();
      img.src = `data:image/png;base64,${data}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      Object.assign(canvas, { width: img.width, height: img.height });
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const px = ctx.getImageData(0, 0, img.width, img.height).data;
      let n = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i] + px[i + 1] + px[i + 2] > 300) n++;
      return n;
    }, png);
    // an underscore is a line across each cell: at least one row of lit pixels across most of the four cells
    assert.ok(lit >= clip.width * 0.8, `only ${lit} lit pixels where four underscores should be (${clip.width} px wide): the glyph is clipped`);
    await page.close();
  });
});
