// The join page of hosted seats (`/join` on the class server): a student with only a browser types the
// code on the board and their name; the class server gives them a seat and a sandbox from the warm pool
// and the page sends them on to the seat's lab page (with the seat's own token). The lab address is kept
// in the browser's localStorage, so a student who closed the tab finds the way back. No inline script:
// the page's Content-Security-Policy is the teacher page's. Text in en and zh-CN.
import type { Lang } from '../../core/lang.js';

export const JOIN_ASSETS: Record<string, string> = { '/join.js': 'application/javascript; charset=utf-8' };

const TEXT = {
  en: { title: 'Join the class', code: 'Join code', name: 'Your name', go: 'Join', wait: 'Getting your sandbox ready (up to a few minutes when the pool is empty)…', back: 'Back to your lab', failed: 'The class server did not answer: ask your teacher' },
  zh: { title: '加入课堂', code: '加入码', name: '你的名字', go: '加入', wait: '正在准备你的沙箱（池子空时可能要几分钟）…', back: '回到你的实验', failed: '课堂服务器没有回应：请问老师' },
};

export function joinHtml(lang: Lang): string {
  const t = TEXT[lang];
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}" data-lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>boxlab: ${t.title}</title></head>
<body>
<h1>boxlab: ${t.title}</h1>
<p id="back" hidden><a id="back-link" href="#">${t.back}</a></p>
<form id="join">
<label>${t.code} <input id="code" name="code" autocomplete="off" required maxlength="20"></label>
<label>${t.name} <input id="name" name="name" required maxlength="80"></label>
<button type="submit" id="go">${t.go}</button>
</form>
<p id="state" role="status"></p>
<script type="module" src="/join.js"></script>
</body>
</html>
`;
}

/** the page's script: posts the join asking for a hosted seat, then opens the lab page it is given */
export const JOIN_SCRIPT = `const zh = document.documentElement.dataset.lang === 'zh';
const T = ${JSON.stringify(TEXT)}[zh ? 'zh' : 'en'];
const state = document.getElementById('state');
const kept = localStorage.getItem('boxlab-lab');
if (kept) { document.getElementById('back').hidden = false; document.getElementById('back-link').href = kept; }
const code = new URLSearchParams(location.search).get('code');
if (code) document.getElementById('code').value = code;
document.getElementById('join').addEventListener('submit', async (e) => {
  e.preventDefault();
  document.getElementById('go').disabled = true;
  state.textContent = T.wait;
  try {
    const r = await fetch('/api/join', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: document.getElementById('code').value.trim(), name: document.getElementById('name').value.trim(), hosted: true }) });
    const body = await r.json();
    if (r.status === 201 && body.lab) { localStorage.setItem('boxlab-lab', body.lab); location.assign(body.lab); return; }
    state.textContent = (zh && body.message_zh) || body.message || T.failed;
  } catch { state.textContent = T.failed; }
  document.getElementById('go').disabled = false;
});
`;
