// How the page's terminal draws text. xterm.js sizes a row to the font's height exactly at lineHeight 1,
// and DejaVu Sans Mono at 14 px puts the underscore below that: `$LAB_DIR` read `$LAB DIR`. A little
// more line height (as VS Code's terminal uses) gives the underscore its row back.
import type { ITerminalOptions } from '@xterm/xterm';

export const TERMINAL_OPTIONS = {
  cursorBlink: true,
  fontSize: 14,
  lineHeight: 1.2,
  fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, monospace',
  scrollback: 5000,
  theme: { background: '#1e1e1e' },
} satisfies ITerminalOptions;
