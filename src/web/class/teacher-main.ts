// The teacher's page (`boxlab class serve` prints its address): a live grid of the class's students,
// stuck first. It opens the class server's teacher WebSocket (/api/teacher/events) with the teacher
// token of its own address and redraws the grid from each status the server pushes: no reload, no
// polling. Language: as the lab page (the teacher's choice on this browser, else the browser's). The
// teacher sends a message to every student from the field above the grid, and resets a student's lab
// from their row; both are POSTs with the teacher token, the grid shows what came of them.
import '@xterm/xterm/css/xterm.css';
import './teacher.css';
import type { Lang } from '../../core/lang.js';
import type { ClassStatus } from '../../classroom/class-service.js';
import { initialLang } from '../client/page-lang.js';
import { COLUMNS, gridRow, word } from './teacher-grid.js';
import { formatIdle } from '../../classroom/class-format.js';
import { WatchPanel } from './watch-panel.js';
import { ReplayPanel } from './replay-panel.js';
import { panelWord } from './panel-words.js';

const token = new URLSearchParams(location.search).get('token') ?? '';
const toggle = document.getElementById('lang-toggle') as HTMLButtonElement;
const badge = document.getElementById('live')!;
const title = document.getElementById('class-title')!;
const info = document.getElementById('class-info')!;
const grid = document.getElementById('grid')!;
const broadcastForm = document.getElementById('broadcast') as HTMLFormElement;
const broadcastText = document.getElementById('broadcast-text') as HTMLInputElement;
const broadcastError = document.getElementById('broadcast-error')!;
const sentList = document.getElementById('sent-list')!;
let broadcastProblem = '';
const watchBox = document.getElementById('watch')!;
const replayBox = document.getElementById('replay')!;
let watching: { seatId: string; panel: WatchPanel } | undefined;
let replaying: ReplayPanel | undefined;

/** clicking a student on the grid shows their terminal live (ADR 0020) */
function watch(seatId: string, name: string): void {
  if (watching?.seatId === seatId) return;
  watching?.panel.dispose();
  watching = { seatId, panel: new WatchPanel(watchBox, seatId, name, token, lang) };
}

