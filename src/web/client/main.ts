// The page's entry point (bundled by esbuild into dist/web/app.js): routes #/ to the catalog and
// #/lab/<id>[/<step>] to a lab, #/tutorial/<id>[/<n>] to a tutorial, and switches the language.
import '@xterm/xterm/css/xterm.css';
import './app.css';
import { CatalogRoute, parseRoute } from './route.js';
import { showCatalog } from './catalog-view.js';
import { EngineBanner } from './engine-banner.js';
import { t } from './i18n.js';
import type { Lang } from '../../core/lang.js';
import { LabView } from './lab-view.js';
import { initialLang } from './page-lang.js';
import { showSandboxNotice } from './sandbox-notice.js';
import { ClassMessages } from './class-messages.js';
import { HelpBar } from './help-bar.js';
import { TutorialView } from './tutorial-view.js';

/** what a lab and a tutorial page have in common, for routing */
interface View {
  show(step?: string): Promise<void>;
  setStep(step?: string): Promise<void>;
  setLang(lang: Lang): void;
  dispose(): void;
}

const app = document.getElementById('app')!;
const toggle = document.getElementById('lang-toggle') as HTMLButtonElement;
const notice = document.getElementById('sandbox-notice')!;
let lang: Lang = initialLang(localStorage.getItem('boxlab.lang'), navigator.languages ?? [navigator.language], document.documentElement.dataset.lang === 'zh' ? 'zh' : 'en');
const banner = new EngineBanner(document.getElementById('engine-badge')!, document.getElementById('engine-box')!, lang);
const classMessages = new ClassMessages(document.getElementById('class-messages')!, lang);
// the help bar's event stream only when this boxlab is in a class: a page outside one keeps its
// connections (a browser opens at most six to one server, and each event stream holds one)
const helpBar = document.documentElement.dataset.class === 'joined' ? new HelpBar(document.getElementById('help-bar')!, lang) : undefined;
let lab: View | undefined;
/** "lab:<id>" or "tutorial:<id>": the view shown */
let labId: string | undefined;

/** the catalog being drawn: a route taken while it loads (a slow sandbox) aborts it, or it drew over the lab */
let catalog: AbortController | undefined;

async function render(): Promise<void> {
  const route = parseRoute(location.hash);
  catalog?.abort();
  catalog = undefined;
  if (route.kind === CatalogRoute) {
    lab?.dispose();
    lab = labId = undefined;
    catalog = new AbortController();
    await showCatalog(app, lang, catalog.signal);
    return;
  }
  const key = `${route.kind}:${route.lab}`;
  if (lab && labId === key) return lab.setStep(route.step);
  lab?.dispose();
  labId = key;
  lab = route.kind === 'tutorial' ? new TutorialView(app, route.lab, lang) : new LabView(app, route.lab, lang);
  await lab.show(route.step);
}

/** remember: a choice made on the page wins over the browser's language next time */
function chooseLang(next: Lang): void {
  localStorage.setItem('boxlab.lang', next);
  setLang(next);
}

function setLang(next: Lang): void {
  lang = next;
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  toggle.textContent = t('toggle', lang);
  banner.setLang(lang);
  showSandboxNotice(notice, document.documentElement.dataset.sandbox, lang);
  classMessages.setLang(lang);
  helpBar?.setLang(lang);
  if (lab) lab.setLang(lang);
  else void render();
}

toggle.addEventListener('click', () => chooseLang(lang === 'en' ? 'zh' : 'en'));
window.addEventListener('hashchange', () => void render());
setLang(lang);
