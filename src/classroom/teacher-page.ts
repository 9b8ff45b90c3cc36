// The teacher's page as the class server serves it: an HTML shell the bundled script (dist/web/teacher.js,
// from src/web/class/) fills with the live grid. No inline script, so the Content-Security-Policy forbids
// every script that is not ours; no referrer, so the teacher token in the page's address never leaves it.
import type { Lang } from '../core/lang.js';

export const TEACHER_PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

/** the page's files in dist/web, with their types: served to anyone (they hold no class data) */
export const TEACHER_ASSETS: Record<string, string> = {
  '/teacher.js': 'application/javascript; charset=utf-8',
  '/teacher.js.map': 'application/json',
  '/teacher.css': 'text/css; charset=utf-8',
  '/teacher.css.map': 'application/json',
};

export function teacherHtml(lang: Lang): string {
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}" data-lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>boxlab class</title>
<link rel="stylesheet" href="/teacher.css">
</head>
<body>
<header><span class="brand">boxlab</span><h1 id="class-title"></h1><span id="live"></span><button type="button" id="lang-toggle"></button></header>
<main>
<p id="class-info"></p>
<form id="broadcast"><label for="broadcast-text" id="broadcast-label"></label><input id="broadcast-text" maxlength="500" autocomplete="off"><button type="submit" id="broadcast-send"></button><span id="broadcast-error" role="alert"></span></form>
<table id="grid"></table>
<section id="watch" hidden></section>
<section id="replay" hidden></section>
<section id="sent"><h2 id="sent-title"></h2><ol id="sent-list"></ol></section>
</main>
<script type="module" src="/teacher.js"></script>
</body>
</html>
`;
}