/** a POST to the class server with the teacher token; the server's words when it says no */
async function post(pathname: string, body: unknown): Promise<string | undefined> {
  try {
    const res = await fetch(pathname, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    if (res.ok) return undefined;
    const b = (await res.json().catch(() => ({}))) as { message?: string; message_zh?: string };
    return (lang === 'zh' ? b.message_zh : undefined) ?? b.message ?? `HTTP ${res.status}`;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

let lang: Lang = initialLang(localStorage.getItem('boxlab.lang'), navigator.languages ?? [navigator.language], document.documentElement.dataset.lang === 'zh' ? 'zh' : 'en');
let status: ClassStatus | undefined;
let receivedAt = 0;
let connection: 'connecting' | 'live' | 'reconnecting' | 'refused' = 'connecting';

function cell(tag: 'td' | 'th' | 'li' | 'span' | 'button', text: string, attrs: Record<string, string> = {}): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.textContent = text; // everything from the network goes in as text, never as HTML
  return e;
}

function render(): void {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  toggle.textContent = word('toggle', lang);
  badge.textContent = word(connection, lang);
  badge.className = `live-${connection}`;
  if (!status) return;
  const s = status;
  title.textContent = word('title', lang, { name: s.cls.name });
  document.title = `boxlab · ${title.textContent}`;
  info.textContent = [
    word('seats', lang, { taken: s.seatsTaken, seats: s.cls.seats }),
    s.cls.closedAt ? word('closed', lang) : s.code ? word('code', lang, { code: s.code.code }) : word('noCode', lang, { name: s.cls.name }),
  ].join(' · ');
  (document.getElementById('broadcast-label')!).textContent = word('broadcastLabel', lang);
  (document.getElementById('broadcast-send')!).textContent = word('broadcastSend', lang);
  broadcastError.textContent = broadcastProblem ? word('broadcastError', lang, { message: broadcastProblem }) : '';
  (document.getElementById('sent-title')!).textContent = `${word('broadcastSent', lang)} · ${word('deadAfter', lang, { after: formatIdle(s.deadAfterMs) })}`;
  sentList.replaceChildren(...[...s.broadcasts].reverse().map((b) => cell('li', `${new Date(b.at).toISOString().slice(11, 19)} UTC · ${b.text}`)));
  const head = document.createElement('tr');
  for (const c of COLUMNS) head.append(cell('th', word(c, lang), { scope: 'col' }));
  head.append(cell('th', word('actions', lang), { scope: 'col' }));
  const body = document.createElement('tbody');
  const since = Date.now() - receivedAt;
  for (const r of s.students) {
    const row = gridRow(r, lang, since);
    const tr = document.createElement('tr');
    tr.className = `state-${row.state}`;
    tr.dataset.seat = row.seatId;
    for (const c of COLUMNS) tr.append(cell('td', row.cells[c], { 'data-col': c, ...(c === 'lastCheck' && row.lastFailed ? { class: 'failed' } : {}) }));
    const actions = cell('td', '', { 'data-col': 'actions' });
    const button = cell('button', word('resetButton', lang), { type: 'button', class: 'reset' }) as HTMLButtonElement;
    button.addEventListener('click', () => {
      const answer = prompt(word('resetAsk', lang, { name: r.name, lab: r.labId }), '1');
      if (answer === null) return;
      void post(`/api/seats/${r.seatId}/reset`, { step: Number(answer) }).then((problem) => {
        if (problem) alert(problem);
      });
    });
    const replayButton = cell('button', panelWord('replay', lang), { type: 'button', class: 'replay' });
    replayButton.addEventListener('click', () => {
      replaying?.dispose();
      replaying = new ReplayPanel(replayBox, r.seatId, r.name, token, lang);
    });
    tr.addEventListener('click', (e) => {
      if (!(e.target as HTMLElement).closest('button')) watch(r.seatId, r.name);
    });
    actions.append(button, replayButton, cell('span', row.reset, { class: 'reset-state' }));
    tr.append(actions);
    body.append(tr);
  }
  if (s.students.length === 0) {
    const tr = document.createElement('tr');
    tr.append(cell('td', word('empty', lang, { url: location.origin }), { colspan: String(COLUMNS.length + 1), class: 'empty' }));
    body.append(tr);
  }
  const thead = document.createElement('thead');
  thead.append(head);
  grid.replaceChildren(thead, body);
}

function connect(delayMs = 1000): void {
  const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/api/teacher/events?token=${encodeURIComponent(token)}`);
  let opened = false;
  ws.onopen = () => {
    opened = true;
    connection = 'live';
    render();
  };
  ws.onmessage = (e) => {
    const m = JSON.parse(String(e.data)) as { type: string; status?: ClassStatus };
    if (m.type !== 'status' || !m.status) return;
    status = m.status;
    receivedAt = Date.now();
    render();
  };
  ws.onclose = () => {
    connection = opened ? 'reconnecting' : status ? 'reconnecting' : 'refused';
    render();
    // the server restarting comes back on the same address: try again, less often each time
    setTimeout(() => connect(opened ? 1000 : Math.min(delayMs * 2, 30_000)), opened ? 1000 : delayMs);
  };
}

broadcastForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = broadcastText.value.trim();
  if (text === '') return;
  void post('/api/broadcasts', { text }).then((problem) => {
    broadcastProblem = problem ?? '';
    if (!problem) broadcastText.value = '';
    render();
  });
});
toggle.addEventListener('click', () => {
  lang = lang === 'en' ? 'zh' : 'en';
  localStorage.setItem('boxlab.lang', lang);
  watching?.panel.setLang(lang);
  render();
});
// the idle column counts on between two pushes
setInterval(render, 5000);
render();
connect();
