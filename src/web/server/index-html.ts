// The one HTML page: a shell the bundled client (dist/web/app.js) fills in. No inline script, so the
// Content-Security-Policy can forbid every script that is not ours.
import type { Lang } from '../../core/lang.js';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** where the page's terminal runs: `local` is this computer itself (a root shell, no VM between) */
export interface PageSandbox {
  provider: string;
}

/** inClass: this boxlab has joined a class (the page then opens the help bar's event stream, ADR 0020) */
export function indexHtml(lang: Lang, sandbox: PageSandbox, inClass = false): string {
  const provider = sandbox.provider.replace(/[^a-z0-9-]/gi, '');
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}" data-lang="${lang}" data-sandbox="${provider}"${inClass ? ' data-class="joined"' : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>boxlab</title>
<link rel="stylesheet" href="/app.css">
</head>
<body>
<header id="top"><a href="#/" class="brand">boxlab</a><span id="engine-badge"></span><button type="button" id="lang-toggle"></button></header>
<div id="sandbox-notice" hidden></div>
<div id="class-messages" role="status" hidden></div>
<div id="help-bar" role="alert" hidden></div>
<div id="engine-box" hidden></div>
<main id="app"></main>
<script type="module" src="/app.js"></script>
</body>
</html>
`;
}
